//! From what a file says ([`Transcript`]) to the episode agents read
//! ([`Episode`]): passages, chapters, a title, a duration and a language.
//!
//! # Passages
//! A passage is what an agent quotes: whole sentences of one speaker, at
//! most [`MAX_PASSAGE_CHARS`] characters. Caption lines are often half a
//! sentence and diarized turns can last minutes, so the text of consecutive
//! segments of one speaker is joined into one stream (pieces separated by a
//! single space, runs of ASCII whitespace collapsed, nothing else changed),
//! cut into sentences, and sentences are packed into passages of about
//! [`TARGET_PASSAGE_CHARS`]. A sentence longer than the maximum is cut at a
//! comma, else at a space. Passages never mix speakers, never join a turn the
//! source marks without a name ([`Transcript::turn_starts`], as in
//! `- Tu viens ? - Oui.`) to the text before it, and never straddle a
//! chapter start when times are known.
//!
//! # Times
//! A passage starts when its first piece starts and ends when its last piece
//! ends (a segment with no end ends where the next one starts). A passage
//! boundary inside a piece gets a time interpolated by character position,
//! and the passage is marked `estimated`; so is a passage that starts or ends
//! at a turn found inside a cue, whose time was interpolated the same way when
//! the cue was split. Untimed sources give untimed passages.
//!
//! A passage also keeps the times inside it ([`Passage::marks`]): where each
//! of its pieces starts, and each word or finer piece the format times
//! ([`Segment::marks`]), so that words can be timed more finely than their
//! passage ([`Passage::time_of`]). Marks never change a passage's text, id or
//! times. An untimed passage has none; instead [`build_episode_with_lines`]
//! says where its pieces start, for the analysis that estimates its times.
//!
//! # Ids
//! `passage_id` is `{episode_id}#p{ordinal}-{hash}`: the passage's position
//! (from 0) and the first 6 hex digits of the SHA-256 of its text. It is the
//! same on every run for an unchanged file, and an id kept from an older
//! version of a file does not silently name different words.

use crate::formats::{RawChapter, Segment, Transcript, TurnStart};
use crate::model::{
    Chapter, ChapterTiming, Diagnostic, Episode, Millis, Passage, PassageTiming, Source, TimeMark,
};
use crate::text::digest::sha256_hex;
use crate::text::language::{Detected, detect_language, language_code};
use crate::text::sentences::sentence_spans;
use crate::text::{capitalize_first, collapse_ws, looks_french, trim_to_words};

/// A passage never exceeds this many characters.
pub const MAX_PASSAGE_CHARS: usize = 500;
/// Sentences are packed into a passage until it reaches about this length.
pub const TARGET_PASSAGE_CHARS: usize = 280;
/// Derived titles are cut at a word boundary around this length.
pub const TITLE_CHARS: usize = 80;
/// Speech rate used to guess when the last caption ends (characters per second).
const CHARS_PER_SECOND: u64 = 15;

/// Builds the episode from a parsed transcript.
pub fn build_episode(episode_id: String, source: Source, transcript: Transcript) -> Episode {
    build_episode_with_lines(episode_id, source, transcript).0
}

/// [`build_episode`], with where the source's lines (its pieces: page
/// lines, paragraphs) start inside each untimed passage: character offsets
/// after 0, one list per passage, empty for a timed one. Analysis needs
/// them to mark the times it estimates ([`crate::analysis::enrich_with_lines`]).
pub fn build_episode_with_lines(
    episode_id: String,
    source: Source,
    transcript: Transcript,
) -> (Episode, Vec<Vec<u32>>) {
    let Transcript {
        title,
        show,
        published,
        recorded,
        duration,
        description,
        url,
        language,
        participants,
        chapters: raw_chapters,
        segments,
        turn_starts,
        diagnostics,
    } = transcript;

    let duration = duration.or_else(|| measured_duration(&segments));
    let chapters = build_chapters(&raw_chapters, duration);
    let (mut passages, line_starts) =
        build_passages(&episode_id, &segments, &turn_starts, &chapters);
    assign_chapters(&mut passages, &chapters);

    let (language, language_note) = episode_language(language.as_deref(), &passages);
    let mut diagnostics = diagnostics;
    diagnostics.extend(language_note);
    let mut episode = Episode {
        title: String::new(),
        episode_id,
        show,
        published,
        recorded,
        duration_seconds: duration,
        description,
        url,
        language,
        source,
        participants,
        speaker_map: Vec::new(),
        chapters,
        passages,
        diagnostics,
    };
    episode.title = match title.map(|t| collapse_ws(&t)).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => derive_title(&episode),
    };
    (episode, line_starts)
}

