//! RSS 2.0 podcast feeds (with the `itunes:` and `podcast:` namespaces) as a
//! source of episode metadata, and the rule that tells which item a
//! transcript file belongs to.
//!
//! Namespaced tags are matched by namespace URI, not prefix, so a feed binding
//! the Podcasting 2.0 namespace to another prefix still works. Parsing is done
//! on a `roxmltree` DOM rather than with the `rss` crate so that
//! `podcast:person` keeps its defaults (role `host`) and non-taxonomy roles
//! (French `Animateur`) do not abort the feed.
//!
//! An item matches a transcript file when one of its `podcast:transcript`
//! URLs ends with the file's name, when its enclosure (or guid, or link) has
//! the file's stem, or when its normalized title equals the file's stem.

use crate::formats::markup::plain;
use crate::formats::participants::{merge, role_from_word};
use crate::formats::timecode::parse_duration;
use crate::formats::{FormatError, Transcript};
use crate::model::{Millis, Participant, Role};
use crate::text::{fold, slugify};
use chrono::{DateTime, NaiveDate};
use roxmltree::{Document, Node, ParsingOptions};

const FORMAT: &str = "RSS feed";

/// A podcast feed: the show and its items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    /// The channel title: the show's name.
    pub show: Option<String>,
    pub language: Option<String>,
    pub items: Vec<FeedItem>,
}

/// One `<item>`: an episode's metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedItem {
    pub title: Option<String>,
    pub guid: Option<String>,
    pub published: Option<NaiveDate>,
    pub duration: Option<Millis>,
    pub link: Option<String>,
    pub enclosure_url: Option<String>,
    /// Plain text of `description`, `content:encoded` or `itunes:summary`.
    pub description: Option<String>,
    /// Item-level `podcast:person`, or the channel's when the item has none.
    pub persons: Vec<FeedPerson>,
    /// `podcast:transcript` URLs.
    pub transcript_urls: Vec<String>,
    pub chapters_url: Option<String>,
}

/// A `podcast:person`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPerson {
    pub name: String,
    /// The `role` attribute, lowercased; `host` when absent (the spec's default).
    pub role: String,
    pub href: Option<String>,
}

impl FeedPerson {
    /// The person as a participant: host and guest roles (also in French) are
    /// recognized, other roles (producer, editor…) become `unknown`.
    pub fn participant(&self) -> Participant {
        Participant {
            name: self.name.clone(),
            role: role_from_word(&self.role).unwrap_or(Role::Unknown),
            affiliation: None,
            handle: None,
            aliases: Vec::new(),
        }
    }
}

fn ns_is(node: Node, uri_part: &str) -> bool {
    node.tag_name()
        .namespace()
        .is_some_and(|ns| ns.to_lowercase().contains(uri_part))
}

fn is_podcast(node: Node) -> bool {
    ns_is(node, "podcastindex.org/namespace")
}

fn is_itunes(node: Node) -> bool {
    ns_is(node, "itunes.com/dtds/podcast")
}

fn is_content(node: Node) -> bool {
    ns_is(node, "purl.org/rss/1.0/modules/content")
}

fn is_plain(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace().is_none()
}

