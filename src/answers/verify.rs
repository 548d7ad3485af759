//! Quote verification: was this said, by whom, and when?
//!
//! An agent calls this before it puts a quote in front of a person. The
//! verdict compares words, not characters: accents, case and punctuation do
//! not matter (people type quotes without them), word order and the words
//! themselves do, and so does what the words claim ([`claims`]).
//!
//! - `exact`: the quote's words occur contiguously in the transcript.
//! - `close`: the same statement with differences that do not change what is
//!   claimed: fillers, a repeated or dropped small word, a misheard word or a
//!   known alias of a name, a synonym; numbers compare by value.
//! - `altered`: the words are largely there but the claim is not the
//!   transcript's: a negation added or dropped, a number, unit or date
//!   changed, a name swapped, a question made a statement, or words stitched
//!   from separate places or speakers. What changed is listed.
//! - `not_said`: nothing in the corpus says it, even if every word occurs
//!   somewhere (a fabrication made of corpus words scores low because its
//!   words are scattered, not together).
//!
//! Candidates come from the quote search (so a large corpus is not scanned):
//! first the phrase of the whole quote, paged until a passage that says it is
//! found, so a sentence said word for word is never missed however many
//! passages share its words; then short phrases and telling words for a
//! paraphrase; plus, when an episode is named, every passage of that
//! episode. Each candidate is compared together with its neighbours, so a
//! quote that runs across a passage boundary is still found.
//!
//! With a `speaker`, the answer also says whether the transcript gives the
//! words to that person ([`Attribution`]), from its speaker turns only.

pub mod claims;

use crate::analysis::people::People;
use crate::corpus::Corpus;
use crate::index::analyzer::is_elided;
use crate::index::{MAX_QUERY_TERMS, SearchError, SearchIndex, SearchRequest};
use crate::model::citation::{cite_at, moment_url};
use crate::model::{
    ChapterRef, Episode, EpisodeHeader, EpisodeRef, MatchTime, Millis, Origin, PassageTiming, Said,
    seconds,
};
use crate::text::sentences::sentence_spans;
use crate::text::{Word, edit_distance, is_function_word, words};
use claims::{Change, ChangeKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest quote accepted, in characters.
pub const MAX_QUOTE_CHARS: usize = 5_000;
/// Similarity from which a non-exact quote says largely the same words.
pub const CLOSE_THRESHOLD: f64 = 0.6;
/// Time given to the close-match comparison: past it, the remaining candidates
/// are only checked for the exact words (cheap), and the verdict says it was cut.
const FUZZY_BUDGET: Duration = Duration::from_secs(2);
/// Time given to the search for a passage that says the quote word for word.
const EXACT_BUDGET: Duration = Duration::from_millis(1500);
/// Hits of the quote's phrase examined per page, and at most in all.
const EXACT_PAGE: usize = 100;
const EXACT_MAX_HITS: usize = 5_000;
/// Search hits examined as candidates for a paraphrase.
const CANDIDATES: usize = 30;
/// Weight of a function word ("de", "que") relative to a content word.
const FUNCTION_WORD_WEIGHT: f64 = 0.25;
/// Transcript words skipped inside a match, past which its parts come from separate places.
const SPLICE_GAP: usize = 8;

/// How a quote compares with the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The transcript says these words, in this order (accents and punctuation aside).
    Exact,
    /// The transcript says the same thing in slightly different words: quote `match.excerpt` instead.
    Close,
    /// The words are largely there but the claim differs (see `changes`): do not present it as a quote.
    Altered,
    /// The corpus does not say this.
    NotSaid,
}

/// The passage that best matches a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuoteMatch {
    /// The transcript's own words: for `exact`, those of the quote; for `close` and `altered`, the whole sentences that hold them.
    pub excerpt: String,
    /// The whole passage holding the excerpt, exact words.
    pub text: String,
    #[serde(flatten)]
    pub origin: Origin,
    /// When the quoted words are said (`citation` and `url` use `match_start_seconds`).
    #[serde(flatten)]
    pub matched: MatchTime,
    /// Ready-to-paste citation of the excerpt.
    pub citation: String,
    /// A link to the moment, when the episode has a URL.
    pub url: Option<String>,
}

/// For `not_said`: the nearest transcript words, which do NOT say the quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Nearest {
    /// Nearest words of the transcript: not a quote, do not attribute them.
    pub words: String,
    pub passage_id: String,
    #[serde(flatten)]
    pub episode: EpisodeRef,
    #[serde(with = "seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    /// `exact`, `estimated` (interpolated) or `none` (untimed transcript).
    pub timing: PassageTiming,
}

/// Whether the transcript gives the words to the person asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributionVerdict {
    /// The transcript gives these words to that person.
    Confirmed,
    /// The transcript gives them to someone else (`said_by`).
    OtherSpeaker,
    /// The transcript does not say who speaks there.
    Unknown,
}

/// Who said the matched words, against who the quote is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attribution {
    /// The person asked about, as given.
    pub speaker: String,
    pub verdict: AttributionVerdict,
    /// Who the transcript gives the words to (a name, or a label such as SPEAKER_01), when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said_by: Option<String>,
    /// For `unknown`: whether the person is a listed participant of that episode (which does not make the words theirs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<bool>,
}

