//! Speaker conventions written in the text of subtitle cues, applied once
//! after parsing to every subtitle-style format ([`apply`]), so that each
//! parser (WebVTT, SRT, YouTube, and any new caption format) gets them
//! without doing anything:
//!
//! - **dialogue dashes**: `- Tu viens ? - Oui.` (also `-Tu viens ? -Oui.`,
//!   with `–` or `—`) is two people in one cue: it becomes one segment per
//!   turn, each with an unknown speaker, and a lone leading dash is dropped;
//! - **speaker tags**: `[Alba] En 1928…`, `(JEAN) Bonjour` name the speaker
//!   and leave the text ([`speaker_tag`]); sound annotations
//!   (`[Music]`, `(rires)`, `[MUSIC PLAYING]`, `♪`) are not speakers, and a
//!   cue that holds nothing else gives no quote text;
//! - **name prefixes**: `Sarah: …`, `JOHN: …`
//!   ([`attribute_prefixes_except`]).
//!
//! Formats that carry speakers in their own structure or come from speech
//! recognition (Whisper family, Podcasting 2.0) and the seed layouts are left
//! as they are: there a bracket is the recognizer's sound note or the page's
//! own text, never a subtitle convention.
//!
//! A turn found inside a cue has no time of its own in the source. Its start
//! is interpolated by character position inside the cue (as a passage cut
//! inside a long caption is), and recorded in [`Transcript::turn_starts`]
//! so that the passages on either side of it are marked `estimated` rather
//! than claiming a time the file does not give.

use crate::formats::speaker_prefix::{attribute_prefixes_except, is_sound_annotation, speaker_tag};
use crate::formats::{Format, PieceMark, Segment, Transcript, TurnStart};
use crate::model::{Diagnostic, Millis};

/// Dashes that open a dialogue turn: hyphen, en dash, em dash.
const DASHES: [char; 3] = ['-', '–', '—'];

/// Whether the text of `format`'s cues is read for speaker conventions. Every
/// format not listed here is a subtitle or caption format, so a new caption
/// parser is covered without being named.
pub fn reads_speaker_conventions(format: Format) -> bool {
    !matches!(
        format,
        Format::PodcastPage
            | Format::CaptionLines
            | Format::DiarizedDump
            | Format::Podcasting20Json
            | Format::Podcasting20Html
            | Format::WhisperJson
            | Format::WhisperxJson
            | Format::WhisperCppJson
    )
}

/// How a segment came out of its cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    /// The whole cue, or a cue with a single leading dash.
    Whole,
    /// The first turn of a dialogue cue: it starts when the cue starts.
    First,
    /// A later turn of a dialogue cue: its start is interpolated.
    Next,
}

