//! Speakers written as a text prefix in subtitle cues: `Sarah: …` (Podcasting
//! 2.0 SRT, Zoom, Buzzsprout), `Marie Dupont : …` (French spacing),
//! `[SPEAKER_00]: …` (WhisperX writers), `>> Name: …` (broadcast captions).
//!
//! Subtitles have no speaker field, so this is a heuristic, kept strict on
//! purpose: the prefix must open the cue, look like a name (at most four
//! words, capitalized, or a diarization label) and not be a common label word
//! ("Note:", "Attention :"). A file-level check then decides whether the file
//! really uses the convention and whether a speaker carries over to the
//! following unprefixed cues (Podcasting 2.0 writes the name only when the
//! speaker changes; WhisperX and Zoom write it on every cue).

use crate::formats::Segment;

/// Words that open a caption with a colon without naming a speaker.
const NOT_NAMES: &[&str] = &[
    "note",
    "nb",
    "n.b.",
    "ps",
    "p.s.",
    "attention",
    "exemple",
    "remarque",
    "rappel",
    "source",
    "sources",
    "lien",
    "liens",
    "voir",
    "traduction",
    "sous-titres",
    "sous-titrage",
    "musique",
    "music",
    "http",
    "https",
    "www",
    "warning",
    "example",
    "update",
];

/// Lowercase words allowed inside a name (`Jean de La Fontaine`).
const PARTICLES: &[&str] = &[
    "de", "du", "des", "la", "le", "d'", "van", "von", "der", "den", "ben", "el", "da", "di",
];

/// A speaker prefix at the start of a cue: the label and the text after it
/// (always a suffix of `text`: only its front is cut).
pub fn split_prefix(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    let text = text.strip_prefix(">>").map(str::trim_start).unwrap_or(text);
    if let Some(inner) = text.strip_prefix('[') {
        // `[SPEAKER_00]: text` or `[Marie]: text`.
        let close = inner.find(']')?;
        let label = inner.get(..close)?.trim();
        let after = inner.get(close + 1..)?;
        // A name in brackets needs the colon (`[Rires] oui` is a sound note).
        let colon = after.trim_start().strip_prefix(':');
        let rest = colon.unwrap_or(after);
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let accepted = is_diarization_label(label) || (colon.is_some() && is_plausible_name(label));
        return accepted.then(|| (label.to_string(), rest.trim_start()));
    }
    let colon = text.find(':')?;
    let label = text
        .get(..colon)?
        .trim_end_matches([' ', '\u{a0}', '\u{202f}']);
    let rest = text.get(colon + 1..)?;
    // "10:30", "http://", "Bonjour:x" are not prefixes.
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    (is_diarization_label(label) || is_plausible_name(label))
        .then(|| (label.to_string(), rest.trim_start()))
}

/// `SPEAKER_00`, `SPEAKER_1`, `speaker_02`.
pub fn is_diarization_label(label: &str) -> bool {
    let Some((head, digits)) = label.rsplit_once('_') else {
        return false;
    };
    head.eq_ignore_ascii_case("speaker")
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// At most four words, the first capitalized, the others capitalized,
/// numbers (`Speaker 2`) or name particles; not a common label word.
pub fn is_plausible_name(label: &str) -> bool {
    if label.is_empty() || label.chars().count() > 40 {
        return false;
    }
    if NOT_NAMES.contains(&label.to_lowercase().as_str()) {
        return false;
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    words.iter().enumerate().all(|(i, w)| {
        let first = w.chars().next();
        let capital = first.is_some_and(char::is_uppercase);
        let word_chars = w
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '.'));
        if !word_chars {
            return false;
        }
        if i == 0 {
            return capital;
        }
        capital || w.bytes().all(|b| b.is_ascii_digit()) || PARTICLES.contains(w)
    })
}

