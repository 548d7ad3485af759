//! French vocabulary for analysis: a stemmer to group word forms, and the
//! words that never make a chapter title (fillers, light verbs, adverbs).
//!
//! These lists only decide what may *name* or *group* things; they never
//! remove words from a quote or from the index.

use frostem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// Distinct words whose stems a thread remembers (a few MB at most):
/// a corpus says the same words over and over, and stemming them is a
/// large part of analysing an episode.
const REMEMBERED_STEMS: usize = 50_000;

/// Slots of a thread's front cache of stems ([`RecentStems`]): 512 KiB,
/// small enough to stay in the core's cache with the words speech repeats.
const RECENT_SLOTS: usize = 1 << 13;

/// Bytes a [`RecentStem`] holds for its word and stem together.
const RECENT_BYTES: usize = 62;

/// A word and its stem side by side in one cache line. The map of
/// remembered stems keeps each word and stem in a heap string of its own:
/// a lookup there read three places in memory, and those cache misses
/// were a tenth of indexing.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct RecentStem {
    word_len: u8,
    stem_len: u8,
    bytes: [u8; RECENT_BYTES],
}

impl RecentStem {
    const EMPTY: Self = Self {
        word_len: 0,
        stem_len: 0,
        bytes: [0; RECENT_BYTES],
    };

    /// The stem, when this slot holds `word` (never for the empty word,
    /// which every empty slot would otherwise claim).
    fn stem_of(&self, word: &[u8]) -> Option<&str> {
        let word_len = usize::from(self.word_len);
        if word_len == 0 || word_len != word.len() || self.bytes.get(..word_len) != Some(word) {
            return None;
        }
        let stem = self
            .bytes
            .get(word_len..word_len + usize::from(self.stem_len))?;
        std::str::from_utf8(stem).ok()
    }

    /// Holds `word` and `stem`, or nothing when they are too long to fit.
    fn holding(word: &[u8], stem: &[u8]) -> Option<Self> {
        let total = word.len() + stem.len();
        let mut slot = Self::EMPTY;
        slot.bytes.get_mut(..word.len())?.copy_from_slice(word);
        slot.bytes.get_mut(word.len()..total)?.copy_from_slice(stem);
        slot.word_len = u8::try_from(word.len()).ok()?;
        slot.stem_len = u8::try_from(stem.len()).ok()?;
        Some(slot)
    }
}

/// A thread's front cache of stems: one slot per hash of the word, the
/// last word stemmed there wins it.
struct RecentStems {
    slots: Vec<RecentStem>,
}

impl RecentStems {
    fn new() -> Self {
        Self {
            slots: vec![RecentStem::EMPTY; RECENT_SLOTS],
        }
    }

    fn slot_of(word: &str) -> usize {
        rustc_hash::FxBuildHasher.hash_one(word) as usize & (RECENT_SLOTS - 1)
    }
}

/// Snowball French stem of a folded word: `donnees` and `donnee` -> `donne`.
pub fn stem(folded: &str) -> String {
    let mut out = String::new();
    stem_into(folded, &mut out);
    out
}

/// [`stem`], written into `out` (cleared first): no allocation once `out`
/// is large enough and the word was seen before on this thread.
pub fn stem_into(folded: &str, out: &mut String) {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    thread_local! {
        static RECENT: RefCell<RecentStems> = RefCell::new(RecentStems::new());
        static STEMS: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
    }
    out.clear();
    let slot = RecentStems::slot_of(folded);
    let found = RECENT.with(|recent| {
        let recent = recent.borrow();
        let stem = recent.slots.get(slot)?.stem_of(folded.as_bytes())?;
        out.push_str(stem);
        Some(())
    });
    if found.is_some() {
        return;
    }
    STEMS.with(|stems| {
        if let Some(known) = stems.borrow().get(folded) {
            out.push_str(known);
            return;
        }
        let stemmed = STEMMER
            .get_or_init(|| Stemmer::new(Algorithm::French))
            .stem(folded);
        out.push_str(&stemmed);
        let mut stems = stems.borrow_mut();
        if stems.len() >= REMEMBERED_STEMS {
            stems.clear();
        }
        stems.insert(folded.to_string(), stemmed.into_owned());
    });
    if let Some(held) = RecentStem::holding(folded.as_bytes(), out.as_bytes()) {
        RECENT.with(|recent| {
            if let Some(place) = recent.borrow_mut().slots.get_mut(slot) {
                *place = held;
            }
        });
    }
}

