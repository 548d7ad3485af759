//! The one episode model every transcript format becomes: an [`Episode`]
//! with its source, people, chapters, passages and diagnostics.
//!
//! The JSON field names here are a public contract: `verbatim inspect --json`
//! prints an [`Episode`], and the MCP tools return pieces of it. Times are
//! [`Millis`] inside and seconds in JSON ([`super::time::seconds`]), except
//! a passage's [`TimeMark`]s, which are integer milliseconds.

use super::time::{Millis, seconds};
use crate::text::fold::fold_key;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One transcript, normalized: metadata, people, chapters and quotable passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Episode {
    /// Stable identifier, derived from the file name (`mac-138-chatbots`).
    pub episode_id: String,
    /// Title from the source, or derived from its first words; never empty.
    pub title: String,
    /// The show or programme this episode belongs to.
    pub show: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<NaiveDate>,
    /// Recording date, `YYYY-MM-DD`.
    pub recorded: Option<NaiveDate>,
    /// Length of the episode in seconds, when known or measurable.
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub duration_seconds: Option<Millis>,
    /// A short description of the episode, from the source page or sidecar.
    pub description: Option<String>,
    /// Where the episode can be watched or listened to.
    pub url: Option<String>,
    /// BCP 47 language code of the transcript (`fr`).
    pub language: Option<String>,
    /// The file this episode was read from.
    pub source: Source,
    /// Hosts, guests and other speakers.
    pub participants: Vec<Participant>,
    /// How each diarization label of the transcript (`SPEAKER_00`) was
    /// named, with evidence; empty when the source has no labels. Added by
    /// speaker analysis; absent in JSON from older versions.
    #[serde(default)]
    pub speaker_map: Vec<SpeakerMapping>,
    /// Chapters in order; may be empty.
    pub chapters: Vec<Chapter>,
    /// The transcript cut into quotable passages, in order.
    pub passages: Vec<Passage>,
    /// What went wrong or was guessed while reading the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// The file an episode comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    pub path: String,
    pub format: String,
    pub sha256: String,
}

/// A person who speaks in (or is credited on) an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Participant {
    pub name: String,
    pub role: Role,
    pub affiliation: Option<String>,
    pub handle: Option<String>,
    pub aliases: Vec<String>,
}

/// What a diarization label was found to name, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpeakerMapping {
    pub label: String,
    /// A guess below `confidence` 0.5.
    pub name: Option<String>,
    pub role: Role,
    /// 0 (unmapped) to 1 (from a sidecar).
    pub confidence: f64,
    pub method: MappingMethod,
    pub evidence: Vec<Evidence>,
}

/// The rule behind a speaker mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MappingMethod {
    /// The `[speakers]` table of the episode's sidecar.
    Sidecar,
    /// The speaker says their own name ("je m'appelle ...").
    SelfIntroduction,
    /// Another speaker names them ("on reçoit ...") and they answer next.
    Introduced,
    /// They open the show, so they host it (named from the metadata's host, if any).
    OpensShow,
    /// Nothing names this label.
    Unmapped,
}

/// Where a speaker mapping comes from: a passage and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    pub passage_id: Option<String>,
    pub words: String,
}

/// A participant's part in the episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Host,
    Guest,
    Unknown,
}

impl Role {
    /// `host`, `guest` or `unknown`, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Guest => "guest",
            Role::Unknown => "unknown",
        }
    }
}

/// A chapter of an episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Chapter {
    pub index: usize,
    pub title: String,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub end_seconds: Option<Millis>,
    /// `generated`: made by verbatim, not the source.
    pub timing: ChapterTiming,
    pub links: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// How trustworthy a chapter's times are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChapterTiming {
    /// Given by the source with its time.
    Exact,
    /// Listed by the source without a time: its place and time are inferred, not read.
    Estimated,
    /// Computed by verbatim from the text (no chapter in the source).
    Generated,
}

