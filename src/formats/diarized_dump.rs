//! Layout (c): the text dump of a transcription + diarization script, one
//! speaker turn a line: `[0.03s - 106.50s] SPEAKER_02 :  text`.
//!
//! Typical of whisper + pyannote notebooks (`f"[{start:.2f}s - {end:.2f}s]
//! {speaker} : {text}"`). Turns can overlap and be long (a 100-second turn is
//! common); normalisation cuts them into passages. Lines that are not turns
//! continue the turn above (a heading before the first turn is ignored).

use super::{FormatError, Segment, Transcript};
use crate::model::{Diagnostic, Role, seconds};

/// The head of a turn line, `[12.3s - 15.0s] SPEAKER_00:`; its words follow.
/// (Matching the words too made the regex capture along every line.)
fn turn_regex() -> &'static regex::Regex {
    crate::text::static_regex!(
        r"^\[\s*(\d+(?:\.\d+)?)\s*s?\s*[-–]\s*(\d+(?:\.\d+)?)\s*s?\s*\]\s*([^:\]]+?)\s*:"
    )
}

/// Content score for detection: the share of lines that are turns.
pub fn sniff(text: &str) -> u32 {
    let (turns, total) = crate::formats::count_lines(text, |line| turn_regex().is_match(line));
    // A heading line or two must not sink a short dump.
    if turns == 0 {
        0
    } else {
        (turns * 100 / total.max(1)).max(if turns >= 3 { 60 } else { 0 })
    }
}

/// Parses a diarized dump.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    let mut t = Transcript::default();
    let mut labels: Vec<String> = Vec::new();
    let mut ignored_header = 0usize;
    let mut turns = 0usize;
    let lines: Vec<&str> = text.lines().collect();
    let footer = super::footer_start(&lines, 10).unwrap_or(lines.len());
    for (i, raw) in lines.iter().enumerate().take(footer) {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let Some(c) = turn_regex().captures(line) else {
            match t.segments.last_mut() {
                Some(last) if turns > 0 => {
                    last.text.push(' ');
                    last.text.push_str(line);
                }
                _ => ignored_header += 1,
            }
            continue;
        };
        turns += 1;
        let time = |i: usize| {
            c.get(i)
                .and_then(|m| m.as_str().parse::<f64>().ok())
                .and_then(seconds::from_seconds)
        };
        let (Some(start), Some(mut end)) = (time(1), time(2)) else {
            t.diagnostics
                .push(Diagnostic::warning("unreadable turn times").at_line(i + 1));
            continue;
        };
        if end < start {
            t.diagnostics.push(
                Diagnostic::warning("turn ends before it starts; end set to start").at_line(i + 1),
            );
            end = start;
        }
        let speaker = c
            .get(3)
            .map(|m| m.as_str().trim().to_string())
            .filter(|s| !s.is_empty());
        let text = c
            .get(0)
            .and_then(|head| line.get(head.end()..))
            .unwrap_or("")
            .trim();
        if text.is_empty() {
            continue;
        }
        if let Some(s) = &speaker
            && !labels.contains(s)
        {
            labels.push(s.clone());
        }
        t.segments.push(Segment {
            start: Some(start),
            end: Some(end),
            speaker,
            text: text.to_string(),
            line: i + 1,
            marks: Vec::new(),
        });
    }
    if ignored_header > 0 {
        t.diagnostics.push(Diagnostic::info(format!(
            "{ignored_header} line(s) before the first turn ignored"
        )));
    }
    if footer < lines.len() {
        t.diagnostics
            .push(Diagnostic::info("page footer removed").at_line(footer + 1));
    }
    if t.segments.is_empty() {
        return Err(FormatError::NoText(format!(
            "{turns} turn line(s) but no spoken text"
        )));
    }
    t.duration = t.segments.iter().filter_map(|s| s.end).max();
    t.participants = labels
        .into_iter()
        .map(|label| crate::model::Participant {
            name: label,
            role: Role::Unknown,
            affiliation: None,
            handle: None,
            aliases: Vec::new(),
        })
        .collect();
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_table() {
        let text = "**Transcriptions par locuteur**\n\n[0.03s - 106.50s] SPEAKER_02 :  Bonjour  à tous.\n[106.58s - 155.75s] SPEAKER_00 :  Merci.\nsuite\n[156.00s - 157.00s] Marie Dupont : Oui.\n[157.00s - 158.00s] SPEAKER_01 :\n";
        let t = parse(text).unwrap();
        let segs: Vec<_> = t
            .segments
            .iter()
            .map(|s| {
                (
                    s.start,
                    s.end,
                    s.speaker.as_deref(),
                    s.text.as_str(),
                    s.line,
                )
            })
            .collect();
        assert_eq!(
            segs,
            vec![
                (
                    Some(30),
                    Some(106_500),
                    Some("SPEAKER_02"),
                    "Bonjour  à tous.",
                    3
                ),
                (
                    Some(106_580),
                    Some(155_750),
                    Some("SPEAKER_00"),
                    "Merci. suite",
                    4
                ),
                (
                    Some(156_000),
                    Some(157_000),
                    Some("Marie Dupont"),
                    "Oui.",
                    6
                ),
            ]
        );
        assert_eq!(t.duration, Some(157_000));
        let names: Vec<_> = t.participants.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["SPEAKER_02", "SPEAKER_00", "Marie Dupont"]);
    }

    #[test]
    fn sniff_and_empty() {
        assert!(sniff("[0.0s - 1.0s] A : x\n") >= 50);
        assert_eq!(sniff("00:01 x\n"), 0);
        assert!(matches!(
            parse("[0.0s - 1.0s] A :\n"),
            Err(FormatError::NoText(_))
        ));
    }
}
