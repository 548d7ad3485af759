//! The nine tools and their outputs: names, arguments and outputs are a
//! public contract.
//!
//! Every tool is read-only over a closed corpus: its annotations say
//! `readOnlyHint` and `openWorldHint: false` (MCP gives `idempotentHint`
//! a meaning only for tools that write, so it is left out). Answers are
//! lean by default; the search tools take `detail: "full"`; answers that
//! cite episodes (search, trace, an episode's details, a verified quote)
//! link them (`resource_link` items, each episode once). Arguments a
//! model can get wrong (an id, a limit, a date, a cursor) are checked
//! ([`super::arguments`]) and refused with a tool error (`isError`) that says
//! what is valid, so the model can correct itself; numbers are accepted as
//! any integer and range-checked for the same reason (a schema type error
//! would be a protocol error the model never sees).

use super::VerbatimServer;
use super::arguments::*;
use crate::answers::catalog::{EpisodeFilter, EpisodeSummary, filter_episodes};
use crate::answers::links::episode_uri;
use crate::answers::quotes::{QuoteHit, TopicEpisode};
use crate::answers::reading::{PassageView, around_window, chapter_window, page, time_window};
use crate::answers::speakers::{SpeakersSummary, summarize_speakers};
use crate::answers::verify::{QuoteCheck, Verification, VerifyError, verify};
use crate::index::{MAX_OFFSET, SearchRequest};
use crate::ingest::FileProblem;
use crate::mcp::cursor::{self, fingerprint};
use crate::model::ChapterRef;
use crate::model::{
    Chapter, Diagnostic, Episode, EpisodeTiming, Millis, Participant, Role, Severity,
};
use chrono::NaiveDate;
use rmcp::handler::server::tool::schema_for_output;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::model::{CallToolResult, ContentBlock, Resource};
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::ops::Range;

// ---------------------------------------------------------------- outputs

/// One page of episodes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeList {
    pub episodes: Vec<EpisodeSummary>,
    pub total: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// First page only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_files: Vec<FileProblem>,
}

/// A chapter in an episode's outline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChapterOutline {
    pub index: usize,
    pub title: String,
    #[serde(
        with = "crate::model::seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    pub passage_count: usize,
}

/// Someone who speaks in or is credited on the episode.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    pub aliases: Vec<String>,
}

impl Person {
    fn of(p: &Participant) -> Self {
        Self {
            name: p.name.clone(),
            role: p.role,
            affiliation: p.affiliation.clone(),
            aliases: p.aliases.clone(),
        }
    }
}

/// Counts over an episode's transcript.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeStatistics {
    pub passages: usize,
    pub words: usize,
    pub timing: EpisodeTiming,
    pub has_speaker_turns: bool,
    pub speakers: Vec<String>,
}

/// Everything known about one episode except its text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeDetails {
    pub episode_id: String,
    pub uri: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    #[serde(
        with = "crate::model::seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub duration_seconds: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `path (format)`.
    pub source: String,
    pub participants: Vec<Person>,
    pub chapters: Vec<ChapterOutline>,
    pub statistics: EpisodeStatistics,
    /// What went wrong reading the file, `severity (line N): message` (30 at most).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
    pub diagnostics_total: usize,
}

