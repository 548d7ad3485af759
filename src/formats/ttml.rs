//! TTML / DFXP (W3C Timed Text Markup Language): the XML captions that
//! broadcasters, streaming services and caption tools deliver, including the
//! profiles built on it (SMPTE-TT, EBU-TT, IMSC) and the old DFXP namespaces.
//!
//! Each `<p>` is a cue. Its times are the `begin`, `end` and `dur` of the
//! element, relative to the `body`/`div` that contains it (a `par` container
//! starts its children at its own begin; a `seq` container starts each child
//! where the previous one ends). Time expressions are clock times
//! (`hh:mm:ss.fraction`, `hh:mm:ss:frames.subframes`) or offsets (`1.5s`,
//! `12f`, `12345678t`), read with the document's `ttp:` parameters (frame
//! rate and multiplier, sub-frame rate, tick rate, SMPTE time base with its
//! drop mode). Times are computed exactly as fractions of a second and rounded
//! to the nearest millisecond (halves up) once, at the end.
//!
//! Text comes from the `<p>` and its `<span>`s (`<br/>` separates words);
//! a `<span>` with its own `begin` becomes a [`crate::formats::PieceMark`].
//! Speakers come from `ttm:agent` references to the `<ttm:agent>`s declared in
//! the head (their `<ttm:name>`, else their id); the language from `xml:lang`;
//! the title from `<ttm:title>`. The document is read as a DOM (`roxmltree`,
//! as for RSS feeds): timing is inherited down the tree and agents are
//! declared apart from where they are used.

use crate::formats::markup::xml_root_start_tag;
use crate::formats::{FormatError, PieceMark, Segment, Transcript, collapse_ws_marked};
use crate::model::{Diagnostic, Millis};
use roxmltree::{Document, Node, ParsingOptions};
use std::collections::HashMap;

const FORMAT: &str = "TTML";

/// The namespaces a `<tt>` root may be in: TTML 1/2 (and the profiles built
/// on it), then the two DFXP drafts still found in old files.
const TT_NAMESPACES: &[&str] = &[
    "http://www.w3.org/ns/ttml",
    "http://www.w3.org/2006/10/ttaf1",
    "http://www.w3.org/2006/04/ttaf1",
];

const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Deeper elements are ignored (and reported): no real caption nests this
/// far, and the walk is recursive.
const MAX_DEPTH: usize = 64;

/// Whether the text is a TTML document: its root element is `<tt>` in one of
/// the TTML or DFXP namespaces. Looks at the root's start tag only.
pub fn sniff(text: &str) -> bool {
    xml_root_start_tag(text).is_some_and(|tag| {
        let name = tag
            .trim_start_matches('<')
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name);
        local == "tt" && TT_NAMESPACES.iter().any(|ns| tag.contains(ns))
    })
}

/// Parses a TTML or DFXP document.
pub fn parse(text: &str) -> Result<Transcript, FormatError> {
    let text = crate::formats::clean_input(text);
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&text, options).map_err(|e| malformed(e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "tt" {
        return Err(malformed(format!(
            "the root element is <{}>, expected <tt>",
            root.tag_name().name()
        )));
    }
    let mut reader = Reader {
        doc: &doc,
        tt_namespace: root.tag_name().namespace(),
        timing: Timing::default(),
        agents: HashMap::new(),
        transcript: Transcript::default(),
    };
    reader.timing = reader.read_parameters(root);
    reader.transcript.language = lang_of(root);
    if let Some(head) = reader.child(root, "head") {
        reader.read_head(head);
    }
    if let Some(body) = reader.child(root, "body") {
        let top = Context {
            begin: None,
            end: None,
            agent: None,
        };
        reader.walk(body, &top, None, 0);
        // Without `xml:lang` on the root, the first element of the body that has one.
        if reader.transcript.language.is_none() {
            reader.transcript.language = body.descendants().find_map(lang_of);
        }
    }
    reader
        .transcript
        .with_text("no <p> with text in the TTML document")
}

fn malformed(message: String) -> FormatError {
    FormatError::Malformed {
        format: FORMAT,
        message,
    }
}

/// A time or duration in seconds, kept as an exact fraction: frame and tick
/// rates such as 30000/1001 make every decimal rounding visible.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Exact {
    num: u128,
    den: u128,
}

