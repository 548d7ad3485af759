//! Whisper-family JSON: openai-whisper `--output_format json`, the OpenAI API
//! `verbose_json`, faster-whisper dumps (a bare array of segments or
//! `{segments}`), whisper-timestamped (words with `text`/`confidence`),
//! WhisperX (speakers on segments and words), and whisper.cpp `-oj`
//! (`transcription[]` with integer-ms offsets).
//!
//! One lenient set of serde structs covers the first four: every field is
//! optional and word keys have aliases (`word`|`text`, `probability`|
//! `confidence`|`score`). WhisperX words may lack a speaker or times (numerals
//! that could not be aligned); a segment whose words carry several speakers is
//! split at the speaker changes, and words without a speaker stay with the
//! speaker before them.

use crate::formats::lenient_json::{self, millis};
use crate::formats::markup::push_piece;
use crate::formats::timecode::{from_seconds, parse_clock};
use crate::formats::{FormatError, Segment, Transcript};
use crate::model::Millis;
use crate::text::collapse_ws;
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct WhisperObject {
    #[serde(default)]
    segments: Vec<WhisperSegment>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    duration: Option<f64>,
    /// faster-whisper `TranscriptionInfo`, when the dump includes it.
    #[serde(default)]
    info: Option<Info>,
}

#[derive(Deserialize, Default)]
struct Info {
    #[serde(default)]
    language: Option<String>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    duration: Option<f64>,
}

#[derive(Deserialize)]
struct WhisperSegment {
    #[serde(default, deserialize_with = "lenient_json::number")]
    start: Option<f64>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    end: Option<f64>,
    #[serde(default)]
    text: String,
    #[serde(default, deserialize_with = "lenient_json::label")]
    speaker: Option<String>,
    #[serde(default)]
    words: Option<Vec<Word>>,
}

#[derive(Deserialize)]
struct Word {
    #[serde(default, alias = "text")]
    word: Option<String>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    start: Option<f64>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    end: Option<f64>,
    #[serde(default, deserialize_with = "lenient_json::label")]
    speaker: Option<String>,
}

/// Parses openai-whisper, verbose_json, faster-whisper, whisper-timestamped
/// and WhisperX JSON.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    const FORMAT: &str = "Whisper JSON";
    let bare = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let file: WhisperObject = if bare.starts_with('[') {
        WhisperObject {
            segments: lenient_json::read(text, FORMAT)?,
            ..WhisperObject::default()
        }
    } else {
        lenient_json::read(text, FORMAT)?
    };
    let info = file.info.unwrap_or_default();
    let mut transcript = Transcript {
        language: file.language.or(info.language).filter(|l| !l.is_empty()),
        duration: file.duration.or(info.duration).and_then(from_seconds),
        ..Transcript::default()
    };
    for segment in file.segments {
        split_by_word_speakers(segment, &mut transcript.segments);
    }
    transcript.with_text("the Whisper JSON has no segment with text")
}

/// Pushes one Whisper segment, cut where its words change speaker.
fn split_by_word_speakers(segment: WhisperSegment, out: &mut Vec<Segment>) {
    let start = segment.start.and_then(from_seconds);
    let end = segment.end.and_then(from_seconds);
    let words = segment.words.unwrap_or_default();
    let mut word_speakers = words.iter().filter_map(|w| w.speaker.as_deref());
    let first_word_speaker = word_speakers.next();
    let several = first_word_speaker.is_some_and(|first| word_speakers.any(|s| s != first));
    if !several {
        let text = collapse_ws(&segment.text);
        if !text.is_empty() {
            let speaker = segment.speaker.or(first_word_speaker.map(str::to_string));
            let mut seg = Segment {
                start,
                end,
                speaker,
                text,
                line: 1,
                marks: Vec::new(),
            };
            mark_words(&mut seg, &words);
            out.push(seg);
        }
        return;
    }
    // Runs of one speaker, with whether their first and last words carry times.
    let mut runs: Vec<(Segment, bool, bool)> = Vec::new();
    let mut running = segment
        .speaker
        .clone()
        .or(first_word_speaker.map(str::to_string));
    for w in &words {
        let Some(piece) = w.word.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
            continue;
        };
        let speaker = w.speaker.clone().or(running.clone());
        let w_start = w.start.and_then(from_seconds);
        let w_end = w.end.and_then(from_seconds);
        match runs.last_mut() {
            Some((cur, _, last_timed)) if cur.speaker == speaker => {
                push_piece(&mut cur.text, piece);
                if let Some(at) = w_start {
                    cur.mark(cur.text.len() - piece.len(), at);
                }
                cur.start = cur.start.or(w_start);
                cur.end = w_end.or(cur.end);
                *last_timed = w_end.is_some();
            }
            _ => {
                let run = Segment {
                    start: w_start,
                    end: w_end,
                    speaker: speaker.clone(),
                    text: piece.to_string(),
                    line: 1,
                    marks: Vec::new(),
                };
                runs.push((run, w_start.is_some(), w_end.is_some()));
            }
        }
        running = speaker;
    }
    // Words that could not be aligned leave a run's edge open: close it at the
    // neighbouring run's edge, or at the segment's own start or end.
    let edges: Vec<(Option<Millis>, Option<Millis>)> =
        runs.iter().map(|(r, _, _)| (r.start, r.end)).collect();
    for (i, (run, first_timed, last_timed)) in runs.iter_mut().enumerate() {
        if !*first_timed {
            let before = i
                .checked_sub(1)
                .and_then(|j| edges.get(j))
                .map_or(start, |(_, e)| *e);
            run.start = before.or(run.start);
        }
        if !*last_timed {
            let after = edges.get(i + 1).map_or(end, |(s, _)| *s);
            run.end = after.or(run.end);
        }
    }
    out.extend(runs.into_iter().map(|(r, _, _)| r));
}