/// An episode's chapters.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChapterList {
    pub episode_id: String,
    pub episode_title: String,
    pub chapters: Vec<Chapter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One page of passages of an episode.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Reading {
    pub episode_id: String,
    pub episode_title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<ChapterRef>,
    pub passages: Vec<PassageView>,
    pub window_passages: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One page of search hits.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct QuotePage {
    pub query: String,
    /// At least this many when `notes` say the count stopped.
    pub total_hits: usize,
    pub hits: Vec<QuoteHit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One page of the episodes where a subject comes up.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TopicPage {
    pub query: String,
    pub total_hits: usize,
    pub total_episodes: usize,
    pub episodes: Vec<TopicEpisode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Episodes a `trace_topic` page lists.
const TRACE_PAGE: usize = 10;
/// Skipped files the first page of `list_episodes` names at most.
const SKIPPED_SHOWN: usize = 20;

/// A tool result built by hand: `answer` as structured content and as
/// compact JSON text (what clients that read only one of them need), then
/// one `resource_link` per episode in `episodes` (id and title), each once,
/// for clients that open links. The tool's output schema is its answer
/// type's, given in its `#[tool]` attribute.
fn linked<T: Serialize>(
    answer: &T,
    episodes: &[(impl AsRef<str>, impl AsRef<str>)],
) -> Result<CallToolResult, String> {
    let value = serde_json::to_value(answer)
        .map_err(|e| format!("internal error: the answer could not be written: {e}"))?;
    let mut result = CallToolResult::structured(value);
    let mut seen: Vec<&str> = Vec::new();
    for (id, title) in episodes {
        let id = id.as_ref();
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        result.content.push(ContentBlock::resource_link(
            Resource::new(episode_uri(id), id)
                .with_title(title.as_ref())
                .with_mime_type("text/markdown"),
        ));
    }
    Ok(result)
}

impl VerbatimServer {
    fn reading(
        &self,
        episode: &Episode,
        chapter: Option<ChapterRef>,
        window: Range<usize>,
        max_chars: usize,
        cursor: Option<&str>,
        fingerprint: &str,
    ) -> Result<Reading, String> {
        let offset = cursor_offset(cursor, fingerprint)?;
        if offset > window.len() {
            return Err(cursor::CursorError::Malformed.to_string());
        }
        let page = page(
            &episode.passages,
            window.clone(),
            window.start + offset,
            max_chars,
        );
        Ok(Reading {
            episode_id: episode.episode_id.clone(),
            episode_title: episode.title.clone(),
            chapter,
            passages: episode
                .passages
                .get(page.range.clone())
                .unwrap_or_default()
                .iter()
                .map(PassageView::of)
                .collect(),
            window_passages: window.len(),
            next_cursor: page
                .next
                .map(|n| cursor::encode(fingerprint, n - window.start)),
        })
    }
}

// ---------------------------------------------------------------- tools

#[tool_router(router = tool_router, vis = "pub(super)")]
impl VerbatimServer {
    /// The corpus's episodes (podcasts and videos, mostly French), newest first. The first page also names the files
    /// that could not be read. For what was said: `search_quotes`.
    #[tool(
        name = "list_episodes",
        title = "List episodes",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn list_episodes(
        &self,
        Parameters(args): Parameters<ListEpisodesArgs>,
    ) -> Result<Json<EpisodeList>, String> {
        let limit = in_range("limit", args.limit, EPISODES_LIMIT, EPISODES_DEFAULT)?;
        let filter = EpisodeFilter {
            query: text("query", &args.query)?.map(str::to_string),
            show: text("show", &args.show)?.map(str::to_string),
            speaker: text("speaker", &args.speaker)?.map(str::to_string),
            language: text("language", &args.language)?.map(str::to_string),
            published_after: date("published_after", args.published_after.as_deref())?,
            published_before: date("published_before", args.published_before.as_deref())?,
            include_undated: args.include_undated.unwrap_or(false),
        };
        let after = filter
            .published_after
            .map(|d| d.to_string())
            .unwrap_or_default();
        let before = filter
            .published_before
            .map(|d| d.to_string())
            .unwrap_or_default();
        let print = fingerprint(&[
            "list_episodes",
            filter.query.as_deref().unwrap_or(""),
            filter.show.as_deref().unwrap_or(""),
            filter.speaker.as_deref().unwrap_or(""),
            filter.language.as_deref().unwrap_or(""),
            &after,
            &before,
            if filter.include_undated {
                "undated"
            } else {
                ""
            },
        ]);
        let offset = cursor_offset(args.cursor.as_deref(), &print)?;
        let found = filter_episodes(&self.state.corpus, &filter);
        let mut notes = Vec::new();
        let undated = filter.undated_left_out(&self.state.corpus);
        if undated > 0 {
            notes.push(format!(
                "{undated} episode(s) match but have no publication date, so the date filter left them out; pass include_undated: true to keep them"
            ));
        }
        let total = found.len();
        let episodes: Vec<EpisodeSummary> = found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(EpisodeSummary::of)
            .collect();
        let end = offset + episodes.len();
        let next_cursor = (end < total).then(|| cursor::encode(&print, end));
        // What could not be read is told where an agent looks first, not only on stderr.
        let problems = &self.state.corpus.problems;
        let skipped_files = if offset == 0 {
            problems.iter().take(SKIPPED_SHOWN).cloned().collect()
        } else {
            Vec::new()
        };
        if offset == 0 && !problems.is_empty() {
            notes.push(format!(
                "{} file(s) of the corpus could not be read and are not served{}: see `skipped_files`",
                problems.len(),
                if problems.len() > SKIPPED_SHOWN {
                    format!(" (the first {SKIPPED_SHOWN} listed)")
                } else {
                    String::new()
                }
            ));
        }
        Ok(Json(EpisodeList {
            episodes,
            total,
            next_cursor,
            notes,
            skipped_files,
        }))
    }

    /// One episode's details but its text: description, link, participants and aliases, chapters, statistics, and
    /// what went wrong reading its file.
    #[tool(
        name = "get_episode",
        title = "Episode details",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<EpisodeDetails>()
    )]
    pub async fn get_episode(
        &self,
        Parameters(args): Parameters<EpisodeArgs>,
    ) -> Result<CallToolResult, String> {
        let e = self.episode_or_hint(&args.episode_id)?;
        let chapters = e
            .chapters
            .iter()
            .map(|c| ChapterOutline {
                index: c.index,
                title: c.title.clone(),
                start_seconds: c.start_seconds,
                passage_count: e
                    .passages
                    .iter()
                    .filter(|p| p.chapter == Some(c.index))
                    .count(),
            })
            .collect();
        let mut speakers: Vec<String> = Vec::new();
        for s in e.passages.iter().filter_map(|p| p.speaker.as_ref()) {
            if !speakers.contains(s) {
                speakers.push(s.clone());
            }
        }
        let statistics = EpisodeStatistics {
            passages: e.passages.len(),
            words: e.word_count(),
            timing: e.timing(),
            has_speaker_turns: e.has_speaker_turns(),
            speakers,
        };
        let details = EpisodeDetails {
            episode_id: e.episode_id.clone(),
            uri: episode_uri(&e.episode_id),
            title: e.title.clone(),
            show: e.show.clone(),
            published: e.published,
            duration_seconds: e.duration_seconds,
            description: e.description.clone(),
            url: e.url.clone(),
            language: e.language.clone(),
            source: format!("{} ({})", e.source.path, e.source.format),
            participants: e.participants.iter().map(Person::of).collect(),
            chapters,
            statistics,
            diagnostics: e
                .diagnostics
                .iter()
                .take(DIAGNOSTICS_SHOWN)
                .map(diagnostic_line)
                .collect(),
            diagnostics_total: e.diagnostics.len(),
        };
        linked(
            &details,
            &[(details.episode_id.as_str(), details.title.as_str())],
        )
    }

    /// An episode's chapters: index, title, start, whether verbatim `generated` it, and the keywords said in each.
    /// Then `read_chapter` with an index.
    #[tool(
        name = "list_chapters",
        title = "Episode chapters",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn list_chapters(
        &self,
        Parameters(args): Parameters<EpisodeArgs>,
    ) -> Result<Json<ChapterList>, String> {
        let e = self.episode_or_hint(&args.episode_id)?;
        let note = e
            .chapters
            .is_empty()
            .then(|| "this episode has no chapters; read it with `read_transcript` (by time or around a passage)".to_string());
        Ok(Json(ChapterList {
            episode_id: e.episode_id.clone(),
            episode_title: e.title.clone(),
            chapters: e.chapters.clone(),
            note,
        }))
    }

    /// Read a chapter's passages in order (passage_id, speaker, times, exact words), in pages of about `max_chars`:
    /// call again with `cursor` = `next_cursor` until it is absent.
    #[tool(
        name = "read_chapter",
        title = "Read a chapter",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn read_chapter(
        &self,
        Parameters(args): Parameters<ReadChapterArgs>,
    ) -> Result<Json<Reading>, String> {
        let e = self.episode_or_hint(&args.episode_id)?;
        let max_chars = in_range("max_chars", args.max_chars, MAX_CHARS, MAX_CHARS_DEFAULT)?;
        let chapter = usize::try_from(args.chapter).map_err(|_| {
            format!(
                "`chapter` is {}; chapter indexes start at 0 (see `list_chapters`)",
                args.chapter
            )
        })?;
        let window = chapter_window(&e, chapter).map_err(|err| reading_error(&err))?;
        let print = fingerprint(&["read_chapter", &e.episode_id, &chapter.to_string()]);
        self.reading(
            &e,
            ChapterRef::of(&e, chapter),
            window,
            max_chars,
            args.cursor.as_deref(),
            &print,
        )
        .map(Json)
    }

    /// Read part of an episode to check a quote's context: around a passage (`around_passage` = a hit's passage_id),
    /// a time span, or from the start. Paged by `next_cursor`.
    #[tool(
        name = "read_transcript",
        title = "Read a transcript",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn read_transcript(
        &self,
        Parameters(args): Parameters<ReadTranscriptArgs>,
    ) -> Result<Json<Reading>, String> {
        let e = self.episode_or_hint(&args.episode_id)?;
        let max_chars = in_range("max_chars", args.max_chars, MAX_CHARS, MAX_CHARS_DEFAULT)?;
        let (window, print) = if let Some(passage) = text("around_passage", &args.around_passage)? {
            let before = in_range("before", args.before, AROUND, AROUND_DEFAULT)?;
            let after = in_range("after", args.after, AROUND, AROUND_DEFAULT)?;
            let window =
                around_window(&e, passage, before, after).map_err(|err| reading_error(&err))?;
            let print = fingerprint(&[
                "read_transcript",
                &e.episode_id,
                "around",
                passage,
                &before.to_string(),
                &after.to_string(),
            ]);
            (window, print)
        } else {
            let start = seconds_arg("start_seconds", args.start_seconds)?;
            let end = seconds_arg("end_seconds", args.end_seconds)?;
            let window = if start.is_none() && end.is_none() {
                0..e.passages.len()
            } else {
                time_window(&e, start, end).map_err(|err| reading_error(&err))?
            };
            let bound = |b: Option<Millis>| b.map(|ms| ms.to_string()).unwrap_or_default();
            (
                window,
                fingerprint(&[
                    "read_transcript",
                    &e.episode_id,
                    "time",
                    &bound(start),
                    &bound(end),
                ]),
            )
        };
        self.reading(&e, None, window, max_chars, args.cursor.as_deref(), &print)
            .map(Json)
    }

    /// Search what was said, in the transcripts' language (French: "IA", not "AI"; accents, case, plurals, slips
    /// tolerated; "double quotes" for a phrase; names also match their misheard spellings). Each hit: the sentences
    /// holding the words, speaker, time, citation, resource `uri`, passage_id. Read `notes`; verify before quoting.
    #[tool(
        name = "search_quotes",
        title = "Search quotes",
        annotations(
            read_only_hint = true,
            open_world_hint = false
        ),
        output_schema = schema_for_output::<QuotePage>()
    )]
    pub async fn search_quotes(
        &self,
        Parameters(args): Parameters<SearchQuotesArgs>,
    ) -> Result<CallToolResult, String> {
        let limit = in_range("limit", args.limit, SEARCH_LIMIT, SEARCH_DEFAULT)?;
        let episode_id = match text("episode_id", &args.episode_id)? {
            Some(id) => Some(self.header_or_hint(id)?.id().to_string()),
            None => None,
        };
        let chapter = match args.chapter {
            None => None,
            Some(c) => {
                let index = usize::try_from(c).map_err(|_| {
                    format!("`chapter` is {c}; chapter indexes start at 0 (see `list_chapters`)")
                })?;
                if let Some(e) = episode_id
                    .as_deref()
                    .and_then(|id| self.state.corpus.episode(id))
                {
                    chapter_window(&e, index).map_err(|err| reading_error(&err))?;
                }
                Some(index)
            }
        };
        let request = SearchRequest {
            episode_id,
            chapter,
            language: text("language", &args.language)?.map(str::to_string),
            include_undated: args.include_undated.unwrap_or(false),
            limit,
            ..subject_request(
                &args.query,
                &args.speaker,
                &args.show,
                args.published_after.as_deref(),
                args.published_before.as_deref(),
            )?
        };
        let print = request_fingerprint("search_quotes", &request);
        let offset = cursor_offset(args.cursor.as_deref(), &print)?;
        if offset > MAX_OFFSET {
            // verbatim never gives out such a cursor: it was forged or corrupted.
            return Err(cursor::CursorError::Malformed.to_string());
        }
        let request = SearchRequest { offset, ..request };
        let state = self.state.clone();
        // Index reads block: keep them off the async workers.
        let results = tokio::task::spawn_blocking(move || state.search(&request))
            .await
            .map_err(|e| task_failed("search", &e))?
            .map_err(|e| e.to_string())?;
        let end = offset + results.hits.len();
        // No cursor past the deepest page a search serves (see `MAX_OFFSET`).
        let next_cursor =
            (end < results.total_hits && !results.hits.is_empty() && end <= MAX_OFFSET)
                .then(|| cursor::encode(&print, end));
        let detail = args.detail.unwrap_or_default();
        let titles: Vec<(String, String)> = results
            .hits
            .iter()
            .map(|h| {
                let e = &h.origin.episode;
                (e.episode_id.clone(), e.episode_title.clone())
            })
            .collect();
        let page = QuotePage {
            query: results.query,
            total_hits: results.total_hits,
            hits: results
                .hits
                .into_iter()
                .map(|h| QuoteHit::of(h, detail))
                .collect(),
            notes: results.notes,
            next_cursor,
        };
        linked(&page, &titles)
    }

    /// Where and since when a subject comes up, and who raised it: the episodes with passages matching `query` (as in
    /// `search_quotes`), oldest first, undated last, each with its count of `matches`, `speakers`, first match time
    /// and `best` quote.
    #[tool(
        name = "trace_topic",
        title = "Trace a topic",
        annotations(
            read_only_hint = true,
            open_world_hint = false
        ),
        output_schema = schema_for_output::<TopicPage>()
    )]
    pub async fn trace_topic(
        &self,
        Parameters(args): Parameters<TraceTopicArgs>,
    ) -> Result<CallToolResult, String> {
        let request = SearchRequest {
            limit: TRACE_PAGE,
            language: text("language", &args.language)?.map(str::to_string),
            ..subject_request(
                &args.query,
                &args.speaker,
                &args.show,
                args.published_after.as_deref(),
                args.published_before.as_deref(),
            )?
        };
        let print = request_fingerprint("trace_topic", &request);
        let offset = cursor_offset(args.cursor.as_deref(), &print)?;
        if offset > MAX_OFFSET {
            return Err(cursor::CursorError::Malformed.to_string());
        }
        let request = SearchRequest { offset, ..request };
        let state = self.state.clone();
        let trace = tokio::task::spawn_blocking(move || state.index.trace(&state.corpus, &request))
            .await
            .map_err(|e| task_failed("trace", &e))?
            .map_err(|e| e.to_string())?;
        let end = offset + trace.episodes.len();
        let next_cursor = (end < trace.total_episodes && !trace.episodes.is_empty())
            .then(|| cursor::encode(&print, end));
        let detail = args.detail.unwrap_or_default();
        let titles: Vec<(String, String)> = trace
            .episodes
            .iter()
            .map(|t| {
                (
                    t.episode.episode_id.clone(),
                    t.episode.episode_title.clone(),
                )
            })
            .collect();
        let page = TopicPage {
            query: trace.query,
            total_hits: trace.total_hits,
            total_episodes: trace.total_episodes,
            episodes: trace
                .episodes
                .into_iter()
                .map(|t| TopicEpisode::of(t, detail))
                .collect(),
            notes: trace.notes,
            next_cursor,
        };
        linked(&page, &titles)
    }

    /// Check a quote before showing it. `verdict`: `exact`; `close` (other words: quote `match.excerpt`); `altered`
    /// (a negation, number, name, word, question or splice differs, see `changes`: never present it as a quote);
    /// `not_said`. With `speaker`, `attribution`: `confirmed`, `other_speaker` or `unknown` (nobody is said to speak
    /// there: do not claim they said it).
    #[tool(
        name = "verify_quote",
        title = "Verify a quote",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<Verification>()
    )]
    pub async fn verify_quote(
        &self,
        Parameters(args): Parameters<VerifyQuoteArgs>,
    ) -> Result<CallToolResult, String> {
        if args.quote.trim().is_empty() {
            return Err(VerifyError::EmptyQuote.to_string());
        }
        let episode_id = match text("episode_id", &args.episode_id)? {
            Some(id) => Some(self.header_or_hint(id)?.id().to_string()),
            None => None,
        };
        let speaker = text("speaker", &args.speaker)?.map(str::to_string);
        let state = self.state.clone();
        let verification = tokio::task::spawn_blocking(move || {
            let check = QuoteCheck {
                quote: &args.quote,
                episode_id: episode_id.as_deref(),
                speaker: speaker.as_deref(),
            };
            verify(&state.corpus, &state.index, check)
        })
        .await
        .map_err(|e| task_failed("verification", &e))?
        .map_err(|e| e.to_string())?;
        // The episode that says it: linked (a `not_said` quote links nothing).
        let matched = verification
            .best_match
            .as_ref()
            .and_then(|m| self.state.corpus.header(&m.episode_id))
            .map(|h| (h.id(), h.episode.title.as_str()));
        linked(&verification, matched.as_slice())
    }

    /// Who speaks (the corpus, an episode, or one person by name, alias or label): role, affiliation, episodes, talk,
    /// distinctive terms and quotes from their own turns; `mentions` cite others naming them.
    #[tool(
        name = "summarize_speakers",
        title = "Summarize speakers",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    pub async fn summarize_speakers(
        &self,
        Parameters(args): Parameters<SummarizeSpeakersArgs>,
    ) -> Result<Json<SpeakersSummary>, String> {
        let episode_id = match text("episode_id", &args.episode_id)? {
            Some(id) => Some(self.header_or_hint(id)?.id().to_string()),
            None => None,
        };
        let speaker = text("speaker", &args.speaker)?.map(str::to_string);
        let corpus = self.state.corpus.clone();
        // Profiling walks the whole corpus: keep it off the async workers too.
        tokio::task::spawn_blocking(move || {
            summarize_speakers(&corpus, episode_id.as_deref(), speaker.as_deref())
        })
        .await
        .map_err(|e| task_failed("summary", &e))?
        .map(Json)
        .map_err(|e| e.to_string())
    }
}

