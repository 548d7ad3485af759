//! WebVTT captions (`.vtt`): a lenient hand-written reader.
//!
//! Reads the header text (`WEBVTT - Titre`, yt-dlp's `Language: fr`), skips
//! NOTE, STYLE and REGION blocks, cue identifiers and cue settings, turns voice
//! spans (`<v Name>`, `<v.class Name>`) into speakers (several voices in a cue
//! give several segments), strips other tags and inline timestamps, decodes
//! character references. Speakers written in the text (`Name: text`, `[Alba]`,
//! dialogue dashes) are read after parsing, for every subtitle format, by
//! [`crate::formats::subtitle_speakers`]. yt-dlp's rolling auto-captions (each cue repeats the previous
//! line and adds words, with 10 ms "hold" cues in between) are de-duplicated so
//! each word appears once.
//!
//! Real files break the spec (whitespace-only lines, missing blank lines,
//! CRLF), so a timing line starts a cue wherever it appears.

use crate::formats::clean_input;
use crate::formats::markup::plain;
use crate::formats::timecode::parse_clock;
use crate::formats::{FormatError, Segment, Transcript};
use crate::model::{Diagnostic, Millis};

const FORMAT: &str = "WebVTT";

/// Cues shorter than this that only repeat text are yt-dlp's "hold" cues.
const HOLD_CUE_MS: Millis = 50;

/// One cue as written: times, raw payload lines and the line it starts on.
#[derive(Debug)]
struct Cue {
    start: Millis,
    end: Option<Millis>,
    payload: String,
    /// 1-based line of the first payload line.
    line: usize,
}

/// Parses a WebVTT file.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    let text = clean_input(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.first().copied().unwrap_or("");
    let Some(header) = header_text(first) else {
        return Err(malformed("the first line must start with `WEBVTT`"));
    };
    let mut transcript = Transcript::default();
    let title = header.trim_start_matches(['-', '–', ':', ' ', '\t']).trim();
    if !title.is_empty() {
        transcript.title = Some(title.to_string());
    }
    // Header lines (yt-dlp: `Kind: captions`, `Language: fr`) run to the first blank line.
    let mut i = 1;
    while let Some(line) = lines.get(i) {
        if line.trim().is_empty() || line.contains("-->") {
            break;
        }
        if let Some((key, value)) = line.split_once(':')
            && key.trim().eq_ignore_ascii_case("language")
            && !value.trim().is_empty()
        {
            transcript.language = Some(value.trim().to_string());
        }
        i += 1;
    }
    let cues = read_cues(&lines, i, &mut transcript.diagnostics);
    if cues.is_empty() {
        return Err(malformed(
            "no cue found (a cue starts with a line like `00:00:01.000 --> 00:00:04.000`)",
        ));
    }
    if is_rolling(&cues) {
        transcript.segments = deduplicate_rolling(&cues);
        transcript.diagnostics.push(Diagnostic::info(
            "rolling auto-captions (each cue repeats the previous line): repeated words were removed",
        ));
    } else {
        for cue in &cues {
            for (speaker, markup) in split_voices(&cue.payload) {
                let text = plain(&markup);
                if text.is_empty() {
                    continue;
                }
                transcript.segments.push(Segment {
                    start: Some(cue.start),
                    end: cue.end,
                    speaker,
                    text,
                    line: cue.line,
                    marks: Vec::new(),
                });
            }
        }
    }
    if transcript.segments.is_empty() {
        return Err(FormatError::NoText("every WebVTT cue is empty".into()));
    }
    Ok(transcript)
}

fn malformed(message: &str) -> FormatError {
    FormatError::Malformed {
        format: FORMAT,
        message: message.to_string(),
    }
}

/// The text after `WEBVTT` on the first line, if the line is a WebVTT signature.
fn header_text(first: &str) -> Option<&str> {
    let rest = first.strip_prefix("WEBVTT")?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some(rest)
}