/// Above this many seconds (about 31 700 years, like
/// [`crate::model::seconds::from_seconds`]) a time is refused.
const MAX_SECONDS: u128 = 1_000_000_000_000;

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Exact {
    const ZERO: Exact = Exact { num: 0, den: 1 };

    fn new(num: u128, den: u128) -> Option<Exact> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let exact = Exact {
            num: num / g,
            den: den / g,
        };
        (exact.num / exact.den <= MAX_SECONDS).then_some(exact)
    }

    fn whole(n: u128) -> Option<Exact> {
        Exact::new(n, 1)
    }

    fn add(self, other: Exact) -> Option<Exact> {
        let num = self
            .num
            .checked_mul(other.den)?
            .checked_add(other.num.checked_mul(self.den)?)?;
        Exact::new(num, self.den.checked_mul(other.den)?)
    }

    fn mul(self, num: u128, den: u128) -> Option<Exact> {
        Exact::new(self.num.checked_mul(num)?, self.den.checked_mul(den)?)
    }

    fn min(self, other: Exact) -> Exact {
        // Compared by cross-multiplication; should that overflow (it cannot
        // for bounded times with rate denominators), `self` is kept.
        match (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            (Some(a), Some(b)) if b < a => other,
            _ => self,
        }
    }

    /// Milliseconds, rounded to the nearest (halves up).
    fn millis(self) -> Millis {
        let ms = self
            .num
            .saturating_mul(2000)
            .saturating_add(self.den)
            .checked_div(self.den.saturating_mul(2))
            .unwrap_or(0);
        Millis::try_from(ms).unwrap_or(Millis::MAX)
    }
}

/// A decimal number as written (`12`, `1.5`, `0.040`), exactly.
fn decimal(s: &str) -> Option<Exact> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 20 || frac.len() > 12 || !digits(int) || !digits(frac) {
        return None;
    }
    let scale = 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?;
    let int: u128 = int.parse().ok()?;
    let frac: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Exact::new(int.checked_mul(scale)?.checked_add(frac)?, scale)
}

/// Which SMPTE frame labels are skipped (`ttp:dropMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DropMode {
    NonDrop,
    /// 29.97 fps: frames 0 and 1 of every minute, except every tenth minute.
    DropNtsc,
    /// PAL-M: frames 0 to 3 of every even minute, except every twentieth.
    DropPal,
}

/// The `ttp:` parameters that give time expressions their meaning.
#[derive(Debug, Clone, Copy)]
struct Timing {
    /// `ttp:frameRate`: frames per (nominal) second, labels `00` to `rate - 1`.
    frame_rate: u128,
    /// `ttp:frameRateMultiplier` (`1000 1001` for 29.97): numerator, denominator.
    multiplier: (u128, u128),
    /// `ttp:subFrameRate`.
    sub_frame_rate: u128,
    /// `ttp:tickRate`, ticks per second, as a fraction (its default derives
    /// from the effective frame rate, which may be fractional).
    tick_rate: (u128, u128),
    /// `ttp:timeBase="smpte"`: clock times are frame labels, not real time.
    smpte: bool,
    drop_mode: DropMode,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            frame_rate: 30,
            multiplier: (1, 1),
            sub_frame_rate: 1,
            tick_rate: (1, 1),
            smpte: false,
            drop_mode: DropMode::NonDrop,
        }
    }
}

impl Timing {
    /// The length of `frames` frames (a fraction allowed: sub-frames).
    fn frames(&self, frames: Exact) -> Option<Exact> {
        let (mul_num, mul_den) = self.multiplier;
        frames.mul(mul_den, self.frame_rate.checked_mul(mul_num)?)
    }