/// Passages looked at when the language must be detected.
const LANGUAGE_SAMPLE_PASSAGES: usize = 30;

/// An episode's language as an ISO 639-1 code: what the file or its sidecar
/// says, else what its text is detected to be; with a diagnostic when the
/// file's value names no language or detection is unsure (the episode is
/// then searched as French, verbatim's default, or left without a language).
fn episode_language(
    given: Option<&str>,
    passages: &[Passage],
) -> (Option<String>, Option<Diagnostic>) {
    let mut note = None;
    if let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) {
        if let Some(code) = language_code(given) {
            return (Some(code), None);
        }
        note = Some(format!("the language {given:?} is not one verbatim knows"));
    }
    let sample: String = passages
        .iter()
        .take(LANGUAGE_SAMPLE_PASSAGES)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    match detect_language(&sample) {
        Detected::Language(code) => (Some(code), note.map(Diagnostic::info)),
        // French function words throughout: verbatim's own language, surely.
        Detected::Unsure(_) if looks_french(&sample) => {
            (Some("fr".to_string()), note.map(Diagnostic::info))
        }
        Detected::Unsure(guess) => {
            let because = match guess {
                Some(g) => {
                    format!("it may be {g:?}, but the text is too short or too mixed to tell")
                }
                None => "the text is too short or too mixed to tell".to_string(),
            };
            let prefix = note.map(|n| format!("{n}; ")).unwrap_or_default();
            let message = format!(
                "{prefix}language not detected ({because}): searched as French, the default; set `language` in a NAME.meta.toml sidecar"
            );
            (None, Some(Diagnostic::info(message)))
        }
    }
}

/// A title for a file that has none: the show and the date when both are
/// known (`Tech & Co, 2025-01-12`), else the file's name made readable
/// (`debat-cloud_europeen.vtt` -> `Debat cloud europeen`). Never a sentence
/// of the transcript: citations end with the title, and a first sentence
/// ("Bienvenue dans ce débat.") read there as if it were quoted. A sidecar's
/// or feed's title is not derived: it is the transcript's own by then.
pub fn derive_title(e: &Episode) -> String {
    let show = e.show.as_deref().map(collapse_ws).filter(|s| !s.is_empty());
    let date = e
        .published
        .or(e.recorded)
        .map(|d| d.format("%Y-%m-%d").to_string());
    let title = match (show, date) {
        (Some(show), Some(date)) => format!("{show}, {date}"),
        (show, date) => readable_file_name(&e.source.path)
            .or(show)
            .or(date)
            .unwrap_or_else(|| e.episode_id.clone()),
    };
    trim_to_words(&title, TITLE_CHARS)
}

/// A file's name as a title: without its folder and extension, `-`, `_` and
/// `.` read as spaces, the first letter in capitals. `None` when nothing
/// readable is left (`***.txt`).
fn readable_file_name(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let spaced: String = stem
        .chars()
        .map(|c| if matches!(c, '-' | '_' | '.') { ' ' } else { c })
        .collect();
    let spaced = collapse_ws(&spaced);
    if !spaced.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(capitalize_first(&spaced))
}

/// Length of the episode from the source's times: the last end, else the last start.
fn measured_duration(segments: &[Segment]) -> Option<Millis> {
    segments.iter().filter_map(|s| s.end.or(s.start)).max()
}

fn build_chapters(raw: &[RawChapter], duration: Option<Millis>) -> Vec<Chapter> {
    raw.iter()
        .enumerate()
        .map(|(index, c)| {
            let next_start = raw.get(index + 1).and_then(|n| n.start);
            let end = match next_start {
                Some(n) => Some(n),
                None if index + 1 == raw.len() => {
                    duration.filter(|d| c.start.is_none_or(|s| *d > s))
                }
                None => None,
            };
            let title = if c.title.trim().is_empty() {
                format!("Chapitre {}", index + 1)
            } else {
                c.title.clone()
            };
            Chapter {
                index,
                title,
                start_seconds: c.start,
                end_seconds: end.filter(|_| c.start.is_some()),
                // A chapter the source lists without a time still has to be placed in the text.
                timing: if c.start.is_some() {
                    ChapterTiming::Exact
                } else {
                    ChapterTiming::Estimated
                },
                links: c.links.clone(),
                // Filled by analysis, from the words of the chapter's span.
                keywords: Vec::new(),
            }
        })
        .collect()
}

/// Gives each timed passage the chapter its start falls in.
fn assign_chapters(passages: &mut [Passage], chapters: &[Chapter]) {
    for p in passages.iter_mut() {
        let Some(start) = p.start_seconds else {
            continue;
        };
        p.chapter = chapter_at(chapters, start);
    }
}

