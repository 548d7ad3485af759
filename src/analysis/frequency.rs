//! How common a word is in its language, from a background frequency list
//! that ships inside the binary.
//!
//! Chapter titles and keywords prefer words that are frequent in their span
//! and rare in the language: "souveraineté" says more than "chose". The
//! lists are fixed, so a title never changes because other files were added
//! to the corpus. They come from wordfreq 3.1.1 (`small_fr`, `small_en`;
//! see `frequency/README.md` for the source, the licence and how to
//! regenerate them): about 30 000 words per language, each with its Zipf
//! frequency (log10 of occurrences per billion words: 7 for "de", 3 for a
//! word read once in a million).

use crate::text::fold;
use rustc_hash::FxHashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

/// Zipf frequency given to a word the list does not hold: rarer than any
/// listed word (the lists stop at 3.0).
pub const UNLISTED_ZIPF: f64 = 2.5;

/// The languages with a list; other languages fall back to statistics inside
/// the episode alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    French,
    English,
}

impl Language {
    /// The list for an episode's language tag (`fr`, `fr-FR`, `en-US`...).
    /// An episode without a tag is French, as verbatim assumes elsewhere.
    pub fn of_tag(tag: Option<&str>) -> Option<Self> {
        let primary = tag
            .unwrap_or("fr")
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" | "fra" | "fre" | "french" | "" => Some(Self::French),
            "en" | "eng" | "english" => Some(Self::English),
            _ => None,
        }
    }
}

/// The Zipf frequency of a folded word (lowercase, no accents) in
/// `language`, or [`UNLISTED_ZIPF`] when the list does not hold it.
pub fn zipf(language: Language, folded: &str) -> f64 {
    table(language)
        .get(&word_key(folded))
        .map_or(UNLISTED_ZIPF, |&centi| f64::from(centi) / 100.0)
}

/// Whether the list holds the word at all.
pub fn is_listed(language: Language, folded: &str) -> bool {
    table(language).contains_key(&word_key(folded))
}

/// A list: centi-Zipf by [`word_key`].
type Table = FxHashMap<u64, u16>;

/// The key of a folded word in a list: a 64-bit hash (SipHash with fixed
/// keys, the same on every run). Analysing an episode looks up each of its
/// distinct words, and a table of strings cost a pointer chase and a string
/// comparison each time, beyond the processor's caches; this one is numbers
/// only. Two of the lists' 60 000 words, or a word and a listed one, share
/// a key with a chance of about one in 10^10 (a test checks that none do),
/// and an unlisted word one of them with a chance of about one in 10^15:
/// at worst a word's frequency is another's, which only weighs it
/// differently in a title.
fn word_key(folded: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    folded.hash(&mut hasher);
    hasher.finish()
}

fn table(language: Language) -> &'static Table {
    static FRENCH: OnceLock<Table> = OnceLock::new();
    static ENGLISH: OnceLock<Table> = OnceLock::new();
    match language {
        Language::French => FRENCH.get_or_init(|| parse(include_str!("frequency/fr.txt"))),
        Language::English => ENGLISH.get_or_init(|| parse(include_str!("frequency/en.txt"))),
    }
}

/// Lines of `ZIPF*100 word word ...`, most frequent first. Folding merges
/// forms that differ only by accents ("été", "ete"): the first (most
/// frequent) one wins.
fn parse(list: &str) -> Table {
    let mut table = FxHashMap::with_capacity_and_hasher(32_000, Default::default());
    for line in list.lines() {
        let mut fields = line.split(' ');
        let Some(Ok(centi)) = fields.next().map(str::parse::<u16>) else {
            continue;
        };
        for word in fields.filter(|w| !w.is_empty()) {
            table.entry(word_key(&fold(word))).or_insert(centi);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_are_frequent_and_names_are_rare() {
        let fr = Language::French;
        assert!(zipf(fr, "de") > 7.0);
        assert!(zipf(fr, "chose") > 5.5);
        assert!(zipf(fr, "souverainete") < 4.5);
        assert!(zipf(fr, "souverainete") > 3.0);
        assert_eq!(zipf(fr, "moltbook"), UNLISTED_ZIPF);
        assert!(zipf(Language::English, "the") > 7.0);
        assert!(zipf(Language::English, "sovereignty") < 4.5);
    }

    #[test]
    fn no_two_listed_words_share_a_key() {
        for list in [
            include_str!("frequency/fr.txt"),
            include_str!("frequency/en.txt"),
        ] {
            let words: rustc_hash::FxHashSet<String> = list
                .lines()
                .flat_map(|line| line.split(' ').skip(1))
                .filter(|w| !w.is_empty())
                .map(fold)
                .collect();
            let keys: rustc_hash::FxHashSet<u64> = words.iter().map(|w| word_key(w)).collect();
            assert!(words.len() > 20_000);
            assert_eq!(keys.len(), words.len());
        }
    }

    #[test]
    fn language_tags() {
        assert_eq!(Language::of_tag(None), Some(Language::French));
        assert_eq!(Language::of_tag(Some("fr-CA")), Some(Language::French));
        assert_eq!(Language::of_tag(Some("en_US")), Some(Language::English));
        assert_eq!(Language::of_tag(Some("es")), None);
    }
}
