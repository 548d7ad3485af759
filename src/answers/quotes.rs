//! Quote search and topic tracing as an agent reads them: lean by default
//! ([`Detail::Brief`]: who, where, when, the sentences that hold the words,
//! a citation and links), everything the index knows on request
//! ([`Detail::Full`]). A traced topic's best quotes are leaner still: their
//! episode already says where they come from. The fields a brief answer leaves out are left out by
//! the types (`skip_serializing_if`), so both shapes match one schema.

use super::links::{chapter_uri, episode_uri};
use crate::index::{Context, Highlight, SearchHit, TracedEpisode};
use crate::model::{ChapterRef, Millis, PassageTiming, seconds};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much each hit says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Detail {
    /// Who, where, when, the quote, its citation and links.
    #[default]
    Brief,
    /// Also titles, chapter, passage times, timings, highlights, score,
    /// neighbouring words and the moment's link.
    Full,
}

/// One matching passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuoteHit {
    pub passage_id: String,
    pub episode_id: String,
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// When the quoted words are said.
    #[serde(
        with = "seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub match_start_seconds: Option<Millis>,
    /// The sentences holding the matched words.
    pub quote: String,
    /// `«quote» — speaker, title (show, date), 00:18:43`; after a quote over 160 characters, only from `—`.
    pub citation: String,
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub full: Option<HitDetails>,
}

/// What `detail: "full"` adds to a hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HitDetails {
    pub episode_title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<ChapterRef>,
    #[serde(
        with = "seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    pub timing: PassageTiming,
    pub match_timing: PassageTiming,
    /// Character ranges in `quote`.
    pub highlights: Vec<Highlight>,
    pub score: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_before: Option<Context>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_after: Option<Context>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl QuoteHit {
    /// `hit` told with `detail`.
    pub fn of(hit: SearchHit, detail: Detail) -> Self {
        let origin = hit.origin;
        let episode_id = origin.episode.episode_id;
        let full = (detail == Detail::Full).then(|| HitDetails {
            episode_title: origin.episode.episode_title,
            show: origin.episode.show,
            published: origin.episode.published,
            chapter: origin.chapter.clone(),
            start_seconds: origin.said.start_seconds,
            timing: origin.said.timing,
            match_timing: hit.matched.match_timing,
            highlights: hit.highlights,
            score: hit.score,
            context_before: hit.context_before,
            context_after: hit.context_after,
            url: hit.url,
        });
        Self {
            passage_id: origin.passage_id,
            uri: episode_uri(&episode_id),
            chapter_uri: origin.chapter.map(|c| chapter_uri(&episode_id, c.index)),
            episode_id,
            speaker: origin.said.speaker,
            match_start_seconds: hit.matched.match_start_seconds,
            quote: hit.quote,
            citation: hit.citation,
            full,
        }
    }
}

/// One episode where a subject comes up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TopicEpisode {
    pub episode_id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    pub uri: String,
    /// All counted.
    pub matches: usize,
    pub speakers: Vec<String>,
    #[serde(
        with = "seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub first_match_start_seconds: Option<Millis>,
    pub best: TopicQuote,
}

/// The best quote of an episode in a trace (the episode says where it is from).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TopicQuote {
    pub passage_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(
        with = "seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub match_start_seconds: Option<Millis>,
    pub quote: String,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter_uri: Option<String>,
    /// `full` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_before: Option<Context>,
    /// `full` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_after: Option<Context>,
}

impl TopicEpisode {
    /// `traced` told with `detail`.
    pub fn of(traced: TracedEpisode, detail: Detail) -> Self {
        let e = traced.episode;
        Self {
            uri: episode_uri(&e.episode_id),
            episode_id: e.episode_id,
            title: e.episode_title,
            show: e.show,
            published: e.published,
            matches: traced.matches,
            speakers: traced.speakers,
            first_match_start_seconds: traced.first_match.match_start_seconds,
            best: TopicQuote::of(traced.best, detail),
        }
    }
}

impl TopicQuote {
    /// `hit` told with `detail`: the neighbouring words in full only.
    pub fn of(hit: SearchHit, detail: Detail) -> Self {
        let full = detail == Detail::Full;
        let origin = hit.origin;
        Self {
            chapter_uri: origin
                .chapter
                .map(|c| chapter_uri(&origin.episode.episode_id, c.index)),
            passage_id: origin.passage_id,
            speaker: origin.said.speaker,
            match_start_seconds: hit.matched.match_start_seconds,
            quote: hit.quote,
            citation: hit.citation,
            context_before: hit.context_before.filter(|_| full),
            context_after: hit.context_after.filter(|_| full),
        }
    }
}
