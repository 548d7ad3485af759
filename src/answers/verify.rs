//! Quote verification: was this said, by whom, and when?
//!
//! An agent calls this before it puts a quote in front of a person. The
//! verdict compares words, not characters: accents, case and punctuation do
//! not matter (people type quotes without them), word order and the words
//! themselves do, and so does what the words claim ([`claims`]).
//!
//! - `exact`: the quote's words occur contiguously in the transcript.
//! - `close`: the same statement with differences that do not change what is
//!   claimed: fillers, a repeated, added or dropped word, a misheard or
//!   inflected word or a known alias of a name; numbers compare by value.
//! - `altered`: the words are largely there but the claim is not the
//!   transcript's: a negation added or dropped, a number, unit or date
//!   changed, a name swapped, a word put where the transcript says another
//!   (a synonym and a reversal look alike to a comparison of words), a
//!   question made a statement, or words stitched from separate places or
//!   speakers. What changed is listed.
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
use crate::answers::links::{chapter_uri, episode_uri};
use crate::corpus::Corpus;
use crate::index::analyzer::is_elided;
use crate::index::{MAX_QUERY_TERMS, SearchError, SearchIndex, SearchRequest};
use crate::model::citation::{cite_at, moment_url};
use crate::model::{Episode, EpisodeHeader, MatchTime, Millis, seconds};
use crate::text::sentences::sentence_spans;
use crate::text::{Word, edit_distance, is_function_word, words};
use claims::{Change, ChangeKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
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
/// Transcript words skipped inside a match, past which its parts come from
/// separate places (a filler or two, or a dropped small word, are not).
const SPLICE_GAP: usize = 8;
/// Share of the quote's words (those no listed change explains) a fuzzy
/// match may leave out and still be the same statement (at least one word).
const SAME_STATEMENT_MISSING: f64 = 0.25;
/// Words the transcript may add between the matched ones, per quote word
/// (at least one; fillers and small words count for less).
const SAME_STATEMENT_ADDED: f64 = 0.2;
/// A splice is at most this many parts, each of at least [`SPLICE_PART_WORDS`]
/// words: more or shorter parts are words gathered from everywhere, not said.
const SPLICE_PARTS: usize = 3;
const SPLICE_PART_WORDS: usize = 3;

/// How a quote compares with the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The transcript says these words, in this order (accents and punctuation aside).
    Exact,
    /// The transcript says the same thing give or take a word added, dropped or misheard: quote `match.excerpt` instead.
    Close,
    /// The words are largely there but the claim differs (see `changes`): do not present it as a quote.
    Altered,
    /// The corpus does not say this.
    NotSaid,
}

/// The passage that best matches a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuoteMatch {
    /// The transcript's own words.
    pub excerpt: String,
    pub passage_id: String,
    pub episode_id: String,
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// When the quoted words are said (`citation` and `url` use `match_start_seconds`).
    #[serde(flatten)]
    pub matched: MatchTime,
    /// Paste as is.
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// For `not_said`: the nearest transcript words, which do NOT say the quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Nearest {
    /// Not a quote: do not attribute them.
    pub words: String,
    pub passage_id: String,
    pub episode_id: String,
    #[serde(
        with = "seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
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
    pub speaker: String,
    pub verdict: AttributionVerdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said_by: Option<String>,
    /// Listed in the episode (no proof).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<bool>,
}

