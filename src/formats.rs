//! Format detection and dispatch: bytes of one file -> a [`Transcript`].
//!
//! Every layout has one pure parser in `src/formats/<layout>.rs`
//! (`fn parse(text: &str) -> Result<Transcript, FormatError>`). Detection looks
//! at the content: scraped pages and caption dumps all arrive as `.txt`, and
//! only an explicit subtitle or HTML extension is taken at its word.
//!
//! A [`Transcript`] is what a file says, before verbatim cuts it into
//! passages: [`crate::ingest::normalize`] turns it into an
//! [`Episode`](crate::model::Episode). Beside the parsers live what they
//! share: [`markup`] (tags, entities), [`timecode`] (clock times, durations),
//! [`dates`] (French dates), [`lenient_json`], [`speaker_prefix`],
//! [`subtitle_speakers`] (speaker tags and dialogue dashes, applied to every
//! subtitle format after parsing), and the
//! companion files ([`companions`]: [`sidecar`], chapters, [`rttm`], [`rss`]).

pub mod caption_lines;
pub mod companions;
pub mod credits;
pub mod dates;
pub mod diarized_dump;
pub mod lenient_json;
pub mod markup;
pub mod participants;
pub mod podcast_page;
pub mod podcasting20;
pub mod rss;
pub mod rttm;
pub mod sami;
pub mod sbv;
pub mod sidecar;
pub mod sniff;
pub mod speaker_prefix;
pub mod srt;
pub mod subtitle_speakers;
pub mod timecode;
pub mod ttml;
pub mod webvtt;
pub mod whisper;
pub mod youtube;
pub mod youtube_xml;

use crate::model::{Diagnostic, Millis, Participant};
use crate::text::collapse_ws;
use chrono::NaiveDate;
use std::borrow::Cow;

/// The layouts verbatim reads, for error messages (keep in step with [`Format`]).
pub const SUPPORTED: &str = "WebVTT (.vtt), SRT (.srt), Podcasting 2.0 JSON and HTML transcripts, \
Whisper / faster-whisper / whisper-timestamped / WhisperX / whisper.cpp JSON, YouTube json3, \
youtube-transcript-api JSON, YouTube timedtext XML (<transcript> or <timedtext>), SBV (.sbv, YouTube Studio), \
TTML / DFXP (.ttml, .dfxp, .xml with a <tt> root), SAMI (.smi), \
podcast_page (a podcast web page with 'Date de sortie:' and a chapter list), \
caption_lines ('12:34 text' or '12:34text' lines), \
diarized_dump ('[0.03s - 106.50s] SPEAKER_02 : text' lines)";

/// A transcript layout verbatim can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// (a) A podcast web page: metadata, a chapter list, then untimed text.
    PodcastPage,
    /// (b) and (d) Caption lines starting with a timestamp (`12:34Bonjour`, `12:34 Bonjour`).
    CaptionLines,
    /// (c) A diarized dump: `[0.03s - 106.50s] SPEAKER_02 :  text`.
    DiarizedDump,
    /// WebVTT captions (`.vtt`), including yt-dlp rolling auto-captions.
    Webvtt,
    /// SubRip subtitles (`.srt`).
    Srt,
    /// Podcasting 2.0 JSON transcript (`segments[]` with `startTime`/`body`).
    Podcasting20Json,
    /// Podcasting 2.0 HTML transcript (`<cite>`, `<time>`, `<p>`).
    Podcasting20Html,
    /// openai-whisper JSON, OpenAI `verbose_json`, faster-whisper dumps, whisper-timestamped.
    WhisperJson,
    /// WhisperX JSON (segments and words with speakers).
    WhisperxJson,
    /// whisper.cpp `-oj` output (`transcription[]`).
    WhisperCppJson,
    /// YouTube json3 captions (`events[]` with `segs`).
    YoutubeJson3,
    /// youtube-transcript-api dump (`[{text, start, duration}]`).
    YoutubeTranscriptApi,
    /// W3C Timed Text (TTML, DFXP, SMPTE-TT, EBU-TT, IMSC): `<tt>` with `<p begin end>`.
    Ttml,
    /// SAMI captions (`.smi`): `<SYNC Start=ms><P Class=...>`.
    Sami,
    /// YouTube timedtext XML: `<transcript><text start dur>` or srv3 `<timedtext><body><p t d>`.
    YoutubeXml,
    /// YouTube Studio's caption download (`.sbv`): `0:00:00.378,0:00:11.378` then text.
    Sbv,
}

