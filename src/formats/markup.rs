//! Markup in caption and page text, shared by the subtitle, HTML and JSON
//! parsers: tags stripped, character references decoded, whitespace folded.
//!
//! They are hand-written on purpose: real caption files are routinely out of
//! spec, and a lenient scanner that never fails is what the parsers need.

use crate::text::collapse_ws;

/// Removes markup tags (`<i>`, `</b>`, `<font color=…>`, `<c.yellow>`,
/// `<00:00:01.234>`) and ASS override blocks (`{\an8}`).
///
/// A `<` only opens a tag when followed by a letter, `/` or a digit and closed
/// by `>` on the same line, so "3 < 5" in a caption survives.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['<', '{']) {
        let (before, from) = rest.split_at(pos);
        out.push_str(before);
        match tag_len(from) {
            Some(len) => {
                // A line break tag separates words; other tags may sit inside one.
                let tag = from.get(..len).unwrap_or("").to_ascii_lowercase();
                if tag.starts_with("<br") {
                    out.push(' ');
                }
                rest = from.get(len..).unwrap_or("");
            }
            None => {
                let mut chars = from.chars();
                if let Some(c) = chars.next() {
                    out.push(c);
                }
                rest = chars.as_str();
            }
        }
    }
    out.push_str(rest);
    out
}

/// Length in bytes of the tag or override block at the start of `s`, if any.
fn tag_len(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    let open = chars.next()?;
    let next = chars.next()?;
    let (close, valid_start) = match open {
        '<' => (
            '>',
            next.is_alphabetic() || next == '/' || next.is_ascii_digit(),
        ),
        '{' => ('}', next == '\\'),
        _ => return None,
    };
    if !valid_start {
        return None;
    }
    let end = s.find(close)?;
    let inner = s.get(..end)?;
    if inner.contains('\n') {
        return None;
    }
    Some(end + close.len_utf8())
}

/// Decodes HTML/WebVTT character references: the common named ones (including
/// the French letters and punctuation) and every numeric one. Unknown names are
/// left as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        let (before, from) = rest.split_at(pos);
        out.push_str(before);
        match decode_one(from) {
            Some((c, len)) => {
                out.push(c);
                rest = from.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = from.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference at the start of `s` stands for, and its length.
fn decode_one(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let body = s.get(1..semi)?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)?
    } else {
        named_entity(body)?
    };
    Some((c, semi + 1))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "euro" => '€',
        "deg" => '°',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "middot" => '·',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yuml" => 'ÿ',
        "oelig" => 'œ',
        "aelig" => 'æ',
        "Agrave" => 'À',
        "Acirc" => 'Â',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Icirc" => 'Î',
        "Ocirc" => 'Ô',
        "Ugrave" => 'Ù',
        "OElig" => 'Œ',
        _ => return None,
    })
}

/// The text from an XML document's root element on (`<tt …>…`): the XML
/// declaration, comments, processing instructions, a doctype (with its
/// internal subset) and whitespace before it are skipped. `None` when the
/// text does not start like XML.
fn from_root(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>")?.1;
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1;
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = skip_declaration(after)?;
        } else {
            break;
        }
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
    }
    let name = rest.strip_prefix('<')?;
    name.starts_with(|c: char| c.is_alphabetic() || c == '_')
        .then_some(rest)
}

/// The local name of an XML document's root element (`rss`, `transcript`,
/// `tt` for `<tt:tt …>`), read from the start of the text without parsing
/// the document. Detection uses it to tell a feed from a transcript that
/// happens to be XML, even when the document is cut short or broken further on.
pub fn xml_root(text: &str) -> Option<&str> {
    let name = from_root(text)?.get(1..)?;
    let end = name
        .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/'))
        .unwrap_or(name.len());
    let qualified = name.get(..end)?;
    Some(qualified.rsplit(':').next().unwrap_or(qualified))
}

/// The start tag of an XML document's root element (`<tt xmlns="…" …>`),
/// with its attributes (namespaces tell TTML from other `<tt>` roots).
pub fn xml_root_start_tag(text: &str) -> Option<&str> {
    let rest = from_root(text)?;
    let end = rest.find('>')?;
    rest.get(..=end)
}

/// The value of attribute `name` (ASCII case-insensitive) in a start tag
/// such as `<SYNC Start=1000>` or `<P Class="ENCC">`: quoted with `"` or
/// `'`, or unquoted up to a space or `>`, as hand-written HTML has it. An
/// attribute without a value gives `""`.
pub fn tag_attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let inner = tag.strip_prefix('<').unwrap_or(tag);
    let inner = inner.strip_suffix('>').unwrap_or(inner);
    // Skip the element name.
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace() && c != '/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let (attribute, after) = rest.split_at(name_end);
        let after = after.trim_start();
        let (value, next) = match after.strip_prefix('=') {
            Some(v) => {
                let v = v.trim_start();
                match v.chars().next() {
                    Some(quote @ ('"' | '\'')) => {
                        let body = v.get(1..).unwrap_or("");
                        match body.find(quote) {
                            Some(close) => (
                                body.get(..close).unwrap_or(""),
                                body.get(close + 1..).unwrap_or(""),
                            ),
                            None => (body, ""),
                        }
                    }
                    _ => {
                        let end = v.find(char::is_whitespace).unwrap_or(v.len());
                        v.split_at(end)
                    }
                }
            }
            None => ("", after),
        };
        if attribute.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = next;
    }
}

