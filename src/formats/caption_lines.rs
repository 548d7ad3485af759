//! Layouts (b) and (d): a video page whose captions are lines starting with a
//! timestamp, glued to the text (`12:34Bonjour`) or followed by a space
//! (`12:34 Bonjour`).
//!
//! ```text
//! Ce mardi 3 février, François Sorel a reçu …   <- page header: description
//! Catégorie / 📺 / TVTranscription               <- page chrome, ignored
//! 00:01Tech & Co, la quotidienne, …              <- captions
//! 22:04200 000 satellites,                       <- 22:04 + "200 000 satellites,"
//! Commentaires                                   <- page footer, dropped
//! ```
//!
//! Seconds always have two digits, so `10:1530 euros` is 10:15 and
//! "30 euros". After an hour lines switch from `MM:SS` to `H:MM:SS`; the hour
//! form is tried first and kept only when times still grow. A caption has no
//! end time: it ends where the next begins (filled in by normalisation).

use super::credits;
use super::{FormatError, Segment, Transcript};
use crate::model::{Diagnostic, Millis};
use chrono::NaiveDate;

/// Header lines with at least this many words are the description.
const DESCRIPTION_MIN_WORDS: usize = 8;

/// Content score for detection: the share of lines that start with a timestamp.
/// An SBV time line (`0:00:00.378,0:00:11.378`) also starts with one, but is
/// not a caption line: a file with any is not this layout (taking it would
/// turn SBV timing, and a damaged time line's digits, into caption text).
pub fn sniff(text: &str) -> u32 {
    let (sbv_time_lines, _) = crate::formats::count_lines(text, super::sbv::is_time_line);
    if sbv_time_lines > 0 {
        return 0;
    }
    let (timed, total) = crate::formats::count_lines(text, |line| leading_time(line, 0).is_some());
    if timed == 0 {
        0
    } else {
        timed * 100 / total.max(1)
    }
}

/// Parses caption lines, dating yearless dates from today.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    parse_with(text, crate::formats::dates::today())
}

/// Parses caption lines; `today` dates yearless dates in the page header.
pub fn parse_with(text: &str, today: NaiveDate) -> Result<Transcript, FormatError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut t = Transcript::default();
    let mut header: Vec<&str> = Vec::new();
    let mut pending_footer: Vec<(usize, &str)> = Vec::new();
    let mut prev: Millis = 0;
    let mut timestamps = 0usize;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some((ms, rest)) = leading_time(line, prev) {
            timestamps += 1;
            if ms < prev {
                t.diagnostics.push(
                    Diagnostic::warning(format!(
                        "time goes back from {} to {}",
                        crate::model::format_timestamp(prev),
                        crate::model::format_timestamp(ms)
                    ))
                    .at_line(i + 1),
                );
            }
            prev = ms;
            // Lines between two captions that were not a footer continue the caption before.
            flush_continuations(&mut t, &mut pending_footer);
            let text = rest.trim();
            if !text.is_empty() {
                t.segments.push(Segment {
                    start: Some(ms),
                    end: None,
                    speaker: None,
                    text: text.to_string(),
                    line: i + 1,
                    marks: Vec::new(),
                });
            }
        } else if timestamps == 0 {
            header.push(line);
        } else {
            pending_footer.push((i + 1, line));
        }
    }
    // After the last caption: lines up to the first footer marker continue it, the rest is the page.
    if let Some(cut) = pending_footer
        .iter()
        .position(|(_, l)| super::is_footer_marker(l))
    {
        let dropped = pending_footer.split_off(cut);
        if let Some((line, _)) = dropped.first() {
            t.diagnostics.push(
                Diagnostic::info(format!("page footer removed ({} lines)", dropped.len()))
                    .at_line(*line),
            );
        }
    }
    flush_continuations(&mut t, &mut pending_footer);

    if t.segments.is_empty() {
        return Err(if timestamps > 0 {
            FormatError::NoText(format!(
                "{timestamps} timestamp line(s) but no caption text"
            ))
        } else {
            FormatError::NoText("no caption line".into())
        });
    }
    let description: Vec<&str> = header
        .iter()
        .copied()
        .filter(|l| l.split_whitespace().count() >= DESCRIPTION_MIN_WORDS)
        .collect();
    if !description.is_empty() {
        let description = description.join("\n");
        let c = credits::from_description(&description, today);
        t.show = c.show;
        t.published = c.published;
        t.recorded = c.recorded;
        t.participants = c.participants;
        t.description = Some(description);
    }
    Ok(t)
}