impl Format {
    /// The name shown by `verbatim inspect` and stored in `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::PodcastPage => "podcast_page",
            Format::CaptionLines => "caption_lines",
            Format::DiarizedDump => "diarized_dump",
            Format::Webvtt => "webvtt",
            Format::Srt => "srt",
            Format::Podcasting20Json => "podcasting20_json",
            Format::Podcasting20Html => "podcasting20_html",
            Format::WhisperJson => "whisper_json",
            Format::WhisperxJson => "whisperx_json",
            Format::WhisperCppJson => "whisper_cpp_json",
            Format::YoutubeJson3 => "youtube_json3",
            Format::YoutubeTranscriptApi => "youtube_transcript_api",
            Format::Ttml => "ttml",
            Format::Sami => "sami",
            Format::YoutubeXml => "youtube_xml",
            Format::Sbv => "sbv",
        }
    }

    /// The seed layouts, in detection order (the standard formats are
    /// recognized by [`sniff::detect_extended`] first).
    pub const SEED_LAYOUTS: &'static [Format] = &[
        Format::DiarizedDump,
        Format::CaptionLines,
        Format::PodcastPage,
    ];

    /// How much the content looks like this format, 0 (not at all) to 100.
    /// The standard formats are recognized by [`sniff::detect_extended`] instead.
    fn sniff(self, text: &str) -> u32 {
        match self {
            Format::PodcastPage => podcast_page::sniff(text),
            Format::CaptionLines => caption_lines::sniff(text),
            Format::DiarizedDump => diarized_dump::sniff(text),
            _ => 0,
        }
    }

    /// Parses decoded text in this format; `today` dates yearless dates.
    fn parse(self, text: &str, today: NaiveDate) -> Result<Transcript, FormatError> {
        match self {
            Format::PodcastPage => podcast_page::parse_with(text, today),
            Format::CaptionLines => caption_lines::parse_with(text, today),
            Format::DiarizedDump => diarized_dump::parse(text),
            standard => {
                sniff::parse_extended(standard, text).unwrap_or(Err(FormatError::Unrecognized {
                    supported: SUPPORTED,
                }))
            }
        }
    }
}

/// Lines looked at by content detection.
const SNIFF_LINES: usize = 2000;

/// Among the first [`SNIFF_LINES`] non-empty lines of `text` (trimmed), how
/// many satisfy `matches`, and how many were looked at.
pub(crate) fn count_lines(text: &str, matches: impl Fn(&str) -> bool) -> (u32, u32) {
    let mut matching = 0u32;
    let mut total = 0u32;
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(SNIFF_LINES)
    {
        total += 1;
        if matches(line) {
            matching += 1;
        }
    }
    (matching, total)
}

/// Content score a format needs to be chosen.
const MIN_SCORE: u32 = 50;

/// The layout of a file, judged from its content. The standard formats
/// (WebVTT, SRT, JSON exports, HTML) have unambiguous signatures (or an
/// explicit extension) and are tried first.
pub fn detect(file_name: &str, text: &str) -> Option<Format> {
    if let Some(format) = sniff::detect_extended(file_name, text) {
        return Some(format);
    }
    // The seed layouts all arrive as `.txt`: only their content tells them apart.
    let mut scored: Vec<(Format, u32)> = Format::SEED_LAYOUTS
        .iter()
        .map(|f| (*f, f.sniff(text)))
        .filter(|(_, s)| *s >= MIN_SCORE)
        .collect();
    // Highest score first; on equal scores, detection order (the sort is stable).
    scored.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    scored.first().map(|(f, _)| *f)
}

/// Reads one file: decodes it, detects its layout and parses it.
///
/// Decoding problems that still leave readable text (invalid UTF-8, a legacy
/// encoding) become warnings in the transcript's diagnostics.
pub fn parse(file_name: &str, bytes: &[u8]) -> Result<(Format, Transcript), FormatError> {
    parse_as_of(file_name, bytes, dates::today())
}