/// All text inside a node (CDATA included), trimmed; `None` when empty.
fn text_of(node: Node) -> Option<String> {
    let s: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn persons(parent: Node) -> Vec<FeedPerson> {
    parent
        .children()
        .filter(|n| n.is_element() && is_podcast(*n) && n.tag_name().name() == "person")
        .filter_map(|n| {
            let name = text_of(n).map(|t| plain(&t))?;
            let role = n
                .attribute("role")
                .map(|r| r.trim().to_lowercase())
                .filter(|r| !r.is_empty());
            Some(FeedPerson {
                name,
                role: role.unwrap_or_else(|| "host".into()),
                href: n.attribute("href").map(str::to_string),
            })
        })
        .collect()
}

/// Parses an RSS 2.0 feed.
pub fn parse(text: &str) -> Result<Feed, FormatError> {
    let text = crate::formats::clean_input(text);
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&text, options).map_err(|e| FormatError::Malformed {
        format: FORMAT,
        message: e.to_string(),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "rss" {
        return Err(FormatError::Malformed {
            format: FORMAT,
            message: format!(
                "the root element is <{}>, expected <rss> (Atom feeds are not supported)",
                root.tag_name().name()
            ),
        });
    }
    let Some(channel) = root.children().find(|n| is_plain(*n, "channel")) else {
        return Err(FormatError::Malformed {
            format: FORMAT,
            message: "no <channel> element".into(),
        });
    };
    let channel_persons = persons(channel);
    let mut feed = Feed {
        show: channel
            .children()
            .find(|n| is_plain(*n, "title"))
            .and_then(text_of)
            .map(|t| plain(&t)),
        language: channel
            .children()
            .find(|n| is_plain(*n, "language"))
            .and_then(text_of),
        items: Vec::new(),
    };
    for item in channel.children().filter(|n| is_plain(*n, "item")) {
        feed.items.push(read_item(item, &channel_persons));
    }
    Ok(feed)
}

fn read_item(item: Node, channel_persons: &[FeedPerson]) -> FeedItem {
    let mut out = FeedItem::default();
    let (mut description, mut content, mut summary, mut itunes_title) = (None, None, None, None);
    for n in item.children().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        if n.tag_name().namespace().is_none() {
            match name {
                "title" => out.title = text_of(n).map(|t| plain(&t)),
                "guid" => out.guid = text_of(n),
                "pubDate" => out.published = text_of(n).and_then(|d| parse_pub_date(&d)),
                "link" => out.link = text_of(n),
                "enclosure" => out.enclosure_url = n.attribute("url").map(str::to_string),
                "description" => description = text_of(n),
                _ => {}
            }
        } else if is_itunes(n) {
            match name {
                "duration" => out.duration = text_of(n).and_then(|d| parse_duration(&d)),
                "summary" => summary = text_of(n),
                "title" => itunes_title = text_of(n),
                _ => {}
            }
        } else if is_podcast(n) {
            match name {
                "transcript" => out
                    .transcript_urls
                    .extend(n.attribute("url").map(str::to_string)),
                "chapters" => out.chapters_url = n.attribute("url").map(str::to_string),
                _ => {}
            }
        } else if is_content(n) && name == "encoded" {
            content = text_of(n);
        }
    }
    out.title = out.title.or(itunes_title.map(|t| plain(&t)));
    out.description = description
        .or(content)
        .or(summary)
        .map(|d| plain(&d))
        .filter(|d| !d.is_empty());
    let item_persons = persons(item);
    // Item-level persons wholly replace the channel's (Podcasting 2.0 spec).
    out.persons = if item_persons.is_empty() {
        channel_persons.to_vec()
    } else {
        item_persons
    };
    out
}

/// A `pubDate` as a date, read leniently: RFC 2822, RFC 3339, `YYYY-MM-DD`,
/// then any "day month year" with English or French month names (wrong or
/// French weekdays and named time zones such as `CET` are ignored). The date
/// is the one written in the feed, in the feed's own time zone.
pub fn parse_pub_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    if let Some(d) = s
        .get(..10)
        .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    let tokens: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(|t| fold(t.trim_end_matches('.')))
        .collect();
    let year = tokens
        .iter()
        .find_map(|t| (t.len() == 4).then(|| t.parse::<i32>().ok()).flatten())?;
    for (i, t) in tokens.iter().enumerate() {
        let digits = t.trim_end_matches("er");
        let Ok(day) = digits.parse::<u32>() else {
            continue;
        };
        if !(1..=31).contains(&day) || digits.len() > 2 {
            continue;
        }
        // "19 Nov 2024" (RFC order), else "Nov 19, 2024".
        let month = i
            .checked_add(1)
            .and_then(|j| tokens.get(j))
            .and_then(|m| month_number(m))
            .or_else(|| {
                i.checked_sub(1)
                    .and_then(|j| tokens.get(j))
                    .and_then(|m| month_number(m))
            });
        if let Some(month) = month {
            return NaiveDate::from_ymd_opt(year, month, day);
        }
    }
    None
}

