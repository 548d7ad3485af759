//! SAMI captions (`.smi`, `.sami`: Microsoft's Synchronized Accessible Media
//! Interchange): `<SYNC Start=1234><P Class=ENCC>text`.
//!
//! SAMI is HTML-like and routinely malformed (unclosed `<P>`, no `</SYNC>`,
//! unquoted attributes, any letter case), so it is read by scanning tags by
//! hand rather than with an XML parser. A `<SYNC>`'s text runs to the next
//! `<SYNC>`, which also ends it; a SYNC holding only `&nbsp;` clears the
//! screen and is not a cue. A file may carry several languages as `<P>`
//! classes declared in its `<STYLE>` block (`.ENCC {Name: English; lang:
//! en-US;}`): the class of the first `<P>` with text is read throughout, and
//! its `lang:` becomes the transcript's language.

use crate::formats::markup::{plain, tag_attribute};
use crate::formats::{FormatError, Segment, Transcript};
use crate::model::{Diagnostic, Millis};
use std::collections::HashMap;

/// Whether the text is a SAMI document: it opens with `<SAMI>`, or names
/// `<SAMI>` and a `<SYNC>` near its start.
pub fn sniff(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect::<String>().to_lowercase();
    let opens = crate::formats::markup::xml_root_start_tag(&head)
        .is_some_and(|tag| tag.starts_with("<sami"));
    opens || (head.contains("<sami") && head.contains("<sync"))
}

/// One `<SYNC>`: when it starts and the text of each `<P>` class in it.
struct Sync {
    start: Millis,
    line: usize,
    /// (class lowercased, or `None` for a `<P>` without class or for a
    /// SYNC without `<P>`; the raw markup of its text).
    pieces: Vec<(Option<String>, String)>,
}

/// Parses a SAMI document.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    let text = crate::formats::clean_input(text);
    // ASCII lowercasing keeps byte offsets: tags are found in `lower` and
    // read from `text`.
    let lower = text.to_ascii_lowercase();
    let mut transcript = Transcript {
        title: element_text(&text, &lower, "title")
            .map(plain)
            .filter(|t| !t.is_empty()),
        ..Transcript::default()
    };
    let languages = element_text(&text, &lower, "style")
        .map(class_languages)
        .unwrap_or_default();
    let (text, lower) = (blank_comments(&text), blank_comments(&lower));
    let syncs = read_syncs(&text, &lower, &mut transcript.diagnostics);
    if syncs.is_empty() {
        return Err(FormatError::Malformed {
            format: "SAMI",
            message: "no <SYNC Start=...> tag found".into(),
        });
    }
    // The language read throughout: the class of the first <P> with text.
    let Some(class) = syncs
        .iter()
        .flat_map(|s| &s.pieces)
        .find(|(_, markup)| !is_blank(&plain(markup)))
        .map(|(class, _)| class.clone())
    else {
        return Err(FormatError::NoText(
            "every SAMI <SYNC> is empty or blank".into(),
        ));
    };
    transcript.language = class.as_ref().and_then(|c| languages.get(c).cloned());
    // SYNCs with a <P> of that class (or without class, or no <P> at all:
    // a bare clear) start and end its cues; SYNCs of other languages do not.
    let relevant: Vec<(&Sync, String)> = syncs
        .iter()
        .filter_map(|sync| {
            let mine: Vec<String> = sync
                .pieces
                .iter()
                .filter(|(c, _)| c.is_none() || *c == class)
                .map(|(_, markup)| plain(markup))
                .collect();
            (!mine.is_empty()).then(|| (sync, mine.join(" ")))
        })
        .collect();
    for (i, (sync, cue_text)) in relevant.iter().enumerate() {
        if is_blank(cue_text) {
            continue;
        }
        let end = relevant
            .get(i + 1)
            .map(|(next, _)| next.start)
            .filter(|end| *end >= sync.start);
        transcript.segments.push(Segment {
            start: Some(sync.start),
            end,
            speaker: None,
            text: cue_text.trim_matches(char::is_whitespace).to_string(),
            line: sync.line,
            marks: Vec::new(),
        });
    }
    transcript.with_text("every SAMI <SYNC> is empty or blank")
}