/// The answer to a verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Verification {
    pub quote: String,
    pub verdict: Verdict,
    pub similarity: f64,
    #[serde(rename = "match", default, skip_serializing_if = "Option::is_none")]
    pub best_match: Option<QuoteMatch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest: Option<Nearest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
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
    let folded: Vec<&str> = quote_words.iter().map(|w| w.folded.as_str()).collect();
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
            let Some(scored) = score_candidate(episode, e, p, (&q, &folded), length, deadline)
            else {
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

/// A passage that says the quote word for word, within [`EXACT_BUDGET`]:
/// the hits of the quote's phrase, then (for a quote that runs across
/// passages, each of which ends a sentence, or is longer than a search
/// takes) those of the sentence of the quote the fewest passages say, paged
/// through until one holds the exact words. Returns it, and whether a
/// search was cut by its deadline.
fn find_exact(
    index: &SearchIndex,
    loaded: &mut Loaded<'_>,
    quote: &str,
    quote_words: &[Word],
    episode_id: Option<&str>,
) -> Result<(Option<Scored>, bool), VerifyError> {
    let folded: Vec<&str> = quote_words.iter().map(|w| w.folded.as_str()).collect();
    let mut search = ExactSearch {
        index,
        episode_id,
        quote,
        quote_words,
        folded: &folded,
        until: Instant::now() + EXACT_BUDGET,
        cut_short: false,
        first: None,
    };
    let whole = (folded.len() <= MAX_QUERY_TERMS)
        .then(|| phrase(&folded))
        .flatten();
    if let Some(query) = &whole
        && let Some(found) = search.page(loaded, query)?
    {
        return Ok((Some(found), search.cut_short));
    }
    // Every sentence of the quote is said in one passage: page through the
    // rarest one's hits (a common one, "Pourquoi ?", would be thousands).
    // A sentence no passage says means the quote is not said word for word
    // (the comparison that follows still finds words said across a break).
    let mut at = 0;
    let mut rarest: Option<(usize, String)> = None;
    let mut unsaid = false;
    for (s, e) in sentence_spans(quote) {
        let n = quote.get(s..e).map_or(0, |t| words(t).len());
        let part = folded.get(at..at + n).unwrap_or_default();
        at += n;
        let Some(query) = phrase(
            part.get(..part.len().min(MAX_QUERY_TERMS))
                .unwrap_or_default(),
        ) else {
            continue;
        };
        if Some(&query) == whole.as_ref() || Instant::now() >= search.until {
            continue;
        }
        let count = search.count(loaded, &query)?;
        if count == 0 {
            unsaid = true;
            break;
        }
        if rarest.as_ref().is_none_or(|(c, _)| count < *c) {
            rarest = Some((count, query));
        }
    }
    if let Some((_, query)) = rarest.filter(|_| !unsaid)
        && let Some(found) = search.page(loaded, &query)?
    {
        return Ok((Some(found), search.cut_short));
    }
    Ok((search.first, search.cut_short))
}

/// One exact search for a quote: what it looks for, its deadline, and what
/// it found so far.
struct ExactSearch<'a> {
    index: &'a SearchIndex,
    episode_id: Option<&'a str>,
    quote: &'a str,
    quote_words: &'a [Word],
    folded: &'a [&'a str],
    until: Instant,
    cut_short: bool,
    /// The first place that says the words, in case none says them as the quote has them.
    first: Option<Scored>,
}

impl ExactSearch<'_> {
    fn request(&self, query: &str, offset: usize, limit: usize) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            episode_id: self.episode_id.map(str::to_string),
            limit,
            offset,
            all_words: true,
            ..SearchRequest::default()
        }
    }

    /// How many passages match `query`.
    fn count(&mut self, loaded: &Loaded<'_>, query: &str) -> Result<usize, VerifyError> {
        let results = loaded.corpus_search(self.index, &self.request(query, 0, 1))?;
        self.cut_short |= results.notes.iter().any(|n| n.contains("time limit"));
        Ok(results.total_hits)
    }

    /// Pages through the hits of `query` until a window around one holds
    /// the quote's words as the quote has them (no claim changed: a
    /// question, one speaker); a place with only the words is kept in
    /// `first`.
    fn page(
        &mut self,
        loaded: &mut Loaded<'_>,
        query: &str,
    ) -> Result<Option<Scored>, VerifyError> {
        let chars = quote_chars(self.quote_words);
        let mut offset = 0;
        while offset < EXACT_MAX_HITS && Instant::now() < self.until {
            let results =
                loaded.corpus_search(self.index, &self.request(query, offset, EXACT_PAGE))?;
            self.cut_short |= results.notes.iter().any(|n| n.contains("time limit"));
            for hit in &results.hits {
                let Some((e, p)) = loaded.candidate(hit)? else {
                    continue;
                };
                let Some(episode) = loaded.episodes.get(&e) else {
                    continue;
                };
                let win = window(episode, p, chars);
                for start in exact_starts(&win, self.folded) {
                    let end = start + self.folded.len() - 1;
                    let found = scored(window(episode, p, chars), e, start, end, 1.0, true);
                    if claim_changes(self.quote, episode, &found).is_empty() {
                        return Ok(Some(found));
                    }
                    self.first.get_or_insert(found);
                }
            }
            offset += results.hits.len();
            if results.hits.is_empty() || offset >= results.total_hits {
                break;
            }
        }
        Ok(None)
    }
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
    // Wide enough that the quote fits wherever the center passage falls in
    // it: its length of text on each side (and one passage at least).
    let length = |i: usize| episode.passages.get(i).map_or(0, |p| p.text.len() + 1);
    let mut first = center.saturating_sub(1);
    let mut before = length(first);
    while first > 0 && before < quote_chars {
        first -= 1;
        before += length(first);
    }
    let end = episode.passages.len().saturating_sub(1);
    let mut last = (center + 1).min(end);
    let mut after = length(last);
    while last < end && after < quote_chars {
        last += 1;
        after += length(last);
    }
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

