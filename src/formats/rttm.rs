//! Speaker turns from diarization: pyannote / NIST RTTM files and the
//! `start=1.4s stop=2.8s speaker_SPEAKER_02` lines pyannote's README prints,
//! and their assignment to the segments of an undiarized transcript.
//!
//! RTTM: `SPEAKER file 1 onset duration <NA> <NA> label <NA> <NA>` (some tools
//! write 9 fields, 8 is the minimum that names the speaker); other record
//! types (`SPKR-INFO`, `LEXEME`, `NON-SPEECH`…) are ignored.

use crate::formats::clean_input;
use crate::formats::timecode::from_seconds;
use crate::formats::{FormatError, Segment};
use crate::model::Millis;

/// One diarization turn: who speaks from `start` to `end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerTurn {
    pub start: Millis,
    pub end: Millis,
    pub label: String,
}

fn malformed(line: usize, message: &str) -> FormatError {
    FormatError::Malformed {
        format: "RTTM",
        message: format!("line {line}: {message}"),
    }
}

fn seconds(field: Option<&str>, line: usize, what: &str) -> Result<Millis, FormatError> {
    field
        .and_then(|f| f.trim_end_matches('s').parse::<f64>().ok())
        .and_then(from_seconds)
        .ok_or_else(|| malformed(line, &format!("{what} is not a number of seconds")))
}

/// Parses an RTTM file or a pyannote print dump into turns sorted by start.
pub fn parse(text: &str) -> Result<Vec<SpeakerTurn>, FormatError> {
    let text = clean_input(text);
    let mut turns = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let fields: Vec<&str> = raw.split_whitespace().collect();
        let Some(&kind) = fields.first() else {
            continue;
        };
        if kind.starts_with(['#', ';']) {
            continue;
        }
        if kind == "SPEAKER" {
            if fields.len() < 8 {
                return Err(malformed(
                    line,
                    "a SPEAKER record needs at least 8 fields (type file channel onset duration ortho stype name)",
                ));
            }
            let start = seconds(fields.get(3).copied(), line, "the onset (field 4)")?;
            let duration = seconds(fields.get(4).copied(), line, "the duration (field 5)")?;
            let label = fields.get(7).copied().unwrap_or_default().to_string();
            turns.push(SpeakerTurn {
                start,
                end: start + duration,
                label,
            });
        } else if kind.starts_with("start=") {
            let start = seconds(kind.strip_prefix("start="), line, "start=")?;
            let end = seconds(
                fields.get(1).and_then(|f| f.strip_prefix("stop=")),
                line,
                "stop=",
            )?;
            let Some(label) = fields
                .get(2)
                .map(|l| l.strip_prefix("speaker_").unwrap_or(l))
            else {
                return Err(malformed(line, "missing speaker after start= stop="));
            };
            if end < start {
                return Err(malformed(line, "stop is before start"));
            }
            turns.push(SpeakerTurn {
                start,
                end,
                label: label.to_string(),
            });
        } else if kind
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '-' || c == '_')
        {
            continue; // Another RTTM record type.
        } else {
            return Err(malformed(
                line,
                "not an RTTM record nor a `start=…s stop=…s speaker_…` line",
            ));
        }
    }
    if turns.is_empty() {
        return Err(FormatError::Malformed {
            format: "RTTM",
            message: "no SPEAKER turn found".into(),
        });
    }
    turns.sort_by_key(|t| (t.start, t.end));
    Ok(turns)
}

