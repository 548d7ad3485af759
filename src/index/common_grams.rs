//! Common grams: pairs of neighbouring frequent words, indexed as one term
//! so that a phrase of frequent words is a search for rarer terms.
//!
//! An exact phrase is answered by intersecting its words' postings and
//! reading their positions. When every word is frequent (`"de la"`,
//! `"je ne sais pas"`), that means reading positions for a large share of
//! the corpus: `"de la"` took 350 ms at 1 GB, as long in plain tantivy. A
//! phrase with one rarer word is cheap already: the rarer word's postings
//! bound the work. So, after Lucene's CommonGrams, beside each lane's text
//! field a pairs field holds, at the position of its first word, every pair
//! of consecutive words that are both in the language's list of very
//! frequent words (`de la`, `ne sais`, `sais pas`). A phrase of frequent
//! words is then a phrase of its pairs, whose postings are much shorter, or
//! a single term when it has two words, which tantivy ranks with block-max
//! WAND like any word. Lucene also indexes pairs with one frequent word: on
//! the bench's French corpus that was 78% of all word pairs and a third more
//! indexing CPU, for phrases that were fast already.
//!
//! The pairs are made of the lane analyzer's own terms (folded and
//! stemmed), from the same token stream as the text field, so a phrase
//! matches the pairs field exactly where it matches the text field. Only
//! languages of [`GRAMS_LANES`] have a pairs field; a phrase in any other
//! is searched in its text field as before.
//!
//! Tantivy analyses a document's fields one after another on one thread,
//! the text field before its pairs field. So while indexing, the text
//! field's analyzer ([`remembering_lane_analyzer`]) keeps its last
//! passage's tokens on the thread, and the pairs analyzer reads them back
//! when it is given the same text, instead of analysing it a second time
//! (that second analysis was a twentieth of indexing).

use crate::index::analyzer::{LANES, analyze, lane_analyzer};
use rustc_hash::FxHashSet;
use std::cell::RefCell;
use std::sync::LazyLock;
use tantivy::tokenizer::{BoxTokenStream, TextAnalyzer, Token, TokenStream, Tokenizer};

/// The most frequent French words of speech (as written; their analysed
/// forms are what is compared): function words and the verbs and adverbs
/// that speech repeats. A pair of two of them is about a quarter of the
/// pairs of French speech.
const FRENCH: &[&str] = &[
    "à", "a", "ai", "alors", "au", "aussi", "aux", "avec", "avoir", "bah", "ben", "bien", "c",
    "ça", "ce", "ces", "cette", "comme", "dans", "de", "des", "dit", "donc", "du", "elle", "en",
    "est", "et", "être", "euh", "faire", "fait", "faut", "il", "ils", "je", "la", "le", "les",
    "leur", "lui", "mais", "me", "mon", "ne", "non", "nous", "on", "ont", "ou", "où", "oui", "par",
    "parce", "pas", "peut", "plus", "pour", "qu", "quand", "que", "qui", "quoi", "sais", "se",
    "si", "son", "sont", "suis", "sur", "tout", "très", "tu", "un", "une", "va", "vais", "voilà",
    "vous", "y",
];

/// The most frequent English words.
const ENGLISH: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "for", "have", "he", "i", "if",
    "in", "is", "it", "not", "of", "on", "or", "so", "that", "the", "they", "this", "to", "was",
    "we", "what", "with", "you",
];

/// A language with a pairs field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GramsLane {
    /// The ISO 639-1 code of its lane in [`LANES`].
    code: &'static str,
    /// The pairs field's name.
    pub field: &'static str,
    /// The name its analyzer is registered under.
    pub analyzer: &'static str,
    /// Its frequent words, as written.
    words: &'static [&'static str],
}

/// The languages with a pairs field. A change to a word list changes what
/// is indexed: it needs new analyzer names and a new
/// [`crate::index::schema::SCHEMA_VERSION`], or old indexes would be misread.
pub const GRAMS_LANES: [GramsLane; 2] = [
    GramsLane {
        code: "fr",
        field: "text_grams",
        analyzer: "fr_grams_v1",
        words: FRENCH,
    },
    GramsLane {
        code: "en",
        field: "text_en_grams",
        analyzer: "en_grams_v1",
        words: ENGLISH,
    },
];

impl GramsLane {
    /// Its lane: an index in [`LANES`].
    pub fn lane(&self) -> Option<usize> {
        LANES.iter().position(|l| l.code == self.code)
    }

    /// The lane's analyzer followed by the pairs: what the field is indexed with.
    pub fn analyzer(&self) -> TextAnalyzer {
        let lane = self.lane().unwrap_or_default();
        TextAnalyzer::from(CommonGrams {
            inner: lane_analyzer(lane),
            common: common_words(lane),
        })
    }
}

