//! What a quote claims, compared with the transcript words it was matched
//! to: the differences that change what the person said (a negation added
//! or dropped, a number, quantity, unit or date changed, a name swapped, a
//! word replaced by another, a question turned into a statement) as opposed
//! to those that do not (fillers, a word added or left out, a misheard or
//! inflected word, case, accents, punctuation).
//!
//! French and English. Numbers compare by value, whichever way they are
//! written: "10 milliards", "dix milliards" and "10 000 000 000" are one
//! number; "plus d'un milliard" is another.

use crate::text::{Word, fold, is_function_word, words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a quote's claim differs from what the transcript says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A negation added or removed ("pas", "jamais", "rien", "not", "never"...).
    Negation,
    /// A number, quantity, unit or date that is not the transcript's.
    Number,
    /// A person, company or place that is not the one named.
    Name,
    /// A question made a statement, or a statement a question.
    Question,
    /// A word that says something replaced by another the transcript says
    /// in its place ("incapable" for "capable", "une réussite" for "un
    /// drame"): a synonym or a reversal, which only the two words tell.
    Wording,
    /// Words stitched together from separate places or separate speakers.
    Splice,
}

/// One difference that changes the claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    pub kind: ChangeKind,
    /// Empty when the quote leaves them out.
    pub quote: String,
    /// Empty when the transcript has none.
    pub transcript: String,
}

impl Change {
    pub fn new(kind: ChangeKind, quote: impl Into<String>, transcript: impl Into<String>) -> Self {
        Self {
            kind,
            quote: quote.into(),
            transcript: transcript.into(),
        }
    }
}

/// Words that negate a statement. `ne` alone is not one of them: spoken
/// French drops it ("je sais pas") and transcripts follow the speech.
const NEGATIONS: &[&str] = &[
    "pas", "jamais", "rien", "personne", "aucun", "aucune", "aucuns", "aucunes", "nul", "nulle",
    "guere", "not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "nowhere",
    "cannot",
];

/// Small words whose swap for another reverses a statement ("oui" for
/// "non", "plus" for "moins", "avant" for "après"), although they weigh
/// little when words are compared.
const REVERSIBLE: &[&str] = &[
    "oui", "non", "plus", "moins", "bien", "sans", "avant", "apres", "contre", "yes", "no", "more",
    "less", "without", "before", "after", "against",
];

/// Whether putting another word in this one's place can change what a
/// sentence claims: a word with meaning of its own, or a small word that
/// reverses one ("oui", "plus", "avant"...); not a function word or a filler.
pub fn says_something(folded: &str) -> bool {
    REVERSIBLE.contains(&folded) || !is_function_word(folded) && !is_filler(folded)
}

/// Spoken fillers, French and English: words a transcript may add inside a
/// quote without changing what it says.
pub fn is_filler(folded: &str) -> bool {
    matches!(
        folded,
        "euh"
            | "heu"
            | "hum"
            | "hmm"
            | "ben"
            | "bah"
            | "beh"
            | "hein"
            | "bon"
            | "voila"
            | "genre"
            | "quoi"
            | "enfin"
            | "bref"
            | "donc"
            | "alors"
            | "uh"
            | "um"
            | "er"
            | "erm"
            | "like"
            | "well"
            | "so"
    )
}

/// How many negations the words hold (English `n't`, split by tokenization
/// into `don` + `t`, counts too). A `ne` with no negation word after it
/// counts on its own ("il n'y a plusieurs étapes" denies what "il y a
/// plusieurs étapes" states), except in "n'importe" and "ne ... que" (only).
pub fn negations(folded: &[&str]) -> usize {
    let mut count = 0;
    for (i, w) in folded.iter().enumerate() {
        let contracted = *w == "t"
            && i.checked_sub(1)
                .and_then(|p| folded.get(p))
                .is_some_and(|prev| prev.ends_with('n') && prev.len() >= 2);
        let next = folded
            .get(i + 1..(i + 6).min(folded.len()))
            .unwrap_or_default();
        let before = folded.get(i.saturating_sub(3)..i).unwrap_or_default();
        let lone_ne = matches!(*w, "ne" | "n")
            && next.first() != Some(&"importe")
            && !before.iter().any(|b| NEGATIONS.contains(b))
            && !next
                .iter()
                .any(|n| NEGATIONS.contains(n) || matches!(*n, "que" | "qu"));
        if NEGATIONS.contains(w) || contracted || lone_ne {
            count += 1;
        }
    }
    count
}

