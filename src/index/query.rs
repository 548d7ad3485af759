//! From the user's words to a tantivy query, without ever failing on them.
//!
//! The query text is split on quotes (`"`, `“ ”`, `« »`) into free words and
//! exact phrases; each part goes through the analyzer of the language planned
//! (`fr_v1` for French; a query is planned once per language searched and the
//! plans merged, [`Plan::merge`]), so query-syntax
//! characters typed by accident (`:`, `(`, `^`, `-`) are just separators.
//! Every word is expanded against the term dictionary (ASR misspellings,
//! "Mensch" finds "Mench") into ordinary term queries so that BM25 scores and
//! highlights stay meaningful. Episode and chapter metadata (titles,
//! descriptions, participants) count as weaker evidence for the passages
//! they describe. Filters are zero-score clauses.

use crate::corpus::Corpus;
use crate::index::analyzer::{AnalyzedToken, Lane, analyze};
use crate::index::common_grams;
use crate::index::evidence::{Evidence, NameScores, SpeakerEvidence, WithEvidence};
use crate::index::filtered::FilteredQuery;
use crate::index::passage_lookup::PassageLookup;
use crate::index::schema::{Fields, chapter_key};
use crate::index::variants::VariantsQuery;
use crate::index::{MAX_QUERY_CHARS, MAX_QUERY_TERMS, SearchError, SearchRequest};
use crate::model::EpisodeHeader;
use crate::text::edit_distance;
use crate::text::fold::fold_key;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, ExistsQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, RangeQuery, RegexPhraseQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

/// `words`, scored with the bonus of the passages' episodes, chapters and
/// speakers (when any has one).
fn with_evidence(words: Box<dyn Query>, bonus: Option<&Arc<Evidence>>) -> Box<dyn Query> {
    match bonus {
        Some(bonus) => Box::new(WithEvidence::new(words, Arc::clone(bonus))),
        None => words,
    }
}

/// The metadata evidence of one query word.
struct WordEvidence {
    /// The word, when a speaker's name has it: passages said by them rank higher.
    speaker: Option<Term>,
    /// Corpus positions of the episodes whose metadata has the word.
    episodes: BTreeSet<u32>,
    /// The chapters whose title has it: (corpus position, chapter index).
    chapters: BTreeSet<(u32, usize)>,
}

/// The word positions that count as one item's matched words.
fn matchers_of(item: &Item) -> Vec<Matcher> {
    let slot = |term: &String, variants: &[String]| {
        Slot::Terms(std::iter::once(term).chain(variants).cloned().collect())
    };
    match item {
        Item::Term { term, variants } => vec![vec![slot(term, variants)]],
        Item::Phrase { terms } => vec![terms.iter().map(|(t, v)| slot(t, v)).collect()],
        Item::Acronym { shown, .. } => vec![vec![Slot::Written(shown.clone())]],
        Item::Name { spellings } => spellings
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.iter().map(|t| slot(t, &[])).collect())
            .collect(),
    }
}

/// Weight of a dictionary variant relative to the word as typed.
const VARIANT_BOOST: f32 = 0.6;
/// Weight of a match on the speaker's name rather than on the words.
const SPEAKER_BOOST: f32 = 0.3;
/// Score a passage gets when its episode's title, description or people match a word.
const EPISODE_META_SCORE: f32 = 0.4;
/// Score a passage gets when its chapter title matches a word.
const CHAPTER_META_SCORE: f32 = 0.8;
/// Variants kept per word (the most frequent ones).
const MAX_VARIANTS: usize = 12;
/// Words that get spelling variants: each expansion walks the term
/// dictionary, so the words past these are matched as typed.
const FUZZY_TERMS: usize = 16;

/// One part of the user's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Words(String),
    Phrase(String),
}

/// Splits a query on quotes. An unclosed quote runs to the end (and is reported).
pub fn split_query(query: &str) -> (Vec<Part>, bool) {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_phrase = false;
    for c in query.chars() {
        if matches!(c, '"' | '“' | '”' | '«' | '»' | '„') {
            let text = std::mem::take(&mut current);
            if !text.trim().is_empty() {
                parts.push(if in_phrase {
                    Part::Phrase(text)
                } else {
                    Part::Words(text)
                });
            }
            in_phrase = !in_phrase;
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        parts.push(if in_phrase {
            Part::Phrase(current)
        } else {
            Part::Words(current)
        });
    }
    (parts, in_phrase)
}

/// How far (in edits) a term may be from a dictionary term to count as a variant.
pub fn fuzzy_distance(term: &str) -> u8 {
    match term.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A searchable unit after analysis.
#[derive(Debug, Clone)]
enum Item {
    Term {
        term: String,
        variants: Vec<String>,
    },
    Phrase {
        terms: Vec<(String, Vec<String>)>,
    },
    /// An all-caps word (`AI`, `GPU`): that acronym, not a homograph (`j'ai`).
    Acronym {
        key: String,
        shown: String,
    },
    /// A person's name: any of their spellings (name and heard aliases), each its terms.
    Name {
        spellings: Vec<Vec<String>>,
    },
}

/// One word position of a [`Matcher`]: what counts as a match there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// Any of these analyzed terms (a word and its spelling variants).
    Terms(HashSet<String>),
    /// This word exactly as written (an acronym in capitals).
    Written(String),
}

/// What counts as a matched occurrence in a passage: a word, a phrase, or
/// one spelling of a name, as consecutive word positions.
pub type Matcher = Vec<Slot>;

/// Every spelling of each person of a corpus, by the folded words of each
/// spelling (`arthur mench` -> Arthur Mensch, Arthur Mench, Arthur Mech).
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NameIndex {
    spellings: HashMap<String, Vec<String>>,
    /// Most words in one spelling.
    longest: usize,
}

impl NameIndex {
    /// The people of `episodes` ([`crate::analysis::people`]) and their
    /// spellings; diarization labels are not spellings of a name.
    pub fn build(episodes: &[EpisodeHeader]) -> Self {
        let people = crate::analysis::people::People::build(episodes);
        let mut index = NameIndex::default();
        for person in people.people.iter().filter(|p| !p.is_unnamed()) {
            let spellings: Vec<String> = std::iter::once(&person.name)
                .chain(&person.aliases)
                .filter(|s| !crate::analysis::speakers::is_label(s))
                .cloned()
                .collect();
            if spellings.len() < 2 {
                continue;
            }
            for s in &spellings {
                let key = folded_words(s);
                index.longest = index.longest.max(key.len());
                let entry = index.spellings.entry(key.join(" ")).or_default();
                for other in &spellings {
                    if !entry.contains(other) {
                        entry.push(other.clone());
                    }
                }
            }
        }
        index
    }

    /// Whether the names of `after` are those of `before`: the same episodes
    /// with the same participants and speakers, the only inputs of
    /// [`NameIndex::build`]. A live update that changed a transcript's
    /// text only keeps its names.
    pub fn same_people(before: &[EpisodeHeader], after: &[EpisodeHeader]) -> bool {
        before.len() == after.len()
            && before.iter().zip(after).all(|(b, a)| {
                b.id() == a.id()
                    && b.speakers == a.speakers
                    && b.episode.participants == a.episode.participants
            })
    }

    /// The spellings of the person whose name `words` (folded) spell, if any.
    fn lookup(&self, words: &[String]) -> Option<&Vec<String>> {
        self.spellings.get(&words.join(" "))
    }
}

fn folded_words(text: &str) -> Vec<String> {
    crate::text::words(text)
        .into_iter()
        .map(|w| w.folded)
        .collect()
}

/// Whether a word as typed is an acronym: 2 to 5 capital letters.
fn is_acronym(written: &str) -> bool {
    let n = written.chars().count();
    (2..=5).contains(&n)
        && written
            .chars()
            .all(|c| c.is_alphabetic() && c.is_uppercase())
}

/// Weight of each distinct rare word in an any-word search, against the
/// BM25 score it also gets: large enough that a passage with a rarer word
/// always outranks one with only more common words.
const COVERAGE_WEIGHT: f32 = 1000.0;

/// Which episodes and chapters each metadata term appears in.
///
/// Built from every header when an index is first searched (a second at
/// 1 GB is what `serve` prepares in the background), so it keeps episode
/// ordinals rather than strings: most terms are rare and the build is
/// mostly allocation otherwise. A live update derives the next state's
/// terms from these ([`MetaTerms::updated`]), analysing only the episodes
/// whose metadata changed.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetaTerms {
    /// Episode ids by ordinal.
    ids: Vec<String>,
    /// Term -> ordinals of the episodes whose title, description, show or
    /// participants have it (each once, ascending).
    episodes: FxHashMap<Box<str>, Vec<u32>>,
    /// Term -> (episode ordinal, chapter index) of the chapter titles that have it.
    chapters: FxHashMap<Box<str>, Vec<(u32, usize)>>,
    /// Terms left out of `episodes` for being in too many episodes, with
    /// how many: an update must know when one becomes selective again.
    common_episode_terms: FxHashMap<Box<str>, usize>,
    /// The same for `chapters`.
    common_chapter_terms: FxHashMap<Box<str>, usize>,
    /// Most episodes (chapters) a kept term may be in.
    max_episodes: usize,
    max_chapters: usize,
    /// The lanes (languages with a text field of their own) the episodes'
    /// passages are in, ascending: what a query is planned for.
    pub lanes: Vec<usize>,
}