fn chapter_at(chapters: &[Chapter], t: Millis) -> Option<usize> {
    chapters
        .iter()
        .filter(|c| c.start_seconds.is_some_and(|s| s <= t))
        .map(|c| c.index)
        .next_back()
}

/// One segment's place in a speaker's text stream.
#[derive(Debug, Clone)]
struct Piece {
    byte_start: usize,
    byte_end: usize,
    char_start: usize,
    char_end: usize,
    start: Option<Millis>,
    end: Option<Millis>,
    /// `end` was guessed (no end and no next segment), or interpolated
    /// before a turn found inside the same cue.
    end_guessed: bool,
    /// `start` was interpolated inside a cue (a dialogue turn).
    start_interpolated: bool,
}

/// Consecutive segments of one speaker, as one text.
struct Run {
    text: String,
    pieces: Vec<Piece>,
    speaker: Option<String>,
    /// (byte in `text`, time) of every timed piece start and every finer
    /// mark of its segments, sorted by byte.
    marks: Vec<(usize, Millis)>,
}

/// The runs of `segments`: a run ends where the speaker changes, and
/// before a turn the source marks without naming its speaker (`turn_starts`).
fn build_runs(segments: &[Segment], turn_starts: &[TurnStart]) -> Vec<Run> {
    // `turn_starts` is in segment order.
    let turn_at = |i: usize| {
        turn_starts
            .binary_search_by_key(&i, |t| t.segment)
            .ok()
            .and_then(|k| turn_starts.get(k))
    };
    let mut runs: Vec<Run> = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let (text, seg_marks) = seg.collapsed();
        if text.is_empty() {
            continue;
        }
        // A segment without an end lasts until the next one starts.
        let next_start = segments
            .get(i + 1..)
            .and_then(|rest| rest.iter().find_map(|s| s.start));
        let end_interpolated = turn_at(i + 1).is_some_and(|t| t.interpolated);
        let (end, end_guessed) = match (seg.end, next_start, seg.start) {
            (Some(e), _, _) => (Some(e), end_interpolated),
            (None, Some(n), Some(s)) if n >= s => (Some(n), false),
            (None, _, Some(s)) => (
                Some(s + 1000 * text.chars().count() as u64 / CHARS_PER_SECOND),
                true,
            ),
            _ => (None, false),
        };
        let turn = turn_at(i);
        let same_speaker = runs.last().is_some_and(|r| r.speaker == seg.speaker);
        if !same_speaker || turn.is_some() {
            runs.push(Run {
                text: String::new(),
                pieces: Vec::new(),
                speaker: seg.speaker.clone(),
                marks: Vec::new(),
            });
        }
        let Some(run) = runs.last_mut() else { continue };
        if !run.text.is_empty() {
            run.text.push(' ');
        }
        let char_start = run.pieces.last().map_or(0, |p| p.char_end + 1);
        let byte_start = run.text.len();
        run.text.push_str(&text);
        let start_interpolated = turn.is_some_and(|t| t.interpolated);
        if !start_interpolated {
            run.marks.extend(seg.start.map(|s| (byte_start, s)));
        }
        run.marks
            .extend(seg_marks.iter().map(|m| (byte_start + m.byte, m.at)));
        run.pieces.push(Piece {
            byte_start,
            byte_end: run.text.len(),
            char_start,
            char_end: char_start + text.chars().count(),
            start: seg.start,
            end,
            end_guessed,
            start_interpolated,
        });
    }
    runs
}