    fn ticks(&self, ticks: Exact) -> Option<Exact> {
        let (rate_num, rate_den) = self.tick_rate;
        ticks.mul(rate_den, rate_num)
    }

    /// Reads a time expression: a clock time or an offset time.
    fn parse(&self, value: &str) -> Option<Exact> {
        let value = value.trim();
        if value.contains(':') {
            self.clock(value)
        } else {
            self.offset(value)
        }
    }

    /// `<number><metric>`: `1.5s`, `200ms`, `2m`, `1h`, `12f`, `12345678t`.
    fn offset(&self, value: &str) -> Option<Exact> {
        let split = value.find(|c: char| !c.is_ascii_digit() && c != '.')?;
        let (number, metric) = value.split_at(split);
        let number = decimal(number)?;
        match metric {
            "h" => number.mul(3600, 1),
            "m" => number.mul(60, 1),
            "s" => Some(number),
            "ms" => number.mul(1, 1000),
            "f" => self.frames(number),
            "t" => self.ticks(number),
            _ => None,
        }
    }

    /// `hh:mm:ss`, `hh:mm:ss.fraction`, `hh:mm:ss:frames`,
    /// `hh:mm:ss:frames.subframes` (`;` before the frames, as drop-frame
    /// timecodes write it, is accepted too).
    fn clock(&self, value: &str) -> Option<Exact> {
        let parts: Vec<&str> = value.split([':', ';']).collect();
        let (h, m, s, frames) = match parts.as_slice() {
            [h, m, s] => (*h, *m, *s, None),
            [h, m, s, f] => (*h, *m, *s, Some(*f)),
            _ => return None,
        };
        let int = |d: &str, max_len: usize| -> Option<u128> {
            if d.is_empty() || d.len() > max_len || !d.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            d.parse().ok()
        };
        let hours = int(h, 6)?;
        let minutes = int(m, 2)?;
        // With frames, the seconds are whole; without, they may have a fraction.
        let (seconds, fraction) = match frames {
            Some(_) => (int(s, 2)?, Exact::ZERO),
            None => {
                let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
                let fraction = if frac.is_empty() {
                    Exact::ZERO
                } else {
                    decimal(&format!("0.{frac}"))?
                };
                (int(whole, 2)?, fraction)
            }
        };
        if minutes >= 60 || seconds >= 60 {
            return None;
        }
        let (frame, sub_frame) = match frames {
            Some(f) => {
                let (frame, sub) = f.split_once('.').unwrap_or((f, ""));
                let frame = int(frame, 4)?;
                let sub = if sub.is_empty() { 0 } else { int(sub, 4)? };
                if frame >= self.frame_rate || sub >= self.sub_frame_rate.max(1) {
                    return None;
                }
                (frame, sub)
            }
            None => (0, 0),
        };
        let whole_seconds = hours
            .checked_mul(3600)?
            .checked_add(minutes * 60 + seconds)?;
        let sub_frames = Exact::new(sub_frame, self.sub_frame_rate)?;
        if self.smpte {
            // A label, not a time: count the frames it names, minus the
            // labels the drop mode skips, and play them at the effective rate.
            let minutes_total = hours.checked_mul(60)?.checked_add(minutes)?;
            let dropped = match self.drop_mode {
                DropMode::NonDrop => 0,
                DropMode::DropNtsc => 2 * (minutes_total - minutes_total / 10),
                DropMode::DropPal => 4 * (minutes_total / 2 - minutes_total / 20),
            };
            let counted = whole_seconds
                .checked_mul(self.frame_rate)?
                .checked_add(frame)?;
            let frames = Exact::whole(counted.saturating_sub(dropped))?.add(sub_frames)?;
            return self.frames(frames)?.add(fraction);
        }
        let frames = Exact::whole(frame)?.add(sub_frames)?;
        Exact::whole(whole_seconds)?
            .add(fraction)?
            .add(self.frames(frames)?)
    }
}