/// Separates the two words of a pair term; no analyzer emits it inside a term.
const JOIN: char = ' ';

/// The analysed forms of each grams lane's frequent words, by lane index.
static COMMON: LazyLock<Vec<(usize, FxHashSet<String>)>> = LazyLock::new(|| {
    GRAMS_LANES
        .iter()
        .filter_map(|grams| {
            let lane = grams.lane()?;
            let mut analyzer = lane_analyzer(lane);
            let set = grams
                .words
                .iter()
                .flat_map(|word| analyze(&mut analyzer, word))
                .map(|token| token.term)
                .collect();
            Some((lane, set))
        })
        .collect()
});

/// No frequent word: a lane without a pairs field.
static NONE: LazyLock<FxHashSet<String>> = LazyLock::new(FxHashSet::default);

/// The frequent words of lane `lane` (analysed); none if it has no pairs field.
fn common_words(lane: usize) -> &'static FxHashSet<String> {
    COMMON
        .iter()
        .find(|(l, _)| *l == lane)
        .map_or(&NONE, |(_, s)| s)
}

/// The pair term of two analysed words.
fn pair(first: &str, second: &str) -> String {
    let mut out = String::with_capacity(first.len() + 1 + second.len());
    push_pair(&mut out, first, second);
    out
}

/// Appends the pair term of two analysed words to `out`.
fn push_pair(out: &mut String, first: &str, second: &str) {
    out.push_str(first);
    out.push(JOIN);
    out.push_str(second);
}

/// The pair terms that stand for a phrase of analysed words in lane
/// `lane`, each with its offset in the phrase, when every word of the
/// phrase is a frequent one; `None` otherwise (the lane has no pairs field,
/// a word is not frequent, or the phrase has fewer than two words).
///
/// Matching all those pairs at their offsets is matching the phrase: each
/// pair fixes two neighbouring words, and together they fix every word.
pub fn phrase_pairs(lane: usize, words: &[&str]) -> Option<Vec<(usize, String)>> {
    let common = common_words(lane);
    if words.len() < 2 || !words.iter().all(|w| common.contains(*w)) {
        return None;
    }
    Some(
        words
            .windows(2)
            .enumerate()
            .filter_map(|(at, two)| match two {
                [first, second] => Some((at, pair(first, second))),
                _ => None,
            })
            .collect(),
    )
}

/// A lane's analyzer whose words are replaced by their pairs of frequent
/// words, each at the position of its first word.
#[derive(Clone)]
pub struct CommonGrams {
    inner: TextAnalyzer,
    common: &'static FxHashSet<String>,
}

impl Tokenizer for CommonGrams {
    type TokenStream<'a> = CommonGramsStream<BoxTokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let tail = match LastAnalysis::take_tokens_of(text) {
            Some(replay) => BoxTokenStream::new(replay),
            None => self.inner.token_stream(text),
        };
        CommonGramsStream {
            tail,
            common: self.common,
            previous: None,
            token: Token::default(),
        }
    }
}

/// The analyzer of a lane's text field while indexing: the lane's own,
/// which also keeps its last passage's tokens on the thread for the pairs
/// field when the lane has one. Output is the lane analyzer's, unchanged.
pub fn remembering_lane_analyzer(lane: usize) -> TextAnalyzer {
    let inner = lane_analyzer(lane);
    if GRAMS_LANES.iter().any(|g| g.lane() == Some(lane)) {
        TextAnalyzer::from(Remembering { inner })
    } else {
        inner
    }
}

/// The tokens a [`Remembering`] analyzer last produced on this thread.
#[derive(Default)]
struct LastAnalysis {
    /// Counts the analyses started: a stream writes here only while its
    /// analysis is the latest, so two streams alive at once never mix.
    analysis: u64,
    /// Whether the latest analysis ran to its end (its tokens are all here).
    complete: bool,
    text: String,
    /// The tokens, reused from one passage to the next: `tokens[..len]`.
    tokens: Vec<Token>,
    len: usize,
}

thread_local! {
    static LAST: RefCell<LastAnalysis> = RefCell::new(LastAnalysis::default());
}

