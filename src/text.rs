//! Text helpers every layer shares, each written once: accent folding and
//! slugs ([`mod@fold`]), words with their places and the French function words
//! ([`mod@words`]), loose matching and "did you mean" ([`mod@closest`]), sentence
//! splitting ([`mod@sentences`]), display tidying ([`tidy`]), content digests
//! ([`digest`]), lazily compiled regexes (`text::static_regex!`, crate-private) and
//! word lists as sets (`text::word_set!`, crate-private).

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