/// The value of a number word, French or English (`quatre`, `vingt`, `cent`,
/// `milliard`, `twenty`, `billion`...). `un`/`une`/`one` are numbers only
/// next to another number word (they are articles otherwise).
fn number_word(folded: &str) -> Option<f64> {
    let v = match folded {
        "zero" => 0.0,
        "un" | "une" | "one" => 1.0,
        "deux" | "two" => 2.0,
        "trois" | "three" => 3.0,
        "quatre" | "four" => 4.0,
        "cinq" | "five" => 5.0,
        "six" => 6.0,
        "sept" | "seven" => 7.0,
        "huit" | "eight" => 8.0,
        "neuf" | "nine" => 9.0,
        "dix" | "ten" => 10.0,
        "onze" | "eleven" => 11.0,
        "douze" | "twelve" => 12.0,
        "treize" | "thirteen" => 13.0,
        "quatorze" | "fourteen" => 14.0,
        "quinze" | "fifteen" => 15.0,
        "seize" | "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "vingt" | "vingts" | "twenty" => 20.0,
        "trente" | "thirty" => 30.0,
        "quarante" | "forty" => 40.0,
        "cinquante" | "fifty" => 50.0,
        "soixante" | "sixty" => 60.0,
        "septante" | "seventy" => 70.0,
        "huitante" | "octante" | "eighty" => 80.0,
        "nonante" | "ninety" => 90.0,
        "cent" | "cents" | "hundred" | "hundreds" => 100.0,
        "mille" | "milles" | "thousand" | "thousands" => 1e3,
        "million" | "millions" => 1e6,
        "milliard" | "milliards" | "billion" | "billions" => 1e9,
        _ => return None,
    };
    Some(v)
}

fn is_article_one(folded: &str) -> bool {
    matches!(folded, "un" | "une" | "one")
}

/// The folded word as compared between a quote and a transcript: number
/// words become their digits (`dix` -> `10`), so "dix ans" and "10 ans" meet.
pub fn comparable(folded: &str) -> String {
    match number_word(folded) {
        Some(v) if !is_article_one(folded) && v < 100.0 => format!("{v}"),
        _ => folded.to_string(),
    }
}

/// The numbers a text states, by value, in order: digits (`1 000`, `3,5`,
/// `6.5`), number words (`vingt-deux`, `quatre-vingts`, `dix milliards`) and
/// mixes (`6 milliards`, `1,5 million`).
pub fn numbers(text: &str) -> Vec<f64> {
    numbers_at(text).into_iter().map(|(v, _)| v).collect()
}

/// The numbers a text states as it writes them, each with its value and
/// the unit or date word that follows within two words ("dix milliards
/// d'euros", "5 ans").
fn number_phrases(text: &str) -> Vec<(f64, Option<&'static str>, String)> {
    let ws = words(text);
    numbers_at(text)
        .into_iter()
        .filter_map(|(value, span)| {
            let last = ws.iter().position(|w| w.span.end == span.end)?;
            let unit = ws
                .get(last + 1..(last + 3).min(ws.len()))
                .unwrap_or_default()
                .iter()
                .find_map(|w| unit_of(&w.folded).map(|u| (u, w.span.end)));
            let end = unit.map_or(span.end, |(_, end)| end);
            let written = text.get(span.start..end)?.to_string();
            Some((value, unit.map(|(u, _)| u), written))
        })
        .collect()
}

