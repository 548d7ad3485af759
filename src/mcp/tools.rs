//! The eight tools and their outputs: names, arguments and outputs are a
//! public contract.
//!
//! Every tool is read-only and idempotent over a closed corpus. Arguments a
//! model can get wrong (an id, a limit, a date, a cursor) are checked
//! ([`super::arguments`]) and refused with a tool error (`isError`) that says
//! what is valid, so the model can correct itself; numbers are accepted as
//! any integer and range-checked for the same reason (a schema type error
//! would be a protocol error the model never sees).

use super::VerbatimServer;
use super::arguments::*;
use crate::answers::catalog::{EpisodeFilter, EpisodeSummary, filter_episodes};
use crate::answers::reading::{PassageView, around_window, chapter_window, page, time_window};
use crate::answers::speakers::{SpeakersSummary, summarize_speakers};
use crate::answers::verify::{QuoteCheck, Verification, VerifyError, verify};
use crate::index::{MAX_OFFSET, SearchRequest, SearchResults};
use crate::mcp::cursor::{self, fingerprint};
use crate::model::ChapterRef;
use crate::model::{
    Chapter, ChapterTiming, Diagnostic, Episode, EpisodeTiming, Millis, Participant, PassageTiming,
    Source,
};
use chrono::NaiveDate;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::ops::Range;

// ---------------------------------------------------------------- outputs

/// One page of episodes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeList {
    pub episodes: Vec<EpisodeSummary>,
    /// Episodes matching the filters in all (this page holds some of them).
    pub total: usize,
    /// Pass it back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// About the listing (e.g. undated episodes a date filter left out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A chapter in an episode's outline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChapterOutline {
    pub index: usize,
    pub title: String,
    #[serde(with = "crate::model::seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    #[serde(with = "crate::model::seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub end_seconds: Option<Millis>,
    /// `exact` (time given by the source), `estimated` (listed without a time; inferred) or `generated` (made by verbatim).
    pub timing: ChapterTiming,
    /// Passages in the chapter.
    pub passage_count: usize,
    /// 3 to 6 distinctive names and phrases said in the chapter, most telling first.
    pub keywords: Vec<String>,
}

/// Counts over an episode's transcript.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeStatistics {
    pub passages: usize,
    pub words: usize,
    /// Passages whose time was read from the source.
    pub timed_passages: usize,
    pub has_timestamps: bool,
    /// How the passages are timed: `exact` (read from the source), `estimated` (interpolated, `~`), `none` (`untimed`) or `mixed`.
    pub timing: EpisodeTiming,
    pub has_speaker_turns: bool,
    /// Speaker names or labels found in the transcript, in order of first appearance.
    pub speakers: Vec<String>,
}

/// Everything known about one episode except its text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeDetails {
    pub episode_id: String,
    pub title: String,
    pub show: Option<String>,
    /// Publication date, YYYY-MM-DD.
    pub published: Option<NaiveDate>,
    /// Recording date, YYYY-MM-DD.
    pub recorded: Option<NaiveDate>,
    #[serde(with = "crate::model::seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub duration_seconds: Option<Millis>,
    pub description: Option<String>,
    /// Where the episode can be watched or listened to.
    pub url: Option<String>,
    pub language: Option<String>,
    /// The file the episode was read from.
    pub source: Source,
    pub participants: Vec<Participant>,
    pub chapters: Vec<ChapterOutline>,
    pub statistics: EpisodeStatistics,
    /// What was guessed or went wrong while reading the file (at most 30 listed).
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics in all.
    pub diagnostics_total: usize,
    /// The whole transcript as a Markdown resource.
    pub resource_uri: String,
}

