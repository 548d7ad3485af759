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
        .get(folded)
        .map_or(UNLISTED_ZIPF, |&centi| f64::from(centi) / 100.0)
}

/// Whether the list holds the word at all.
pub fn is_listed(language: Language, folded: &str) -> bool {
    table(language).contains_key(folded)
}

fn table(language: Language) -> &'static FxHashMap<String, u16> {
    static FRENCH: OnceLock<FxHashMap<String, u16>> = OnceLock::new();
    static ENGLISH: OnceLock<FxHashMap<String, u16>> = OnceLock::new();
    match language {
        Language::French => FRENCH.get_or_init(|| parse(include_str!("frequency/fr.txt"))),
        Language::English => ENGLISH.get_or_init(|| parse(include_str!("frequency/en.txt"))),
    }
}

/// Lines of `ZIPF*100 word word ...`, most frequent first. Folding merges
/// forms that differ only by accents ("été", "ete"): the first (most
/// frequent) one wins.
fn parse(list: &str) -> FxHashMap<String, u16> {
    let mut table = FxHashMap::with_capacity_and_hasher(32_000, Default::default());
    for line in list.lines() {
        let mut fields = line.split(' ');
        let Some(Ok(centi)) = fields.next().map(str::parse::<u16>) else {
            continue;
        };
        for word in fields.filter(|w| !w.is_empty()) {
            table.entry(fold(word)).or_insert(centi);
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
    fn language_tags() {
        assert_eq!(Language::of_tag(None), Some(Language::French));
        assert_eq!(Language::of_tag(Some("fr-CA")), Some(Language::French));
        assert_eq!(Language::of_tag(Some("en_US")), Some(Language::English));
        assert_eq!(Language::of_tag(Some("es")), None);
    }
}