/// The numbers, quantities, units and dates that differ between a quote and
/// what was said, as each writes them (`None` when they agree): "dix ans"
/// against "cinq ans", "dix milliards d'euros" against "un milliard d'euros".
pub fn number_change(quote: &str, said: &str) -> Option<(String, String)> {
    let mut ours = number_phrases(quote);
    let mut theirs = number_phrases(said);
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(1.0);
    ours.retain(|(v, u, _)| {
        match theirs
            .iter()
            .position(|(tv, tu, _)| same(*v, *tv) && (u == tu || u.is_none() || tu.is_none()))
        {
            Some(i) => {
                theirs.remove(i);
                false
            }
            None => true,
        }
    });
    let mut quote_side: Vec<String> = ours.into_iter().map(|(_, _, w)| w).collect();
    let mut said_side: Vec<String> = theirs.into_iter().map(|(_, _, w)| w).collect();
    // Units and dates named without a number ("en mars", "des années").
    if quote_side.is_empty() && said_side.is_empty() {
        let bare = |text: &str| {
            let folded: Vec<String> = words(text).into_iter().map(|w| w.folded).collect();
            units(&folded.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let (qu, su) = (bare(quote), bare(said));
        if qu != su {
            quote_side.push(qu.join(" "));
            said_side.push(su.join(" "));
        }
    }
    (!quote_side.is_empty() || !said_side.is_empty())
        .then(|| (quote_side.join(", "), said_side.join(", ")))
}

/// [`numbers`], each with the bytes of `text` that write it.
fn numbers_at(text: &str) -> Vec<(f64, std::ops::Range<usize>)> {
    let ws = words(text);
    let mut out = Vec::new();
    // Where the number being read starts and ends.
    let mut from = 0;
    let mut to = 0;
    // The number being read: `total` of finished scales, `group` below the next scale.
    let mut current: Option<(f64, f64)> = None;
    let mut i = 0;
    while let Some(w) = ws.get(i) {
        let next = ws.get(i + 1);
        // A scale is a word ("mille", "millions", "billion"): digits are a
        // number of their own, however large ("1253 milliards" is 1 253 times
        // a billion, not a billion and 1 253).
        let (value, used, scale) = match digits(text, &ws, i) {
            Some((value, used)) => (value, used, false),
            None => match number_word(&w.folded) {
                Some(v)
                    if !is_article_one(&w.folded)
                        || current.is_some()
                        || next.is_some_and(|n| number_word(&n.folded).is_some()) =>
                {
                    (v, 1, v >= 1e3)
                }
                // "vingt et un": `et` joins tens to un/une/onze.
                _ if w.folded == "et"
                    && current.is_some()
                    && next.is_some_and(|n| matches!(n.folded.as_str(), "un" | "une" | "onze")) =>
                {
                    i += 1;
                    continue;
                }
                _ => {
                    if let Some((total, group)) = current.take() {
                        out.push((total + group, from..to));
                    }
                    i += 1;
                    continue;
                }
            },
        };
        let starts = current.is_none();
        let (total, group) = current.unwrap_or((0.0, 0.0));
        let span_start = w.span.start;
        let span_end = ws.get(i + used - 1).map_or(w.span.end, |l| l.span.end);
        if starts {
            from = span_start;
        }
        current = Some(if scale {
            (total + group.max(1.0) * value, 0.0)
        } else if value == 100.0 {
            (total, group.max(1.0) * 100.0)
        } else if value == 20.0 && group == 4.0 {
            // quatre-vingt(s)
            (total, 80.0)
        } else if group > 0.0
            && ((group % 10.0 == 0.0 && (1.0..10.0).contains(&value))
                || (value < group && group >= 20.0))
        {
            // "vingt-deux", "dix-huit", "deux cent cinquante".
            (total, group + value)
        } else if group > 0.0 {
            // Two numbers side by side ("10 15"): two numbers.
            out.push((total + group, from..to));
            from = span_start;
            (0.0, value)
        } else {
            (total, value)
        });
        to = span_end;
        i += used;
    }
    if let Some((total, group)) = current {
        out.push((total + group, from..to));
    }
    out
}

/// A number written in digits starting at word `i`: its value and how many
/// words it spans (`1 000` is two words, `3,5` two, `2024` one).
fn digits(text: &str, ws: &[Word], i: usize) -> Option<(f64, usize)> {
    let first = ws.get(i)?;
    if !first.folded.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: f64 = first.folded.parse().ok()?;
    let mut used = 1;
    let mut end = first.span.end;
    while let Some(w) = ws.get(i + used) {
        if !w.folded.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        let between = text.get(end..w.span.start).unwrap_or("x");
        let three = w.folded.len() == 3;
        match between {
            // Thousands: "1 000", "1.000", "1,000".
            " " | "\u{a0}" | "\u{202f}" | "." | "," if three => {
                value = value * 1000.0 + w.folded.parse::<f64>().ok()?;
            }
            // A decimal part: "3,5", "6.25".
            "," | "." => {
                let fraction: f64 = format!("0.{}", w.folded).parse().ok()?;
                value += fraction;
                used += 1;
                break;
            }
            _ => break,
        }
        end = w.span.end;
        used += 1;
    }
    Some((value, used))
}

/// Words that give a number its unit or make it a date: a change of one of
/// these ("dix ans" / "dix mois", "en mars" / "en mai") changes the claim.
fn unit_of(folded: &str) -> Option<&'static str> {
    const UNITS: &[(&str, &[&str])] = &[
        ("euro", &["euro", "euros", "eur"]),
        ("dollar", &["dollar", "dollars", "usd"]),
        ("percent", &["pourcent", "pourcents", "percent"]),
        ("year", &["an", "ans", "annee", "annees", "year", "years"]),
        ("month", &["mois", "month", "months"]),
        ("week", &["semaine", "semaines", "week", "weeks"]),
        (
            "day",
            &["jour", "jours", "journee", "journees", "day", "days"],
        ),
        ("hour", &["heure", "heures", "hour", "hours"]),
        ("minute", &["minute", "minutes"]),
        ("second", &["seconde", "secondes", "second", "seconds"]),
        ("metre", &["metre", "metres", "meter", "meters", "m"]),
        ("kilometre", &["kilometre", "kilometres", "km"]),
        (
            "kilogram",
            &["kilo", "kilos", "kg", "kilogramme", "kilogrammes"],
        ),
        ("tonne", &["tonne", "tonnes", "ton", "tons"]),
        ("january", &["janvier", "january"]),
        ("february", &["fevrier", "february"]),
        ("march", &["mars", "march"]),
        ("april", &["avril", "april"]),
        ("may", &["mai"]),
        ("june", &["juin", "june"]),
        ("july", &["juillet", "july"]),
        ("august", &["aout", "august"]),
        ("september", &["septembre", "september"]),
        ("october", &["octobre", "october"]),
        ("november", &["novembre", "november"]),
        ("december", &["decembre", "december"]),
    ];
    UNITS
        .iter()
        .find(|(_, forms)| forms.contains(&folded))
        .map(|(unit, _)| *unit)
}

/// The units and dates a text names, sorted.
pub fn units(folded: &[&str]) -> Vec<&'static str> {
    let mut out: Vec<&str> = folded.iter().filter_map(|w| unit_of(w)).collect();
    out.sort_unstable();
    out
}