/// Applies the dialogue dashes, speaker tags and name prefixes of a subtitle
/// file to its segments (only to segments without a speaker; name prefixes
/// only when no segment has one from the file's structure), drops the cues
/// that hold only sound annotations (unless that would drop every cue), and
/// records the turns found inside cues. Run once per parse: the parsers do
/// not call it themselves.
pub fn apply(format: Format, transcript: &mut Transcript) {
    if !reads_speaker_conventions(format) {
        return;
    }
    // A file that names speakers in its structure (WebVTT voices, TTML
    // agents) is trusted with them: its `Name:` lines are text.
    let named_by_structure = transcript.segments.iter().any(|s| s.speaker.is_some());
    let segments = std::mem::take(&mut transcript.segments);
    // When the next timed segment starts, for each segment (one pass from the end).
    let mut next_starts: Vec<Option<Millis>> = Vec::with_capacity(segments.len());
    let mut next: Option<Millis> = None;
    for segment in segments.iter().rev() {
        next_starts.push(next);
        next = segment.start.or(next);
    }
    next_starts.reverse();
    let mut split: Vec<(Segment, Turn)> = Vec::with_capacity(segments.len());
    for (segment, next_start) in segments.iter().zip(next_starts) {
        if segment.speaker.is_some() {
            split.push((segment.clone(), Turn::Whole));
            continue;
        }
        let turns = split_dialogue(segment, next_start);
        let several = turns.len() > 1;
        for (n, mut turn) in turns.into_iter().enumerate() {
            if let Some((name, tag_len)) = speaker_tag(&turn.text) {
                turn.drop_front(tag_len);
                turn.speaker = Some(name);
            }
            let kind = match (several, n) {
                (false, _) => Turn::Whole,
                (true, 0) => Turn::First,
                (true, _) => Turn::Next,
            };
            split.push((turn, kind));
        }
    }
    split.retain(|(s, _)| !s.text.trim().is_empty());
    let annotations = split
        .iter()
        .filter(|(s, _)| is_annotation_only(&s.text))
        .count();
    if annotations > 0 && annotations < split.len() {
        split.retain(|(s, _)| !is_annotation_only(&s.text));
        transcript.diagnostics.push(Diagnostic::info(format!(
            "{annotations} cue(s) holding only a sound annotation ([Music], (rires), ♪) left out of the quotes"
        )));
    }
    if split.is_empty() {
        // Every cue was a bare speaker tag: keep the file's text as it was.
        transcript.segments = segments;
        return;
    }
    transcript.turn_starts = split
        .iter()
        .enumerate()
        .filter(|(_, (_, kind))| *kind != Turn::Whole)
        .map(|(segment, (_, kind))| TurnStart {
            segment,
            interpolated: *kind == Turn::Next,
        })
        .collect();
    let dialogue: Vec<bool> = split.iter().map(|(_, k)| *k != Turn::Whole).collect();
    transcript.segments = split.into_iter().map(|(s, _)| s).collect();
    if !named_by_structure {
        attribute_prefixes_except(&mut transcript.segments, |i| {
            dialogue.get(i).copied().unwrap_or(false)
        });
    }
}

/// The turns of one cue: the cue itself when it has no dialogue dash, the
/// cue without its dash when it has one turn, else one segment per turn,
/// timed by interpolating the cue's span (up to `next_start` when the cue
/// has no end) by character position. Marks follow their words.
fn split_dialogue(segment: &Segment, next_start: Option<Millis>) -> Vec<Segment> {
    let starts = turn_starts(&segment.text);
    let leading_dash = starts.first().is_some_and(|(dash, _)| {
        segment
            .text
            .get(..*dash)
            .is_some_and(|b| b.trim().is_empty())
    });
    // Byte ranges of the turns' texts.
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(starts.len() + 1);
    if !leading_dash {
        ranges.push((0, starts.first().map_or(segment.text.len(), |(d, _)| *d)));
    }
    for (n, (_, content)) in starts.iter().enumerate() {
        let end = starts
            .get(n + 1)
            .map_or(segment.text.len(), |(next_dash, _)| *next_dash);
        ranges.push((*content, end));
    }
    let ranges: Vec<(usize, usize)> = ranges
        .into_iter()
        .filter_map(|(a, b)| {
            let piece = segment.text.get(a..b)?;
            let trimmed = piece.trim_end();
            (!trimmed.trim_start().is_empty()).then_some((a, a + trimmed.len()))
        })
        .collect();
    if ranges.len() <= 1 {
        let mut whole = segment.clone();
        if leading_dash && let Some((_, content)) = starts.first() {
            whole.drop_front(*content);
        }
        return vec![whole];
    }
    // What is said in each turn, without its speaker tag, sets its share of the cue.
    let lengths: Vec<u64> = ranges
        .iter()
        .map(|(a, b)| {
            let turn = segment.text.get(*a..*b).unwrap_or("");
            let said = speaker_tag(turn).map_or(turn, |(_, tag)| turn.get(tag..).unwrap_or(""));
            said.chars().count() as u64
        })
        .collect();
    let total = lengths.iter().sum::<u64>().max(1);
    let span = match (segment.start, segment.end.or(next_start)) {
        (Some(s), Some(e)) if e >= s => Some((s, e)),
        _ => None,
    };
    let mut before = 0u64;
    let mut starts_at: Vec<Option<Millis>> = Vec::with_capacity(ranges.len());
    for length in &lengths {
        starts_at.push(match span {
            // In u128: a cue's span times its length in characters can exceed u64.
            Some((s, e)) => {
                let into = u128::from(e - s) * u128::from(before) / u128::from(total);
                Some(s + Millis::try_from(into).unwrap_or(e - s))
            }
            None => segment.start,
        });
        before += length;
    }
    ranges
        .iter()
        .enumerate()
        .map(|(n, (a, b))| {
            let start = starts_at.get(n).copied().flatten();
            let end = match starts_at.get(n + 1) {
                Some(next) if span.is_some() => *next,
                Some(_) => None,
                None => segment.end,
            };
            let mut turn = Segment {
                start,
                end,
                speaker: None,
                text: segment.text.get(*a..*b).unwrap_or("").to_string(),
                line: segment.line,
                marks: Vec::new(),
            };
            for mark in segment.marks.iter().filter(|m| *a <= m.byte && m.byte < *b) {
                turn.mark(mark.byte - a, mark.at);
            }
            turn.marks.sort_by_key(|m: &PieceMark| m.byte);
            turn
        })
        .collect()
}