/// Records `value` under each term of `text` (once per value: values come
/// in ascending order, so a term's last value tells whether it has it).
fn add_terms<V: Copy + PartialEq>(
    map: &mut FxHashMap<Box<str>, Vec<V>>,
    analyzer: &mut TextAnalyzer,
    text: &str,
    value: V,
) {
    analyzer
        .token_stream(text)
        .process(&mut |token| match map.get_mut(token.text.as_str()) {
            Some(values) if values.last() == Some(&value) => {}
            Some(values) => values.push(value),
            None => {
                map.insert(token.text.as_str().into(), vec![value]);
            }
        });
}

/// The metadata text of an episode whose terms count as evidence: title,
/// description, show and participants, a line each.
fn episode_text(episode: &crate::model::Episode, text: &mut String) {
    text.clear();
    text.push_str(&episode.title);
    for extra in [&episode.description, &episode.show].into_iter().flatten() {
        text.push('\n');
        text.push_str(extra);
    }
    for p in &episode.participants {
        text.push('\n');
        text.push_str(&p.name);
        for a in p.aliases.iter().chain(p.affiliation.iter()) {
            text.push('\n');
            text.push_str(a);
        }
    }
}

/// Whether two versions of an episode have the same metadata terms
/// ([`episode_text`]), chapter titles and language.
fn same_metadata(a: &crate::model::Episode, b: &crate::model::Episode) -> bool {
    a.title == b.title
        && a.description == b.description
        && a.show == b.show
        && a.language == b.language
        && a.participants.len() == b.participants.len()
        && a.participants.iter().zip(&b.participants).all(|(p, q)| {
            p.name == q.name && p.aliases == q.aliases && p.affiliation == q.affiliation
        })
        && a.chapters.len() == b.chapters.len()
        && a.chapters
            .iter()
            .zip(&b.chapters)
            .all(|(c, d)| c.index == d.index && c.title == d.title)
}

/// The terms of each episode's title, description, show and participants.
fn episode_terms(episodes: &[EpisodeHeader]) -> FxHashMap<Box<str>, Vec<u32>> {
    let mut analyzer = crate::index::analyzer::french_analyzer();
    let mut terms = FxHashMap::default();
    let mut text = String::new();
    for (ordinal, episode) in (0u32..).zip(episodes.iter().map(|h| &h.episode)) {
        episode_text(episode, &mut text);
        add_terms(&mut terms, &mut analyzer, &text, ordinal);
    }
    terms
}

/// The terms of each chapter title.
fn chapter_terms(episodes: &[EpisodeHeader]) -> FxHashMap<Box<str>, Vec<(u32, usize)>> {
    let mut analyzer = crate::index::analyzer::french_analyzer();
    let mut terms = FxHashMap::default();
    for (ordinal, episode) in (0u32..).zip(episodes.iter().map(|h| &h.episode)) {
        for chapter in &episode.chapters {
            add_terms(
                &mut terms,
                &mut analyzer,
                &chapter.title,
                (ordinal, chapter.index),
            );
        }
    }
    terms
}

/// Moves the terms of `map` found more than `max` times to `common`, with their counts.
fn drop_common<V>(map: &mut FxHashMap<Box<str>, Vec<V>>, max: usize) -> FxHashMap<Box<str>, usize> {
    let mut common = FxHashMap::default();
    map.retain(|term, values| {
        if values.len() > max {
            common.insert(term.clone(), values.len());
            false
        } else {
            true
        }
    });
    common
}

/// The most episodes a metadata term may describe, and the most chapters:
/// a term in more than 2% of them says little about any.
fn selectivity_limits(episodes: &[EpisodeHeader]) -> (usize, usize) {
    let chapter_total: usize = episodes.iter().map(|h| h.episode.chapters.len()).sum();
    (
        (episodes.len() / 50).clamp(10, 200),
        (chapter_total / 50).clamp(20, 400),
    )
}

fn lanes_of(episodes: &[EpisodeHeader]) -> Vec<usize> {
    let lanes: BTreeSet<usize> = episodes
        .iter()
        .map(|h| Lane::of(h.episode.language.as_deref()))
        .collect();
    lanes.into_iter().collect()
}

/// One term's values, kept (`map`) or counted (`common`), in a
/// [`MetaTerms`] being updated.
struct TermLists<'a, V> {
    map: &'a mut FxHashMap<Box<str>, Vec<V>>,
    common: &'a mut FxHashMap<Box<str>, usize>,
    max: usize,
}

impl<V: Ord + Copy> TermLists<'_, V> {
    /// Removes `value` from `term`; false when the term's values are not
    /// kept and it becomes selective again (only a build has them).
    fn remove(&mut self, term: &str, value: V) -> bool {
        if let Some(values) = self.map.get_mut(term) {
            if let Ok(at) = values.binary_search(&value) {
                values.remove(at);
            }
            if values.is_empty() {
                self.map.remove(term);
            }
            return true;
        }
        match self.common.get_mut(term) {
            Some(count) if *count > self.max + 1 => {
                *count -= 1;
                true
            }
            _ => false,
        }
    }

    /// Adds `value` to `term` (in order); a term now in too many is counted only.
    fn add(&mut self, term: &str, value: V) {
        if let Some(count) = self.common.get_mut(term) {
            *count += 1;
            return;
        }
        let values = self.map.entry(term.into()).or_default();
        if let Err(at) = values.binary_search(&value) {
            values.insert(at, value);
        }
        if values.len() > self.max {
            let count = values.len();
            self.map.remove(term);
            self.common.insert(term.into(), count);
        }
    }
}

/// The distinct terms of `text`.
fn terms_of(analyzer: &mut TextAnalyzer, text: &str) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    analyzer.token_stream(text).process(&mut |token| {
        if !terms.contains(token.text.as_str()) {
            terms.insert(token.text.clone());
        }
    });
    terms
}

