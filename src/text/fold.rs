//! Accent folding, the one way verbatim compares text: lowercase, accents
//! removed, ligatures expanded (`Données` -> `donnees`, `œuvre` ->
//! `oeuvre`); and the slugs and keys built on it.

use unicode_normalization::UnicodeNormalization;

/// Lowercase, accents removed, ligatures expanded: `Données` -> `donnees`.
pub fn fold(text: &str) -> String {
    fold_with(text, true)
}

/// Lowercase and accents removed, ligatures kept: `Cœur` -> `cœur`.
pub fn fold_accents(text: &str) -> String {
    fold_with(text, false)
}

/// A name or label as a keyword key (the index's speaker and show filters):
/// [`fold_accents`], the typographic apostrophe as `'`, white space collapsed.
pub fn fold_key(text: &str) -> String {
    fold_accents(text)
        .replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn fold_with(text: &str, expand_ligatures: bool) -> String {
    let mut out = String::with_capacity(text.len());
    fold_with_into(text, expand_ligatures, &mut out);
    out
}

/// [`fold`], written into `out` (cleared first): for loops over many words,
/// which then allocate nothing once `out` is large enough.
pub fn fold_into(text: &str, out: &mut String) {
    fold_with_into(text, true, out);
}

fn fold_with_into(text: &str, expand_ligatures: bool, out: &mut String) {
    out.clear();
    // Most words are plain ASCII: no decomposition needed.
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    // Most of the rest are French: accented Latin letters folded from a
    // table, without Unicode decomposition (a tenth of indexing time).
    if fold_latin(text, expand_ligatures, out) {
        return;
    }
    out.clear();
    fold_decomposed(text, expand_ligatures, out);
}

/// The folded form of one accented Latin-1 letter (what decomposition and
/// lowercasing give), `None` for any other character.
fn latin_letter(c: char) -> Option<char> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        _ => return None,
    })
}

/// [`fold_with`] for text of ASCII, accented Latin-1 letters, ligatures and
/// typographic punctuation, appended to `out`; `false` (and `out` partly
/// written) when another character needs the full decomposition.
fn fold_latin(text: &str, expand_ligatures: bool, out: &mut String) -> bool {
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(letter) = latin_letter(c) {
            out.push(letter);
        } else {
            match c {
                'œ' | 'Œ' if expand_ligatures => out.push_str("oe"),
                'æ' | 'Æ' if expand_ligatures => out.push_str("ae"),
                'ß' if expand_ligatures => out.push_str("ss"),
                'œ' | 'æ' | 'ß' | '’' | '‘' | '«' | '»' | '–' | '—' | '…' | '\u{a0}'
                | '\u{202f}' => out.push(c),
                'Œ' => out.push('œ'),
                'Æ' => out.push('æ'),
                _ => return false,
            }
        }
    }
    true
}

/// [`fold_with`] by Unicode decomposition (any script), appended to `out`.
fn fold_decomposed(text: &str, expand_ligatures: bool, out: &mut String) {
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' if expand_ligatures => out.push_str("oe"),
            'æ' | 'Æ' if expand_ligatures => out.push_str("ae"),
            'ß' if expand_ligatures => out.push_str("ss"),
            _ => out.extend(c.to_lowercase()),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast table's folding, `None` where it gives way to decomposition.
    fn latin(text: &str, expand: bool) -> Option<String> {
        let mut out = String::new();
        fold_latin(text, expand, &mut out).then_some(out)
    }

    fn decomposed(text: &str, expand: bool) -> String {
        let mut out = String::new();
        fold_decomposed(text, expand, &mut out);
        out
    }

    #[test]
    fn the_latin_table_folds_as_decomposition_does() {
        let mut text = String::new();
        for c in (0u32..0x2100).filter_map(char::from_u32) {
            let one = c.to_string();
            for expand in [true, false] {
                if let Some(fast) = latin(&one, expand) {
                    assert_eq!(fast, decomposed(&one, expand), "{c:?} {expand}");
                    text.push(c);
                }
            }
        }
        assert!(text.contains('é') && text.contains('Œ') && text.contains('’'));
        for expand in [true, false] {
            assert_eq!(latin(&text, expand), Some(decomposed(&text, expand)));
        }
        assert_eq!(latin("ﬁ", true), None);
        assert_eq!(fold("Ça « Œuvre » ﬁn"), "ca « oeuvre » ﬁn");
        // Into a buffer that held a longer word, and after a fallback.
        let mut buffer = String::from("un mot plus long");
        fold_into("Éﬁ", &mut buffer);
        assert_eq!(buffer, "eﬁ");
        fold_into("Où", &mut buffer);
        assert_eq!(buffer, "ou");
    }

    #[test]
    fn folds_and_keys() {
        type Fold = fn(&str) -> String;
        let cases: [(Fold, &str, &str); 6] = [
            (fold, "Données SÉCURITÉ œuvre", "donnees securite oeuvre"),
            (fold, "Ça", "ca"),
            (fold_accents, "Élodie Cœur", "elodie cœur"),
            (fold_key, "  Élodie   Cœur ", "elodie cœur"),
            (fold_key, "SPEAKER_02", "speaker_02"),
            (fold_key, "L’Équipe", "l'equipe"),
        ];
        for (f, input, want) in cases {
            assert_eq!(f(input), want, "{input:?}");
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
}
