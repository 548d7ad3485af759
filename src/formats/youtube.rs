//! YouTube captions as JSON: the json3 format (`fmt=json3`, yt-dlp
//! `--sub-format json3`) and youtube-transcript-api dumps
//! (`[{text, start, duration}]`).
//!
//! json3 has no public spec: events carry `tStartMs`/`dDurationMs` (sometimes
//! written as strings) and `segs[{utf8}]`; window/style events have no
//! `segs`, and auto-caption "append" events only hold a line break. Each event
//! with words becomes one segment; a seg's `tOffsetMs` (from the event's
//! `tStartMs`) becomes a mark of where that seg's words start.

use crate::formats::lenient_json::{self, millis};
use crate::formats::markup::plain;
use crate::formats::timecode::from_seconds;
use crate::formats::{FormatError, PieceMark, Segment, Transcript, collapse_ws_marked};
use crate::model::Millis;
use serde::Deserialize;

#[derive(Deserialize)]
struct Json3 {
    events: Vec<Event>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    #[serde(default, deserialize_with = "lenient_json::number")]
    t_start_ms: Option<f64>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    d_duration_ms: Option<f64>,
    #[serde(default)]
    segs: Option<Vec<Seg>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Seg {
    #[serde(default)]
    utf8: String,
    /// When the seg is said, from the event's start (auto-captions: per word).
    #[serde(default, deserialize_with = "lenient_json::number")]
    t_offset_ms: Option<f64>,
}

/// Parses YouTube json3 captions.
pub fn parse_json3(text: &str) -> Result<Transcript, FormatError> {
    let file: Json3 = lenient_json::read(text, "YouTube json3")?;
    let segments = file
        .events
        .into_iter()
        .filter_map(|event| {
            let start = millis(event.t_start_ms);
            let end = match (start, millis(event.d_duration_ms)) {
                (Some(s), Some(d)) => Some(s + d),
                _ => None,
            };
            let mut raw = String::new();
            let mut marks = Vec::new();
            for seg in event.segs? {
                // A seg's time is its offset from the event's start; the first
                // seg (no offset) starts with the event itself.
                let at = start.zip(millis(seg.t_offset_ms)).map(|(s, o)| s + o);
                if let Some(at) = at.filter(|_| !seg.utf8.trim().is_empty()) {
                    marks.push(PieceMark {
                        byte: raw.len(),
                        at,
                    });
                }
                raw.push_str(&seg.utf8);
            }
            let (text, marks) = collapse_ws_marked(&raw, &marks);
            let mut segment = Segment::caption(start, end, text);
            for m in marks {
                segment.mark(m.byte, m.at);
            }
            Some(segment)
        })
        .filter(|s| !s.text.is_empty())
        .collect();
    Transcript {
        segments,
        ..Transcript::default()
    }
    .with_text("the json3 file has no caption text")
}

#[derive(Deserialize)]
struct ApiLine {
    #[serde(default)]
    text: String,
    #[serde(default, deserialize_with = "lenient_json::number")]
    start: Option<f64>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    duration: Option<f64>,
}

/// Parses a youtube-transcript-api dump: `[{"text", "start", "duration"}]` in seconds.
pub fn parse_transcript_api(text: &str) -> Result<Transcript, FormatError> {
    let lines: Vec<ApiLine> = lenient_json::read(text, "youtube-transcript-api JSON")?;
    let lines = lines.into_iter().map(|l| {
        let end = match (l.start, l.duration) {
            (Some(s), Some(d)) => from_seconds(s + d),
            _ => None,
        };
        // The API returns HTML-escaped text (`&#39;`).
        (l.start.and_then(from_seconds), end, plain(&l.text))
    });
    captions(lines, "the transcript dump has no text")
}

/// A transcript of the captions that have text; `why_not` when none has.
fn captions(
    lines: impl Iterator<Item = (Option<Millis>, Option<Millis>, String)>,
    why_not: &str,
) -> Result<Transcript, FormatError> {
    let segments = lines
        .filter(|(_, _, text)| !text.is_empty())
        .map(|(start, end, text)| Segment::caption(start, end, text))
        .collect();
    Transcript {
        segments,
        ..Transcript::default()
    }
    .with_text(why_not)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(t: &Transcript) -> Vec<(Option<Millis>, Option<Millis>, &str)> {
        t.segments
            .iter()
            .map(|s| (s.start, s.end, s.text.as_str()))
            .collect()
    }

    #[test]
    fn json3_events_and_transcript_api_dumps() {
        type Parser = fn(&str) -> Result<Transcript, FormatError>;
        type Captions<'a> = [(Option<Millis>, Option<Millis>, &'a str); 2];
        let json3 = r#"{"wireMagic":"pb3","pens":[{}],"events":[
            {"tStartMs":0,"dDurationMs":5000,"id":1,"wpWinPosId":1,"wsWinStyleId":1},
            {"tStartMs":120,"dDurationMs":3559,"wWinId":1,"segs":[{"utf8":"bonjour","acAsrConf":0},{"utf8":" à","tOffsetMs":400},{"utf8":" tous","tOffsetMs":800}]},
            {"tStartMs":"2000","dDurationMs":"1679","wWinId":1,"aAppend":1,"segs":[{"utf8":"\n"}]},
            {"tStartMs":"3679","dDurationMs":"2000","segs":[{"utf8":"c'est l'été"}]}]}"#;
        let api = r#"[{"text":"l&#39;intelligence artificielle","start":1.5,"duration":2.25},{"text":"[Musique]","start":3.75,"duration":1}]"#;
        let cases: [(Parser, &str, Captions); 2] = [
            (
                parse_json3,
                json3,
                [
                    (Some(120), Some(3_679), "bonjour à tous"),
                    (Some(3_679), Some(5_679), "c'est l'été"),
                ],
            ),
            (
                parse_transcript_api,
                api,
                [
                    (Some(1_500), Some(3_750), "l'intelligence artificielle"),
                    (Some(3_750), Some(4_750), "[Musique]"),
                ],
            ),
        ];
        for (parse, json, want) in cases {
            assert_eq!(segs(&parse(json).unwrap()), want);
        }
        // A json3 seg's offset is from its event's start; the first seg starts with the event.
        assert_eq!(
            parse_json3(json3).unwrap().marked_words(),
            [("à", 520), ("tous", 920)]
        );
        assert!(parse_transcript_api(api).unwrap().marked_words().is_empty());
    }

    #[test]
    fn malformed_inputs() {
        let no_text = |r: Result<Transcript, FormatError>| matches!(r, Err(FormatError::NoText(_)));
        let malformed =
            |r: Result<Transcript, FormatError>| matches!(r, Err(FormatError::Malformed { .. }));
        assert!(malformed(parse_json3("{\"events\": {}}")));
        assert!(no_text(parse_json3("{\"events\": [{\"tStartMs\": 1}]}")));
        assert!(malformed(parse_transcript_api("{}")));
    }
}