impl MetaTerms {
    /// Indexes titles, descriptions, participants and chapter titles. A term
    /// found in many episodes says little about any of them and is dropped.
    pub fn build(episodes: &[EpisodeHeader]) -> Self {
        // Episode texts and chapter titles are two maps: built side by side.
        let (chapters, mut episode_terms) = std::thread::scope(|scope| {
            let chapters = scope.spawn(|| chapter_terms(episodes));
            let episode_terms = episode_terms(episodes);
            (chapters.join(), episode_terms)
        });
        let mut chapters = chapters.unwrap_or_else(|_| chapter_terms(episodes));
        // Metadata is evidence only when it is selective, and the sets stay
        // small enough to be cheap to match on a large index.
        let (max_episodes, max_chapters) = selectivity_limits(episodes);
        let common_episode_terms = drop_common(&mut episode_terms, max_episodes);
        let common_chapter_terms = drop_common(&mut chapters, max_chapters);
        MetaTerms {
            ids: episodes.iter().map(|h| h.id().to_string()).collect(),
            episodes: episode_terms,
            chapters,
            common_episode_terms,
            common_chapter_terms,
            max_episodes,
            max_chapters,
            lanes: lanes_of(episodes),
        }
    }

    /// Whether these are the terms of `episodes` in that order (the ordinals
    /// they use), as a stored copy must be to be used.
    pub fn describes(&self, episodes: &[EpisodeHeader]) -> bool {
        self.ids.len() == episodes.len()
            && self.ids.iter().zip(episodes).all(|(id, h)| id == h.id())
    }

    /// The terms of `after`, from these (built from `before`): only the
    /// episodes whose metadata differs are analysed again, and the result
    /// is what [`MetaTerms::build`] would give. `None` when that needs a
    /// build: the episodes are not the same ones, the limits moved, or a
    /// term left out for being common becomes selective again.
    pub fn updated(
        self: &std::sync::Arc<Self>,
        before: &[EpisodeHeader],
        after: &[EpisodeHeader],
    ) -> Option<std::sync::Arc<Self>> {
        if before.len() != after.len()
            || !self.describes(after)
            || !before.iter().zip(after).all(|(b, a)| b.id() == a.id())
            || selectivity_limits(after) != (self.max_episodes, self.max_chapters)
        {
            return None;
        }
        let changed: Vec<(u32, &EpisodeHeader, &EpisodeHeader)> = (0u32..)
            .zip(before.iter().zip(after))
            .filter(|(_, (b, a))| !same_metadata(&b.episode, &a.episode))
            .map(|(ordinal, (b, a))| (ordinal, b, a))
            .collect();
        if changed.is_empty() {
            return Some(std::sync::Arc::clone(self));
        }
        let mut next = MetaTerms::clone(self);
        let mut analyzer = crate::index::analyzer::french_analyzer();
        let mut text = String::new();
        let mut terms_of_episode = |header: &EpisodeHeader| {
            episode_text(&header.episode, &mut text);
            terms_of(&mut analyzer, &text)
        };
        let mut episode_changes = Vec::with_capacity(changed.len());
        for (ordinal, b, a) in &changed {
            episode_changes.push((*ordinal, terms_of_episode(b), terms_of_episode(a)));
        }
        // Each chapter's terms before and after, by (ordinal, chapter index).
        let mut analyzer = crate::index::analyzer::french_analyzer();
        let mut chapter_changes: BTreeMap<(u32, usize), [BTreeSet<String>; 2]> = BTreeMap::new();
        for (ordinal, b, a) in &changed {
            for (header, side) in [(b, 0), (a, 1)] {
                for chapter in &header.episode.chapters {
                    let terms = terms_of(&mut analyzer, &chapter.title);
                    if let Some(slot) = chapter_changes
                        .entry((*ordinal, chapter.index))
                        .or_default()
                        .get_mut(side)
                    {
                        slot.extend(terms);
                    }
                }
            }
        }
        let mut episode_lists = TermLists {
            map: &mut next.episodes,
            common: &mut next.common_episode_terms,
            max: next.max_episodes,
        };
        // Every removal before any addition: a term's count never passes the
        // limit on the way to a value under it.
        for (ordinal, old, new) in &episode_changes {
            for term in old.difference(new) {
                if !episode_lists.remove(term, *ordinal) {
                    return None;
                }
            }
        }
        for (ordinal, old, new) in &episode_changes {
            for term in new.difference(old) {
                episode_lists.add(term, *ordinal);
            }
        }
        let mut chapter_lists = TermLists {
            map: &mut next.chapters,
            common: &mut next.common_chapter_terms,
            max: next.max_chapters,
        };
        for (key, [old, new]) in &chapter_changes {
            for term in old.difference(new) {
                if !chapter_lists.remove(term, *key) {
                    return None;
                }
            }
        }
        for (key, [old, new]) in &chapter_changes {
            for term in new.difference(old) {
                chapter_lists.add(term, *key);
            }
        }
        next.lanes = lanes_of(after);
        Some(std::sync::Arc::new(next))
    }

    /// The corpus positions of the episodes whose metadata has `term`.
    fn episodes_with(&self, term: &str) -> &[u32] {
        self.episodes.get(term).map_or(&[], Vec::as_slice)
    }

    /// The chapters whose title has `term`: (corpus position, chapter index).
    fn chapters_with(&self, term: &str) -> &[(u32, usize)] {
        self.chapters.get(term).map_or(&[], Vec::as_slice)
    }

    /// The id of the episode at corpus `position`.
    fn id(&self, position: u32) -> Option<&str> {
        self.ids.get(position as usize).map(String::as_str)
    }
}

/// What a request became.
pub struct Plan {
    /// All words required (phrases as units); `None` when the query has no words.
    pub conjunction: Option<Box<dyn Query>>,
    /// Whether `conjunction` reduces to plain term scorers (one word and its
    /// variants, or words without variants; with a bounded metadata bonus
    /// at most, see `index::evidence`), so that tantivy can prune its top
    /// hits (block-max WAND), under filters too
    /// ([`Plan::ranked_with_filters`]).
    pub prunable: bool,
    /// No more passages than this can match `conjunction` (from the terms'
    /// document frequencies; `u64::MAX` when not worked out, as for a query
    /// that is not prunable).
    pub matches_at_most: u64,
    /// About what share of the passages the filters keep (1 without
    /// filters): each filter's share, as if they were independent.
    pub filter_share: f64,
    /// Any word suffices, ranked; `None` when there is a single unit.
    pub disjunction: Option<Box<dyn Query>>,
    /// Last resort when no passage says any of the words: the passages of
    /// episodes and chapters whose metadata does (a chapter's topic).
    pub metadata_only: Option<Box<dyn Query>>,
    /// Zero-score filter clauses.
    pub filters: Vec<Box<dyn Query>>,
    /// What the query's matched words are in a passage of each language
    /// searched (lane, matchers): its phrases, names (with their aliases)
    /// and content words, not its function words.
    pub lane_matchers: Vec<(usize, Vec<Matcher>)>,
    /// Something in the request matches nothing (an unknown speaker): no hit.
    pub nothing: bool,
    pub notes: Vec<String>,
}

impl Plan {
    /// The matched words of a passage in lane `lane`: none for a language
    /// the query was not planned in.
    pub fn matchers_for(&self, lane: usize) -> &[Matcher] {
        self.lane_matchers
            .iter()
            .find(|(l, _)| *l == lane)
            .map_or(&[], |(_, m)| m.as_slice())
    }