/// A quotable unit: whole sentences of one speaker, at most about 500 characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Passage {
    /// Stable across runs for an unchanged file: `{episode_id}#p{ordinal}-{hash}`.
    pub passage_id: String,
    /// Start time in seconds, when known.
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    /// End time in seconds, when known.
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub end_seconds: Option<Millis>,
    /// How the times were obtained.
    pub timing: PassageTiming,
    /// Speaker name or label, when the source says who speaks.
    pub speaker: Option<String>,
    /// The transcript's exact words.
    pub text: String,
    /// Index of the chapter that holds this passage.
    pub chapter: Option<usize>,
    /// When the source's pieces inside the passage start (caption lines,
    /// cues, turns, words), as `[character offset in text, milliseconds]`
    /// pairs in text order: words are timed from the marks around them
    /// (`Passage::time_of`), more finely than the passage. A mark at offset 0
    /// that is the passage's own start is left out; empty for an untimed
    /// passage. In an `estimated` passage the marks are estimated too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<TimeMark>,
}

/// When the words from a character offset of a passage's text start being
/// said. In JSON, the pair `[offset, milliseconds]`: passages carry one
/// per caption line or word, so the pair is kept small and exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(from = "(u32, Millis)", into = "(u32, Millis)")]
pub struct TimeMark {
    /// Offset in characters (not bytes) into [`Passage::text`].
    pub offset: u32,
    /// When that character starts being said, in milliseconds.
    pub at: Millis,
}

impl From<(u32, Millis)> for TimeMark {
    fn from((offset, at): (u32, Millis)) -> Self {
        TimeMark { offset, at }
    }
}

impl From<TimeMark> for (u32, Millis) {
    fn from(m: TimeMark) -> Self {
        (m.offset, m.at)
    }
}

impl Passage {
    /// When the characters `chars` of the text (offsets in characters) are
    /// said, and how those times were obtained. In an exactly timed passage:
    /// from the last mark at or before their start (the passage's start if
    /// none) to the first mark at or after their end (the passage's end if
    /// none), `Exact` when that end is known. In an estimated passage (a long
    /// turn cut in pieces, lines between chapter anchors) the marks are
    /// themselves guesses, so each end is interpolated by character position
    /// between the marks around it: closer to the words than the start of
    /// a long stretch, and said to be `Estimated`. `None` when the passage
    /// has no start time, or when `chars` is empty or reaches past the text.
    pub fn time_of(&self, chars: Range<usize>) -> Option<(Millis, Millis, PassageTiming)> {
        let start = self.start_seconds?;
        let length = self.text.chars().count();
        if self.timing == PassageTiming::None || chars.is_empty() || chars.end > length {
            return None;
        }
        // The known times around an offset: (offset, time) before and after.
        let before = |offset: usize| {
            self.marks
                .iter()
                .take_while(|m| m.offset as usize <= offset)
                .last()
                .map_or((0, start), |m| (m.offset as usize, m.at))
        };
        let after = |offset: usize| {
            self.marks
                .iter()
                .find(|m| m.offset as usize >= offset)
                .map(|m| (m.offset as usize, m.at))
                .or(self.end_seconds.map(|end| (length, end)))
        };
        let to = after(chars.end);
        if self.timing == PassageTiming::Exact {
            let from = before(chars.start).1;
            return Some(match to {
                Some((_, to)) => (from, to.max(from), PassageTiming::Exact),
                None => (from, from, PassageTiming::Estimated),
            });
        }
        let interpolate = |offset: usize| {
            let (lo, lo_at) = before(offset);
            match after(offset) {
                Some((hi, hi_at)) if hi > lo && hi_at > lo_at => {
                    let span = (hi_at - lo_at) as u128 * (offset - lo) as u128 / (hi - lo) as u128;
                    lo_at + span as Millis
                }
                _ => lo_at,
            }
        };
        let from = interpolate(chars.start);
        let to = to.map_or(from, |_| interpolate(chars.end)).max(from);
        Some((from, to, PassageTiming::Estimated))
    }
}