/// [`parse`] with an explicit reference date for yearless dates (tests).
pub fn parse_as_of(
    file_name: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<(Format, Transcript), FormatError> {
    let decoded = decode(bytes)?;
    let format = detect(file_name, &decoded.text).ok_or(FormatError::Unrecognized {
        supported: SUPPORTED,
    })?;
    let mut transcript = format.parse(&decoded.text, today)?;
    subtitle_speakers::apply(format, &mut transcript);
    let mut diagnostics = decoded.diagnostics;
    diagnostics.append(&mut transcript.diagnostics);
    transcript.diagnostics = diagnostics;
    Ok((format, transcript))
}

/// Text decoded from a file's bytes, with what was noticed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, without BOM, with `\n` line ends.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Bytes to text: strips a BOM, reads UTF-32 and UTF-16 (either byte order)
/// when a BOM says so, and UTF-16 without a BOM when its NUL bytes show it;
/// falls back to Windows-1252 for files with no
/// UTF-8 sequence at all (old French subtitles) and to a lossy UTF-8 decode
/// otherwise, and normalises line ends to `\n`. Any encoding other than
/// UTF-8 is named in a diagnostic.
pub fn decode(bytes: &[u8]) -> Result<Decoded, FormatError> {
    let mut diagnostics = Vec::new();
    let mut read_as = |encoding: &str, how: &str| {
        diagnostics.push(Diagnostic::info(format!("read as {encoding} ({how})")));
    };
    // The UTF-32 LE BOM starts with the UTF-16 LE one: it is tested first.
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        decode_utf8(rest, &mut diagnostics)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE, 0x00, 0x00]) {
        read_as("UTF-32 LE", "byte order mark");
        decode_utf32(rest, u32::from_le_bytes, &mut diagnostics)
    } else if let Some(rest) = bytes.strip_prefix(&[0x00, 0x00, 0xFE, 0xFF]) {
        read_as("UTF-32 BE", "byte order mark");
        decode_utf32(rest, u32::from_be_bytes, &mut diagnostics)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        read_as("UTF-16 LE", "byte order mark");
        decode_utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        read_as("UTF-16 BE", "byte order mark");
        decode_utf16(rest, u16::from_be_bytes)
    } else if let Some((text, encoding)) = utf16_without_bom(bytes) {
        read_as(encoding, "no byte order mark; its NUL bytes show it");
        text
    } else {
        decode_utf8(bytes, &mut diagnostics)?
    };
    if text.trim().is_empty() {
        return Err(FormatError::Empty);
    }
    let text = clean_input(&text).into_owned();
    Ok(Decoded { text, diagnostics })
}

/// Drops a leading UTF-8 BOM and turns CRLF and lone CR line ends into LF.
pub fn clean_input(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

fn decode_utf8(bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> Result<String, FormatError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FormatError::Empty);
    }
    if looks_binary(bytes) {
        return Err(FormatError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let has_utf8_sequences = String::from_utf8_lossy(bytes)
                .chars()
                .any(|c| !c.is_ascii() && c != '\u{FFFD}');
            if has_utf8_sequences {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let bad = text.matches('\u{FFFD}').count();
                diagnostics.push(Diagnostic::warning(format!(
                    "invalid UTF-8 (first at byte {}): {bad} sequence(s) replaced with U+FFFD",
                    e.valid_up_to()
                )));
                Ok(text)
            } else {
                diagnostics.push(Diagnostic::warning(
                    "not UTF-8: read as Windows-1252 (Latin-1); check accented letters",
                ));
                Ok(bytes.iter().map(|b| windows_1252(*b)).collect())
            }
        }
    }
}

fn decode_utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| {
            word([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        })
        .collect();
    String::from_utf16_lossy(&units)
}

/// How much of a file without a BOM is looked at to tell UTF-16 from binary.
const UTF16_SNIFF_BYTES: usize = 4096;

