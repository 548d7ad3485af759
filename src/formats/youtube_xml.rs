//! YouTube captions as XML ("timedtext"), in its two shapes:
//!
//! - the classic transcript (srv1), what YouTube's transcript endpoint and
//!   youtube-transcript-api's raw fetch return:
//!   `<transcript><text start="1.54" dur="4.16">…</text>…</transcript>`,
//!   times in seconds;
//! - srv3, `<timedtext format="3"><body><p t="1540" d="4160">…</p>`, times in
//!   milliseconds; auto-captions cut a `<p>` into `<s t="offset">word</s>`
//!   children whose offsets (from the `<p>`) become marks, like json3 segs
//!   in [`crate::formats::youtube`].
//!
//! The text is escaped once by XML and often once more by YouTube
//! (`&amp;#39;` for `'`, `&lt;font color=…&gt;`): after the XML parser, each
//! piece is decoded again and its tags removed. A `<p>` that holds only
//! whitespace (the `a="1"` "append" paragraphs of auto-captions) is skipped;
//! an entry without a readable time is skipped with a warning on its line.

use crate::formats::markup::{decode_entities, strip_tags};
use crate::formats::timecode::{from_millis, from_seconds};
use crate::formats::{FormatError, PieceMark, Segment, Transcript, collapse_ws_marked};
use crate::model::{Diagnostic, Millis};
use crate::text::collapse_ws;
use roxmltree::{Document, Node};

const FORMAT: &str = "YouTube timedtext XML";

/// Parses either shape of YouTube timedtext XML.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    let text = crate::formats::clean_input(text);
    let doc = Document::parse(&text).map_err(|e| FormatError::Malformed {
        format: FORMAT,
        message: e.to_string(),
    })?;
    let root = doc.root_element();
    let root_name = root.tag_name().name();
    if root_name != "transcript" && root_name != "timedtext" {
        return Err(FormatError::Malformed {
            format: FORMAT,
            message: format!(
                "the root element is <{root_name}>, expected <transcript> or <timedtext>"
            ),
        });
    }
    let mut transcript = Transcript::default();
    let line_of = |node: Node| doc.text_pos_at(node.range().start).row as usize;
    for node in root.descendants().filter(Node::is_element) {
        match node.tag_name().name() {
            "text" => read_text(node, line_of(node), &mut transcript),
            "p" => read_paragraph(node, line_of(node), &mut transcript),
            _ => {}
        }
    }
    transcript.with_text("the timedtext XML has no caption text")
}

/// Times of an entry from two attributes read by `read`; `None` when the
/// start is missing or unreadable (the entry is then skipped with a warning).
fn times(
    node: Node,
    start_attr: &str,
    duration_attr: &str,
    read: fn(f64) -> Option<Millis>,
) -> Option<(Millis, Option<Millis>)> {
    let number = |attr: &str| node.attribute(attr)?.trim().parse::<f64>().ok();
    let start = number(start_attr).and_then(read)?;
    let end = number(duration_attr)
        .and_then(read)
        .and_then(|d| start.checked_add(d));
    Some((start, end))
}

fn warn_untimed(transcript: &mut Transcript, node: Node, attr: &str, line: usize) {
    transcript.diagnostics.push(
        Diagnostic::warning(format!(
            "<{}> without a readable `{attr}` time; skipped",
            node.tag_name().name()
        ))
        .at_line(line),
    );
}

/// A classic `<text start dur>` entry (seconds).
fn read_text(node: Node, line: usize, transcript: &mut Transcript) {
    let text = collapse_ws(&unescape(&inner_text(node)));
    if text.is_empty() {
        return;
    }
    let Some((start, end)) = times(node, "start", "dur", from_seconds) else {
        warn_untimed(transcript, node, "start", line);
        return;
    };
    transcript.segments.push(Segment {
        line,
        ..Segment::caption(Some(start), end, text)
    });
}