/// The passages, and where the pieces start inside each untimed one
/// (see [`build_episode_with_lines`]).
fn build_passages(
    episode_id: &str,
    segments: &[Segment],
    turn_starts: &[TurnStart],
    chapters: &[Chapter],
) -> (Vec<Passage>, Vec<Vec<u32>>) {
    let mut passages = Vec::new();
    let mut line_starts = Vec::new();
    for run in build_runs(segments, turn_starts) {
        let boundaries: Vec<usize> = run.pieces.iter().map(|p| p.byte_start).collect();
        let sentences = passage_spans(&run.text, &boundaries);
        // The chapter each sentence starts in, so that no passage straddles a chapter start.
        let mut chapter_clock = Clock::new(&run);
        let keys: Vec<Option<usize>> = sentences
            .iter()
            .map(|(a, _)| {
                chapter_clock
                    .at(*a, Edge::Start)
                    .0
                    .and_then(|t| chapter_at(chapters, t))
            })
            .collect();
        let mut clock = Clock::new(&run);
        let spans = pack(&run.text, &sentences, &keys);
        for (a, b) in spans {
            let Some(text) = run.text.get(a..b) else {
                continue;
            };
            let (start, start_exact) = clock.at(a, Edge::Start);
            let (end, end_exact) = clock.at(b, Edge::End);
            let timing = match (start, end) {
                (None, None) => PassageTiming::None,
                _ if start_exact && end_exact => PassageTiming::Exact,
                _ => PassageTiming::Estimated,
            };
            let end = match (start, end) {
                (Some(s), Some(e)) => Some(e.max(s)),
                (_, e) => e,
            };
            let inside = |byte: usize| a <= byte && byte < b;
            let marks = match start {
                Some(s) if timing != PassageTiming::None => {
                    let first = run.marks.partition_point(|(byte, _)| *byte < a);
                    let here = run.marks.get(first..).unwrap_or(&[]);
                    let here = here.iter().take_while(|(byte, _)| inside(*byte));
                    passage_marks(text, a, here.copied(), s, end)
                }
                _ => Vec::new(),
            };
            line_starts.push(if timing == PassageTiming::None {
                let first = run.pieces.partition_point(|p| p.byte_start <= a);
                let here = run.pieces.get(first..).unwrap_or(&[]);
                let here = here.iter().take_while(|p| inside(p.byte_start));
                char_offsets(text, a, here.map(|p| p.byte_start))
            } else {
                Vec::new()
            });
            let ordinal = passages.len();
            passages.push(Passage {
                passage_id: passage_id(episode_id, ordinal, text),
                start_seconds: start,
                end_seconds: end,
                timing,
                speaker: run.speaker.clone(),
                text: text.to_string(),
                chapter: None,
                marks,
            });
        }
    }
    (passages, line_starts)
}

/// The marks of the passage `text`, which starts at byte `a` of its run and
/// at time `start`: `run_marks` (bytes of the run inside the passage, in
/// order) as character offsets into `text`. At one offset the last mark (the
/// finest) wins; times are kept from going back and from leaving the
/// passage's times; a mark at offset 0 that is the passage's start is left out.
fn passage_marks(
    text: &str,
    a: usize,
    run_marks: impl Iterator<Item = (usize, Millis)>,
    start: Millis,
    end: Option<Millis>,
) -> Vec<TimeMark> {
    let (bytes, times): (Vec<usize>, Vec<Millis>) = run_marks.unzip();
    let offsets = char_offsets(text, a, bytes.into_iter());
    let mut marks: Vec<TimeMark> = Vec::with_capacity(offsets.len());
    for (offset, at) in offsets.into_iter().zip(times) {
        let mark = TimeMark { offset, at };
        match marks.last_mut() {
            Some(last) if last.offset == offset => *last = mark,
            _ => marks.push(mark),
        }
    }
    let end = end.unwrap_or(Millis::MAX);
    let mut running = start;
    for m in &mut marks {
        m.at = m.at.max(running).min(end);
        running = m.at;
    }
    if marks
        .first()
        .is_some_and(|m| m.offset == 0 && m.at == start)
    {
        marks.remove(0);
    }
    marks
}

/// Bytes of a run (in order, inside the passage `text` that starts at byte
/// `a`) as character offsets into `text`, counting each character once.
fn char_offsets(text: &str, a: usize, bytes: impl Iterator<Item = usize>) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut walked, mut chars) = (0usize, 0usize);
    for byte in bytes {
        let rel = byte.saturating_sub(a).max(walked);
        chars += text.get(walked..rel).map_or(0, |s| s.chars().count());
        walked = rel;
        // A passage holds at most MAX_PASSAGE_CHARS characters.
        out.push(u32::try_from(chars).unwrap_or(u32::MAX));
    }
    out
}

/// `{episode_id}#p{ordinal}-{first 6 hex digits of sha256(text)}`.
pub fn passage_id(episode_id: &str, ordinal: usize, text: &str) -> String {
    let digest = sha256_hex(text);
    let hash = digest.get(..6).unwrap_or(&digest);
    format!("{episode_id}#p{ordinal}-{hash}")
}

#[derive(Clone, Copy, PartialEq)]
enum Edge {
    Start,
    End,
}

/// Times at byte positions of a run, visited in increasing order (so that
/// character positions are counted once, even for a 10 MB line).
struct Clock<'a> {
    run: &'a Run,
    cursor_byte: usize,
    cursor_char: usize,
}

impl<'a> Clock<'a> {
    fn new(run: &'a Run) -> Self {
        Self {
            run,
            cursor_byte: 0,
            cursor_char: 0,
        }
    }

