//! Speakers written as a text prefix in subtitle cues: `Sarah: …` (Podcasting
//! 2.0 SRT, Zoom, Buzzsprout), `Marie Dupont : …` (French spacing),
//! `[SPEAKER_00]: …` (WhisperX writers), `>> Name: …` (broadcast captions),
//! `JOHN: …` (closed captions), and speaker tags `[Alba] …` / `(JEAN) …`
//! (streaming subtitles), told apart from sound annotations such as
//! `[Music]`, `(rires)` or `[MUSIC PLAYING]` ([`speaker_tag`],
//! [`is_sound_annotation`]).
//!
//! Subtitles have no speaker field, so this is a heuristic, kept strict on
//! purpose: the prefix must open the cue, look like a name (at most four
//! words, capitalized, or a diarization label) and not be a common label word
//! ("Note:", "Attention :"). A file-level check then decides whether the file
//! really uses the convention and whether a speaker carries over to the
//! following unprefixed cues (Podcasting 2.0 writes the name only when the
//! speaker changes; WhisperX and Zoom write it on every cue). A name in
//! capitals (`JOHN:`, `MARIE-CLAIRE :`, `DR. SMITH:`) is the closed-caption
//! convention and counts even once. Names are kept as written (`JOHN` stays
//! `JOHN`): the transcript's words are not rewritten.

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
    "ok",
    "info",
    "infos",
    "breaking",
    "live",
    "direct",
];

/// Words of sound and description annotations in subtitles (`[Music]`,
/// `(rires)`, `[Aplausos]`, `[Beifall]`), lowercased, in English, French,
/// Spanish and German. A bracketed label holding one of them is never a
/// speaker, whatever its case.
const SOUND_WORDS: &[&str] = &[
    // English
    "music",
    "musical",
    "applause",
    "applauding",
    "laughter",
    "laughs",
    "laughing",
    "laugh",
    "chuckles",
    "chuckling",
    "giggles",
    "sighs",
    "sigh",
    "sighing",
    "gasps",
    "groans",
    "coughs",
    "coughing",
    "clears",
    "sniffles",
    "sobs",
    "sobbing",
    "crying",
    "cries",
    "screams",
    "screaming",
    "shouts",
    "shouting",
    "whispers",
    "whispering",
    "murmurs",
    "mumbles",
    "exhales",
    "inhales",
    "inaudible",
    "unintelligible",
    "indistinct",
    "crosstalk",
    "chatter",
    "foreign",
    "silence",
    "noise",
    "noises",
    "sound",
    "sounds",
    "static",
    "beep",
    "beeps",
    "bleep",
    "ringing",
    "rings",
    "ringtone",
    "phone",
    "door",
    "knocking",
    "knocks",
    "footsteps",
    "gunshot",
    "gunshots",
    "explosion",
    "thunder",
    "crowd",
    "cheering",
    "cheers",
    "cheer",
    "clapping",
    "claps",
    "singing",
    "sings",
    "song",
    "humming",
    "hums",
    "instrumental",
    "playing",
    "plays",
    "continues",
    "speaking",
    "speaks",
    "narrating",
    "pause",
    "off",
    "voiceover",
    "v.o.",
    "o.s.",
    "intro",
    "outro",
    "jingle",
    "theme",
    "end",
    "subtitles",
    "captions",
    "translation",
    "translated",
    "background",
    "upbeat",
    "dramatic",
    "suspenseful",
    "soft",
    "loud",
    "distant",
    // French
    "musique",
    "applaudissements",
    "applaudit",
    "rires",
    "rire",
    "rit",
    "sourire",
    "soupir",
    "soupire",
    "soupirs",
    "tousse",
    "toux",
    "pleure",
    "pleurs",
    "sanglots",
    "crie",
    "cris",
    "chuchote",
    "murmure",
    "inaudible",
    "inintelligible",
    "incompréhensible",
    "bruit",
    "bruits",
    "silence",
    "générique",
    "chanson",
    "chante",
    "voix",
    "hors",
    "sonnerie",
    "sonne",
    "fin",
    "sous-titres",
    "sous-titrage",
    "traduction",
    "brouhaha",
    "acclamations",
    // Spanish
    "música",
    "aplausos",
    "aplauden",
    "risas",
    "ríe",
    "suspira",
    "suspiro",
    "tose",
    "llora",
    "llanto",
    "grita",
    "gritos",
    "susurra",
    "inaudible",
    "ruido",
    "ruidos",
    "silencio",
    "canción",
    "canta",
    "sonido",
    "timbre",
    "subtítulos",
    "traducción",
    "murmullos",
    // German
    "musik",
    "applaus",
    "beifall",
    "lachen",
    "lacht",
    "gelächter",
    "seufzt",
    "seufzen",
    "hustet",
    "husten",
    "weint",
    "schreit",
    "flüstert",
    "unverständlich",
    "geräusch",
    "geräusche",
    "lärm",
    "stille",
    "lied",
    "singt",
    "klingelt",
    "untertitel",
    "übersetzung",
];

