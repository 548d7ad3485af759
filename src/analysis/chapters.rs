//! Chapters for every episode.
//!
//! Two jobs, both pure functions over an [`Episode`]:
//!
//! - [`anchor_listed_chapters`]: an untimed transcript with a chapter list
//!   (a podcast page) knows each chapter's start *time* but not where it
//!   starts in the *text*. Each chapter's title and link words are matched
//!   against the text (tolerating speech-recognition spellings through
//!   character trigrams: "PostgreSQL" heard as "post-grésquel"), and a
//!   monotonic alignment (dynamic programming: the chapters' order is known)
//!   picks one start passage per chapter. Passages then get times
//!   interpolated by character position between those anchors, marked
//!   `estimated`, and so do the starts of the source's lines inside them
//!   (their marks). A plain proportional split is only a weak prior here,
//!   because people do not speak at a constant rate across topics.
//! - [`generate_chapters`]: a transcript without chapters gets some by
//!   lexical cohesion (TextTiling: vocabulary similarity between adjacent
//!   blocks of text; topic shifts are the deepest valleys), about one per
//!   ~1 000 words or ~7 minutes, each titled from its most distinctive key
//!   phrase and never from a filler.

use super::vocabulary::{is_title_stopword, stem};
use crate::model::{Chapter, ChapterTiming, Episode, Millis, PassageTiming, TimeMark};
use crate::text::{Word, is_function_word, words};
use std::collections::{HashMap, HashSet};

/// Passages read after a candidate start when matching a chapter's words:
/// a chapter's topic is named in its first minute or two, not in one sentence.
const ANCHOR_WINDOW: usize = 4;
/// How much a start far from the chapter's proportional position costs,
/// relative to a perfect lexical match (1.0).
const POSITION_PRIOR_WEIGHT: f64 = 0.6;
/// Fastest plausible speech, in characters per second (French runs at ~15).
const MAX_CHARS_PER_SECOND: f64 = 30.0;
/// Words per generated chapter, and minutes per generated chapter.
const WORDS_PER_CHAPTER: usize = 1_000;
const MILLIS_PER_CHAPTER: Millis = 7 * 60 * 1000 + 30 * 1000;

/// Places listed chapters in an untimed transcript and times its passages.
/// `line_starts` says, per passage, where the source's lines start inside it
/// (character offsets after 0): those starts are timed too, as the
/// passage's marks. Missing entries mean no line starts there.
///
/// Does nothing when the passages already carry times, when there are no
/// chapters, or when a chapter has no start time.
pub fn anchor_listed_chapters(episode: &mut Episode, line_starts: &[Vec<u32>]) {
    let untimed = episode.passages.iter().all(|p| p.start_seconds.is_none());
    let starts: Option<Vec<Millis>> = episode.chapters.iter().map(|c| c.start_seconds).collect();
    let Some(starts) = starts else { return };
    if !untimed || starts.is_empty() || episode.passages.is_empty() {
        return;
    }
    let positions = align_chapters(episode, &starts);
    apply_anchors(episode, &positions, &starts, line_starts);
}