/// How trustworthy a passage's times are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PassageTiming {
    /// Read from the source's timestamps.
    Exact,
    /// Interpolated (inside a long timed turn, or between chapter anchors).
    Estimated,
    /// The source has no times.
    None,
}

/// How an episode's passages are timed, as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeTiming {
    /// Every passage's time is read from the source.
    Exact,
    /// Every passage's time is interpolated (`~` in citations), none read from the source.
    Estimated,
    /// No passage has a time: cite as `untimed`.
    #[default]
    None,
    /// Some passages have times read from the source, others interpolated or none.
    Mixed,
}

impl EpisodeTiming {
    /// What a reader is told about citing the episode's times.
    pub fn sentence(self) -> &'static str {
        match self {
            EpisodeTiming::Exact => "times are read from the source",
            EpisodeTiming::Estimated => {
                "times are estimated (interpolated between known points, shown with `~`), not read from the source"
            }
            EpisodeTiming::None => "this transcript has no times; cite it as `untimed`",
            EpisodeTiming::Mixed => {
                "some times are read from the source, others are estimated (`~`) or missing (`untimed`)"
            }
        }
    }
}

/// Something noticed while reading a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: Option<usize>,
    pub message: String,
}

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Diagnostic {
    pub fn info(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Info,
            line: None,
            message: message.into(),
        }
    }
    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            line: None,
            message: message.into(),
        }
    }
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

impl Episode {
    /// Whether the episode was published between `after` and `before`
    /// (both included; `None` leaves that side open). An undated episode
    /// cannot be shown to fall inside a range: it passes only when neither
    /// bound is set, or with `include_undated`.
    pub fn published_within(
        &self,
        after: Option<NaiveDate>,
        before: Option<NaiveDate>,
        include_undated: bool,
    ) -> bool {
        let Some(date) = self.published else {
            return include_undated || (after.is_none() && before.is_none());
        };
        after.is_none_or(|after| date >= after) && before.is_none_or(|before| date <= before)
    }

    /// The participant a passage's speaker label designates: by name or by
    /// alias, ignoring case and accents.
    pub fn speaking_participant(&self, label: &str) -> Option<&Participant> {
        let key = fold_key(label);
        self.participants
            .iter()
            .find(|p| fold_key(&p.name) == key)
            .or_else(|| {
                self.participants
                    .iter()
                    .find(|p| p.aliases.iter().any(|a| fold_key(a) == key))
            })
    }

    /// How a passage's speaker is shown: the participant's name for a label
    /// the episode resolves, else the label as written.
    pub fn speaker_name(&self, label: &str) -> String {
        self.speaking_participant(label)
            .map_or_else(|| label.to_string(), |p| p.name.clone())
    }

