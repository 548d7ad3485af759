//! What every answer that shows a passage says about where it comes from:
//! the episode ([`EpisodeRef`]), the chapter ([`ChapterRef`]) and who said
//! it when ([`Said`]), together a quote's [`Origin`]. Search hits, verified
//! quotes and read passages embed these (flattened in JSON), so the fields
//! are named and described once.

use super::episode::{Episode, Passage, PassageTiming};
use super::time::{Millis, seconds};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The episode a passage belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeRef {
    pub episode_id: String,
    pub episode_title: String,
    pub show: Option<String>,
    pub published: Option<NaiveDate>,
}

impl EpisodeRef {
    pub fn of(episode: &Episode) -> Self {
        Self {
            episode_id: episode.episode_id.clone(),
            episode_title: episode.title.clone(),
            show: episode.show.clone(),
            published: episode.published,
        }
    }
}

/// A chapter reference carried by a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChapterRef {
    pub index: usize,
    pub title: String,
}

impl ChapterRef {
    /// The chapter `index` of `episode`, if it has one.
    pub fn of(episode: &Episode, index: usize) -> Option<Self> {
        episode.chapter(index).map(|c| Self {
            index,
            title: c.title.clone(),
        })
    }
}

/// Who says a passage, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Said {
    pub speaker: Option<String>,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub end_seconds: Option<Millis>,
    pub timing: PassageTiming,
}

impl Said {
    /// The passage's speaker (as the transcript gives it) and times.
    pub fn of(passage: &Passage) -> Self {
        Self {
            speaker: passage.speaker.clone(),
            start_seconds: passage.start_seconds,
            end_seconds: passage.end_seconds,
            timing: passage.timing,
        }
    }
}

/// When the matched words themselves are said, as precisely as the
/// transcript allows: to the word where it times words (WhisperX, Podcasting
/// 2.0 JSON, json3), to the caption line, cue or turn otherwise, interpolated
/// inside a long turn. A passage merges several lines, so its own start can
/// be seconds before the words; citations and links use this instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MatchTime {
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub match_start_seconds: Option<Millis>,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub match_end_seconds: Option<Millis>,
    pub match_timing: PassageTiming,
}

impl MatchTime {
    /// The bytes `bytes` of `passage.text`; the whole passage when they are
    /// not a range of it (nothing matched).
    pub fn of_bytes(passage: &Passage, bytes: Range<usize>) -> Self {
        let text = &passage.text;
        let chars = match (text.get(..bytes.start), text.get(bytes.clone())) {
            (Some(before), Some(inside)) if !inside.is_empty() => {
                let start = before.chars().count();
                start..start + inside.chars().count()
            }
            _ => 0..text.chars().count(),
        };
        match passage.time_of(chars) {
            Some((start, end, timing)) => Self {
                match_start_seconds: Some(start),
                match_end_seconds: Some(end),
                match_timing: timing,
            },
            None => Self {
                match_start_seconds: passage.start_seconds,
                match_end_seconds: passage.end_seconds,
                match_timing: passage.timing,
            },
        }
    }

    /// From the start of `first` to the end of `last` (matched words in two
    /// passages), exact only when both are.
    pub fn spanning(first: Self, last: Self) -> Self {
        use PassageTiming::{Estimated, Exact, None};
        Self {
            match_start_seconds: first.match_start_seconds,
            match_end_seconds: last.match_end_seconds.or(first.match_end_seconds),
            match_timing: match (first.match_timing, last.match_timing) {
                (Exact, Exact) => Exact,
                (None, None) => None,
                _ => Estimated,
            },
        }
    }
}

/// Where a quote comes from: its passage, episode, chapter, speaker and times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Origin {
    pub passage_id: String,
    #[serde(flatten)]
    pub episode: EpisodeRef,
    pub chapter: Option<ChapterRef>,
    #[serde(flatten)]
    pub said: Said,
}
