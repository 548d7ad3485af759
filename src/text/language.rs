//! Which language a text is in: two-letter ISO 639-1 codes (`fr`, `en`,
//! `es`), read from what a file says ([`language_code`]) or detected from
//! its words ([`detect_language`]).
//!
//! Detection uses `whatlang` (trigram profiles of 69 languages, no model
//! files, under a megabyte in the binary). It guesses from text alone, so a
//! guess it does not itself call reliable, or one from too few words, is
//! not taken: the caller keeps its default and says so.

/// Characters of an episode's text looked at by detection: enough for a
/// stable guess, bounded so that a long episode costs no more than a short one.
const SAMPLE_CHARS: usize = 6_000;

/// Words below which detection does not guess (a title, a two-line cue).
const MIN_WORDS: usize = 12;

/// ISO 639-3 (whatlang's codes) to ISO 639-1, for the languages whatlang knows.
const ISO_639_3_TO_1: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// English names of common languages, as files sometimes spell them
/// (`"language": "french"` in Whisper output), to ISO 639-1.
const NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("french", "fr"),
    ("francais", "fr"),
    ("spanish", "es"),
    ("espanol", "es"),
    ("german", "de"),
    ("deutsch", "de"),
    ("italian", "it"),
    ("italiano", "it"),
    ("portuguese", "pt"),
    ("dutch", "nl"),
    ("swedish", "sv"),
    ("danish", "da"),
    ("norwegian", "nb"),
    ("finnish", "fi"),
    ("romanian", "ro"),
    ("hungarian", "hu"),
    ("turkish", "tr"),
    ("russian", "ru"),
    ("greek", "el"),
    ("arabic", "ar"),
    ("tamil", "ta"),
    ("japanese", "ja"),
    ("chinese", "zh"),
    ("korean", "ko"),
    ("polish", "pl"),
];

/// The two-letter ISO 639-1 code of a language as a file writes it:
/// `fr`, `fr-FR`, `fr_CA`, `FRA`, `fre`, `French`; `None` when it names no
/// language verbatim knows.
pub fn language_code(written: &str) -> Option<String> {
    let primary = written
        .trim()
        .split(['-', '_', ' ', ';', ','])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if primary.len() == 2 && primary.chars().all(|c| c.is_ascii_lowercase()) {
        // Old codes still found in files: `iw` (Hebrew), `in` (Indonesian), `no`.
        let code = match primary.as_str() {
            "iw" => "he",
            "in" => "id",
            "no" | "nn" => "nb",
            other => other,
        };
        return Some(code.to_string());
    }
    // Bibliographic ISO 639-2 codes that differ from the 639-3 ones.
    let terminology = match primary.as_str() {
        "fre" => "fra",
        "ger" => "deu",
        "dut" => "nld",
        "gre" => "ell",
        "chi" | "zho" => "cmn",
        "cze" => "ces",
        "rum" => "ron",
        "per" | "fas" => "pes",
        "nor" | "nno" => "nob",
        other => other,
    };
    let folded = crate::text::fold(&primary);
    ISO_639_3_TO_1
        .iter()
        .find(|(three, _)| *three == terminology)
        .or_else(|| NAMES.iter().find(|(name, _)| *name == folded))
        .map(|(_, two)| (*two).to_string())
}

/// What detection concluded about a text.
#[derive(Debug, Clone, PartialEq)]
pub enum Detected {
    /// A reliable guess: the ISO 639-1 code.
    Language(String),
    /// A guess too weak to use (too few words, two close languages): what it
    /// was, if anything, for the diagnostic.
    Unsure(Option<String>),
}

/// The language of `text`, detected from its first 6 000 characters.
pub fn detect_language(text: &str) -> Detected {
    let sample = match text.char_indices().nth(SAMPLE_CHARS) {
        Some((i, _)) => text.get(..i).unwrap_or(text),
        None => text,
    };
    let Some(info) = whatlang::detect(sample) else {
        return Detected::Unsure(None);
    };
    let code = language_code(info.lang().code());
    let enough_words = sample.split_whitespace().nth(MIN_WORDS).is_some();
    match code {
        Some(code) if enough_words && info.is_reliable() => Detected::Language(code),
        code => Detected::Unsure(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_as_files_write_them() {
        for (written, want) in [
            ("fr", Some("fr")),
            ("fr-FR", Some("fr")),
            ("en_US", Some("en")),
            ("EN", Some("en")),
            ("fra", Some("fr")),
            ("fre", Some("fr")),
            ("spa", Some("es")),
            ("ger", Some("de")),
            ("French", Some("fr")),
            ("español", Some("es")),
            ("iw", Some("he")),
            ("no", Some("nb")),
            ("", None),
            ("klingon", None),
            ("x1", None),
        ] {
            assert_eq!(language_code(written).as_deref(), want, "{written:?}");
        }
    }

    #[test]
    fn detects_french_english_spanish_and_doubts_short_text() {
        for (text, want) in [
            (
                "Bonjour à tous, aujourd'hui on parle d'intelligence artificielle et de souveraineté numérique avec nos invités.",
                Detected::Language("fr".into()),
            ),
            (
                "I was thinking about the future of open source models and what it really means for the developers who build them.",
                Detected::Language("en".into()),
            ),
            (
                "En 1928, no hay nada que hacer con los problemas de la ciudad, dijo el alcalde a los periodistas.",
                Detected::Language("es".into()),
            ),
        ] {
            assert_eq!(detect_language(text), want, "{text}");
        }
        assert!(matches!(detect_language("Mistral AI"), Detected::Unsure(_)));
        assert!(matches!(detect_language("12 34"), Detected::Unsure(_)));
    }
}