/// Marks where each timed word starts in the segment's text. The words are
/// the text's own tokens, so each is looked for (at a word start) after the
/// previous one; a word the text does not hold is skipped, not guessed.
fn mark_words(segment: &mut Segment, words: &[Word]) {
    let mut cursor = 0;
    for w in words {
        let Some(piece) = w.word.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
            continue;
        };
        let text = segment.text.as_str();
        let starts_word = |b: usize| {
            text.get(..b).is_some_and(|before| {
                before
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        };
        let Some(byte) = text.get(cursor..).and_then(|rest| {
            rest.match_indices(piece)
                .map(|(i, _)| cursor + i)
                .find(|&b| starts_word(b))
        }) else {
            continue;
        };
        cursor = byte + piece.len();
        if let Some(at) = w.start.and_then(from_seconds) {
            segment.mark(byte, at);
        }
    }
}

#[derive(Deserialize)]
struct CppFile {
    transcription: Vec<CppSegment>,
    #[serde(default)]
    result: Option<Info>,
    #[serde(default)]
    params: Option<Info>,
}

#[derive(Deserialize)]
struct CppSegment {
    #[serde(default)]
    offsets: Option<CppOffsets>,
    #[serde(default)]
    timestamps: Option<CppTimestamps>,
    #[serde(default)]
    text: String,
    #[serde(default, deserialize_with = "lenient_json::label")]
    speaker: Option<String>,
}

#[derive(Deserialize)]
struct CppOffsets {
    #[serde(default, deserialize_with = "lenient_json::number")]
    from: Option<f64>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    to: Option<f64>,
}

#[derive(Deserialize)]
struct CppTimestamps {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// Parses whisper.cpp `-oj` JSON. Speakers (`--diarize`) are kept as written
/// (`0`, `1`); `?` means unknown. Map them to names with the sidecar.
pub fn parse_cpp(text: &str) -> Result<Transcript, FormatError> {
    let file: CppFile = lenient_json::read(text, "whisper.cpp JSON")?;
    let language = [file.result, file.params]
        .into_iter()
        .flatten()
        .filter_map(|i| i.language)
        .find(|l| !l.is_empty() && l != "auto");
    let mut transcript = Transcript {
        language,
        ..Transcript::default()
    };
    for s in file.transcription {
        let text = collapse_ws(&s.text);
        if text.is_empty() {
            continue;
        }
        let (from, to) = s
            .offsets
            .map(|o| (millis(o.from), millis(o.to)))
            .unwrap_or((None, None));
        let (ts_from, ts_to) = s
            .timestamps
            .map(|t| (parse_clock(&t.from), parse_clock(&t.to)))
            .unwrap_or((None, None));
        let speaker = s.speaker.filter(|sp| sp != "?");
        transcript.segments.push(Segment {
            start: from.or(ts_from),
            end: to.or(ts_to),
            speaker,
            text,
            line: 1,
            marks: Vec::new(),
        });
    }
    transcript.with_text("the whisper.cpp JSON has no segment with text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_faster_and_timestamped() {
        let want = [
            (None, Some(0), Some(2_500), "Bonjour à tous."),
            (None, Some(2_500), Some(4_000), "C'est parti."),
        ];
        for json in [
            r#"{"text":" Bonjour à tous. C'est parti.","language":"fr","segments":[
                {"id":0,"seek":0,"start":0.0,"end":2.5,"text":" Bonjour \u00e0 tous.","tokens":[1,2],"avg_logprob":-0.2,
                 "words":[{"word":" Bonjour","start":0.0,"end":0.5,"probability":0.9}]},
                {"id":1,"seek":0,"start":2.5,"end":4.0,"text":" C'est parti.","tokens":[3]}]}"#,
            r#"[{"id":0,"start":0,"end":2.5,"text":" Bonjour à tous.","words":null},{"id":1,"start":2.5,"end":4,"text":" C'est parti."}]"#,
            r#"{"segments":[{"start":0,"end":2.5,"text":" Bonjour à tous.","confidence":0.8,
                 "words":[{"text":"Bonjour","start":0.0,"end":0.5,"confidence":0.54}]},{"start":2.5,"end":4,"text":"C'est parti."}],"language":"fr"}"#,
        ] {
            assert_eq!(parse(json).unwrap().rows(), want, "{json}");
        }
    }

    #[test]
    fn whisperx_splits_by_word_speaker_and_fills_missing_times() {
        let json = r#"{"segments":[
            {"start":10.0,"end":14.0,"text":"En 2024 on a vu. Oui, tout à fait.","speaker":"SPEAKER_00","words":[
                {"word":"En","start":10.0,"end":10.2,"score":0.9,"speaker":"SPEAKER_00"},
                {"word":"2024"},
                {"word":"on","start":11.0,"end":11.2,"score":0.9},
                {"word":"a","start":11.2,"end":11.3,"speaker":"SPEAKER_00"},
                {"word":"vu.","start":11.3,"end":11.8,"speaker":"SPEAKER_00"},
                {"word":"Oui,","start":12.0,"end":12.3,"speaker":"SPEAKER_01"},
                {"word":"tout","start":12.3,"end":12.5,"speaker":"SPEAKER_01"},
                {"word":"à","speaker":"SPEAKER_01"},
                {"word":"fait."}]},
            {"start":15.0,"end":16.0,"text":" Merci.","words":[{"word":"Merci.","start":15.0,"end":16.0,"speaker":"SPEAKER_00"}]}
        ],"word_segments":[],"language":"fr"}"#;
        let t = parse(json).unwrap();
        assert_eq!(t.language.as_deref(), Some("fr"));
        assert_eq!(
            t.rows(),
            [
                (
                    Some("SPEAKER_00"),
                    Some(10_000),
                    Some(11_800),
                    "En 2024 on a vu."
                ),
                (
                    Some("SPEAKER_01"),
                    Some(12_000),
                    Some(14_000),
                    "Oui, tout à fait."
                ),
                (Some("SPEAKER_00"), Some(15_000), Some(16_000), "Merci."),
            ]
        );
        // Timed words keep their times; "2024", "à" and "fait." have none.
        assert_eq!(
            t.marked_words(),
            [
                ("on", 11_000),
                ("a", 11_200),
                ("vu.", 11_300),
                ("tout", 12_300)
            ]
        );
    }

    #[test]
    fn words_mark_where_they_start_in_the_segment_text() {
        // The segment starts before its first word; a word the text does not
        // hold is skipped; "a" is found as a word, not inside "la".
        let json = r#"{"segments":[{"start":1.0,"end":4.0,"text":" Voilà la suite, il a dit.","words":[
            {"word":" Voilà","start":1.25,"end":1.5},
            {"word":" la","start":1.5,"end":1.7},
            {"word":" suite,","start":1.7,"end":2.2},
            {"word":" XYZ","start":2.2,"end":2.3},
            {"word":" il","start":2.5,"end":2.6},
            {"word":" a","start":2.6,"end":2.7},
            {"word":" dit.","start":2.7,"end":3.1}]}]}"#;
        assert_eq!(
            parse(json).unwrap().marked_words(),
            [
                ("Voilà", 1_250),
                ("la", 1_500),
                ("suite,", 1_700),
                ("il", 2_500),
                ("a", 2_600),
                ("dit.", 2_700)
            ]
        );
    }

    #[test]
    fn whisper_cpp() {
        let json = r#"{"systeminfo":"AVX","model":{"type":"base"},"params":{"model":"m","language":"fr","translate":false},
            "result":{"language":"fr"},"transcription":[
            {"timestamps":{"from":"00:00:00,000","to":"00:00:02,760"},"offsets":{"from":0,"to":2760},"text":" Bonjour à tous.","speaker":"0"},
            {"timestamps":{"from":"00:00:02,760","to":"00:00:05,000"},"text":" Salut.","speaker":"?"}]}"#;
        let t = parse_cpp(json).unwrap();
        assert_eq!(t.language.as_deref(), Some("fr"));
        assert_eq!(
            t.rows(),
            [
                (Some("0"), Some(0), Some(2_760), "Bonjour à tous."),
                (None, Some(2_760), Some(5_000), "Salut.")
            ]
        );
    }

    #[test]
    fn malformed_inputs() {
        assert!(matches!(
            parse("{\"segments\": 3}"),
            Err(FormatError::Malformed { .. })
        ));
        assert!(matches!(parse("[1,2]"), Err(FormatError::Malformed { .. })));
        assert!(matches!(
            parse("{\"segments\": []}"),
            Err(FormatError::NoText(_))
        ));
        assert!(matches!(
            parse_cpp("{}"),
            Err(FormatError::Malformed { .. })
        ));
        let err = parse("{\"segments\": [\n{\"start\": 1,}]}").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
