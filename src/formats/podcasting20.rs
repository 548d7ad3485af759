//! Podcasting 2.0 transcript files (`<podcast:transcript>`) and JSON chapters
//! (`<podcast:chapters>`, `NAME.chapters.json` next to a transcript).
//!
//! - JSON transcript: `{version, segments: [{speaker?, startTime, endTime?, body}]}`.
//!   The official example has one word per segment, so consecutive segments of
//!   one speaker are merged into utterances, cut at sentence ends and pauses;
//!   each merged word keeps its time as a [`Segment::marks`] entry.
//! - HTML transcript: `<cite>Speaker:</cite> <time>0:00</time> <p>monologue</p>`.
//! - JSON chapters: `{version, chapters: [{startTime, title?, url?, toc?}]}`.

use crate::formats::lenient_json;
use crate::formats::markup::{ends_sentence, plain, push_piece};
use crate::formats::timecode::{from_seconds, parse_clock};
use crate::formats::{FormatError, RawChapter, Segment, Transcript};
use crate::model::{Diagnostic, Millis};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

/// A pause longer than this between two words starts a new utterance.
const MAX_GAP_MS: Millis = 2_000;

#[derive(Deserialize)]
struct JsonTranscript {
    segments: Vec<JsonSegment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonSegment {
    #[serde(default, deserialize_with = "lenient_json::label")]
    speaker: Option<String>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    start_time: Option<f64>,
    #[serde(default, deserialize_with = "lenient_json::number")]
    end_time: Option<f64>,
    #[serde(default)]
    body: String,
}

/// Parses a Podcasting 2.0 JSON transcript, merging word-level segments.
pub fn parse_json(text: &str) -> Result<Transcript, FormatError> {
    let file: JsonTranscript = lenient_json::read(text, "Podcasting 2.0 JSON transcript")?;
    let mut transcript = Transcript::default();
    let mut current: Option<Segment> = None;
    for piece in file.segments {
        let start = piece.start_time.and_then(from_seconds);
        let end = piece.end_time.and_then(from_seconds);
        let body = plain(&piece.body);
        if body.is_empty() {
            continue;
        }
        if let Some(cur) = current.take() {
            let gap = match (cur.end.or(cur.start), start) {
                (Some(prev), Some(next)) => next.saturating_sub(prev) > MAX_GAP_MS,
                _ => false,
            };
            if cur.speaker != piece.speaker || gap || ends_sentence(&cur.text) {
                transcript.segments.push(cur);
            } else {
                let mut cur = cur;
                push_piece(&mut cur.text, &body);
                // Each merged word keeps its own time.
                if let Some(at) = start {
                    cur.mark(cur.text.len() - body.len(), at);
                }
                cur.end = end.or(start).or(cur.end);
                current = Some(cur);
                continue;
            }
        }
        current = Some(Segment {
            start,
            end,
            speaker: piece.speaker,
            text: body,
            line: 1,
            marks: Vec::new(),
        });
    }
    transcript.segments.extend(current);
    transcript.with_text("the Podcasting 2.0 transcript has no segment with a body")
}

static HTML_PIECE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?is)<title\b[^>]*>(.*?)</title\s*>|<cite\b[^>]*>(.*?)</cite\s*>|<time\b[^>]*>(.*?)</time\s*>|<p\b[^>]*>(.*?)</p\s*>").ok()
});

/// Parses a Podcasting 2.0 HTML transcript (`<cite>`, `<time>`, `<p>`).
pub fn parse_html(text: &str) -> Result<Transcript, FormatError> {
    let Some(re) = HTML_PIECE.as_ref() else {
        return Err(FormatError::Malformed {
            format: "HTML transcript",
            message: "internal pattern failed".into(),
        });
    };
    let mut transcript = Transcript::default();
    let mut speaker: Option<String> = None;
    let mut time: Option<Millis> = None;
    let (mut line, mut counted) = (1usize, 0usize);
    for caps in re.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        line += text
            .get(counted..whole.start())
            .map_or(0, |s| s.matches('\n').count());
        counted = whole.start();
        if let Some(t) = caps.get(1) {
            let title = plain(t.as_str());
            if !title.is_empty() && transcript.title.is_none() {
                transcript.title = Some(title);
            }
        } else if let Some(c) = caps.get(2) {
            let name = plain(c.as_str());
            let name = name.trim_end_matches([':', ' ', '\u{a0}']).trim();
            speaker = (!name.is_empty()).then(|| name.to_string());
        } else if let Some(t) = caps.get(3) {
            let raw = plain(t.as_str());
            time = parse_clock(&raw);
            if time.is_none() {
                transcript
                    .diagnostics
                    .push(Diagnostic::warning(format!("unreadable time {raw:?}")).at_line(line));
            }
        } else if let Some(p) = caps.get(4) {
            let body = plain(p.as_str());
            if body.is_empty() {
                continue;
            }
            // A `<time>` gives the start of the monologue that follows it only.
            transcript.segments.push(Segment {
                start: time.take(),
                end: None,
                speaker: speaker.clone(),
                text: body,
                line,
                marks: Vec::new(),
            });
        }
    }
    transcript.with_text("no <p> paragraph found in the HTML transcript")
}