    /// The chapter with this index, if any.
    pub fn chapter(&self, index: usize) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.index == index)
    }

    /// Whether any passage carries a time read from the source.
    pub fn has_timestamps(&self) -> bool {
        self.passages
            .iter()
            .any(|p| p.timing == PassageTiming::Exact)
    }

    /// How the passages are timed, as a whole.
    pub fn timing(&self) -> EpisodeTiming {
        let all = |t: PassageTiming| self.passages.iter().all(|p| p.timing == t);
        if self.passages.is_empty() || all(PassageTiming::None) {
            EpisodeTiming::None
        } else if all(PassageTiming::Exact) {
            EpisodeTiming::Exact
        } else if all(PassageTiming::Estimated) {
            EpisodeTiming::Estimated
        } else {
            EpisodeTiming::Mixed
        }
    }

    /// Whether the source says who speaks each turn.
    pub fn has_speaker_turns(&self) -> bool {
        self.passages.iter().any(|p| p.speaker.is_some())
    }

    /// Number of words in the transcript.
    pub fn word_count(&self) -> usize {
        self.passages
            .iter()
            .map(|p| p.text.split_whitespace().count())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_seconds_in_json() {
        let c = Chapter {
            index: 0,
            title: "x".into(),
            start_seconds: Some(16_000),
            end_seconds: Some(374_500),
            timing: ChapterTiming::Exact,
            links: vec![],
            keywords: Vec::new(),
        };
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["start_seconds"], 16.0);
        assert_eq!(json["end_seconds"], 374.5);
        let back: Chapter = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
    }

    /// "un deux trois quatre", said from 1 s to 5 s, a mark on each word after the first.
    fn words_passage(timing: PassageTiming) -> Passage {
        Passage {
            passage_id: "ep#p0-abcdef".into(),
            start_seconds: Some(1_000),
            end_seconds: Some(5_000),
            timing,
            speaker: None,
            text: "un deux trois quatre".into(),
            chapter: None,
            marks: [(3, 2_000), (8, 3_000), (14, 4_000)]
                .into_iter()
                .map(TimeMark::from)
                .collect(),
        }
    }

    #[test]
    fn time_of_a_range_comes_from_the_marks_around_it() {
        let p = words_passage(PassageTiming::Exact);
        for (chars, want) in [
            (0..2, (1_000, 2_000)),   // "un": the passage's start, the next mark
            (3..7, (2_000, 3_000)),   // "deux": its own mark
            (4..6, (2_000, 3_000)),   // inside "deux": the word's mark
            (7..8, (2_000, 3_000)),   // the space after "deux"
            (3..13, (2_000, 4_000)),  // "deux trois"
            (14..20, (4_000, 5_000)), // "quatre": its mark, the passage's end
            (0..20, (1_000, 5_000)),  // everything
        ] {
            assert_eq!(
                p.time_of(chars.clone()),
                Some((want.0, want.1, PassageTiming::Exact)),
                "{chars:?}"
            );
        }
        for bad in [5..5, 15..21, 30..40] {
            assert_eq!(p.time_of(bad.clone()), None, "{bad:?}");
        }
    }

    #[test]
    fn time_of_is_only_as_exact_as_the_passage() {
        let estimated = words_passage(PassageTiming::Estimated);
        assert_eq!(
            estimated.time_of(3..7),
            Some((2_000, 2_800, PassageTiming::Estimated)),
            "interpolated between the marks at 3 and 8"
        );
        assert_eq!(
            estimated.time_of(0..20),
            Some((1_000, 5_000, PassageTiming::Estimated))
        );
        // A long estimated stretch without marks: the words are placed by position.
        let long_turn = Passage {
            marks: Vec::new(),
            ..words_passage(PassageTiming::Estimated)
        };
        assert_eq!(
            long_turn.time_of(10..15),
            Some((3_000, 4_000, PassageTiming::Estimated))
        );
        let unmarked = Passage {
            marks: Vec::new(),
            ..words_passage(PassageTiming::Exact)
        };
        assert_eq!(
            unmarked.time_of(8..13),
            Some((1_000, 5_000, PassageTiming::Exact))
        );
        let open_end = Passage {
            end_seconds: None,
            ..words_passage(PassageTiming::Exact)
        };
        assert_eq!(
            open_end.time_of(14..20),
            Some((4_000, 4_000, PassageTiming::Estimated))
        );
        assert_eq!(
            open_end.time_of(3..7),
            Some((2_000, 3_000, PassageTiming::Exact))
        );
        let untimed = Passage {
            start_seconds: None,
            end_seconds: None,
            marks: Vec::new(),
            ..words_passage(PassageTiming::None)
        };
        assert_eq!(untimed.time_of(0..2), None);
    }

    #[test]
    fn marks_are_compact_pairs_and_optional_in_json() {
        let p = words_passage(PassageTiming::Exact);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json["marks"],
            serde_json::json!([[3, 2000], [8, 3000], [14, 4000]])
        );
        assert_eq!(serde_json::from_value::<Passage>(json).unwrap(), p);
        // Unmarked passages write no field, and JSON from before marks still reads.
        let old = Passage {
            marks: Vec::new(),
            ..p
        };
        let json = serde_json::to_value(&old).unwrap();
        assert!(json.get("marks").is_none(), "{json}");
        assert_eq!(serde_json::from_value::<Passage>(json).unwrap(), old);
    }
}