/// The best stretch of the window around `passage` for the quote (`q`, its
/// compared words; `folded`, as written without accents).
fn score_candidate(
    episode: &Episode,
    episode_index: usize,
    passage: usize,
    (q, folded): (&[String], &[&str]),
    quote_chars: usize,
    deadline: Instant,
) -> Option<Scored> {
    if Instant::now() >= deadline {
        return None;
    }
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
    let similar = Similar::new(&q, &t);
    let mut best: Option<(f64, usize)> = None;
    for start in 0..t.len() {
        // Bounded work: a long quote against a long episode is millions of comparisons per start.
        if Instant::now() >= deadline {
            break;
        }
        if !(0..q.len()).any(|i| similar.at(i, start)) {
            continue;
        }
        let stretch = start..(start + span).min(t.len());
        let (in_order, _) = align(&q, stretch.clone(), &similar);
        let present: f64 = q
            .iter()
            .enumerate()
            .filter(|(i, _)| stretch.clone().any(|j| similar.at(*i, j)))
            .map(|(_, w)| weight(w))
            .sum();
        let similarity = 0.6 * (in_order / total) + 0.4 * (present / total);
        if best.is_none_or(|(s, _)| similarity > s) {
            best = Some((similarity, start));
        }
    }
    let (similarity, from) = best?;
    let (_, pairs) = align(&q, from..(from + span).min(t.len()), &similar);
    // The match runs from the first aligned word to the last, not from where the stretch began.
    let start = pairs.first().map_or(from, |(_, j)| *j);
    let end = pairs.last().map_or(start, |(_, j)| *j);
    // Every word of the quote, in a row, as written: said word for word
    // (across a sentence break the quote does not have, which the phrase
    // searches cannot see).
    let exact = pairs.len() == q.len()
        && pairs
            .windows(2)
            .all(|w| matches!(w, [a, b] if b.1 == a.1 + 1))
        && pairs
            .iter()
            .all(|(i, j)| folded.get(*i).copied() == win.words.get(*j).map(|w| w.folded.as_str()));
    Some(Scored {
        similarity: if exact { 1.0 } else { similarity },
        exact,
        episode: episode_index,
        win,
        start,
        end,
        pairs,
    })
}

/// Which quote words are [`similar_words`] to which window words, computed
/// once per window: the alignment asks the same pairs again and again.
struct Similar {
    columns: usize,
    cells: Vec<bool>,
}

impl Similar {
    fn new(q: &[&str], t: &[&str]) -> Self {
        // Each distinct pair of words is compared once: a long quote repeats
        // its words, and so does the window.
        let (in_quote, in_window) = (positions(q), positions(t));
        let columns = t.len();
        let mut cells = vec![false; q.len() * columns];
        for (a, rows) in &in_quote {
            for (b, cols) in &in_window {
                if !similar_words(a, b) {
                    continue;
                }
                for i in rows {
                    for j in cols {
                        if let Some(cell) = cells.get_mut(i * columns + j) {
                            *cell = true;
                        }
                    }
                }
            }
        }
        Self { columns, cells }
    }