/// Words too common or too empty to start or end a title ("voilà", "en fait",
/// "du coup", "c'est", light verbs, adverbs), folded.
pub fn is_title_stopword(folded: &str) -> bool {
    const WORDS: &[&str] = &[
        "absolument",
        "ainsi",
        "aller",
        "allez",
        "ans",
        "annee",
        "annees",
        "apres",
        "assez",
        "aucun",
        "aujourd",
        "aussi",
        "autant",
        "autre",
        "autres",
        "avais",
        "avait",
        "avant",
        "avez",
        "avons",
        "beaucoup",
        "bon",
        "bonjour",
        "bonne",
        "bonsoir",
        "bref",
        "car",
        "celle",
        "celui",
        "cela",
        "ceci",
        "certain",
        "certaine",
        "certains",
        "ceux",
        "chaque",
        "chez",
        "chose",
        "choses",
        "clairement",
        "combien",
        "comment",
        "completement",
        "cool",
        "coup",
        "crois",
        "deja",
        "depuis",
        "dernier",
        "derniere",
        "dire",
        "dis",
        "disait",
        "dit",
        "doit",
        "doivent",
        "dont",
        "effectivement",
        "egalement",
        "encore",
        "enfin",
        "ensuite",
        "entre",
        "etaient",
        "etes",
        "evidemment",
        "exactement",
        "exemple",
        "faire",
        "fais",
        "faisait",
        "faites",
        "faut",
        "finalement",
        "fois",
        "font",
        "forcement",
        "genial",
        "genre",
        "gens",
        "grand",
        "grande",
        "gros",
        "hui",
        "ici",
        "jamais",
        "jour",
        "jours",
        "juste",
        "justement",
        "lequel",
        "leurs",
        "lorsque",
        "merci",
        "meme",
        "memes",
        "mieux",
        "moi",
        "moins",
        "moment",
        "monde",
        "niveau",
        "nickel",
        "nos",
        "notamment",
        "notre",
        "nouveau",
        "nouvelle",
        "okay",
        "parce",
        "parfait",
        "partie",
        "pendant",
        "personne",
        "petit",
        "petite",
        "peu",
        "peut",
        "peuvent",
        "peux",
        "pense",
        "pire",
        "plusieurs",
        "plutot",
        "pourquoi",
        "premier",
        "premiere",
        "puis",
        "puisque",
        "quand",
        "quel",
        "quelle",
        "quelles",
        "quelque",
        "quelques",
        "quels",
        "question",
        "rien",
        "sais",
        "salut",
        "sans",
        "selon",
        "sera",
        "serait",
        "seront",
        "simplement",
        "sommes",
        "sous",
        "sujet",
        "super",
        "surtout",
        "tant",
        "tel",
        "telle",
        "temps",
        "toi",
        "totalement",
        "toujours",
        "toute",
        "toutes",
        "trop",
        "truc",
        "trucs",
        "vers",
        "veut",
        "voila",
        "voir",
        "vois",
        "vont",
        "vos",
        "votre",
        "vrai",
        "vraiment",
        "yeah",
    ];
    crate::text::word_set!(WORDS).contains(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_group_forms() {
        assert_eq!(stem("donnees"), stem("donnee"));
        assert_eq!(stem("securite"), stem("securites"));
    }

    #[test]
    fn remembered_stems_are_the_stemmers_own() {
        let stemmer = Stemmer::new(Algorithm::French);
        let long = "anticonstitutionnellement".repeat(3);
        let mut words: Vec<String> = ["donnees", "", "a", "eleves", "élèves", &long]
            .iter()
            .map(|w| w.to_string())
            .collect();
        // More words than the front cache has slots, so that slots are
        // shared and overwritten.
        words.extend((0..3 * RECENT_SLOTS).map(|i| format!("mot{i}aient")));
        let mut out = String::new();
        for round in 0..3 {
            for word in &words {
                stem_into(word, &mut out);
                assert_eq!(out, stemmer.stem(word), "{word:?}, round {round}");
            }
        }
    }

    #[test]
    fn fillers_are_not_titles() {
        for filler in ["voila", "coup", "truc", "vraiment"] {
            assert!(is_title_stopword(filler), "{filler}");
        }
        assert!(!is_title_stopword("mistral"));
    }
}
