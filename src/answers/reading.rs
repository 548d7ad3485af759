//! Reading an episode: windows of passages (a chapter, a time span, the
//! passages around one), pages cut to a character budget, and the whole
//! transcript rendered as Markdown.
//!
//! Windows are ranges of passage positions, so every reader (tools, resources,
//! CLI) pages the same way and a cursor is just a position.

use crate::model::{Episode, Millis, Passage, Said, format_timestamp, time_label};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::ops::Range;

/// A passage as the reading tools return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PassageView {
    pub passage_id: String,
    #[serde(flatten)]
    pub said: Said,
    pub chapter: Option<usize>,
    pub text: String,
}

impl PassageView {
    pub fn of(passage: &Passage) -> Self {
        Self {
            passage_id: passage.passage_id.clone(),
            said: Said::of(passage),
            chapter: passage.chapter,
            text: passage.text.clone(),
        }
    }
}

/// Why a window cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadingError {
    #[error("episode `{episode_id}` has no chapter {chapter}; {}", valid_chapters(*.chapters))]
    UnknownChapter {
        episode_id: String,
        chapter: usize,
        /// How many chapters it has (valid indexes are `0..chapters`).
        chapters: usize,
    },
    #[error(
        "episode `{episode_id}` has no passage `{passage_id}`; its passage ids look like `{example}`"
    )]
    UnknownPassage {
        episode_id: String,
        passage_id: String,
        example: String,
    },
    #[error("episode `{episode_id}` has no timestamps, so it cannot be read by time")]
    Untimed { episode_id: String },
    #[error("the span starts at {start} s, after its end at {end} s")]
    EmptySpan { start: f64, end: f64 },
}

/// Which chapter indexes an episode with `chapters` chapters has.
pub fn valid_chapters(chapters: usize) -> String {
    match chapters {
        0 => "it has no chapters".to_string(),
        n => format!("valid chapters are 0 to {}", n - 1),
    }
}

/// The passages from the first to the last that satisfy `inside` (an empty
/// range when none does).
fn span_where(passages: &[Passage], inside: impl Fn(&Passage) -> bool) -> Range<usize> {
    match (
        passages.iter().position(&inside),
        passages.iter().rposition(&inside),
    ) {
        (Some(first), Some(last)) => first..last + 1,
        _ => 0..0,
    }
}

/// The passages of chapter `chapter` (an empty range when the chapter holds none).
pub fn chapter_window(episode: &Episode, chapter: usize) -> Result<Range<usize>, ReadingError> {
    if episode.chapter(chapter).is_none() {
        return Err(ReadingError::UnknownChapter {
            episode_id: episode.episode_id.clone(),
            chapter,
            chapters: episode.chapters.len(),
        });
    }
    Ok(span_where(&episode.passages, |p| {
        p.chapter == Some(chapter)
    }))
}

/// The passages that overlap `[start, end]` (either bound open when `None`).
pub fn time_window(
    episode: &Episode,
    start: Option<Millis>,
    end: Option<Millis>,
) -> Result<Range<usize>, ReadingError> {
    if !episode.passages.iter().any(|p| p.start_seconds.is_some()) {
        return Err(ReadingError::Untimed {
            episode_id: episode.episode_id.clone(),
        });
    }
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(ReadingError::EmptySpan {
            start: crate::model::seconds::to_seconds(s),
            end: crate::model::seconds::to_seconds(e),
        });
    }
    Ok(span_where(&episode.passages, |p| {
        let Some(p_start) = p.start_seconds else {
            return false;
        };
        let p_end = p.end_seconds.unwrap_or(p_start);
        start.is_none_or(|s| p_end > s || p_start >= s) && end.is_none_or(|e| p_start <= e)
    }))
}

/// `before` passages, the passage `passage_id`, and `after` passages.
pub fn around_window(
    episode: &Episode,
    passage_id: &str,
    before: usize,
    after: usize,
) -> Result<Range<usize>, ReadingError> {
    let Some(at) = episode
        .passages
        .iter()
        .position(|p| p.passage_id == passage_id.trim())
    else {
        return Err(ReadingError::UnknownPassage {
            episode_id: episode.episode_id.clone(),
            passage_id: passage_id.to_string(),
            example: episode
                .passages
                .first()
                .map(|p| p.passage_id.clone())
                .unwrap_or_default(),
        });
    };
    let end = at
        .saturating_add(after)
        .saturating_add(1)
        .min(episode.passages.len());
    Ok(at.saturating_sub(before)..end)
}