/// Empty or only (non-breaking) spaces: the `&nbsp;` that clears the screen.
fn is_blank(text: &str) -> bool {
    text.trim_matches(char::is_whitespace).is_empty()
}

/// The markup inside the first `<name ...>...</name>` (case-insensitive);
/// an unclosed element runs to the end.
fn element_text<'a>(text: &'a str, lower: &str, name: &str) -> Option<&'a str> {
    let open = find_tag(lower, &format!("<{name}"), 0)?;
    let content = lower.get(open..)?.find('>')? + open + 1;
    let close = lower
        .get(content..)
        .and_then(|rest| rest.find(&format!("</{name}")))
        .map_or(text.len(), |i| content + i);
    text.get(content..close)
}

/// The next `<name` tag at or after `from` whose name is not the prefix of
/// a longer one (`<p` is not `<param`).
fn find_tag(lower: &str, open: &str, from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let found = lower.get(at..)?.find(open)? + at;
        let after = lower.get(found + open.len()..)?;
        if after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            return Some(found);
        }
        at = found + open.len();
    }
}

/// `.ENCC { Name: English; lang: en-US; }` -> `encc` -> `en-US`.
fn class_languages(style: &str) -> HashMap<String, String> {
    let rule = crate::text::static_regex!(r"\.([A-Za-z0-9_-]+)\s*\{([^}]*)\}");
    let lang = crate::text::static_regex!(r"(?i)(?:^|[;\s{])lang\s*:\s*([^;}\s]+)");
    rule.captures_iter(style)
        .filter_map(|c| {
            let class = c.get(1)?.as_str().to_ascii_lowercase();
            let value = lang.captures(c.get(2)?.as_str())?.get(1)?.as_str();
            Some((class, value.to_string()))
        })
        .collect()
}

/// The text with `<!-- ... -->` comments turned into spaces (line ends
/// kept, so byte offsets and line numbers stay right). An unclosed comment
/// runs to the end.
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("<!--") {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let len = from
            .get(4..)
            .and_then(|s| s.find("-->"))
            .map_or(from.len(), |i| i + 7);
        let (comment, after) = from.split_at(len.min(from.len()));
        out.extend(comment.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        // Multi-byte characters became one space each: pad to keep offsets.
        out.extend(std::iter::repeat_n(
            ' ',
            comment.len() - comment.chars().count(),
        ));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Every `<SYNC>` with a readable `Start`, in document order; the others
/// are reported and skipped.
fn read_syncs(text: &str, lower: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Sync> {
    let body_end = lower.rfind("</body").unwrap_or(text.len());
    let mut positions = Vec::new();
    let mut from = 0;
    while let Some(at) = find_tag(lower, "<sync", from) {
        positions.push(at);
        from = at + 1;
    }
    let mut syncs = Vec::new();
    let (mut line, mut counted) = (1usize, 0usize);
    for (i, &at) in positions.iter().enumerate() {
        line += text.get(counted..at).map_or(0, |s| s.matches('\n').count());
        counted = at;
        let Some(tag_end) = lower.get(at..).and_then(|s| s.find('>')).map(|i| at + i) else {
            break;
        };
        let tag = text.get(at..=tag_end).unwrap_or("");
        let next = positions
            .get(i + 1)
            .copied()
            .unwrap_or(body_end.max(tag_end + 1));
        let content_end = if next > tag_end { next } else { text.len() };
        let start = tag_attribute(tag, "start");
        let Some(start) = start.and_then(start_millis) else {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "unreadable SYNC Start {:?}; cue skipped",
                    start.unwrap_or("(missing)")
                ))
                .at_line(line),
            );
            continue;
        };
        syncs.push(Sync {
            start,
            line,
            pieces: pieces(text, lower, tag_end + 1, content_end),
        });
    }
    syncs
}

