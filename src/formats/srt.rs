//! SubRip subtitles (`.srt`): a lenient hand-written reader.
//!
//! SRT has no formal spec, and real files deviate: `.` instead of `,` before
//! the milliseconds, 1 to 3 fractional digits, hours left out, BOM, CRLF, no
//! final blank line, numbering gaps, `<i>`/`<b>`/`<font>` tags and `{\an8}`
//! overrides. A timing line starts a cue wherever it appears; the counter line
//! before it is dropped. Speakers only exist in the text (`Sarah: …`,
//! `[SPEAKER_00]: …`, `[Alba] …`, dialogue dashes): they are read after
//! parsing, for every subtitle format, by [`crate::formats::subtitle_speakers`].

use crate::formats::clean_input;
use crate::formats::markup::plain;
use crate::formats::webvtt::parse_timing;
use crate::formats::{FormatError, Segment, Transcript};
use crate::model::Diagnostic;

const FORMAT: &str = "SRT";

/// Parses an SRT file.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    let text = clean_input(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let timing_rows: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains("-->"))
        .map(|(n, _)| n)
        .collect();
    let Some(&first) = timing_rows.first() else {
        return Err(malformed(
            "no cue found (a cue has a line like `00:00:01,000 --> 00:00:04,000`)",
        ));
    };
    if let Some((n, line)) = lines
        .iter()
        .enumerate()
        .take(first)
        .find(|(_, l)| !l.trim().is_empty() && !is_counter(l))
    {
        return Err(malformed(&format!(
            "line {} is neither a cue number nor a timing line: {:?}",
            n + 1,
            line.chars().take(60).collect::<String>()
        )));
    }
    let mut transcript = Transcript::default();
    for (n, &row) in timing_rows.iter().enumerate() {
        let next = timing_rows.get(n + 1).copied();
        let mut end_row = next.unwrap_or(lines.len());
        if next.is_some()
            && end_row > row + 1
            && lines.get(end_row - 1).is_some_and(|l| is_counter(l))
        {
            end_row -= 1;
        }
        let Some((start, end)) = lines.get(row).and_then(|l| parse_timing(l)) else {
            transcript.diagnostics.push(
                Diagnostic::warning("unreadable cue timing line; cue skipped").at_line(row + 1),
            );
            continue;
        };
        let end = if end < start {
            transcript.diagnostics.push(
                Diagnostic::warning("cue ends before it starts; end ignored").at_line(row + 1),
            );
            None
        } else {
            Some(end)
        };
        let payload = lines.get(row + 1..end_row).unwrap_or(&[]).join("\n");
        let text = plain(&payload);
        if text.is_empty() {
            continue;
        }
        transcript.segments.push(Segment {
            start: Some(start),
            end,
            speaker: None,
            text,
            line: row + 2,
            marks: Vec::new(),
        });
    }
    if transcript.segments.is_empty() {
        return Err(FormatError::NoText(
            "every SRT cue is empty or unreadable".into(),
        ));
    }
    Ok(transcript)
}

fn malformed(message: &str) -> FormatError {
    FormatError::Malformed {
        format: FORMAT,
        message: message.to_string(),
    }
}

fn is_counter(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses, then reads the speakers in the text as [`crate::formats::parse`] does.
    fn parse_with_speakers(text: &str) -> Result<Transcript, FormatError> {
        let mut t = parse(text)?;
        crate::formats::subtitle_speakers::apply(crate::formats::Format::Srt, &mut t);
        Ok(t)
    }

    #[test]
    fn variants_of_the_same_cues() {
        let want = [
            (Some("Léa"), Some(1_000), Some(2_500), "Bonjour à tous,"),
            (Some("Léa"), Some(2_500), Some(4_000), "on parle d'IA."),
            (Some("Hugo"), Some(4_000), Some(5_200), "Oui, en effet."),
        ];
        for input in [
            "1\n00:00:01,000 --> 00:00:02,500\nLéa: Bonjour à tous,\n\n2\n00:00:02,500 --> 00:00:04,000\non parle d'IA.\n\n3\n00:00:04,000 --> 00:00:05,200\nHugo: Oui, en effet.\n",
            "\u{feff}1\r\n00:00:01.000 --> 00:00:02.500\r\n<i>Léa:</i> Bonjour à tous,\r\n\r\n7\r\n00:00:02.5 --> 00:00:04.00\r\non parle d'IA.\r\n\r\n8\r\n00:04,000 --> 00:05,200\r\n{\\an8}Hugo: Oui, en effet.",
            "1\n00:00:01,000 --> 00:00:02,500 X1:10 X2:20\nLéa: Bonjour\nà tous,\n2\n00:00:02,500 --> 00:00:04,000\non parle d'IA.\n3\n00:00:04,000 --> 00:00:05,200\n<font color=\"#fff\">Hugo: Oui, en effet.</font>",
        ] {
            let t = parse_with_speakers(input).unwrap();
            assert_eq!(t.rows(), want, "{input:?}");
        }
    }

    #[test]
    fn whisperx_labels_and_note_text() {
        let srt = "1\n00:00:00,000 --> 00:00:01,000\n[SPEAKER_00]: Note: c'est important.\n\n2\n00:00:01,000 --> 00:00:02,000\nNote: ce n'est pas un nom.\n";
        let t = parse_with_speakers(srt).unwrap();
        assert_eq!(t.segments[0].speaker.as_deref(), Some("SPEAKER_00"));
        assert_eq!(t.segments[0].text, "Note: c'est important.");
        assert_eq!(t.segments[1].text, "Note: ce n'est pas un nom.");
    }

    #[test]
    fn malformed_inputs() {
        for input in [
            "",
            "bonjour\n",
            "WEBVTT\n\n00:00.000 --> 00:01.000\nx",
            "1\n00:00:01,000 --> 00:00:02,000\n\n",
        ] {
            assert!(parse(input).is_err(), "{input:?}");
        }
        let err = parse("titre\n1\n00:00:01,000 --> 00:00:02,000\nx").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