/// One start passage per chapter, strictly increasing.
fn align_chapters(episode: &Episode, starts: &[Millis]) -> Vec<usize> {
    let n = episode.passages.len();
    let k = starts.len();
    if n < k {
        // Fewer passages than chapters: spread them as evenly as possible.
        return (0..k).map(|i| i.min(n.saturating_sub(1))).collect();
    }
    let texts: Vec<Vec<Word>> = episode.passages.iter().map(|p| words(&p.text)).collect();
    let passage_stems: Vec<HashSet<String>> = texts
        .iter()
        .map(|ws| ws.iter().map(|w| stem(&w.folded)).collect())
        .collect();
    let passage_trigrams: Vec<HashSet<[char; 3]>> = episode
        .passages
        .iter()
        .map(|p| trigrams(&compact(&crate::text::fold(&p.text))))
        .collect();
    let idf = inverse_document_frequency(&passage_stems);

    // Where each passage sits in the text, as a fraction of all characters.
    let lengths: Vec<usize> = episode
        .passages
        .iter()
        .map(|p| p.text.chars().count() + 1)
        .collect();
    let total_chars: usize = lengths.iter().sum::<usize>().max(1);
    let mut fraction = Vec::with_capacity(n);
    let mut seen = 0usize;
    for len in &lengths {
        fraction.push(seen as f64 / total_chars as f64);
        seen += len;
    }
    let last_start = starts.last().copied().unwrap_or(0);
    let first_start = starts.first().copied().unwrap_or(0);
    // The episode goes on after its last chapter starts: guess one average chapter more.
    let guessed_end = last_start + (last_start.saturating_sub(first_start)) / (k as u64).max(1);
    let guessed_end = guessed_end.max(1) as f64;

    let mut offsets = Vec::with_capacity(n);
    let mut running = 0usize;
    for len in &lengths {
        offsets.push(running);
        running += len;
    }

    let mut score = vec![vec![0.0_f64; n]; k];
    for (i, chapter) in episode.chapters.iter().enumerate() {
        let keywords = chapter_keywords(chapter);
        let expected = starts.get(i).copied().unwrap_or(0) as f64 / guessed_end;
        for j in 0..n {
            // Nobody says more than this before the chapter's time: a hard limit.
            let said_before = offsets.get(j).copied().unwrap_or(0) as f64;
            let start_seconds = starts.get(i).copied().unwrap_or(0) as f64 / 1000.0;
            if said_before > start_seconds * MAX_CHARS_PER_SECOND {
                if let Some(cell) = score.get_mut(i).and_then(|row| row.get_mut(j)) {
                    *cell = f64::NEG_INFINITY;
                }
                continue;
            }
            let lexical = lexical_match(&keywords, j, &passage_stems, &passage_trigrams, &idf);
            let distance = (fraction.get(j).copied().unwrap_or(0.0) - expected).abs();
            if let Some(row) = score.get_mut(i)
                && let Some(cell) = row.get_mut(j)
            {
                *cell = lexical - POSITION_PRIOR_WEIGHT * distance;
            }
        }
    }
    monotonic_best_path(&score, n)
}

/// Dynamic programming: maximize the summed score with strictly increasing positions.
fn monotonic_best_path(score: &[Vec<f64>], n: usize) -> Vec<usize> {
    let k = score.len();
    let mut best = vec![vec![f64::NEG_INFINITY; n]; k];
    let mut from = vec![vec![0usize; n]; k];
    for i in 0..k {
        // Best predecessor so far (running max over positions < j).
        let mut running: (f64, usize) = (f64::NEG_INFINITY, 0);
        for j in 0..n {
            let own = score
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(f64::NEG_INFINITY);
            let value = if i == 0 { own } else { running.0 + own };
            if let Some(cell) = best.get_mut(i).and_then(|r| r.get_mut(j)) {
                *cell = value;
            }
            if let Some(cell) = from.get_mut(i).and_then(|r| r.get_mut(j)) {
                *cell = running.1;
            }
            if i > 0 {
                // The previous chapter at j makes j+1.. possible for this one.
                let previous = best
                    .get(i - 1)
                    .and_then(|r| r.get(j))
                    .copied()
                    .unwrap_or(f64::NEG_INFINITY);
                if previous > running.0 {
                    running = (previous, j);
                }
            }
        }
    }
    let mut path = vec![0usize; k];
    let last_row = best.last().cloned().unwrap_or_default();
    let mut j = last_row
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(j, _)| j);
    for i in (0..k).rev() {
        if let Some(slot) = path.get_mut(i) {
            *slot = j;
        }
        j = from.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
    }
    path
}

/// The chapter's distinctive words: its title and the words of its links
/// (a link's path often names the topic: `postgres-corruption-postmortem`).
fn chapter_keywords(chapter: &Chapter) -> Vec<String> {
    const URL_NOISE: &[&str] = &[
        "http", "https", "www", "com", "org", "net", "html", "htm", "php", "status", "blog",
        "news", "article", "articles", "actu", "watch", "youtube", "twitter", "github", "io", "fr",
        "en", "amp", "index",
    ];
    let mut keywords: Vec<String> = Vec::new();
    let link_words = chapter.links.iter().flat_map(|l| words(l));
    for w in words(&chapter.title).into_iter().chain(link_words) {
        let folded = w.folded;
        if folded.len() < 3 || is_function_word(&folded) || URL_NOISE.contains(&folded.as_str()) {
            continue;
        }
        if folded.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if !keywords.contains(&folded) {
            keywords.push(folded);
        }
    }
    keywords
}