fn month_number(token: &str) -> Option<u32> {
    const MONTHS: &[(&[&str], u32)] = &[
        (&["jan"], 1),
        (&["feb", "fev"], 2),
        (&["mar"], 3),
        (&["apr", "avr"], 4),
        (&["may", "mai"], 5),
        (&["jun", "juin"], 6),
        (&["jul", "juil"], 7),
        (&["aug", "aou"], 8),
        (&["sep"], 9),
        (&["oct"], 10),
        (&["nov"], 11),
        (&["dec"], 12),
    ];
    if token.len() < 3 || !token.chars().all(char::is_alphabetic) {
        return None;
    }
    MONTHS
        .iter()
        .find(|(prefixes, _)| prefixes.iter().any(|p| token.starts_with(p)))
        .map(|(_, m)| *m)
}

/// The last path segment of a URL (or path), without query or fragment.
fn url_file_name(url: &str) -> &str {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
}

/// `ep12.fr.vtt` -> [`ep12.fr`, `ep12`]: the name with one, then more, extensions removed.
fn stems(file_name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = file_name;
    while let Some((head, _)) = rest.rsplit_once('.') {
        if head.is_empty() {
            break;
        }
        out.push(head);
        rest = head;
    }
    if out.is_empty() {
        out.push(file_name);
    }
    out
}

/// The index of the item a transcript file belongs to, if any.
pub fn find_item(feed: &Feed, file_name: &str) -> Option<usize> {
    let file_lower = file_name.to_lowercase();
    let by_transcript = feed.items.iter().position(|it| {
        it.transcript_urls
            .iter()
            .any(|u| url_file_name(u).to_lowercase() == file_lower)
    });
    if by_transcript.is_some() {
        return by_transcript;
    }
    let file_stems: Vec<String> = stems(file_name)
        .into_iter()
        .map(slugify)
        .filter(|s| !s.is_empty())
        .collect();
    let by_stem = feed.items.iter().position(|it| {
        [
            it.enclosure_url.as_deref(),
            it.guid.as_deref(),
            it.link.as_deref(),
        ]
        .into_iter()
        .flatten()
        .flat_map(|u| {
            stems(url_file_name(u))
                .into_iter()
                .chain([url_file_name(u)])
        })
        .any(|s| file_stems.contains(&slugify(s)))
    });
    if by_stem.is_some() {
        return by_stem;
    }
    feed.items.iter().position(|it| {
        it.title
            .as_deref()
            .is_some_and(|t| file_stems.contains(&slugify(t)))
    })
}