fn flush_continuations(t: &mut Transcript, pending: &mut Vec<(usize, &str)>) {
    for (_, line) in pending.drain(..) {
        if let Some(last) = t.segments.last_mut() {
            last.text.push(' ');
            last.text.push_str(line);
        }
    }
}

/// The timestamp at the start of a caption line, and the text after it.
///
/// `H:MM:SS` is preferred when it keeps times growing from `prev`; otherwise
/// `MM:SS` (minutes may exceed 59 on pages that never show hours).
pub fn leading_time(line: &str, prev: Millis) -> Option<(Millis, &str)> {
    let hms = crate::text::static_regex!(r"^(\d{1,2}):([0-5]\d):([0-5]\d)");
    let ms_form = crate::text::static_regex!(r"^(\d{1,3}):([0-5]\d)");
    let num = |c: &regex::Captures, i: usize| -> Option<u64> { c.get(i)?.as_str().parse().ok() };
    let long = hms.captures(line).and_then(|c| {
        let t = ((num(&c, 1)? * 60 + num(&c, 2)?) * 60 + num(&c, 3)?) * 1000;
        Some((t, line.get(c.get(0)?.end()..)?))
    });
    let short = ms_form.captures(line).and_then(|c| {
        let t = (num(&c, 1)? * 60 + num(&c, 2)?) * 1000;
        Some((t, line.get(c.get(0)?.end()..)?))
    });
    match (long, short) {
        (Some(l), Some(s)) => Some(if l.0 >= prev || s.0 < prev { l } else { s }),
        (l, s) => l.or(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_table() {
        for (line, prev, want) in [
            ("00:01Tech & Co", 0, Some((1_000, "Tech & Co"))),
            ("12:34 Bonjour", 0, Some((754_000, " Bonjour"))),
            ("10:1530 euros", 0, Some((615_000, "30 euros"))),
            (
                "22:04200 000 satellites,",
                0,
                Some((1_324_000, "200 000 satellites,")),
            ),
            (
                "1:02:03Après une heure",
                3_600_000,
                Some((3_723_000, "Après une heure")),
            ),
            ("01:02:03 mot", 0, Some((3_723_000, " mot"))),
            ("75:30 long", 0, Some((4_530_000, " long"))),
            ("12:99 pas une heure", 0, None),
            ("Bonjour", 0, None),
        ] {
            assert_eq!(leading_time(line, prev), want, "{line}");
        }
    }

    #[test]
    fn parses_header_captions_and_footer() {
        let text = "- il y a 2 heures\nCe mardi 3 février, Jean Dupont a reçu Marie Curie, physicienne, dans l'émission La Science.\nCatégorie\n📺\nTVTranscription\n00:01Bonjour à tous,\n00:03bienvenue.\nsuite du texte\n00:10 Merci.\nCommentaires\n";
        let t = parse_with(text, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()).unwrap();
        let segs: Vec<_> = t
            .segments
            .iter()
            .map(|s| (s.start, s.text.as_str(), s.line))
            .collect();
        assert_eq!(
            segs,
            vec![
                (Some(1_000), "Bonjour à tous,", 6),
                (Some(3_000), "bienvenue. suite du texte", 7),
                (Some(10_000), "Merci.", 9)
            ]
        );
        assert_eq!(t.show.as_deref(), Some("La Science"));
        assert_eq!(t.published, NaiveDate::from_ymd_opt(2026, 2, 3));
        assert_eq!(t.participants.len(), 2);
        assert!(t.description.unwrap().starts_with("Ce mardi"));
    }

    #[test]
    fn only_timestamps_is_no_text() {
        let err = parse("00:01\n00:02\n00:03 \n").unwrap_err();
        assert!(matches!(err, FormatError::NoText(m) if m.contains("3 timestamp")));
    }

    #[test]
    fn sniff_scores() {
        assert_eq!(sniff("00:01a\n00:02b\n"), 100);
        assert_eq!(sniff("bonjour\n"), 0);
        assert_eq!(
            sniff("0:00:00.378,0:00:11.378\nx\n0:00:1x.378,0:00:12.305\ny\n"),
            0
        );
    }
}