    fn char_pos(&mut self, byte: usize) -> usize {
        if byte < self.cursor_byte {
            return self.run.text.get(..byte).map_or(0, |s| s.chars().count());
        }
        self.cursor_char += self
            .run
            .text
            .get(self.cursor_byte..byte)
            .map_or(0, |s| s.chars().count());
        self.cursor_byte = byte;
        self.cursor_char
    }

    /// The time at `byte` and whether it was read (not interpolated).
    fn at(&mut self, byte: usize, edge: Edge) -> (Option<Millis>, bool) {
        let pieces = &self.run.pieces;
        // The piece holding the position: for an end, the piece holding the character before it.
        let probe = if edge == Edge::End {
            byte.saturating_sub(1)
        } else {
            byte
        };
        let idx = pieces
            .partition_point(|p| p.byte_end <= probe)
            .min(pieces.len().saturating_sub(1));
        let Some(piece) = pieces.get(idx) else {
            return (None, false);
        };
        let Some(start) = piece.start else {
            return (None, false);
        };
        if edge == Edge::Start && byte <= piece.byte_start {
            return (Some(start), !piece.start_interpolated);
        }
        if edge == Edge::End && byte >= piece.byte_end {
            return (piece.end, !piece.end_guessed);
        }
        let Some(end) = piece.end else {
            return (Some(start), false);
        };
        let c = self.char_pos(byte).clamp(piece.char_start, piece.char_end);
        let span = (piece.char_end - piece.char_start).max(1) as u128;
        let offset = (c - piece.char_start) as u128;
        let t = start as u128 + (end.saturating_sub(start) as u128) * offset / span;
        (Some(t as Millis), false)
    }
}

/// Byte spans of the passages of `text` (a run's single-spaced text): its
/// sentences ([`crate::text::sentences`]), the long ones cut to size.
fn passage_spans(text: &str, boundaries: &[usize]) -> Vec<(usize, usize)> {
    sentence_spans(text)
        .into_iter()
        .flat_map(|s| split_long(text, s, boundaries))
        .collect()
}

/// Cuts a span longer than [`MAX_PASSAGE_CHARS`] at a comma, else where a
/// source line ends (`boundaries`: byte starts of the pieces, a pause in
/// unpunctuated transcripts), else at a space, else anywhere.
fn split_long(
    text: &str,
    (mut start, end): (usize, usize),
    boundaries: &[usize],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    while let Some(rest) = text.get(start..end) {
        let Some((window_end, _)) = rest.char_indices().nth(MAX_PASSAGE_CHARS) else {
            out.push((start, end));
            break;
        };
        let window = rest.get(..window_end).unwrap_or(rest);
        let min = window.len() / 3;
        let cut = [", ", "; ", ": ", " – ", " - "]
            .iter()
            .filter_map(|sep| {
                window
                    .rfind(sep)
                    .filter(|p| *p > min)
                    .map(|p| p + sep.trim_end().len())
            })
            .max()
            .or_else(|| {
                // The last piece start inside the window; the cut goes on the space before it.
                let upper = boundaries.partition_point(|b| *b <= start + window_end);
                boundaries
                    .get(..upper)?
                    .last()
                    .map(|b| b.saturating_sub(start + 1))
                    .filter(|p| *p > min)
            })
            .or_else(|| window.rfind(' ').filter(|p| *p > min))
            .unwrap_or(window_end);
        out.push((start, start + cut));
        start += cut;
        // The space after a cut belongs to neither side.
        while text.get(start..).is_some_and(|r| r.starts_with(' ')) {
            start += 1;
        }
        if start >= end {
            break;
        }
    }
    out
}