/// The answer to a verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Verification {
    /// The quote as given.
    pub quote: String,
    pub verdict: Verdict,
    /// 0 to 1: how much of the quote the best match says, in order.
    pub similarity: f64,
    /// The passage that says it (`exact`, `close`, `altered`); absent for `not_said`.
    #[serde(rename = "match", default, skip_serializing_if = "Option::is_none")]
    pub best_match: Option<QuoteMatch>,
    /// For `not_said`: the nearest words, which do not say the quote (no citation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest: Option<Nearest>,
    /// For `altered`: what differs from the transcript (kind, the quote's words, the transcript's words).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// With a `speaker`: whether the transcript gives the matched words to that person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
    /// The verdict in one sentence, for a reader (it says when the comparison was cut short).
    pub explanation: String,
}

/// Why a verification could not run.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("the quote is empty: give the words to check")]
    EmptyQuote,
    #[error(
        "the quote is {0} characters long; at most {MAX_QUOTE_CHARS} are accepted: check it sentence by sentence"
    )]
    TooLong(usize),
    #[error("no episode has the id '{id}'; closest ids: {}", closest.join(", "))]
    UnknownEpisode { id: String, closest: Vec<String> },
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A candidate episode could not be read back from the index.
    #[error("{0}")]
    Read(String),
}

/// What to check: the quote, and optionally where and by whom.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuoteCheck<'a> {
    pub quote: &'a str,
    /// Only this episode.
    pub episode_id: Option<&'a str>,
    /// The person the quote is attributed to (name, alias or label).
    pub speaker: Option<&'a str>,
}

/// Episodes read for one verification (a few, from the cache or disk).
struct Loaded<'a> {
    corpus: &'a Corpus,
    episodes: BTreeMap<usize, Arc<Episode>>,
}

impl Loaded<'_> {
    fn get(&mut self, e: usize) -> Result<Option<Arc<Episode>>, VerifyError> {
        if let Some(found) = self.episodes.get(&e) {
            return Ok(Some(Arc::clone(found)));
        }
        let loaded = self.corpus.episode_at(e).map_err(|err| {
            VerifyError::Read(crate::corpus::unreadable("a candidate episode", &err))
        })?;
        if let Some(episode) = &loaded {
            self.episodes.insert(e, Arc::clone(episode));
        }
        Ok(loaded)
    }

    /// The candidate (episode, passage) of a search hit.
    fn candidate(
        &mut self,
        hit: &crate::index::SearchHit,
    ) -> Result<Option<(usize, usize)>, VerifyError> {
        let Some(e) = self.corpus.position(&hit.origin.episode.episode_id) else {
            return Ok(None);
        };
        Ok(self.get(e)?.and_then(|episode| {
            episode
                .passages
                .iter()
                .position(|p| p.passage_id == hit.origin.passage_id)
                .map(|p| (e, p))
        }))
    }
}

/// Checks `quote` against the corpus, or against one episode.
pub fn verify_quote(
    corpus: &Corpus,
    index: &SearchIndex,
    quote: &str,
    episode_id: Option<&str>,
) -> Result<Verification, VerifyError> {
    verify(
        corpus,
        index,
        QuoteCheck {
            quote,
            episode_id,
            speaker: None,
        },
    )
}

/// Checks a quote, and with a speaker, who said it.
pub fn verify(
    corpus: &Corpus,
    index: &SearchIndex,
    check: QuoteCheck<'_>,
) -> Result<Verification, VerifyError> {
    let QuoteCheck {
        quote, episode_id, ..
    } = check;
    let length = quote.chars().count();
    if length > MAX_QUOTE_CHARS {
        return Err(VerifyError::TooLong(length));
    }
    let quote_words = words(quote);
    if quote_words.is_empty() {
        return Err(VerifyError::EmptyQuote);
    }
    if let Some(id) = episode_id
        && corpus.position(id).is_none()
    {
        return Err(VerifyError::UnknownEpisode {
            id: id.to_string(),
            closest: corpus.closest_episode_ids(id, 3),
        });
    }
    let q = comparable_words(&quote_words);
    let mut loaded = Loaded {
        corpus,
        episodes: BTreeMap::new(),
    };
    let (exact, mut cut_short) = find_exact(index, &mut loaded, quote, &quote_words, episode_id)?;
    let mut best = exact;
    let deadline = Instant::now() + FUZZY_BUDGET;
    if best.is_none() {
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for query in candidate_queries(&quote_words) {
            let request = SearchRequest {
                query,
                episode_id: episode_id.map(str::to_string),
                limit: CANDIDATES,
                ..SearchRequest::default()
            };
            let results = index.search(corpus, &request)?;
            cut_short |= results.notes.iter().any(|n| n.contains("time limit"));
            for hit in &results.hits {
                candidates.extend(loaded.candidate(hit)?);
            }
        }
        if let Some(e) = episode_id.and_then(|id| corpus.position(id))
            && let Some(episode) = loaded.get(e)?
        {
            candidates.extend((0..episode.passages.len()).map(|p| (e, p)));
        }
        candidates.sort_unstable();
        candidates.dedup();
        for (e, p) in candidates {
            let Some(episode) = loaded.episodes.get(&e) else {
                continue;
            };
            let Some(scored) = score_candidate(episode, e, p, &q, length, deadline) else {
                continue;
            };
            if best
                .as_ref()
                .is_none_or(|b| scored.similarity > b.similarity)
            {
                best = Some(scored);
            }
        }
    }
    let mut verification = conclude(&loaded.episodes, quote, best, check.speaker);
    if verification.verdict != Verdict::Exact && cut_short {
        verification.explanation.push_str(
            " The candidate search hit its time limit (the server is busy), so a matching passage may have been missed: try again.",
        );
    }
    if !matches!(verification.verdict, Verdict::Exact | Verdict::Altered)
        && Instant::now() >= deadline
    {
        verification.explanation.push_str(&format!(
            " The comparison stopped at its {} s time limit, so a closer match may exist: check a shorter quote.",
            FUZZY_BUDGET.as_secs()
        ));
    }
    Ok(verification)
}