/// A file without a BOM read as UTF-16, when it shows it: in its first
/// [`UTF16_SNIFF_BYTES`], at least half the bytes on one side of each pair
/// are NUL (the high byte of ASCII and Latin-1 letters) and almost none on
/// the other, the file has an even length, and the decoded text is nearly
/// all printable. Binary files have NUL bytes on both sides, or decode to
/// control characters, and are left to [`looks_binary`]. Text in scripts far
/// from Latin (no NUL high byte) is not recognized without a BOM.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    let head = bytes.get(..bytes.len().min(UTF16_SNIFF_BYTES))?;
    let pairs = head.len() / 2;
    if pairs < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .take(pairs)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let shows = |nul: usize, other: usize| nul * 2 >= pairs && other * 20 <= pairs;
    let (word, encoding): (fn([u8; 2]) -> u16, _) = if shows(odd, even) {
        (u16::from_le_bytes, "UTF-16 LE")
    } else if shows(even, odd) {
        (u16::from_be_bytes, "UTF-16 BE")
    } else {
        return None;
    };
    let text = decode_utf16(bytes, word);
    let sample: Vec<char> = text.chars().take(UTF16_SNIFF_BYTES / 2).collect();
    let unprintable = sample
        .iter()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}')) || **c == '\u{FFFD}'
        })
        .count();
    (unprintable * 20 <= sample.len()).then_some((text, encoding))
}

/// UTF-32 code units (`word` gives the byte order) as text; an invalid unit
/// becomes U+FFFD and is counted in a warning.
fn decode_utf32(
    bytes: &[u8],
    word: fn([u8; 4]) -> u32,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let mut invalid = 0usize;
    let text: String = bytes
        .chunks_exact(4)
        .map(|c| {
            let unit = word([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
                c.get(2).copied().unwrap_or(0),
                c.get(3).copied().unwrap_or(0),
            ]);
            char::from_u32(unit).unwrap_or_else(|| {
                invalid += 1;
                '\u{FFFD}'
            })
        })
        .collect();
    if invalid > 0 {
        diagnostics.push(Diagnostic::warning(format!(
            "invalid UTF-32: {invalid} code unit(s) replaced with U+FFFD"
        )));
    }
    text
}

/// NUL bytes, or many control bytes, in the first 64 KiB mean the file is not text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(64 * 1024)).unwrap_or(bytes);
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|b| (**b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C)) || **b == 0x7F)
        .count();
    control * 10 > head.len()
}

/// One Windows-1252 byte as a char (0x80-0x9F hold `€`, `’`, `œ`...; the rest is Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH
            .get(usize::from(b - 0x80))
            .copied()
            .unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// Lines pages put under a transcript (comments, tags, the next episode).
/// A line equal to one of these, near the end, starts the footer.
pub(crate) fn is_footer_marker(line: &str) -> bool {
    let re = crate::text::static_regex!(
        r"(?i)^(?:les infos glanées|[ée]pisode suivant|[ée]pisodes? précédents?|tags|commentaires?|comments|partager|share|vous aimerez aussi|à lire aussi|related|up next)\s*:?$"
    );
    re.is_match(line.trim())
}

/// Index of the first footer line among the last `window` lines, if any.
pub(crate) fn footer_start(lines: &[&str], window: usize) -> Option<usize> {
    let from = lines.len().saturating_sub(window);
    (from..lines.len()).find(|i| lines.get(*i).is_some_and(|l| is_footer_marker(l)))
}

/// What a parser read from one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    pub title: Option<String>,
    pub show: Option<String>,
    pub published: Option<NaiveDate>,
    pub recorded: Option<NaiveDate>,
    pub duration: Option<Millis>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub participants: Vec<Participant>,
    pub chapters: Vec<RawChapter>,
    /// The spoken text in source order: caption lines, turns, paragraphs.
    pub segments: Vec<Segment>,
    /// Segments that open a turn of an unnamed speaker the source marks
    /// inside its cues (dialogue dashes), in order ([`subtitle_speakers`]).
    pub turn_starts: Vec<TurnStart>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A segment that opens a speaker turn without naming its speaker: the
/// passages never join it to the segment before it, even when neither has
/// a speaker (`- Tu viens ? - Oui.` is two people).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnStart {
    /// Index of the segment in [`Transcript::segments`].
    pub segment: usize,
    /// Its start, and the previous segment's end, were interpolated inside
    /// one cue (the source times the cue, not its turns): passages starting
    /// or ending there are `estimated`.
    pub interpolated: bool,
}