    /// One plan from the plans of the same request in several languages:
    /// a passage matches when it matches in its own language (each lane's
    /// words live in that lane's field only). The filters are the same in
    /// every plan; the first plan's are kept.
    pub fn merge(plans: Vec<Plan>) -> Option<Plan> {
        let union = |queries: Vec<Box<dyn Query>>| -> Option<Box<dyn Query>> {
            match queries.len() {
                0 => None,
                1 => queries.into_iter().next(),
                _ => Some(Box::new(BooleanQuery::union(queries))),
            }
        };
        let mut plans = plans.into_iter();
        let mut merged = plans.next()?;
        let mut conjunctions: Vec<_> = merged.conjunction.take().into_iter().collect();
        let mut disjunctions: Vec<_> = merged.disjunction.take().into_iter().collect();
        let mut metadata: Vec<_> = merged.metadata_only.take().into_iter().collect();
        let mut several = false;
        for plan in plans {
            several = true;
            conjunctions.extend(plan.conjunction);
            disjunctions.extend(plan.disjunction);
            metadata.extend(plan.metadata_only);
            merged.lane_matchers.extend(plan.lane_matchers);
            for note in plan.notes {
                if !merged.notes.contains(&note) {
                    merged.notes.push(note);
                }
            }
        }
        if several {
            // A union of fields is not a plain term scorer.
            merged.prunable = false;
            merged.matches_at_most = u64::MAX;
        }
        merged.conjunction = union(conjunctions);
        merged.disjunction = union(disjunctions);
        merged.metadata_only = union(metadata);
        Some(merged)
    }

    /// [`Plan::with_filters`], ranked by pruning `main` alone when `main`
    /// can be ([`Plan::prunable`]) and checking the filters on its
    /// candidates (`FilteredQuery`, in `index::filtered`).
    pub fn ranked_with_filters(&self, main: Box<dyn Query>) -> Box<dyn Query> {
        if self.filters.is_empty() || !self.prunable {
            return self.with_filters(main);
        }
        let filter: Box<dyn Query> = match self.filters.as_slice() {
            [one] => one.box_clone(),
            all => Box::new(BooleanQuery::intersection(
                all.iter().map(|f| f.box_clone()).collect(),
            )),
        };
        let filtered = self.with_filters(main.box_clone());
        Box::new(FilteredQuery::new(main, filter, filtered))
    }

    /// The query to run: `main` under the filters.
    pub fn with_filters(&self, main: Box<dyn Query>) -> Box<dyn Query> {
        if self.filters.is_empty() {
            return main;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
        for f in &self.filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(f.box_clone(), 0.0)),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// About how many passages match `conjunction` under the filters.
    pub fn likely_matches(&self) -> f64 {
        self.matches_at_most as f64 * self.filter_share
    }

    /// What to run when the query has no words: every passage the filters keep.
    pub fn filters_only(&self) -> Box<dyn Query> {
        self.with_filters(Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)))
    }
}

/// Builds plans against one searcher.
pub struct Planner<'a> {
    pub searcher: &'a Searcher,
    pub fields: Fields,
    pub episodes: &'a [EpisodeHeader],
    pub meta: &'a MetaTerms,
    pub names: &'a NameIndex,
    /// The lane (an index in [`crate::index::analyzer::LANES`]) whose text
    /// field and analyzer this plan uses: a query is planned once per
    /// language it searches.
    pub lane: usize,
    /// The language the request keeps, resolved once for all its plans
    /// ([`language_filter`]).
    pub language: Option<&'a str>,
    pub analyzer: TextAnalyzer,
    /// The fuzzy variants of words already planned on this index, and the
    /// filter keys of names already resolved.
    pub variant_cache: &'a VariantCache,
    /// The corpus the index was opened with, and where its passages are.
    pub(crate) corpus: &'a Corpus,
    pub(crate) passages: &'a PassageLookup,
    /// The bounds of speaker names' scores by segment, remembered.
    pub(crate) name_scores: &'a Arc<NameScores>,
}

/// Dictionary look-ups for one opened index: fuzzy variants by query term
/// (`Planner::variant_key`), and the filter keys a speaker or show name
/// resolves to and the episodes where a speaker's passages cannot be told
/// apart (keys that start with a NUL).
pub type VariantCache = std::sync::Mutex<rustc_hash::FxHashMap<String, Vec<String>>>;

/// Distinct query terms and filter names whose look-ups an index remembers.
const REMEMBERED_VARIANTS: usize = 20_000;