/// The quote's words as compared (folded, number words as digits).
fn comparable_words(quote_words: &[Word]) -> Vec<String> {
    quote_words
        .iter()
        .map(|w| claims::comparable(&w.folded))
        .collect()
}

/// The phrase query of `words` as the index reads phrases. A word the
/// tokenizer drops before an apostrophe (`l`, `qu`, `t`) may or may not be in
/// the index (`l'IA` holds `ia`, `t-shirt` holds `t` and `shirt`), and a
/// quote may be typed with or without the apostrophe: the phrase is cut at
/// those words into phrases that must all occur (the exact words are checked
/// on each hit).
fn phrase(words: &[&str]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, parts: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => parts.push(run.join(" ")),
            _ => parts.push(format!("\"{}\"", run.join(" "))),
        }
        run.clear();
    };
    for w in words.iter().copied() {
        if is_elided(w) || !w.chars().any(char::is_alphanumeric) {
            flush(&mut run, &mut parts);
        } else {
            run.push(w);
        }
    }
    flush(&mut run, &mut parts);
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A passage that says the quote word for word: the quote's phrase (its
/// first and last words when it is longer than a search takes), paged
/// through until a hit holds the exact words, within [`EXACT_BUDGET`].
/// Returns it, and whether a search was cut by its deadline.
fn find_exact(
    index: &SearchIndex,
    loaded: &mut Loaded<'_>,
    quote: &str,
    quote_words: &[Word],
    episode_id: Option<&str>,
) -> Result<(Option<Scored>, bool), VerifyError> {
    let folded: Vec<&str> = quote_words.iter().map(|w| w.folded.as_str()).collect();
    // The whole quote's phrase; then its first, last and longest sentences,
    // for a quote that runs across passages (each passage ends a sentence)
    // or is longer than a search takes. The exact words are checked in the
    // window around each hit.
    let mut queries: Vec<String> = Vec::new();
    if folded.len() <= MAX_QUERY_TERMS {
        queries.extend(phrase(&folded));
    }
    let mut sentences: Vec<&[&str]> = Vec::new();
    let mut at = 0;
    for (s, e) in sentence_spans(quote) {
        let n = quote.get(s..e).map_or(0, |t| words(t).len());
        if let Some(part) = folded.get(at..at + n) {
            sentences.push(part);
        }
        at += n;
    }
    let longest = sentences.iter().max_by_key(|s| s.len());
    for part in [sentences.first(), sentences.last(), longest]
        .into_iter()
        .flatten()
    {
        let part = part
            .get(..part.len().min(MAX_QUERY_TERMS))
            .unwrap_or_default();
        if let Some(query) = phrase(part)
            && !queries.contains(&query)
        {
            queries.push(query);
        }
    }
    let until = Instant::now() + EXACT_BUDGET;
    let mut cut_short = false;
    let mut first: Option<Scored> = None;
    for query in queries {
        let mut offset = 0;
        while offset < EXACT_MAX_HITS && Instant::now() < until {
            let request = SearchRequest {
                query: query.clone(),
                episode_id: episode_id.map(str::to_string),
                limit: EXACT_PAGE,
                offset,
                ..SearchRequest::default()
            };
            let results = loaded.corpus_search(index, &request)?;
            cut_short |= results.notes.iter().any(|n| n.contains("time limit"));
            for hit in &results.hits {
                let Some((e, p)) = loaded.candidate(hit)? else {
                    continue;
                };
                let Some(episode) = loaded.episodes.get(&e) else {
                    continue;
                };
                let win = window(episode, p, quote_chars(quote_words));
                for start in exact_starts(&win, &folded) {
                    let end = start + folded.len() - 1;
                    let found = scored(
                        window(episode, p, quote_chars(quote_words)),
                        e,
                        start,
                        end,
                        1.0,
                        true,
                    );
                    // The same words elsewhere may be said as the quote has
                    // them (a question, one speaker): prefer that place.
                    if claim_changes(quote, episode, &found).is_empty() {
                        return Ok((Some(found), cut_short));
                    }
                    first.get_or_insert(found);
                }
            }
            offset += results.hits.len();
            if results.hits.is_empty() || offset >= results.total_hits {
                break;
            }
        }
    }
    Ok((first, cut_short))
}

impl Loaded<'_> {
    fn corpus_search(
        &self,
        index: &SearchIndex,
        request: &SearchRequest,
    ) -> Result<crate::index::SearchResults, VerifyError> {
        Ok(index.search(self.corpus, request)?)
    }
}

