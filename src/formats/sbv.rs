//! SubViewer-style captions as YouTube Studio downloads them (`.sbv`).
//!
//! ```text
//! 0:00:00.378,0:00:11.378        <- start,end as h:mm:ss.mmm
//! Bonjour à tous,                <- one or more text lines
//! bienvenue.
//!                                <- a blank line ends the block
//! 0:00:11.378,0:00:14.100
//! ```
//!
//! The first line of every block is its time line. A block whose first line
//! is not a readable time line is skipped with a warning naming that line:
//! its text cannot be placed in time, and the timing text must never end up
//! in a quote. Speakers only exist as text prefixes, as in SRT.

use crate::formats::clean_input;
use crate::formats::markup::plain;
use crate::formats::timecode::parse_clock;
use crate::formats::{FormatError, Segment, Transcript};
use crate::model::{Diagnostic, Millis};

/// Whether a (trimmed) line is an SBV time line: `0:00:00.378,0:00:11.378`.
/// Strict enough that no caption text and no `12:34 text` line matches it;
/// detection and the seed-layout sniffers rely on that.
pub fn is_time_line(line: &str) -> bool {
    let re = crate::text::static_regex!(
        r"^\d{1,3}:\d{2}:\d{2}\.\d{1,3}\s*,\s*\d{1,3}:\d{2}:\d{2}\.\d{1,3}$"
    );
    re.is_match(line.trim())
}

/// Content score for detection: the first non-empty line is a time line, or
/// time lines are at least a quarter of the lines (SBV blocks are two or
/// three lines long) and there are two of them. The second form still claims
/// a file whose first time line is damaged.
pub fn sniff(text: &str) -> bool {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    if first.is_some_and(is_time_line) {
        return true;
    }
    let (timed, total) = crate::formats::count_lines(text, is_time_line);
    timed >= 2 && timed * 4 >= total
}

/// Start and end of a time line; `None` when it is not one.
fn parse_time_line(line: &str) -> Option<(Millis, Millis)> {
    if !is_time_line(line) {
        return None;
    }
    let (start, end) = line.trim().split_once(',')?;
    Some((parse_clock(start)?, parse_clock(end)?))
}

/// Parses an SBV file. Good blocks are kept whatever the bad ones hold.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    let text = clean_input(text);
    let mut transcript = Transcript::default();
    let mut skipped = 0usize;
    for block in blocks(&text) {
        let Some(&(time_row, time_line)) = block.first() else {
            continue;
        };
        let Some((start, end)) = parse_time_line(time_line) else {
            skipped += 1;
            transcript.diagnostics.push(
                Diagnostic::warning(format!(
                    "block skipped: its first line is not a time line like `0:00:01.000,0:00:04.000`: {:?}",
                    time_line.trim().chars().take(60).collect::<String>()
                ))
                .at_line(time_row + 1),
            );
            continue;
        };
        let end = if end < start {
            transcript.diagnostics.push(
                Diagnostic::warning("caption ends before it starts; end ignored")
                    .at_line(time_row + 1),
            );
            None
        } else {
            Some(end)
        };
        let payload: Vec<&str> = block.iter().skip(1).map(|(_, l)| *l).collect();
        let text = plain(&payload.join("\n"));
        if text.is_empty() {
            continue;
        }
        transcript.segments.push(Segment {
            start: Some(start),
            end,
            speaker: None,
            text,
            line: time_row + 2,
            marks: Vec::new(),
        });
    }
    if transcript.segments.is_empty() {
        return Err(if skipped > 0 {
            FormatError::Malformed {
                format: "SBV",
                message: format!(
                    "no readable time line ({skipped} block(s) start with something else)"
                ),
            }
        } else {
            FormatError::NoText("every SBV caption is empty".into())
        });
    }
    Ok(transcript)
}

/// The blocks of the file: runs of non-blank lines, each line with its
/// 0-based row. A time line directly after a text line (a missing blank
/// line) also starts a block.
fn blocks(text: &str) -> Vec<Vec<(usize, &str)>> {
    let mut out: Vec<Vec<(usize, &str)>> = Vec::new();
    let mut current: Vec<(usize, &str)> = Vec::new();
    for (row, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() && is_time_line(line) {
            out.push(std::mem::take(&mut current));
        }
        current.push((row, line));
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_lines() {
        for (line, want) in [
            ("0:00:00.378,0:00:11.378", Some((378, 11_378))),
            (" 1:02:03.5 , 1:02:04.25 ", Some((3_723_500, 3_724_250))),
            ("0:00:00.378,0:00:11", None),
            ("00:01 Bonjour", None),
            ("0:00:0x.378,0:00:11.378", None),
            ("0:61:00.000,0:62:00.000", None),
        ] {
            assert_eq!(parse_time_line(line), want, "{line}");
        }
    }

    #[test]
    fn blocks_with_a_bad_time_line_are_skipped_and_named() {
        let text = "0:00:00.378,0:00:11.378\nLéa: Bonjour à tous,\nbienvenue.\n\n0:00:1x.378,0:00:12.305\nperdu\n\n0:00:12.305,0:00:14.000\nHugo: Merci.\n";
        let t = parse(text).unwrap();
        // Name prefixes are read after parsing, for every subtitle format
        // (`subtitle_speakers`): the parser keeps them in the text.
        assert_eq!(
            t.rows(),
            [
                (
                    None,
                    Some(378),
                    Some(11_378),
                    "Léa: Bonjour à tous, bienvenue."
                ),
                (None, Some(12_305), Some(14_000), "Hugo: Merci."),
            ]
        );
        assert_eq!(t.diagnostics.len(), 1);
        assert_eq!(t.diagnostics[0].line, Some(5));
        assert!(t.diagnostics[0].message.contains("0:00:1x.378"));
        assert!(t.segments.iter().all(|s| !s.text.contains(".378")));
    }

    #[test]
    fn sniffing() {
        assert!(sniff("\n0:00:00.378,0:00:11.378\nx\n"));
        assert!(sniff(
            "0:00:0x.378,0:00:11.378\nx\n\n0:00:11.378,0:00:12.000\ny\n\n0:00:12.000,0:00:13.000\nz\n"
        ));
        assert!(!sniff("00:01 Bonjour\n00:02 Suite\n"));
    }

    #[test]
    fn malformed_inputs() {
        assert!(matches!(parse(""), Err(FormatError::NoText(_))));
        assert!(matches!(
            parse("bonjour\n\nsuite\n"),
            Err(FormatError::Malformed { .. })
        ));
        assert!(matches!(
            parse("0:00:00.000,0:00:01.000\n\n"),
            Err(FormatError::NoText(_))
        ));
        let t = parse("0:00:05.000,0:00:01.000\nà l'envers\n").unwrap();
        assert_eq!(t.segments[0].end, None);
    }
}
