//! Turning a matching passage into a [`SearchHit`]: quote, highlights as
//! character ranges, neighbouring context, citation and link.

use super::analyzer::{AnalyzedToken, analyze};
use super::contract::{Context, Highlight, SearchHit};
use super::query::{Matcher, Slot};
use crate::model::citation::{cite_at, moment_url};
use crate::model::{ChapterRef, Episode, EpisodeRef, MatchTime, Origin, Passage, Said};
use tantivy::tokenizer::TextAnalyzer;

/// Characters of neighbouring text given as context on each side.
const CONTEXT_CHARS: usize = 200;

/// Builds the hit for passage `around[at]` of `episode` (whose own
/// `passages` are not used: `around` holds the passage and its neighbours).
pub fn build_hit(
    episode: &Episode,
    around: &[Passage],
    at: usize,
    score: f32,
    matchers: &[Matcher],
    analyzer: &mut TextAnalyzer,
) -> Option<SearchHit> {
    let passage = around.get(at)?;
    // A diarization label (`SPEAKER_02`) is shown as the participant's name when known.
    let speaker = passage
        .speaker
        .as_deref()
        .map(|label| episode.speaker_name(label));
    let cited = Passage {
        speaker,
        ..passage.clone()
    };
    let before = at.checked_sub(1).and_then(|i| around.get(i));
    let after = around.get(at + 1);
    let matched = matched_bytes(&passage.text, matchers, analyzer);
    // From the first matched word to the last (the whole passage when only a
    // filter or a fuzzy form matched).
    let matched_span = match (matched.first(), matched.last()) {
        (Some(first), Some(last)) => first.start..last.end,
        _ => 0..passage.text.len(),
    };
    let time = MatchTime::of_bytes(passage, matched_span);
    Some(SearchHit {
        origin: Origin {
            passage_id: passage.passage_id.clone(),
            episode: EpisodeRef::of(episode),
            // A passage names a chapter its episode has; an empty title would say otherwise.
            chapter: passage.chapter.map(|index| {
                ChapterRef::of(episode, index).unwrap_or(ChapterRef {
                    index,
                    title: String::new(),
                })
            }),
            said: Said::of(&cited),
        },
        matched: time,
        quote: passage.text.clone(),
        highlights: highlights(&passage.text, &matched),
        score,
        context_before: before.map(|p| context(episode, p, tail_chars(&p.text, CONTEXT_CHARS))),
        context_after: after.map(|p| context(episode, p, head_chars(&p.text, CONTEXT_CHARS))),
        citation: cite_at(
            episode,
            &cited,
            &passage.text,
            time.match_start_seconds,
            time.match_timing,
        ),
        url: episode
            .url
            .as_deref()
            .map(|u| moment_url(u, time.match_start_seconds)),
    })
}

/// A neighbouring passage's words, with its speaker (named where known) and times.
fn context(episode: &Episode, passage: &Passage, text: String) -> Context {
    let mut said = Said::of(passage);
    said.speaker = said.speaker.map(|label| episode.speaker_name(&label));
    Context { text, said }
}

/// Byte ranges of `text` where a matcher matches: a word, a whole phrase, a
/// whole spelling of a name; the longest match wins where several start.
pub fn matched_bytes(
    text: &str,
    matchers: &[Matcher],
    analyzer: &mut TextAnalyzer,
) -> Vec<std::ops::Range<usize>> {
    if matchers.is_empty() {
        return Vec::new();
    }
    let tokens = analyze(analyzer, text);
    let fits = |slot: &Slot, token: &AnalyzedToken| match slot {
        Slot::Terms(terms) => terms.contains(&token.term),
        Slot::Written(word) => text.get(token.from..token.to) == Some(word.as_str()),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let longest = matchers
            .iter()
            .filter(|m| {
                !m.is_empty()
                    && m.iter()
                        .enumerate()
                        .all(|(k, slot)| tokens.get(i + k).is_some_and(|t| fits(slot, t)))
            })
            .map(Vec::len)
            .max();
        match longest {
            Some(len) => {
                if let (Some(first), Some(last)) = (tokens.get(i), tokens.get(i + len - 1)) {
                    out.push(first.from..last.to);
                }
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// Ranges from [`matched_bytes`] as character ranges, what a hit's `highlights` are.
pub fn highlights(text: &str, matched: &[std::ops::Range<usize>]) -> Vec<Highlight> {
    // Walk the text once, converting byte offsets to character offsets as we go.
    let mut chars_seen = 0usize;
    let mut bytes_seen = 0usize;
    matched
        .iter()
        .map(|range| {
            let gap = text
                .get(bytes_seen..range.start)
                .map_or(0, |s| s.chars().count());
            let len = text.get(range.clone()).map_or(0, |s| s.chars().count());
            let start = chars_seen + gap;
            chars_seen = start + len;
            bytes_seen = range.end;
            Highlight {
                start,
                end: start + len,
            }
        })
        .collect()
}

/// At most `max` characters from the start of `text`, cut at a word boundary.
pub fn head_chars(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(&cut).to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// At most `max` characters from the end of `text`, cut at a word boundary.
pub fn tail_chars(text: &str, max: usize) -> String {
    let text = text.trim();
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let cut: String = text.chars().skip(count - max).collect();
    let cut = match cut.find(char::is_whitespace) {
        Some(i) if i < cut.len() / 2 => cut.get(i..).unwrap_or(&cut).to_string(),
        _ => cut,
    };
    format!("…{}", cut.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analyzer::french_analyzer;
    use std::collections::HashSet;

    #[test]
    fn highlights_are_character_ranges() {
        let text = "Évidemment, la sécurité des données d’abord.";
        let terms: HashSet<String> = ["securit", "don"].iter().map(|s| s.to_string()).collect();
        let matchers: Vec<Matcher> = terms
            .iter()
            .map(|t| vec![Slot::Terms(std::iter::once(t.clone()).collect())])
            .collect();
        let mut a = french_analyzer();
        let got = highlights(text, &matched_bytes(text, &matchers, &mut a));
        let words: Vec<String> = got
            .iter()
            .map(|h| text.chars().skip(h.start).take(h.end - h.start).collect())
            .collect();
        // Only the terms the analyzer produces for these words are highlighted.
        let expected: Vec<String> = analyze(&mut a, text)
            .into_iter()
            .filter(|t| terms.contains(&t.term))
            .map(|t| text[t.from..t.to].to_string())
            .collect();
        assert_eq!(words, expected);
    }

    #[test]
    fn context_is_trimmed_at_words() {
        let long = "mot ".repeat(100);
        let head = head_chars(&long, 20);
        assert!(head.chars().count() <= 21 && head.ends_with('…'));
        let tail = tail_chars(&long, 20);
        assert!(tail.chars().count() <= 21 && tail.starts_with('…'));
        assert_eq!(head_chars("court", 20), "court");
    }
}