/// One page of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Positions of the passages on this page.
    pub range: Range<usize>,
    /// Position to resume at, when the window continues.
    pub next: Option<usize>,
}

/// The page of `window` starting at position `from` (absolute), holding
/// passages until their text would exceed `max_chars` (always at least one,
/// so a long passage never blocks reading).
pub fn page(passages: &[Passage], window: Range<usize>, from: usize, max_chars: usize) -> Page {
    let start = from.clamp(window.start, window.end);
    let mut end = start;
    let mut used = 0usize;
    while end < window.end {
        let len = passages.get(end).map_or(0, |p| p.text.chars().count());
        if end > start && used + len > max_chars {
            break;
        }
        used += len;
        end += 1;
    }
    Page {
        range: start..end,
        next: (end < window.end).then_some(end),
    }
}

/// The whole episode as Markdown: a header with its metadata, then every
/// chapter as a `##` heading and every passage with its time and speaker.
pub fn episode_markdown(episode: &Episode) -> String {
    let mut out = header_markdown(episode);
    passages_markdown(&mut out, episode, 0..episode.passages.len(), true);
    out
}

/// One chapter as Markdown (the episode's header, then the chapter).
pub fn chapter_markdown(episode: &Episode, chapter: usize) -> Result<String, ReadingError> {
    let window = chapter_window(episode, chapter)?;
    let mut out = header_markdown(episode);
    if window.is_empty()
        && let Some(c) = episode.chapter(chapter)
    {
        let _ = writeln!(
            out,
            "{}\n\n(No passage in this chapter.)",
            chapter_heading(c)
        );
    }
    passages_markdown(&mut out, episode, window, true);
    Ok(out)
}

fn header_markdown(episode: &Episode) -> String {
    let mut out = format!("# {}\n\n", episode.title);
    let _ = writeln!(out, "- Episode id: `{}`", episode.episode_id);
    if let Some(show) = &episode.show {
        let _ = writeln!(out, "- Show: {show}");
    }
    if let Some(date) = episode.published {
        let _ = writeln!(out, "- Published: {date}");
    }
    if let Some(duration) = episode.duration_seconds {
        let _ = writeln!(out, "- Duration: {}", format_timestamp(duration));
    }
    if !episode.participants.is_empty() {
        let people: Vec<String> = episode
            .participants
            .iter()
            .map(|p| match &p.affiliation {
                Some(a) => format!("{} ({}, {a})", p.name, p.role.name()),
                None => format!("{} ({})", p.name, p.role.name()),
            })
            .collect();
        let _ = writeln!(out, "- Participants: {}", people.join("; "));
    }
    if let Some(url) = &episode.url {
        let _ = writeln!(out, "- URL: {url}");
    }
    let timing = episode.timing();
    let _ = writeln!(
        out,
        "- Timing: {} ({}).",
        serde_json::to_value(timing)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        timing.sentence()
    );
    if let Some(description) = &episode.description {
        let _ = writeln!(out, "\n{description}");
    }
    out.push('\n');
    out
}

fn chapter_heading(chapter: &crate::model::Chapter) -> String {
    let time = chapter
        .start_seconds
        .map(|ms| format!(" [{}]", format_timestamp(ms)))
        .unwrap_or_default();
    let mut heading = format!("## Chapter {}: {}{time}\n", chapter.index, chapter.title);
    if !chapter.keywords.is_empty() {
        let _ = writeln!(heading, "\n*Keywords: {}*", chapter.keywords.join(", "));
    }
    heading
}