#[derive(Deserialize)]
struct JsonChapters {
    chapters: Vec<JsonChapter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonChapter {
    #[serde(default, deserialize_with = "lenient_json::number")]
    start_time: Option<f64>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    toc: Option<bool>,
}

/// Parses a Podcasting 2.0 JSON chapters file. Chapters hidden from the
/// table of contents (`toc: false`) or without a title are left out; the
/// result is sorted by start time.
pub fn parse_chapters_json(text: &str) -> Result<Vec<RawChapter>, FormatError> {
    let file: JsonChapters = lenient_json::read(text, "Podcasting 2.0 JSON chapters")?;
    let mut chapters = Vec::new();
    for (n, c) in file.chapters.into_iter().enumerate() {
        let Some(start) = c.start_time.and_then(from_seconds) else {
            return Err(FormatError::Malformed {
                format: "Podcasting 2.0 JSON chapters",
                message: format!("chapter {} has no valid `startTime`", n + 1),
            });
        };
        let title = c.title.map(|t| plain(&t)).unwrap_or_default();
        if c.toc == Some(false) || title.is_empty() {
            continue;
        }
        chapters.push(RawChapter {
            title,
            start: Some(start),
            links: c.url.into_iter().collect(),
        });
    }
    chapters.sort_by_key(|c| c.start);
    Ok(chapters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_words_merge_into_utterances() {
        let json = r#"{"version":"1.0.0","segments":[
            {"speaker":"Léa","startTime":0.5,"endTime":0.9,"body":"Bonjour"},
            {"speaker":"Léa","startTime":0.9,"endTime":1.2,"body":"à"},
            {"speaker":"Léa","startTime":1.2,"endTime":1.6,"body":"tous."},
            {"speaker":"Léa","startTime":1.7,"endTime":2.0,"body":"Aujourd'hui,"},
            {"speaker":"Léa","startTime":2.0,"endTime":2.4,"body":"l'IA"},
            {"speaker":"Hugo","startTime":2.6,"endTime":3.0,"body":"Super"},
            {"speaker":"Hugo","startTime":6.0,"body":"!"},
            {"startTime":"7","endTime":"7.5","body":"Fin"}
        ]}"#;
        let t = parse_json(json).unwrap();
        assert_eq!(
            t.rows(),
            [
                (Some("Léa"), Some(500), Some(1_600), "Bonjour à tous."),
                (Some("Léa"), Some(1_700), Some(2_400), "Aujourd'hui, l'IA"),
                (Some("Hugo"), Some(2_600), Some(3_000), "Super"),
                (Some("Hugo"), Some(6_000), None, "!"),
                (None, Some(7_000), Some(7_500), "Fin"),
            ]
        );
        // Every merged word keeps its time; the first of each utterance is its start.
        assert_eq!(
            t.marked_words(),
            [("à", 900), ("tous.", 1_200), ("l'IA", 2_000)]
        );
    }

    #[test]
    fn html_cite_time_p() {
        let html = "<html><head><title>Épisode 3</title></head><body>\n<cite>Léa :</cite>\n<time>0:00</time>\n<p>Bonjour, c&#39;est l&rsquo;émission.</p>\n<p>Deuxième<br>paragraphe.</p>\n<cite>Hugo:</cite>\n<time>1:02:03</time>\n<p>Merci !</p></body></html>";
        let t = parse_html(html).unwrap();
        assert_eq!(t.title.as_deref(), Some("Épisode 3"));
        assert_eq!(
            t.rows(),
            [
                (Some("Léa"), Some(0), None, "Bonjour, c'est l’émission."),
                (Some("Léa"), None, None, "Deuxième paragraphe."),
                (Some("Hugo"), Some(3_723_000), None, "Merci !"),
            ]
        );
        assert_eq!(t.segments[0].line, 4);
        assert_eq!(t.segments[2].line, 8);
    }

    #[test]
    fn chapters() {
        let json = r#"{"version":"1.2.0","chapters":[
            {"startTime":410.5,"title":"L'IA &amp; nous","url":"https://exemple.fr/ia"},
            {"startTime":0,"title":"Introduction"},
            {"startTime":500,"img":"x.png","toc":false,"title":"caché"},
            {"startTime":600}
        ]}"#;
        let c = parse_chapters_json(json).unwrap();
        assert_eq!(
            c,
            [
                RawChapter {
                    title: "Introduction".into(),
                    start: Some(0),
                    links: vec![]
                },
                RawChapter {
                    title: "L'IA & nous".into(),
                    start: Some(410_500),
                    links: vec!["https://exemple.fr/ia".into()]
                },
            ]
        );
    }

    #[test]
    fn malformed_inputs() {
        for (input, f) in [
            (
                "{",
                parse_chapters_json as fn(&str) -> Result<Vec<RawChapter>, FormatError>,
            ),
            (r#"{"version":"1"}"#, parse_chapters_json),
            (r#"{"chapters":[{"title":"x"}]}"#, parse_chapters_json),
        ] {
            assert!(
                matches!(f(input), Err(FormatError::Malformed { .. })),
                "{input}"
            );
        }
        assert!(matches!(
            parse_json("[]"),
            Err(FormatError::Malformed { .. })
        ));
        assert!(matches!(
            parse_json(r#"{"segments":[]}"#),
            Err(FormatError::NoText(_))
        ));
        assert!(matches!(
            parse_html("<div>rien</div>"),
            Err(FormatError::NoText(_))
        ));
    }
}
