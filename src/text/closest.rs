//! Loose matching of names, titles and ids typed by a model or a person:
//! "Clement" for "Clément", "mistral" for part of an id, "marc" for "Marc
//! Petit"; and the closest candidates for a "did you mean" message.
//!
//! Every lookup that is not a full-text search (episode filters, speaker
//! names, completions, unknown ids and names) goes through here, so small
//! differences never hide a match and every hint is ranked the same way.

use super::fold::fold;

/// Levenshtein distance between two short strings (by characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != *cb));
            let deletion = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insertion = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = substitution.min(deletion).min(insertion);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The folded words of a text (apostrophes and hyphens split words, as in
/// `l'IA` -> `l`, `ia`).
pub fn folded_words(text: &str) -> Vec<String> {
    super::words::words(text)
        .into_iter()
        .map(|w| w.folded)
        .collect()
}

/// Whether every word of `needle` occurs, in order or not, among the words of
/// `haystack` (a word matches when it starts a haystack word, so `mistr` finds
/// `Mistral`). An empty needle matches everything.
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    let hay = folded_words(haystack);
    folded_words(needle)
        .iter()
        .all(|n| hay.iter().any(|h| h.starts_with(n.as_str())))
}

/// How far a candidate is from the wanted text (both folded): 0 when it
/// contains it (a fragment of the right id, "mistral", is a better hint than
/// an unrelated short id), else 1 + the edit distance.
fn distance(wanted: &str, candidate: &str) -> usize {
    if !wanted.is_empty() && candidate.contains(wanted) {
        0
    } else {
        1 + edit_distance(wanted, candidate)
    }
}

/// The `n` candidates closest to `wanted`, best first (ties in text order).
pub fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    closest_named(
        wanted,
        candidates.into_iter().map(|c| (c, std::iter::once(c))),
        n,
    )
}

/// [`closest`] for things known by several spellings (a person's name and
/// aliases): each `(name, spellings)` ranks by its nearest spelling, and each
/// name is given once.
pub fn closest_named<'a, S>(
    wanted: &str,
    candidates: impl IntoIterator<Item = (&'a str, S)>,
    n: usize,
) -> Vec<String>
where
    S: IntoIterator<Item = &'a str>,
{
    let wanted = fold(wanted.trim());
    let mut ranked: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|(name, spellings)| {
            let nearest = spellings
                .into_iter()
                .map(|s| distance(&wanted, &fold(s)))
                .min()
                .unwrap_or(usize::MAX);
            (nearest, name)
        })
        .collect();
    ranked.sort();
    ranked.dedup_by(|a, b| a.1 == b.1);
    ranked
        .into_iter()
        .take(n)
        .map(|(_, name)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("mensch", "mench"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kempf", "kempf"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn splits_words() {
        assert_eq!(
            folded_words("L'IA, c'est... Mistral-7B!"),
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

    #[test]
    fn closest_named_ranks_by_the_nearest_spelling() {
        let people = [
            ("Arthur Mensch", vec!["Arthur Mensch", "Arthur Mench"]),
            ("Quentin Adam", vec!["Quentin Adam", "Cantan Adam"]),
        ];
        let ranked = |q| closest_named(q, people.iter().map(|(n, s)| (*n, s.iter().copied())), 1);
        assert_eq!(ranked("Cantin Adam"), vec!["Quentin Adam"]);
        assert_eq!(ranked("mench"), vec!["Arthur Mensch"]);
    }
}
