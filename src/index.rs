//! The quote-search index: tantivy on disk, French analysis (and each other
//! language's), lenient queries.
//!
//! - [`contract`]: what a search takes and what a hit carries (public JSON).
//! - [`analyzer`]: the `fr_v1` analyzer (elision, folding, stemming) and one
//!   per other language, each with its own text field ([`analyzer::Lane`]).
//! - [`common_grams`]: pairs of neighbouring frequent words, indexed as
//!   terms so that a phrase of frequent words is fast.
//! - [`schema`]: one document per passage and its filter fields.
//! - [`query`]: user words -> tantivy query (fuzzy variants, phrases, filters).
//! - `variants`: a word and its fuzzy variants as one seekable scorer.
//! - [`deadline`]: stops a query that runs past its time budget.
//! - [`hits`]: passage -> [`SearchHit`] with highlights, context and citation.
//! - [`topic`]: every match grouped per episode, to trace a subject ([`TopicTrace`]).
//! - [`store`]: where the index lives, freshness, incremental updates, locks;
//!   it reads episodes through [`crate::ingest`] and writes their passages
//!   into the corpus's passage files.
//!
//! The index does not own the corpus: [`open_or_build`] gives both, and a
//! [`SearchIndex`] is searched together with the [`Corpus`] it was opened
//! with ([`crate::serve::Snapshot`] keeps the pair). It is `Send + Sync` and
//! meant to be shared in an `Arc`.

pub mod analyzer;
pub mod common_grams;
pub mod contract;
pub mod deadline;
mod evidence;
mod filtered;
pub mod hits;
mod passage_lookup;
pub mod query;
pub mod schema;
pub mod store;
pub mod topic;
mod variants;

use crate::corpus::Corpus;
use analyzer::{Lane, LaneAnalyzers};
use deadline::DeadlineQuery;
use passage_lookup::PassageLookup;
use query::{MetaTerms, NameIndex, Planner};
use schema::Fields;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tantivy::Executor;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Index, IndexReader, Searcher};

pub use contract::{
    Context, Highlight, MAX_COUNTED, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, MAX_QUERY_TERMS,
    SearchError, SearchHit, SearchRequest, SearchResults,
};
pub use store::{
    BuildProgress, IndexAction, IndexOptions, IndexReport, OpenedIndex, ProgressFn, open_or_build,
    open_or_build_from,
};
pub use topic::{TopicTrace, TracedEpisode};

/// Most threads a search spreads its segments over.
const MOST_SEARCH_THREADS: usize = 4;

/// Runs `query` with `collector` on `searcher`, as `Searcher::search`
/// does, with the segments of the index searched side by side, one per
/// core (up to `MOST_SEARCH_THREADS`): a 1 GB index has a dozen
/// segments, and a search then waits for the busiest core, not for the
/// sum. One pool of threads serves the whole process; an index of one
/// segment is searched in the calling thread, as is every search on one
/// core or when the pool cannot start.
///
/// Handing a search to the pool and waiting for it costs about a tenth of
/// a millisecond on a 2-core virtual machine. Through plain JSON-RPC on the
/// bench's query mix, at 100 MB (2 segments) the median query took as
/// long either way (the heaviest a third less, the lightest 0.1-0.2 ms
/// more); at 1 GB (14 segments) the median went from 4.1 to 2.3-2.6 ms.
/// Two threads started for each search instead of a pool made it 3.9 ms.
pub fn search_on_cores<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    static POOL: OnceLock<Executor> = OnceLock::new();
    static CALLING_THREAD: Executor = Executor::SingleThread;
    let executor = if searcher.segment_readers().len() > 1 {
        POOL.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let threads = cores.min(MOST_SEARCH_THREADS);
            if threads < 2 {
                return Executor::single_thread();
            }
            Executor::multi_thread(threads, "verbatim-search-")
                .unwrap_or_else(|_| Executor::single_thread())
        })
    } else {
        &CALLING_THREAD
    };
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    searcher.search_with_executor(query, collector, executor, scoring)
}

/// Below this many hits for all the words, any-word matching is used instead.
/// Kept at "none": a few passages with every word beat many with some of them.
const FALLBACK_BELOW: usize = 1;

/// Why the index could not be opened or built.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Io(#[from] crate::corpus::passage_files::IoError),
    #[error("index engine: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("index file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("corpus: {0}")]
    Source(String),
    #[error("no cache directory for this user; pass --index-dir")]
    NoCacheDir,
}

/// One query's page of hits, its total count, whether the deadline cut it
/// short (then hits and count are of the matches seen in time), and whether
/// the count stopped at [`MAX_COUNTED`].
type Ran = (Vec<(f32, DocAddress)>, usize, bool, bool);

