//! YouTube captions as JSON: the json3 format (`fmt=json3`, yt-dlp
//! `--sub-format json3`) and youtube-transcript-api dumps
//! (`[{text, start, duration}]`).
//!
//! json3 has no public spec: events carry `tStartMs`/`dDurationMs` (sometimes
//! written as strings) and `segs[{utf8}]`; window/style events have no
//! `segs`, and auto-caption "append" events only hold a line break. Each event
//! with words becomes one segment.

use crate::formats::lenient_json;
use crate::formats::markup::plain;
use crate::formats::timecode::from_seconds;
use crate::formats::{FormatError, Segment, Transcript};
use crate::model::Millis;
use crate::text::collapse_ws;
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
struct Seg {
    #[serde(default)]
    utf8: String,
}

fn ms(v: Option<f64>) -> Option<Millis> {
    v.and_then(crate::formats::timecode::from_millis)
}

/// Parses YouTube json3 captions.
pub fn parse_json3(text: &str) -> Result<Transcript, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: Json3 = serde_json::from_str(text).map_err(|e| FormatError::Malformed {
        format: "YouTube json3",
        message: e.to_string(),
    })?;
    let mut transcript = Transcript::default();
    for event in file.events {
        let Some(segs) = event.segs else { continue };
        let raw: String = segs.iter().map(|s| s.utf8.as_str()).collect();
        let text = collapse_ws(&raw);
        if text.is_empty() {
            continue;
        }
        let start = ms(event.t_start_ms);
        let end = match (start, ms(event.d_duration_ms)) {
            (Some(s), Some(d)) => Some(s + d),
            _ => None,
        };
        transcript.segments.push(Segment::caption(start, end, text));
    }
    transcript.with_text("the json3 file has no caption text")
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<ApiLine> = serde_json::from_str(text).map_err(|e| FormatError::Malformed {
        format: "youtube-transcript-api JSON",
        message: e.to_string(),
    })?;
    let mut transcript = Transcript::default();
    for l in lines {
        // The API returns HTML-escaped text (`&#39;`).
        let text = plain(&l.text);
        if text.is_empty() {
            continue;
        }
        let start = l.start.and_then(from_seconds);
        let end = match (l.start, l.duration) {
            (Some(s), Some(d)) => from_seconds(s + d),
            _ => None,
        };
        transcript.segments.push(Segment::caption(start, end, text));
    }
    transcript.with_text("the transcript dump has no text")
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
    fn json3_events() {
        let json = r#"{"wireMagic":"pb3","pens":[{}],"events":[
            {"tStartMs":0,"dDurationMs":5000,"id":1,"wpWinPosId":1,"wsWinStyleId":1},
            {"tStartMs":120,"dDurationMs":3559,"wWinId":1,"segs":[{"utf8":"bonjour","acAsrConf":0},{"utf8":" à","tOffsetMs":400},{"utf8":" tous","tOffsetMs":800}]},
            {"tStartMs":"2000","dDurationMs":"1679","wWinId":1,"aAppend":1,"segs":[{"utf8":"\n"}]},
            {"tStartMs":"3679","dDurationMs":"2000","segs":[{"utf8":"c'est l'été"}]}]}"#;
        let t = parse_json3(json).unwrap();
        assert_eq!(
            segs(&t),
            [
                (Some(120), Some(3_679), "bonjour à tous"),
                (Some(3_679), Some(5_679), "c'est l'été")
            ]
        );
    }

    #[test]
    fn transcript_api_dump() {
        let json = r#"[{"text":"l&#39;intelligence artificielle","start":1.5,"duration":2.25},{"text":"[Musique]","start":3.75,"duration":1}]"#;
        let t = parse_transcript_api(json).unwrap();
        assert_eq!(
            segs(&t),
            [
                (Some(1_500), Some(3_750), "l'intelligence artificielle"),
                (Some(3_750), Some(4_750), "[Musique]")
            ]
        );
    }

    #[test]
    fn malformed_inputs() {
        assert!(matches!(
            parse_json3("{\"events\": {}}"),
            Err(FormatError::Malformed { .. })
        ));
        assert!(matches!(
            parse_json3("{\"events\": [{\"tStartMs\": 1}]}"),
            Err(FormatError::NoText(_))
        ));
        assert!(matches!(
            parse_transcript_api("{}"),
            Err(FormatError::Malformed { .. })
        ));
    }
}
