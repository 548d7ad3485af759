//! People's names as speech recognition hears them: a French-aware phonetic
//! key, name similarity, the capitalized word runs of a text that could be
//! names, and the test "is this run a spelling of that person's name?".
//!
//! Speech recognition writes names it does not know the way they sound
//! ("Arthur Mench" for Arthur Mensch, "Cantan Adam" for Quentin Adam,
//! "Horace Ion-Salès" for Horacio Gonzalez). Comparing names through a key
//! that keeps only what is pronounced (accents folded, `c`/`k`/`q` one sound,
//! double letters single, silent final letters dropped, nasal vowels merged)
//! makes most of those spellings equal or one letter apart. The surname must
//! always agree: a shared first name alone ("Pierre") never makes a match.

use crate::model::Participant;
use crate::text::{fold, is_function_word};

/// A French phonetic key of one word (or a hyphenated word): what is heard,
/// lowercase ASCII. `Mensch` and `Mench` -> `manx`; `Zemb` and `Semb` -> `sanb`.
pub fn phonetic_key(word: &str) -> String {
    fold(word)
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|part| !part.is_empty())
        .map(key_of_part)
        .collect()
}

/// The phonetic key of every word of a name, joined without spaces.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().map(phonetic_key).collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// One ASCII-lowercase run of letters to its key.
fn key_of_part(part: &str) -> String {
    let chars: Vec<char> = part.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(c) = at(i) {
        let next = at(i + 1);
        let after = at(i + 2);
        // Multi-letter spellings of one sound first.
        let (sound, used): (&[char], usize) = match (c, next, after) {
            ('s', Some('c'), Some('h')) => (&['x'], 3),
            // `chr`, `chl` are hard (Christophe), other `ch` soft.
            ('c', Some('h'), Some(n)) if !is_vowel(n) => (&['k'], 2),
            ('c', Some('h'), _) => (&['x'], 2),
            ('p', Some('h'), _) => (&['f'], 2),
            ('q', Some('u'), _) => (&['k'], 2),
            ('g', Some('u'), Some('e' | 'i' | 'y')) => (&['g'], 2),
            ('g', Some('n'), _) => (&['n'], 2),
            ('c', Some('k'), _) => (&['k'], 2),
            ('c', Some('e' | 'i' | 'y'), _) => (&['s'], 1),
            ('e', Some('a'), Some('u')) => (&['o'], 3),
            ('a', Some('u'), _) => (&['o'], 2),
            ('o', Some('u'), _) => (&['u'], 2),
            ('a' | 'e', Some('i'), _) if !matches!(after, Some('n' | 'm')) => (&['e'], 2),
            // Nasal vowels: a vowel + n/m not followed by a vowel (or by n/m).
            ('e', Some('a'), Some('n' | 'm')) if nasal(at(i + 3)) => (&['a', 'n'], 3),
            ('a' | 'e', Some('n' | 'm'), _) if nasal(after) => (&['a', 'n'], 2),
            ('a' | 'e', Some('i'), Some('n' | 'm')) if nasal(at(i + 3)) => (&['i', 'n'], 3),
            ('i' | 'y', Some('n' | 'm'), _) if nasal(after) => (&['i', 'n'], 2),
            ('o', Some('n' | 'm'), _) if nasal(after) => (&['o', 'n'], 2),
            ('u', Some('n' | 'm'), _) if nasal(after) => (&['i', 'n'], 2),
            ('c' | 'q' | 'k', _, _) => (&['k'], 1),
            ('z', _, _) => (&['s'], 1),
            ('w', _, _) => (&['v'], 1),
            ('y', _, _) => (&['i'], 1),
            ('h', _, _) => (&[], 1),
            _ => (&[], 0),
        };
        if used == 0 {
            out.push(c);
            i += 1;
        } else {
            out.extend_from_slice(sound);
            i += used;
        }
    }
    // Silent endings: a final -e (or -es), else one final -s, -t or -d;
    // a consonant before a final -e is heard (Baptiste), so it stays.
    if out.len() > 2 && out.ends_with(&['e', 's']) {
        out.truncate(out.len() - 2);
    } else if (out.len() > 2 && out.last() == Some(&'e'))
        || (out.len() > 3 && matches!(out.last(), Some('s' | 't' | 'd')))
    {
        out.pop();
    }
    // Double letters sound single.
    out.dedup();
    out.into_iter().collect()
}

