//! Layout (a): a podcast episode's web page saved as text.
//!
//! ```text
//! Les chatbots soignent le lupus…            <- title
//! Durée: None
//! Date de sortie: 29/08/2025                 <- published
//! Voir sur Youtube
//! Présenté par Horacio Gonzalez avec la participation de :
//! Thomas MATHIEU                             <- guests, one a line (`Name - @handle`)
//! Episode enregistré le 28 juillet 2025      <- recorded
//! Chapitrage et Liens
//! 00:00:16 - Présentation des participants   <- chapters, often glued on one line
//! Bonjour et bienvenue…                      <- untimed transcript lines
//! Les infos glanées / Tags / Episode suivant: <- page footer, dropped
//! ```
//!
//! The header is the lines up to the last header marker within the first
//! `HEADER_WINDOW` (60) lines; unrecognised lines inside it form the description.
//! Chapter lists are often glued into one line, titles running into URLs and
//! URLs into the next timestamp; [`chapters_from_text`] takes them apart.

use super::credits::{self, Credits};
use super::{FormatError, RawChapter, Segment, Transcript};
use crate::model::{Diagnostic, Millis, Role};
use chrono::NaiveDate;

/// How far down the page the header may reach.
const HEADER_WINDOW: usize = 60;
/// How far up from the end the footer may start.
const FOOTER_WINDOW: usize = 25;

/// Content score for detection: page markers in the first lines.
pub fn sniff(text: &str) -> u32 {
    let markers = text
        .lines()
        .take(HEADER_WINDOW)
        .filter(|l| is_page_marker(l))
        .count() as u32;
    if markers >= 2 {
        (50 + 15 * markers).min(100)
    } else {
        0
    }
}

fn is_page_marker(line: &str) -> bool {
    let line = line.trim();
    crate::text::static_regex!(r"(?i)^(?:date de (?:sortie|publication|diffusion)\s*:|durée\s*:|chapitrage|voir sur \w+$|(?:présentée?|animée?) par\s)")
        .is_match(line)
        || crate::text::static_regex!(r"(?i)avec la participation d[e'’]?\s*:?\s*$").is_match(line)
}

/// Parses a podcast page, dating yearless dates from today.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    parse_with(text, crate::formats::dates::today())
}

/// What a header line is.
#[derive(Debug, Clone, PartialEq)]
enum HeaderLine {
    Blank,
    /// A line that says something about the episode (date, duration, host...).
    Meta,
    /// A line of the participants list.
    Participant,
    ChapterHeading,
    Chapter,
    /// Not recognised: title or description if it lies inside the header.
    Other,
}

/// Parses a podcast page; `today` dates yearless dates.
pub fn parse_with(text: &str, today: NaiveDate) -> Result<Transcript, FormatError> {
    let lines: Vec<&str> = text.lines().collect();
    let kinds = classify_header(&lines);
    let header_end = kinds
        .iter()
        .rposition(|k| !matches!(k, HeaderLine::Other | HeaderLine::Blank))
        .map_or(0, |i| i + 1);

    let mut t = Transcript::default();
    let mut credits = Credits::default();
    let mut description = Vec::new();
    let mut chapter_text = String::new();
    let mut chapter_line = None;
    for (i, (line, kind)) in lines.iter().zip(&kinds).enumerate().take(header_end) {
        let line = line.trim();
        match kind {
            HeaderLine::Blank | HeaderLine::ChapterHeading => {}
            HeaderLine::Other if t.title.is_none() && description.is_empty() => {
                t.title = Some(line.to_string())
            }
            HeaderLine::Other => description.push(line),
            HeaderLine::Meta => read_meta_line(line, today, &mut t, &mut credits),
            HeaderLine::Participant => {
                if let Some(p) = participant_line(line) {
                    credits.add(p);
                }
            }
            HeaderLine::Chapter => {
                chapter_line.get_or_insert(i + 1);
                chapter_text.push_str(line);
                chapter_text.push('\n');
            }
        }
    }
    if !description.is_empty() {
        let joined = description.join(" ");
        credits.merge(credits::from_description(&joined, today));
        t.description = Some(joined);
    }
    let (chapters, mut chapter_diags) = chapters_from_text(&chapter_text);
    if let Some(line) = chapter_line {
        chapter_diags
            .iter_mut()
            .for_each(|d| d.line = d.line.or(Some(line)));
    }
    t.chapters = chapters;
    t.diagnostics.append(&mut chapter_diags);

    let body = lines.get(header_end..).unwrap_or(&[]);
    let mut body_end = body.len();
    if let Some(footer) = super::footer_start(body, FOOTER_WINDOW) {
        body_end = footer;
        // Lines with no words just above the footer ("...") belong to it.
        while body_end > 0
            && body
                .get(body_end - 1)
                .is_some_and(|l| !l.chars().any(char::is_alphanumeric))
        {
            body_end -= 1;
        }
        t.diagnostics.push(
            Diagnostic::info(format!(
                "page footer removed ({} lines)",
                body.len() - body_end
            ))
            .at_line(header_end + body_end + 1),
        );
    }
    t.segments = body
        .iter()
        .take(body_end)
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Segment {
            start: None,
            end: None,
            speaker: None,
            text: l.trim().to_string(),
            line: header_end + i + 1,
            marks: Vec::new(),
        })
        .collect();
    if t.segments.is_empty() {
        return Err(FormatError::NoText(
            "the page has no transcript text after its header".into(),
        ));
    }
    t.show = credits.show;
    t.published = credits.published;
    t.recorded = credits.recorded;
    t.participants = credits.participants;
    Ok(t)
}

