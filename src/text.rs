//! Text helpers shared by the parsers, quote verification, speaker analysis
//! and chapters: accent folding and word tokenization that remembers where
//! each word was; whitespace, slugs, name case, title trimming, a French
//! check, and lazily compiled regexes.
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

/// A `&'static Regex` compiled once on first use.
///
/// The patterns are literals in the source, so a bad one is a programming
/// error caught by the first test that touches it; that is why this is the
/// one place allowed to `expect`.
#[macro_export]
#[doc(hidden)]
macro_rules! static_regex {
    ($pattern:expr) => {{
        static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            #[allow(clippy::expect_used)]
            regex::Regex::new($pattern).expect("static regex pattern is valid")
        });
        &*RE
    }};
}

/// Collapses every run of ASCII whitespace into one space and trims the ends.
///
/// Only ASCII whitespace is touched: a no-break space before `?` or `:` is
/// French typography and part of the words.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_ascii_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// A slug: lowercase ASCII letters and digits separated by single `-`.
/// Characters with no ASCII form after accent folding become separators.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A person's name in normal case: words written in capitals (`MATHIEU`,
/// `MAUDET`) become `Mathieu`, `Maudet`, each part of a hyphenated or
/// apostrophed word on its own (`MICHEL-MARIE` -> `Michel-Marie`,
/// `D'ARTAGNAN` -> `D'Artagnan`). Words already in mixed case are kept as
/// written (`McDonald`, `de`).
pub fn normal_case_name(name: &str) -> String {
    collapse_ws(name)
        .split(' ')
        .map(normal_case_word)
        .collect::<Vec<_>>()
        .join(" ")
}

fn normal_case_word(word: &str) -> String {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    if !all_caps {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut start_of_part = true;
    for c in word.chars() {
        if c.is_alphabetic() {
            if start_of_part {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
            start_of_part = false;
        } else {
            out.push(c);
            start_of_part = true;
        }
    }
    out
}

/// At most `max` characters, cut at a word boundary with `…` when cut.
pub fn trim_to_words(s: &str, max: usize) -> String {
    let s = collapse_ws(s);
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(&cut).to_string(),
        _ => cut,
    };
    let at_word = at_word.trim_end_matches([',', ';', ':', ' ', '-', '–']);
    format!("{at_word}…")
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
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn names_in_normal_case() {
        for (input, want) in [
            ("Thomas MATHIEU", "Thomas Mathieu"),
            ("Michel-Marie MAUDET", "Michel-Marie Maudet"),
            ("JEAN-BAPTISTE  PIACENTO", "Jean-Baptiste Piacento"),
            ("Pierre D'ARTAGNAN", "Pierre D'Artagnan"),
            ("Ronald McDonald", "Ronald McDonald"),
            ("Charles de Gaulle", "Charles de Gaulle"),
            ("Élodie ÉTIENNE", "Élodie Étienne"),
        ] {
            assert_eq!(normal_case_name(input), want, "{input}");
        }
    }

    #[test]
    fn slugs() {
        for (input, want) in [
            ("mac-138-chatbots", "mac-138-chatbots"),
            ("Été à Noël", "ete-a-noel"),
            ("shows/Tech & Co/ép 1", "shows-tech-co-ep-1"),
            ("  __  ", ""),
            ("Œuvre", "oeuvre"),
        ] {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn whitespace_and_trimming() {
        assert_eq!(collapse_ws("  a \t b\n\nc  "), "a b c");
        assert_eq!(collapse_ws("Quoi\u{a0}?"), "Quoi\u{a0}?");
        assert_eq!(trim_to_words("un deux trois", 80), "un deux trois");
        let long = "mot ".repeat(40);
        let t = trim_to_words(&long, 20);
        assert!(t.chars().count() <= 21 && t.ends_with('…'), "{t}");
    }

    #[test]
    fn french_detection() {
        let fr = "Bonjour et bienvenue dans ce nouvel épisode, je suis là avec vous pour parler de la tech et des nouvelles de la semaine, on va voir ça ensemble";
        let en = "Hello and welcome to this new episode, I am here with you to talk about tech and the news of the week, we will look at it together now";
        assert!(looks_french(fr));
        assert!(!looks_french(en));
        assert!(!looks_french("le la les"));
    }
}