fn passages_markdown(out: &mut String, episode: &Episode, window: Range<usize>, headings: bool) {
    let mut chapter: Option<usize> = None;
    let mut speaker: Option<&str> = None;
    for passage in episode.passages.get(window).unwrap_or_default() {
        if headings
            && passage.chapter.is_some()
            && passage.chapter != chapter
            && let Some(c) = passage.chapter.and_then(|i| episode.chapter(i))
        {
            let _ = writeln!(out, "{}", chapter_heading(c));
            chapter = passage.chapter;
            // A new chapter names the speaker again so a chapter read alone is self-contained.
            speaker = None;
        }
        let time = time_label(passage.start_seconds, passage.timing)
            .map(|t| format!("[{t}] "))
            .unwrap_or_default();
        match passage.speaker.as_deref() {
            Some(s) if Some(s) != speaker => {
                let _ = writeln!(out, "{time}**{s}:** {}\n", passage.text);
            }
            _ => {
                let _ = writeln!(out, "{time}{}\n", passage.text);
            }
        }
        speaker = passage.speaker.as_deref();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixture_episode;

    /// Asserts that a window was refused with a message saying `words`.
    fn refused(window: Result<Range<usize>, ReadingError>, words: &str) {
        let err = window.unwrap_err().to_string();
        assert!(err.contains(words), "{err}");
    }

    #[test]
    fn chapter_windows() {
        let ep = fixture_episode("ep-a");
        assert_eq!(chapter_window(&ep, 0), Ok(0..3));
        assert_eq!(chapter_window(&ep, 1), Ok(3..7));
        refused(chapter_window(&ep, 5), "valid chapters are 0 to 1");
        refused(chapter_window(&fixture_episode("ep-c"), 0), "no chapters");
    }

    #[test]
    fn time_windows() {
        let ep = fixture_episode("ep-a");
        let cases: [(Option<Millis>, Option<Millis>, Range<usize>); 5] = [
            (None, None, 0..7),
            (Some(100_000), Some(200_000), 2..5),
            (Some(420_000), None, 6..7),
            (None, Some(10_000), 0..1),
            (Some(700_000), None, 0..0),
        ];
        for (start, end, expected) in cases {
            assert_eq!(
                time_window(&ep, start, end),
                Ok(expected),
                "{start:?}..{end:?}"
            );
        }
        assert!(matches!(
            time_window(&ep, Some(5), Some(1)),
            Err(ReadingError::EmptySpan { .. })
        ));
        assert!(matches!(
            time_window(&fixture_episode("ep-c"), Some(0), None),
            Err(ReadingError::Untimed { .. })
        ));
    }

    #[test]
    fn around_windows_clamp() {
        let ep = fixture_episode("ep-a");
        let id = ep.passages[1].passage_id.clone();
        assert_eq!(around_window(&ep, &id, 5, 1), Ok(0..3));
        assert_eq!(around_window(&ep, &id, 0, 100), Ok(1..7));
        refused(around_window(&ep, "ep-a#p99-x", 1, 1), "ep-a#p0-");
    }

    #[test]
    fn pages_respect_budget_and_progress() {
        let ep = fixture_episode("ep-a");
        // A budget smaller than any passage still returns one passage per page.
        let first = page(&ep.passages, 0..7, 0, 10);
        assert_eq!(
            first,
            Page {
                range: 0..1,
                next: Some(1)
            }
        );
        let mut from = 0;
        let mut seen = 0;
        loop {
            let p = page(&ep.passages, 0..7, from, 200);
            let chars: usize = ep.passages[p.range.clone()]
                .iter()
                .map(|x| x.text.chars().count())
                .sum();
            assert!(p.range.len() == 1 || chars <= 200);
            seen += p.range.len();
            match p.next {
                Some(n) => from = n,
                None => break,
            }
        }
        assert_eq!(seen, 7);
        assert_eq!(
            page(&ep.passages, 3..7, 0, 100_000),
            Page {
                range: 3..7,
                next: None
            }
        );
    }

    #[test]
    fn markdown_has_headings_times_and_speakers() {
        let md = episode_markdown(&fixture_episode("ep-a"));
        assert!(md.starts_with("# La voiture électrique\n"), "{md}");
        assert!(
            md.contains("## Chapter 1: Les batteries [00:02:00]"),
            "{md}"
        );
        assert!(
            md.contains("[00:00:45] **Élodie Durand:** Merci Alice."),
            "{md}"
        );
        // Same speaker twice in a row: the name is not repeated.
        assert!(md.contains("[00:00:20] Mon invitée"), "{md}");
        let untimed = episode_markdown(&fixture_episode("ep-c"));
        assert!(untimed.contains("**SPEAKER_01:** Je pense"), "{untimed}");
        assert!(untimed.contains("untimed"), "{untimed}");
        let chapter = chapter_markdown(&fixture_episode("ep-a"), 1).unwrap();
        assert!(
            chapter.contains("## Chapter 1") && !chapter.contains("## Chapter 0"),
            "{chapter}"
        );
    }
}