/// An srv3 `<p t d>` paragraph (milliseconds), with `<s t>` word offsets.
fn read_paragraph(node: Node, line: usize, transcript: &mut Transcript) {
    let mut raw = String::new();
    let mut word_offsets: Vec<(usize, Option<f64>)> = Vec::new();
    for child in node.children() {
        if child.is_text() {
            raw.push_str(&unescape(child.text().unwrap_or("")));
        } else if child.is_element() {
            let piece = unescape(&inner_text(child));
            if child.tag_name().name() == "s" && !piece.trim().is_empty() {
                let offset = child
                    .attribute("t")
                    .and_then(|t| t.trim().parse::<f64>().ok());
                word_offsets.push((raw.len(), offset));
            }
            raw.push_str(&piece);
        }
    }
    if raw.trim().is_empty() {
        return;
    }
    let Some((start, end)) = times(node, "t", "d", from_millis) else {
        warn_untimed(transcript, node, "t", line);
        return;
    };
    let marks: Vec<PieceMark> = word_offsets
        .into_iter()
        .filter_map(|(byte, offset)| {
            let at = start.checked_add(from_millis(offset?)?)?;
            Some(PieceMark { byte, at })
        })
        .collect();
    let (text, marks) = collapse_ws_marked(&raw, &marks);
    let mut segment = Segment {
        line,
        ..Segment::caption(Some(start), end, text)
    };
    for m in marks {
        segment.mark(m.byte, m.at);
    }
    transcript.segments.push(segment);
}

/// All text inside a node (the XML parser has decoded it once).
fn inner_text(node: Node) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect()
}

/// Text as YouTube escaped it a second time: references decoded, the tags
/// that decoding reveals (`<font color="#E5E5E5">`) removed, then references
/// decoded once more (`&amp;#39;` reaches here as `&#39;`).
fn unescape(text: &str) -> String {
    decode_entities(&strip_tags(&decode_entities(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_transcript_with_entities_tags_and_newlines() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\" ?><transcript>\
            <text start=\"1.54\" dur=\"4.16\">c&amp;#39;est l&amp;#39;&lt;font color=&quot;#E5E5E5&quot;&gt;été&lt;/font&gt;</text>\n\
            <text start=\"5.7\" dur=\"2\">deux\nlignes &amp;amp; plus</text>\
            <text start=\"8\" dur=\"1\">   </text>\
            <text dur=\"1\">sans début</text>\
            <text start=\"9.001\">Œuvre <font color=\"#CCCCCC\">à</font> voir</text></transcript>";
        let t = parse(xml).unwrap();
        assert_eq!(
            t.rows(),
            [
                (None, Some(1_540), Some(5_700), "c'est l'été"),
                (None, Some(5_700), Some(7_700), "deux lignes & plus"),
                (None, Some(9_001), None, "Œuvre à voir"),
            ]
        );
        assert_eq!(t.diagnostics.len(), 1, "{:?}", t.diagnostics);
        assert_eq!(t.diagnostics[0].line, Some(3));
    }

    #[test]
    fn srv3_paragraphs_and_word_offsets() {
        let xml = r#"<?xml version="1.0" encoding="utf-8" ?>
<timedtext format="3">
<head><ws id="0"/></head>
<body>
<p t="1540" d="4160" w="1"><s ac="0">bonjour</s><s t="400" ac="0"> à</s><s t="800"> tous</s></p>
<p t="3000" d="2700" w="1" a="1">
</p>
<p t="5700" d="2000">l&amp;#39;été
arrive</p>
</body>
</timedtext>"#;
        let t = parse(xml).unwrap();
        assert_eq!(
            t.rows(),
            [
                (None, Some(1_540), Some(5_700), "bonjour à tous"),
                (None, Some(5_700), Some(7_700), "l'été arrive"),
            ]
        );
        assert_eq!(t.marked_words(), [("à", 1_940), ("tous", 2_340)]);
        assert_eq!(t.segments[0].line, 5);
    }

    #[test]
    fn malformed_inputs() {
        for input in ["", "<transcript>", "<feed/>", "pas du xml"] {
            assert!(
                matches!(parse(input), Err(FormatError::Malformed { .. })),
                "{input:?}"
            );
        }
        assert!(matches!(
            parse("<transcript><text start=\"1\"> </text></transcript>"),
            Err(FormatError::NoText(_))
        ));
    }
}
