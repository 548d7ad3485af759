//! What a client sends, checked: the tools' argument types (their schemas
//! are the tools' input schemas) and the checks that turn a wrong argument
//! into a message a model can act on, naming the argument and what is
//! valid. Errors of the library are told here in the tools' words.

use crate::answers::quotes::Detail;
use crate::answers::reading::ReadingError;
use crate::mcp::cursor;
use crate::model::{Millis, seconds};
use chrono::NaiveDate;
use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde::Deserialize;
use std::ops::RangeInclusive;

/// Default and allowed sizes. Defaults keep one answer under about 4 000 tokens.
pub(super) const EPISODES_LIMIT: RangeInclusive<i64> = 1..=100;
pub(super) const EPISODES_DEFAULT: i64 = 20;
pub(super) const SEARCH_LIMIT: RangeInclusive<i64> = 1..=50;
pub(super) const SEARCH_DEFAULT: i64 = 8;
pub(super) const MAX_CHARS: RangeInclusive<i64> = 200..=50_000;
pub(super) const MAX_CHARS_DEFAULT: i64 = 6_000;
pub(super) const AROUND: RangeInclusive<i64> = 0..=50;
pub(super) const AROUND_DEFAULT: i64 = 3;
/// Longest text argument other than a search query or a quote (ids, names,
/// filters), in characters: the search's own query limit.
pub(super) const MAX_TEXT_CHARS: usize = crate::index::MAX_QUERY_CHARS;
/// Diagnostics listed by `get_episode` at most (a messy file can have hundreds).
pub(super) const DIAGNOSTICS_SHOWN: usize = 30;

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ListEpisodesArgs {
    /// Words of the title, show, description or people.
    #[serde(default)]
    pub query: Option<String>,
    /// Words of a show's name.
    #[serde(default)]
    pub show: Option<String>,
    /// Only where this person speaks or is credited.
    #[serde(default)]
    pub speaker: Option<String>,
    /// ISO 639-1 code (`fr`, `en`).
    #[serde(default)]
    pub language: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub published_after: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub published_before: Option<String>,
    /// Keep undated episodes under a date filter.
    #[serde(default)]
    pub include_undated: Option<bool>,
    /// Episodes per page, 1 to 100 (default 20).
    #[serde(default)]
    pub limit: Option<i64>,
    /// A `next_cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct EpisodeArgs {
    /// From `list_episodes` or a hit.
    pub episode_id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReadChapterArgs {
    /// From `list_episodes` or a hit.
    pub episode_id: String,
    /// Index from 0 (`list_chapters`).
    pub chapter: i64,
    /// Page size, 200 to 50000 characters (default 6000).
    #[serde(default)]
    pub max_chars: Option<i64>,
    /// A `next_cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReadTranscriptArgs {
    /// From `list_episodes` or a hit.
    pub episode_id: String,
    /// From this second.
    #[serde(default)]
    pub start_seconds: Option<f64>,
    /// Up to this second.
    #[serde(default)]
    pub end_seconds: Option<f64>,
    /// A passage_id to read around.
    #[serde(default)]
    pub around_passage: Option<String>,
    /// Passages before it, 0 to 50 (default 3).
    #[serde(default)]
    pub before: Option<i64>,
    /// Passages after it, 0 to 50 (default 3).
    #[serde(default)]
    pub after: Option<i64>,
    /// Page size, 200 to 50000 characters (default 6000).
    #[serde(default)]
    pub max_chars: Option<i64>,
    /// A `next_cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct SearchQuotesArgs {
    /// A few words, a name, or an "exact phrase".
    pub query: String,
    /// Only this episode.
    #[serde(default)]
    pub episode_id: Option<String>,
    /// Only what this person says (name or label).
    #[serde(default)]
    pub speaker: Option<String>,
    /// Words of a show's name.
    #[serde(default)]
    pub show: Option<String>,
    /// ISO 639-1 code (`fr`, `en`).
    #[serde(default)]
    pub language: Option<String>,
    /// Only this chapter index (with `episode_id`).
    #[serde(default)]
    pub chapter: Option<i64>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub published_after: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub published_before: Option<String>,
    /// Keep undated episodes under a date filter.
    #[serde(default)]
    pub include_undated: Option<bool>,
    /// Hits per page, 1 to 50 (default 8).
    #[serde(default)]
    pub limit: Option<i64>,
    /// `brief` (default) or `full` (all fields).
    #[serde(default)]
    pub detail: Option<Detail>,
    /// A `next_cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct TraceTopicArgs {
    /// As for `search_quotes`.
    pub query: String,
    /// Only what this person says (name or label).
    #[serde(default)]
    pub speaker: Option<String>,
    /// Words of a show's name.
    #[serde(default)]
    pub show: Option<String>,
    /// ISO 639-1 code (`fr`, `en`).
    #[serde(default)]
    pub language: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub published_after: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub published_before: Option<String>,
    /// `brief` (default) or `full` (`best` with its neighbouring words).
    #[serde(default)]
    pub detail: Option<Detail>,
    /// A `next_cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct VerifyQuoteArgs {
    /// The words as you would quote them.
    pub quote: String,
    /// Only this episode.
    #[serde(default)]
    pub episode_id: Option<String>,
    /// Who it is attributed to: the answer says if the transcript gives them the words.
    #[serde(default)]
    pub speaker: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct SummarizeSpeakersArgs {
    /// Only this episode.
    #[serde(default)]
    pub episode_id: Option<String>,
    /// Only this person (name, alias or label).
    #[serde(default)]
    pub speaker: Option<String>,
}

pub(super) fn in_range(
    name: &str,
    value: Option<i64>,
    range: RangeInclusive<i64>,
    default: i64,
) -> Result<usize, String> {
    let v = value.unwrap_or(default);
    if !range.contains(&v) {
        return Err(format!(
            "`{name}` is {v}; it must be between {} and {} (default {default})",
            range.start(),
            range.end()
        ));
    }
    usize::try_from(v).map_err(|_| format!("`{name}` must not be negative"))
}

/// Why `arguments` do not fit `tool`'s argument type, naming the argument at
/// fault (rmcp's own message says "expected a string" but not which one, and a
/// model cannot fix what it cannot find). `None` when they fit or the tool is unknown.
pub(super) fn argument_error(tool: &str, arguments: &JsonObject) -> Option<String> {
    fn check<T: serde::de::DeserializeOwned>(arguments: &JsonObject) -> Option<String> {
        let value = serde_json::Value::Object(arguments.clone());
        let err = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let path = err.path().to_string();
        // The inner message may quote a huge value back: keep it short.
        let inner: String = err.inner().to_string().chars().take(300).collect();
        Some(if path == "." {
            format!("bad arguments: {inner}")
        } else {
            format!("bad argument `{path}`: {inner}")
        })
    }
    match tool {
        "list_episodes" => check::<ListEpisodesArgs>(arguments),
        "get_episode" | "list_chapters" => check::<EpisodeArgs>(arguments),
        "read_chapter" => check::<ReadChapterArgs>(arguments),
        "read_transcript" => check::<ReadTranscriptArgs>(arguments),
        "search_quotes" => check::<SearchQuotesArgs>(arguments),
        "trace_topic" => check::<TraceTopicArgs>(arguments),
        "verify_quote" => check::<VerifyQuoteArgs>(arguments),
        "summarize_speakers" => check::<SummarizeSpeakersArgs>(arguments),
        _ => None,
    }
}

pub(super) fn date(name: &str, value: Option<&str>) -> Result<Option<NaiveDate>, String> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                format!("`{name}` is `{text}`; write a date as YYYY-MM-DD, e.g. 2025-01-31")
            }),
    }
}