/// Characters of the quote (its words and one space between each).
fn quote_chars(quote_words: &[Word]) -> usize {
    quote_words
        .iter()
        .map(|w| w.folded.chars().count() + 1)
        .sum()
}

/// Every place where the quote's words (folded) stand contiguously in the window.
fn exact_starts(win: &Window, q: &[&str]) -> Vec<usize> {
    if q.is_empty() || win.words.len() < q.len() {
        return Vec::new();
    }
    win.words
        .windows(q.len())
        .enumerate()
        .filter(|(_, w)| w.iter().zip(q).all(|(a, b)| a.folded == *b))
        .map(|(i, _)| i)
        .collect()
}

/// Words in each exact-phrase candidate query.
const PHRASE_WORDS: usize = 8;
/// Words in the bag-of-words candidate query.
const BAG_WORDS: usize = 16;

/// The searches that find a quote's candidate passages, cheapest and surest
/// first. A quote said word for word is found by the phrase of its first
/// words (or of its last ones, when it starts mid-sentence or with a typo),
/// whatever else matches those words; a paraphrase by its most telling words.
/// Few words each, so every search stays fast and is not cut by its deadline
/// on a busy server, which would make a real quote look unsaid.
fn candidate_queries(quote_words: &[Word]) -> Vec<String> {
    let plain: Vec<&str> = quote_words
        .iter()
        .map(|w| w.folded.as_str())
        // Quotes and operators would change the query's meaning; elided
        // articles are not in the index (see [`phrase`]).
        .filter(|w| w.chars().any(char::is_alphanumeric) && !is_elided(w))
        .collect();
    let mut queries = Vec::new();
    if plain.len() >= 2 {
        let head = plain
            .get(..PHRASE_WORDS.min(plain.len()))
            .unwrap_or_default();
        queries.extend(phrase(head));
        if plain.len() > PHRASE_WORDS {
            let tail = plain.get(plain.len() - PHRASE_WORDS..).unwrap_or_default();
            queries.extend(phrase(tail));
        }
    }
    queries.push(telling_words(&plain).join(" "));
    queries.retain(|q| q.chars().any(char::is_alphanumeric));
    queries.dedup();
    queries
}

/// The quote's content words, longest (rarest, most telling) first, at most
/// [`BAG_WORDS`] of them, once each; all its words if it has no content word.
fn telling_words<'a>(plain: &[&'a str]) -> Vec<&'a str> {
    let mut content: Vec<&str> = plain
        .iter()
        .copied()
        .filter(|w| !is_function_word(w))
        .collect();
    if content.is_empty() {
        content = plain.to_vec();
    }
    let mut seen = std::collections::HashSet::new();
    content.retain(|w| seen.insert(*w));
    content.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    content.truncate(BAG_WORDS);
    content
}

/// The best alignment of the quote within one candidate and its neighbours.
struct Scored {
    similarity: f64,
    exact: bool,
    episode: usize,
    win: Window,
    /// First and last window words of the match.
    start: usize,
    end: usize,
    /// Aligned (quote word, window word) pairs, in order.
    pairs: Vec<(usize, usize)>,
}

/// A stretch of consecutive passages joined by spaces, with each word's
/// passage and its compared form.
struct Window {
    text: String,
    words: Vec<Word>,
    /// [`claims::comparable`] of each word.
    compared: Vec<String>,
    passage_of_word: Vec<usize>,
    /// The episode index of the window's first passage.
    first_passage: usize,
    /// Where each passage's text is in `text` (passages end sentences).
    passage_bytes: Vec<std::ops::Range<usize>>,
}

fn window(episode: &Episode, center: usize, quote_chars: usize) -> Window {
    // Wide enough that a quote longer than one passage still fits.
    let reach = 1 + quote_chars / 400;
    let first = center.saturating_sub(reach);
    let last = (center + reach).min(episode.passages.len().saturating_sub(1));
    let mut text = String::new();
    let mut all_words = Vec::new();
    let mut passage_of_word = Vec::new();
    let mut passage_bytes = Vec::new();
    for index in first..=last {
        let Some(passage) = episode.passages.get(index) else {
            continue;
        };
        if !text.is_empty() {
            text.push(' ');
        }
        let offset = text.len();
        text.push_str(&passage.text);
        passage_bytes.push(offset..text.len());
        for mut w in words(&passage.text) {
            w.span = (w.span.start + offset)..(w.span.end + offset);
            all_words.push(w);
            passage_of_word.push(index);
        }
    }
    let compared = all_words
        .iter()
        .map(|w| claims::comparable(&w.folded))
        .collect();
    Window {
        text,
        words: all_words,
        compared,
        passage_of_word,
        first_passage: first,
        passage_bytes,
    }
}

fn weight(word: &str) -> f64 {
    if is_function_word(word) {
        FUNCTION_WORD_WEIGHT
    } else {
        1.0
    }
}

/// Same word for a paraphrase: equal once folded, or the same word misheard or
/// inflected (`donnée`/`données`, `Mensch`/`Mench`).
fn similar_words(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la >= 5 && lb >= 5 && edit_distance(a, b) <= 1 {
        return true;
    }
    let common_prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common_prefix >= 5 && la.abs_diff(lb) <= 3
}