/// Gives a transcript the item's metadata: title, date, duration, link (or
/// enclosure), description, the feed's show and language, and its persons
/// (merged with the people the transcript already names).
pub fn apply(feed: &Feed, item: &FeedItem, transcript: &mut Transcript) {
    transcript.title = item.title.clone().or(transcript.title.take());
    transcript.published = item.published.or(transcript.published);
    transcript.duration = item.duration.or(transcript.duration);
    transcript.url = item
        .link
        .clone()
        .or(item.enclosure_url.clone())
        .or(transcript.url.take());
    transcript.description = item.description.clone().or(transcript.description.take());
    transcript.show = feed.show.clone().or(transcript.show.take());
    transcript.language = transcript.language.take().or(feed.language.clone());
    for person in &item.persons {
        merge(&mut transcript.participants, person.participant(), false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pub_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 11, 19);
        for input in [
            "Tue, 19 Nov 2024 06:00:00 +0100",
            "19 Nov 2024 06:00:00 +0100",
            "Tue, 19 Nov 2024 06:00 GMT",
            "Mar, 19 Nov 2024 06:00:00 +0100",
            "Mon, 19 Nov 2024 06:00:00 +0100",
            "Tue, 19 Nov 2024 06:00:00 CET",
            "2024-11-19T06:00:00+01:00",
            "2024-11-19",
            "mardi 19 novembre 2024",
            "Mar., 19 nov. 2024 06:00:00 CET",
            "Nov 19, 2024",
        ] {
            assert_eq!(parse_pub_date(input), d, "{input:?}");
        }
        assert_eq!(
            parse_pub_date("1er août 2025"),
            NaiveDate::from_ymd_opt(2025, 8, 1)
        );
        assert_eq!(parse_pub_date("demain"), None);
        assert_eq!(parse_pub_date("31 Feb 2024"), None);
    }

    #[test]
    fn slugs_and_stems() {
        assert_eq!(
            slugify("L'IA générative : épisode 12"),
            "l-ia-generative-episode-12"
        );
        assert_eq!(stems("ep12.fr.vtt"), ["ep12.fr", "ep12"]);
        assert_eq!(stems("README"), ["README"]);
        assert_eq!(url_file_name("https://x.fr/a/ep12.vtt?dl=1"), "ep12.vtt");
    }

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:pc="https://podcastindex.org/namespace/1.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Les Causeries</title>
  <language>fr</language>
  <pc:person href="https://exemple.fr/lea">Léa Martin</pc:person>
  <item>
    <title>L'IA à l'école</title>
    <pubDate>Mar, 19 Nov 2024 06:00:00 CET</pubDate>
    <itunes:duration>62:03</itunes:duration>
    <link>https://exemple.fr/ep1</link>
    <enclosure url="https://cdn.exemple.fr/audio/ep1-ia.mp3" length="1" type="audio/mpeg"/>
    <description><![CDATA[<p>On parle d&#39;<b>IA</b>.</p>]]></description>
    <pc:transcript url="https://cdn.exemple.fr/t/causerie-1.vtt" type="text/vtt"/>
    <pc:person role="Animatrice">Léa Martin</pc:person>
    <pc:person role="guest" href="https://exemple.fr/hugo">Hugo Bernard</pc:person>
  </item>
  <item>
    <title>Épisode sans transcript</title>
    <enclosure url="https://cdn.exemple.fr/audio/ep2.mp3"/>
  </item>
</channel>
</rss>"#;

    #[test]
    fn feed_items_and_persons() {
        let feed = parse(FEED).unwrap();
        assert_eq!(feed.show.as_deref(), Some("Les Causeries"));
        let first = &feed.items[0];
        assert_eq!(first.title.as_deref(), Some("L'IA à l'école"));
        assert_eq!(first.published, NaiveDate::from_ymd_opt(2024, 11, 19));
        assert_eq!(first.duration, Some(3_723_000));
        assert_eq!(first.description.as_deref(), Some("On parle d'IA."));
        assert_eq!(first.persons.len(), 2);
        assert_eq!(first.persons[0].participant().role, Role::Host);
        assert_eq!(first.persons[1].participant().role, Role::Guest);
        // The second item has no persons: the channel's host applies.
        assert_eq!(
            feed.items[1].persons,
            [FeedPerson {
                name: "Léa Martin".into(),
                role: "host".into(),
                href: Some("https://exemple.fr/lea".into())
            }]
        );
    }

    #[test]
    fn matching_files_to_items() {
        let feed = parse(FEED).unwrap();
        for (file, want) in [
            ("causerie-1.vtt", Some(0)),
            ("ep1-ia.srt", Some(0)),
            ("ep1-ia.fr.vtt", Some(0)),
            ("l-ia-a-l-ecole.json", Some(0)),
            ("Episode sans transcript.txt", Some(1)),
            ("ep2.json", Some(1)),
            ("autre.vtt", None),
        ] {
            assert_eq!(find_item(&feed, file), want, "{file}");
        }
    }

    #[test]
    fn malformed_feeds() {
        for (input, needle) in [
            ("<rss><channel>", "RSS feed"),
            (
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>",
                "Atom",
            ),
            ("<rss version=\"2.0\"></rss>", "channel"),
            (
                "<rss><channel><itunes:duration>1</itunes:duration></channel></rss>",
                "RSS feed",
            ),
        ] {
            let err = parse(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input}: {err}");
        }
    }
}