/// Whether n/m followed by `next` closes a nasal vowel.
fn nasal(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => !is_vowel(c) && c != 'n' && c != 'm',
    }
}

/// Similarity of two keys from 0 to 1: one minus the edit distance over the longer length.
pub fn similarity(a: &str, b: &str) -> f64 {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return 0.0;
    }
    1.0 - crate::text::edit_distance(a, b) as f64 / longest as f64
}

/// Dice coefficient of the letter pairs of two folded words, from 0 to 1:
/// catches spellings that share a block of letters in another position
/// (`Ockem` for `Kempf`).
pub fn bigram_dice(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let cs: Vec<char> = fold(s).chars().filter(|c| c.is_alphanumeric()).collect();
        cs.windows(2)
            .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
            .collect()
    };
    let (pa, mut pb) = (pairs(a), pairs(b));
    let total = pa.len() + pb.len();
    if total == 0 {
        return 0.0;
    }
    let mut shared = 0;
    for p in &pa {
        if let Some(pos) = pb.iter().position(|q| q == p) {
            pb.swap_remove(pos);
            shared += 1;
        }
    }
    2.0 * shared as f64 / total as f64
}

/// How well a surname heard matches a surname known: phonetic or letter-block likeness.
fn surname_similarity(heard: &str, known: &str) -> f64 {
    similarity(&phonetic_key(heard), &phonetic_key(known)).max(bigram_dice(heard, known))
}

/// Words of a name (split on spaces; a hyphenated word is one word).
fn name_words(name: &str) -> Vec<&str> {
    name.split_whitespace().collect()
}

/// How many of `participants` have `first` as their first name (as heard:
/// see [`same_name`]). A bare first name shared by two people names neither.
pub fn sharing_first_name(participants: &[Participant], first: &str) -> usize {
    participants
        .iter()
        .filter(|p| {
            p.name
                .split_whitespace()
                .next()
                .is_some_and(|f| same_name(f, first))
        })
        .count()
}

/// The same name up to case, accents and punctuation.
pub fn same_name(a: &str, b: &str) -> bool {
    let f = |s: &str| -> String {
        crate::text::words(s)
            .into_iter()
            .map(|w| w.folded)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (fa, fb) = (f(a), f(b));
    !fa.is_empty() && fa == fb
}

/// Whether `heard` (a run of capitalized words from the text) is a spelling
/// of the person `known`, and how sure, from 0 to 1. Both need the same
/// number of words, at least two: a surname must be there to compare.
///
/// Accepted when the surnames sound alike and the first names are close
/// ("Cantan Adam"), when the first names are equal and the surnames share
/// much ("Jean-Baptiste Ockem"), or when the whole names sound alike and
/// the surnames somewhat ("Horace Ion-Salès").
pub fn heard_as(heard: &str, known: &str) -> Option<f64> {
    let (hw, kw) = (name_words(heard), name_words(known));
    if hw.len() != kw.len() || hw.len() < 2 {
        return None;
    }
    let (h_last, h_first) = hw.split_last()?;
    let (k_last, k_first) = kw.split_last()?;
    let h_first = h_first.join(" ");
    let k_first = k_first.join(" ");
    let surname = surname_similarity(h_last, k_last);
    let first = similarity(&name_key(&h_first), &name_key(&k_first));
    let first_equal = same_name(&h_first, &k_first);
    let whole = similarity(&name_key(heard), &name_key(known));
    let score = if surname >= 0.75 && first >= 0.6 {
        (surname + first) / 2.0
    } else if first_equal && surname >= 0.45 {
        0.5 + surname / 3.0
    } else if whole >= 0.8 && surname >= 0.5 {
        whole * 0.85
    } else {
        return None;
    };
    Some(score.clamp(0.0, 1.0))
}

/// A run of capitalized words in a text: a possible name, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRun {
    /// The words, as written, joined by single spaces (punctuation at the ends removed).
    pub words: Vec<String>,
    /// Byte offset of the first word in the text.
    pub start: usize,
}