/// How [`SearchIndex::run`] ranks a query.
#[derive(Debug, Clone, Copy)]
enum Ranking {
    /// Every match scored, and counted in the same pass.
    Exhaustive,
    /// Tantivy may prune the ranking (see [`query::Plan::prunable`]).
    /// `maybe_few`: the matches may fit [`MAX_COUNTED`], so one scored and
    /// counted pass is tried first; otherwise a count pass and a pruned one.
    Pruned { maybe_few: bool },
}

/// A searchable, opened index: postings and positions of every passage of
/// the corpus it was opened with (see [`open_or_build`]).
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Episode and chapter metadata terms, from the corpus's headers (built at the first search).
    meta: OnceLock<Arc<MetaTerms>>,
    /// The spellings of each person's name, from the corpus's people (built at the first search).
    names: OnceLock<Arc<NameIndex>>,
    /// Whether `meta` and `names` are stored with the index state (read
    /// from it, or written there): then they need not be written again.
    terms_stored: AtomicBool,
    /// Fuzzy variants of the words searched so far.
    variants: query::VariantCache,
    /// Where each segment's hits are in the corpus.
    passages: PassageLookup,
    /// Bounds of speaker names' scores in each segment.
    name_scores: Arc<evidence::NameScores>,
    deadline: Duration,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("passages", &self.num_passages())
            .finish()
    }
}

impl SearchIndex {
    pub(crate) fn new(index: Index, deadline: Duration) -> Result<Self, IndexError> {
        schema::register_analyzers(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            meta: OnceLock::new(),
            names: OnceLock::new(),
            terms_stored: AtomicBool::new(false),
            variants: query::VariantCache::default(),
            passages: PassageLookup::default(),
            name_scores: Arc::default(),
            deadline,
        })
    }

    /// An index of no passage (what a server holds until its own is open).
    pub(crate) fn empty(deadline: Duration) -> Result<Self, IndexError> {
        let (schema, _) = Fields::build();
        Self::new(Index::create_in_ram(schema), deadline)
    }

    /// Builds now what the first search would otherwise build: the
    /// metadata and name terms of `corpus` (the corpus this index was
    /// opened with). A second or two at 1 GB; searches that arrive
    /// meanwhile wait for it rather than build it again.
    pub fn prepare(&self, corpus: &Corpus) -> (&MetaTerms, &NameIndex) {
        self.prepare_with(corpus, None)
    }

    /// [`SearchIndex::prepare`] for the next state of a live corpus:
    /// `previous` is the index served until now and the corpus it was
    /// opened with. Its terms are carried over where the episodes'
    /// metadata and people did not change, and updated for the episodes
    /// that did, instead of being built again from every header.
    pub fn prepare_from(
        &self,
        corpus: &Corpus,
        previous: (&SearchIndex, &Corpus),
    ) -> (&MetaTerms, &NameIndex) {
        self.prepare_with(corpus, Some(previous))
    }

    fn prepare_with(
        &self,
        corpus: &Corpus,
        previous: Option<(&SearchIndex, &Corpus)>,
    ) -> (&MetaTerms, &NameIndex) {
        if let (Some(meta), Some(names)) = (self.meta.get(), self.names.get()) {
            return (meta, names);
        }
        let headers = corpus.headers();
        let build_meta = || {
            let carried = previous
                .and_then(|(index, before)| index.meta.get()?.updated(before.headers(), headers));
            carried.unwrap_or_else(|| Arc::new(MetaTerms::build(headers)))
        };
        let build_names = || {
            let carried = previous.and_then(|(index, before)| {
                let names = index.names.get()?;
                NameIndex::same_people(before.headers(), headers).then(|| Arc::clone(names))
            });
            carried.unwrap_or_else(|| Arc::new(NameIndex::build(headers)))
        };
        // Independent, and each a second's work at 1 GB: side by side.
        std::thread::scope(|scope| {
            let names = scope.spawn(|| self.names.get_or_init(build_names));
            let meta = self.meta.get_or_init(build_meta);
            let names = match names.join() {
                Ok(names) => names,
                // It panicked there: the same panic here, where it is reported.
                Err(_) => self.names.get_or_init(build_names),
            };
            (&**meta, &**names)
        })
    }

    /// Sets the metadata and name terms read back with the index state
    /// (see [`store`]), so that no search builds them.
    pub(crate) fn set_stored_terms(&self, meta: MetaTerms, names: NameIndex) {
        let _ = self.meta.set(Arc::new(meta));
        let _ = self.names.set(Arc::new(names));
        self.terms_stored.store(true, Ordering::Relaxed);
    }

    /// Whether the metadata and name terms are stored with the index state
    /// this index was opened from (read from it, or written there since).
    pub fn terms_stored(&self) -> bool {
        self.terms_stored.load(Ordering::Relaxed)
    }

    /// Records that the terms were written with the index state.
    pub(crate) fn mark_terms_stored(&self) {
        self.terms_stored.store(true, Ordering::Relaxed);
    }

    /// Passages in the index.
    pub fn num_passages(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Changes the per-search time budget (default one second).
    pub fn set_deadline(&mut self, deadline: Duration) {
        self.deadline = deadline;
    }

    /// The underlying tantivy index (for inspection and tests).
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// One page of `query`'s best hits among all its matches, and how many
    /// match. A query that is not [`Ranking::Pruned`] is scored exhaustively
    /// and counted in the same pass; the deadline bounds both.
    fn run(
        &self,
        searcher: &Searcher,
        query: Box<dyn Query>,
        ranking: Ranking,
        deadline: Instant,
        limit: usize,
        offset: usize,
    ) -> Result<Ran, SearchError> {
        let top_k = || {
            TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by_score()
        };
        if let Ranking::Pruned { maybe_few } = ranking {
            // Scoring the matches while counting them, when they fit the
            // count, costs less than a pruned pass and a count pass; past
            // the count, tantivy prunes a second pass for the ranking.
            let counted = DeadlineQuery::with_budget(query.box_clone(), deadline, MAX_COUNTED);
            let count = if maybe_few {
                let (top, count) = search_on_cores(searcher, &counted, &(top_k(), Count))
                    .map_err(SearchError::backend)?;
                if !counted.capped() {
                    return Ok((top, count, counted.expired(), false));
                }
                count
            } else {
                search_on_cores(searcher, &counted, &Count).map_err(SearchError::backend)?
            };
            let ranked = DeadlineQuery::new(query, deadline).pruned_by_tantivy();
            let top = search_on_cores(searcher, &ranked, &top_k()).map_err(SearchError::backend)?;
            return Ok((
                top,
                count,
                ranked.expired() || counted.expired(),
                counted.capped(),
            ));
        }
        let scored = DeadlineQuery::new(query, deadline);
        let (top, count) =
            search_on_cores(searcher, &scored, &(top_k(), Count)).map_err(SearchError::backend)?;
        Ok((top, count, scored.expired(), false))
    }
}