/// Where dialogue turns open in a cue's text: (byte of the dash, byte of the
/// turn's first character). A dash opens a turn at the start of the cue; or
/// after a space that follows the end of a sentence (`Tu viens ? - Oui.`);
/// or, anywhere after a space, when a speaker tag follows it
/// (`- [Alba] Hola - [Juan] Sí`). The dash must be followed by a space or by
/// the turn's first letter or opening sign: `-5 degrés` and `Marie-Claire`
/// are not turns. A dash after a space inside a sentence (`c'est - disons -
/// simple`) is not a turn either, so an unpunctuated `- A - B` cue stays one.
fn turn_starts(text: &str) -> Vec<(usize, usize)> {
    let lead = text.len() - text.trim_start().len();
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if !DASHES.contains(&c) {
            continue;
        }
        let Some(after) = text.get(i + c.len_utf8()..) else {
            continue;
        };
        let opens = after
            .chars()
            .next()
            .is_some_and(|n| n.is_whitespace() || n.is_alphabetic() || "[(¿¡«\"“'‘".contains(n));
        let content = text.len() - after.trim_start().len();
        if !opens || content >= text.len() {
            continue;
        }
        if i == lead {
            out.push((i, content));
            continue;
        }
        let Some(before) = text.get(..i) else {
            continue;
        };
        if !before.ends_with(char::is_whitespace) {
            continue;
        }
        let after_sentence = before
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|p| ".?!…»\"”)]".contains(p));
        let tag_follows = text.get(content..).and_then(speaker_tag).is_some();
        if after_sentence || tag_follows {
            out.push((i, content));
        }
    }
    out
}

