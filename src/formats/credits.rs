//! Who is on an episode, what show it belongs to and when it aired, read
//! from the French sentences pages print above a transcript:
//!
//! - `X a reçu A, rôle, B, rôle, et C, rôle.` (X a person: the host)
//! - `SHOW reçoit A (affiliation) et B (affiliation)` (a subject that is not a
//!   person's name is the show)
//! - `dans l'émission Tech & Co, ...` / `le podcast X`
//! - `Présenté par H` / `Animé par H - @handle`
//! - `avec la participation de : A, B et C`
//! - dates: `enregistré le ...` is the recording date, any other the publication date.
//!
//! Shared by every layout whose page carries such a description.

use crate::formats::dates;
use crate::model::{Participant, Role};
use crate::text::sentences::sentences;
use crate::text::{collapse_ws, normal_case_name};
use chrono::NaiveDate;

/// What a description says about an episode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credits {
    pub show: Option<String>,
    pub published: Option<NaiveDate>,
    pub recorded: Option<NaiveDate>,
    /// Hosts first, then guests, each once.
    pub participants: Vec<Participant>,
}

impl Credits {
    /// Adds a person, or completes the one already listed under that name.
    pub fn add(&mut self, person: Participant) {
        if let Some(existing) = self
            .participants
            .iter_mut()
            .find(|p| same_name(&p.name, &person.name))
        {
            if existing.role == Role::Unknown
                || (existing.role == Role::Guest && person.role == Role::Host)
            {
                existing.role = person.role;
            }
            if existing.affiliation.is_none() {
                existing.affiliation = person.affiliation;
            }
            if existing.handle.is_none() {
                existing.handle = person.handle;
            }
        } else {
            self.participants.push(person);
        }
    }

