//! Loose matching of names, titles and ids typed by a model or a person:
//! "Clement" for "Clément", "mistral" for part of an id, "marc" for "Marc Petit".
//!
//! Built on [`crate::text`] folding; every lookup that is not a full-text
//! search (episode filters, speaker names, completions, closest ids) goes
//! through here so small differences never hide a match.

pub use crate::text::{edit_distance, fold};

/// The folded words of a text (apostrophes and hyphens split words, as in
/// `l'IA` -> `l`, `ia`).
pub fn words(text: &str) -> Vec<String> {
    crate::text::words(text)
        .into_iter()
        .map(|w| w.folded)
        .collect()
}

/// Whether every word of `needle` occurs, in order or not, among the words of
/// `haystack` (a word matches when it starts a haystack word, so `mistr` finds
/// `Mistral`). An empty needle matches everything.
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    let hay = words(haystack);
    words(needle)
        .iter()
        .all(|n| hay.iter().any(|h| h.starts_with(n.as_str())))
}

/// The `n` candidates closest to `target` (folded edit distance, with a bonus
/// for sharing a prefix or containing it), best first.
pub fn closest<'a>(
    target: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let target = fold(target);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|candidate| {
            let folded = fold(candidate);
            let mut distance = edit_distance(&target, &folded);
            if !target.is_empty() && (folded.contains(&target) || folded.starts_with(&target)) {
                // A fragment of the right id ("mistral") is a better hint than an unrelated short id.
                distance = distance.min(1);
            }
            (distance, candidate)
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        assert_eq!(
            words("L'IA, c'est... Mistral-7B!"),
            vec!["l", "ia", "c", "est", "mistral", "7b"]
        );
    }

    #[test]
    fn contains_words_by_prefix() {
        let cases = [
            ("Arthur Mensch, Mistral AI", "mensch", true),
            ("Arthur Mensch, Mistral AI", "mistr arthur", true),
            ("Arthur Mensch, Mistral AI", "musk", false),
            ("Élodie", "elo", true),
            ("anything", "", true),
        ];
        for (hay, needle, expected) in cases {
            assert_eq!(contains_words(hay, needle), expected, "{hay} / {needle}");
        }
    }

    #[test]
    fn closest_prefers_near_and_containing() {
        let ids = [
            "mac-138-chatbots",
            "mac-127-tech",
            "interview-arthur-mensch",
            "smarttech-musk",
        ];
        assert_eq!(
            closest("mac-138-chatbot", ids, 2),
            vec!["mac-138-chatbots", "mac-127-tech"]
        );
        assert_eq!(closest("mensch", ids, 1), vec!["interview-arthur-mensch"]);
    }
}