/// Gives each timed segment without a speaker the label whose turns overlap
/// it the most (summed over turns, as WhisperX does). Segments without times
/// or without any overlap keep `None`; segments that already name a speaker
/// are left alone.
pub fn assign_speakers(segments: &mut [Segment], turns: &[SpeakerTurn]) {
    let mut sorted: Vec<&SpeakerTurn> = turns.iter().collect();
    sorted.sort_by_key(|t| t.start);
    for segment in segments.iter_mut().filter(|s| s.speaker.is_none()) {
        let (Some(start), Some(end)) = (segment.start, segment.end) else {
            continue;
        };
        let mut totals: Vec<(&str, Millis)> = Vec::new();
        for turn in sorted.iter().take_while(|t| t.start < end) {
            let overlap = turn.end.min(end).saturating_sub(turn.start.max(start));
            if overlap == 0 {
                continue;
            }
            match totals.iter_mut().find(|(l, _)| *l == turn.label) {
                Some((_, total)) => *total += overlap,
                None => totals.push((&turn.label, overlap)),
            }
        }
        // First label wins ties: `max_by_key` keeps the last maximum, so reverse.
        if let Some((label, _)) = totals.iter().rev().max_by_key(|(_, t)| *t) {
            segment.speaker = Some((*label).to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rttm_and_print_variants() {
        let text = "SPEAKER ep12 1 0.500 2.000 <NA> <NA> SPEAKER_00 <NA> <NA>\r\n\
SPKR-INFO ep12 1 <NA> <NA> <NA> unknown SPEAKER_00 <NA>\r\n\
SPEAKER ep12 1 2.400 1.100 <NA> <NA> SPEAKER_01 <NA>\r\n\
\r\n\
start=4.0s stop=5.25s speaker_SPEAKER_00\n";
        let turns = parse(text).unwrap();
        assert_eq!(
            turns,
            [
                SpeakerTurn {
                    start: 500,
                    end: 2_500,
                    label: "SPEAKER_00".into()
                },
                SpeakerTurn {
                    start: 2_400,
                    end: 3_500,
                    label: "SPEAKER_01".into()
                },
                SpeakerTurn {
                    start: 4_000,
                    end: 5_250,
                    label: "SPEAKER_00".into()
                },
            ]
        );
    }

    #[test]
    fn malformed_inputs() {
        for (input, needle) in [
            ("", "no SPEAKER"),
            ("SPEAKER a 1 x 2 <NA> <NA> S0", "line 1: the onset"),
            ("SPEAKER a 1 0 2", "at least 8 fields"),
            (
                "SPEAKER a 1 0 1 <NA> <NA> S0\nbonjour tout le monde",
                "line 2",
            ),
            ("start=3s stop=1s speaker_A", "before start"),
        ] {
            let err = parse(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input:?}: {err}");
        }
    }

    fn seg(start: Option<Millis>, end: Option<Millis>, speaker: Option<&str>) -> Segment {
        Segment {
            start,
            end,
            speaker: speaker.map(str::to_string),
            text: "x".into(),
            line: 1,
            marks: Vec::new(),
        }
    }

    #[test]
    fn assignment_by_largest_overlap() {
        let turns = [
            SpeakerTurn {
                start: 0,
                end: 1_000,
                label: "A".into(),
            },
            SpeakerTurn {
                start: 900,
                end: 3_000,
                label: "B".into(),
            },
            SpeakerTurn {
                start: 3_000,
                end: 3_200,
                label: "A".into(),
            },
            SpeakerTurn {
                start: 3_300,
                end: 3_500,
                label: "A".into(),
            },
        ];
        let mut segments = [
            seg(Some(0), Some(1_200), None),        // A 1000, B 300
            seg(Some(1_200), Some(3_100), None),    // B 1800, A 100
            seg(Some(2_950), Some(3_500), None),    // B 50, A 400
            seg(Some(5_000), Some(6_000), None),    // nothing
            seg(None, None, None),                  // untimed
            seg(Some(0), Some(1_000), Some("Léa")), // already named
        ];
        assign_speakers(&mut segments, &turns);
        let got: Vec<Option<&str>> = segments.iter().map(|s| s.speaker.as_deref()).collect();
        assert_eq!(
            got,
            [Some("A"), Some("B"), Some("A"), None, None, Some("Léa")]
        );
    }
}