/// An episode's chapters.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChapterList {
    pub episode_id: String,
    pub episode_title: String,
    pub chapters: Vec<Chapter>,
    /// Said when the episode has no chapters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One page of passages of an episode.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Reading {
    pub episode_id: String,
    pub episode_title: String,
    pub show: Option<String>,
    /// Publication date, YYYY-MM-DD.
    pub published: Option<NaiveDate>,
    /// The chapter read (`read_chapter` only).
    pub chapter: Option<ChapterRef>,
    /// The passages of this page, in order.
    pub passages: Vec<PassageView>,
    /// Passages in the whole window (this page holds some of them).
    pub window_passages: usize,
    /// Position of this page's first passage in the window, from 0.
    pub offset: usize,
    /// Pass it back as `cursor` (with the same arguments) for the rest of the window; absent at its end.
    pub next_cursor: Option<String>,
}

/// One page of search hits.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct QuoteSearchPage {
    #[serde(flatten)]
    pub results: SearchResults,
    /// Pass it back as `cursor` (with the same arguments) for more hits; absent on the last page.
    pub next_cursor: Option<String>,
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
            show: episode.show.clone(),
            published: episode.published,
            chapter,
            passages: episode
                .passages
                .get(page.range.clone())
                .unwrap_or_default()
                .iter()
                .map(PassageView::of)
                .collect(),
            window_passages: window.len(),
            offset,
            next_cursor: page
                .next
                .map(|n| cursor::encode(fingerprint, n - window.start)),
        })
    }
}

// ---------------------------------------------------------------- tools

#[tool_router(router = tool_router, vis = "pub(super)")]
impl VerbatimServer {
    /// List the episodes of the transcript corpus (podcasts and videos, mostly French), newest first, with their
    /// show, date, duration, participants, number of chapters, timing (`exact`, `estimated`, `none`, `mixed`) and
    /// whether they have speaker turns. Use it to discover what the corpus holds or to find an episode id by title,
    /// show, person or date; to find what was said about a topic, use `search_quotes` instead. Returns
    /// `{episodes, total, next_cursor, notes}` (a date filter leaves out undated episodes and says how many).
    #[tool(
        name = "list_episodes",
        title = "List episodes",
        annotations(
            title = "List episodes",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
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
        Ok(Json(EpisodeList {
            episodes,
            total,
            next_cursor,
            notes,
        }))
    }