/// Timing and speaker inherited from the enclosing elements.
#[derive(Debug, Clone)]
struct Context {
    begin: Option<Exact>,
    end: Option<Exact>,
    agent: Option<String>,
}

/// A time attribute whose value could not be read.
struct BadTime {
    attribute: &'static str,
    value: String,
}

struct Reader<'a, 'input> {
    doc: &'a Document<'input>,
    tt_namespace: Option<&'a str>,
    timing: Timing,
    /// `xml:id` of each `<ttm:agent>` -> the speaker's name.
    agents: HashMap<String, String>,
    transcript: Transcript,
}

/// Whether the node is in a TTML sub-namespace (`...#parameter`, `...#metadata`).
fn in_namespace(namespace: Option<&str>, suffix: &str) -> bool {
    namespace.is_some_and(|ns| {
        ns.strip_suffix(suffix)
            .and_then(|base| base.strip_suffix('#'))
            .is_some_and(|base| TT_NAMESPACES.contains(&base))
    })
}

/// An attribute by local name in a TTML sub-namespace.
fn ttml_attribute<'a>(node: Node<'a, '_>, suffix: &str, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name && in_namespace(a.namespace(), suffix))
        .map(|a| a.value())
}

fn parameter<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    ttml_attribute(node, "parameter", name)
}

fn metadata_attribute<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    ttml_attribute(node, "metadata", name)
}

fn is_metadata_element(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && in_namespace(node.tag_name().namespace(), "metadata")
}