impl Planner<'_> {
    /// The text field of this plan's language.
    fn text_field(&self) -> Field {
        self.fields
            .lane_text
            .get(self.lane)
            .copied()
            .unwrap_or(self.fields.text)
    }

    /// The key under which a term's variants are remembered: the term
    /// itself in French, prefixed by the lane in another language (the same
    /// letters are another word there).
    fn variant_key(&self, term: &str) -> String {
        if self.lane == 0 {
            term.to_string()
        } else {
            format!("{}\u{1}{term}", self.lane)
        }
    }

    pub fn plan(&mut self, request: &SearchRequest) -> Result<Plan, SearchError> {
        let length = request.query.chars().count();
        if length > MAX_QUERY_CHARS {
            return Err(SearchError::Invalid(format!(
                "the query is {length} characters long; at most {MAX_QUERY_CHARS} are accepted: search for a few distinctive words or a short \"exact phrase\""
            )));
        }
        let mut notes = Vec::new();
        let (parts, unclosed) = split_query(&request.query);
        if unclosed {
            notes.push(
                "unclosed quote: the phrase was taken to run to the end of the query".to_string(),
            );
        }
        let mut items = Vec::new();
        let mut seen_terms = HashSet::new();
        // Function words ("de", "la") are matched only in a query of nothing else.
        let mut function_words: Vec<String> = Vec::new();
        // A query in capitals throughout is shouted, not a list of acronyms.
        let shouting = !request.query.chars().any(char::is_lowercase);
        let single_word = request.query.split_whitespace().count() == 1;
        // Words analysed so far (terms and phrase words), to bound the work.
        let mut used = 0usize;
        let mut dropped = 0usize;
        for part in parts {
            match part {
                Part::Words(text) => {
                    let tokens = analyze(&mut self.analyzer, &text);
                    let folded: Vec<String> = tokens
                        .iter()
                        .map(|t| crate::text::fold(text.get(t.from..t.to).unwrap_or_default()))
                        .collect();
                    let mut i = 0;
                    while let Some(token) = tokens.get(i) {
                        if used >= MAX_QUERY_TERMS {
                            dropped += tokens.len() - i;
                            break;
                        }
                        // A person's name, as written or as heard: all their spellings.
                        if let Some((len, spellings)) = self.name_at(&folded, i) {
                            let spellings = spellings.clone();
                            used += len;
                            i += len;
                            let spellings: Vec<Vec<String>> = spellings
                                .iter()
                                .map(|s| {
                                    analyze(&mut self.analyzer, s)
                                        .into_iter()
                                        .map(|t| t.term)
                                        .collect()
                                })
                                .collect();
                            items.push(Item::Name { spellings });
                            continue;
                        }
                        i += 1;
                        if seen_terms.contains(&token.term) {
                            continue;
                        }
                        used += 1;
                        seen_terms.insert(token.term.clone());
                        let written = text.get(token.from..token.to).unwrap_or_default();
                        if is_acronym(written) && (!shouting || single_word) {
                            items.push(Item::Acronym {
                                key: written.to_lowercase(),
                                shown: written.to_string(),
                            });
                            continue;
                        }
                        if folded
                            .get(i - 1)
                            .is_some_and(|f| crate::text::is_function_word(f))
                        {
                            function_words.push(token.term.clone());
                            continue;
                        }
                        let variants = self.variants_bounded(&token.term, used)?;
                        items.push(Item::Term {
                            term: token.term.clone(),
                            variants,
                        });
                    }
                }
                Part::Phrase(text) => {
                    let tokens: Vec<AnalyzedToken> = analyze(&mut self.analyzer, &text);
                    let room = MAX_QUERY_TERMS.saturating_sub(used);
                    dropped += tokens.len().saturating_sub(room);
                    let mut terms = Vec::with_capacity(tokens.len().min(room));
                    for t in tokens.into_iter().take(room) {
                        used += 1;
                        let variants = self.variants_bounded(&t.term, used)?;
                        terms.push((t.term, variants));
                    }
                    match terms.len() {
                        0 => {}
                        1 => {
                            if let Some((term, variants)) = terms.pop()
                                && seen_terms.insert(term.clone())
                            {
                                items.push(Item::Term { term, variants });
                            }
                        }
                        _ => items.push(Item::Phrase { terms }),
                    }
                }
            }
        }
        if items.is_empty() {
            for term in function_words {
                let variants = self.variants_bounded(&term, used)?;
                items.push(Item::Term { term, variants });
            }
        }
        if dropped > 0 {
            notes.push(format!(
                "the query has more than {MAX_QUERY_TERMS} words: only the first {MAX_QUERY_TERMS} were used ({dropped} dropped)"
            ));
        }
        if items.is_empty() && !request.query.trim().is_empty() {
            notes.push("the query has no searchable words".to_string());
        }

        let matchers: Vec<Matcher> = items.iter().flat_map(matchers_of).collect();

        let clauses: Vec<Box<dyn Query>> = items.iter().map(|item| self.item_query(item)).collect();
        // Each word of a name (as first spelled) is evidence of its own.
        let evidence: Vec<WordEvidence> = items
            .iter()
            .flat_map(|item| match item {
                Item::Term { term, variants } => {
                    self.word_evidence(term, variants).into_iter().collect()
                }
                Item::Name { spellings } => spellings
                    .first()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| self.word_evidence(t, &[]))
                    .collect(),
                Item::Phrase { .. } | Item::Acronym { .. } => Vec::new(),
            })
            .collect();
        let bonus = self.bonus(&evidence).map(Arc::new);
        // A phrase of two frequent words is one pair term: a plain term too.
        let plain_term = |item: &Item| match item {
            Item::Term { variants, .. } => variants.is_empty(),
            Item::Phrase { terms } => self.phrase_pairs(terms).is_some_and(|p| p.len() == 1),
            _ => false,
        };
        // The metadata bonus keeps a query prunable: it is bounded (see
        // [`crate::index::evidence`]).
        let prunable =
            items.iter().all(plain_term) || matches!(items.as_slice(), [Item::Term { .. }]);
        let matches_at_most = if prunable {
            self.matches_at_most(&items)
        } else {
            u64::MAX
        };
        let conjunction: Option<Box<dyn Query>> = match clauses.len() {
            0 => None,
            1 => clauses.first().map(|q| q.box_clone()),
            _ => {
                let all: Box<dyn Query> = Box::new(BooleanQuery::intersection(
                    clauses.iter().map(|q| q.box_clone()).collect(),
                ));
                Some(all)
            }
        }
        .map(|words| with_evidence(words, bonus.as_ref()));
        // Any word: each distinct word counts by its rarity first, BM25 second.
        let disjunction: Option<Box<dyn Query>> = if clauses.len() > 1 {
            let weighted: Vec<Box<dyn Query>> = items
                .iter()
                .zip(clauses)
                .map(|(item, clause)| -> Box<dyn Query> {
                    let weight = COVERAGE_WEIGHT * self.rarity(item);
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, clause.box_clone()),
                        (
                            Occur::Should,
                            Box::new(ConstScoreQuery::new(clause, weight)),
                        ),
                    ]))
                })
                .collect();
            Some(with_evidence(
                Box::new(BooleanQuery::union(weighted)),
                bonus.as_ref(),
            ))
        } else {
            None
        };

        let metadata: Vec<Box<dyn Query>> = evidence
            .iter()
            .filter_map(|e| self.metadata_query(e))
            .collect();
        let metadata_only: Option<Box<dyn Query>> = if metadata.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::union(metadata)))
        };
        let mut plan = Plan {
            conjunction,
            prunable,
            matches_at_most,
            filter_share: 1.0,
            disjunction,
            metadata_only,
            filters: Vec::new(),
            lane_matchers: vec![(self.lane, matchers)],
            nothing: false,
            notes,
        };
        self.add_filters(request, &mut plan)?;
        Ok(plan)
    }

    /// [`Self::variants`] for the `nth` word of the query (from 1): none past [`FUZZY_TERMS`].
    fn variants_bounded(&self, term: &str, nth: usize) -> Result<Vec<String>, SearchError> {
        if nth > FUZZY_TERMS {
            return Ok(Vec::new());
        }
        self.variants(term)
    }

    /// Dictionary terms within the word's edit distance, most frequent
    /// first: remembered for the index's lifetime (its dictionary does not
    /// change), since the same words come back query after query.
    fn variants(&self, term: &str) -> Result<Vec<String>, SearchError> {
        self.remembered(self.variant_key(term), || self.dictionary_variants(term))
    }

    /// What `look_up` finds in this index's dictionaries under `key`,
    /// remembered for the index's lifetime.
    fn remembered(
        &self,
        key: String,
        look_up: impl FnOnce() -> Result<Vec<String>, SearchError>,
    ) -> Result<Vec<String>, SearchError> {
        if let Some(known) = self
            .variant_cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned())
        {
            return Ok(known);
        }
        let found = look_up()?;
        if let Ok(mut cache) = self.variant_cache.lock() {
            if cache.len() >= REMEMBERED_VARIANTS {
                cache.clear();
            }
            cache.insert(key, found.clone());
        }
        Ok(found)
    }

    /// [`Self::variants`], read from the term dictionary.
    fn dictionary_variants(&self, term: &str) -> Result<Vec<String>, SearchError> {
        let distance = fuzzy_distance(term);
        if distance == 0 {
            return Ok(Vec::new());
        }
        let field = self.text_field();
        let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true);
        let automaton = fuzzy.automaton().map_err(backend)?;
        let mut found = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(backend)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(backend)?;
            while stream.advance() {
                if let Ok(s) = std::str::from_utf8(stream.key())
                    && s != term
                {
                    found.insert(s.to_string());
                }
            }
        }
        if found.len() <= MAX_VARIANTS {
            return Ok(found.into_iter().collect());
        }
        let mut ranked: Vec<(u64, String)> = found
            .into_iter()
            .map(|t| {
                let freq = self
                    .searcher
                    .doc_freq(&Term::from_field_text(field, &t))
                    .unwrap_or(0);
                (freq, t)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(ranked
            .into_iter()
            .take(MAX_VARIANTS)
            .map(|(_, t)| t)
            .collect())
    }

    fn item_query(&self, item: &Item) -> Box<dyn Query> {
        match item {
            Item::Term { term, variants } => self.term_query(term, variants),
            Item::Phrase { terms } => self.phrase_query(terms),
            Item::Acronym { key, .. } => keyword(self.fields.acronyms, key),
            Item::Name { spellings } => {
                let field = self.text_field();
                let any: Vec<Box<dyn Query>> = spellings
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|terms| -> Box<dyn Query> {
                        match terms.as_slice() {
                            [one] => text_term(field, one),
                            _ => Box::new(PhraseQuery::new(
                                terms
                                    .iter()
                                    .map(|t| Term::from_field_text(field, t))
                                    .collect(),
                            )),
                        }
                    })
                    .collect();
                Box::new(BooleanQuery::union(any))
            }
        }
    }

    /// How rare an item's rarest word is in the passages (BM25's idf).
    fn rarity(&self, item: &Item) -> f32 {
        let docs = self.searcher.num_docs() as f32;
        let idf = |field: Field, term: &str| {
            let df = self
                .searcher
                .doc_freq(&Term::from_field_text(field, term))
                .unwrap_or(0) as f32;
            (1.0 + (docs - df + 0.5) / (df + 0.5)).ln()
        };
        let text = self.text_field();
        let terms: Vec<(Field, &str)> = match item {
            Item::Term { term, .. } => vec![(text, term.as_str())],
            Item::Phrase { terms } => terms.iter().map(|(t, _)| (text, t.as_str())).collect(),
            Item::Acronym { key, .. } => vec![(self.fields.acronyms, key.as_str())],
            Item::Name { spellings } => spellings
                .iter()
                .flatten()
                .map(|t| (text, t.as_str()))
                .collect(),
        };
        terms
            .into_iter()
            .map(|(f, t)| idf(f, t))
            .fold(0.0, f32::max)
    }

    /// The longest name starting at word `i` of folded query words: how many
    /// words it takes, and the person's spellings.
    fn name_at(&self, folded: &[String], i: usize) -> Option<(usize, &Vec<String>)> {
        (1..=self.names.longest.min(folded.len().saturating_sub(i)))
            .rev()
            .find_map(|len| {
                let words = folded.get(i..i + len)?;
                self.names.lookup(words).map(|s| (len, s))
            })
    }

    fn term_query(&self, term: &str, variants: &[String]) -> Box<dyn Query> {
        if variants.is_empty() {
            // A bare term query: what tantivy's pruning recognises.
            return text_term(self.text_field(), term);
        }
        let field = self.text_field();
        let mut terms = vec![(Term::from_field_text(field, term), 1.0)];
        terms.extend(
            variants
                .iter()
                .map(|v| (Term::from_field_text(field, v), VARIANT_BOOST)),
        );
        Box::new(VariantsQuery::new(terms))
    }

    /// How many passages can match all of `items` at most: for each, the
    /// passages that have its term or a variant (or its rarest pair, for a
    /// phrase of frequent words), the fewest of those. `u64::MAX` for items
    /// whose matches are not one term's.
    fn matches_at_most(&self, items: &[Item]) -> u64 {
        let field = self.text_field();
        let frequency = |term: &Term| self.searcher.doc_freq(term).unwrap_or(u64::MAX);
        items
            .iter()
            .map(|item| match item {
                Item::Term { term, variants } => std::iter::once(term)
                    .chain(variants)
                    .map(|t| frequency(&Term::from_field_text(field, t)))
                    .fold(0, u64::saturating_add),
                Item::Phrase { terms } => self
                    .phrase_pairs(terms)
                    .and_then(|pairs| pairs.iter().map(|(_, pair)| frequency(pair)).min())
                    .unwrap_or(u64::MAX),
                Item::Acronym { .. } | Item::Name { .. } => u64::MAX,
            })
            .min()
            .unwrap_or(u64::MAX)
    }

    /// Evidence from metadata: the passages of episodes and chapters whose
    /// titles, descriptions or people contain the word. It only ranks
    /// passages that say the words themselves; it never matches alone, or a
    /// quote would come back without the words asked for.
    fn word_evidence(&self, term: &str, variants: &[String]) -> Option<WordEvidence> {
        let f = self.fields;
        // Said by someone of that name: evidence, not the words themselves
        // (the `speaker` filter is the way to ask for one speaker). The word
        // as typed only: a spelling variant of a common word that happens to
        // be a name ("modèles", "Morel") says nothing about the speaker. A
        // name no speaker has is left out: a query without them can be pruned.
        let name = Term::from_field_text(f.speaker_text, term);
        let speaker = (self.searcher.doc_freq(&name).unwrap_or(1) > 0).then_some(name);
        let mut episodes = BTreeSet::new();
        let mut chapters = BTreeSet::new();
        for t in std::iter::once(term).chain(variants.iter().map(String::as_str)) {
            episodes.extend(self.meta.episodes_with(t));
            chapters.extend(self.meta.chapters_with(t));
        }
        (speaker.is_some() || !episodes.is_empty() || !chapters.is_empty()).then_some(
            WordEvidence {
                speaker,
                episodes,
                chapters,
            },
        )
    }

    /// The bonus of the passages of the episodes and chapters whose
    /// metadata has the words (a constant per word, so that they rank
    /// above passages that merely say them) and of the passages said by a
    /// speaker whose name has one. `None` when there is none.
    fn bonus(&self, evidence: &[WordEvidence]) -> Option<Evidence> {
        let mut episodes: FxHashMap<u32, f32> = FxHashMap::default();
        let mut chapters: FxHashMap<(u32, u64), f32> = FxHashMap::default();
        for word in evidence {
            for &position in &word.episodes {
                *episodes.entry(position).or_default() += EPISODE_META_SCORE;
            }
            for &(position, chapter) in &word.chapters {
                *chapters.entry((position, chapter as u64)).or_default() += CHAPTER_META_SCORE;
            }
        }
        let speakers = SpeakerEvidence {
            terms: evidence.iter().filter_map(|w| w.speaker.clone()).collect(),
            weight: SPEAKER_BOOST,
            scores: Arc::clone(self.name_scores),
        };
        // The passage look-ups are only needed for episodes and chapters.
        let segments = if episodes.is_empty() && chapters.is_empty() {
            FxHashMap::default()
        } else {
            self.searcher
                .segment_readers()
                .iter()
                .filter_map(|segment| {
                    let lookup = self.passages.segment(self.corpus, segment)?;
                    Some((segment.segment_id(), lookup))
                })
                .collect()
        };
        Evidence::new(episodes, chapters, segments, speakers)
    }

    /// The passages a word's metadata evidence points to, whether or not
    /// they say it: the last resort of [`Plan::metadata_only`].
    fn metadata_query(&self, word: &WordEvidence) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = word
            .speaker
            .iter()
            .map(|name| -> (Occur, Box<dyn Query>) {
                let scored = TermQuery::new(name.clone(), IndexRecordOption::WithFreqs);
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(scored), SPEAKER_BOOST)),
                )
            })
            .collect();
        let ids: Vec<String> = word
            .episodes
            .iter()
            .filter_map(|&p| self.meta.id(p).map(str::to_string))
            .collect();
        let keys: Vec<String> = word
            .chapters
            .iter()
            .filter_map(|&(p, chapter)| Some(chapter_key(self.meta.id(p)?, chapter)))
            .collect();
        for (keys, field, score) in [
            (ids, f.episode_id, EPISODE_META_SCORE),
            (keys, f.chapter_key, CHAPTER_META_SCORE),
        ] {
            if keys.is_empty() {
                continue;
            }
            should.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(keyword_set(field, &keys), score)),
            ));
        }
        (!should.is_empty()).then(|| -> Box<dyn Query> { Box::new(BooleanQuery::new(should)) })
    }

    /// The pair terms that stand for an exact phrase of frequent words, in
    /// this lane's pairs field ([`crate::index::common_grams`]); `None` when
    /// the phrase has fuzzy variants or a word apart from frequent ones.
    fn phrase_pairs(&self, terms: &[(String, Vec<String>)]) -> Option<Vec<(usize, Term)>> {
        if terms.iter().any(|(_, v)| !v.is_empty()) {
            return None;
        }
        let field = self.fields.lane_grams.get(self.lane).copied().flatten()?;
        let words: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        let pairs = common_grams::phrase_pairs(self.lane, &words)?;
        Some(
            pairs
                .into_iter()
                .map(|(at, pair)| (at, Term::from_field_text(field, &pair)))
                .collect(),
        )
    }

    fn phrase_query(&self, terms: &[(String, Vec<String>)]) -> Box<dyn Query> {
        if let Some(mut pairs) = self.phrase_pairs(terms) {
            // Two words: one pair, a plain term that tantivy can prune.
            if pairs.len() == 1
                && let Some((_, pair)) = pairs.pop()
            {
                return Box::new(TermQuery::new(pair, IndexRecordOption::WithFreqs));
            }
            return Box::new(PhraseQuery::new_with_offset(pairs));
        }
        let field = self.text_field();
        let exact: Box<dyn Query> = Box::new(PhraseQuery::new(
            terms
                .iter()
                .map(|(t, _)| Term::from_field_text(field, t))
                .collect(),
        ));
        if terms.iter().all(|(_, v)| v.is_empty()) {
            return exact;
        }
        let patterns: Vec<String> = terms
            .iter()
            .map(|(t, variants)| {
                std::iter::once(t)
                    .chain(variants.iter())
                    .map(|s| regex::escape(s))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        let tolerant: Box<dyn Query> = Box::new(BoostQuery::new(
            Box::new(RegexPhraseQuery::new(field, patterns)),
            VARIANT_BOOST,
        ));
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, exact),
            (Occur::Should, tolerant),
        ]))
    }

    fn add_filters(&self, request: &SearchRequest, plan: &mut Plan) -> Result<(), SearchError> {
        let f = self.fields;
        // The share of the passages the episodes in `keep` hold (worked
        // out only for a filter that needs it: most searches have none).
        let share_of = |keep: &dyn Fn(&EpisodeHeader) -> bool| {
            let (mut kept, mut total) = (0usize, 0usize);
            for h in self.episodes {
                total += h.passage_count;
                if keep(h) {
                    kept += h.passage_count;
                }
            }
            kept as f64 / total.max(1) as f64
        };
        if let Some(code) = self.language {
            plan.filters.push(keyword(f.language, code));
            plan.filter_share *= share_of(&|h| h.episode.language.as_deref() == Some(code));
        }
        if let Some(id) = request
            .episode_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let Ok(position) = self.episodes.binary_search_by(|h| h.id().cmp(id)) else {
                return Err(SearchError::Invalid(format!(
                    "unknown episode_id `{id}` (list the episodes to see the valid ids)"
                )));
            };
            plan.filters.push(keyword(f.episode_id, id));
            // The episode told by its place, not by comparing every id.
            let kept = self.episodes.get(position);
            plan.filter_share *= share_of(&|h| kept.is_some_and(|k| std::ptr::eq(h, k)));
        }
        // Speaker and show filters: a name resolved to the keys the index holds.
        for (value, field, what) in [
            (&request.speaker, f.speaker_key, "speaker"),
            (&request.show, f.show_key, "show"),
        ] {
            let Some(name) = value.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
                continue;
            };
            let keys = self.resolve_keyword(field, name)?;
            // A participant of episodes whose transcripts do not say who
            // speaks: none of their passages can be attributed to them.
            let unattributed = if what == "speaker" {
                self.without_turns(name, request.episode_id.as_deref())?
            } else {
                Vec::new()
            };
            if !unattributed.is_empty() {
                let list = unattributed.join(", ");
                plan.notes.push(if keys.is_empty() {
                    format!(
                        "`{name}` takes part in {list}, but the transcript does not say who speaks, so no passage can be attributed to them; search without `speaker` to read what was said there"
                    )
                } else {
                    format!(
                        "`{name}` also takes part in {list}, whose transcript does not say who speaks: those passages are left out"
                    )
                });
            }
            if keys.is_empty() {
                plan.nothing = true;
                if unattributed.is_empty() {
                    plan.notes.push(format!("no {what} matches `{name}`"));
                }
            } else {
                plan.filters.push(keyword_set(field, &keys));
                let kept: u64 = keys
                    .iter()
                    .map(|k| {
                        self.searcher
                            .doc_freq(&Term::from_field_text(field, k))
                            .unwrap_or(0)
                    })
                    .sum();
                plan.filter_share *=
                    (kept as f64 / self.searcher.num_docs().max(1) as f64).min(1.0);
            }
        }
        if let Some(chapter) = request.chapter {
            if request.episode_id.is_none() {
                plan.notes.push(
                    "chapter filter without episode_id: chapter indexes of every episode"
                        .to_string(),
                );
            }
            plan.filters.push(Box::new(TermQuery::new(
                Term::from_field_u64(f.chapter, chapter as u64),
                IndexRecordOption::Basic,
            )));
        }
        if request.published_after.is_some() || request.published_before.is_some() {
            if let (Some(a), Some(b)) = (request.published_after, request.published_before)
                && a > b
            {
                return Err(SearchError::Invalid(format!(
                    "published_after ({a}) is later than published_before ({b})"
                )));
            }
            let bound = |d: Option<chrono::NaiveDate>| match d {
                Some(d) => Bound::Included(Term::from_field_i64(
                    f.published,
                    i64::from(chrono::Datelike::num_days_from_ce(&d)),
                )),
                None => Bound::Unbounded,
            };
            let range: Box<dyn Query> = Box::new(RangeQuery::new(
                bound(request.published_after),
                bound(request.published_before),
            ));
            // An undated episode is neither before nor after: say how many the
            // filter leaves out, and keep them when asked.
            let in_scope =
                |h: &&EpisodeHeader| request.episode_id.as_deref().is_none_or(|id| h.id() == id);
            let undated = self
                .episodes
                .iter()
                .filter(in_scope)
                .filter(|h| h.episode.published.is_none())
                .count();
            plan.filter_share *= share_of(&|h| {
                h.episode.published_within(
                    request.published_after,
                    request.published_before,
                    request.include_undated,
                )
            });
            if request.include_undated {
                let dated: Box<dyn Query> =
                    Box::new(ExistsQuery::new("published".to_string(), false));
                let undated: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, dated),
                ]));
                plan.filters.push(Box::new(BooleanQuery::new(vec![
                    (Occur::Should, range),
                    (Occur::Should, undated),
                ])));
            } else {
                plan.filters.push(range);
                if undated > 0 {
                    plan.notes.push(format!(
                        "{undated} episode(s) have no publication date and were left out by the date filter; pass include_undated: true to keep them"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The episodes (in scope) where `name` is a listed participant but the
    /// transcript has no speaker turns. Over the whole corpus, remembered
    /// per name: reading every episode's participants is most of a speaker
    /// search's time on a large corpus.
    fn without_turns(
        &self,
        name: &str,
        episode_id: Option<&str>,
    ) -> Result<Vec<String>, SearchError> {
        let unattributed = |h: &&EpisodeHeader| {
            !h.has_speaker_turns
                && h.episode.participants.iter().any(|p| {
                    std::iter::once(&p.name)
                        .chain(&p.aliases)
                        .any(|n| crate::text::contains_words(n, name))
                })
        };
        match episode_id {
            Some(id) => Ok(self
                .episodes
                .binary_search_by(|h| h.id().cmp(id))
                .ok()
                .and_then(|at| self.episodes.get(at))
                .filter(unattributed)
                .map(|h| h.id().to_string())
                .into_iter()
                .collect()),
            None => self.remembered(format!("\0turns\0{name}"), || {
                Ok(self
                    .episodes
                    .iter()
                    .filter(unattributed)
                    .map(|h| h.id().to_string())
                    .collect())
            }),
        }
    }

    /// Keyword values of `field` that designate `wanted`: the same words
    /// ignoring case and accents, all of the wanted words present, each
    /// possibly misspelled (same tolerance as search terms).
    fn resolve_keyword(&self, field: Field, wanted: &str) -> Result<Vec<String>, SearchError> {
        // Walking every key of every segment is tens of milliseconds on a
        // large index, and the same names come back: remembered.
        let key = format!("\0{}\0{wanted}", field.field_id());
        self.remembered(key, || self.dictionary_keys(field, wanted))
    }

    /// The keys of `field` that are `wanted` folded, or else those whose
    /// words are (nearly) its words.
    fn dictionary_keys(&self, field: Field, wanted: &str) -> Result<Vec<String>, SearchError> {
        let wanted_key = fold_key(wanted);
        let wanted_words: Vec<&str> = wanted_key
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let mut exact = BTreeSet::new();
        let mut close = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(backend)?;
            let mut stream = inverted.terms().stream().map_err(backend)?;
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if key == wanted_key {
                    exact.insert(key.to_string());
                } else if !wanted_words.is_empty() && words_match(&wanted_words, key) {
                    close.insert(key.to_string());
                }
            }
        }
        Ok(if exact.is_empty() {
            close.into_iter().collect()
        } else {
            exact.into_iter().collect()
        })
    }
}

/// Whether every wanted word is (nearly) one of the key's words.
/// The language code `request` keeps, if it names one: an error for a
/// language no episode is in, listing those that are.
pub fn language_filter(
    episodes: &[EpisodeHeader],
    request: &SearchRequest,
) -> Result<Option<String>, SearchError> {
    let Some(wanted) = request
        .language
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    else {
        return Ok(None);
    };
    let present = languages_of(episodes);
    let code = crate::text::language::language_code(wanted);
    match code {
        Some(code) if present.contains(&code) => Ok(Some(code)),
        _ => Err(SearchError::Invalid(format!(
            "no episode is in the language `{wanted}`; the episodes' languages are: {} (two-letter ISO 639-1 codes)",
            if present.is_empty() {
                "none known".to_string()
            } else {
                present.join(", ")
            }
        ))),
    }
}

/// The distinct language codes of `episodes`, sorted.
pub fn languages_of(episodes: &[EpisodeHeader]) -> Vec<String> {
    let set: BTreeSet<&str> = episodes
        .iter()
        .filter_map(|h| h.episode.language.as_deref())
        .collect();
    set.into_iter().map(str::to_string).collect()
}

fn words_match(wanted: &[&str], key: &str) -> bool {
    let words: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    wanted.iter().all(|w| {
        let max = usize::from(fuzzy_distance(w));
        words
            .iter()
            .any(|k| k == w || (max > 0 && edit_distance(w, k) <= max))
    })
}

fn text_term(field: Field, term: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, term),
        IndexRecordOption::WithFreqs,
    ))
}