/// How well the passages from `start` on speak of `keywords`, 0 to 1.
fn lexical_match(
    keywords: &[String],
    start: usize,
    stems: &[HashSet<String>],
    trigram_sets: &[HashSet<[char; 3]>],
    idf: &HashMap<String, f64>,
) -> f64 {
    let end = (start + ANCHOR_WINDOW).min(stems.len());
    let mut found = 0.0;
    let mut total = 0.0;
    for keyword in keywords {
        let key_stem = stem(keyword);
        // Words the episode never says (most URL words) weigh as rare words.
        let weight = idf.get(&key_stem).copied().unwrap_or(1.5);
        total += weight;
        let window_stems = stems.get(start..end).unwrap_or_default();
        if window_stems.iter().any(|s| s.contains(&key_stem)) {
            found += weight;
            continue;
        }
        // Speech recognition splits and respells names: compare letters, not words.
        let key_trigrams = trigrams(keyword);
        if keyword.len() >= 6 && !key_trigrams.is_empty() {
            let window_trigrams = trigram_sets.get(start..end).unwrap_or_default();
            let shared = key_trigrams
                .iter()
                .filter(|t| window_trigrams.iter().any(|s| s.contains(*t)))
                .count();
            let ratio = shared as f64 / key_trigrams.len() as f64;
            if ratio >= 0.7 {
                found += weight * ratio * 0.8;
            }
        }
    }
    if total > 0.0 { found / total } else { 0.0 }
}

fn inverse_document_frequency(documents: &[HashSet<String>]) -> HashMap<String, f64> {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for doc in documents {
        for term in doc {
            *df.entry(term.as_str()).or_default() += 1;
        }
    }
    let n = documents.len() as f64;
    df.into_iter()
        .map(|(t, d)| (t.to_string(), (1.0 + n / (1.0 + d as f64)).ln()))
        .collect()
}