fn classify_header(lines: &[&str]) -> Vec<HeaderLine> {
    let mut kinds = Vec::new();
    let mut in_participants = false;
    let mut in_chapters = false;
    for line in lines.iter().take(HEADER_WINDOW) {
        let l = line.trim();
        let kind = if l.is_empty() {
            HeaderLine::Blank
        } else if crate::text::static_regex!(r"(?i)^chapitrage|^chapitres\s*:?$").is_match(l) {
            in_chapters = true;
            in_participants = false;
            HeaderLine::ChapterHeading
        } else if starts_with_chapter_time(l) || (in_chapters && starts_with_time(l)) {
            HeaderLine::Chapter
        } else if is_page_marker(l) || is_recording_line(l) {
            in_participants =
                crate::text::static_regex!(r"(?i)participation d[e']?\s*:?\s*$|:\s*$").is_match(l);
            HeaderLine::Meta
        } else if in_participants && participant_line(l).is_some() {
            HeaderLine::Participant
        } else {
            in_participants = false;
            in_chapters = false;
            HeaderLine::Other
        };
        kinds.push(kind);
    }
    kinds
}

fn starts_with_time(l: &str) -> bool {
    crate::text::static_regex!(r"^\d{1,2}:\d{2}(?::\d{2})?\b").is_match(l)
}

fn starts_with_chapter_time(l: &str) -> bool {
    crate::text::static_regex!(r"^\d{1,2}:\d{2}:\d{2}\s*[-–—]\s*\S").is_match(l)
}

/// `Episode enregistré le 28 juillet 2025`, `Enregistré au Palace le 6 février 2025`.
fn is_recording_line(l: &str) -> bool {
    l.chars().count() < 160
        && crate::text::static_regex!(r"(?i)^(?:[ée]pisode\s+)?(?:enregistr|tourn)[ée]e?\s")
            .is_match(l)
}

fn read_meta_line(line: &str, today: NaiveDate, t: &mut Transcript, credits: &mut Credits) {
    if let Some(rest) = crate::text::static_regex!(r"(?i)^durée\s*:\s*")
        .find(line)
        .and_then(|m| line.get(m.end()..))
    {
        t.duration = super::timecode::parse_duration(rest);
        return;
    }
    credits.merge(credits::from_description(line, today));
}

/// `Thomas MATHIEU`, `Alain GARNIER - @garniera`, `Anne Roy (Clever Cloud) - @anne`.
fn participant_line(line: &str) -> Option<crate::model::Participant> {
    let re = crate::text::static_regex!(
        r"^(?P<name>[^@(),\-–—][^@(),]*?)\s*(?:\((?P<aff>[^)]*)\)|,\s*(?P<aff2>[^@]+?))?\s*(?:[-–—]\s*(?P<handle>@\w+))?\s*$"
    );
    let c = re.captures(line.trim())?;
    let name = c
        .name("name")?
        .as_str()
        .trim()
        .trim_end_matches(['-', '–', '—', ' ']);
    if !credits::is_plausible_name(name) || name.split_whitespace().count() < 2 {
        return None;
    }
    let aff = c
        .name("aff")
        .or(c.name("aff2"))
        .map(|m| m.as_str().to_string());
    let handle = c.name("handle").map(|m| m.as_str().to_string());
    Some(credits::person(name, Role::Guest, aff, handle))
}