/// Whether a cue's text holds nothing but sound annotations (`[Musique]`,
/// `(rires) [applaudissements]`, `♪ ♪`): no letter or digit outside
/// bracket pairs whose content is a sound annotation. Sung words
/// (`♪ La la la ♪`) are text.
pub fn is_annotation_only(text: &str) -> bool {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let close = match c {
            '[' => Some(']'),
            '(' => Some(')'),
            _ => None,
        };
        if let Some(close) = close {
            let Some(end) = rest.find(close) else {
                return false;
            };
            if !rest.get(1..end).is_some_and(is_sound_annotation) {
                return false;
            }
            rest = rest.get(end + close.len_utf8()..).unwrap_or("");
            continue;
        }
        if c.is_alphanumeric() {
            return false;
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start: Millis, end: Millis, text: &str) -> Segment {
        Segment::caption(Some(start), Some(end), text.to_string())
    }

    fn applied(format: Format, segments: Vec<Segment>) -> Transcript {
        let mut t = Transcript {
            segments,
            ..Transcript::default()
        };
        apply(format, &mut t);
        t
    }

    #[test]
    fn dialogue_dash_cases() {
        for (text, want) in [
            ("- Tu viens ?\n- Oui.", vec!["Tu viens ?", "Oui."]),
            ("-Tu viens ? -Oui.", vec!["Tu viens ?", "Oui."]),
            ("– Tu viens ? – Oui.", vec!["Tu viens ?", "Oui."]),
            ("— ¿Vienes? —Sí.", vec!["¿Vienes?", "Sí."]),
            ("-¿Vienes? -Sí, claro.", vec!["¿Vienes?", "Sí, claro."]),
            ("Tu viens ? - Oui.", vec!["Tu viens ?", "Oui."]),
            (
                "- Une seule personne parle.",
                vec!["Une seule personne parle."],
            ),
            ("- A - B", vec!["A - B"]),
            ("C'est - disons - simple.", vec!["C'est - disons - simple."]),
            ("Il fait -5 degrés.", vec!["Il fait -5 degrés."]),
            ("- Il fait -5. -Non.", vec!["Il fait -5.", "Non."]),
            ("Marie-Claire vient.", vec!["Marie-Claire vient."]),
            ("-", vec!["-"]),
            ("- ", vec!["-"]),
            ("Fin. -", vec!["Fin. -"]),
        ] {
            let got: Vec<String> = split_dialogue(&cue(0, 1_000, text), None)
                .into_iter()
                .map(|s| crate::text::collapse_ws(&s.text))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn turns_share_the_cue_span_by_characters() {
        let turns = split_dialogue(&cue(10_000, 12_000, "- Tu viens ? - Oui."), None);
        let times: Vec<_> = turns.iter().map(|s| (s.start, s.end)).collect();
        // "Tu viens ?" is 10 characters, "Oui." 4: 2 s split 10/14.
        assert_eq!(
            times,
            [(Some(10_000), Some(11_428)), (Some(11_428), Some(12_000))]
        );
        // A cue without an end is split up to the next cue's start; the last
        // turn keeps the cue's (missing) end.
        let open = Segment::caption(Some(0), None, "- A. - B.".into());
        let turns = split_dialogue(&open, Some(1_000));
        let times: Vec<_> = turns.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(times, [(Some(0), Some(500)), (Some(500), None)]);
        // Untimed cues stay untimed.
        let untimed = Segment::caption(None, None, "- A. - B.".into());
        let turns = split_dialogue(&untimed, None);
        assert!(turns.iter().all(|s| s.start.is_none() && s.end.is_none()));
    }

    #[test]
    fn marks_follow_their_turn() {
        let mut s = cue(0, 4_000, "- Tu viens ? - Oui, j'arrive.");
        s.mark(2, 0);
        s.mark(5, 500);
        s.mark(15, 2_000);
        s.mark(20, 3_000);
        let turns = split_dialogue(&s, None);
        assert_eq!(turns[0].text, "Tu viens ?");
        assert_eq!(turns[0].marks, [PieceMark { byte: 3, at: 500 }]);
        assert_eq!(turns[1].text, "Oui, j'arrive.");
        assert_eq!(
            turns[1].marks,
            [
                PieceMark { byte: 0, at: 2_000 },
                PieceMark { byte: 5, at: 3_000 }
            ]
        );
    }

    #[test]
    fn annotation_only_cues() {
        for (text, want) in [
            ("[Musique]", true),
            ("[Music]", true),
            ("[MUSIC PLAYING]", true),
            ("(rires) [applaudissements]", true),
            ("♪ ♪", true),
            ("[♪]", true),
            ("♪ La la la ♪", false),
            ("[Musique] Bonjour", false),
            ("[Alba]", false),
            ("(JEAN) Bonjour", false),
            ("[inaudible", false),
        ] {
            assert_eq!(is_annotation_only(text), want, "{text:?}");
        }
    }

    #[test]
    fn tags_dashes_and_prefixes_together() {
        let t = applied(
            Format::Webvtt,
            vec![
                cue(0, 2_000, "[Alba] En 1928, la ciudad cambió."),
                cue(2_000, 3_000, "[Música]"),
                cue(3_000, 5_000, "- [Alba] ¿Vienes? - [Juan] Sí."),
                cue(5_000, 6_000, "(JEAN) Bonjour."),
                cue(6_000, 7_000, "MARIE: Salut."),
                cue(7_000, 8_000, "(rires) On continue."),
                cue(8_000, 9_000, "- Tu viens ?\n- Oui."),
            ],
        );
        assert_eq!(
            t.segments
                .iter()
                .map(|s| (s.speaker.as_deref(), s.text.as_str()))
                .collect::<Vec<_>>(),
            [
                (Some("Alba"), "En 1928, la ciudad cambió."),
                (Some("Alba"), "¿Vienes?"),
                (Some("Juan"), "Sí."),
                (Some("JEAN"), "Bonjour."),
                (Some("MARIE"), "Salut."),
                (None, "(rires) On continue."),
                (None, "Tu viens ?"),
                (None, "Oui."),
            ]
        );
        assert_eq!(
            t.turn_starts,
            [
                TurnStart {
                    segment: 1,
                    interpolated: false
                },
                TurnStart {
                    segment: 2,
                    interpolated: true
                },
                TurnStart {
                    segment: 6,
                    interpolated: false
                },
                TurnStart {
                    segment: 7,
                    interpolated: true
                },
            ]
        );
        assert_eq!(t.diagnostics.len(), 1, "{:?}", t.diagnostics);
    }

    #[test]
    fn dialogue_turns_do_not_inherit_a_carried_speaker() {
        let t = applied(
            Format::Srt,
            vec![
                cue(0, 1_000, "Sarah: Bonjour"),
                cue(1_000, 2_000, "et bienvenue"),
                cue(2_000, 3_000, "- Tu viens ? - Oui."),
                cue(3_000, 4_000, "Luc: Merci"),
            ],
        );
        let speakers: Vec<_> = t.segments.iter().map(|s| s.speaker.as_deref()).collect();
        assert_eq!(
            speakers,
            [Some("Sarah"), Some("Sarah"), None, None, Some("Luc")]
        );
    }

    #[test]
    fn seed_layouts_and_asr_formats_are_left_alone() {
        for format in [
            Format::PodcastPage,
            Format::CaptionLines,
            Format::DiarizedDump,
            Format::WhisperJson,
            Format::WhisperxJson,
            Format::Podcasting20Json,
        ] {
            let t = applied(format, vec![cue(0, 1_000, "[Alba] - Hola. - Sí.")]);
            assert_eq!(t.segments.len(), 1, "{format:?}");
            assert_eq!(t.segments[0].speaker, None);
            assert!(t.turn_starts.is_empty());
        }
    }

    #[test]
    fn a_file_of_annotations_keeps_its_text() {
        let t = applied(
            Format::YoutubeJson3,
            vec![
                cue(0, 1_000, "[Musique]"),
                cue(1_000, 2_000, "[Applaudissements]"),
            ],
        );
        assert_eq!(t.segments.len(), 2);
    }

    #[test]
    fn odd_cues_do_not_panic() {
        let long = format!("- {}", "[A] - (b) -é. - [".repeat(5_000));
        for text in [
            "-",
            "—",
            "- - - -",
            "-[",
            "- [Alba",
            "[]",
            "()",
            "[ ]",
            "-[]. -()",
            "é- ü -",
            long.as_str(),
        ] {
            for (start, end) in [
                (Some(0), Some(Millis::MAX)),
                (Some(Millis::MAX), Some(Millis::MAX)),
                (Some(5), Some(1)),
                (None, Some(3)),
                (None, None),
            ] {
                let mut s = Segment::caption(start, end, text.to_string());
                s.mark(text.len().saturating_sub(1), 7);
                let t = applied(Format::Srt, vec![s.clone(), s]);
                for seg in &t.segments {
                    assert!(seg.marks.iter().all(|m| m.byte < seg.text.len()));
                }
            }
        }
    }

    #[test]
    fn voices_are_kept() {
        let mut voiced = cue(0, 1_000, "[Alba] - Hola. - Sí.");
        voiced.speaker = Some("Roger".into());
        let t = applied(Format::Webvtt, vec![voiced]);
        assert_eq!(t.segments[0].speaker.as_deref(), Some("Roger"));
        assert_eq!(t.segments[0].text, "[Alba] - Hola. - Sí.");
    }
}