/// Letters and digits only: `post-grésquel` -> `postgresquel`.
fn compact(folded: &str) -> String {
    folded.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn trigrams(text: &str) -> HashSet<[char; 3]> {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    chars
        .windows(3)
        .filter_map(|w| <[char; 3]>::try_from(w).ok())
        .collect()
}

/// Gives every passage an estimated time from the chapter anchors, marks
/// its line starts the same way, and sets each passage's chapter.
fn apply_anchors(
    episode: &mut Episode,
    positions: &[usize],
    starts: &[Millis],
    line_starts: &[Vec<u32>],
) {
    // Character offset of each passage start, and of the end of the text.
    let mut offsets = Vec::with_capacity(episode.passages.len() + 1);
    let mut seen = 0usize;
    for p in &episode.passages {
        offsets.push(seen);
        seen += p.text.chars().count() + 1;
    }
    let text_end = seen;

    // Anchor points (character offset -> time), increasing in both.
    let mut anchors: Vec<(usize, Millis)> = vec![(0, 0)];
    for (&position, &start) in positions.iter().zip(starts) {
        let offset = offsets.get(position).copied().unwrap_or(0);
        if let Some(&(last_offset, last_time)) = anchors.last()
            && offset >= last_offset
            && start >= last_time
        {
            if offset == last_offset {
                anchors.pop();
            }
            anchors.push((offset, start));
        }
    }
    // After the last anchor, speak at the average rate seen so far.
    let (last_offset, last_time) = anchors.last().copied().unwrap_or((0, 0));
    let rate = if last_offset > 0 {
        last_time as f64 / last_offset as f64
    } else {
        60.0
    };
    let end_time = last_time + ((text_end - last_offset) as f64 * rate) as Millis;
    anchors.push((text_end, end_time));

    let time_at = |offset: usize| -> Millis {
        let after = anchors
            .iter()
            .position(|&(o, _)| o >= offset)
            .unwrap_or(anchors.len() - 1);
        let (o1, t1) = anchors.get(after).copied().unwrap_or((text_end, end_time));
        let (o0, t0) = if after == 0 {
            (o1, t1)
        } else {
            anchors.get(after - 1).copied().unwrap_or((0, 0))
        };
        if o1 <= o0 {
            return t1;
        }
        t0 + ((offset - o0) as f64 / (o1 - o0) as f64 * (t1 - t0) as f64) as Millis
    };

    let count = episode.passages.len();
    for index in 0..count {
        let offset = offsets.get(index).copied().unwrap_or(0);
        let start = time_at(offset);
        let end = time_at(offsets.get(index + 1).copied().unwrap_or(text_end)).max(start);
        let chapter = positions.iter().rposition(|&p| p <= index);
        let marks = line_starts.get(index).map_or_else(Vec::new, |lines| {
            lines
                .iter()
                .map(|&line| TimeMark {
                    offset: line,
                    at: time_at(offset + line as usize).max(start).min(end),
                })
                .collect()
        });
        if let Some(p) = episode.passages.get_mut(index) {
            p.start_seconds = Some(start);
            p.end_seconds = Some(end);
            p.timing = PassageTiming::Estimated;
            p.marks = marks;
            p.chapter = chapter.map(|c| episode.chapters.get(c).map_or(c, |ch| ch.index));
        }
    }
    if let Some(last) = episode.chapters.last_mut()
        && last.end_seconds.is_none()
    {
        last.end_seconds = Some(end_time.max(last.start_seconds.unwrap_or(0)));
    }
}

/// Generates chapters for an episode that has none.
pub fn generate_chapters(episode: &mut Episode) {
    if !episode.chapters.is_empty() || episode.passages.is_empty() {
        return;
    }
    let passage_words: Vec<Vec<Word>> = episode.passages.iter().map(|p| words(&p.text)).collect();
    let total_words: usize = passage_words.iter().map(Vec::len).sum();
    let duration = episode
        .passages
        .iter()
        .filter_map(|p| p.end_seconds.or(p.start_seconds))
        .max()
        .unwrap_or(0);
    let by_words = (total_words as f64 / WORDS_PER_CHAPTER as f64).round() as usize;
    let by_time = (duration as f64 / MILLIS_PER_CHAPTER as f64).round() as usize;
    let wanted = by_words.max(by_time).max(1).min(episode.passages.len());

    let boundaries = if wanted > 1 {
        topic_boundaries(&passage_words, wanted)
    } else {
        Vec::new()
    };
    let mut starts = vec![0usize];
    starts.extend(boundaries);

    let titles = chapter_titles(&passage_words, &episode.passages, &starts);
    let count = episode.passages.len();
    for (index, &first) in starts.iter().enumerate() {
        let last = starts.get(index + 1).copied().unwrap_or(count);
        let start_seconds = episode.passages.get(first).and_then(|p| p.start_seconds);
        let end_seconds = episode
            .passages
            .get(last.saturating_sub(1))
            .and_then(|p| p.end_seconds.or(p.start_seconds));
        let title = titles
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("Partie {}", index + 1));
        episode.chapters.push(Chapter {
            index,
            title,
            start_seconds,
            end_seconds,
            timing: ChapterTiming::Generated,
            links: Vec::new(),
        });
        for passage in episode.passages.iter_mut().take(last).skip(first) {
            passage.chapter = Some(index);
        }
    }
}