/// The lane (language field) of the episode at `position` in the corpus.
fn lane_of(corpus: &Corpus, position: usize) -> usize {
    Lane::of(
        corpus
            .headers()
            .get(position)
            .and_then(|h| h.episode.language.as_deref()),
    )
}

/// When a query with no full match reads as English over transcripts in
/// another language (none of them English): which language to search in.
fn language_hint(corpus: &Corpus, query: &str) -> Option<String> {
    if !crate::text::looks_english(query) {
        return None;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for h in corpus.headers() {
        if let Some(language) = h.episode.language.as_deref() {
            *counts.entry(language).or_default() += 1;
        }
    }
    // English episodes were searched in English: the query had its chance.
    if counts.keys().any(|l| l.starts_with("en")) {
        return None;
    }
    let (language, _) = counts.into_iter().max_by_key(|(l, n)| (*n, *l))?;
    let name = match language.get(..2).unwrap_or(language) {
        "fr" => "French",
        "es" => "Spanish",
        "de" => "German",
        "it" => "Italian",
        _ => language,
    };
    Some(format!(
        "the query reads as English but the transcripts are in {name} ({language}): no passage has all its words; search in {name} (e.g. \"IA\", not \"AI\")"
    ))
}

impl SearchIndex {
    /// Checks `request`'s page and plans its query against `searcher`;
    /// returns the plan and the deadline it runs under.
    fn plan(
        &self,
        corpus: &Corpus,
        searcher: &Searcher,
        request: &SearchRequest,
    ) -> Result<(query::Plan, Instant), SearchError> {
        if request.limit == 0 || request.limit > MAX_LIMIT {
            return Err(SearchError::Invalid(format!(
                "limit must be between 1 and {MAX_LIMIT}, got {}",
                request.limit
            )));
        }
        if request.offset > MAX_OFFSET {
            return Err(SearchError::Invalid(format!(
                "offset must be at most {MAX_OFFSET}, got {}: narrow the search instead of paging further",
                request.offset
            )));
        }
        let (meta, names) = self.prepare(corpus);
        // The clock starts once the corpus's terms are built: the first
        // search of a large corpus builds them (a second or two at 1 GB), and
        // must not spend its own time budget on them.
        let deadline = Instant::now() + self.deadline;
        // The query is planned in each language the search covers: the
        // filter's, else every language the corpus has (French alone for a
        // French corpus, as before languages had fields of their own).
        let language = query::language_filter(corpus.headers(), request)?;
        let lanes = match &language {
            Some(code) => vec![Lane::of(Some(code))],
            None if meta.lanes.is_empty() => vec![0],
            None => meta.lanes.clone(),
        };
        let mut plans = Vec::with_capacity(lanes.len());
        for lane in lanes {
            let mut planner = Planner {
                searcher,
                fields: self.fields,
                episodes: corpus.headers(),
                meta,
                names,
                lane,
                language: language.as_deref(),
                analyzer: analyzer::lane_analyzer(lane),
                variant_cache: &self.variants,
                corpus,
                passages: &self.passages,
                name_scores: &self.name_scores,
            };
            plans.push(planner.plan(request)?);
        }
        let plan = query::Plan::merge(plans)
            .ok_or_else(|| SearchError::Invalid("the search covers no language".to_string()))?;
        Ok((plan, deadline))
    }

    /// Traces `request`'s query across `corpus` (the corpus this index was
    /// opened with): the episodes with a matching passage, oldest first
    /// (undated last), each with its count of matching passages, their
    /// speakers, its first match's time and its best passage as a hit. The
    /// same query language, filters and deadline as [`SearchIndex::search`];
    /// `limit` and `offset` count episodes.
    pub fn trace(
        &self,
        corpus: &Corpus,
        request: &SearchRequest,
    ) -> Result<TopicTrace, SearchError> {
        let searcher = self.reader.searcher();
        let (plan, deadline) = self.plan(corpus, &searcher, request)?;
        let mut notes = plan.notes.clone();
        let mut trace = TopicTrace {
            query: request.query.clone(),
            total_hits: 0,
            total_episodes: 0,
            episodes: Vec::new(),
            notes: Vec::new(),
        };
        let Some(conjunction) = plan.conjunction.as_ref().filter(|_| !plan.nothing) else {
            if notes.is_empty() {
                notes.push(
                    "nothing to trace: the query has no word a passage could say; give a few words or a name"
                        .to_string(),
                );
            }
            trace.notes = notes;
            return Ok(trace);
        };
        let group = |main: Box<dyn Query>| {
            let timed = DeadlineQuery::new(plan.with_filters(main), deadline);
            let groups = search_on_cores(
                &searcher,
                &timed,
                &topic::PerEpisode {
                    corpus,
                    lookup: &self.passages,
                },
            )
            .map_err(SearchError::backend)?;
            Ok::<_, SearchError>((groups, timed.expired()))
        };
        let (mut groups, mut expired) = group(conjunction.box_clone())?;
        if groups.is_empty() && !expired {
            if let Some(hint) = language_hint(corpus, &request.query) {
                notes.push(hint);
            }
            if let Some(disjunction) = plan.disjunction.as_ref().filter(|_| !request.all_words) {
                let (any, any_expired) = group(disjunction.box_clone())?;
                if !any.is_empty() {
                    notes.push(
                        "no passage contains all the words; showing episodes whose passages contain some of them"
                            .to_string(),
                    );
                    (groups, expired) = (any, any_expired);
                }
            }
        }
        if expired {
            notes.push(format!(
                "search stopped at its {} ms time limit: episodes and counts are partial; use a more specific query",
                self.deadline.as_millis()
            ));
        }
        let headers = corpus.headers();
        let mut found: Vec<(usize, topic::Group)> = groups.into_iter().collect();
        let published = |p: usize| headers.get(p).and_then(|h| h.episode.published);
        // Oldest first, undated last; the same date in corpus (id) order.
        found.sort_by_key(|(p, _)| (published(*p).is_none(), published(*p), *p));
        trace.total_hits = found.iter().map(|(_, g)| g.matches).sum();
        trace.total_episodes = found.len();
        let undated = found
            .iter()
            .filter(|(p, _)| published(*p).is_none())
            .count();
        if undated > 0 {
            notes.push(format!(
                "{undated} episode(s) have no publication date: they come last, after the dated ones"
            ));
        }
        if found
            .iter()
            .any(|(_, g)| g.matches > topic::SPEAKER_PASSAGES)
        {
            notes.push(format!(
                "`speakers` are those of an episode's first {} matching passages; `matches` counts them all",
                topic::SPEAKER_PASSAGES
            ));
        }
        let mut analyzers = LaneAnalyzers::default();
        for (position, group) in found.iter().skip(request.offset).take(request.limit) {
            let lane = lane_of(corpus, *position);
            if let Some(episode) = topic::traced_episode(
                corpus,
                *position,
                group,
                plan.matchers_for(lane),
                analyzers.get(lane),
            )? {
                trace.episodes.push(episode);
            }
        }
        trace.notes = notes;
        Ok(trace)
    }

    /// Runs one search over `corpus` (the corpus this index was opened
    /// with). Never fails on the query's wording (lenient parsing); fails on
    /// invalid arguments or an index fault.
    pub fn search(
        &self,
        corpus: &Corpus,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let (plan, deadline) = self.plan(corpus, &searcher, request)?;
        let mut notes = plan.notes.clone();
        let mut results = SearchResults {
            query: request.query.clone(),
            total_hits: 0,
            total_is_lower_bound: false,
            hits: Vec::new(),
            notes: Vec::new(),
        };
        if plan.nothing {
            results.notes = notes;
            return Ok(results);
        }
        // One page of `query` under the plan's filters.
        let run = |query: Box<dyn Query>, ranking: Ranking| {
            self.run(
                &searcher,
                query,
                ranking,
                deadline,
                request.limit,
                request.offset,
            )
        };
        let (top, total, expired, capped) = match &plan.conjunction {
            None if plan.filters.is_empty() => {
                results.notes = notes;
                return Ok(results);
            }
            None => run(plan.filters_only(), Ranking::Exhaustive)?,
            Some(conjunction) => {
                let ranking = if plan.prunable {
                    Ranking::Pruned {
                        maybe_few: plan.likely_matches() <= MAX_COUNTED as f64,
                    }
                } else {
                    Ranking::Exhaustive
                };
                let first = run(plan.ranked_with_filters(conjunction.box_clone()), ranking)?;
                if first.1 == 0
                    && !first.2
                    && let Some(hint) = language_hint(corpus, &request.query)
                {
                    notes.push(hint);
                }
                let words = match &plan.disjunction {
                    Some(disjunction)
                        if first.1 < FALLBACK_BELOW.min(request.limit)
                            && !first.2
                            && !request.all_words =>
                    {
                        let any = run(
                            plan.with_filters(disjunction.box_clone()),
                            Ranking::Exhaustive,
                        )?;
                        if any.1 > first.1 {
                            notes.push(format!(
                                "{} passage(s) contain all the words; showing passages that contain some of them, best first",
                                first.1
                            ));
                            any
                        } else {
                            first
                        }
                    }
                    _ => first,
                };
                match &plan.metadata_only {
                    Some(metadata) if words.1 == 0 && !words.2 && !request.all_words => {
                        let described =
                            run(plan.with_filters(metadata.box_clone()), Ranking::Exhaustive)?;
                        if described.1 > 0 {
                            notes.push(
                                "no passage says these words; showing passages of the episodes or chapters whose titles, descriptions or people match them"
                                    .to_string(),
                            );
                        }
                        described
                    }
                    _ => words,
                }
            }
        };
        if expired {
            notes.push(format!(
                "search stopped at its {} ms time limit: results and total_hits are partial; use a more specific query",
                self.deadline.as_millis()
            ));
        }
        let mut analyzers = LaneAnalyzers::default();
        // Equal scores come in index order, which depends on how the index
        // was written (threads, segments): ties go in corpus order instead,
        // so the same corpus answers the same way however it was indexed.
        let mut located: Vec<(f32, usize, usize)> = top
            .into_iter()
            .filter_map(|(score, address)| {
                let (episode, ordinal) = self.passages.locate(corpus, &searcher, address)?;
                Some((score, episode, ordinal))
            })
            .collect();
        located.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for (score, episode_index, ordinal) in located {
            let Some(header) = corpus.headers().get(episode_index) else {
                continue;
            };
            // The passage and its neighbours only: the rest of the episode stays on disk.
            let first = ordinal.saturating_sub(1);
            let around = corpus
                .passages_at(episode_index, first..ordinal + 2)
                .map_err(SearchError::backend)?;
            if let Some(hit) = hits::build_hit(
                &header.episode,
                &around,
                ordinal - first,
                score,
                plan.matchers_for(lane_of(corpus, episode_index)),
                analyzers.get(lane_of(corpus, episode_index)),
            ) {
                results.hits.push(hit);
            }
        }
        if capped {
            notes.push(format!(
                "more than {MAX_COUNTED} passages match: total_hits is a lower bound (the hits are still the best of all matches); add words or filters to narrow"
            ));
        }
        results.total_hits = total;
        results.total_is_lower_bound = capped;
        results.notes = notes;
        Ok(results)
    }
}
