//! Quote verification: was this said, by whom, and when?
//!
//! An agent calls this before it puts a quote in front of a person. The
//! verdict compares words, not characters: accents, case and punctuation do
//! not matter (people type quotes without them), word order and the words
//! themselves do.
//!
//! - `exact`: the quote's words occur contiguously in the transcript.
//! - `close`: most of the quote's meaningful words occur, mostly in order,
//!   within one short stretch of transcript (a paraphrase, a dropped word).
//! - `not_said`: nothing in the corpus says it, even if every word occurs
//!   somewhere (a fabrication made of corpus words scores low because its
//!   words are scattered, not together).
//!
//! Candidates come from the quote search (so a large corpus is not scanned)
//! plus, when an episode is named, every passage of that episode. Each
//! candidate is compared together with its neighbours, so a quote that runs
//! across a passage boundary is still found.

use crate::corpus::Corpus;
use crate::index::{SearchError, SearchIndex, SearchRequest};
use crate::model::citation::{cite_words, moment_url};
use crate::model::{ChapterRef, Episode, EpisodeRef, Origin, Said};
use crate::text::{Word, edit_distance, is_function_word, words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest quote accepted, in characters.
pub const MAX_QUOTE_CHARS: usize = 5_000;
/// Similarity from which a non-exact quote counts as a close paraphrase.
pub const CLOSE_THRESHOLD: f64 = 0.6;
/// Time given to the close-match comparison: past it, the remaining candidates
/// are only checked for the exact words (cheap), and the verdict says it was cut.
const FUZZY_BUDGET: Duration = Duration::from_secs(2);
/// Search hits examined as candidates.
const CANDIDATES: usize = 30;
/// Weight of a function word ("de", "que") relative to a content word.
const FUNCTION_WORD_WEIGHT: f64 = 0.25;

/// How a quote compares with the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The transcript says these words, in this order (accents and punctuation aside).
    Exact,
    /// The transcript says something very like it: quote the `match.excerpt` instead.
    Close,
    /// The corpus does not say this.
    NotSaid,
}

/// The passage that best matches a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuoteMatch {
    /// The exact transcript words that correspond to the quote: safe to quote.
    pub excerpt: String,
    /// The whole passage holding the excerpt, exact words.
    pub text: String,
    #[serde(flatten)]
    pub origin: Origin,
    /// Ready-to-paste citation of the excerpt.
    pub citation: String,
    /// A link to the moment, when the episode has a URL.
    pub url: Option<String>,
}

/// The answer to a verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Verification {
    /// The quote as given.
    pub quote: String,
    pub verdict: Verdict,
    /// 0 to 1: how much of the quote the best match says, in order.
    pub similarity: f64,
    /// The best matching passage; for `not_said` it is only the nearest text, which does not say the quote.
    #[serde(rename = "match")]
    pub best_match: Option<QuoteMatch>,
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