fn keyword(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Past this many keywords, a set query (one automaton over the term
/// dictionary) costs less than a union of term queries; below, building the
/// automaton and its segment-sized bitset is most of a search's time.
const KEYWORD_UNION_MAX: usize = 64;

fn keyword_set(field: Field, values: &[String]) -> Box<dyn Query> {
    match values {
        [one] => keyword(field, one),
        _ if values.len() <= KEYWORD_UNION_MAX => Box::new(BooleanQuery::union(
            values.iter().map(|v| keyword(field, v)).collect(),
        )),
        _ => Box::new(TermSetQuery::new(
            values.iter().map(|v| Term::from_field_text(field, v)),
        )),
    }
}

fn backend(e: impl std::fmt::Display) -> SearchError {
    SearchError::backend(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_split_words_and_phrases() {
        let cases: [(&str, Vec<Part>, bool); 4] = [
            ("a b", vec![Part::Words("a b".into())], false),
            (
                "x \"je ne sais pas\" y",
                vec![
                    Part::Words("x ".into()),
                    Part::Phrase("je ne sais pas".into()),
                    Part::Words(" y".into()),
                ],
                false,
            ),
            (
                "« la troisième voie »",
                vec![Part::Phrase(" la troisième voie ".into())],
                false,
            ),
            (
                "\"unclosed phrase",
                vec![Part::Phrase("unclosed phrase".into())],
                true,
            ),
        ];
        for (q, parts, unclosed) in cases {
            assert_eq!(split_query(q), (parts, unclosed), "{q}");
        }
    }

    #[test]
    fn distance_grows_with_length() {
        assert_eq!(fuzzy_distance("ia"), 0);
        assert_eq!(fuzzy_distance("menc"), 0);
        assert_eq!(fuzzy_distance("mensch"), 1);
        assert_eq!(fuzzy_distance("intelligent"), 2);
    }

    #[test]
    fn names_match_word_by_word() {
        assert!(words_match(&["mensch"], "arthur mensch"));
        assert!(words_match(&["arthur", "mensch"], "arthur mench"));
        assert!(!words_match(&["thomas"], "arthur mensch"));
    }
}

#[cfg(test)]
mod meta_terms_tests {
    use super::*;
    use crate::model::Chapter;
    use std::sync::Arc;

    /// `n` episodes cloned from the embedded corpus's first, each with its
    /// own id, title and chapters; every title has "commun" (in more
    /// episodes than a term may be to count) and each tenth "rare".
    fn headers(n: usize) -> Vec<EpisodeHeader> {
        let corpus = crate::corpus::Corpus::load(&crate::ingest::CorpusSource::Embedded).unwrap();
        let model = corpus.headers()[0].clone();
        (0..n)
            .map(|i| {
                let mut h = model.clone();
                h.episode.episode_id = format!("ep-{i:03}");
                let rare = if i % 10 == 0 { " rare" } else { "" };
                h.episode.title = format!("Épisode commun numéro{i}{rare}");
                h.episode.chapters = (0..3)
                    .map(|c| Chapter {
                        index: c,
                        title: format!("chapitre commun sujet{} partie{c}", i % 7),
                        ..model.episode.chapters.first().cloned().unwrap_or(Chapter {
                            index: 0,
                            title: String::new(),
                            start_seconds: None,
                            end_seconds: None,
                            timing: crate::model::ChapterTiming::Generated,
                            links: Vec::new(),
                            keywords: Vec::new(),
                        })
                    })
                    .collect();
                h
            })
            .collect()
    }

    fn check(before: &[EpisodeHeader], after: &[EpisodeHeader]) -> Option<Arc<MetaTerms>> {
        let old = Arc::new(MetaTerms::build(before));
        let updated = old.updated(before, after)?;
        assert_eq!(*updated, MetaTerms::build(after));
        Some(updated)
    }

    #[test]
    fn updated_terms_are_those_a_build_gives() {
        let before = headers(40);
        assert!(!MetaTerms::build(&before).common_episode_terms.is_empty());
        // Nothing changed: the same terms, shared.
        let old = Arc::new(MetaTerms::build(&before));
        assert!(Arc::ptr_eq(&old, &old.updated(&before, &before).unwrap()));
        // A title and a chapter change; a description with a common word.
        let mut after = before.clone();
        after[3].episode.title = "Souveraineté numérique rare".into();
        after[5].episode.chapters[1].title = "Un tout autre sujet".into();
        after[8].episode.description = Some("commun et inédit".into());
        after[9].episode.participants.clear();
        assert!(check(&before, &after).is_some());
        // A rare term becomes common enough to be dropped.
        let mut after = before.clone();
        for h in after.iter_mut().take(30) {
            h.episode.title.push_str(" partout");
        }
        assert!(check(&before, &after).is_some());
    }

    #[test]
    fn updates_that_need_a_build_say_so() {
        let before = headers(40);
        let old = Arc::new(MetaTerms::build(&before));
        // An episode more.
        assert!(old.updated(&before, &headers(41)).is_none());
        // A common term no longer common: its episodes were not kept.
        let mut after = before.clone();
        for h in after.iter_mut().take(35) {
            h.episode.title = h.episode.title.replace("commun", "");
        }
        assert!(old.updated(&before, &after).is_none());
    }

    #[test]
    fn names_are_kept_when_the_people_are_the_same() {
        let before = headers(5);
        let mut after = before.clone();
        after[2].episode.title = "Autre titre".into();
        assert!(NameIndex::same_people(&before, &after));
        after[2].speakers.push("Quelqu'un".into());
        assert!(!NameIndex::same_people(&before, &after));
    }
}
