//! The search contract: what a quote search takes, what a hit carries, and
//! the limits every search respects. The CLI and the MCP tools build and
//! show these; their JSON field names are public.

use crate::model::{MatchTime, Origin};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One quote search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    /// The user's words: terms, "exact phrases", names (spelling tolerated).
    pub query: String,
    pub episode_id: Option<String>,
    /// A participant name, alias or diarization label.
    pub speaker: Option<String>,
    pub show: Option<String>,
    /// A language (ISO 639-1 code such as `en`): only its episodes, and the
    /// query analyzed in that language only.
    pub language: Option<String>,
    /// A chapter index (needs `episode_id` to be meaningful across episodes).
    pub chapter: Option<usize>,
    pub published_after: Option<NaiveDate>,
    pub published_before: Option<NaiveDate>,
    /// With a date filter: keep the episodes that have no date too.
    pub include_undated: bool,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip (pagination).
    pub offset: usize,
    /// Only passages holding every word of the query: no falling back to
    /// passages with some of them, or to episodes whose metadata matches
    /// (what quote verification needs; people searching want the fallbacks).
    pub all_words: bool,
}

/// A character range `[start, end)` in a quote, counted in Unicode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
}

/// One passage that matches a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SearchHit {
    #[serde(flatten)]
    pub origin: Origin,
    #[serde(flatten)]
    pub matched: MatchTime,
    /// The passage's exact words, as in the transcript.
    pub quote: String,
    /// Where the query matched in `quote`.
    pub highlights: Vec<Highlight>,
    /// Relevance (BM25); only comparable within one search.
    pub score: f32,
    /// The words just before the quote, with who says them and when (it may be someone else).
    pub context_before: Option<Context>,
    /// The words just after the quote, with who says them and when (it may be someone else).
    pub context_after: Option<Context>,
    /// A ready-to-paste citation line.
    pub citation: String,
    /// A link to the moment, when the episode has a URL.
    pub url: Option<String>,
}

/// Neighbouring words of a hit, with their own speaker and time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Context {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(
        with = "crate::model::seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<crate::model::Millis>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SearchResults {
    pub query: String,
    /// Matching passages in all (counting stops at 10 100: see `total_is_lower_bound`).
    pub total_hits: usize,
    /// True when more passages match than were counted: `total_hits` means "at least" (the hits are still the best of all matches); absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub total_is_lower_bound: bool,
    /// Best first. Each hit has the passage's exact words, speaker, times and a ready-to-paste citation.
    pub hits: Vec<SearchHit>,
    /// Notes about how the query was understood.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Most hits one search returns.
pub const MAX_LIMIT: usize = 100;

/// Longest query accepted, in characters: a longer one is refused with
/// [`SearchError::Invalid`] (a search is a few words; pasted pages are a mistake).
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Distinct words (and phrase words) a search uses at most: the rest are
/// dropped with a note, so a long query costs a bounded amount of work.
pub const MAX_QUERY_TERMS: usize = 64;

/// Deepest page start accepted (hits skipped): paging that far is not reading
/// but scraping, and the collector's work grows with it.
pub const MAX_OFFSET: usize = 10_000;

/// Matches a search counts (and ranks) at most: a query matching more (`de la`
/// on a large corpus) stops there, so its cost is bounded. Every page a search
/// serves (up to [`MAX_OFFSET`] plus a page of 100) lies within them.
pub const MAX_COUNTED: usize = MAX_OFFSET + 100;

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The request itself is wrong (empty query, limit out of range...); the message says what is valid.
    #[error("{0}")]
    Invalid(String),
    /// The index could not be read. The detail (which may name the index's
    /// files) is kept for the server log: clients see only that it failed.
    #[error(
        "the search index could not be read (the server log has the details); restarting verbatim rebuilds a damaged index"
    )]
    Backend(String),
}

impl SearchError {
    /// A failure of the index engine: logged here with its detail, reported
    /// to the caller without it.
    pub fn backend(detail: impl std::fmt::Display) -> Self {
        let detail = detail.to_string();
        tracing::error!("search index error: {detail}");
        SearchError::Backend(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::SearchError;

    #[test]
    fn an_engine_failure_does_not_show_its_paths() {
        let failure = SearchError::backend(
            "Failed to open file \"/home/ana/.cache/verbatim/3f2a/gen-7/meta.json\": No such file",
        );
        let shown = failure.to_string();
        assert!(
            !shown.contains("/home") && !shown.contains("meta.json"),
            "{shown}"
        );
        assert!(shown.contains("could not be read"), "{shown}");
        // The detail is kept for the log.
        assert!(matches!(failure, SearchError::Backend(detail) if detail.contains("gen-7")));
    }
}