/// A diagnostic in one line: `warning (line 12): message`.
fn diagnostic_line(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    };
    match d.line {
        Some(line) => format!("{severity} (line {line}): {}", d.message),
        None => format!("{severity}: {}", d.message),
    }
}

/// The search of `query` under the filters `search_quotes` and
/// `trace_topic` share, checked; the page and the other filters are the caller's.
fn subject_request(
    query: &str,
    speaker: &Option<String>,
    show: &Option<String>,
    published_after: Option<&str>,
    published_before: Option<&str>,
) -> Result<SearchRequest, String> {
    let query = query.trim();
    if query.is_empty() {
        return Err(
            "`query` is empty: give a few words, a name or an \"exact phrase\" to search for"
                .to_string(),
        );
    }
    Ok(SearchRequest {
        query: query.to_string(),
        speaker: text("speaker", speaker)?.map(str::to_string),
        show: text("show", show)?.map(str::to_string),
        published_after: date("published_after", published_after)?,
        published_before: date("published_before", published_before)?,
        ..SearchRequest::default()
    })
}

/// The fingerprint of a search's listing: the tool and every filter, not the page.
fn request_fingerprint(tool: &str, request: &SearchRequest) -> String {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    fingerprint(&[
        tool,
        &request.query,
        request.episode_id.as_deref().unwrap_or(""),
        request.speaker.as_deref().unwrap_or(""),
        request.show.as_deref().unwrap_or(""),
        request.language.as_deref().unwrap_or(""),
        &request.chapter.map(|c| c.to_string()).unwrap_or_default(),
        &day(request.published_after),
        &day(request.published_before),
        if request.include_undated {
            "undated"
        } else {
            ""
        },
    ])
}

/// A tool's blocking task died (a panic, or the runtime shutting down): the
/// detail is for the server log, not for the client, which gets one line.
fn task_failed(what: &str, error: &tokio::task::JoinError) -> String {
    tracing::error!("the {what} task failed: {error}");
    format!("internal error during the {what}; the server log has the details")
}