/// Chapters from a chapter list, however it is glued: `HH:MM:SS - title links`
/// entries, possibly all on one line, titles running into URLs and URLs into
/// the next timestamp (`…@waxzce01:12:00 - Musique de fin`).
pub fn chapters_from_text(text: &str) -> (Vec<RawChapter>, Vec<Diagnostic>) {
    // Leftmost-first matching makes `…waxzce01:12:00 - ` start at `01`, and a
    // dash is required so that times inside titles or URLs are not taken.
    let re = crate::text::static_regex!(r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s*[-–—]\s*");
    let mut starts: Vec<(usize, usize, Millis)> = Vec::new();
    for c in re.captures_iter(text) {
        let (Some(whole), Some(m), Some(s)) = (c.get(0), c.get(2), c.get(3)) else {
            continue;
        };
        let h: u64 = c.get(1).and_then(|h| h.as_str().parse().ok()).unwrap_or(0);
        let (Ok(m), Ok(s)) = (m.as_str().parse::<u64>(), s.as_str().parse::<u64>()) else {
            continue;
        };
        if m >= 60 && c.get(1).is_some() || s >= 60 {
            continue;
        }
        let ms = ((h * 60 + m) * 60 + s) * 1000;
        // Times must grow; a smaller one is text that happens to look like a time.
        if starts.last().is_some_and(|(_, _, prev)| ms <= *prev) {
            continue;
        }
        starts.push((whole.start(), whole.end(), ms));
    }
    let mut diagnostics = Vec::new();
    if let Some((first, _, _)) = starts.first() {
        let before = text.get(..*first).unwrap_or("").trim();
        if !before.is_empty() {
            diagnostics.push(Diagnostic::warning(format!(
                "text before the first chapter time ignored: {before}"
            )));
        }
    }
    let mut chapters = Vec::new();
    for (i, (_, body_start, ms)) in starts.iter().enumerate() {
        let body_end = starts.get(i + 1).map_or(text.len(), |(s, _, _)| *s);
        let body = text.get(*body_start..body_end).unwrap_or("");
        let (title, links) = split_title_and_links(body);
        if title.is_empty() {
            diagnostics.push(Diagnostic::warning(format!(
                "chapter at {} has no title",
                crate::model::format_timestamp(*ms)
            )));
        }
        chapters.push(RawChapter {
            title,
            start: Some(*ms),
            links,
        });
    }
    (chapters, diagnostics)
}

/// A chapter entry's words and links: URLs glued to the title or to each
/// other are cut apart at each `http://`/`https://`, and bare links such as
/// `x.com/user/status/1` are recognised by their domain and path.
pub fn split_title_and_links(body: &str) -> (String, Vec<String>) {
    let mut words = Vec::new();
    let mut links = Vec::new();
    for token in body.split_whitespace() {
        for piece in split_before_schemes(token) {
            if piece.is_empty() {
                continue;
            }
            if is_link(piece) {
                links.push(clean_link(piece));
            } else {
                words.push(piece);
            }
        }
    }
    let title = words
        .join(" ")
        .trim()
        .trim_end_matches(['-', '–', '—', ' '])
        .trim()
        .to_string();
    (title, links)
}

/// `transféréhttps://a.com/xhttps://b.com` -> [`transféré`, `https://a.com/x`, `https://b.com`].
fn split_before_schemes(token: &str) -> Vec<&str> {
    let re = crate::text::static_regex!(r"(?i)https?://");
    let mut cuts: Vec<usize> = re
        .find_iter(token)
        .map(|m| m.start())
        .filter(|s| *s > 0)
        .collect();
    cuts.push(token.len());
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts {
        out.push(token.get(start..cut).unwrap_or(""));
        start = cut;
    }
    out
}

fn is_link(piece: &str) -> bool {
    crate::text::static_regex!(r"(?i)^(?:https?://\S+|www\.[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\S*|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S*)$")
        .is_match(piece)
}

/// Drops sentence punctuation stuck to the end of a link (but keeps a `)` it opened).
fn clean_link(link: &str) -> String {
    let mut l = link;
    loop {
        let trimmed = l.trim_end_matches(['.', ',', ';', ':', '!', '?', '»', '"', '”', '\'']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            trimmed.get(..trimmed.len() - 1).unwrap_or(trimmed)
        } else {
            trimmed
        };
        if trimmed == l {
            return l.to_string();
        }
        l = trimmed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_chapters_come_apart() {
        let text = "00:00:16 - Présentation des participants\n00:06:14 - Le talk du code00:18:43 - Matrix a vécu un incident, sans crash.https://matrix.org/blog/pm/00:24:18 - Clippy https://felixrieseberg.github.io/clippy/ 00:27:43 - Accords USA/EUhttps://lemonde.fr/a.html x.com/Villepin/status/1949554013403263013 00:55:05 - Claude https://x.com/A/status/1https://www.theverge.com/news/1 01:06:20 - Sipearl https://www.youtube.com/@waxzce01:12:00 - Musique de fin https://www.youtube.com/watch?v=tsmPCi7NKrg";
        let (chapters, diags) = chapters_from_text(text);
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<(Option<u64>, &str, Vec<&str>)> = chapters
            .iter()
            .map(|c| {
                (
                    c.start.map(|s| s / 1000),
                    c.title.as_str(),
                    c.links.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(16), "Présentation des participants", vec![]),
                (Some(374), "Le talk du code", vec![]),
                (
                    Some(1123),
                    "Matrix a vécu un incident, sans crash.",
                    vec!["https://matrix.org/blog/pm/"]
                ),
                (
                    Some(1458),
                    "Clippy",
                    vec!["https://felixrieseberg.github.io/clippy/"]
                ),
                (
                    Some(1663),
                    "Accords USA/EU",
                    vec![
                        "https://lemonde.fr/a.html",
                        "x.com/Villepin/status/1949554013403263013"
                    ]
                ),
                (
                    Some(3305),
                    "Claude",
                    vec![
                        "https://x.com/A/status/1",
                        "https://www.theverge.com/news/1"
                    ]
                ),
                (
                    Some(3980),
                    "Sipearl",
                    vec!["https://www.youtube.com/@waxzce"]
                ),
                (
                    Some(4320),
                    "Musique de fin",
                    vec!["https://www.youtube.com/watch?v=tsmPCi7NKrg"]
                ),
            ]
        );
    }

    #[test]
    fn times_that_go_back_are_text() {
        let (chapters, _) =
            chapters_from_text("00:10:00 - Intro 00:05:00 - pas un chapitre 00:20:00 - Fin");
        assert_eq!(chapters.len(), 2);
        assert_eq!(
            chapters.first().unwrap().title,
            "Intro 00:05:00 - pas un chapitre"
        );
    }

    #[test]
    fn links_lose_trailing_punctuation() {
        assert_eq!(clean_link("https://a.org/x."), "https://a.org/x");
        assert_eq!(
            clean_link("https://en.wikipedia.org/wiki/X_(Y)"),
            "https://en.wikipedia.org/wiki/X_(Y)"
        );
        assert_eq!(clean_link("https://a.org/x)."), "https://a.org/x");
    }

    #[test]
    fn participant_lines() {
        let p = participant_line("Michel-Marie MAUDET - @mmaudet").unwrap();
        assert_eq!(
            (p.name.as_str(), p.handle.as_deref()),
            ("Michel-Marie Maudet", Some("@mmaudet"))
        );
        let p = participant_line("Thomas MATHIEU").unwrap();
        assert_eq!((p.name.as_str(), p.handle), ("Thomas Mathieu", None));
        let p = participant_line("Anne Roy (Clever Cloud) - @anne").unwrap();
        assert_eq!(p.affiliation.as_deref(), Some("Clever Cloud"));
        assert!(participant_line("Bonjour et bienvenue dans ce nouvel épisode").is_none());
    }

    #[test]
    fn small_page() {
        let page = "Mon titre\nDurée: 1:02:03\nDate de sortie: 01/02/2024\nAnimé par Ana LIMA - @ana avec la participation de :\nBob MARTIN - @bob\nEpisode enregistré le 20 janvier 2024\nChapitrage et Liens\n00:00:00 - Début\n00:10:00 - Suite https://ex.org/a\nBonjour à tous.\nOn commence.\nTags\nÉpisode suivant: autre chose\n";
        let t = parse_with(page, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        assert_eq!(t.title.as_deref(), Some("Mon titre"));
        assert_eq!(t.duration, Some(3_723_000));
        assert_eq!(t.published, NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(t.recorded, NaiveDate::from_ymd_opt(2024, 1, 20));
        let people: Vec<_> = t
            .participants
            .iter()
            .map(|p| (p.name.as_str(), p.role, p.handle.as_deref()))
            .collect();
        assert_eq!(
            people,
            vec![
                ("Ana Lima", Role::Host, Some("@ana")),
                ("Bob Martin", Role::Guest, Some("@bob"))
            ]
        );
        assert_eq!(t.chapters.len(), 2);
        let texts: Vec<_> = t.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["Bonjour à tous.", "On commence."]);
        assert_eq!(t.segments.first().unwrap().line, 10);
    }
}