/// How a text ends: `?`, `!`, `.` or nothing.
pub fn final_mark(text: &str) -> Option<char> {
    text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '"' | '”' | ')' | '’'))
        .chars()
        .last()
        .filter(|c| matches!(c, '?' | '!' | '.' | '…'))
}

/// The capitalized words of a text that name something: not the first word
/// of a sentence, not a function word. Returned with their folded form.
pub fn names(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    let mut last_end = 0;
    for w in words(text) {
        let before = text.get(last_end..w.span.start).unwrap_or("");
        if last_end == 0 || before.contains(['.', '!', '?', '…', ':', '«', '"']) {
            sentence_start = true;
        }
        last_end = w.span.end;
        let raw = text.get(w.span.clone()).unwrap_or("");
        let capitalized = raw.chars().next().is_some_and(char::is_uppercase);
        // An acronym ("AI", "GPU") names something even when it spells a small word.
        let acronym = raw.chars().count() >= 2 && raw.chars().all(char::is_uppercase);
        if capitalized && !sentence_start && (acronym || !is_function_word(&w.folded)) {
            out.push((raw.to_string(), w.folded.clone()));
        }
        sentence_start = false;
    }
    out
}

/// Numbers compared by value (rounded to a millionth).
pub fn same_numbers(a: &[f64], b: &[f64]) -> bool {
    let key = |v: &[f64]| {
        let mut k: Vec<i64> = v.iter().map(|x| (x * 1e6).round() as i64).collect();
        k.sort_unstable();
        k
    };
    key(a) == key(b)
}