/// `1234`, `"1234"`, `1234ms`: the leading digits, in milliseconds.
fn start_millis(value: &str) -> Option<Millis> {
    let digits = value
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .filter(|d| !d.is_empty() && d.len() <= 15)?;
    digits.parse().ok()
}

/// The `<P>`s between `from` and `to`, with their classes; the whole
/// content as one class-less piece when it has no `<P>`.
fn pieces(text: &str, lower: &str, from: usize, to: usize) -> Vec<(Option<String>, String)> {
    let mut starts = Vec::new();
    let mut at = from;
    while let Some(p) = find_tag(lower, "<p", at).filter(|p| *p < to) {
        starts.push(p);
        at = p + 2;
    }
    if starts.is_empty() {
        return vec![(None, text.get(from..to).unwrap_or("").to_string())];
    }
    let mut out = Vec::new();
    for (i, &p) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(to);
        let Some(tag_end) = lower.get(p..end).and_then(|s| s.find('>')).map(|i| p + i) else {
            continue;
        };
        let class = text
            .get(p..=tag_end)
            .and_then(|tag| tag_attribute(tag, "class"))
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty());
        out.push((class, text.get(tag_end + 1..end).unwrap_or("").to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_language_with_clears_and_unclosed_tags() {
        let smi = "<SAMI><HEAD><TITLE>Essai</TITLE></HEAD><BODY>\n\
<SYNC Start=0><P>Bonjour<br>à tous\n\
<SYNC Start=\"1500\"><P>&nbsp;\n\
<sync start=2000><p>Léa: Suite <i>en italique</i></p></sync>\n\
<SYNC Start=3500><P>Fin\n\
</BODY></SAMI>";
        let t = parse(smi).unwrap();
        assert_eq!(t.title.as_deref(), Some("Essai"));
        assert_eq!(
            t.rows(),
            [
                (None, Some(0), Some(1_500), "Bonjour à tous"),
                (None, Some(2_000), Some(3_500), "Léa: Suite en italique"),
                (None, Some(3_500), None, "Fin"),
            ]
        );
        assert_eq!(t.segments[1].line, 4);
    }

    #[test]
    fn bad_starts_are_reported_and_skipped() {
        let smi = "<SAMI><BODY>\n<SYNC Start=abc><P>Perdu\n<SYNC Start=10><P>Gardé\n<SYNC Start=20><P>&nbsp;</BODY></SAMI>";
        let t = parse(smi).unwrap();
        assert_eq!(t.rows(), [(None, Some(10), Some(20), "Gardé")]);
        assert_eq!(t.diagnostics.len(), 1);
        assert!(t.diagnostics[0].message.contains("\"abc\""));
        assert_eq!(t.diagnostics[0].line, Some(2));
    }

    #[test]
    fn empty_documents_are_errors() {
        assert!(matches!(
            parse("<SAMI><BODY></BODY></SAMI>"),
            Err(FormatError::Malformed { .. })
        ));
        assert!(matches!(
            parse("<SAMI><BODY><SYNC Start=0><P>&nbsp;</BODY></SAMI>"),
            Err(FormatError::NoText(_))
        ));
    }

    #[test]
    fn comments_keep_offsets() {
        let text = "a<!-- é\n -->b<!-- pas fini";
        let blanked = blank_comments(text);
        assert_eq!(blanked.len(), text.len());
        assert!(blanked.starts_with('a') && blanked.contains("\n"));
        assert_eq!(
            blanked.trim_end().trim_end_matches(' ').chars().last(),
            Some('b')
        );
    }

    #[test]
    fn sniffing() {
        for (text, want) in [
            ("<SAMI>\n<HEAD>", true),
            ("<!-- x -->\n<sami>", true),
            ("<html><sami></sami><SYNC Start=0>", true),
            ("<html><p>x</p></html>", false),
            ("WEBVTT", false),
        ] {
            assert_eq!(sniff(text), want, "{text}");
        }
    }
}