/// Lowercase particles that may sit inside a name ("Charles de Gaulle").
const PARTICLES: &[&str] = &["de", "du", "des", "d", "van", "von", "der", "di", "da"];

/// The runs of capitalized words of `text` (a word starts with an uppercase
/// letter; lowercase particles may join two of them). Runs are cut at
/// sentence punctuation and commas; a capitalized function word (`Et`,
/// `Donc`) does not start a run.
pub fn capitalized_runs(text: &str) -> Vec<NameRun> {
    let mut runs = Vec::new();
    let mut current: Option<NameRun> = None;
    let mut pending_particle: Option<String> = None;
    for (start, raw) in split_with_offsets(text) {
        // Most words start in lowercase, outside any run: nothing to do
        // (with no run, there is no particle pending either).
        if current.is_none() && raw.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
            continue;
        }
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let ends_clause = raw.ends_with([',', '.', '!', '?', ';', ':', '»', ')', '…']);
        let starts_clause = raw.starts_with(['«', '(', '"']);
        if starts_clause {
            flush(&mut current, &mut runs);
            pending_particle = None;
        }
        let initial_cap = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().any(char::is_lowercase);
        // Cheapest test first: most words have a lowercase letter.
        let all_caps = word.chars().all(|c| !c.is_lowercase())
            && word.chars().any(char::is_alphabetic)
            && word.chars().count() >= 2;
        let capitalized = initial_cap || all_caps;
        if capitalized && !word.is_empty() {
            let weak = starts_no_name(word);
            match current.as_mut() {
                Some(run) => {
                    if let Some(p) = pending_particle.take() {
                        run.words.push(p);
                    }
                    run.words.push(word.to_string());
                }
                None if !weak => {
                    current = Some(NameRun {
                        words: vec![word.to_string()],
                        start: start + lead,
                    });
                }
                None => {}
            }
        } else if current.is_some()
            && pending_particle.is_none()
            && !ends_clause
            // Folded only here: most words are neither capitalized nor after a name.
            && PARTICLES.contains(&fold(word).as_str())
        {
            pending_particle = Some(word.to_string());
            continue;
        } else {
            flush(&mut current, &mut runs);
            pending_particle = None;
        }
        if ends_clause {
            flush(&mut current, &mut runs);
            pending_particle = None;
        }
    }
    flush(&mut current, &mut runs);
    runs
}

/// Words that start sentences but never names: function words, fillers,
/// greetings (`Et`, `Donc`, `Bienvenue`, `Aujourd'hui`), judged on their first part.
fn starts_no_name(word: &str) -> bool {
    const GREETINGS: &[&str] = &[
        "bienvenue",
        "coucou",
        "hello",
        "voici",
        "bravo",
        "ouais",
        "hein",
    ];
    crate::text::words(word).first().is_some_and(|w| {
        is_function_word(&w.folded)
            || crate::analysis::vocabulary::is_title_stopword(&w.folded)
            || GREETINGS.contains(&w.folded.as_str())
    })
}

fn flush(current: &mut Option<NameRun>, runs: &mut Vec<NameRun>) {
    if let Some(run) = current.take() {
        runs.push(run);
    }
}

/// Whitespace-separated tokens of `text` with their byte offsets.
fn split_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if !c.is_whitespace() {
                break i;
            }
        };
        for (i, c) in chars.by_ref() {
            if c.is_whitespace() {
                return Some((start, text.get(start..i).unwrap_or_default()));
            }
        }
        Some((start, text.get(start..).unwrap_or_default()))
    })
}

/// Every spelling of `known` heard in `text`: windows of capitalized runs
/// with as many words as the name, that [`heard_as`] accepts, with scores.
/// The name's own spelling is not returned.
pub fn spellings_in(text: &str, known: &str) -> Vec<(String, f64)> {
    spellings_in_runs(&capitalized_runs(text), known)
}

