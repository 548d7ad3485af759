//! Small text helpers shared by the parsers and the corpus: lazily compiled
//! regexes, whitespace, accent folding, name casing, slugs and trimming.
//!
//! They live together because every layout needs the same few operations and
//! each must behave the same everywhere (an id slug or a name's case must not
//! depend on which parser produced it).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

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

/// Lowercase, accents removed (`Été` -> `ete`), typographic apostrophes made plain.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == '’' || c == 'ʼ' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A slug: lowercase ASCII letters and digits separated by single `-`.
/// Characters with no ASCII form after accent folding become separators.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in fold(s).chars() {
        let c = match c {
            'œ' => Some("oe"),
            'æ' => Some("ae"),
            'ß' => Some("ss"),
            _ => None,
        }
        .map(str::to_string)
        .unwrap_or_else(|| c.to_string());
        for c in c.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
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
        "il", "elle", "on", "nous", "vous", "ils", "pas", "ce", "c'est", "dans", "pour", "en",
        "au", "aux", "sur", "avec", "ça", "mais", "ou", "donc", "se", "ne", "y", "a", "à", "par",
        "plus", "son", "sa", "ses", "cette", "j'ai", "l'", "d'", "qu'il", "alors", "oui", "tout",
        "très",
    ];
    static FOLDED: std::sync::LazyLock<std::collections::HashSet<String>> =
        std::sync::LazyLock::new(|| STOP.iter().map(|s| fold(s)).collect());
    let mut total = 0usize;
    let mut hits = 0usize;
    for word in text.split_whitespace().take(5000) {
        let w = fold(word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''));
        if w.is_empty() {
            continue;
        }
        total += 1;
        if FOLDED.contains(&w) {
            hits += 1;
        }
    }
    total >= 20 && hits * 100 >= total * 15
}

#[cfg(test)]
mod tests {
    use super::*;

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