impl LastAnalysis {
    /// Starts remembering the analysis of `text`; returns its number.
    fn start(text: &str) -> u64 {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            last.analysis = last.analysis.wrapping_add(1);
            last.complete = false;
            last.text.clear();
            last.text.push_str(text);
            last.len = 0;
            last.analysis
        })
    }

    /// Keeps `token` as the next token of analysis `analysis`, if it is
    /// still the latest.
    fn keep(analysis: u64, token: &Token) {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if last.analysis != analysis {
                return;
            }
            let at = last.len;
            match last.tokens.get_mut(at) {
                Some(slot) => {
                    // Field by field, so that the slot's text keeps its buffer.
                    slot.offset_from = token.offset_from;
                    slot.offset_to = token.offset_to;
                    slot.position = token.position;
                    slot.position_length = token.position_length;
                    slot.text.clear();
                    slot.text.push_str(&token.text);
                }
                None => last.tokens.push(token.clone()),
            }
            last.len = at + 1;
        });
    }

    /// Marks analysis `analysis` complete, if it is still the latest.
    fn finish(analysis: u64) {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if last.analysis == analysis {
                last.complete = true;
            }
        });
    }

    /// The tokens of the latest analysis, if it was of `text` and ran to
    /// its end; they are handed over once.
    fn take_tokens_of(text: &str) -> Option<Replay> {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            // (A stream asked again after its end could mark an analysis
            // complete whose tokens were handed over already.)
            if !last.complete || last.text != text || last.tokens.len() < last.len {
                return None;
            }
            last.complete = false;
            Some(Replay {
                tokens: std::mem::take(&mut last.tokens),
                len: last.len,
                next: 0,
                outside: Token::default(),
            })
        })
    }
}

/// A lane analyzer whose tokens are kept in [`LastAnalysis`].
#[derive(Clone)]
struct Remembering {
    inner: TextAnalyzer,
}

impl Tokenizer for Remembering {
    type TokenStream<'a> = RememberingStream<BoxTokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberingStream {
            analysis: LastAnalysis::start(text),
            tail: self.inner.token_stream(text),
        }
    }
}

/// Token stream of [`Remembering`].
struct RememberingStream<T> {
    analysis: u64,
    tail: T,
}