/// Written numbers as a person reads them back ("10000000000" for "dix milliards").
pub fn show_numbers(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", *v as i64)
            } else {
                format!("{v}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Folds a name's words for comparison with a text's words.
pub fn name_words(name: &str) -> Vec<String> {
    words(name).into_iter().map(|w| fold(&w.folded)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.folded).collect()
    }

    fn count(text: &str) -> usize {
        let f = folded(text);
        negations(&f.iter().map(String::as_str).collect::<Vec<_>>())
    }

    #[test]
    fn negations_in_french_and_english() {
        for (text, n) in [
            ("je sais", 0),
            ("je ne sais pas", 1),
            ("je sais pas", 1),
            ("on ne l'a jamais fait", 1),
            ("il n'y a rien", 1),
            ("personne ne le sait", 1),
            ("aucune envie", 1),
            ("I don't know", 1),
            ("it is not true", 1),
            ("we never did", 1),
            ("nothing changed and nobody knew", 2),
            ("we can go", 0),
            ("we cannot go", 1),
            // A lone "ne" denies; "ne ... que" restricts; "n'importe" is no negation.
            ("il n'y a plusieurs étapes", 1),
            ("il n'y a que deux étapes", 0),
            ("n'importe quoi", 0),
            ("rien ne change", 1),
        ] {
            assert_eq!(count(text), n, "{text}");
        }
    }

    #[test]
    fn numbers_by_value() {
        for (text, want) in [
            ("lever plus d'un milliard d'euros", vec![1e9]),
            ("lever plus de dix milliards d'euros", vec![1e10]),
            ("lever 10 milliards", vec![1e10]),
            ("une entreprise valorisée 6 milliards d'euros", vec![6e9]),
            ("10 000 000 000 d'euros", vec![1e10]),
            ("1,5 million de personnes", vec![1.5e6]),
            ("il y a cinq ans", vec![5.0]),
            ("en 2024, puis en 2025", vec![2024.0, 2025.0]),
            ("quatre-vingt-dix-neuf", vec![99.0]),
            ("vingt et un ans", vec![21.0]),
            ("deux cent cinquante mille", vec![250_000.0]),
            ("une personne, un projet", vec![]),
            ("3,5 %", vec![3.5]),
            ("ten billion dollars", vec![1e10]),
            ("one hundred and twenty", vec![100.0, 20.0]),
            // Digits times a scale word: 1 253 billions, not a billion and 1 253.
            (
                "une valorisation de 1250 milliards de dollars",
                vec![1.25e12],
            ),
            ("1 000 milliards", vec![1e12]),
            ("2.5 billion", vec![2.5e9]),
            ("2 millions 500 000", vec![2.5e6]),
            ("deux mille vingt", vec![2020.0]),
        ] {
            assert_eq!(numbers(text), want, "{text}");
        }
        assert!(same_numbers(
            &numbers("dix milliards"),
            &numbers("10 milliards")
        ));
        assert!(!same_numbers(
            &numbers("dix milliards"),
            &numbers("un milliard")
        ));
        assert_eq!(
            number_change(
                "lever plus de dix milliards d'euros en 2024",
                "lever plus d'un milliard d'euros en 2024"
            ),
            Some(("dix milliards d'euros".into(), "un milliard d'euros".into()))
        );
        assert_eq!(
            number_change(
                "deux fois moins qu'il y a dix ans",
                "deux fois moins qu'il y a cinq ans"
            ),
            Some(("dix ans".into(), "cinq ans".into()))
        );
        assert_eq!(
            number_change("il y a dix ans", "il y a dix mois"),
            Some(("dix ans".into(), "dix mois".into()))
        );
        assert_eq!(number_change("10 milliards", "dix milliards"), None);
        assert_eq!(
            number_change(
                "de 1253 milliards de dollars",
                "de 1250 milliards de dollars."
            ),
            Some((
                "1253 milliards de dollars".into(),
                "1250 milliards de dollars".into()
            ))
        );
        assert_eq!(
            number_change("en mars", "en mai"),
            Some(("march".into(), "may".into()))
        );
    }

    #[test]
    fn comparable_words_meet_across_spellings() {
        assert_eq!(comparable("dix"), "10");
        assert_eq!(comparable("un"), "un");
        assert_eq!(comparable("milliards"), "milliards");
    }

    #[test]
    fn units_marks_and_names() {
        let f = folded("dix ans et trois mois, en mars");
        let f: Vec<&str> = f.iter().map(String::as_str).collect();
        assert_eq!(units(&f), vec!["march", "month", "year"]);
        assert_eq!(final_mark("Vraiment ?"), Some('?'));
        assert_eq!(final_mark("« C'est fini. »"), Some('.'));
        assert_eq!(final_mark("sans fin"), None);
        let n: Vec<String> = names("Le patron de Mistral AI. Arthur Mensch le dit.")
            .into_iter()
            .map(|(raw, _)| raw)
            .collect();
        assert_eq!(n, vec!["Mistral", "AI", "Mensch"]);
    }
}