fn score_candidate(
    episode: &Episode,
    episode_index: usize,
    passage: usize,
    q: &[String],
    quote_chars: usize,
    deadline: Instant,
) -> Option<Scored> {
    let win = window(episode, passage, quote_chars);
    let q: Vec<&str> = q.iter().map(String::as_str).collect();
    let t: Vec<&str> = win.compared.iter().map(String::as_str).collect();

    // The best short stretch: weighted in-order overlap (LCS) blended with
    // weighted presence, both relative to the quote's own weight.
    let total: f64 = q.iter().map(|w| weight(w)).sum();
    if total <= 0.0 {
        return None;
    }
    let span = q.len() + (q.len() / 2).max(4);
    let mut best: Option<(f64, usize)> = None;
    for start in 0..t.len() {
        // Bounded work: a long quote against a long episode is millions of comparisons per start.
        if Instant::now() >= deadline {
            break;
        }
        let Some(first) = t.get(start) else { break };
        if !q.iter().any(|w| similar_words(w, first)) {
            continue;
        }
        let stretch = t.get(start..(start + span).min(t.len()))?;
        let (in_order, _) = weighted_lcs(&q, stretch);
        let present: f64 = q
            .iter()
            .filter(|w| stretch.iter().any(|s| similar_words(w, s)))
            .map(|w| weight(w))
            .sum();
        let similarity = 0.6 * (in_order / total) + 0.4 * (present / total);
        if best.is_none_or(|(s, _)| similarity > s) {
            best = Some((similarity, start));
        }
    }
    let (similarity, from) = best?;
    let stretch = t.get(from..(from + span).min(t.len()))?;
    let (_, pairs) = align(&q, stretch);
    let pairs: Vec<(usize, usize)> = pairs.into_iter().map(|(i, j)| (i, from + j)).collect();
    // The match runs from the first aligned word to the last, not from where the stretch began.
    let start = pairs.first().map_or(from, |(_, j)| *j);
    let end = pairs.last().map_or(start, |(_, j)| *j);
    Some(Scored {
        similarity,
        exact: false,
        episode: episode_index,
        win,
        start,
        end,
        pairs,
    })
}

/// Weighted longest common subsequence of `q` in `t`, and the index in `t` of
/// the last word it matched.
fn weighted_lcs(q: &[&str], t: &[&str]) -> (f64, usize) {
    let (score, pairs) = align(q, t);
    (score, pairs.last().map_or(0, |(_, j)| *j))
}

