//! Detection of the standard transcript formats (WebVTT, SRT, Podcasting 2.0,
//! Whisper family, YouTube, TTML, SAMI) and of the companion files that describe a
//! transcript (`NAME.meta.toml`, `NAME.chapters.json`, RTTM, RSS feeds).
//!
//! Content decides, in the order of [`detect_extended`]: WebVTT, SRT, SBV,
//! YouTube timedtext XML (by its root element), the JSON exports (told apart
//! by their keys), TTML (a `<tt>` root in the TTML namespace), SAMI, then
//! Podcasting 2.0 HTML; an explicit extension (`.vtt`, `.srt`, `.sbv`,
//! `.ttml`, `.dfxp`, `.smi`, `.sami`, `.html`) wins so that a broken file is
//! reported as a broken VTT rather than as unknown. An XML file is a feed
//! only when its root element is `<rss>` (or its extension `.rss`): any
//! other `.xml` goes through transcript detection like a `.txt`.
//! The seed layouts (podcast page, caption lines, diarized dump) are detected
//! elsewhere, after these.

use crate::formats::clean_input;
use crate::formats::markup::xml_root;
use crate::formats::{Format, FormatError, Transcript};
use crate::formats::{podcasting20, sami, sbv, srt, ttml, webvtt, whisper, youtube, youtube_xml};
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// A file that is not a transcript but says something about one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Companion {
    /// `NAME.meta.toml`: metadata, participants and speaker names.
    Sidecar,
    /// Podcasting 2.0 JSON chapters (`NAME.chapters.json`).
    Chapters,
    /// Diarization turns (RTTM or pyannote print dump).
    Rttm,
    /// An RSS feed whose items describe transcripts.
    Feed,
}

impl Companion {
    pub fn name(self) -> &'static str {
        match self {
            Companion::Sidecar => "meta_toml",
            Companion::Chapters => "podcasting20_chapters",
            Companion::Rttm => "rttm",
            Companion::Feed => "rss",
        }
    }
}

static SRT_START: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*\d+\s*\n\s*(\d+:)?\d{1,2}:\d\d[,.]\d{1,3}\s*-->").ok());

fn extension(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default()
}

enum JsonKind {
    Transcript(Format),
    Chapters,
}

fn has(v: &Value, key: &str) -> bool {
    v.get(key).is_some()
}

