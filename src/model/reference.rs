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

/// The episode a passage belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeRef {
    pub episode_id: String,
    pub episode_title: String,
    pub show: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
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
    /// Chapter index within the episode, from 0.
    pub index: usize,
    /// Chapter title.
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
    /// Who speaks, when the transcript says so.
    pub speaker: Option<String>,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub end_seconds: Option<Millis>,
    /// `exact`, `estimated` (interpolated) or `none` (untimed transcript).
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

/// Where a quote comes from: its passage, episode, chapter, speaker and times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Origin {
    /// Stable id of the passage; pass it to `read_transcript` as `around_passage`.
    pub passage_id: String,
    #[serde(flatten)]
    pub episode: EpisodeRef,
    pub chapter: Option<ChapterRef>,
    #[serde(flatten)]
    pub said: Said,
}