/// Packs sentence spans into passages of about [`TARGET_PASSAGE_CHARS`],
/// starting a new passage where the chapter `keys` change.
fn pack(text: &str, sentences: &[(usize, usize)], keys: &[Option<usize>]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut current: Option<(usize, usize, usize)> = None; // (start, end, chars)
    for (i, &(a, b)) in sentences.iter().enumerate() {
        let len = text.get(a..b).map_or(0, |s| s.chars().count());
        let same_chapter = i == 0 || keys.get(i) == keys.get(i - 1);
        current = match current {
            Some((s, _, n))
                if same_chapter && n < TARGET_PASSAGE_CHARS && n + 1 + len <= MAX_PASSAGE_CHARS =>
            {
                Some((s, b, n + 1 + len))
            }
            Some((s, e, _)) => {
                out.push((s, e));
                Some((a, b, len))
            }
            None => Some((a, b, len)),
        };
    }
    if let Some((s, e, _)) = current {
        out.push((s, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(
        start: Option<Millis>,
        end: Option<Millis>,
        speaker: Option<&str>,
        text: &str,
    ) -> Segment {
        Segment {
            start,
            end,
            speaker: speaker.map(str::to_string),
            text: text.to_string(),
            line: 1,
            marks: Vec::new(),
        }
    }

    fn source() -> Source {
        Source {
            path: "x.txt".into(),
            format: "caption_lines".into(),
            sha256: String::new(),
        }
    }

    #[test]
    fn sentences_merge_across_caption_lines() {
        let t = Transcript {
            segments: vec![
                seg(Some(0), None, None, "Bonjour à tous,"),
                seg(Some(2_000), None, None, "bienvenue. Aujourd'hui"),
                seg(Some(4_000), None, None, "on parle d'IA."),
            ],
            ..Default::default()
        };
        let e = build_episode("ep".into(), source(), t);
        let texts: Vec<_> = e.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["Bonjour à tous, bienvenue. Aujourd'hui on parle d'IA."]
        );
        let p = e.passages.first().unwrap();
        assert_eq!(p.start_seconds, Some(0));
        assert_eq!(p.timing, PassageTiming::Estimated); // the last caption's end is guessed
        assert!(p.passage_id.starts_with("ep#p0-"));
        // Each caption line after the first is a mark at its own time.
        assert_eq!(marks(p), [(16, 2_000), (39, 4_000)]);
        // The passage is estimated (its end is guessed), so the word is placed
        // by its position inside its line, from 2 s to 4 s.
        let (from, to, timing) = p.time_of(char_range(&p.text, "Aujourd'hui")).unwrap();
        assert_eq!(timing, PassageTiming::Estimated);
        assert!(
            2_000 < from && from < to && to < 4_000,
            "inside its line: {from}..{to}"
        );
    }

    /// (offset, time) of a passage's marks.
    fn marks(p: &Passage) -> Vec<(u32, Millis)> {
        p.marks.iter().map(|&m| m.into()).collect()
    }

    /// The character range of the first `word` in `text`.
    fn char_range(text: &str, word: &str) -> std::ops::Range<usize> {
        let byte = text.find(word).unwrap();
        let start = text[..byte].chars().count();
        start..start + word.chars().count()
    }

    #[test]
    fn word_marks_time_each_word_in_whichever_passage_holds_it() {
        // 60 one-word sentences in one segment (so two passages, the second
        // cut inside the segment), each word timed, spaces doubled.
        let words: Vec<String> = (0..60u8)
            .map(|i| format!("Été{}{}.", (b'a' + i / 26) as char, (b'a' + i % 26) as char))
            .collect();
        let time = |i: usize| 1_000 + 100 * i as Millis;
        let mut segment = seg(Some(1_000), Some(7_000), Some("A"), "");
        for (i, w) in words.iter().enumerate() {
            if !segment.text.is_empty() {
                segment.text.push_str("  ");
            }
            segment.mark(segment.text.len(), time(i));
            segment.text.push_str(w);
        }
        let e = build_episode(
            "ep".into(),
            source(),
            Transcript {
                segments: vec![segment],
                ..Default::default()
            },
        );
        assert_eq!(e.passages.len(), 2);
        let mut next = 0;
        for p in &e.passages {
            let (start, end) = (p.start_seconds.unwrap(), p.end_seconds.unwrap());
            let here: Vec<&String> = words
                .iter()
                .skip(next)
                .take_while(|w| p.text.contains(w.as_str()))
                .collect();
            for (k, w) in here.iter().enumerate() {
                let i = next + k;
                let next_start = if k + 1 < here.len() { time(i + 1) } else { end };
                // Each word starts at its own mark and ends before the next one
                // (placed by position, the passage being estimated).
                let (from, to, timing) = p.time_of(char_range(&p.text, w)).unwrap();
                assert_eq!(
                    (from, timing),
                    (time(i).max(start), PassageTiming::Estimated),
                    "{w}"
                );
                assert!(from < to && to <= next_start, "{w}: {from}..{to}");
            }
            next += here.len();
            assert!(
                marks(p)
                    .windows(2)
                    .all(|m| m[0].0 < m[1].0 && m[0].1 <= m[1].1)
            );
        }
        assert_eq!(next, words.len());
    }

    #[test]
    fn long_turns_give_estimated_passages_with_the_turn_starts_as_marks() {
        let sentence =
            "Une phrase assez longue pour remplir un passage à elle seule, ou presque, vraiment. ";
        let t = Transcript {
            segments: vec![
                seg(
                    Some(10_000),
                    Some(70_000),
                    Some("SPEAKER_00"),
                    &sentence.repeat(5),
                ),
                seg(
                    Some(70_000),
                    Some(80_000),
                    Some("SPEAKER_00"),
                    "Suite du tour. Et fin.",
                ),
                seg(Some(80_000), Some(81_000), Some("SPEAKER_01"), "Oui."),
            ],
            ..Default::default()
        };
        let e = build_episode("ep".into(), source(), t);
        let got: Vec<_> = e
            .passages
            .iter()
            .map(|p| (p.start_seconds, p.timing, marks(p)))
            .collect();
        let second_start = e.passages.get(1).unwrap().start_seconds;
        assert_eq!(
            got,
            [
                (Some(10_000), PassageTiming::Estimated, vec![]),
                // Cut inside the first turn: the next turn's start is its only mark.
                (second_start, PassageTiming::Estimated, vec![(84, 70_000)]),
                (Some(80_000), PassageTiming::Exact, vec![]),
            ]
        );
        let p = e.passages.get(1).unwrap();
        // Words are placed by their position between the marks around them.
        let (from, to, timing) = p.time_of(char_range(&p.text, "tour")).unwrap();
        assert_eq!(timing, PassageTiming::Estimated);
        assert!(70_000 < from && from < to && to < 80_000, "{from}..{to}");
        let (from, to, _) = p.time_of(char_range(&p.text, "vraiment")).unwrap();
        assert!(
            second_start.unwrap() < from && to <= 70_000,
            "before the second turn: {from}..{to}"
        );
    }

    #[test]
    fn long_turns_are_split_and_interpolated() {
        let sentence =
            "Une phrase assez longue pour remplir un passage à elle seule, ou presque, vraiment. ";
        let text = sentence.repeat(20);
        let t = Transcript {
            segments: vec![seg(Some(10_000), Some(110_000), Some("SPEAKER_00"), &text)],
            ..Default::default()
        };
        let e = build_episode("ep".into(), source(), t);
        assert!(e.passages.len() >= 5);
        assert!(
            e.passages
                .iter()
                .all(|p| p.text.chars().count() <= MAX_PASSAGE_CHARS)
        );
        assert!(
            e.passages
                .iter()
                .all(|p| p.speaker.as_deref() == Some("SPEAKER_00"))
        );
        let first = e.passages.first().unwrap();
        let last = e.passages.last().unwrap();
        assert_eq!(first.start_seconds, Some(10_000));
        assert_eq!(last.end_seconds, Some(110_000));
        let starts: Vec<_> = e
            .passages
            .iter()
            .map(|p| p.start_seconds.unwrap())
            .collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        assert_eq!(e.passages.get(1).unwrap().timing, PassageTiming::Estimated);
        let joined: Vec<&str> = e.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined.join(" "), collapse_ws(&text));
    }

    #[test]
    fn speakers_are_never_mixed() {
        let t = Transcript {
            segments: vec![
                seg(Some(0), Some(1_000), Some("A"), "Oui"),
                seg(Some(1_000), Some(2_000), Some("B"), "Non."),
                seg(Some(2_000), Some(3_000), Some("B"), "Enfin si."),
            ],
            ..Default::default()
        };
        let e = build_episode("ep".into(), source(), t);
        let got: Vec<_> = e
            .passages
            .iter()
            .map(|p| (p.speaker.as_deref(), p.text.as_str(), p.timing))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("A"), "Oui", PassageTiming::Exact),
                (Some("B"), "Non. Enfin si.", PassageTiming::Exact)
            ]
        );
    }

    #[test]
    fn unnamed_turns_inside_a_cue_are_passages_of_their_own_with_estimated_times() {
        use crate::formats::TurnStart;
        let t = Transcript {
            segments: vec![
                seg(Some(0), Some(1_000), None, "Alors,"),
                // `- Tu viens ? - Oui.` split into two turns at 1.714 s.
                seg(Some(1_000), Some(1_714), None, "Tu viens ?"),
                seg(Some(1_714), Some(2_000), None, "Oui."),
                seg(Some(2_000), Some(3_000), None, "On y va."),
            ],
            turn_starts: vec![
                TurnStart {
                    segment: 1,
                    interpolated: false,
                },
                TurnStart {
                    segment: 2,
                    interpolated: true,
                },
            ],
            ..Default::default()
        };
        let e = build_episode("ep".into(), source(), t);
        let got: Vec<_> = e
            .passages
            .iter()
            .map(|p| (p.text.as_str(), p.start_seconds, p.end_seconds, p.timing))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Alors,", Some(0), Some(1_000), PassageTiming::Exact),
                (
                    "Tu viens ?",
                    Some(1_000),
                    Some(1_714),
                    PassageTiming::Estimated
                ),
                (
                    "Oui. On y va.",
                    Some(1_714),
                    Some(3_000),
                    PassageTiming::Estimated
                ),
            ]
        );
    }

    #[test]
    fn unbroken_text_is_cut_at_the_limit() {
        let text = "x".repeat(1_234);
        let spans = passage_spans(&text, &[]);
        let lens: Vec<_> = spans.iter().map(|(a, b)| b - a).collect();
        assert_eq!(lens, vec![500, 500, 234]);
        let words = "mot ".repeat(300);
        let words = words.trim_end();
        for (a, b) in passage_spans(words, &[]) {
            let s = &words[a..b];
            assert!(
                s.chars().count() <= MAX_PASSAGE_CHARS && !s.starts_with(' ') && !s.ends_with(' ')
            );
        }
    }

    #[test]
    fn unpunctuated_text_is_cut_where_lines_end() {
        let lines: Vec<String> = (0..40)
            .map(|i| format!("ligne numéro {i} sans ponctuation"))
            .collect();
        let segments: Vec<Segment> = lines.iter().map(|l| seg(None, None, None, l)).collect();
        let e = build_episode(
            "ep".into(),
            source(),
            Transcript {
                segments,
                ..Default::default()
            },
        );
        assert!(e.passages.len() >= 3);
        for p in &e.passages {
            assert!(
                p.text.starts_with("ligne numéro") && p.text.ends_with("sans ponctuation"),
                "{}",
                p.text
            );
        }
        // Untimed: no marks, but where each line starts, for analysis to time.
        let (e, line_starts) = build_episode_with_lines(
            "ep".into(),
            source(),
            Transcript {
                segments: lines.iter().map(|l| seg(None, None, None, l)).collect(),
                ..Default::default()
            },
        );
        assert_eq!(line_starts.len(), e.passages.len());
        for (p, starts) in e.passages.iter().zip(&line_starts) {
            assert!(p.marks.is_empty());
            assert!(!starts.is_empty());
            for &c in starts {
                let rest: String = p.text.chars().skip(c as usize).collect();
                assert!(rest.starts_with("ligne numéro"), "{rest}");
            }
        }
    }

    #[test]
    fn chapters_and_titles() {
        let t = Transcript {
            show: Some("Tech & Co".into()),
            published: chrono::NaiveDate::from_ymd_opt(2026, 2, 3),
            chapters: vec![
                RawChapter {
                    title: "Intro".into(),
                    start: Some(0),
                    links: vec![],
                },
                RawChapter {
                    title: "Suite".into(),
                    start: Some(5_000),
                    links: vec!["https://a.org".into()],
                },
            ],
            segments: vec![
                seg(Some(0), Some(4_000), None, "Bonjour."),
                seg(Some(6_000), Some(9_000), None, "Voilà la suite."),
            ],
            ..Default::default()
        };
        let e = build_episode("ep".into(), source(), t);
        assert_eq!(e.title, "Tech & Co, 2026-02-03");
        assert_eq!(e.duration_seconds, Some(9_000));
        let ch: Vec<_> = e
            .chapters
            .iter()
            .map(|c| (c.index, c.start_seconds, c.end_seconds))
            .collect();
        assert_eq!(
            ch,
            vec![(0, Some(0), Some(5_000)), (1, Some(5_000), Some(9_000))]
        );
        let pc: Vec<_> = e.passages.iter().map(|p| p.chapter).collect();
        assert_eq!(pc, vec![Some(0), Some(1)]);
    }

    #[test]
    fn untimed_text_gets_untimed_passages_and_a_title() {
        let t = Transcript {
            segments: vec![seg(
                None,
                None,
                None,
                "Bonjour et bienvenue dans ce nouvel épisode. On commence.",
            )],
            ..Default::default()
        };
        let (e, line_starts) = build_episode_with_lines("ep".into(), source(), t);
        assert!(
            e.passages
                .iter()
                .all(|p| p.timing == PassageTiming::None && p.start_seconds.is_none())
        );
        assert!(e.passages.iter().all(|p| p.marks.is_empty()));
        assert_eq!(line_starts, [Vec::<u32>::new()]);
        // Never the first sentence: the file's name (`x.txt`).
        assert_eq!(e.title, "X");
        assert_eq!(e.duration_seconds, None);
    }

    #[test]
    fn titles_from_file_names() {
        for (path, want) in [
            ("debat-cloud_europeen.vtt", Some("Debat cloud europeen")),
            ("Shows/2024/ép_12.fr.srt", Some("Ép 12 fr")),
            ("noext", Some("Noext")),
            ("***.txt", None),
            ("", None),
        ] {
            assert_eq!(readable_file_name(path).as_deref(), want, "{path}");
        }
    }
}