/// Which JSON layout a parsed document is.
fn classify_json(v: &Value) -> Option<JsonKind> {
    let whisper_kind = |segments: &[Value], root: &Value| {
        let speakers = segments.iter().take(200).any(|s| {
            has(s, "speaker")
                || s.get("words").and_then(Value::as_array).is_some_and(|w| {
                    w.iter()
                        .take(50)
                        .any(|w| has(w, "speaker") || has(w, "score"))
                })
        });
        if speakers || has(root, "word_segments") {
            Format::WhisperxJson
        } else {
            Format::WhisperJson
        }
    };
    match v {
        Value::Object(_) => {
            if let Some(segments) = v.get("segments").and_then(Value::as_array) {
                let first = segments.first();
                if first.is_some_and(|s| has(s, "startTime") || has(s, "body")) {
                    return Some(JsonKind::Transcript(Format::Podcasting20Json));
                }
                if first.is_none_or(|s| has(s, "start") || has(s, "text")) {
                    return Some(JsonKind::Transcript(whisper_kind(segments, v)));
                }
                return None;
            }
            if v.get("chapters").is_some_and(Value::is_array) {
                return Some(JsonKind::Chapters);
            }
            if v.get("transcription").is_some_and(Value::is_array) {
                return Some(JsonKind::Transcript(Format::WhisperCppJson));
            }
            if v.get("events").is_some_and(Value::is_array) {
                return Some(JsonKind::Transcript(Format::YoutubeJson3));
            }
            None
        }
        Value::Array(items) => {
            let first = items.first()?;
            if has(first, "text")
                && has(first, "start")
                && has(first, "duration")
                && !has(first, "end")
            {
                Some(JsonKind::Transcript(Format::YoutubeTranscriptApi))
            } else if has(first, "start") && has(first, "end") && has(first, "text") {
                Some(JsonKind::Transcript(whisper_kind(items, &Value::Null)))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn parse_json_value(text: &str) -> Option<Value> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    serde_json::from_str(t).ok()
}

/// The standard transcript format of a file, if it is one.
pub fn detect_extended(file_name: &str, text: &str) -> Option<Format> {
    let cleaned = clean_input(text);
    let t = cleaned.trim_start_matches([' ', '\t', '\n']);
    let ext = extension(file_name);
    if t.strip_prefix("WEBVTT")
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\n']))
        || ext == "vtt"
    {
        return Some(Format::Webvtt);
    }
    if ext == "srt" || SRT_START.as_ref().is_some_and(|re| re.is_match(&cleaned)) {
        return Some(Format::Srt);
    }
    // Before the seed layouts see it: an SBV time line starts like `0:00:00`,
    // and its file must never be read as `12:34 text` caption lines.
    if ext == "sbv" || sbv::sniff(&cleaned) {
        return Some(Format::Sbv);
    }
    if matches!(xml_root(t), Some("transcript" | "timedtext")) {
        return Some(Format::YoutubeXml);
    }
    if let Some(v) = parse_json_value(t) {
        return match classify_json(&v) {
            Some(JsonKind::Transcript(f)) => Some(f),
            _ => None,
        };
    }
    if matches!(ext.as_str(), "ttml" | "dfxp") || ttml::sniff(t) {
        return Some(Format::Ttml);
    }
    if matches!(ext.as_str(), "smi" | "sami") || sami::sniff(t) {
        return Some(Format::Sami);
    }
    // Only markup is looked at further (lowercasing the head of every
    // plain-text transcript cost a percent of indexing).
    let html_like = t.starts_with('<') || matches!(ext.as_str(), "html" | "htm");
    if !html_like {
        return None;
    }
    let head: String = t.chars().take(200_000).collect::<String>().to_lowercase();
    if head.contains("<p") && (head.contains("<cite") || head.contains("<time")) {
        return Some(Format::Podcasting20Html);
    }
    if matches!(ext.as_str(), "html" | "htm") {
        return Some(Format::Podcasting20Html);
    }
    None
}

/// The kind of companion file, if this is one.
pub fn detect_companion(file_name: &str, text: &str) -> Option<Companion> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".meta.toml") {
        return Some(Companion::Sidecar);
    }
    if lower.ends_with(".chapters.json") {
        return Some(Companion::Chapters);
    }
    let ext = extension(file_name);
    if ext == "rttm" {
        return Some(Companion::Rttm);
    }
    let cleaned = clean_input(text);
    let t = cleaned.trim_start();
    if let Some(v) = parse_json_value(t) {
        return matches!(classify_json(&v), Some(JsonKind::Chapters))
            .then_some(Companion::Chapters);
    }
    let first_line = t.lines().next().unwrap_or("");
    if first_line.starts_with("SPEAKER ")
        || (first_line.starts_with("start=") && first_line.contains(" stop="))
    {
        return Some(Companion::Rttm);
    }
    // A feed by its root element, not by its extension: an `.xml` file may
    // be a transcript (YouTube timedtext, TTML) or nothing verbatim reads,
    // and must then not be reported as a broken feed.
    if ext == "rss" || xml_root(t) == Some("rss") {
        return Some(Companion::Feed);
    }
    None
}

/// Parses a file in one of the standard formats; `None` for the seed layouts,
/// which have their own parsers.
pub fn parse_extended(format: Format, text: &str) -> Option<Result<Transcript, FormatError>> {
    Some(match format {
        Format::Webvtt => webvtt::parse(text),
        Format::Srt => srt::parse(text),
        Format::Podcasting20Json => podcasting20::parse_json(text),
        Format::Podcasting20Html => podcasting20::parse_html(text),
        Format::WhisperJson | Format::WhisperxJson => whisper::parse(text),
        Format::WhisperCppJson => whisper::parse_cpp(text),
        Format::YoutubeJson3 => youtube::parse_json3(text),
        Format::YoutubeTranscriptApi => youtube::parse_transcript_api(text),
        Format::Ttml => ttml::parse(text),
        Format::Sami => sami::parse(text),
        Format::YoutubeXml => youtube_xml::parse(text),
        Format::Sbv => sbv::parse(text),
        Format::PodcastPage | Format::CaptionLines | Format::DiarizedDump => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_table() {
        for (name, text, want) in [
            (
                "a.txt",
                "\u{feff}WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\nx",
                Some(Format::Webvtt),
            ),
            ("a.txt", "WEBVTT - Titre\n", Some(Format::Webvtt)),
            ("a.vtt", "garbage", Some(Format::Webvtt)),
            ("a.txt", "WEBVTTX", None),
            (
                "a.txt",
                "1\r\n00:00:01,000 --> 00:00:02,000\r\nx",
                Some(Format::Srt),
            ),
            (
                "a.txt",
                "\u{feff}1\n00:01.5 --> 00:02.5\nx",
                Some(Format::Srt),
            ),
            ("a.srt", "garbage", Some(Format::Srt)),
            (
                "a.json",
                r#"{"version":"1.0.0","segments":[{"startTime":0.5,"body":"x"}]}"#,
                Some(Format::Podcasting20Json),
            ),
            (
                "a.json",
                r#"{"text":"x","segments":[{"id":0,"start":0,"end":1,"text":"x"}],"language":"fr"}"#,
                Some(Format::WhisperJson),
            ),
            (
                "a.json",
                r#"[{"id":0,"start":0,"end":1,"text":"x"}]"#,
                Some(Format::WhisperJson),
            ),
            (
                "a.json",
                r#"{"segments":[{"start":0,"end":1,"text":"x","speaker":"SPEAKER_00"}]}"#,
                Some(Format::WhisperxJson),
            ),
            (
                "a.json",
                r#"{"segments":[{"start":0,"end":1,"text":"x","words":[{"word":"x","score":0.5}]}],"word_segments":[]}"#,
                Some(Format::WhisperxJson),
            ),
            (
                "a.json",
                r#"{"transcription":[{"offsets":{"from":0,"to":1},"text":"x"}]}"#,
                Some(Format::WhisperCppJson),
            ),
            (
                "a.json",
                r#"{"wireMagic":"pb3","events":[{"tStartMs":0,"segs":[{"utf8":"x"}]}]}"#,
                Some(Format::YoutubeJson3),
            ),
            (
                "a.json",
                r#"[{"text":"x","start":0.5,"duration":1.0}]"#,
                Some(Format::YoutubeTranscriptApi),
            ),
            (
                "a.json",
                r#"{"version":"1.2.0","chapters":[{"startTime":0}]}"#,
                None,
            ),
            ("a.json", r#"{"foo":1}"#, None),
            (
                "a.html",
                "<html><cite>Léa:</cite><time>0:00</time><p>x</p></html>",
                Some(Format::Podcasting20Html),
            ),
            (
                "a.txt",
                "<div><cite>Léa:</cite><p>x</p></div>",
                Some(Format::Podcasting20Html),
            ),
            (
                "a.xml",
                "<?xml version=\"1.0\"?>\n<tt xmlns=\"http://www.w3.org/ns/ttml\"><body/></tt>",
                Some(Format::Ttml),
            ),
            (
                "a.txt",
                "<tt xmlns=\"http://www.w3.org/2006/10/ttaf1\"><body><div><p><time>",
                Some(Format::Ttml),
            ),
            ("a.xml", "<tt><body/></tt>", None),
            ("a.xml", "<?xml version=\"1.0\"?><rss/>", None),
            ("a.dfxp", "garbage", Some(Format::Ttml)),
            ("a.ttml", "garbage", Some(Format::Ttml)),
            (
                "a.txt",
                "<SAMI>\n<BODY><SYNC Start=0><P Class=ENCC>x",
                Some(Format::Sami),
            ),
            ("a.smi", "garbage", Some(Format::Sami)),
            (
                "a.txt",
                "0:00:00.378,0:00:11.378\nBonjour\n",
                Some(Format::Sbv),
            ),
            ("a.sbv", "garbage", Some(Format::Sbv)),
            (
                "a.xml",
                "<?xml version=\"1.0\"?><transcript><text start=\"1\">x</text></transcript>",
                Some(Format::YoutubeXml),
            ),
            (
                "a",
                "<timedtext format=\"3\"><body><p t=\"1\">x</p></body></timedtext>",
                Some(Format::YoutubeXml),
            ),
            ("a.xml", "<config><a/></config>", None),
            ("a.txt", "[0.03s - 106.50s] SPEAKER_02 :  Bonjour", None),
            ("a.txt", "00:01Tech & Co, bonjour", None),
            ("a.txt", "Date de sortie: 19/11/2024", None),
        ] {
            assert_eq!(detect_extended(name, text), want, "{name}: {text:?}");
        }
    }

    #[test]
    fn companions() {
        for (name, text, want) in [
            ("ep.meta.toml", "title = \"x\"", Some(Companion::Sidecar)),
            ("ep.chapters.json", "{}", Some(Companion::Chapters)),
            (
                "chap.json",
                r#"{"version":"1.2.0","chapters":[]}"#,
                Some(Companion::Chapters),
            ),
            ("ep.rttm", "", Some(Companion::Rttm)),
            (
                "ep.txt",
                "SPEAKER ep 1 0.0 1.0 <NA> <NA> S0 <NA> <NA>\n",
                Some(Companion::Rttm),
            ),
            (
                "ep.txt",
                "start=0.2s stop=1.5s speaker_SPEAKER_00\n",
                Some(Companion::Rttm),
            ),
            ("feed.xml", "<rss/>", Some(Companion::Feed)),
            (
                "flux",
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>",
                Some(Companion::Feed),
            ),
            (
                "captions.xml",
                "<?xml version=\"1.0\"?>\n<tt xmlns=\"http://www.w3.org/ns/ttml\"/>",
                None,
            ),
            (
                "feed.xml",
                "<?xml version=\"1.0\"?>\n<!-- <transcript> -->\n<rss><channel>",
                Some(Companion::Feed),
            ),
            ("feed.rss", "pas encore écrit", Some(Companion::Feed)),
            (
                "yt.xml",
                "<transcript><text start=\"1\">x</text></transcript>",
                None,
            ),
            ("x.xml", "<config><a/></config>", None),
            ("x.xml", "<rsslike/>", None),
            ("ep.vtt", "WEBVTT", None),
            ("ep.json", r#"{"segments":[]}"#, None),
        ] {
            assert_eq!(detect_companion(name, text), want, "{name}");
        }
    }
}