/// [`spellings_in`], given the text's [`capitalized_runs`]: a caller that
/// looks for several names in one text finds its runs once.
pub fn spellings_in_runs(runs: &[NameRun], known: &str) -> Vec<(String, f64)> {
    let n = name_words(known).len();
    let mut found: Vec<(String, f64)> = Vec::new();
    if n < 2 {
        return found;
    }
    for run in runs {
        for window in run.words.windows(n) {
            let heard = window.join(" ");
            if same_name(&heard, known) {
                continue;
            }
            if let Some(score) = heard_as(&heard, known)
                && !found.iter().any(|(h, _)| same_name(h, &heard))
            {
                found.push((heard, score));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phonetic_keys() {
        for (a, b) in [
            ("Mensch", "Mench"),
            ("Zemb", "Semb"),
            ("Adam", "Haddan"),
            ("Quentin", "Kantin"),
            ("Gonzalès", "Gonzalez"),
            ("Pavléas", "Pavleas"),
            ("Philippe", "Filip"),
            ("Mathieu", "Matthieu"),
            ("Thomas", "Tomas"),
            ("Laurent", "Loran"),
            ("Christophe", "Kristof"),
            ("Lefebvre", "Lefebvre"),
        ] {
            assert_eq!(phonetic_key(a), phonetic_key(b), "{a} / {b}");
        }
        for (a, b) in [
            ("Mathieu", "Thieu"),
            ("Pierre", "Paul"),
            ("Zemb", "Thieu"),
            ("Kempf", "Kemp"),
        ] {
            assert_ne!(phonetic_key(a), phonetic_key(b), "{a} / {b}");
        }
        assert_eq!(phonetic_key("Jean-Baptiste"), "janbaptist");
        assert_eq!(phonetic_key(""), "");
        assert_eq!(phonetic_key("’-"), "");
    }

    #[test]
    fn heard_spellings_of_known_names() {
        for (heard, known) in [
            ("Arthur Mench", "Arthur Mensch"),
            ("Arthur Mech", "Arthur Mensch"),
            ("Cantan Adam", "Quentin Adam"),
            ("Quentin Haddan", "Quentin Adam"),
            ("Jean-Baptiste Ockem", "Jean-Baptiste Kempf"),
            ("Pierre Semb", "Pierre Zemb"),
            ("Constantin Pavlias", "Constantin Pavléas"),
            ("Horace Ion-Salès", "Horacio Gonzalez"),
        ] {
            assert!(heard_as(heard, known).is_some(), "{heard} / {known}");
        }
        for (heard, known) in [
            ("Pierre Thieu", "Pierre Zemb"),
            ("Thomas Serval", "Thomas Mathieu"),
            ("Jean-Baptiste Piacento", "Jean-Baptiste Kempf"),
            ("Mistral AI", "Arthur Mensch"),
            ("Arthur", "Arthur Mensch"),
            ("Pierre Zemb Thieu", "Pierre Zemb"),
            ("Guest Suite", "Quentin Adam"),
        ] {
            assert!(heard_as(heard, known).is_none(), "{heard} / {known}");
        }
    }

    #[test]
    fn runs_of_capitalized_words() {
        let runs = |t: &str| -> Vec<String> {
            capitalized_runs(t)
                .into_iter()
                .map(|r| r.words.join(" "))
                .collect()
        };
        assert_eq!(
            runs("on reçoit une légende, Arthur Mench, cofondateur de Mistral AI."),
            ["Arthur Mench", "Mistral AI"]
        );
        assert_eq!(runs("Et Thomas, qui tiens ?"), ["Thomas"]);
        assert_eq!(
            runs("avec Charles de Gaulle et Horace Ion-Salès"),
            ["Charles de Gaulle", "Horace Ion-Salès"]
        );
        assert_eq!(runs("Quentin ADAM"), ["Quentin ADAM"]);
        assert!(runs("rien en minuscules").is_empty());
        let text = "Merci Jean-Baptiste Ockem, fondateur";
        let run = capitalized_runs(text).into_iter().next().unwrap();
        assert_eq!(&text[run.start..run.start + 5], "Jean-");
    }

    #[test]
    fn spellings_found_in_text() {
        let text = "Cantan Adam, coucou Cantan. Bien sûr, je m'appelle Quentin Haddan, je suis le CEO. Quentin Adam aussi.";
        let found: Vec<String> = spellings_in(text, "Quentin Adam")
            .into_iter()
            .map(|(h, _)| h)
            .collect();
        assert_eq!(found, ["Cantan Adam", "Quentin Haddan"]);
        assert!(spellings_in("Pierre Thieu et Pierre", "Pierre Zemb").is_empty());
    }
}
