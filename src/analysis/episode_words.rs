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
use rustc_hash::FxHashMap;
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
    /// Each passage's words, in passage order.
    passages: Vec<Vec<Token>>,
    /// The folded form of each word id.
    folded: Vec<String>,
    /// The stem id of each word id.
    stem_of: Vec<StemId>,
    /// Each stem id's stem.
    stems: Vec<String>,
    /// Stem ids by stem.
    stem_ids: FxHashMap<String, StemId>,
}

impl EpisodeWords {
    /// Splits, folds and numbers the words of every passage of `episode`.
    pub fn of(episode: &Episode) -> Self {
        let mut by_folded: FxHashMap<String, WordId> = FxHashMap::default();
        let mut folded: Vec<String> = Vec::new();
        let mut stem_of: Vec<StemId> = Vec::new();
        let mut stems: Vec<String> = Vec::new();
        let mut stem_ids: FxHashMap<String, StemId> = FxHashMap::default();
        // Each word is folded into this buffer: only a new word allocates.
        let mut folding = String::new();
        let mut stemmed = String::new();
        let passages = episode
            .passages
            .iter()
            .map(|passage| {
                word_spans(&passage.text)
                    .map(|span| {
                        fold_into(
                            passage.text.get(span.clone()).unwrap_or_default(),
                            &mut folding,
                        );
                        if let Some(&id) = by_folded.get(folding.as_str()) {
                            return Token { id, span };
                        }
                        let id = folded.len() as WordId;
                        stem_into(&folding, &mut stemmed);
                        let stem = match stem_ids.get(stemmed.as_str()) {
                            Some(&stem) => stem,
                            None => {
                                let stem = stems.len() as StemId;
                                stems.push(stemmed.clone());
                                stem_ids.insert(stemmed.clone(), stem);
                                stem
                            }
                        };
                        folded.push(folding.clone());
                        stem_of.push(stem);
                        by_folded.insert(folding.clone(), id);
                        Token { id, span }
                    })
                    .collect()
            })
            .collect();
        Self {
            passages,
            folded,
            stem_of,
            stems,
            stem_ids,
        }
    }

    /// How many passages the episode has.
    pub fn passage_count(&self) -> usize {
        self.passages.len()
    }

    /// The words of passage `index` (none past the last).
    pub fn tokens(&self, index: usize) -> &[Token] {
        self.passages.get(index).map_or(&[], Vec::as_slice)
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
        self.folded.get(id as usize).map_or("", String::as_str)
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
        self.stems.get(stem as usize).map_or("", String::as_str)
    }

    /// How many distinct stems the episode has: stem ids run below this.
    pub fn distinct_stems(&self) -> usize {
        self.stems.len()
    }

    /// The id of `stem` when some word of the episode has it.
    pub fn stem_id_of(&self, stem: &str) -> Option<StemId> {
        self.stem_ids.get(stem).copied()
    }

    /// How many words passage `index` has.
    pub fn len_of(&self, index: usize) -> usize {
        self.passages.get(index).map_or(0, Vec::len)
    }

    /// How many words the episode has.
    pub fn total(&self) -> usize {
        self.passages.iter().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::EpisodeBuilder;

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