impl Transcript {
    /// This transcript, if it holds any text; else why not (`NoText`).
    pub fn with_text(self, why_not: &str) -> Result<Transcript, FormatError> {
        if self.segments.is_empty() {
            Err(FormatError::NoText(why_not.to_string()))
        } else {
            Ok(self)
        }
    }
}

/// A chapter as the source gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawChapter {
    pub title: String,
    pub start: Option<Millis>,
    pub links: Vec<String>,
}

/// One piece of spoken text as the source cuts it (a caption line, a turn, a line of a page).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: Option<Millis>,
    pub end: Option<Millis>,
    pub speaker: Option<String>,
    /// The source's exact words for this piece.
    pub text: String,
    /// 1-based line of the source where the piece starts.
    pub line: usize,
    /// When the timed pieces inside this segment start, where the source is
    /// finer than the segment: Whisper words, the one-word Podcasting 2.0
    /// segments merged into it, json3 `segs`. Sorted by byte. Empty when the
    /// format has nothing finer (the segment's own `start` is then its only
    /// time); a piece at byte 0 that starts with the segment is left out.
    pub marks: Vec<PieceMark>,
}

/// Where a timed piece starts inside a [`Segment`]'s text, and when it is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceMark {
    /// Byte offset in [`Segment::text`] (a character boundary) where the piece starts.
    pub byte: usize,
    /// When the piece starts being said.
    pub at: Millis,
}

impl Segment {
    /// A caption with no speaker, from a file without lines (a JSON export).
    pub fn caption(start: Option<Millis>, end: Option<Millis>, text: String) -> Segment {
        Segment {
            start,
            end,
            speaker: None,
            text,
            line: 1,
            marks: Vec::new(),
        }
    }

    /// Records that the piece starting at `byte` of the text is said at
    /// `at`, unless that says no more than the segment's own start.
    pub fn mark(&mut self, byte: usize, at: Millis) {
        if byte == 0 && self.start == Some(at) {
            return;
        }
        self.marks.push(PieceMark { byte, at });
    }

    /// Drops the first `bytes` bytes of the text (a speaker prefix), and the
    /// marks inside them; the other marks follow their words.
    pub fn drop_front(&mut self, bytes: usize) {
        let Some(rest) = self.text.get(bytes..) else {
            return;
        };
        self.text = rest.to_string();
        self.marks.retain(|m| m.byte >= bytes);
        for m in &mut self.marks {
            m.byte -= bytes;
        }
    }

    /// The text with whitespace collapsed ([`collapse_ws`]) and the marks
    /// moved to where their pieces are in it. A mark on whitespace goes to
    /// the next word; a mark after the last word is dropped.
    pub fn collapsed(&self) -> (String, Vec<PieceMark>) {
        collapse_ws_marked(&self.text, &self.marks)
    }
}

/// [`collapse_ws`] of `text`, with the marks moved to where their pieces
/// are in the collapsed text (and sorted by byte).
pub fn collapse_ws_marked(text: &str, marks: &[PieceMark]) -> (String, Vec<PieceMark>) {
    if marks.is_empty() {
        return (collapse_ws(text), Vec::new());
    }
    let marks: Cow<'_, [PieceMark]> = if marks.is_sorted_by_key(|m| m.byte) {
        Cow::Borrowed(marks)
    } else {
        let mut sorted = marks.to_vec();
        sorted.sort_by_key(|m| m.byte);
        Cow::Owned(sorted)
    };
    let mut out = String::with_capacity(text.len());
    let mut moved = Vec::with_capacity(marks.len());
    let mut pending = marks.iter().peekable();
    let mut pending_space = false;
    for (i, c) in text.char_indices() {
        if c.is_ascii_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        // Every mark at or before this character (a mark on the whitespace
        // before it included) now points at it.
        while let Some(m) = pending.next_if(|m| m.byte <= i) {
            moved.push(PieceMark {
                byte: out.len(),
                at: m.at,
            });
        }
        out.push(c);
    }
    (out, moved)
}