    /// Everything about one episode except its text: title, show, dates, duration, description, URL, participants
    /// (name, role, affiliation, aliases), the chapter outline with times, statistics (passages, words, speakers,
    /// whether it is timed) and the diagnostics verbatim noted while reading the source file. Use it before
    /// reading or citing an episode; to read its words use `read_chapter` or `read_transcript`.
    #[tool(
        name = "get_episode",
        title = "Get an episode's details",
        annotations(
            title = "Get an episode's details",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    pub async fn get_episode(
        &self,
        Parameters(args): Parameters<EpisodeArgs>,
    ) -> Result<Json<EpisodeDetails>, String> {
        let e = self.episode_or_hint(&args.episode_id)?;
        let chapters = e
            .chapters
            .iter()
            .map(|c| ChapterOutline {
                index: c.index,
                title: c.title.clone(),
                start_seconds: c.start_seconds,
                end_seconds: c.end_seconds,
                timing: c.timing,
                passage_count: e
                    .passages
                    .iter()
                    .filter(|p| p.chapter == Some(c.index))
                    .count(),
                keywords: c.keywords.clone(),
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
            timed_passages: e
                .passages
                .iter()
                .filter(|p| p.timing == PassageTiming::Exact)
                .count(),
            has_timestamps: e.has_timestamps(),
            timing: e.timing(),
            has_speaker_turns: e.has_speaker_turns(),
            speakers,
        };
        Ok(Json(EpisodeDetails {
            episode_id: e.episode_id.clone(),
            title: e.title.clone(),
            show: e.show.clone(),
            published: e.published,
            recorded: e.recorded,
            duration_seconds: e.duration_seconds,
            description: e.description.clone(),
            url: e.url.clone(),
            language: e.language.clone(),
            source: e.source.clone(),
            participants: e.participants.clone(),
            chapters,
            statistics,
            diagnostics: e
                .diagnostics
                .iter()
                .take(DIAGNOSTICS_SHOWN)
                .cloned()
                .collect(),
            diagnostics_total: e.diagnostics.len(),
            resource_uri: super::resources::episode_uri(&e.episode_id),
        }))
    }

    /// The chapters of one episode: index, title, start and end in seconds, how the times were obtained
    /// (`exact` from the source, `estimated` by alignment, `generated` by verbatim), the links the source
    /// gives, and `keywords`: 3 to 6 distinctive names and phrases said in the chapter (computed by verbatim
    /// from the chapter's words for every chapter; generated chapters are titled from them). Use it to see
    /// what an episode is about and to navigate it, then `read_chapter` with a chapter index.
    #[tool(
        name = "list_chapters",
        title = "List an episode's chapters",
        annotations(
            title = "List an episode's chapters",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
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

    /// Read one chapter of an episode: its passages in order, each with passage_id, speaker, start/end seconds,
    /// timing and the exact words. Long chapters come in pages of about `max_chars` characters: call again with
    /// `cursor` = `next_cursor` until it is absent. Use `list_chapters` for the indexes; to read around a search
    /// hit or a moment, `read_transcript` is better.
    #[tool(
        name = "read_chapter",
        title = "Read a chapter",
        annotations(
            title = "Read a chapter",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
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

    /// Read part of an episode's transcript, to see the context of a quote before using it: either the passages
    /// around one passage (`around_passage` = a passage_id from a search hit, with `before`/`after` counts), or a
    /// time span (`start_seconds`/`end_seconds`), or, with neither, the episode from the start. Returns passages
    /// with passage_id, speaker, times, timing and exact words, paginated by `max_chars` with `next_cursor`.
    #[tool(
        name = "read_transcript",
        title = "Read a transcript window",
        annotations(
            title = "Read a transcript window",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
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

    /// Search the whole corpus for passages that say something: French-aware full-text search in the
    /// transcripts' language (accents, case, plurals and small spelling slips tolerated; "double quotes" for an
    /// exact phrase; a word in capitals such as IA is an acronym; a person's name also finds the ways speech
    /// recognition misheard it), with filters on episode, speaker, show, chapter and publication dates. Each hit
    /// gives the passage's exact words, who says them (when the transcript says), the episode, chapter, when the
    /// matched words are said (`match_start_seconds`, to the word or caption line; `start_seconds` is the
    /// passage's), the neighbouring words with their own speaker, and a ready-to-paste citation at the matched
    /// words' time. Use it first for any
    /// question about what was said; then `read_transcript` around a hit and `verify_quote` before quoting.
    /// Returns `{query, total_hits, hits, next_cursor, notes}`; read `notes`: they say what a filter could not do.
    #[tool(
        name = "search_quotes",
        title = "Search quotes",
        annotations(
            title = "Search quotes",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    pub async fn search_quotes(
        &self,
        Parameters(args): Parameters<SearchQuotesArgs>,
    ) -> Result<Json<QuoteSearchPage>, String> {
        let query = args.query.trim().to_string();
        if query.is_empty() {
            return Err(
                "`query` is empty: give a few words, a name or an \"exact phrase\" to search for"
                    .to_string(),
            );
        }
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
            query: query.clone(),
            episode_id,
            speaker: text("speaker", &args.speaker)?.map(str::to_string),
            show: text("show", &args.show)?.map(str::to_string),
            chapter,
            published_after: date("published_after", args.published_after.as_deref())?,
            published_before: date("published_before", args.published_before.as_deref())?,
            include_undated: args.include_undated.unwrap_or(false),
            limit,
            offset: 0,
            all_words: false,
        };
        let print = fingerprint(&[
            "search_quotes",
            &request.query,
            request.episode_id.as_deref().unwrap_or(""),
            request.speaker.as_deref().unwrap_or(""),
            request.show.as_deref().unwrap_or(""),
            &request.chapter.map(|c| c.to_string()).unwrap_or_default(),
            &request
                .published_after
                .map(|d| d.to_string())
                .unwrap_or_default(),
            &request
                .published_before
                .map(|d| d.to_string())
                .unwrap_or_default(),
            if request.include_undated {
                "undated"
            } else {
                ""
            },
        ]);
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
        Ok(Json(QuoteSearchPage {
            results,
            next_cursor,
        }))
    }

    /// Check a quote before putting it in front of a person. Returns `verdict`: `exact` (the transcript has these
    /// words; accents, case and punctuation aside), `close` (the same statement in slightly different words:
    /// fillers, a misheard word, numbers written otherwise; quote `match.excerpt` instead), `altered` (most words
    /// are there but the claim differs: a negation, a number, unit or date, a name, a question made a statement,
    /// or words stitched from separate places or speakers, listed in `changes`; never present it as a quote) or
    /// `not_said` (nothing in the corpus says it, even if every word occurs somewhere; `nearest` shows the nearest
    /// words, which are not a quote); `similarity` from 0 to 1; and `match`, the passage with its exact words,
    /// episode, speaker, when the quoted words are said (`match_start_seconds`), link and a ready-to-paste
    /// citation. With `speaker`, `attribution` says whether the
    /// transcript gives the words to that person (`confirmed`), to someone else (`other_speaker`, `said_by`), or
    /// does not say who speaks there (`unknown`): being a participant of the episode proves nothing.
    #[tool(
        name = "verify_quote",
        title = "Verify a quote",
        annotations(
            title = "Verify a quote",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    pub async fn verify_quote(
        &self,
        Parameters(args): Parameters<VerifyQuoteArgs>,
    ) -> Result<Json<Verification>, String> {
        if args.quote.trim().is_empty() {
            return Err(VerifyError::EmptyQuote.to_string());
        }
        let episode_id = match text("episode_id", &args.episode_id)? {
            Some(id) => Some(self.header_or_hint(id)?.id().to_string()),
            None => None,
        };
        let speaker = text("speaker", &args.speaker)?.map(str::to_string);
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || {
            let check = QuoteCheck {
                quote: &args.quote,
                episode_id: episode_id.as_deref(),
                speaker: speaker.as_deref(),
            };
            verify(&state.corpus, &state.index, check)
        })
        .await
        .map_err(|e| task_failed("verification", &e))?
        .map(Json)
        .map_err(|e| e.to_string())
    }

    /// Who speaks in the corpus (or in one episode, or one person, found by name, alias, speech-recognition
    /// spelling or diarization label): for each person, name, role (host, guest), affiliation, aliases, the
    /// episodes they appear in (with how each diarization label was mapped to them, evidence and confidence),
    /// and, where the transcript says who speaks, their turns, words, seconds of speech and share of the talk;
    /// the terms that set them apart from the rest of the corpus, their self-introduction, three to five
    /// representative quotes with citations, and who they spoke with. Terms, self-introduction and quotes come
    /// only from the turns the transcript attributes to them. Where it gives them no turn (it does not say who
    /// speaks, or never gives them the floor), they have no terms and no quotes; `mentions` then cites the
    /// sentences that introduce or name them (full name, a heard spelling, or their first name when nobody
    /// else in the episode has it) at the time the name is said: others' words, not theirs. Use it to profile a person
    /// or compare who dominates a conversation; to find what someone said about a topic, use
    /// `search_quotes` with `speaker`.
    #[tool(
        name = "summarize_speakers",
        title = "Summarize speakers",
        annotations(
            title = "Summarize speakers",
            read_only_hint = true,
            idempotent_hint = true,
            open_world_hint = false
        )
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

/// A tool's blocking task died (a panic, or the runtime shutting down): the
/// detail is for the server log, not for the client, which gets one line.
fn task_failed(what: &str, error: &tokio::task::JoinError) -> String {
    tracing::error!("the {what} task failed: {error}");
    format!("internal error during the {what}; the server log has the details")
}
