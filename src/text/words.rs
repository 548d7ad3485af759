//! Words of a text, folded, with where each one sits in the original; the
//! French function words; and a check that a text reads as French.
//!
//! Comparison happens on folded words (lowercase, no accents, `œ` -> `oe`,
//! elided articles split off) so that a quote typed without accents or
//! punctuation still compares equal to the transcript; the original text is
//! never changed, only looked at through these words.

use super::fold::fold;
use std::ops::Range;

/// A word of a text: its folded form and where it sits in the original (byte range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub folded: String,
    pub span: Range<usize>,
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
    for span in word_spans(text) {
        push_word(&mut out, text, span);
    }
    out
}

/// Where the words of `text` are (byte ranges), as [`words`] splits them,
/// without folding them: for callers that look at few of them.
pub fn word_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if is_word_char(c) {
                break i;
            }
        };
        for (i, c) in chars.by_ref() {
            if !is_word_char(c) {
                return Some(start..i);
            }
        }
        Some(start..text.len())
    })
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
    crate::text::word_set!(WORDS).contains(folded) || folded.chars().all(|c| c.is_ascii_digit())
}

/// Whether the text reads as French: the share of very common French words.
///
/// A crude but dependable test on transcripts, which are long and full of
/// function words; short texts are not judged.
pub fn looks_french(text: &str) -> bool {
    const STOP: &[&str] = &[
        "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "que", "qui", "je", "tu",
        "il", "elle", "on", "nous", "vous", "ils", "pas", "ce", "dans", "pour", "en", "au", "aux",
        "sur", "avec", "ca", "mais", "ou", "donc", "se", "ne", "y", "par", "plus", "son", "sa",
        "ses", "cette", "j", "l", "d", "qu", "c", "alors", "oui", "tout", "tres",
    ];
    let sample: &str = match text.char_indices().nth(50_000) {
        Some((i, _)) => text.get(..i).unwrap_or(text),
        None => text,
    };
    let ws = words(sample);
    let hits = ws
        .iter()
        .filter(|w| STOP.contains(&w.folded.as_str()))
        .count();
    ws.len() >= 20 && hits * 100 >= ws.len() * 15
}

/// Whether a short text (a query) reads as English: it has English
/// function words and more of them than French ones.
pub fn looks_english(text: &str) -> bool {
    const EN: &[&str] = &[
        "the", "of", "and", "to", "in", "is", "are", "was", "were", "what", "how", "why", "who",
        "about", "with", "for", "on", "that", "this", "it", "be", "do", "does", "did", "said",
        "say", "says", "from", "by", "an", "or", "not", "their", "they", "he", "she", "we",
    ];
    const FR: &[&str] = &[
        "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "que", "qui", "je", "il",
        "elle", "on", "nous", "vous", "ils", "pas", "ce", "dans", "pour", "en", "au", "aux", "sur",
        "avec", "ca", "mais", "ou", "donc", "se", "ne", "par", "son", "sa", "ses", "l", "d",
    ];
    let ws = words(text);
    let en = ws
        .iter()
        .filter(|w| EN.contains(&w.folded.as_str()))
        .count();
    let fr = ws
        .iter()
        .filter(|w| FR.contains(&w.folded.as_str()))
        .count();
    en > 0 && en > fr
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
    fn words_split_elisions_and_keep_spans() {
        let text = "L’IA, c'est « génial » !";
        let ws = words(text);
        let folded: Vec<&str> = ws.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["l", "ia", "c", "est", "genial"]);
        assert_eq!(&text[ws[4].span.clone()], "génial");
    }

    #[test]
    fn french_detection() {
        let fr = "Bonjour et bienvenue dans ce nouvel épisode, je suis là avec vous pour parler de la tech et des nouvelles de la semaine, on va voir ça ensemble";
        let en = "Hello and welcome to this new episode, I am here with you to talk about tech and the news of the week, we will look at it together now";
        assert!(looks_french(fr));
        assert!(!looks_french(en));
        assert!(!looks_french("le la les"));
        assert!(looks_english(
            "what did they say about the regulation of AI"
        ));
        assert!(!looks_english("la régulation de l'IA"));
        assert!(!looks_english("Mistral"));
    }
}
