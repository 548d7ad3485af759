//! Tidying text for display: whitespace collapsed, names in normal case,
//! long text cut at a word.

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

/// `text` with its first letter in upper case ("levée de fonds" -> "Levée de fonds").
pub fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
    fn whitespace_and_trimming() {
        assert_eq!(collapse_ws("  a \t b\n\nc  "), "a b c");
        assert_eq!(collapse_ws("Quoi\u{a0}?"), "Quoi\u{a0}?");
        assert_eq!(collapse_ws("  a \n\t b  "), "a b");
        assert_eq!(collapse_ws("oui\u{a0}?"), "oui\u{a0}?");
        assert_eq!(trim_to_words("un deux trois", 80), "un deux trois");
        let long = "mot ".repeat(40);
        let t = trim_to_words(&long, 20);
        assert!(t.chars().count() <= 21 && t.ends_with('…'), "{t}");
    }
}
