//! Folding text for loose matching: lower case, accents removed, words split.
//!
//! Names and titles arrive typed by a model or a person ("Clement" for
//! "Clément", "MISTRAL" for "Mistral"); every lookup that is not a full-text
//! search (episode filters, speaker names, completions, closest ids) compares
//! folded forms so those small differences never hide a match.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case without diacritics: `Élodie Ça` -> `elodie ca`. Keeps punctuation.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of a text: runs of letters and digits (apostrophes and
/// hyphens split words, as in `l'IA` -> `l`, `ia`).
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
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

/// Levenshtein distance between two strings, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            if let Some(cell) = current.get_mut(j + 1) {
                *cell = substitution.min(deletion).min(insertion);
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
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
    fn folds_case_and_accents() {
        for (input, expected) in [
            ("Élodie", "elodie"),
            ("ÇA VA", "ca va"),
            ("l’IA générative", "l’ia generative"),
        ] {
            assert_eq!(fold(input), expected);
        }
    }

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
    fn edit_distances() {
        for (a, b, d) in [
            ("", "", 0),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
            ("é", "e", 1),
        ] {
            assert_eq!(edit_distance(a, b), d, "{a} / {b}");
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