/// Why a file could not be read as a transcript.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormatError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is binary, not text")]
    Binary,
    #[error("the file is not a transcript verbatim recognizes (supported: {supported})")]
    Unrecognized { supported: &'static str },
    #[error("the file holds no transcript text: {0}")]
    NoText(String),
    #[error("malformed {format}: {message}")]
    Malformed {
        format: &'static str,
        message: String,
    },
}

/// (speaker, start, end, text) of a segment, as the parsers' tests compare them.
#[cfg(test)]
pub(crate) type SegmentRow<'a> = (Option<&'a str>, Option<Millis>, Option<Millis>, &'a str);

#[cfg(test)]
impl Transcript {
    /// (speaker, start, end, text) of every segment: what the parsers' golden tests compare.
    pub(crate) fn rows(&self) -> Vec<SegmentRow<'_>> {
        self.segments
            .iter()
            .map(|s| (s.speaker.as_deref(), s.start, s.end, s.text.as_str()))
            .collect()
    }

    /// (the word at the mark, its time) of every mark of every segment, in
    /// order: what the parsers' mark tests compare.
    pub(crate) fn marked_words(&self) -> Vec<(&str, Millis)> {
        self.segments
            .iter()
            .flat_map(|s| {
                s.marks.iter().map(|m| {
                    let rest = s.text.get(m.byte..).unwrap_or("");
                    (rest.split(' ').next().unwrap_or(""), m.at)
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_table() {
        for (text, want) in [
            (
                "[0.03s - 1.50s] SPEAKER_02 :  Bonjour\n[1.5s - 2s] SPEAKER_00 : Oui\n",
                Some(Format::DiarizedDump),
            ),
            (
                "**Titre**\n\n[0.03s - 1.50s] SPEAKER_02 : a\n[1.5s - 2s] B : b\n[2s - 3s] A : c\n",
                Some(Format::DiarizedDump),
            ),
            (
                "Intro\n00:01Bonjour\n00:02Suite\n00:04Fin\n",
                Some(Format::CaptionLines),
            ),
            ("00:01 Bonjour\n1:00:02 Suite\n", Some(Format::CaptionLines)),
            (
                "Titre\nDurée: None\nDate de sortie: 01/02/2024\nBonjour\nSuite\n",
                Some(Format::PodcastPage),
            ),
            ("Juste du texte.\nSur deux lignes.\n", None),
            ("Date de sortie: 01/02/2024\n", None),
        ] {
            assert_eq!(detect("x.txt", text), want, "{text}");
        }
    }

    #[test]
    fn clean_input_cases() {
        for (input, want) in [
            ("\u{feff}WEBVTT\r\n\r\nx", "WEBVTT\n\nx"),
            ("a\rb\r\nc\n", "a\nb\nc\n"),
            ("déjà", "déjà"),
        ] {
            assert_eq!(clean_input(input), want, "{input:?}");
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"").unwrap_err(), FormatError::Empty);
        assert_eq!(decode(b"\xEF\xBB\xBF \n").unwrap_err(), FormatError::Empty);
        assert_eq!(decode(b"ab\0cd").unwrap_err(), FormatError::Binary);
        let d = decode(b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap();
        assert_eq!(d.text, "a\nb\nc\n");
        assert!(d.diagnostics.is_empty());
        let d = decode(b"caf\xe9").unwrap();
        assert_eq!(d.text, "café");
        assert_eq!(d.diagnostics.len(), 1);
    }

    /// SRT text with accents, an oe ligature and an emoji (a UTF-16 surrogate pair).
    const WIDE: &str = "1\r\n00:00:01,000 --> 00:00:02,500\r\nÉté, cœur, déjà 🎙️ là.\r\n";

    fn utf16(text: &str, word: fn(u16) -> [u8; 2]) -> Vec<u8> {
        text.encode_utf16().flat_map(word).collect()
    }

    fn utf32(text: &str, word: fn(u32) -> [u8; 4]) -> Vec<u8> {
        text.chars().flat_map(|c| word(u32::from(c))).collect()
    }

    #[test]
    fn wide_encodings_with_and_without_a_bom() {
        let with_bom = |bom: &[u8], body: Vec<u8>| [bom, body.as_slice()].concat();
        for (bytes, encoding) in [
            (
                with_bom(&[0xFF, 0xFE, 0, 0], utf32(WIDE, u32::to_le_bytes)),
                "UTF-32 LE (byte order mark)",
            ),
            (
                with_bom(&[0, 0, 0xFE, 0xFF], utf32(WIDE, u32::to_be_bytes)),
                "UTF-32 BE (byte order mark)",
            ),
            (
                with_bom(&[0xFF, 0xFE], utf16(WIDE, u16::to_le_bytes)),
                "UTF-16 LE (byte order mark)",
            ),
            (
                with_bom(&[0xFE, 0xFF], utf16(WIDE, u16::to_be_bytes)),
                "UTF-16 BE (byte order mark)",
            ),
            (
                utf16(WIDE, u16::to_le_bytes),
                "UTF-16 LE (no byte order mark",
            ),
            (
                utf16(WIDE, u16::to_be_bytes),
                "UTF-16 BE (no byte order mark",
            ),
        ] {
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, WIDE.replace("\r\n", "\n"), "{encoding}");
            assert_eq!(d.diagnostics.len(), 1, "{encoding}");
            assert_eq!(d.diagnostics[0].severity, crate::model::Severity::Info);
            assert!(
                d.diagnostics[0].message.contains(encoding),
                "{:?}",
                d.diagnostics
            );
            let (format, t) = parse("x.txt", &bytes).unwrap();
            assert_eq!(format, Format::Srt);
            assert_eq!(
                t.rows(),
                [(None, Some(1_000), Some(2_500), "Été, cœur, déjà 🎙️ là.")]
            );
        }
    }

    #[test]
    fn nul_bytes_that_do_not_read_as_utf16_are_binary() {
        // NUL on both sides of the pairs, and pairs that decode to control characters.
        for bytes in [
            b"ab\0\0cd\0\0ef\0\0".to_vec(),
            [1u8, 0].repeat(50),
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
        ] {
            assert_eq!(
                decode(&bytes).unwrap_err(),
                FormatError::Binary,
                "{bytes:?}"
            );
        }
        // An odd UTF-32 unit is replaced, and said.
        let d = decode(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap();
        assert_eq!(d.text, "a\u{FFFD}");
        assert!(
            d.diagnostics
                .iter()
                .any(|x| x.message.contains("invalid UTF-32"))
        );
    }

    #[test]
    fn marks_follow_their_words_when_whitespace_collapses() {
        let mark = |byte, at| PieceMark { byte, at };
        for (text, marks, want_text, want) in [
            // Marks on a word stay on it; a mark on whitespace goes to the next word.
            (
                "  un\n  deux   trois ",
                vec![mark(2, 1), mark(4, 2), mark(13, 3)],
                "un deux trois",
                vec![mark(0, 1), mark(3, 2), mark(8, 3)],
            ),
            // Multi-byte words, marks given out of order, one after the last word.
            (
                "été  à\tÉvian ",
                vec![mark(9, 3), mark(0, 1), mark(6, 2), mark(16, 4)],
                "été à Évian",
                vec![mark(0, 1), mark(6, 2), mark(9, 3)],
            ),
            ("a  b", vec![], "a b", vec![]),
        ] {
            let (got_text, got) = collapse_ws_marked(text, &marks);
            assert_eq!((got_text.as_str(), got), (want_text, want), "{text:?}");
        }
    }

    #[test]
    fn segment_marks_skip_the_start_and_survive_a_cut_prefix() {
        let mut s = Segment::caption(Some(1_000), None, "Léa : Bonjour à tous".into());
        s.mark(0, 1_000); // says no more than the segment's start
        s.mark(2, 1_100); // inside the prefix
        s.mark(7, 1_200);
        s.mark(18, 1_800);
        s.drop_front(7);
        assert_eq!(s.text, "Bonjour à tous");
        assert_eq!(
            s.marks,
            [
                PieceMark { byte: 0, at: 1_200 },
                PieceMark {
                    byte: 11,
                    at: 1_800
                }
            ]
        );
    }

    #[test]
    fn unrecognized_names_the_supported_layouts() {
        let err = parse("x.txt", b"du texte sans forme").unwrap_err();
        let msg = err.to_string();
        for f in Format::SEED_LAYOUTS {
            assert!(msg.contains(f.name()), "{msg}");
        }
    }
}
