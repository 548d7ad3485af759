//! Accent folding, the one way verbatim compares text: lowercase, accents
//! removed, ligatures expanded (`Données` -> `donnees`, `œuvre` ->
//! `oeuvre`); and the slugs and keys built on it.

use unicode_normalization::UnicodeNormalization;

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

    #[test]
    fn folding() {
        assert_eq!(fold("Données SÉCURITÉ œuvre"), "donnees securite oeuvre");
        assert_eq!(fold("Ça"), "ca");
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