/// The `wanted - 1` passage indexes where a new topic starts (TextTiling).
fn topic_boundaries(passage_words: &[Vec<Word>], wanted: usize) -> Vec<usize> {
    let bags: Vec<HashMap<String, f64>> = passage_words
        .iter()
        .map(|ws| {
            let mut bag = HashMap::new();
            for w in ws
                .iter()
                .filter(|w| w.folded.len() >= 3 && !is_function_word(&w.folded))
            {
                *bag.entry(stem(&w.folded)).or_insert(0.0) += 1.0;
            }
            bag
        })
        .collect();
    let n = bags.len();
    let total_words: usize = passage_words.iter().map(Vec::len).sum();
    // Compare ~150 words on each side of a gap.
    let words_per_passage = (total_words / n.max(1)).max(1);
    let block = (150 / words_per_passage).clamp(1, 12);

    // Gap g sits between passage g and g + 1.
    let similarity: Vec<f64> = (0..n.saturating_sub(1))
        .map(|g| {
            let left = merge_bags(
                bags.get((g + 1).saturating_sub(block)..=g)
                    .unwrap_or_default(),
            );
            let right = merge_bags(bags.get(g + 1..(g + 1 + block).min(n)).unwrap_or_default());
            cosine(&left, &right)
        })
        .collect();
    let depth: Vec<f64> = (0..similarity.len())
        .map(|g| {
            let here = similarity.get(g).copied().unwrap_or(0.0);
            let left_peak = similarity
                .get(..=g)
                .unwrap_or_default()
                .iter()
                .rev()
                .copied()
                .fold(here, f64::max);
            let right_peak = similarity
                .get(g..)
                .unwrap_or_default()
                .iter()
                .copied()
                .fold(here, f64::max);
            (left_peak - here) + (right_peak - here)
        })
        .collect();

    // Deepest valleys first, keeping chapters at least a third of the average length.
    let min_gap = (n / wanted / 3).max(1);
    let mut order: Vec<usize> = (0..depth.len()).collect();
    order.sort_by(|&a, &b| {
        depth
            .get(b)
            .copied()
            .unwrap_or(0.0)
            .total_cmp(&depth.get(a).copied().unwrap_or(0.0))
    });
    let mut chosen: Vec<usize> = Vec::new();
    for g in order {
        let start = g + 1;
        if start < min_gap || n - start < min_gap {
            continue;
        }
        if chosen.iter().all(|&c| c.abs_diff(start) >= min_gap) {
            chosen.push(start);
        }
        if chosen.len() + 1 >= wanted {
            break;
        }
    }
    chosen.sort_unstable();
    chosen
}

fn merge_bags(bags: &[HashMap<String, f64>]) -> HashMap<String, f64> {
    let mut merged: HashMap<String, f64> = HashMap::new();
    for bag in bags {
        for (term, count) in bag {
            *merged.entry(term.clone()).or_insert(0.0) += count;
        }
    }
    merged
}

fn cosine(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    let dot: f64 = a.iter().filter_map(|(t, x)| b.get(t).map(|y| x * y)).sum();
    let norm = |m: &HashMap<String, f64>| m.values().map(|v| v * v).sum::<f64>().sqrt();
    let denominator = norm(a) * norm(b);
    if denominator > 0.0 {
        dot / denominator
    } else {
        0.0
    }
}

