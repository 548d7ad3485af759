//! Text helpers every layer shares, each written once: accent folding and
//! slugs ([`mod@fold`]), words with their places and the French function words
//! ([`mod@words`]), loose matching and "did you mean" ([`mod@closest`]), sentence
//! splitting ([`mod@sentences`]), display tidying ([`tidy`]), content digests
//! ([`digest`]), lazily compiled regexes (`text::static_regex!`, and
//! `text::static_word_regex!` for patterns with word boundaries; both
//! crate-private) and word lists as sets (`text::word_set!`, crate-private).

pub mod closest;
pub mod digest;
pub mod fold;
pub mod language;
pub mod sentences;
pub mod tidy;
pub mod words;

pub use closest::{closest, closest_named, contains_words, edit_distance};
pub use fold::{fold, slugify};
pub use tidy::{capitalize_first, collapse_ws, normal_case_name, trim_to_words};
pub use words::{Word, is_function_word, looks_english, looks_french, words};

/// A `&'static Regex` compiled once on first use.
///
/// The patterns are literals in the source, so a bad one is a programming
/// error caught by the first test that touches it; that is why this is the
/// one place allowed to `expect`.
macro_rules! static_regex {
    ($pattern:expr) => {{
        static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            #[allow(clippy::expect_used)]
            regex::Regex::new($pattern).expect("static regex pattern is valid")
        });
        &*RE
    }};
}
pub(crate) use static_regex;

/// A `&'static` [`WordRegex`] compiled once on first use; the pattern is a
/// literal, so, as for `static_regex!`, a bad one is a programming error.
macro_rules! static_word_regex {
    ($pattern:expr) => {{
        static RE: std::sync::LazyLock<$crate::text::WordRegex> = std::sync::LazyLock::new(|| {
            #[allow(clippy::expect_used)]
            $crate::text::WordRegex::new($pattern).expect("static regex pattern is valid")
        });
        &*RE
    }};
}
pub(crate) use static_word_regex;

/// A regex with Unicode word boundaries (`\b`), for text read many times
/// over with few matches (the cues of introductions in every passage).
///
/// The regex crate's fast automaton gives up on a Unicode word boundary in
/// text with any non-ASCII letter, so on French text such a pattern was
/// tried from every position by backtracking. The same pattern without its
/// boundaries matches wherever the pattern does (a boundary only removes
/// matches) and needs no backtracking, so it is asked first, and the text
/// is searched with the exact pattern only when it says yes: the same
/// matches, found only where there can be one.
pub struct WordRegex {
    exact: regex::Regex,
    without_boundaries: regex::Regex,
}

impl WordRegex {
    /// Compiles `pattern`, whose every `\b` is a word boundary (not an
    /// escaped backslash followed by `b`).
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        Ok(Self {
            exact: regex::Regex::new(pattern)?,
            without_boundaries: regex::Regex::new(&pattern.replace(r"\b", ""))?,
        })
    }

    /// The first match in `haystack`, as [`regex::Regex::find`].
    pub fn find<'h>(&self, haystack: &'h str) -> Option<regex::Match<'h>> {
        if !self.without_boundaries.is_match(haystack) {
            return None;
        }
        self.exact.find(haystack)
    }

    /// Every match in `haystack`, as [`regex::Regex::find_iter`].
    pub fn find_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = regex::Match<'h>> + use<'r, 'h> {
        self.without_boundaries
            .is_match(haystack)
            .then(|| self.exact.find_iter(haystack))
            .into_iter()
            .flatten()
    }
}

/// A `&'static` set of the words of a constant list, built once on first
/// use: the analyses ask about every word they see, and scanning a list of
/// hundreds of words each time was a tenth of a chapter's analysis.
macro_rules! word_set {
    ($words:expr) => {{
        static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
            std::sync::LazyLock::new(|| $words.iter().copied().collect());
        &*SET
    }};
}
pub(crate) use word_set;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_regex_finds_what_its_pattern_finds() {
        let pattern = r"(?i)\b(bienvenue à|bienvenue|je suis)\b";
        let word_regex = WordRegex::new(pattern).unwrap();
        let regex = regex::Regex::new(pattern).unwrap();
        for text in [
            "Bienvenue à toutes et à tous",
            "bienvenue, je suis là",
            "lesbienvenue àje suisse",
            "déjàje suis",
            "rien à voir",
            "",
        ] {
            let found: Vec<_> = word_regex.find_iter(text).map(|m| m.range()).collect();
            let want: Vec<_> = regex.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(found, want, "{text:?}");
            assert_eq!(
                word_regex.find(text).map(|m| m.range()),
                regex.find(text).map(|m| m.range()),
                "{text:?}"
            );
        }
    }
}