    /// Whether quote word `i` is similar to window word `j`.
    fn at(&self, i: usize, j: usize) -> bool {
        j < self.columns
            && self
                .cells
                .get(i * self.columns + j)
                .copied()
                .unwrap_or(false)
    }
}

/// Where each distinct word occurs in `words`.
fn positions<'a>(words: &[&'a str]) -> HashMap<&'a str, Vec<usize>> {
    let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        at.entry(*w).or_default().push(i);
    }
    at
}

/// The weighted longest common subsequence of `q` in the window words
/// `stretch` (similar words match): its weight and the aligned pairs
/// `(index in q, index in the window)`.
fn align(
    q: &[&str],
    stretch: std::ops::Range<usize>,
    similar: &Similar,
) -> (f64, Vec<(usize, usize)>) {
    let width = stretch.len();
    let cols = width + 1;
    let mut table = vec![0.0_f64; (q.len() + 1) * cols];
    let at = |i: usize, j: usize| i * cols + j;
    let cell = |table: &[f64], i: usize, j: usize| table.get(at(i, j)).copied().unwrap_or(0.0);
    let pair = |i: usize, j: usize| similar.at(i, stretch.start + j);
    for (i, qw) in q.iter().enumerate() {
        for j in 0..width {
            let value = if pair(i, j) {
                cell(&table, i, j) + weight(qw)
            } else {
                cell(&table, i, j + 1).max(cell(&table, i + 1, j))
            };
            if let Some(slot) = table.get_mut(at(i + 1, j + 1)) {
                *slot = value;
            }
        }
    }
    let best = cell(&table, q.len(), width);
    // Walk back from the end of the first column where the full score is reached.
    let mut j = (1..=width)
        .find(|&j| cell(&table, q.len(), j) >= best)
        .unwrap_or(0);
    let mut i = q.len();
    let mut pairs = Vec::new();
    while i > 0 && j > 0 {
        if pair(i - 1, j - 1)
            && (cell(&table, i, j)
                - cell(&table, i - 1, j - 1)
                - q.get(i - 1).map_or(0.0, |w| weight(w)))
            .abs()
                < 1e-9
        {
            pairs.push((i - 1, stretch.start + j - 1));
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

/// Whether a fuzzy match says the quote's statement, apart from what
/// `changes` explain: nearly all the quote's words, in one place (or in a few
/// parts of several words each, a splice), with few words added between
/// them. Words gathered from all over a passage are not a statement anyone
/// made, however many of them there are.
fn same_statement(q: &[String], s: &Scored, changes: &[Change]) -> bool {
    // A replaced word explains nothing: a quote that replaces many of the
    // transcript's words is a rewording, not the statement with a word changed.
    let explained = explained_words(changes.iter().filter(|c| c.kind != ChangeKind::Wording));
    let counted: Vec<usize> = (0..q.len())
        .filter(|&i| q.get(i).is_some_and(|w| !explained.contains(w)))
        .collect();
    let aligned: HashSet<usize> = s.pairs.iter().map(|(i, _)| *i).collect();
    let missing = counted.iter().filter(|i| !aligned.contains(i)).count();
    let allowed = ((counted.len() as f64 * SAME_STATEMENT_MISSING) as usize).max(1);
    if missing > allowed {
        return false;
    }
    let parts: Vec<&[(usize, usize)]> = s
        .pairs
        .chunk_by(|a, b| b.1.saturating_sub(a.1) <= SPLICE_GAP + 1)
        .collect();
    if parts.len() > SPLICE_PARTS
        || parts.len() > 1 && parts.iter().any(|p| p.len() < SPLICE_PART_WORDS)
    {
        return false;
    }
    // Words the transcript has between the matched ones: a filler or a small
    // word costs little, a word that says something costs a whole word.
    let added: f64 = parts
        .iter()
        .flat_map(|part| {
            let range = match (part.first(), part.last()) {
                (Some(first), Some(last)) => first.1..last.1 + 1,
                _ => 0..0,
            };
            range.filter(move |j| !part.iter().any(|p| p.1 == *j))
        })
        .filter_map(|j| s.win.compared.get(j))
        .filter(|w| !explained.contains(*w))
        .map(|w| {
            if claims::is_filler(w) {
                0.25
            } else if is_function_word(w) {
                0.5
            } else {
                1.0
            }
        })
        .sum();
    added <= (q.len() as f64 * SAME_STATEMENT_ADDED).max(1.0)
}

/// The words (as compared) that `changes` account for, on either side.
fn explained_words<'a>(changes: impl IntoIterator<Item = &'a Change>) -> HashSet<String> {
    changes
        .into_iter()
        .flat_map(|c| words(&c.quote).into_iter().chain(words(&c.transcript)))
        .map(|w| claims::comparable(&w.folded))
        .collect()
}

/// Whether two compared words are one word as said or written: the same
/// misheard or inflected word ([`similar_words`]), or a short word and the
/// same word with an ending (`gros`/`grosse`, `bon`/`bonne`, `vrai`/`vraie`).
fn same_word(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    similar_words(a, b)
        || short.chars().count() >= 3
            && long.starts_with(short)
            && long.chars().count() - short.chars().count() <= 2
}

/// Words of the quote that say something ([`claims::says_something`]) where
/// the transcript says other words: between two aligned words, or at either
/// end against the transcript's words next to the match in its sentence.
/// Nothing short of a thesaurus tells a synonym from a reversal
/// ("incapable" for "capable", "très mal" for "très bien"), so each is a
/// change for the reader to judge. A word the quote adds where the
/// transcript says nothing ("vraiment", "en gros"), a word it leaves out, a
/// misheard or inflected word, a word moved within the match and the words
/// other changes account for (`explained`) are not replacements.
fn replaced_words(
    quote: &str,
    quote_words: &[Word],
    episode: &Episode,
    s: &Scored,
    explained: &HashSet<String>,
) -> Vec<Change> {
    let win = &s.win;
    let (Some(&(first_q, first_t)), Some(&(last_q, last_t))) = (s.pairs.first(), s.pairs.last())
    else {
        return Vec::new();
    };
    let spans = win.sentences();
    let sentence_of = |j: usize| {
        let at = win.words.get(j).map(|w| w.span.start);
        at.and_then(|at| spans.iter().position(|(a, b)| *a <= at && at < *b))
    };
    // (quote words, transcript words) said in the same place.
    let mut gaps: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    // At the ends, a word may stand for two ("mieux" for "très bien").
    let reach = |quote_words: usize| quote_words * 2;
    let mut from = first_t;
    while from > 0
        && first_t - from < reach(first_q)
        && sentence_of(from - 1) == sentence_of(first_t)
    {
        from -= 1;
    }
    gaps.push((0..first_q, from..first_t));
    for pair in s.pairs.windows(2) {
        if let [(qa, ta), (qb, tb)] = pair
            && tb.saturating_sub(ta + 1) <= SPLICE_GAP
        {
            gaps.push((qa + 1..*qb, ta + 1..*tb));
        }
    }
    let trail = quote_words.len().saturating_sub(last_q + 1);
    let mut to = last_t + 1;
    while to < win.words.len()
        && to - last_t - 1 < reach(trail)
        && sentence_of(to) == sentence_of(last_t)
    {
        to += 1;
    }
    gaps.push((last_q + 1..quote_words.len(), last_t + 1..to));

    let matched = win.compared.get(from..to).unwrap_or_default();
    let mut changes = Vec::new();
    for (in_quote, in_transcript) in gaps {
        let replacing: Vec<String> = quote_words
            .get(in_quote.clone())
            .unwrap_or_default()
            .iter()
            .map(|w| claims::comparable(&w.folded))
            .filter(|w| claims::says_something(w) && !explained.contains(w))
            .filter(|w| !matched.iter().any(|t| same_word(w, t)))
            .collect();
        let said: Vec<&str> = win
            .compared
            .get(in_transcript.clone())
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .filter(|t| !claims::is_filler(t))
            .collect();
        if replacing.is_empty()
            || said.is_empty()
            || replacing
                .iter()
                .any(|w| said.iter().any(|t| same_person(episode, w, t)))
        {
            continue;
        }
        let written = |words: &[Word], text: &str| match (words.first(), words.last()) {
            (Some(first), Some(last)) => text
                .get(first.span.start..last.span.end)
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        };
        changes.push(Change::new(
            ChangeKind::Wording,
            written(quote_words.get(in_quote).unwrap_or_default(), quote),
            written(win.words.get(in_transcript).unwrap_or_default(), &win.text),
        ));
    }
    changes
}

/// The differences between the quote and its match that change the claim.
fn claim_changes(quote: &str, episode: &Episode, s: &Scored) -> Vec<Change> {
    let win = &s.win;
    let region = win.bytes(s.start, s.end);
    let mut changes = Vec::new();

    if !s.exact {
        let quote_words = words(quote);
        let q_folded: Vec<&str> = quote_words.iter().map(|w| w.folded.as_str()).collect();
        // Quote words left unaligned at either end stand for the transcript
        // words next to the match ("Et du numérique" for "Pas du numérique"):
        // the claim is compared over those too.
        let lead = s.pairs.first().map_or(0, |(i, _)| *i);
        let trail = s
            .pairs
            .last()
            .map_or(0, |(i, _)| q_folded.len().saturating_sub(i + 1));
        let (from, to) = (
            s.start.saturating_sub(lead),
            (s.end.max(s.start) + trail).min(win.words.len().saturating_sub(1)),
        );
        let said = win.text.get(win.bytes(from, to)).unwrap_or_default();
        let t_folded: Vec<&str> = win
            .words
            .get(from..=to.max(from))
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
        let explained = explained_words(&changes);
        changes.extend(replaced_words(quote, &quote_words, episode, s, &explained));
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
    let changes = claim_changes(quote, episode, &best);
    let q = comparable_words(&words(quote));
    if !best.exact && (similarity < CLOSE_THRESHOLD || !same_statement(&q, &best, &changes)) {
        let nearest = Nearest {
            words: best
                .win
                .text
                .get(best.win.sentences_around(region))
                .unwrap_or_default()
                .to_string(),
            passage_id: passage.passage_id.clone(),
            episode_id: episode.episode_id.clone(),
            start_seconds: passage.start_seconds,
        };
        let why = if similarity < CLOSE_THRESHOLD {
            format!(
                "the nearest passage is only {:.0}% similar and does not say this",
                similarity * 100.0
            )
        } else {
            "the nearest passage has many of these words, but scattered among others: nobody says this statement"
                .to_string()
        };
        return not_said(
            similarity,
            Some(nearest),
            format!("Not said: {why}. Do not present it as a quote."),
        );
    }
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
        passage_id: passage.passage_id.clone(),
        episode_id: episode.episode_id.clone(),
        uri: episode_uri(&episode.episode_id),
        chapter_uri: passage
            .chapter
            .filter(|c| episode.chapter(*c).is_some())
            .map(|c| chapter_uri(&episode.episode_id, c)),
        speaker: passage.speaker.clone(),
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
        ChangeKind::Wording => pair("a word is replaced"),
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
        let (score, pairs) = align(&q, 0..t.len(), &Similar::new(&q, &t));
        assert!(score > 3.0, "{score}");
        assert_eq!(pairs.last(), Some(&(7, 8)));
        // "jamais" has no partner; "meme pas" are skipped.
        assert_eq!(
            pairs.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            [0, 1, 2, 3, 5, 6, 7]
        );
    }

    #[test]
    fn similar_words_tolerate_asr_and_inflection() {
        assert!(similar_words("mensch", "mench"));
        assert!(similar_words("donnees", "donnee"));
        assert!(!similar_words("le", "la"));
        assert!(!similar_words("chat", "chien"));
    }
}