/// Words that make a bracketed label a description (`[IN SPANISH]`,
/// `(en off)`, `[con acento]`): names do not hold them. The name particles
/// (`de`, `la`, `von`) are allowed in names and are not here.
const DESCRIPTION_WORDS: &[&str] = &[
    "in", "on", "the", "a", "an", "with", "to", "of", "and", "en", "au", "aux", "avec", "dans",
    "sur", "et", "un", "une", "con", "y", "al", "mit", "im", "und", "auf",
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

/// The longest speaker tag looked for, brackets included, in characters.
const MAX_TAG_CHARS: usize = 64;

/// A speaker tag opening a cue: `[Alba] En 1928…`, `(JEAN) Bonjour`,
/// `[Marie Dupont:] Oui`. Returns the name and the byte length of the tag
/// with the spaces after it (the text after it is `&text[len..]`).
///
/// The rule: the bracketed label must read as a name ([`is_plausible_name`]:
/// at most four words, the first capitalized, name characters only) and not
/// as a sound or description annotation ([`is_sound_annotation`]:
/// `[Music]`, `(laughs)`, `[MUSIC PLAYING]`, `[♪]`). A tag followed by a
/// colon is [`split_prefix`]'s (`[Léa]: oui`) and gives the same answer.
pub fn speaker_tag(text: &str) -> Option<(String, usize)> {
    let trimmed = text.trim_start();
    let close = match trimmed.chars().next()? {
        '[' => ']',
        '(' => ')',
        _ => return None,
    };
    // A name is short: look no further (a long cue full of brackets stays linear).
    let (inner_end, _) = trimmed
        .char_indices()
        .take(MAX_TAG_CHARS)
        .find(|(_, c)| *c == close)?;
    let inner = trimmed.get(1..inner_end)?;
    let label = inner.trim().trim_end_matches(':').trim_end();
    if is_diarization_label(label) {
        return None; // `[SPEAKER_00]` is split_prefix's, colon or not.
    }
    if is_sound_annotation(inner) || !is_plausible_name(label) {
        return None;
    }
    let after = trimmed.get(inner_end + close.len_utf8()..)?;
    // `[Alba]: texte` is the same tag with a colon.
    let after_colon = after.trim_start().strip_prefix(':').unwrap_or(after);
    let rest = after_colon.trim_start();
    Some((label.to_string(), text.len() - rest.len()))
}

/// Whether the inside of a bracket pair is a sound or description
/// annotation rather than a name: no letters (`♪`, `...`), a music sign, a
/// first letter in lower case (`(laughs)`, `[inaudible]`, `(rires)`), a
/// word of the sound lists in English, French, Spanish or German (`[Music]`,
/// `[Applaudissements]`, `(SIGHS)`), a description word (`[IN SPANISH]`),
/// an English `-ING` word in capitals (`[DOOR CLOSING]`), or more than four
/// words.
pub fn is_sound_annotation(inner: &str) -> bool {
    let inner = inner.trim().trim_end_matches(':').trim_end();
    if inner.contains(['♪', '♫', '♬', '🎵', '🎶']) {
        return true;
    }
    let Some(first_letter) = inner.chars().find(|c| c.is_alphabetic()) else {
        return true;
    };
    if first_letter.is_lowercase() {
        return true;
    }
    let words: Vec<String> = inner
        .split(|c: char| c.is_whitespace() || c == '/' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() > 4 {
        return true;
    }
    let capitals = inner
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    words.iter().any(|w| {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
        SOUND_WORDS.contains(&bare)
            || DESCRIPTION_WORDS.contains(&bare)
            || (capitals && bare.len() >= 5 && bare.ends_with("ing"))
    })
}

/// A name written in capitals, as closed captions write speakers (`JOHN`,
/// `MARIE-CLAIRE`, `DR. SMITH`): two letters at least, none in lower case.
pub fn is_capitals_name(label: &str) -> bool {
    let mut letters = label.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some()
        && label.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && letters.all(char::is_uppercase)
        && is_plausible_name(label)
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
    let lower = label.to_lowercase();
    if NOT_NAMES.contains(&lower.as_str())
        || lower
            .split_whitespace()
            .any(|w| SOUND_WORDS.contains(&w.trim_end_matches('.')))
    {
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
/// diarization label or name in capitals). Prefixes are removed from the
/// text. When the file names the speaker only when it changes, the speaker
/// carries over to the following unprefixed cues.
pub fn attribute_prefixes(segments: &mut [Segment]) {
    attribute_prefixes_except(segments, |_| false);
}

/// [`attribute_prefixes`], where the segments for which `new_turn` is true
/// never inherit a carried-over speaker: the turns of a dialogue-dash cue
/// (`- Tu viens ? - Oui.`) are said by two people, so at least one of them
/// is not whoever spoke before.
pub fn attribute_prefixes_except(segments: &mut [Segment], new_turn: impl Fn(usize) -> bool) {
    // The label and the length of the prefix (the rest is a suffix of the text).
    let found: Vec<Option<(String, usize)>> = segments
        .iter()
        .map(|s| match s.speaker {
            Some(_) => None,
            None => split_prefix(&s.text).map(|(l, r)| (l, s.text.len() - r.len())),
        })
        .collect();
    let count = found.iter().flatten().count();
    let has_label = found
        .iter()
        .flatten()
        .any(|(l, _)| is_diarization_label(l) || is_capitals_name(l));
    if count == 0 || (count < 2 && !has_label) {
        return;
    }
    let adjacent_same = found.windows(2).any(|w| match w {
        [Some((a, _)), Some((b, _))] => a == b,
        _ => false,
    });
    let every_cue = count * 10 >= segments.len() * 9;
    // One strong prefix makes the convention, but not a speaker for the
    // rest of the file: carrying over needs the file to name two turns.
    let carry_over = count >= 2 && !adjacent_same && !every_cue;
    let mut current: Option<String> = None;
    for (index, (segment, prefix)) in segments.iter_mut().zip(found).enumerate() {
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
            None if new_turn(index) => current = None,
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

    #[test]
    fn speaker_tag_or_sound_annotation() {
        for (input, want) in [
            // Speakers: a name-like label, any case, fr/en/es.
            (
                "[Alba] En 1928, la ciudad",
                Some(("Alba", "En 1928, la ciudad")),
            ),
            ("(JEAN) Bonjour", Some(("JEAN", "Bonjour"))),
            (
                "[Marie Dupont] On y va.",
                Some(("Marie Dupont", "On y va.")),
            ),
            (
                "[Jean de La Fontaine] Le corbeau",
                Some(("Jean de La Fontaine", "Le corbeau")),
            ),
            ("(MARIE-CLAIRE) Salut", Some(("MARIE-CLAIRE", "Salut"))),
            (
                "[DR. SMITH] Good morning",
                Some(("DR. SMITH", "Good morning")),
            ),
            (
                "[Narrator] Once upon a time",
                Some(("Narrator", "Once upon a time")),
            ),
            ("[Alba:] Hola", Some(("Alba", "Hola"))),
            ("[Alba]: Hola", Some(("Alba", "Hola"))),
            ("  [José]   ¿Qué?", Some(("José", "¿Qué?"))),
            // Sound and description annotations: never speakers.
            ("[Music] hello", None),
            ("[Musique] Bonjour", None),
            ("[Música] Hola", None),
            ("[Musik] Hallo", None),
            ("[Applause] Thanks", None),
            ("[Applaudissements] Merci", None),
            ("[Aplausos] Gracias", None),
            ("[Beifall] Danke", None),
            ("(laughs) yes", None),
            ("(rires) oui", None),
            ("(risas) sí", None),
            ("(Rires) Oui", None),
            ("[inaudible] so", None),
            ("[Inaudible] So", None),
            ("[MUSIC PLAYING] Hey", None),
            ("[PHONE RINGING] Hello?", None),
            ("[DOOR CLOSING] Who", None),
            ("(SIGHS) Okay", None),
            ("[LAUGHTER] Right", None),
            ("[♪] la la", None),
            ("[♪ Music ♪] la la", None),
            ("[IN SPANISH] Hola", None),
            ("(en espagnol) Hola", None),
            ("[Foreign] ok", None),
            ("[Speaking French] Bonjour", None),
            ("[Crowd Cheering] Yes", None),
            ("[She walks to the door slowly] Hi", None),
            ("[SPEAKER_00] oui", None), // split_prefix's
            ("[1928] Year", None),
            ("[Alba Hola", None),
            ("Alba] Hola", None),
        ] {
            let got = speaker_tag(input)
                .map(|(name, len)| (name, input.get(len..).unwrap_or("<bad length>")));
            assert_eq!(got, want.map(|(a, b)| (a.to_string(), b)), "{input:?}");
        }
    }

    #[test]
    fn capitals_names() {
        for (label, want) in [
            ("JOHN", true),
            ("MARIE-CLAIRE", true),
            ("DR. SMITH", true),
            ("John", false),
            ("J", false),
            ("NOTE", false),
            ("MUSIC", false),
            ("12", false),
        ] {
            assert_eq!(is_capitals_name(label), want, "{label:?}");
        }
    }

    #[test]
    fn one_name_in_capitals_is_a_speaker_but_does_not_carry_over() {
        let mut s = vec![seg("Bonjour"), seg("JOHN: Hello there"), seg("fin")];
        attribute_prefixes(&mut s);
        assert_eq!(speakers(&s), [None, Some("JOHN"), None]);
        assert_eq!(s[1].text, "Hello there");
        let mut s = vec![seg("MARIE-CLAIRE : Bonjour"), seg("DR. SMITH: Hello")];
        attribute_prefixes(&mut s);
        assert_eq!(speakers(&s), [Some("MARIE-CLAIRE"), Some("DR. SMITH")]);
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