/// A title per chapter: its most distinctive key phrase (one to three words
/// starting and ending with a meaningful word), as it is written in the text.
fn chapter_titles(
    passage_words: &[Vec<Word>],
    passages: &[crate::model::Passage],
    starts: &[usize],
) -> Vec<String> {
    let n = passage_words.len();
    // Key phrase counts per chapter, and one surface form per phrase.
    let mut counts: Vec<HashMap<String, usize>> = Vec::new();
    let mut surface: HashMap<String, String> = HashMap::new();
    for (index, &first) in starts.iter().enumerate() {
        let last = starts.get(index + 1).copied().unwrap_or(n);
        let mut chapter_counts: HashMap<String, usize> = HashMap::new();
        for p in first..last {
            let (Some(ws), Some(passage)) = (passage_words.get(p), passages.get(p)) else {
                continue;
            };
            for size in 1..=3 {
                for phrase in ws.windows(size) {
                    let (Some(head), Some(tail)) = (phrase.first(), phrase.last()) else {
                        continue;
                    };
                    if !is_key_word(&head.folded) || !is_key_word(&tail.folded) {
                        continue;
                    }
                    // Inside the phrase only short function words may join ("sécurité des données").
                    if phrase
                        .iter()
                        .any(|w| w.folded.len() < 2 && !is_function_word(&w.folded))
                    {
                        continue;
                    }
                    // A lone word names a topic only when it is a name ("Scaleway", "GPU"):
                    // lone common words ("permettre", "efficace") make poor titles.
                    if size == 1 && !is_written_as_name(&passage.text, head) {
                        continue;
                    }
                    let key: Vec<String> = phrase.iter().map(|w| stem(&w.folded)).collect();
                    let key = key.join(" ");
                    *chapter_counts.entry(key.clone()).or_default() += 1;
                    surface.entry(key).or_insert_with(|| {
                        passage
                            .text
                            .get(head.span.start..tail.span.end)
                            .unwrap_or_default()
                            .to_string()
                    });
                }
            }
        }
        counts.push(chapter_counts);
    }
    let mut in_all: HashMap<&str, usize> = HashMap::new();
    for chapter in &counts {
        for (phrase, count) in chapter {
            *in_all.entry(phrase.as_str()).or_default() += count;
        }
    }
    let mut used: HashSet<String> = HashSet::new();
    counts
        .iter()
        .enumerate()
        .map(|(index, chapter)| {
            // Said twice at least; in a short chapter, any phrase of two words or more.
            let repeated = chapter.values().any(|&count| count >= 2);
            let mut ranked: Vec<(f64, &String)> = chapter
                .iter()
                .filter(|(phrase, count)| {
                    if repeated {
                        **count >= 2
                    } else {
                        phrase.contains(' ')
                    }
                })
                .map(|(phrase, &count)| {
                    let elsewhere = in_all.get(phrase.as_str()).copied().unwrap_or(count) - count;
                    let words_in_phrase = phrase.split(' ').count() as f64;
                    // Frequent here, rare elsewhere; longer phrases read better as titles.
                    let score = count as f64 / (1.0 + elsewhere as f64)
                        * (1.0 + 0.8 * (words_in_phrase - 1.0));
                    (score, phrase)
                })
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            ranked
                .into_iter()
                .map(|(_, phrase)| phrase)
                .find(|phrase| used.insert((*phrase).clone()))
                .and_then(|phrase| surface.get(phrase.as_str()))
                .map(|s| capitalize(s))
                .unwrap_or_else(|| format!("Partie {}", index + 1))
        })
        .collect()
}

/// Whether `word` is written like a name in `text`: an acronym, or a capital
/// letter that does not merely start a sentence.
fn is_written_as_name(text: &str, word: &Word) -> bool {
    let Some(surface) = text.get(word.span.clone()) else {
        return false;
    };
    let uppercase = surface.chars().filter(|c| c.is_uppercase()).count();
    if uppercase >= 2 {
        return true;
    }
    if !surface.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let before = text.get(..word.span.start).unwrap_or_default().trim_end();
    !(before.is_empty() || before.ends_with(['.', '!', '?', '…', ':', '«', '"']))
}

/// A word that can start or end a title: not a function word, not a filler.
fn is_key_word(folded: &str) -> bool {
    folded.chars().count() >= 3
        && !is_function_word(folded)
        && !is_title_stopword(folded)
        && !folded.chars().all(|c| c.is_ascii_digit())
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_path_prefers_high_scores_in_order() {
        // Chapter 0 fits passage 2, chapter 1 fits passage 1, but order forces 1 after 0.
        let score = vec![vec![0.0, 0.5, 0.9, 0.0], vec![0.0, 1.0, 0.0, 0.8]];
        assert_eq!(monotonic_best_path(&score, 4), vec![2, 3]);
    }

    #[test]
    fn keywords_come_from_titles_and_link_paths() {
        let chapter = Chapter {
            index: 0,
            title: "Matrix.org a vécu un incident".into(),
            start_seconds: Some(0),
            end_seconds: None,
            timing: ChapterTiming::Exact,
            links: vec!["https://matrix.org/blog/2025/07/postgres-corruption-postmortem/".into()],
        };
        let k = chapter_keywords(&chapter);
        assert!(k.contains(&"matrix".to_string()));
        assert!(k.contains(&"postgres".to_string()));
        assert!(!k.contains(&"https".to_string()));
        assert!(!k.contains(&"2025".to_string()));
    }

    #[test]
    fn trigrams_tolerate_asr_spelling() {
        let key = trigrams("postgresql");
        let heard = trigrams(&compact(&crate::text::fold("post-grésquel")));
        let shared = key.iter().filter(|t| heard.contains(*t)).count();
        assert!(shared as f64 / key.len() as f64 >= 0.7);
    }
}
