//! Citations: links to the moment, and the ready-to-paste line.
//!
//! Every answer verbatim gives a person must be checkable, so one function
//! formats every citation: `«quote» — speaker, title (show, date), 00:18:43`,
//! with `~` before an interpolated time and `untimed` when there is none
//! ([`super::time::timestamp_label`]). Where an answer gives the quote on its
//! own, a long one is not repeated in its citation ([`cite_compact`]).

use super::episode::{Episode, Passage, PassageTiming};
use super::time::{Millis, timestamp_label};

/// A link that opens the episode at `start`: YouTube gets `t=123s`, other
/// links get a media fragment `#t=123`. Untimed passages link to the episode.
pub fn moment_url(url: &str, start: Option<Millis>) -> String {
    let Some(ms) = start else {
        return url.to_string();
    };
    let secs = ms / 1000;
    let is_youtube = url.contains("youtube.com/") || url.contains("youtu.be/");
    if is_youtube {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}t={secs}s")
    } else if url.contains('#') {
        url.to_string()
    } else {
        format!("{url}#t={secs}")
    }
}

/// The one-line citation of a passage, at its start.
pub fn cite(episode: &Episode, passage: &Passage) -> String {
    cite_words(episode, passage, &passage.text)
}

/// The one-line citation of `words`, an exact excerpt of `passage`, at the passage's start.
pub fn cite_words(episode: &Episode, passage: &Passage, words: &str) -> String {
    cite_at(
        episode,
        passage,
        words,
        passage.start_seconds,
        passage.timing,
    )
}

/// The one-line citation of `words`, an exact excerpt of `passage` said at
/// `at` (the matched words' own time: see [`super::MatchTime`]).
pub fn cite_at(
    episode: &Episode,
    passage: &Passage,
    words: &str,
    at: Option<Millis>,
    timing: PassageTiming,
) -> String {
    format!("«{}» {}", words, attribution(episode, passage, at, timing))
}

/// Quotes up to this many characters are written into their citation line;
/// a longer one is not: the answer already holds it once, and an agent pays
/// for every character twice.
pub const CITED_QUOTE_MAX_CHARS: usize = 160;

/// The citation line of a quote an answer also gives on its own: [`cite_at`]
/// when the quote is short, else only its attribution, `— speaker, title
/// (show, date), time`, to paste after the words one quotes.
pub fn cite_compact(
    episode: &Episode,
    passage: &Passage,
    words: &str,
    at: Option<Millis>,
    timing: PassageTiming,
) -> String {
    if words.chars().count() <= CITED_QUOTE_MAX_CHARS {
        cite_at(episode, passage, words, at, timing)
    } else {
        attribution(episode, passage, at, timing)
    }
}

/// `— speaker, title (show, date), time`: who said a passage, where and when.
fn attribution(
    episode: &Episode,
    passage: &Passage,
    at: Option<Millis>,
    timing: PassageTiming,
) -> String {
    let speaker = passage.speaker.as_deref().unwrap_or("unknown speaker");
    let mut origin = Vec::new();
    if let Some(show) = &episode.show {
        origin.push(show.clone());
    }
    if let Some(date) = episode.published {
        origin.push(date.format("%Y-%m-%d").to_string());
    }
    // A file without a title is titled by its show and date: said once.
    let origin = if origin.is_empty() || origin.join(", ") == episode.title {
        String::new()
    } else {
        format!(" ({})", origin.join(", "))
    };
    let time = timestamp_label(at, timing);
    format!("— {}, {}{}, {}", speaker, episode.title, origin, time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_links_get_t() {
        assert_eq!(
            moment_url("https://www.youtube.com/watch?v=abc", Some(123_900)),
            "https://www.youtube.com/watch?v=abc&t=123s"
        );
        assert_eq!(
            moment_url("https://youtu.be/abc", Some(5_000)),
            "https://youtu.be/abc?t=5s"
        );
        assert_eq!(
            moment_url("https://ex.org/ep.mp3", Some(5_000)),
            "https://ex.org/ep.mp3#t=5"
        );
        assert_eq!(moment_url("https://ex.org/ep", None), "https://ex.org/ep");
    }
}
