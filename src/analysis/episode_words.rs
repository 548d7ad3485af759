//! An episode's words, split, folded and stemmed once for every analysis.
//!
//! Chapter anchoring, topic segmentation and term extraction all look at
//! the same words. Each distinct folded word of the episode gets a number,
//! and so does each distinct stem, so that those analyses compare and count
//! numbers instead of hashing and copying strings, and no word is stemmed
//! twice in an episode.

use super::vocabulary::stem_into;
use crate::model::Episode;
use crate::text::fold::fold_into;
use crate::text::words::word_spans;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;
use std::ops::Range;

/// A distinct folded word of an episode.
pub type WordId = u32;
/// A distinct stem of an episode.
pub type StemId = u32;

/// A word of a passage: which distinct word it is, and where it sits in
/// the passage's text (byte range). The words are those of
/// [`crate::text::words()`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub id: WordId,
    pub span: Range<usize>,
}

/// Every passage's words, with the episode's distinct words and stems numbered.
#[derive(Debug)]
pub struct EpisodeWords {
    /// Every passage's words, one passage after another (one list for the
    /// episode, not one per passage).
    tokens: Vec<Token>,
    /// Where each passage's words end in `tokens`.
    passage_ends: Vec<usize>,
    /// The folded form of each word id.
    folded: Numbered,
    /// The stem id of each word id.
    stem_of: Vec<StemId>,
    /// Each stem id's stem.
    stems: Numbered,
}

/// Where piece `index` lies in a sequence of pieces laid end to end, given
/// where each ends (it starts where the one before ends); `None` past the last.
fn piece(ends: &[usize], index: usize) -> Option<Range<usize>> {
    let end = *ends.get(index)?;
    let start = match index.checked_sub(1) {
        Some(before) => *ends.get(before)?,
        None => 0,
    };
    Some(start..end)
}

/// Distinct strings numbered from 0 in the order they were first added,
/// kept one after another in one buffer.
///
/// Every word of an episode is looked up here. A map of strings kept each
/// key in a heap string of its own, so comparing a key read memory far
/// from the table; here keys are numbers and the strings they stand for
/// are close together.
#[derive(Debug, Default)]
struct Numbered {
    /// The strings, one after another.
    text: String,
    /// Where each string ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
    /// The numbers, found by the strings' hashes.
    ids: hashbrown::HashTable<u32>,
}

impl Numbered {
    fn hash(text: &str) -> u64 {
        FxBuildHasher.hash_one(text)
    }

    /// String `id` of `text` as `ends` cut it.
    fn cut<'a>(text: &'a str, ends: &[usize], id: u32) -> &'a str {
        piece(ends, id as usize)
            .and_then(|range| text.get(range))
            .unwrap_or_default()
    }

    /// String `id` (empty past the last).
    fn get(&self, id: u32) -> &str {
        Self::cut(&self.text, &self.ends, id)
    }

    /// How many strings there are: ids run below this.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The id of `string`, if it was added.
    fn find(&self, string: &str) -> Option<u32> {
        self.ids
            .find(Self::hash(string), |&id| self.get(id) == string)
            .copied()
    }

    /// The id of `string`, added if need be; whether it was new.
    fn find_or_add(&mut self, string: &str) -> (u32, bool) {
        let hash = Self::hash(string);
        let Self { text, ends, ids } = self;
        if let Some(&id) = ids.find(hash, |&id| Self::cut(text, ends, id) == string) {
            return (id, false);
        }
        let id = ends.len() as u32;
        text.push_str(string);
        ends.push(text.len());
        ids.insert_unique(hash, id, |&id| Self::hash(Self::cut(text, ends, id)));
        (id, true)
    }
}

impl EpisodeWords {
    /// Splits, folds and numbers the words of every passage of `episode`.
    pub fn of(episode: &Episode) -> Self {
        let mut folded = Numbered::default();
        let mut stem_of: Vec<StemId> = Vec::new();
        let mut stems = Numbered::default();
        // Each word is folded into this buffer: only a new word allocates.
        let mut folding = String::new();
        let mut stemmed = String::new();
        let mut tokens = Vec::new();
        let mut passage_ends = Vec::with_capacity(episode.passages.len());
        for passage in &episode.passages {
            for span in word_spans(&passage.text) {
                fold_into(
                    passage.text.get(span.clone()).unwrap_or_default(),
                    &mut folding,
                );
                let (id, new) = folded.find_or_add(&folding);
                if new {
                    stem_into(&folding, &mut stemmed);
                    stem_of.push(stems.find_or_add(&stemmed).0);
                }
                tokens.push(Token { id, span });
            }
            passage_ends.push(tokens.len());
        }
        Self {
            tokens,
            passage_ends,
            folded,
            stem_of,
            stems,
        }
    }