/// Reads every cue after the header, skipping NOTE/STYLE/REGION blocks.
fn read_cues(lines: &[&str], from: usize, diagnostics: &mut Vec<Diagnostic>) -> Vec<Cue> {
    let mut cues = Vec::new();
    let mut i = from;
    while i < lines.len() {
        // Gather one block: consecutive non-empty lines.
        while lines.get(i).is_some_and(|l| l.is_empty()) {
            i += 1;
        }
        let start = i;
        while lines.get(i).is_some_and(|l| !l.is_empty()) {
            i += 1;
        }
        let block = lines.get(start..i).unwrap_or(&[]);
        if !block.is_empty() {
            read_block(block, start, &mut cues, diagnostics);
        }
    }
    cues
}

fn read_block(
    block: &[&str],
    offset: usize,
    cues: &mut Vec<Cue>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let timing_rows: Vec<usize> = block
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains("-->"))
        .map(|(n, _)| n)
        .collect();
    let Some(&first_timing) = timing_rows.first() else {
        let head = block.first().map(|l| l.trim_start()).unwrap_or("");
        let is_meta = ["NOTE", "STYLE", "REGION"].iter().any(|k| {
            head.strip_prefix(k)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        });
        if !is_meta {
            diagnostics
                .push(Diagnostic::warning("text outside any cue was ignored").at_line(offset + 1));
        }
        return;
    };
    let _ = first_timing; // Lines before the first timing line are a cue identifier.
    for (n, &row) in timing_rows.iter().enumerate() {
        let next = timing_rows.get(n + 1).copied().unwrap_or(block.len());
        let mut payload_end = next;
        // A block missing its blank line: the line before the next timing line,
        // after a whitespace-only line, is that cue's identifier.
        if next < block.len()
            && next >= row + 3
            && block.get(next - 2).is_some_and(|l| l.trim().is_empty())
        {
            payload_end = next - 1;
        }
        let line_no = offset + row + 1;
        let Some((start, end)) = block.get(row).and_then(|l| parse_timing(l)) else {
            diagnostics.push(
                Diagnostic::warning("unreadable cue timing line; cue skipped").at_line(line_no),
            );
            continue;
        };
        let end = if end < start {
            diagnostics.push(
                Diagnostic::warning("cue ends before it starts; end ignored").at_line(line_no),
            );
            None
        } else {
            Some(end)
        };
        let payload = block.get(row + 1..payload_end).unwrap_or(&[]).join("\n");
        cues.push(Cue {
            start,
            end,
            payload,
            line: line_no + 1,
        });
    }
}

/// `00:00:01.000 --> 00:00:04.000 align:start position:0%` -> (start, end).
pub(crate) fn parse_timing(line: &str) -> Option<(Millis, Millis)> {
    let (left, right) = line.split_once("-->")?;
    let start = parse_clock(left.trim())?;
    let end = parse_clock(right.split_whitespace().next()?)?;
    Some((start, end))
}

/// Splits a cue payload into voice spans: `(speaker, markup)` in order.
/// Text outside any voice span has no speaker.
fn split_voices(payload: &str) -> Vec<(Option<String>, String)> {
    let mut pieces = Vec::new();
    let mut speaker: Option<String> = None;
    let mut rest = payload;
    loop {
        let next_open = find_voice_open(rest);
        let next_close = rest.find("</v>");
        match (next_open, next_close) {
            (Some(open), close) if close.is_none_or(|c| open < c) => {
                let (before, from) = rest.split_at(open);
                pieces.push((speaker.take(), before.to_string()));
                let Some(tag_end) = from.find('>') else {
                    pieces.push((None, from.to_string()));
                    break;
                };
                let tag = from.get(2..tag_end).unwrap_or("");
                // `<v.loud Roger Bingham>`: skip the classes, keep the annotation.
                let annotation = tag
                    .split_once([' ', '\t'])
                    .map(|(_, a)| a.trim())
                    .unwrap_or("");
                speaker = (!annotation.is_empty())
                    .then(|| crate::formats::markup::decode_entities(annotation));
                rest = from.get(tag_end + 1..).unwrap_or("");
            }
            (_, Some(close)) => {
                let (before, from) = rest.split_at(close);
                pieces.push((speaker.take(), before.to_string()));
                rest = from.get(4..).unwrap_or("");
            }
            (_, None) => {
                pieces.push((speaker.take(), rest.to_string()));
                break;
            }
        }
    }
    pieces.retain(|(_, t)| !t.trim().is_empty());
    pieces
}

