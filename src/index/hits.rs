//! Turning a matching passage into a [`SearchHit`]: quote (the sentences
//! that hold the matched words, not the whole passage), highlights as
//! character ranges, neighbouring context, citation and link.

use super::analyzer::{AnalyzedToken, analyze};
use super::contract::{Context, Highlight, SearchHit};
use super::query::{Matcher, Slot};
use crate::model::citation::{cite_compact, moment_url};
use crate::model::{ChapterRef, Episode, EpisodeRef, MatchTime, Origin, Passage, Said};
use crate::text::sentences::sentence_spans;
use std::ops::Range;
use tantivy::tokenizer::TextAnalyzer;

/// Characters of neighbouring text given as context on each side.
const CONTEXT_CHARS: usize = 200;

/// Longest quote a hit gives, in characters: the sentences holding the
/// matched words fit in it almost always; a longer run-on sentence is cut
/// around the first matched word. The passage itself stays readable with
/// its passage_id.
pub const QUOTE_MAX_CHARS: usize = 320;

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
    let all_matched = matched_bytes(&passage.text, matchers, analyzer);
    let span = quote_span(&passage.text, &all_matched, QUOTE_MAX_CHARS);
    let quote = passage
        .text
        .get(span.clone())
        .unwrap_or_default()
        .to_string();
    // The matched words the quote holds, relative to it.
    let matched: Vec<Range<usize>> = all_matched
        .iter()
        .filter(|m| m.start >= span.start && m.end <= span.end)
        .map(|m| m.start - span.start..m.end - span.start)
        .collect();
    // From the first matched word to the last (the whole quote when only a
    // filter or a fuzzy form matched): the time citations and links give.
    let matched_span = match (matched.first(), matched.last()) {
        (Some(first), Some(last)) => first.start + span.start..last.end + span.start,
        _ => span.clone(),
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
        highlights: highlights(&quote, &matched),
        score,
        context_before: before.map(|p| context(episode, p, tail_chars(&p.text, CONTEXT_CHARS))),
        context_after: after.map(|p| context(episode, p, head_chars(&p.text, CONTEXT_CHARS))),
        citation: cite_compact(
            episode,
            &cited,
            &quote,
            time.match_start_seconds,
            time.match_timing,
        ),
        quote,
        url: episode
            .url
            .as_deref()
            .map(|u| moment_url(u, time.match_start_seconds)),
    })
}

/// The bytes of `text` a hit quotes: the sentences from the one holding
/// the first matched word to the one holding the last; when they run past
/// `max` characters, the sentence holding the most matched words; when that
/// alone does, `max` characters of it around its first matched word, cut at
/// words. Without matched words (a filter, a fuzzy form), the first
/// sentences up to `max`. Always exact words of `text`, trimmed.
pub fn quote_span(text: &str, matched: &[Range<usize>], max: usize) -> Range<usize> {
    let sentences: Vec<Range<usize>> = sentence_spans(text)
        .into_iter()
        .map(|(a, b)| a..b)
        .filter(|r| !text.get(r.clone()).unwrap_or_default().trim().is_empty())
        .collect();
    let chars = |r: &Range<usize>| text.get(r.clone()).map_or(0, |s| s.chars().count());
    let (Some(first), Some(last)) = (sentences.first(), sentences.last()) else {
        return 0..text.len();
    };
    // The sentence holding byte `at` (or the next one, for the space between two).
    let holding = |at: usize| {
        sentences
            .iter()
            .position(|s| at < s.end)
            .unwrap_or(sentences.len() - 1)
    };
    let span = match (matched.first(), matched.last()) {
        (Some(a), Some(b)) => {
            let from = sentences.get(holding(a.start)).unwrap_or(first);
            let to = sentences
                .get(holding(b.end.saturating_sub(1)))
                .unwrap_or(last);
            let all = from.start..to.end.max(from.start);
            if chars(&all) <= max {
                all
            } else {
                let best = sentences
                    .iter()
                    .max_by_key(|s| {
                        let inside = matched
                            .iter()
                            .filter(|m| m.start >= s.start && m.end <= s.end)
                            .count();
                        // Most matches; the earliest sentence among equals.
                        (inside, std::cmp::Reverse(s.start))
                    })
                    .unwrap_or(from)
                    .clone();
                if chars(&best) <= max {
                    best
                } else {
                    let at = matched
                        .iter()
                        .find(|m| m.start >= best.start && m.end <= best.end)
                        .map_or(best.start, |m| m.start);
                    window(text, best, at, max)
                }
            }
        }
        _ => {
            let mut end = first.end;
            for s in &sentences {
                if chars(&(first.start..s.end)) > max {
                    break;
                }
                end = s.end;
            }
            let all = first.start..end;
            if chars(&all) <= max {
                all
            } else {
                window(text, all, first.start, max)
            }
        }
    };
    trim(text, span)
}