pub(super) fn seconds_arg(name: &str, value: Option<f64>) -> Result<Option<Millis>, String> {
    match value {
        None => Ok(None),
        Some(s) => seconds::from_seconds(s).map(Some).ok_or_else(|| {
            // Scientific notation keeps an absurd number short in the message.
            let shown = if s.abs() < 1e9 {
                s.to_string()
            } else {
                format!("{s:e}")
            };
            format!("`{name}` is {shown}; it must be a number of seconds, 0 or more")
        }),
    }
}

/// Empty strings count as absent: some clients send every field.
pub(super) fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A text argument as [`given`], refused past [`MAX_TEXT_CHARS`]: names, ids and
/// filters are short, and matching a huge one would cost time for nothing.
pub(super) fn text<'a>(name: &str, value: &'a Option<String>) -> Result<Option<&'a str>, String> {
    let value = given(value);
    if let Some(v) = value {
        bounded(name, v)?;
    }
    Ok(value)
}

/// Refuses `value` past [`MAX_TEXT_CHARS`], saying which argument and how long.
pub(super) fn bounded(name: &str, value: &str) -> Result<(), String> {
    let length = value.chars().count();
    if length > MAX_TEXT_CHARS {
        return Err(format!(
            "`{name}` is {length} characters long; at most {MAX_TEXT_CHARS} are accepted"
        ));
    }
    Ok(())
}

/// A reading error told in the tools' words: which argument or tool to use instead.
pub(super) fn reading_error(error: &ReadingError) -> String {
    match error {
        ReadingError::UnknownChapter {
            episode_id,
            chapter,
            chapters: 0,
        } => format!(
            "episode `{episode_id}` has no chapter {chapter}; it has no chapters: read it with `read_transcript`"
        ),
        ReadingError::UnknownChapter { .. } => error.to_string(),
        ReadingError::UnknownPassage {
            episode_id,
            passage_id,
            example,
        } => format!(
            "episode `{episode_id}` has no passage `{passage_id}`; passage ids look like `{example}` (take them from search hits or earlier reads)"
        ),
        ReadingError::Untimed { .. } => {
            format!("{error}; use `around_passage` or `read_chapter` instead")
        }
        ReadingError::EmptySpan { start, end } => {
            format!("start_seconds ({start}) is after end_seconds ({end})")
        }
    }
}

pub(super) fn cursor_offset(cursor: Option<&str>, fingerprint: &str) -> Result<usize, String> {
    cursor::decode(cursor, fingerprint).map_err(|e| e.to_string())
}