/// The text after a `<!DOCTYPE …>` declaration (whose `<!` is already
/// consumed), stepping over its `[…]` internal subset and quoted strings.
fn skip_declaration(text: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, '>') if depth == 0 => return text.get(i + 1..),
            _ => {}
        }
    }
    None
}

/// Plain text of a piece of markup: tags removed, references decoded, spaces folded.
pub fn plain(markup: &str) -> String {
    collapse_ws(&decode_entities(&strip_tags(markup)))
}

/// Appends `piece` to `text` with one space between them, except before
/// closing punctuation that hugs the previous word (`,` `.` `)` `…`).
/// Used to glue word-level pieces (Podcasting 2.0, json3, whisper words).
pub fn push_piece(text: &mut String, piece: &str) {
    let piece = piece.trim();
    if piece.is_empty() {
        return;
    }
    let hugs = piece.starts_with([',', '.', ')', ']', '…', '’', '%']) || piece.starts_with("'");
    if !text.is_empty() && !hugs && !text.ends_with(['\'', '’', '(', '[']) {
        text.push(' ');
    }
    text.push_str(piece);
}

/// Whether a piece of text ends a sentence (so a word-level merge may stop there).
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '»', '”', ')', ' ', '\u{a0}', '\u{202f}'])
        .ends_with(['.', '?', '!', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_tags_cases() {
        for (input, want) in [
            ("<i>Bonjour</i> à tous", "Bonjour à tous"),
            ("{\\an8}En haut", "En haut"),
            ("<font color=\"#ff0\">jaune</font>", "jaune"),
            (
                "bonjour<00:00:01.200><c> à</c><00:00:01.500><c> tous</c>",
                "bonjour à tous",
            ),
            ("3 < 5 et 6 > 2", "3 < 5 et 6 > 2"),
            ("{pas un tag}", "{pas un tag}"),
            ("<c.yellow>é</c>", "é"),
            ("fin <", "fin <"),
            ("un<br/>deux", "un deux"),
        ] {
            assert_eq!(strip_tags(input), want, "{input:?}");
        }
    }

    #[test]
    fn decode_entities_cases() {
        for (input, want) in [
            ("l&#39;IA", "l'IA"),
            ("c&#39;est l'<i>émission", "c'est l'<i>émission"),
            ("l&rsquo;IA", "l’IA"),
            ("caf&eacute; &amp; cr&egrave;me", "café & crème"),
            ("&#x153;uvre", "œuvre"),
            ("5&#8239;%", "5\u{202f}%"),
            ("AT&T &unknown; &", "AT&T &unknown; &"),
            ("&#99999999999;", "&#99999999999;"),
        ] {
            assert_eq!(decode_entities(input), want, "{input:?}");
        }
    }

    #[test]
    fn xml_root_start_tags() {
        for (input, want) in [
            (
                "<tt xml:lang=\"fr\"><body/></tt>",
                Some("<tt xml:lang=\"fr\">"),
            ),
            (
                "\u{feff}<?xml version=\"1.0\"?>\n<!-- a > b -->\n<!DOCTYPE tt [<!ENTITY x \"y\">]>\n<tt:tt a=\"1\"/>",
                Some("<tt:tt a=\"1\"/>"),
            ),
            ("<!DOCTYPE html>\n<html>", Some("<html>")),
            ("texte <tt>", None),
            ("<?xml version=\"1.0\"", None),
            ("<!-- pas fini", None),
            ("< tt>", None),
            ("", None),
        ] {
            assert_eq!(xml_root_start_tag(input), want, "{input:?}");
        }
    }

    #[test]
    fn tag_attributes() {
        for (tag, name, want) in [
            ("<SYNC Start=1000>", "start", Some("1000")),
            ("<sync start=\"1000\" end='2000'>", "END", Some("2000")),
            ("<P Class=ENCC>", "class", Some("ENCC")),
            ("<P  class = 'fr cc' id=x>", "CLASS", Some("fr cc")),
            ("<P hidden Class=ENCC/>", "class", Some("ENCC/")),
            ("<P hidden Class=ENCC />", "hidden", Some("")),
            ("<P Class=\"pas fini>", "class", Some("pas fini")),
            ("<SYNC>", "start", None),
            ("<SYNC Starts=1>", "start", None),
            ("", "start", None),
        ] {
            assert_eq!(tag_attribute(tag, name), want, "{tag} {name}");
        }
    }

    #[test]
    fn xml_roots() {
        for (input, want) in [
            ("<rss version=\"2.0\"><channel/></rss>", Some("rss")),
            (
                "\u{feff}<?xml version=\"1.0\"?>\n<!-- <rss> -->\n<transcript>",
                Some("transcript"),
            ),
            (
                "<?xml version=\"1.0\"?><!DOCTYPE tt [<!ENTITY a \"<b>\">]><?pi x?><tt:tt xmlns:tt=\"x\">",
                Some("tt"),
            ),
            ("<timedtext format=\"3\">", Some("timedtext")),
            ("<config/>", Some("config")),
            ("<feed", Some("feed")),
            ("WEBVTT", None),
            ("<!-- jamais fermé", None),
            ("< rss>", None),
            ("", None),
        ] {
            assert_eq!(xml_root(input), want, "{input:?}");
        }
    }

    #[test]
    fn glue() {
        let mut t = String::new();
        for w in ["Bonjour", ",", "c'est", "l'", "IA", "."] {
            push_piece(&mut t, w);
        }
        assert_eq!(t, "Bonjour, c'est l'IA.");
        assert!(ends_sentence("Vraiment ?"));
        assert!(ends_sentence("« Fin. »"));
        assert!(!ends_sentence("Donc,"));
    }
}