/// Finds speaker prefixes in segments that have no speaker yet, and applies
/// them if the file uses the convention (two prefixed cues at least, or one
/// diarization label). Prefixes are removed from the text. When the file
/// names the speaker only when it changes, the speaker carries over to the
/// following unprefixed cues.
pub fn attribute_prefixes(segments: &mut [Segment]) {
    // The label and the length of the prefix (the rest is a suffix of the text).
    let found: Vec<Option<(String, usize)>> = segments
        .iter()
        .map(|s| match s.speaker {
            Some(_) => None,
            None => split_prefix(&s.text).map(|(l, r)| (l, s.text.len() - r.len())),
        })
        .collect();
    let count = found.iter().flatten().count();
    let has_label = found.iter().flatten().any(|(l, _)| is_diarization_label(l));
    if count == 0 || (count < 2 && !has_label) {
        return;
    }
    let adjacent_same = found.windows(2).any(|w| match w {
        [Some((a, _)), Some((b, _))] => a == b,
        _ => false,
    });
    let every_cue = count * 10 >= segments.len() * 9;
    let carry_over = !adjacent_same && !every_cue;
    let mut current: Option<String> = None;
    for (segment, prefix) in segments.iter_mut().zip(found) {
        if segment.speaker.is_some() {
            current = None;
            continue;
        }
        match prefix {
            Some((label, prefix)) => {
                segment.drop_front(prefix);
                segment.speaker = Some(label.clone());
                current = Some(label);
            }
            None if carry_over => segment.speaker = current.clone(),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_cases() {
        for (input, want) in [
            ("Sarah: Bonjour", Some(("Sarah", "Bonjour"))),
            (
                "Marie Dupont : On y va.",
                Some(("Marie Dupont", "On y va.")),
            ),
            ("Marie\u{a0}: Oui", Some(("Marie", "Oui"))),
            (
                "[SPEAKER_00]: Alors voilà",
                Some(("SPEAKER_00", "Alors voilà")),
            ),
            ("SPEAKER_01: Bon", Some(("SPEAKER_01", "Bon"))),
            (
                ">> Jean de La Fontaine: Le corbeau",
                Some(("Jean de La Fontaine", "Le corbeau")),
            ),
            ("Speaker 2: hello", Some(("Speaker 2", "hello"))),
            ("Note: ce passage est coupé", None),
            ("Attention : danger", None),
            ("il a dit: bonjour", None),
            ("Il était 10:30 quand", None),
            ("Voir https://exemple.fr", None),
            ("Le président de la République a dit: non", None),
            ("[Musique]", None),
            ("[Rires] oui", None),
            ("[SPEAKER_03] oui", Some(("SPEAKER_03", "oui"))),
            ("[Léa]: oui", Some(("Léa", "oui"))),
        ] {
            let got = split_prefix(input);
            assert_eq!(got, want.map(|(a, b)| (a.to_string(), b)), "{input:?}");
        }
    }

    fn seg(text: &str) -> Segment {
        Segment {
            start: None,
            end: None,
            speaker: None,
            text: text.into(),
            line: 1,
            marks: Vec::new(),
        }
    }

    fn speakers(segments: &[Segment]) -> Vec<Option<&str>> {
        segments.iter().map(|s| s.speaker.as_deref()).collect()
    }

    #[test]
    fn carry_over_when_named_on_change() {
        let mut s = vec![
            seg("Sarah: Bonjour"),
            seg("et bienvenue"),
            seg("Luc: Merci"),
            seg("de m'accueillir"),
        ];
        attribute_prefixes(&mut s);
        assert_eq!(
            speakers(&s),
            [Some("Sarah"), Some("Sarah"), Some("Luc"), Some("Luc")]
        );
        assert_eq!(s[0].text, "Bonjour");
    }

    #[test]
    fn no_carry_over_when_named_on_every_cue() {
        let mut s = vec![
            seg("Sarah: Bonjour"),
            seg("Sarah: encore"),
            seg("sans nom"),
            seg("Luc: Merci"),
        ];
        attribute_prefixes(&mut s);
        assert_eq!(
            speakers(&s),
            [Some("Sarah"), Some("Sarah"), None, Some("Luc")]
        );
    }

    #[test]
    fn a_single_plausible_prefix_is_not_a_convention() {
        let mut s = vec![seg("Bonjour"), seg("Paris: la ville lumière"), seg("fin")];
        attribute_prefixes(&mut s);
        assert_eq!(speakers(&s), [None, None, None]);
        assert_eq!(s[1].text, "Paris: la ville lumière");
    }
}