impl<T: TokenStream> TokenStream for RememberingStream<T> {
    fn advance(&mut self) -> bool {
        if self.tail.advance() {
            LastAnalysis::keep(self.analysis, self.tail.token());
            true
        } else {
            LastAnalysis::finish(self.analysis);
            false
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The tokens of a remembered analysis, read back in order. Dropped, it
/// gives its buffers back to [`LastAnalysis`] for the next passage.
struct Replay {
    /// The analysis's tokens are `tokens[..len]`; the rest are spare slots.
    tokens: Vec<Token>,
    len: usize,
    /// Index of the token after the current one.
    next: usize,
    /// What the stream shows before its first token or after its last.
    outside: Token,
}

impl Replay {
    fn current(&self) -> Option<usize> {
        self.next.checked_sub(1).filter(|&i| i < self.len)
    }
}

impl TokenStream for Replay {
    fn advance(&mut self) -> bool {
        if self.next < self.len {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.current()
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.outside)
    }

    fn token_mut(&mut self) -> &mut Token {
        if let Some(token) = self.current().and_then(|i| self.tokens.get_mut(i)) {
            return token;
        }
        &mut self.outside
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        let tokens = std::mem::take(&mut self.tokens);
        // At thread exit the cell may be gone already: then nothing is kept.
        let _ = LAST.try_with(|last| {
            if let Ok(mut last) = last.try_borrow_mut()
                && last.tokens.is_empty()
            {
                last.tokens = tokens;
            }
        });
    }
}

/// The word before the current one, as [`CommonGramsStream`] remembers it.
struct Previous {
    text: String,
    position: usize,
    offset_from: usize,
    common: bool,
}

/// Token stream of [`CommonGrams`].
pub struct CommonGramsStream<T> {
    tail: T,
    common: &'static FxHashSet<String>,
    previous: Option<Previous>,
    token: Token,
}

impl<T: TokenStream> TokenStream for CommonGramsStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let word = self.tail.token();
            let common = self.common.contains(&word.text);
            let mut emitted = false;
            if let Some(previous) = &mut self.previous {
                // A word the chain dropped (too long) leaves a gap in the
                // positions: no pair across it, as no phrase matches across it.
                if previous.position.wrapping_add(1) == word.position && previous.common && common {
                    self.token.text.clear();
                    push_pair(&mut self.token.text, &previous.text, &word.text);
                    self.token.position = previous.position;
                    self.token.offset_from = previous.offset_from;
                    self.token.offset_to = word.offset_to;
                    self.token.position_length = 1;
                    emitted = true;
                }
                previous.text.clear();
                previous.text.push_str(&word.text);
                previous.position = word.position;
                previous.offset_from = word.offset_from;
                previous.common = common;
            } else {
                self.previous = Some(Previous {
                    text: word.text.clone(),
                    position: word.position,
                    offset_from: word.offset_from,
                    common,
                });
            }
            if emitted {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn french_pairs(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = GRAMS_LANES[0].analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn french_terms(text: &str) -> Vec<String> {
        analyze(&mut lane_analyzer(0), text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn pairs_of_frequent_words_are_indexed_at_the_first_words_position() {
        let pairs = french_pairs("Je ne sais pas, de la souveraineté de la tech.");
        let texts: Vec<&str> = pairs.iter().map(|(t, _)| t.as_str()).collect();
        let terms = french_terms("je ne sais pas de la souveraineté de la tech");
        let expect = |a: usize, b: usize| format!("{} {}", terms[a], terms[b]);
        // Across the comma too, as a phrase matches across it; no pair
        // with "souveraineté" or "tech".
        assert_eq!(
            texts,
            vec![
                expect(0, 1),
                expect(1, 2),
                expect(2, 3),
                expect(3, 4),
                expect(4, 5),
                expect(7, 8),
            ]
        );
        let positions: Vec<usize> = pairs.iter().map(|(_, p)| *p).collect();
        assert_eq!(positions, vec![0, 1, 2, 3, 4, 7]);
    }

    /// Runs `analyzer` over `text` to its end; its tokens' terms and positions.
    fn run(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    fn remembered_text() -> Option<String> {
        LAST.with(|last| {
            let last = last.borrow();
            last.complete.then(|| last.text.clone())
        })
    }

    #[test]
    fn pairs_read_back_from_the_text_field_are_the_analysed_pairs() {
        let mut text_field = remembering_lane_analyzer(0);
        for text in [
            "Je ne sais pas, de la souveraineté de la tech.",
            "",
            "l'IA qu'il est vrai de la de la",
            "un mot anticonstitutionnellementanticonstitutionnellement de la fin",
        ] {
            // Analysed afresh: the thread remembers another passage.
            run(&mut text_field, "autre chose");
            let fresh = french_pairs(text);
            assert_eq!(remembered_text().as_deref(), Some("autre chose"));
            // Read back: the text field has just analysed this passage.
            let words = run(&mut text_field, text);
            assert_eq!(words, run(&mut lane_analyzer(0), text), "{text:?}");
            assert_eq!(remembered_text().as_deref(), Some(text));
            assert_eq!(french_pairs(text), fresh, "{text:?}");
            // The tokens are handed over once.
            assert_eq!(remembered_text(), None);
        }
    }

    #[test]
    fn only_a_whole_analysis_of_the_same_text_is_read_back() {
        let mut text_field = remembering_lane_analyzer(0);
        let text = "je ne sais pas";
        // Stopped before its end.
        let mut stream = text_field.token_stream(text);
        assert!(stream.advance());
        drop(stream);
        assert!(LastAnalysis::take_tokens_of(text).is_none());
        // Another text.
        run(&mut text_field, "de la");
        assert!(LastAnalysis::take_tokens_of(text).is_none());
        // Two analyses at once: only the later one is kept, whole.
        let mut first_field = remembering_lane_analyzer(0);
        let mut first = first_field.token_stream("de la tech");
        let mut second_field = remembering_lane_analyzer(0);
        let mut second = second_field.token_stream(text);
        while first.advance() | second.advance() {}
        drop((first, second));
        assert!(LastAnalysis::take_tokens_of("de la tech").is_none());
        let Some(mut replay) = LastAnalysis::take_tokens_of(text) else {
            panic!("the later analysis ran to its end");
        };
        let mut terms = Vec::new();
        while replay.advance() {
            terms.push(replay.token().text.clone());
        }
        assert_eq!(terms, french_terms(text));
    }

    #[test]
    fn a_lane_without_pairs_keeps_nothing() {
        let german = LANES.iter().position(|l| l.code == "de").unwrap_or(0);
        run(&mut remembering_lane_analyzer(0), "avant");
        run(&mut remembering_lane_analyzer(german), "der die das");
        assert_eq!(remembered_text().as_deref(), Some("avant"));
    }

    #[test]
    fn a_phrase_of_frequent_words_becomes_its_pairs() {
        let terms = french_terms("je ne sais pas");
        let words: Vec<&str> = terms.iter().map(String::as_str).collect();
        let Some(pairs) = phrase_pairs(0, &words) else {
            panic!("every word is frequent");
        };
        let offsets: Vec<usize> = pairs.iter().map(|(at, _)| *at).collect();
        assert_eq!(offsets, vec![0, 1, 2]);

        let terms = french_terms("de la");
        let words: Vec<&str> = terms.iter().map(String::as_str).collect();
        assert_eq!(phrase_pairs(0, &words).map(|p| p.len()), Some(1));
    }

    #[test]
    fn a_phrase_with_a_rarer_word_keeps_the_text_field() {
        for phrase in ["logiciel libre", "de la souveraineté", "souveraineté", "la"] {
            let terms = french_terms(phrase);
            let words: Vec<&str> = terms.iter().map(String::as_str).collect();
            assert_eq!(phrase_pairs(0, &words), None, "{phrase}");
        }
        // A lane without a list has no pairs.
        let german = LANES.iter().position(|l| l.code == "de");
        assert_eq!(german.and_then(|l| phrase_pairs(l, &["der", "die"])), None);
    }
}