/// The weighted longest common subsequence of `q` in `t` (similar words
/// match): its weight and the aligned pairs `(index in q, index in t)`.
fn align(q: &[&str], t: &[&str]) -> (f64, Vec<(usize, usize)>) {
    let cols = t.len() + 1;
    let mut table = vec![0.0_f64; (q.len() + 1) * cols];
    let at = |i: usize, j: usize| i * cols + j;
    let cell = |table: &[f64], i: usize, j: usize| table.get(at(i, j)).copied().unwrap_or(0.0);
    for (i, qw) in q.iter().enumerate() {
        for (j, tw) in t.iter().enumerate() {
            let value = if similar_words(qw, tw) {
                cell(&table, i, j) + weight(qw)
            } else {
                cell(&table, i, j + 1).max(cell(&table, i + 1, j))
            };
            if let Some(slot) = table.get_mut(at(i + 1, j + 1)) {
                *slot = value;
            }
        }
    }
    let best = cell(&table, q.len(), t.len());
    // Walk back from the end of the first column where the full score is reached.
    let mut j = (1..=t.len())
        .find(|&j| cell(&table, q.len(), j) >= best)
        .unwrap_or(0);
    let mut i = q.len();
    let mut pairs = Vec::new();
    while i > 0 && j > 0 {
        let (qw, tw) = (q.get(i - 1), t.get(j - 1));
        let here = cell(&table, i, j);
        if qw.zip(tw).is_some_and(|(a, b)| similar_words(a, b))
            && (here - cell(&table, i - 1, j - 1) - qw.map_or(0.0, |w| weight(w))).abs() < 1e-9
        {
            pairs.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if cell(&table, i - 1, j) >= cell(&table, i, j - 1) {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();
    (best, pairs)
}

fn scored(
    win: Window,
    episode: usize,
    start: usize,
    end: usize,
    similarity: f64,
    exact: bool,
) -> Scored {
    let pairs = (start..=end).enumerate().collect();
    Scored {
        similarity,
        exact,
        episode,
        win,
        start,
        end,
        pairs,
    }
}

impl Window {
    /// Byte range of words `start..=end` in the window's text.
    /// When words `start..=end` are said: from the first word's time in its
    /// passage to the last one's in its own (see [`MatchTime`]).
    fn time_of_words(&self, episode: &Episode, start: usize, end: usize) -> Option<MatchTime> {
        let at = |word: usize| -> Option<MatchTime> {
            let index = *self.passage_of_word.get(word)?;
            let passage = episode.passages.get(index)?;
            let offset = self
                .passage_bytes
                .get(index.checked_sub(self.first_passage)?)?
                .start;
            let span = &self.words.get(word)?.span;
            Some(MatchTime::of_bytes(
                passage,
                span.start.checked_sub(offset)?..span.end.checked_sub(offset)?,
            ))
        };
        Some(MatchTime::spanning(at(start)?, at(end.max(start))?))
    }

    fn bytes(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let from = self.words.get(start).map_or(0, |w| w.span.start);
        let to = self
            .words
            .get(end.max(start))
            .map_or(self.text.len(), |w| w.span.end);
        from..to
    }

    /// The sentences of the window, each within one passage.
    fn sentences(&self) -> Vec<(usize, usize)> {
        self.passage_bytes
            .iter()
            .flat_map(|bytes| {
                let text = self.text.get(bytes.clone()).unwrap_or_default();
                sentence_spans(text)
                    .into_iter()
                    .map(move |(s, e)| (s + bytes.start, e + bytes.start))
            })
            .collect()
    }

    /// The whole sentences holding the bytes `range`.
    fn sentences_around(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let spans = self.sentences();
        let first = spans
            .iter()
            .find(|(_, e)| *e > range.start)
            .map_or(range.start, |(s, _)| *s.min(&range.start));
        let last = spans
            .iter()
            .find(|(s, e)| *s < range.end && *e >= range.end)
            .or_else(|| spans.iter().rev().find(|(s, _)| *s < range.end))
            .map_or(range.end, |(_, e)| *e.max(&range.end));
        first..last
    }

    /// How the sentence holding byte `at` ends (`?`, `.`, `!`), if it does.
    fn sentence_mark(&self, at: usize) -> Option<char> {
        let spans = self.sentences();
        let (s, e) = spans.iter().find(|(s, e)| *s <= at && at < *e)?;
        claims::final_mark(self.text.get(*s..*e)?)
    }
}

/// The differences between the quote and its match that change the claim.
fn claim_changes(quote: &str, episode: &Episode, s: &Scored) -> Vec<Change> {
    let win = &s.win;
    let region = win.bytes(s.start, s.end);
    let said = win.text.get(region.clone()).unwrap_or_default();
    let mut changes = Vec::new();

    if !s.exact {
        let quote_words = words(quote);
        let q_folded: Vec<&str> = quote_words.iter().map(|w| w.folded.as_str()).collect();
        let t_folded: Vec<&str> = win
            .words
            .get(s.start..=s.end.max(s.start))
            .unwrap_or_default()
            .iter()
            .map(|w| w.folded.as_str())
            .collect();
        let (qn, tn) = (claims::negations(&q_folded), claims::negations(&t_folded));
        if qn != tn {
            let only = |ws: &[&str]| {
                ws.iter()
                    .filter(|w| claims::negations(&[w]) > 0)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            changes.push(Change::new(
                ChangeKind::Negation,
                only(&q_folded),
                only(&t_folded),
            ));
        }
        if let Some((ours, theirs)) = claims::number_change(quote, said) {
            changes.push(Change::new(ChangeKind::Number, ours, theirs));
        }
        let said_names = claims::names(said);
        let unmatched: Vec<String> = claims::names(quote)
            .into_iter()
            .filter(|(_, folded)| {
                !t_folded
                    .iter()
                    .any(|t| similar_words(folded, t) || same_person(episode, folded, t))
            })
            .map(|(raw, _)| raw)
            .collect();
        if !unmatched.is_empty() {
            let theirs: Vec<String> = said_names
                .into_iter()
                .filter(|(_, folded)| !q_folded.iter().any(|q| similar_words(folded, q)))
                .map(|(raw, _)| raw)
                .collect();
            changes.push(Change::new(
                ChangeKind::Name,
                unmatched.join(" "),
                theirs.join(" "),
            ));
        }
        // Matched parts far apart in the transcript come from separate places.
        if let Some(gap) = s
            .pairs
            .windows(2)
            .filter_map(|w| match w {
                [(_, a), (_, b)] => Some((*a, *b)),
                _ => None,
            })
            .find(|(a, b)| b.saturating_sub(*a) > SPLICE_GAP)
        {
            let skipped = win
                .text
                .get(win.bytes(gap.0 + 1, gap.1 - 1))
                .unwrap_or_default();
            changes.push(Change::new(
                ChangeKind::Splice,
                "",
                format!("{} words in between: «{}»", gap.1 - gap.0 - 1, skipped),
            ));
        }
    }

    // A question made a statement, or the other way round. Only marks on
    // both sides count: a quote without one (or "est-ce que" without "?", as
    // speech recognition often writes questions) claims neither, and an
    // unpunctuated transcript cannot contradict one.
    let asked = claims::final_mark(quote);
    let stated = win.sentence_mark(region.end.saturating_sub(1));
    if let (Some(mark), Some(said_mark)) = (asked, stated)
        && (mark == '?') != (said_mark == '?')
    {
        changes.push(Change::new(
            ChangeKind::Question,
            mark.to_string(),
            said_mark.to_string(),
        ));
    }

    // Words of two speakers are not one person's quote.
    let mut speakers: Vec<&str> = Vec::new();
    for p in win
        .passage_of_word
        .get(s.start..=s.end.max(s.start))
        .unwrap_or_default()
    {
        if let Some(sp) = episode.passages.get(*p).and_then(|p| p.speaker.as_deref())
            && !speakers.contains(&sp)
        {
            speakers.push(sp);
        }
    }
    if speakers.len() > 1 {
        let names: Vec<String> = speakers.iter().map(|s| episode.speaker_name(s)).collect();
        changes.push(Change::new(
            ChangeKind::Splice,
            "",
            format!("said by {}", names.join(" then ")),
        ));
    }
    changes
}

/// Whether two folded words both belong to one participant's names and
/// aliases (`mensch` and `mech` for Arthur Mensch, heard as "Arthur Mech").
fn same_person(episode: &Episode, a: &str, b: &str) -> bool {
    episode.participants.iter().any(|p| {
        let spellings: Vec<String> = std::iter::once(&p.name)
            .chain(&p.aliases)
            .flat_map(|n| claims::name_words(n))
            .collect();
        spellings.iter().any(|w| w == a) && spellings.iter().any(|w| w == b)
    })
}

/// Whether the transcript gives the matched words to `asked`, from its
/// speaker turns only (being a participant proves nothing).
fn attribute(episode: &Episode, s: &Scored, asked: &str) -> Attribution {
    let mut labels: Vec<&str> = Vec::new();
    let mut untimed_turns = false;
    for p in s
        .win
        .passage_of_word
        .get(s.start..=s.end.max(s.start))
        .unwrap_or_default()
    {
        match episode.passages.get(*p).and_then(|p| p.speaker.as_deref()) {
            Some(label) if !labels.contains(&label) => labels.push(label),
            Some(_) => {}
            None => untimed_turns = true,
        }
    }
    let people = People::build(&[EpisodeHeader::of(episode)]);
    let person = people.find(asked).into_iter().next();
    let is_them = |label: &str| {
        person.is_some_and(|p| {
            p.appearance(&episode.episode_id).is_some_and(|a| {
                a.names_here
                    .iter()
                    .any(|n| crate::analysis::names::same_name(n, label))
            })
        })
    };
    let verdict = if labels.is_empty() || untimed_turns && labels.iter().all(|l| is_them(l)) {
        AttributionVerdict::Unknown
    } else if labels.iter().all(|l| is_them(l)) {
        AttributionVerdict::Confirmed
    } else {
        AttributionVerdict::OtherSpeaker
    };
    let said_by = match verdict {
        AttributionVerdict::Unknown => None,
        AttributionVerdict::Confirmed => labels.first().map(|l| episode.speaker_name(l)),
        AttributionVerdict::OtherSpeaker => labels
            .iter()
            .find(|l| !is_them(l))
            .map(|l| episode.speaker_name(l)),
    };
    let participant = (verdict == AttributionVerdict::Unknown).then(|| {
        person.is_some_and(|p| {
            p.appearance(&episode.episode_id)
                .is_some_and(|a| episode.participants.iter().any(|x| x.name == a.name))
        })
    });
    Attribution {
        speaker: asked.to_string(),
        verdict,
        said_by,
        participant,
    }
}

fn conclude(
    episodes: &BTreeMap<usize, Arc<Episode>>,
    quote: &str,
    best: Option<Scored>,
    speaker: Option<&str>,
) -> Verification {
    let not_said = |similarity: f64, nearest: Option<Nearest>, explanation: String| Verification {
        quote: quote.to_string(),
        verdict: Verdict::NotSaid,
        similarity,
        best_match: None,
        nearest,
        changes: Vec::new(),
        attribution: None,
        explanation,
    };
    let Some((best, episode)) = best.and_then(|b| episodes.get(&b.episode).map(|e| (b, e))) else {
        return not_said(
            0.0,
            None,
            "No passage of the corpus shares this quote's words: it was not said here.".to_string(),
        );
    };
    let similarity = (best.similarity * 1000.0).round() / 1000.0;
    let region = best.win.bytes(best.start, best.end);
    let passage_index = best
        .win
        .passage_of_word
        .get(best.start)
        .copied()
        .unwrap_or(0);
    let Some(passage) = episode.passages.get(passage_index) else {
        return not_said(
            similarity,
            None,
            "The nearest passage could not be read.".into(),
        );
    };
    if !best.exact && similarity < CLOSE_THRESHOLD {
        let nearest = Nearest {
            words: best
                .win
                .text
                .get(best.win.sentences_around(region))
                .unwrap_or_default()
                .to_string(),
            passage_id: passage.passage_id.clone(),
            episode: EpisodeRef::of(episode),
            start_seconds: passage.start_seconds,
            timing: passage.timing,
        };
        return not_said(
            similarity,
            Some(nearest),
            format!(
                "Not said: the nearest passage is only {:.0}% similar and does not say this. Do not present it as a quote.",
                similarity * 100.0
            ),
        );
    }
    let changes = claim_changes(quote, episode, &best);
    let verdict = match (best.exact, changes.is_empty()) {
        (_, false) => Verdict::Altered,
        (true, true) => Verdict::Exact,
        (false, true) => Verdict::Close,
    };
    let excerpt_bytes = if verdict == Verdict::Exact {
        region
    } else {
        best.win.sentences_around(region)
    };
    let excerpt = best
        .win
        .text
        .get(excerpt_bytes)
        .unwrap_or_default()
        .trim()
        .to_string();
    let attribution = speaker.map(|asked| attribute(episode, &best, asked));
    let time = best
        .win
        .time_of_words(episode, best.start, best.end)
        .unwrap_or_else(|| MatchTime::of_bytes(passage, 0..passage.text.len()));
    let best_match = QuoteMatch {
        citation: cite_at(
            episode,
            passage,
            &excerpt,
            time.match_start_seconds,
            time.match_timing,
        ),
        matched: time,
        excerpt,
        text: passage.text.clone(),
        origin: Origin {
            passage_id: passage.passage_id.clone(),
            episode: EpisodeRef::of(episode),
            chapter: passage.chapter.and_then(|c| ChapterRef::of(episode, c)),
            said: Said::of(passage),
        },
        url: episode
            .url
            .as_deref()
            .map(|u| moment_url(u, time.match_start_seconds)),
    };
    let mut explanation = match verdict {
        Verdict::Exact => {
            "The transcript says these words (accents and punctuation aside); cite the match."
                .to_string()
        }
        Verdict::Close => format!(
            "The transcript says the same thing in slightly different words ({:.0}% similar): quote `match.excerpt` instead.",
            similarity * 100.0
        ),
        Verdict::Altered => format!(
            "Altered: the transcript has most of these words but says something else ({}). Do not present it as a quote; `match.excerpt` is what was said.",
            changes.iter().map(describe).collect::<Vec<_>>().join("; ")
        ),
        Verdict::NotSaid => String::new(),
    };
    if let Some(a) = &attribution {
        explanation.push(' ');
        explanation.push_str(&attribution_sentence(a));
    }
    Verification {
        quote: quote.to_string(),
        verdict,
        similarity,
        best_match: Some(best_match),
        nearest: None,
        changes,
        attribution,
        explanation,
    }
}

/// One change in words.
fn describe(change: &Change) -> String {
    let shown = |words: &str| {
        if words.is_empty() {
            "nothing".to_string()
        } else {
            format!("«{words}»")
        }
    };
    let pair = |what: &str| {
        format!(
            "{what}: the quote has {}, the transcript {}",
            shown(&change.quote),
            shown(&change.transcript)
        )
    };
    match change.kind {
        ChangeKind::Negation => pair("a negation differs"),
        ChangeKind::Number => pair("a number, unit or date differs"),
        ChangeKind::Name => pair("a name differs"),
        ChangeKind::Question => pair("a question and a statement differ"),
        ChangeKind::Splice => format!(
            "words from separate places or speakers: {}",
            change.transcript
        ),
    }
}

fn attribution_sentence(a: &Attribution) -> String {
    match a.verdict {
        AttributionVerdict::Confirmed => format!(
            "The transcript gives these words to {}.",
            a.said_by.as_deref().unwrap_or(&a.speaker)
        ),
        AttributionVerdict::OtherSpeaker => format!(
            "The transcript gives these words to {}, not to {}: do not attribute them to {}.",
            a.said_by.as_deref().unwrap_or("someone else"),
            a.speaker,
            a.speaker
        ),
        AttributionVerdict::Unknown => format!(
            "The transcript does not say who speaks there, so it cannot confirm {} said it ({} a participant of the episode).",
            a.speaker,
            if a.participant == Some(true) {
                "they are"
            } else {
                "they are not listed as"
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_queries_are_short_phrases_and_telling_words() {
        let quote = "Ça permet justement d'avoir le niveau de sécurité, le niveau de gouvernance \
                     dont tu as besoin sur les données.";
        let queries = candidate_queries(&words(quote));
        assert_eq!(queries.len(), 3, "{queries:?}");
        let head = queries.first().unwrap();
        assert!(
            head.starts_with("\"ca permet justement") && head.ends_with('"'),
            "{head}"
        );
        assert_eq!(head.split_whitespace().count(), PHRASE_WORDS);
        assert!(
            queries.get(1).unwrap().ends_with("les donnees\""),
            "{queries:?}"
        );
        let bag = queries.get(2).unwrap();
        assert!(bag.starts_with("gouvernance"), "{bag}");
        assert!(!bag.contains('"') && bag.split_whitespace().count() <= BAG_WORDS);
        assert!(
            bag.split_whitespace().all(|w| !is_function_word(w)),
            "{bag}"
        );
        // A short quote: one phrase and its words; a single word: just the word.
        assert_eq!(candidate_queries(&words("logiciel libre")).len(), 2);
        assert_eq!(
            candidate_queries(&words("Mistral")),
            vec!["mistral".to_string()]
        );
        // Only function words: they are the telling words.
        assert_eq!(candidate_queries(&words("de la")).last().unwrap(), "de la");
    }

    #[test]
    fn lcs_is_weighted_and_ordered() {
        let q = ["on", "ne", "s", "est", "jamais", "pose", "la", "question"];
        let t = [
            "on", "ne", "s", "est", "meme", "pas", "pose", "la", "question", "en", "realite",
        ];
        let (score, last) = weighted_lcs(&q, &t);
        assert!(score > 3.0, "{score}");
        assert_eq!(last, 8);
    }

    #[test]
    fn similar_words_tolerate_asr_and_inflection() {
        assert!(similar_words("mensch", "mench"));
        assert!(similar_words("donnees", "donnee"));
        assert!(!similar_words("le", "la"));
        assert!(!similar_words("chat", "chien"));
    }
}
