//! Text helpers shared by quote verification, speaker analysis and chapters:
//! accent folding and word tokenization that remembers where each word was.
//!
//! Comparison happens on folded words (lowercase, no accents, `œ` -> `oe`,
//! elided articles split off) so that a quote typed without accents or
//! punctuation still compares equal to the transcript; the original text is
//! never changed, only looked at through these words.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// A word of a text: its folded form and where it sits in the original (byte range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub folded: String,
    pub span: Range<usize>,
}

/// Lowercase, accents removed, ligatures expanded: `Données` -> `donnees`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether `c` joins letters inside a word (`aujourd'hui`, `post-it`): kept
/// inside words here, split later by [`words`] for elisions.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The words of `text`, folded, with their byte spans in `text`.
///
/// Splits on anything that is not a letter or digit, so `l'IA` gives `l` and
/// `ia`, `c’est` gives `c` and `est`, and `post-grésquel` gives `post` and
/// `gresquel`. Hyphens and apostrophes are typed inconsistently by people and
/// by speech recognition alike, so treating them as separators is the fairest
/// comparison.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_word(&mut out, text, s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push_word(&mut out, text, s..text.len());
    }
    out
}

fn push_word(out: &mut Vec<Word>, text: &str, span: Range<usize>) {
    if let Some(raw) = text.get(span.clone()) {
        out.push(Word {
            folded: fold(raw),
            span,
        });
    }
}

/// Frequent French function words. Used to weigh words when comparing texts
/// (a shared "de" says little), never to drop words from an index or a quote.
pub fn is_function_word(folded: &str) -> bool {
    const WORDS: &[&str] = &[
        "a", "ai", "au", "aux", "avec", "c", "ca", "ce", "ces", "cet", "cette", "d", "dans", "de",
        "des", "du", "elle", "en", "est", "et", "il", "ils", "j", "je", "l", "la", "le", "les",
        "leur", "lui", "m", "ma", "me", "mes", "mon", "n", "ne", "nous", "on", "ou", "par", "pas",
        "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "si", "son", "sur", "t", "ta", "te",
        "tu", "un", "une", "vous", "y", "the", "of", "and", "to", "is", "it", "in", "that", "oui",
        "non", "bah", "ben", "euh", "donc", "alors", "voila", "fait", "tres", "plus", "mais",
        "comme", "tout", "tous", "bien", "etre", "avoir", "sont", "ont", "va", "vais", "etait",
        "quoi",
    ];
    WORDS.contains(&folded) || folded.chars().all(|c| c.is_ascii_digit())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words() {
        assert!(is_function_word("de"));
        assert!(is_function_word("2025"));
        assert!(!is_function_word("mistral"));
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Données SÉCURITÉ œuvre"), "donnees securite oeuvre");
        assert_eq!(fold("Ça"), "ca");
    }

    #[test]
    fn words_split_elisions_and_keep_spans() {
        let text = "L’IA, c'est « génial » !";
        let ws = words(text);
        let folded: Vec<&str> = ws.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["l", "ia", "c", "est", "genial"]);
        assert_eq!(&text[ws[4].span.clone()], "génial");
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("mensch", "mench"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kempf", "kempf"), 0);
    }
}