/// Byte offset of the next `<v` voice start tag (`<v `, `<v.`, `<v>`).
fn find_voice_open(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = s.get(from..).and_then(|r| r.find("<v")) {
        let at = from + pos;
        if s.get(at + 2..)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| matches!(c, ' ' | '\t' | '.' | '>'))
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The non-empty plain-text lines of a cue.
fn plain_lines(payload: &str) -> Vec<String> {
    payload
        .split('\n')
        .map(plain)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Whether the cues roll (each repeats the previous cue's last line), as
/// yt-dlp auto-captions do.
fn is_rolling(cues: &[Cue]) -> bool {
    if cues.len() < 3 {
        return false;
    }
    let lines: Vec<Vec<String>> = cues.iter().map(|c| plain_lines(&c.payload)).collect();
    let repeats = lines
        .windows(2)
        .filter(|w| match w {
            [a, b] => a.last().is_some_and(|last| b.first() == Some(last)),
            _ => false,
        })
        .count();
    let karaoke = cues.iter().any(|c| has_inline_timestamp(&c.payload));
    let pairs = cues.len() - 1;
    repeats * 2 >= pairs || (karaoke && repeats * 5 >= pairs)
}

fn has_inline_timestamp(payload: &str) -> bool {
    payload.match_indices('<').any(|(i, _)| {
        payload.get(i + 1..).is_some_and(|r| {
            let ts: String = r.chars().take_while(|&c| c != '>').collect();
            parse_clock(&ts).is_some()
        })
    })
}

/// Keeps each word once: a cue's words that repeat the end of what was already
/// emitted are dropped; hold cues (a few ms long) are skipped.
fn deduplicate_rolling(cues: &[Cue]) -> Vec<Segment> {
    let mut emitted: Vec<String> = Vec::new();
    let mut segments = Vec::new();
    for cue in cues {
        if cue
            .end
            .is_some_and(|end| end.saturating_sub(cue.start) < HOLD_CUE_MS)
        {
            continue;
        }
        let words: Vec<String> = plain_lines(&cue.payload)
            .iter()
            .flat_map(|l| l.split(' '))
            .map(str::to_string)
            .collect();
        let overlap = (0..=words.len().min(emitted.len()))
            .rev()
            .find(|&k| emitted.get(emitted.len() - k..) == words.get(..k))
            .unwrap_or(0);
        let new_words = words.get(overlap..).unwrap_or(&[]);
        if new_words.is_empty() {
            continue;
        }
        segments.push(Segment {
            start: Some(cue.start),
            end: cue.end,
            speaker: None,
            text: new_words.join(" "),
            line: cue.line,
            marks: Vec::new(),
        });
        emitted.extend(new_words.iter().cloned());
        // Only the tail can overlap with the next cue; keep memory bounded.
        if emitted.len() > 200 {
            emitted.drain(..emitted.len() - 100);
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_header_notes_entities() {
        let vtt = "\u{feff}WEBVTT - Épisode 12\r\nLanguage: fr\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\r\n\
NOTE transcrit par\r\nquelqu'un\r\n\r\nintro\r\n00:01.000 --> 00:04.500 align:start position:0%\r\n\
<v.hote Marie Dupont>Bonjour &amp; bienvenue, c&#39;est <i>l'émission</i>\r\n\r\n\
00:00:04.500 --> 00:00:06.000\r\n<v Luc>Merci.</v> <v Marie Dupont>De rien !</v>\r\n";
        let t = parse(vtt).unwrap();
        assert_eq!(t.title.as_deref(), Some("Épisode 12"));
        assert_eq!(t.language.as_deref(), Some("fr"));
        assert_eq!(
            t.rows(),
            [
                (
                    Some("Marie Dupont"),
                    Some(1_000),
                    Some(4_500),
                    "Bonjour & bienvenue, c'est l'émission"
                ),
                (Some("Luc"), Some(4_500), Some(6_000), "Merci."),
                (Some("Marie Dupont"), Some(4_500), Some(6_000), "De rien !"),
            ]
        );
        assert_eq!(t.segments[0].line, 12);
    }

    #[test]
    fn name_prefixes_without_voices() {
        let vtt = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nSarah: On commence.\n\n2\n00:00:02.000 --> 00:00:03.000\nAlex: D'accord.";
        let mut t = parse(vtt).unwrap();
        // The text keeps its prefixes until the shared step reads them.
        assert_eq!(t.segments[0].text, "Sarah: On commence.");
        crate::formats::subtitle_speakers::apply(crate::formats::Format::Webvtt, &mut t);
        assert_eq!(
            t.rows(),
            [
                (Some("Sarah"), Some(0), Some(2_000), "On commence."),
                (Some("Alex"), Some(2_000), Some(3_000), "D'accord.")
            ]
        );
    }

    #[test]
    fn rolling_auto_captions_keep_each_word_once() {
        let vtt = "WEBVTT\nKind: captions\nLanguage: fr\n\n\
00:00:00.000 --> 00:00:02.000 align:start position:0%\n \nbonjour<00:00:00.500><c> à</c><00:00:01.000><c> tous</c>\n\n\
00:00:02.000 --> 00:00:02.010 align:start position:0%\nbonjour à tous\n \n\n\
00:00:02.010 --> 00:00:04.000 align:start position:0%\nbonjour à tous\naujourd'hui<00:00:02.500><c> on</c><00:00:03.000><c> parle</c>\n\n\
00:00:04.000 --> 00:00:04.010 align:start position:0%\naujourd'hui on parle\n \n\n\
00:00:04.010 --> 00:00:06.000 align:start position:0%\naujourd'hui on parle\nd'IA<00:00:04.500><c> générative</c>\n";
        let t = parse(vtt).unwrap();
        assert_eq!(
            t.rows(),
            [
                (None, Some(0), Some(2_000), "bonjour à tous"),
                (None, Some(2_010), Some(4_000), "aujourd'hui on parle"),
                (None, Some(4_010), Some(6_000), "d'IA générative"),
            ]
        );
    }

    #[test]
    fn malformed_inputs() {
        for (input, want_malformed) in [
            ("", true),
            ("WEBVTTX\n\n00:00.000 --> 00:01.000\nx", true),
            ("WEBVTT\n\nNOTE rien\n", true),
            ("1\n00:00:01,000 --> 00:00:02,000\nsrt", true),
            ("WEBVTT\n\n00:00.000 --> 00:01.000\n<b></b>\n", false),
        ] {
            let err = parse(input).unwrap_err();
            assert_eq!(
                matches!(err, FormatError::Malformed { .. }),
                want_malformed,
                "{input:?}: {err}"
            );
        }
    }

    #[test]
    fn missing_blank_lines_and_bad_timings() {
        let vtt = "WEBVTT\n00:00.000 --> 00:01.000\nun\n \n2\n00:01.000 --> 00:02.000\ndeux\n\n00:0x --> 1\ntrois\n\n00:05.000 --> 00:04.000\nquatre";
        let t = parse(vtt).unwrap();
        let texts: Vec<&str> = t.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["un", "deux", "quatre"]);
        assert_eq!(t.segments[2].end, None);
        assert_eq!(
            t.diagnostics
                .iter()
                .filter(|d| d.severity == crate::model::Severity::Warning)
                .count(),
            2
        );
    }
}