    /// How many passages the episode has.
    pub fn passage_count(&self) -> usize {
        self.passage_ends.len()
    }

    /// The words of passage `index` (none past the last).
    pub fn tokens(&self, index: usize) -> &[Token] {
        piece(&self.passage_ends, index)
            .and_then(|range| self.tokens.get(range))
            .unwrap_or_default()
    }

    /// The word ids of passage `index`, in order.
    pub fn word_ids(&self, index: usize) -> impl Iterator<Item = WordId> + '_ {
        self.tokens(index).iter().map(|token| token.id)
    }

    /// How many distinct words the episode has: word ids run below this.
    pub fn distinct_words(&self) -> usize {
        self.folded.len()
    }

    /// The folded form of word `id`.
    pub fn folded(&self, id: WordId) -> &str {
        self.folded.get(id)
    }

    /// The stem id of word `id`.
    pub fn stem_id(&self, id: WordId) -> StemId {
        self.stem_of
            .get(id as usize)
            .copied()
            .unwrap_or(StemId::MAX)
    }

    /// The stem of stem id `stem`.
    pub fn stem(&self, stem: StemId) -> &str {
        self.stems.get(stem)
    }

    /// How many distinct stems the episode has: stem ids run below this.
    pub fn distinct_stems(&self) -> usize {
        self.stems.len()
    }

    /// The id of `stem` when some word of the episode has it.
    pub fn stem_id_of(&self, stem: &str) -> Option<StemId> {
        self.stems.find(stem)
    }

    /// How many words passage `index` has.
    pub fn len_of(&self, index: usize) -> usize {
        self.tokens(index).len()
    }

    /// How many words the episode has.
    pub fn total(&self) -> usize {
        self.tokens.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::EpisodeBuilder;

    #[test]
    fn strings_are_numbered_in_the_order_first_added() {
        let mut numbered = Numbered::default();
        let strings: Vec<String> = (0..5000)
            .map(|i| format!("mot{}", i * 7919 % 5003))
            .collect();
        for (i, string) in strings.iter().enumerate() {
            assert_eq!(numbered.find_or_add(string), (i as u32, true));
        }
        assert_eq!(numbered.find_or_add(""), (5000, true));
        assert_eq!(numbered.len(), 5001);
        for (i, string) in strings.iter().enumerate() {
            assert_eq!(numbered.find_or_add(string), (i as u32, false));
            assert_eq!(numbered.find(string), Some(i as u32));
            assert_eq!(numbered.get(i as u32), string);
        }
        assert_eq!(numbered.find(""), Some(5000));
        assert_eq!(numbered.get(5000), "");
        assert_eq!(numbered.get(5001), "");
        assert_eq!(numbered.find("absent"), None);
    }

    #[test]
    fn word_forms_share_a_stem_and_repeats_share_an_id() {
        let episode = EpisodeBuilder::new("e")
            .said(None, "Les données, la donnée.")
            .said(None, "Des données encore.")
            .build();
        let words = EpisodeWords::of(&episode);
        let first: Vec<WordId> = words.word_ids(0).collect();
        let second: Vec<WordId> = words.word_ids(1).collect();
        assert_eq!(words.passage_count(), 2);
        assert_eq!(first.len(), 4);
        // "données" in both passages is one word; "donnée" is another with the same stem.
        assert_eq!(first.get(1), second.get(1));
        assert_ne!(first.get(1), first.get(3));
        let (Some(&plural), Some(&singular)) = (first.get(1), first.get(3)) else {
            panic!("four words");
        };
        assert_eq!(words.folded(plural), "donnees");
        assert_eq!(words.stem_id(plural), words.stem_id(singular));
        assert_eq!(words.stem(words.stem_id(plural)), "donne");
        assert_eq!(words.stem_id_of("donne"), Some(words.stem_id(plural)));
        assert_eq!(words.stem_id_of("absent"), None);
        assert_eq!(words.total(), 7);
        // The same words, in the same places, as `text::words` finds them.
        let text = &episode
            .passages
            .first()
            .map(|p| p.text.clone())
            .unwrap_or_default();
        let expected: Vec<(String, Range<usize>)> = crate::text::words(text)
            .into_iter()
            .map(|w| (w.folded, w.span))
            .collect();
        let found: Vec<(String, Range<usize>)> = words
            .tokens(0)
            .iter()
            .map(|t| (words.folded(t.id).to_string(), t.span.clone()))
            .collect();
        assert_eq!(found, expected);
    }
}