/// At most `max` characters of `within`, starting a third of `max` before
/// byte `at`, cut at white space on both sides.
fn window(text: &str, within: Range<usize>, at: usize, max: usize) -> Range<usize> {
    let inside: Vec<(usize, char)> = text
        .get(within.clone())
        .unwrap_or_default()
        .char_indices()
        .map(|(i, c)| (i + within.start, c))
        .collect();
    let at_char = inside.iter().position(|(i, _)| *i >= at).unwrap_or(0);
    let start_char = at_char.saturating_sub(max / 3);
    let end_char = (start_char + max).min(inside.len());
    let start_char = end_char.saturating_sub(max).min(start_char);
    let slice = inside.get(start_char..end_char).unwrap_or_default();
    // Whole words only: drop a word cut at either end.
    let from = if start_char == 0 {
        0
    } else {
        slice
            .iter()
            .position(|(_, c)| c.is_whitespace())
            .unwrap_or(0)
    };
    let to = if end_char == inside.len() {
        slice.len()
    } else {
        slice
            .iter()
            .rposition(|(_, c)| c.is_whitespace())
            .unwrap_or(slice.len())
    };
    let byte = |k: usize| slice.get(k).map_or(within.end, |(i, _)| *i);
    let (from, to) = (byte(from), byte(to));
    if from < to { from..to } else { within }
}

/// `span` without white space at either end.
fn trim(text: &str, span: Range<usize>) -> Range<usize> {
    let inner = text.get(span.clone()).unwrap_or_default();
    let start = span.start + (inner.len() - inner.trim_start().len());
    let end = span.end - (inner.len() - inner.trim_end().len());
    if start < end { start..end } else { span }
}

/// A neighbouring passage's words, with its speaker (named where known) and times.
fn context(episode: &Episode, passage: &Passage, text: String) -> Context {
    Context {
        text,
        speaker: passage
            .speaker
            .as_deref()
            .map(|label| episode.speaker_name(label)),
        start_seconds: passage.start_seconds,
    }
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
    fn quotes_are_the_sentences_holding_the_matched_words() {
        let text =
            "Bonjour à tous. On parle de souveraineté numérique aujourd'hui. Et de cloud. Merci.";
        let at = |word: &str| {
            let i = text.find(word).unwrap();
            i..i + word.len()
        };
        let quote = |m: &[Range<usize>], max| text[quote_span(text, m, max)].to_string();
        assert_eq!(
            quote(&[at("souveraineté")], 320),
            "On parle de souveraineté numérique aujourd'hui."
        );
        // From the first matched sentence to the last.
        assert_eq!(
            quote(&[at("souveraineté"), at("cloud")], 320),
            "On parle de souveraineté numérique aujourd'hui. Et de cloud."
        );
        // Too long together: the sentence with the most matches.
        assert_eq!(
            quote(&[at("Bonjour"), at("souveraineté"), at("numérique")], 50),
            "On parle de souveraineté numérique aujourd'hui."
        );
        // No matched word: the first sentences.
        assert_eq!(quote(&[], 40), "Bonjour à tous.");
        // A sentence longer than the limit: whole words around the match.
        let long = format!(
            "{}souveraineté {}",
            "mot ".repeat(100),
            "fin ".repeat(100).trim_end()
        );
        let i = long.find("souveraineté").unwrap();
        let matched: Vec<Range<usize>> = std::iter::once(i..i + "souveraineté".len()).collect();
        let got = &long[quote_span(&long, &matched, 60)];
        assert!(
            got.contains("souveraineté") && got.chars().count() <= 60,
            "{got}"
        );
        assert!(long.contains(got) && !got.starts_with(' ') && !got.ends_with(' '));
        assert!(
            got.split(' ')
                .all(|w| ["mot", "fin", "souveraineté"].contains(&w)),
            "{got}"
        );
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