/// Checks `quote` against the corpus, or against one episode.
pub fn verify_quote(
    corpus: &Corpus,
    index: &SearchIndex,
    quote: &str,
    episode_id: Option<&str>,
) -> Result<Verification, VerifyError> {
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

    // Only the episodes of the candidates are read (a few, from the cache or disk).
    let mut episodes: BTreeMap<usize, Arc<Episode>> = BTreeMap::new();
    let mut load = |e: usize| -> Result<Option<Arc<Episode>>, VerifyError> {
        if let Some(found) = episodes.get(&e) {
            return Ok(Some(Arc::clone(found)));
        }
        let loaded = corpus.episode_at(e).map_err(|err| {
            VerifyError::Read(crate::corpus::unreadable("a candidate episode", &err))
        })?;
        if let Some(episode) = &loaded {
            episodes.insert(e, Arc::clone(episode));
        }
        Ok(loaded)
    };
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    let mut cut_short = false;
    for query in candidate_queries(&quote_words) {
        let request = SearchRequest {
            query,
            episode_id: episode_id.map(str::to_string),
            limit: CANDIDATES,
            ..SearchRequest::default()
        };
        let results = index.search(corpus, &request)?;
        cut_short |= results.notes.iter().any(|n| n.contains("time limit"));
        for hit in results.hits {
            let Some(e) = corpus.position(&hit.origin.episode.episode_id) else {
                continue;
            };
            if let Some(episode) = load(e)?
                && let Some(p) = episode
                    .passages
                    .iter()
                    .position(|p| p.passage_id == hit.origin.passage_id)
            {
                candidates.push((e, p));
            }
        }
    }
    if let Some(e) = episode_id.and_then(|id| corpus.position(id))
        && let Some(episode) = load(e)?
    {
        candidates.extend((0..episode.passages.len()).map(|p| (e, p)));
    }
    candidates.sort_unstable();
    candidates.dedup();

    let deadline = Instant::now() + FUZZY_BUDGET;
    let mut best: Option<Scored> = None;
    for (e, p) in candidates {
        let Some(episode) = episodes.get(&e) else {
            continue;
        };
        let Some(scored) = score_candidate(episode, e, p, &quote_words, length, deadline) else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|b| scored.similarity > b.similarity)
        {
            best = Some(scored);
        }
    }
    let mut verification = conclude(&episodes, quote, best);
    if verification.verdict != Verdict::Exact && cut_short {
        verification.explanation.push_str(
            " The candidate search hit its time limit (the server is busy), so a matching passage may have been missed: try again.",
        );
    }
    if verification.verdict != Verdict::Exact && Instant::now() >= deadline {
        verification.explanation.push_str(&format!(
            " The comparison stopped at its {} s time limit, so a closer match may exist: check a shorter quote.",
            FUZZY_BUDGET.as_secs()
        ));
    }
    Ok(verification)
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
        // Quotes and operators would change the query's meaning.
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let phrase = |part: &[&str]| format!("\"{}\"", part.join(" "));
    let mut queries = Vec::new();
    if plain.len() >= 2 {
        let head = plain
            .get(..PHRASE_WORDS.min(plain.len()))
            .unwrap_or_default();
        queries.push(phrase(head));
        if plain.len() > PHRASE_WORDS {
            let tail = plain.get(plain.len() - PHRASE_WORDS..).unwrap_or_default();
            queries.push(phrase(tail));
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
    /// The passage holding the first matched word.
    passage: usize,
    excerpt: String,
}

/// A stretch of consecutive passages joined by spaces, with each word's passage.
struct Window {
    text: String,
    words: Vec<Word>,
    passage_of_word: Vec<usize>,
}

fn window(episode: &Episode, center: usize, quote_chars: usize) -> Window {
    // Wide enough that a quote longer than one passage still fits.
    let reach = 1 + quote_chars / 400;
    let first = center.saturating_sub(reach);
    let last = (center + reach).min(episode.passages.len().saturating_sub(1));
    let mut text = String::new();
    let mut all_words = Vec::new();
    let mut passage_of_word = Vec::new();
    for index in first..=last {
        let Some(passage) = episode.passages.get(index) else {
            continue;
        };
        if !text.is_empty() {
            text.push(' ');
        }
        let offset = text.len();
        text.push_str(&passage.text);
        for mut w in words(&passage.text) {
            w.span = (w.span.start + offset)..(w.span.end + offset);
            all_words.push(w);
            passage_of_word.push(index);
        }
    }
    Window {
        text,
        words: all_words,
        passage_of_word,
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
    quote: &[Word],
    quote_chars: usize,
    deadline: Instant,
) -> Option<Scored> {
    let win = window(episode, passage, quote_chars);
    let q: Vec<&str> = quote.iter().map(|w| w.folded.as_str()).collect();
    let t: Vec<&str> = win.words.iter().map(|w| w.folded.as_str()).collect();

    // Exact: the quote's words, contiguous.
    if let Some(start) = t.windows(q.len()).position(|w| w == q.as_slice()) {
        let end = start + q.len() - 1;
        return Some(scored(&win, episode_index, start, end, 1.0, true));
    }

    // Otherwise the best short stretch: weighted in-order overlap (LCS) blended
    // with weighted presence, both relative to the quote's own weight.
    let total: f64 = q.iter().map(|w| weight(w)).sum();
    if total <= 0.0 {
        return None;
    }
    let span = q.len() + (q.len() / 2).max(4);
    let mut best: Option<(f64, usize, usize)> = None;
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
        let (in_order, last_matched) = weighted_lcs(&q, stretch);
        let present: f64 = q
            .iter()
            .filter(|w| stretch.iter().any(|s| similar_words(w, s)))
            .map(|w| weight(w))
            .sum();
        let similarity = 0.6 * (in_order / total) + 0.4 * (present / total);
        if best.is_none_or(|(s, _, _)| similarity > s) {
            best = Some((similarity, start, start + last_matched));
        }
    }
    let (similarity, start, end) = best?;
    Some(scored(&win, episode_index, start, end, similarity, false))
}

/// Weighted longest common subsequence of `q` in `t`, and the index in `t` of
/// the last word it matched.
fn weighted_lcs(q: &[&str], t: &[&str]) -> (f64, usize) {
    let cols = t.len() + 1;
    let mut table = vec![0.0_f64; (q.len() + 1) * cols];
    let at = |i: usize, j: usize| i * cols + j;
    for (i, qw) in q.iter().enumerate() {
        for (j, tw) in t.iter().enumerate() {
            let diagonal = table.get(at(i, j)).copied().unwrap_or(0.0);
            let up = table.get(at(i, j + 1)).copied().unwrap_or(0.0);
            let left = table.get(at(i + 1, j)).copied().unwrap_or(0.0);
            let value = if similar_words(qw, tw) {
                diagonal + weight(qw)
            } else {
                up.max(left)
            };
            if let Some(slot) = table.get_mut(at(i + 1, j + 1)) {
                *slot = value;
            }
        }
    }
    let best = table.get(at(q.len(), t.len())).copied().unwrap_or(0.0);
    // The last column where the full score is reached is the end of the match.
    let last = (1..=t.len())
        .find(|&j| table.get(at(q.len(), j)).copied().unwrap_or(0.0) >= best)
        .map_or(0, |j| j - 1);
    (best, last)
}

fn scored(
    win: &Window,
    episode: usize,
    start: usize,
    end: usize,
    similarity: f64,
    exact: bool,
) -> Scored {
    let from = win.words.get(start).map_or(0, |w| w.span.start);
    let to = win
        .words
        .get(end.max(start))
        .map_or(win.text.len(), |w| w.span.end);
    Scored {
        similarity,
        exact,
        episode,
        passage: win.passage_of_word.get(start).copied().unwrap_or(0),
        excerpt: win.text.get(from..to).unwrap_or_default().to_string(),
    }
}

fn conclude(
    episodes: &BTreeMap<usize, Arc<Episode>>,
    quote: &str,
    best: Option<Scored>,
) -> Verification {
    let Some(best) = best else {
        return Verification {
            quote: quote.to_string(),
            verdict: Verdict::NotSaid,
            similarity: 0.0,
            best_match: None,
            explanation:
                "No passage of the corpus shares this quote's words: it was not said here."
                    .to_string(),
        };
    };
    let similarity = (best.similarity * 1000.0).round() / 1000.0;
    let verdict = if best.exact {
        Verdict::Exact
    } else if similarity >= CLOSE_THRESHOLD {
        Verdict::Close
    } else {
        Verdict::NotSaid
    };
    let best_match = episodes.get(&best.episode).and_then(|episode| {
        let passage = episode.passages.get(best.passage)?;
        Some(QuoteMatch {
            citation: cite_words(episode, passage, &best.excerpt),
            excerpt: best.excerpt.clone(),
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
                .map(|u| moment_url(u, passage.start_seconds)),
        })
    });
    let explanation = match verdict {
        Verdict::Exact => {
            "The transcript says these words (accents and punctuation aside); cite the match."
                .to_string()
        }
        Verdict::Close => format!(
            "The transcript says something close ({:.0}% similar) but not these exact words: quote `match.excerpt` instead.",
            similarity * 100.0
        ),
        Verdict::NotSaid => format!(
            "Not said: the nearest passage is only {:.0}% similar and does not say this. Do not present it as a quote.",
            similarity * 100.0
        ),
    };
    Verification {
        quote: quote.to_string(),
        verdict,
        similarity,
        best_match,
        explanation,
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