/// `xml:lang` as given, trimmed; `None` when empty.
fn lang_of(node: Node) -> Option<String> {
    node.attribute((XML_NAMESPACE, "lang"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}

/// All the text inside a node, whitespace collapsed.
fn text_content(node: Node) -> String {
    let raw: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    crate::text::collapse_ws(&raw)
}

impl<'a, 'input> Reader<'a, 'input> {
    fn line(&self, node: Node) -> usize {
        usize::try_from(self.doc.text_pos_at(node.range().start).row).unwrap_or(1)
    }

    fn warn(&mut self, node: Node, message: String) {
        let line = self.line(node);
        self.transcript
            .diagnostics
            .push(Diagnostic::warning(message).at_line(line));
    }

    /// Whether the node is the TTML element `name` (in the root's namespace).
    fn is(&self, node: Node, name: &str) -> bool {
        node.is_element()
            && node.tag_name().name() == name
            && node.tag_name().namespace() == self.tt_namespace
    }

    fn child(&self, node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
        node.children().find(|n| self.is(*n, name))
    }

    /// The `ttp:` parameters of the root; a value that cannot be read is
    /// reported and its default kept.
    fn read_parameters(&mut self, root: Node) -> Timing {
        let mut timing = Timing::default();
        let positive = |v: &str| v.trim().parse::<u128>().ok().filter(|n| *n > 0);
        let frame_rate = parameter(root, "frameRate");
        if let Some(value) = frame_rate {
            match positive(value) {
                Some(rate) => timing.frame_rate = rate,
                None => self.warn(
                    root,
                    format!("unreadable ttp:frameRate {value:?}; 30 assumed"),
                ),
            }
        }
        if let Some(value) = parameter(root, "frameRateMultiplier") {
            let mut numbers = value.split_whitespace().map(positive);
            match (numbers.next(), numbers.next(), numbers.next()) {
                (Some(Some(num)), Some(Some(den)), None) => timing.multiplier = (num, den),
                _ => self.warn(
                    root,
                    format!("unreadable ttp:frameRateMultiplier {value:?}; 1 1 assumed"),
                ),
            }
        }
        if let Some(value) = parameter(root, "subFrameRate") {
            match positive(value) {
                Some(rate) => timing.sub_frame_rate = rate,
                None => self.warn(
                    root,
                    format!("unreadable ttp:subFrameRate {value:?}; 1 assumed"),
                ),
            }
        }
        // Without a tick rate, ticks are sub-frames when a frame rate is
        // given, else seconds.
        if frame_rate.is_some() {
            let (num, den) = timing.multiplier;
            timing.tick_rate = (
                timing
                    .frame_rate
                    .saturating_mul(num)
                    .saturating_mul(timing.sub_frame_rate),
                den,
            );
        }
        if let Some(value) = parameter(root, "tickRate") {
            match positive(value) {
                Some(rate) => timing.tick_rate = (rate, 1),
                None => self.warn(root, format!("unreadable ttp:tickRate {value:?}")),
            }
        }
        timing.smpte = parameter(root, "timeBase").is_some_and(|b| b.trim() == "smpte");
        if let Some(value) = parameter(root, "dropMode") {
            timing.drop_mode = match value.trim() {
                "dropNTSC" => DropMode::DropNtsc,
                "dropPAL" => DropMode::DropPal,
                "nonDrop" => DropMode::NonDrop,
                _ => {
                    self.warn(
                        root,
                        format!("unknown ttp:dropMode {value:?}; nonDrop assumed"),
                    );
                    DropMode::NonDrop
                }
            };
        }
        timing
    }

    /// The title (`<ttm:title>`) and the speakers (`<ttm:agent>`) declared in `<head>`.
    fn read_head(&mut self, head: Node) {
        for node in head.descendants() {
            if is_metadata_element(node, "title") && self.transcript.title.is_none() {
                let title = text_content(node);
                if !title.is_empty() {
                    self.transcript.title = Some(title);
                }
            } else if is_metadata_element(node, "agent") {
                let Some(id) = node.attribute((XML_NAMESPACE, "id")) else {
                    continue;
                };
                let names: Vec<Node> = node
                    .children()
                    .filter(|n| is_metadata_element(*n, "name"))
                    .collect();
                // A full name over an alias or a family name.
                let name = names
                    .iter()
                    .find(|n| n.attribute("type") == Some("full"))
                    .or(names.first())
                    .map(|n| text_content(*n))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| id.to_string());
                self.agents.insert(id.to_string(), name);
            }
        }
    }

    /// The speaker an element names (`ttm:agent`, the first of a list).
    fn agent_of(&self, node: Node) -> Option<String> {
        let id = metadata_attribute(node, "agent")?
            .split_whitespace()
            .next()?;
        Some(
            self.agents
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string()),
        )
    }

    /// The begin and end of an element from its `begin`, `end` and `dur`,
    /// relative to `base` (where its time container starts it).
    fn times(
        &self,
        node: Node,
        base: Option<Exact>,
        parent: &Context,
    ) -> Result<(Option<Exact>, Option<Exact>), BadTime> {
        let read = |attribute: &'static str| -> Result<Option<Exact>, BadTime> {
            match node.attribute(attribute) {
                None => Ok(None),
                Some(value) => self.timing.parse(value).map(Some).ok_or_else(|| BadTime {
                    attribute,
                    value: value.to_string(),
                }),
            }
        };
        let offset = |time: Exact, attribute: &'static str| {
            base.unwrap_or(Exact::ZERO)
                .add(time)
                .ok_or_else(|| BadTime {
                    attribute,
                    value: node.attribute(attribute).unwrap_or("").to_string(),
                })
        };
        let begin = match read("begin")? {
            Some(t) => Some(offset(t, "begin")?),
            None => base,
        };
        let end = match read("end")? {
            Some(t) => Some(offset(t, "end")?),
            None => None,
        };
        let by_duration = match read("dur")? {
            Some(d) => begin.unwrap_or(Exact::ZERO).add(d),
            None => None,
        };
        let end = match (end, by_duration) {
            (Some(e), Some(d)) => Some(e.min(d)),
            (e, d) => e.or(d).or(parent.end),
        };
        Ok((begin, end))
    }

    /// Reads `body`, `div` and `p` elements under `node` into segments.
    /// `base` is where the node's time container starts it.
    fn walk(
        &mut self,
        node: Node<'a, 'input>,
        parent: &Context,
        base: Option<Exact>,
        depth: usize,
    ) -> Option<Exact> {
        if depth > MAX_DEPTH {
            self.warn(
                node,
                format!("elements nested deeper than {MAX_DEPTH} levels are ignored"),
            );
            return None;
        }
        let (begin, end) = match self.times(node, base, parent) {
            Ok(times) => times,
            Err(bad) => {
                let what = node.tag_name().name().to_string();
                if what == "p" {
                    self.warn(
                        node,
                        format!(
                            "unreadable time {}={:?} on <p>; cue skipped",
                            bad.attribute, bad.value
                        ),
                    );
                    return None;
                }
                self.warn(
                    node,
                    format!(
                        "unreadable time {}={:?} on <{what}>; its cues are timed from the enclosing element",
                        bad.attribute, bad.value
                    ),
                );
                (base, parent.end)
            }
        };
        let context = Context {
            begin,
            end,
            agent: self.agent_of(node).or_else(|| parent.agent.clone()),
        };
        if self.is(node, "p") {
            self.read_paragraph(node, &context);
            return context.end;
        }
        let sequential = node.attribute("timeContainer") == Some("seq");
        let mut previous_end: Option<Exact> = None;
        for child in node.children() {
            if !(self.is(child, "div") || self.is(child, "p")) {
                continue;
            }
            let child_base = if sequential {
                previous_end.or(context.begin)
            } else {
                context.begin
            };
            previous_end = self.walk(child, &context, child_base, depth + 1);
        }
        context.end
    }

    fn read_paragraph(&mut self, p: Node, context: &Context) {
        let mut text = String::new();
        let mut marks = Vec::new();
        let mut span_agent = None;
        self.collect_text(p, context, &mut text, &mut marks, &mut span_agent, 0);
        let (text, marks) = collapse_ws_marked(&text, &marks);
        if text.is_empty() {
            return;
        }
        let start = context.begin.map(Exact::millis);
        let end = context.end.map(Exact::millis).filter(|e| start <= Some(*e));
        let mut segment = Segment {
            start,
            end,
            speaker: context.agent.clone().or(span_agent),
            text,
            line: self.line(p),
            marks: Vec::new(),
        };
        for m in marks {
            segment.mark(m.byte, m.at);
        }
        self.transcript.segments.push(segment);
    }

    /// Appends the text inside `node` (spans included, `<br/>` as a line
    /// break) and marks where spans with their own begin start.
    fn collect_text(
        &mut self,
        node: Node,
        context: &Context,
        text: &mut String,
        marks: &mut Vec<PieceMark>,
        span_agent: &mut Option<String>,
        depth: usize,
    ) {
        for child in node.children() {
            if child.is_text() {
                text.push_str(child.text().unwrap_or(""));
            } else if self.is(child, "br") {
                text.push('\n');
            } else if self.is(child, "span") && depth < MAX_DEPTH {
                let (span_begin, _) =
                    self.times(child, context.begin, context)
                        .unwrap_or_else(|bad| {
                            self.transcript.diagnostics.push(
                                Diagnostic::warning(format!(
                                    "unreadable time {}={:?} on <span>; its text kept with the cue",
                                    bad.attribute, bad.value
                                ))
                                .at_line(self.line(child)),
                            );
                            (context.begin, context.end)
                        });
                if child.attribute("begin").is_some()
                    && let Some(at) = span_begin
                {
                    marks.push(PieceMark {
                        byte: text.len(),
                        at: at.millis(),
                    });
                }
                if span_agent.is_none() {
                    *span_agent = self.agent_of(child);
                }
                let inner = Context {
                    begin: span_begin,
                    ..context.clone()
                };
                self.collect_text(child, &inner, text, marks, span_agent, depth + 1);
            }
            // Metadata, animation (`<set>`) and foreign elements hold no spoken text.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing() -> Timing {
        Timing::default()
    }

    #[test]
    fn time_expressions() {
        let ms = |t: &Timing, v: &str| t.parse(v).map(Exact::millis);
        let media = timing();
        for (value, want) in [
            ("00:00:01.5", Some(1_500)),
            ("01:02:03.004", Some(3_723_004)),
            ("00:00:05", Some(5_000)),
            ("1.5s", Some(1_500)),
            ("2m", Some(120_000)),
            ("1h", Some(3_600_000)),
            ("250ms", Some(250)),
            ("0.0005s", Some(1)), // 0.5 ms rounds up
            ("15f", Some(500)),   // 30 fps by default
            ("3t", Some(3_000)),  // tick rate 1 without a frame rate
            ("00:00:01:15", Some(1_500)),
            ("00:00:01:30", None), // frame 30 does not exist at 30 fps
            ("00:60:00", None),
            ("1.5", None),
            ("s", None),
            ("1x", None),
            ("", None),
            ("1:2", None),
        ] {
            assert_eq!(ms(&media, value), want, "{value:?}");
        }
        let ntsc = Timing {
            multiplier: (1000, 1001),
            ..timing()
        };
        // Frame 15 at 30000/1001 fps: 15 * 1001 / 30000 s = 500.5 ms -> 501.
        assert_eq!(ms(&ntsc, "00:00:00:15"), Some(501));
        let drop = Timing {
            multiplier: (1000, 1001),
            smpte: true,
            drop_mode: DropMode::DropNtsc,
            ..timing()
        };
        // 00:01:00;02 is the first label of minute 1: 1800 frames played,
        // 1800 * 1001 / 30000 s = 60.06 s.
        assert_eq!(ms(&drop, "00:01:00;02"), Some(60_060));
        // 00:10:00:00: 18000 labels, 18 dropped: 17982 * 1001 / 30 ms = 599 999.4 ms.
        assert_eq!(ms(&drop, "00:10:00:00"), Some(599_999));
        assert_eq!(ms(&drop, "99999999999h"), None);
    }

    #[test]
    fn sniffing_needs_the_ttml_namespace() {
        for (text, want) in [
            (
                "<?xml version=\"1.0\"?>\n<!-- c -->\n<tt xmlns=\"http://www.w3.org/ns/ttml\"><body/></tt>",
                true,
            ),
            (
                "<tt:tt xmlns:tt=\"http://www.w3.org/ns/ttml\" xml:lang=\"en\">",
                true,
            ),
            ("<tt xmlns=\"http://www.w3.org/2006/04/ttaf1\">", true),
            ("<tt>", false),
            ("<rss xmlns=\"http://www.w3.org/ns/ttml\">", false),
            ("<ttx xmlns=\"http://www.w3.org/ns/ttml\">", false),
            ("WEBVTT", false),
        ] {
            assert_eq!(sniff(text), want, "{text}");
        }
    }

    #[test]
    fn spans_with_their_own_begin_become_marks() {
        let doc = r#"<tt xmlns="http://www.w3.org/ns/ttml"><body><div begin="10s">
<p begin="1s" end="4s"><span>Un</span> <span begin="1s">deux</span><br/><span begin="2.5s">trois</span></p>
</div></body></tt>"#;
        let t = parse(doc).unwrap();
        assert_eq!(
            t.rows(),
            [(None, Some(11_000), Some(14_000), "Un deux trois")]
        );
        assert_eq!(t.marked_words(), [("deux", 12_000), ("trois", 13_500)]);
    }

    #[test]
    fn malformed_documents_are_named() {
        for (doc, want) in [
            ("<tt xmlns=\"http://www.w3.org/ns/ttml\"><body>", "TTML"),
            ("<rss/>", "expected <tt>"),
            (
                "<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><div><p begin=\"1s\"> </p></div></body></tt>",
                "no <p> with text",
            ),
        ] {
            let err = parse(doc).unwrap_err().to_string();
            assert!(err.contains(want), "{doc}: {err}");
        }
    }
}