    /// Fills what `self` lacks from `other`.
    pub fn merge(&mut self, other: Credits) {
        self.show = self.show.take().or(other.show);
        self.published = self.published.or(other.published);
        self.recorded = self.recorded.or(other.recorded);
        for p in other.participants {
            self.add(p);
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    crate::text::fold(a) == crate::text::fold(b)
}

/// A participant with a name in normal case.
pub fn person(
    name: &str,
    role: Role,
    affiliation: Option<String>,
    handle: Option<String>,
) -> Participant {
    Participant {
        name: normal_case_name(name),
        role,
        affiliation: affiliation
            .map(|a| collapse_ws(&a))
            .filter(|a| !a.is_empty()),
        handle,
        aliases: Vec::new(),
    }
}

/// Reads a free-text description (one paragraph or several sentences).
pub fn from_description(text: &str, today: NaiveDate) -> Credits {
    let mut credits = Credits::default();
    for sentence in sentences(&collapse_ws(text)) {
        read_sentence(sentence, today, &mut credits);
    }
    credits
}

fn read_sentence(sentence: &str, today: NaiveDate, credits: &mut Credits) {
    if let Some(found) = dates::find_date(sentence, today) {
        let before = sentence.get(..found.start).unwrap_or("");
        let recorded = crate::text::static_regex!(r"(?i)(enregistr|tourn)[ée]").is_match(
            before
                .get(before.len().saturating_sub(60)..)
                .unwrap_or(before),
        );
        if recorded {
            credits.recorded = credits.recorded.or(Some(found.date));
        } else {
            credits.published = credits.published.or(Some(found.date));
        }
    }
    if let Some(show) = show_named(sentence) {
        credits.show = credits.show.take().or(Some(show));
    }
    if let Some((host, handle)) = presenter(sentence) {
        credits.add(person(&host, Role::Host, None, handle));
    }
    if let Some(list) = after_phrase(
        sentence,
        crate::text::static_regex!(r"(?i)avec la participation (?:de|d['’])\s*:?\s*"),
    ) {
        for (name, aff) in people_list(list) {
            credits.add(person(&name, Role::Guest, aff, None));
        }
    }
    read_reception(sentence, today, credits);
}

/// `X a reçu LIST` / `X reçoit LIST`: X is the host when it is a person's name, else the show.
fn read_reception(sentence: &str, today: NaiveDate, credits: &mut Credits) {
    let verb = crate::text::static_regex!(
        r"\s(?:a reçu|reçoit|recevait|recevra|accueille|a accueilli|accueillait|invite|a invité)\s+"
    );
    let Some(m) = verb.find(sentence) else { return };
    let prefix = sentence.get(..m.start()).unwrap_or("");
    let mut subject = prefix.rsplit(',').next().unwrap_or(prefix).trim();
    if let Some(found) = dates::find_date(subject, today) {
        subject = subject
            .get(found.end..)
            .unwrap_or("")
            .trim_start_matches([',', ' ']);
    }
    let subject = subject.trim();
    if is_person_name(subject) {
        credits.add(person(subject, Role::Host, None, None));
    } else if looks_like_show(subject) {
        credits.show = credits.show.take().or(Some(subject.to_string()));
    }
    let list = sentence.get(m.end()..).unwrap_or("");
    for (name, aff) in people_list(list) {
        credits.add(person(&name, Role::Guest, aff, None));
    }
}

/// `dans l'émission Tech & Co, la quotidienne` -> `Tech & Co`.
fn show_named(sentence: &str) -> Option<String> {
    let re = crate::text::static_regex!(
        r"(?i:l['’]émission|le podcast|le magazine|le programme|la chronique|l['’]épisode de)\s+(\p{Lu}[^,.;:()«»]*?)(?:\s*[,.;:(]|\s+(?:sur|de|du|avec|présentée?|animée?|diffusée?)\s|$)"
    );
    let name = re.captures(sentence)?.get(1)?.as_str().trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// `Présenté par Horacio Gonzalez - @LostInBrittany avec ...` -> the name and handle.
pub fn presenter(line: &str) -> Option<(String, Option<String>)> {
    let rest = after_phrase(
        line,
        crate::text::static_regex!(
            r"(?i)\b(?:présentée?s?|animée?s?|hosted|presented)\s+(?:par|by)\s+"
        ),
    )?;
    let end = crate::text::static_regex!(r"(?i)\s+avec\s|\s*[,;(]|\s*[-–—]\s*@|\s*\.(?:\s|$)|$")
        .find(rest)?;
    let name = rest.get(..end.start())?.trim();
    let handle = crate::text::static_regex!(r"^\s*[-–—]?\s*(@\w+)")
        .captures(rest.get(end.start()..)?)
        .and_then(|c| c.get(1));
    is_plausible_name(name).then(|| (name.to_string(), handle.map(|h| h.as_str().to_string())))
}

fn after_phrase<'a>(text: &'a str, re: &regex::Regex) -> Option<&'a str> {
    let m = re.find(text)?;
    text.get(m.end()..)
}

/// A list of people: `A, rôle, B, rôle, et C, rôle` or `A (aff) et B (aff)`.
/// Returns names with the role or affiliation written next to them.
pub fn people_list(list: &str) -> Vec<(String, Option<String>)> {
    // The list stops where the sentence moves on to the topic.
    let stop = crate::text::static_regex!(
        r"\s+(?:pour (?:parler|évoquer|discuter|débattre|décrypter)|afin de|autour d[eu']|au sujet d|à propos d)\b"
    );
    let list = stop
        .find(list)
        .map_or(list, |m| list.get(..m.start()).unwrap_or(list));
    let list = list.trim().trim_end_matches(['.', ' ', ':', ';']);
    let mut people: Vec<(String, Option<String>)> = Vec::new();
    for piece in split_top_level(list, ',') {
        for item in split_names_on_et(piece) {
            let (head, paren) = split_paren(item);
            let head = head.trim();
            let head = head
                .strip_prefix("et ")
                .or_else(|| head.strip_prefix("and "))
                .unwrap_or(head)
                .trim();
            if is_person_name(head) {
                people.push((head.to_string(), paren));
            } else if let Some(last) = people.last_mut() {
                // An apposition after a name is that person's role.
                let role = collapse_ws(item.trim().strip_prefix("et ").unwrap_or(item.trim()));
                if role.is_empty() {
                    continue;
                }
                last.1 = Some(match last.1.take() {
                    Some(prev) => format!("{prev}, {role}"),
                    None => role,
                });
            }
        }
    }
    people
}

/// Splits on `sep` outside parentheses.
fn split_top_level(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            c if c == sep && depth <= 0 => {
                out.push(s.get(start..i).unwrap_or(""));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out
}

/// `A (x) et B (y)` -> two items; `directeur et responsable` stays one, since
/// what follows `et` is not a name.
fn split_names_on_et(piece: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = piece;
    loop {
        let mut depth = 0i32;
        let mut cut = None;
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ' ' if depth <= 0 && i > 0 => {
                    let tail = rest.get(i..).unwrap_or("");
                    if let Some(after) = tail
                        .strip_prefix(" et ")
                        .or_else(|| tail.strip_prefix(" and "))
                    {
                        let (head, _) = split_paren(after);
                        let head = head.split(',').next().unwrap_or("").trim();
                        if is_person_name(head) {
                            cut = Some((i, i + tail.len() - after.len()));
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
        match cut {
            Some((end, next)) => {
                out.push(rest.get(..end).unwrap_or(""));
                rest = rest.get(next..).unwrap_or("");
            }
            None => {
                out.push(rest);
                return out;
            }
        }
    }
}

/// `Name (affiliation)` -> (`Name`, Some(`affiliation`)).
fn split_paren(item: &str) -> (&str, Option<String>) {
    let item = item.trim();
    if let Some(open) = item.find('(')
        && let Some(close) = item.rfind(')')
        && close > open
    {
        let inner = item.get(open + 1..close).unwrap_or("").trim();
        let head = item.get(..open).unwrap_or("");
        return (head, (!inner.is_empty()).then(|| inner.to_string()));
    }
    (item, None)
}

/// Words that start a role, never a name ("Directeur de Baracoda").
const ROLE_WORDS: &[&str] = &[
    "directeur",
    "directrice",
    "président",
    "présidente",
    "fondateur",
    "fondatrice",
    "cofondateur",
    "cofondatrice",
    "co-fondateur",
    "co-fondatrice",
    "pdg",
    "ceo",
    "cto",
    "coo",
    "cfo",
    "dg",
    "avocat",
    "avocate",
    "professeur",
    "professeure",
    "chercheur",
    "chercheuse",
    "journaliste",
    "responsable",
    "associé",
    "associée",
    "expert",
    "experte",
    "auteur",
    "autrice",
    "ingénieur",
    "ingénieure",
    "ministre",
    "député",
    "députée",
    "sénateur",
    "sénatrice",
    "maire",
    "docteur",
    "docteure",
    "head",
    "chief",
    "founder",
    "vice-président",
    "vice-présidente",
    "rédacteur",
    "rédactrice",
    "chroniqueur",
    "chroniqueuse",
    "consultant",
    "consultante",
    "analyste",
    "économiste",
    "spécialiste",
    "patron",
    "patronne",
    "membre",
    "porte-parole",
    "secrétaire",
    "délégué",
    "déléguée",
    "manager",
    "partner",
    "investisseur",
    "investisseuse",
    "entrepreneur",
    "entrepreneuse",
    "ancien",
    "ancienne",
    "notre",
    "le",
    "la",
    "les",
    "un",
    "une",
    "ce",
    "cette",
    "son",
    "sa",
    "leur",
    "il",
    "elle",
    "ils",
    "elles",
    "on",
    "nous",
    "vous",
    "ce",
    "mardi",
    "lundi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
];

/// Particles allowed inside a name: `Charles de Gaulle`, `Ludwig van Beethoven`.
const PARTICLES: &[&str] = &[
    "de", "du", "des", "d'", "d’", "van", "von", "der", "den", "la", "le", "di", "da", "del",
    "ben", "el", "al",
];

/// Whether `s` is a person's name: 2 to 5 words, the first capitalised (not
/// all capitals, not a role word), the others capitalised or particles.
pub fn is_person_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) {
        return false;
    }
    let Some(first) = words.first() else {
        return false;
    };
    if ROLE_WORDS
        .iter()
        .any(|r| crate::text::fold(r) == crate::text::fold(first))
    {
        return false;
    }
    let first_ok = starts_upper(first) && first.chars().any(char::is_lowercase);
    let last_ok = words.last().is_some_and(|w| starts_upper(w));
    first_ok && last_ok && words.iter().all(|w| name_word(w))
}

/// Looser than [`is_person_name`]: one to five name words, for lines that
/// are known to hold a name (a presenter, a credits list).
pub fn is_plausible_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.first().is_some_and(|w| starts_upper(w))
        && words.iter().all(|w| name_word(w))
}

fn name_word(w: &str) -> bool {
    let is_particle = PARTICLES.contains(&w) || w.starts_with("d'") || w.starts_with("d’");
    let chars_ok = w
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
    chars_ok && (is_particle || starts_upper(w))
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// A show's name: a short capitalised phrase that is not a pronoun or a date word.
fn looks_like_show(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    (1..=6).contains(&words.len())
        && starts_upper(first)
        && !ROLE_WORDS
            .iter()
            .any(|r| crate::text::fold(r) == crate::text::fold(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn names(c: &Credits) -> Vec<(&str, Role, Option<&str>)> {
        c.participants
            .iter()
            .map(|p| (p.name.as_str(), p.role, p.affiliation.as_deref()))
            .collect()
    }

    /// Asserts what a description's credits say: show, date and people.
    fn credits_of(
        description: &str,
        show: &str,
        published: (i32, u32, u32),
        people: &[(&str, Role, Option<&str>)],
    ) {
        let c = from_description(description, today());
        assert_eq!(c.show.as_deref(), Some(show));
        let (y, m, d) = published;
        assert_eq!(c.published, NaiveDate::from_ymd_opt(y, m, d));
        assert_eq!(names(&c), people);
    }

    #[test]
    fn host_a_recu_guests_with_appositions() {
        credits_of(
            "Ce mardi 3 février, François Sorel a reçu Arnaud Auger, directeur et responsable adjoint du C.Lab de Cathay Innovation à San Francisco, Lucas Perraudin, président de AI to Market Group, et Thomas Serval, PDG de Baracoda. Ils se sont penchés sur Moltbook, dans l'émission Tech & Co, la quotidienne, sur BFM Business.",
            "Tech & Co",
            (2026, 2, 3),
            &[
                ("François Sorel", Role::Host, None),
                (
                    "Arnaud Auger",
                    Role::Guest,
                    Some(
                        "directeur et responsable adjoint du C.Lab de Cathay Innovation à San Francisco",
                    ),
                ),
                (
                    "Lucas Perraudin",
                    Role::Guest,
                    Some("président de AI to Market Group"),
                ),
                ("Thomas Serval", Role::Guest, Some("PDG de Baracoda")),
            ],
        );
    }

    #[test]
    fn show_recoit_guests_with_parentheses() {
        credits_of(
            "Mardi 19 novembre 2024, SMART TECH reçoit Constantin Pavléas (Avocat en droit des nouvelles technologies, Pavléas Avocats) et Jean-Baptiste Kempf (fondateur de VLC & Chief Technology Officer, Scaleway)",
            "SMART TECH",
            (2024, 11, 19),
            &[
                (
                    "Constantin Pavléas",
                    Role::Guest,
                    Some("Avocat en droit des nouvelles technologies, Pavléas Avocats"),
                ),
                (
                    "Jean-Baptiste Kempf",
                    Role::Guest,
                    Some("fondateur de VLC & Chief Technology Officer, Scaleway"),
                ),
            ],
        );
    }

    #[test]
    fn other_phrasings() {
        let c = from_description(
            "Animé par Marie DUPONT avec la participation de : Paul Martin et Léa Petit. Épisode enregistré le 2 mars 2024, publié le 05/03/2024.",
            today(),
        );
        assert_eq!(
            names(&c),
            vec![
                ("Marie Dupont", Role::Host, None),
                ("Paul Martin", Role::Guest, None),
                ("Léa Petit", Role::Guest, None)
            ]
        );
        assert_eq!(c.recorded, NaiveDate::from_ymd_opt(2024, 3, 2));
        let c = from_description(
            "Dans le podcast Les Cast Codeurs, Emmanuel Bernard reçoit Guillaume Laforge pour parler de Java.",
            today(),
        );
        assert_eq!(c.show.as_deref(), Some("Les Cast Codeurs"));
        assert_eq!(
            names(&c),
            vec![
                ("Emmanuel Bernard", Role::Host, None),
                ("Guillaume Laforge", Role::Guest, None)
            ]
        );
    }

    #[test]
    fn presenter_lines() {
        assert_eq!(
            presenter("Animé par Horacio Gonzalez - @LostInBrittany avec la participation de :"),
            Some(("Horacio Gonzalez".into(), Some("@LostInBrittany".into())))
        );
        assert_eq!(
            presenter("Présenté par Horacio Gonzalez avec la participation de :"),
            Some(("Horacio Gonzalez".into(), None))
        );
        assert_eq!(presenter("Un épisode présenté par des gens sympas."), None);
    }

    #[test]
    fn name_test() {
        for (s, want) in [
            ("Arnaud Auger", true),
            ("Thomas MATHIEU", true),
            ("Jean-Baptiste Kempf", true),
            ("Charles de Gaulle", true),
            ("PDG de Baracoda", false),
            ("Directeur de Baracoda", false),
            ("président de AI to Market Group", false),
            ("SMART TECH", false),
            ("Tech & Co", false),
            ("Arnaud", false),
        ] {
            assert_eq!(is_person_name(s), want, "{s}");
        }
    }
}
