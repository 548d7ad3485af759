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
//!   ~1 000 words or ~7 minutes, each titled by what it is about
//!   ([`super::topics`]).
//! - [`describe_chapters`]: every chapter, given or generated, gets the
//!   keywords of its span.

use super::episode_words::{EpisodeWords, StemId, WordId};
use super::topics::EpisodeTerms;
use super::vocabulary::stem;
use crate::model::{
    Chapter, ChapterTiming, Episode, Millis, PassageTiming, TimeMark, format_timestamp,
};
use crate::text::{capitalize_first, is_function_word, words};
use rustc_hash::{FxHashMap, FxHashSet};

/// Passages read after a candidate start when matching a chapter's words:
/// a chapter's topic is named in its first minute or two, not in one sentence.
const ANCHOR_WINDOW: usize = 4;
/// A first chapter listed this early starts at the first passage.
const FIRST_CHAPTER_OPENS_WITHIN: Millis = 60_000;
/// Weight of each further passage of that window.
const WINDOW_DECAY: f64 = 0.7;
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
/// `words` are the episode's words, split and stemmed once and shared by the
/// analyses.
///
/// Does nothing when the passages already carry times, when there are no
/// chapters, or when a chapter has no start time.
pub fn anchor_listed_chapters(
    episode: &mut Episode,
    line_starts: &[Vec<u32>],
    words: &EpisodeWords,
) {
    let untimed = episode.passages.iter().all(|p| p.start_seconds.is_none());
    let starts: Option<Vec<Millis>> = episode.chapters.iter().map(|c| c.start_seconds).collect();
    let Some(starts) = starts else { return };
    if !untimed || starts.is_empty() || episode.passages.is_empty() {
        return;
    }
    let positions = align_chapters(episode, &starts, words);
    apply_anchors(episode, &positions, &starts, line_starts);
}

/// One start passage per chapter, strictly increasing.
fn align_chapters(episode: &Episode, starts: &[Millis], words: &EpisodeWords) -> Vec<usize> {
    let n = episode.passages.len();
    let k = starts.len();
    if n < k {
        // Fewer passages than chapters: spread them as evenly as possible.
        return (0..k).map(|i| i.min(n.saturating_sub(1))).collect();
    }
    let chapter_keywords: Vec<Vec<Keyword>> =
        episode.chapters.iter().map(chapter_keywords).collect();
    let distinct = |ids: Vec<u32>| -> Vec<u32> {
        let mut ids = ids;
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let passage_words: Vec<Vec<WordId>> = (0..n)
        .map(|j| distinct(words.word_ids(j).collect()))
        .collect();
    let passage_stems: Vec<Vec<StemId>> = passage_words
        .iter()
        .map(|ids| distinct(ids.iter().map(|&w| words.stem_id(w)).collect()))
        .collect();
    // Trigrams are only compared for long keywords, so a passage keeps
    // only theirs: a set of all of each passage's trigrams was a twentieth
    // of indexing, for the few dozen that are ever looked up.
    let wanted: FxHashSet<u64> = chapter_keywords
        .iter()
        .flatten()
        .filter(|k| k.folded.len() >= MIN_TRIGRAM_KEYWORD)
        .flat_map(|k| trigrams(k.folded.chars()))
        .collect();
    let passage_trigrams: Vec<FxHashSet<u64>> = (0..n)
        .map(|j| {
            if wanted.is_empty() {
                return FxHashSet::default();
            }
            let letters = words.word_ids(j).flat_map(|w| words.folded(w).chars());
            let mut found = FxHashSet::default();
            for_each_trigram(letters, |t| {
                if wanted.contains(&t) {
                    found.insert(t);
                }
            });
            found
        })
        .collect();
    let idf = inverse_document_frequency(&passage_stems, words.distinct_stems());

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

    let passages = PassageWords {
        episode: words,
        stems: &passage_stems,
        words: &passage_words,
        trigrams: &passage_trigrams,
    };
    let mut score = vec![vec![0.0_f64; n]; k];
    for (i, keywords) in chapter_keywords.iter().enumerate() {
        let presence = keyword_presence(keywords, &passages);
        // Words the episode never says (most URL words) weigh as rare words.
        let weights: Vec<f64> = keywords
            .iter()
            .map(|keyword| {
                let idf = words
                    .stem_id_of(&stem(&keyword.folded))
                    .and_then(|id| idf.get(id as usize).copied())
                    .unwrap_or(1.5);
                keyword.weight * idf
            })
            .collect();

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
            let lexical = lexical_match(&weights, &presence, j);
            let distance = (fraction.get(j).copied().unwrap_or(0.0) - expected).abs();
            if let Some(row) = score.get_mut(i)
                && let Some(cell) = row.get_mut(j)
            {
                *cell = lexical - POSITION_PRIOR_WEIGHT * distance;
            }
        }
    }
    let mut path = monotonic_best_path(&score, n);
    // A first chapter listed within the first minute opens the transcript:
    // a few words of welcome before it are not a chapter of their own.
    if first_start <= FIRST_CHAPTER_OPENS_WITHIN
        && let Some(first) = path.first_mut()
    {
        *first = 0;
    }
    path
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

/// A word that says what a listed chapter is about, and how much it counts.
#[derive(Debug, Clone, PartialEq)]
struct Keyword {
    folded: String,
    /// 1 for a word of the title; less for a word of a link, which often
    /// names the topic (`postgres-corruption-postmortem`) but also carries
    /// the linked page's own words.
    weight: f64,
}

/// Weight of a link's words against the title's.
const LINK_WORD_WEIGHT: f64 = 0.35;

/// The chapter's distinctive words: its title's, then its links'.
fn chapter_keywords(chapter: &Chapter) -> Vec<Keyword> {
    const NOISE: &[&str] = &[
        "http", "https", "www", "com", "org", "net", "html", "htm", "php", "status", "blog",
        "news", "article", "articles", "actu", "watch", "youtube", "twitter", "github", "io", "fr",
        "en", "amp", "index", "with", "for", "from", "by", "on", "at", "its", "this", "are", "was",
        "has", "have", "will", "new",
    ];
    let mut keywords: Vec<Keyword> = Vec::new();
    let title_words = words(&chapter.title).into_iter().map(|w| (w, 1.0));
    let link_words = chapter
        .links
        .iter()
        .flat_map(|l| words(l))
        .map(|w| (w, LINK_WORD_WEIGHT));
    for (w, weight) in title_words.chain(link_words) {
        let folded = w.folded;
        if folded.len() < 3 || is_function_word(&folded) || NOISE.contains(&folded.as_str()) {
            continue;
        }
        if folded.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if !keywords.iter().any(|k| k.folded == folded) {
            keywords.push(Keyword { folded, weight });
        }
    }
    keywords
}

/// The words of each passage, three ways: distinct stems and distinct words
/// (sorted ids of `episode`), and letter trigrams.
struct PassageWords<'a> {
    episode: &'a EpisodeWords,
    stems: &'a [Vec<StemId>],
    words: &'a [Vec<WordId>],
    trigrams: &'a [FxHashSet<u64>],
}

/// Keywords this long (bytes, folded) are also found by their letter trigrams.
const MIN_TRIGRAM_KEYWORD: usize = 6;

/// How strongly each passage says each keyword, 0 to 1 (`[keyword][passage]`).
///
/// A keyword is said by its stem, by a cognate (an English title over French
/// speech: "department" and "département", "contract" and "contrat"), by a
/// known translation ("announces", "annonce"), or, for long words that
/// speech recognition splits and respells, by most of its letter trigrams
/// (weaker).
fn keyword_presence(keywords: &[Keyword], passages: &PassageWords<'_>) -> Vec<Vec<f64>> {
    keywords
        .iter()
        .map(
            |Keyword {
                 folded: keyword, ..
             }| {
                let mut forms: Vec<&str> = vec![keyword.as_str()];
                forms.extend(translations(keyword));
                // Stems the episode never says cannot be found in a passage.
                let form_stems: Vec<StemId> = forms
                    .iter()
                    .filter_map(|f| passages.episode.stem_id_of(&stem(f)))
                    .collect();
                // Each distinct word of the episode is judged a cognate once.
                let cognates: Vec<bool> = (0..passages.episode.distinct_words())
                    .map(|w| {
                        let word = passages.episode.folded(w as WordId);
                        forms.iter().any(|f| is_cognate(f, word))
                    })
                    .collect();
                let key_trigrams = trigrams(keyword.chars());
                (0..passages.stems.len())
                    .map(|j| {
                        let stems = passages.stems.get(j).map_or(&[][..], Vec::as_slice);
                        let words = passages.words.get(j).map_or(&[][..], Vec::as_slice);
                        if form_stems.iter().any(|s| stems.binary_search(s).is_ok()) {
                            return 1.0;
                        }
                        if words
                            .iter()
                            .any(|&w| cognates.get(w as usize).copied().unwrap_or(false))
                        {
                            return 0.9;
                        }
                        if keyword.len() >= MIN_TRIGRAM_KEYWORD && !key_trigrams.is_empty() {
                            let shared = passages.trigrams.get(j).map_or(0, |set| {
                                key_trigrams.iter().filter(|t| set.contains(*t)).count()
                            });
                            let ratio = shared as f64 / key_trigrams.len() as f64;
                            if ratio >= 0.7 {
                                return ratio * 0.8;
                            }
                        }
                        0.0
                    })
                    .collect()
            },
        )
        .collect()
}

/// Two spellings of one word across French and English: same first three
/// letters and nearly the same letters ("department"/"departement").
fn is_cognate(a: &str, b: &str) -> bool {
    // The cheap tests first: this runs for every word of every passage.
    if a.len() < 5 || b.len() < 5 || a.get(..3) != b.get(..3) {
        return false;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la < 5 || lb < 5 || la.abs_diff(lb) * 5 > la.max(lb) {
        return false;
    }
    let longest = la.max(lb) as f64;
    1.0 - crate::text::edit_distance(a, b) as f64 / longest >= 0.8
}

/// French for the English words chapter titles use most where the two
/// languages do not share a spelling (cognates are found by spelling), and
/// English for the same French words: a title may be in either language
/// over speech in the other. Folded.
fn translations(folded: &str) -> Vec<&'static str> {
    const PAIRS: &[(&str, &str)] = &[
        ("announces", "annonce"),
        ("announce", "annonce"),
        ("announcement", "annonce"),
        ("ceiling", "plafond"),
        ("deal", "accord"),
        ("agreement", "accord"),
        ("agreements", "accords"),
        ("buys", "rachete"),
        ("buy", "rachat"),
        ("acquisition", "rachat"),
        ("acquires", "rachete"),
        ("chips", "puces"),
        ("chip", "puce"),
        ("data", "donnees"),
        ("privacy", "confidentialite"),
        ("search", "recherche"),
        ("law", "loi"),
        ("laws", "lois"),
        ("war", "guerre"),
        ("court", "tribunal"),
        ("ban", "interdiction"),
        ("bans", "interdit"),
        ("launch", "lancement"),
        ("launches", "lance"),
        ("release", "sortie"),
        ("price", "prix"),
        ("market", "marche"),
        ("power", "puissance"),
        ("health", "sante"),
        ("jobs", "emplois"),
        ("job", "emploi"),
        ("work", "travail"),
        ("school", "ecole"),
        ("children", "enfants"),
        ("end", "fin"),
        ("army", "armee"),
        ("weapons", "armes"),
        ("funding", "financement"),
        ("fundraising", "levee"),
        ("raises", "leve"),
        ("states", "etats"),
        ("state", "etat"),
        ("united", "unis"),
        ("rights", "droits"),
        ("europe", "europe"),
        ("european", "europeen"),
        ("american", "americain"),
        ("chinese", "chinois"),
        ("french", "francais"),
        ("free", "libre"),
        ("software", "logiciel"),
        ("browser", "navigateur"),
        ("model", "modele"),
        ("models", "modeles"),
        ("open", "ouvert"),
        ("sovereignty", "souverainete"),
        ("energy", "energie"),
        ("music", "musique"),
        ("outage", "panne"),
        ("breach", "fuite"),
        ("leak", "fuite"),
        ("database", "donnees"),
        ("integrates", "integration"),
        ("integration", "integration"),
        ("town", "ville"),
    ];
    PAIRS
        .iter()
        .filter_map(|&(english, french)| {
            if english == folded {
                Some(french)
            } else if french == folded {
                Some(english)
            } else {
                None
            }
        })
        .collect()
}

/// How much the passages from `start` on turn to the keywords, 0 to 1:
/// the keywords said in the next passages, less those already said just
/// before. A chapter starts where its subject starts, not at the first
/// passage that happens to share a word with its title.
/// `weights` are the keywords' weights (their own times their stems' idf).
fn lexical_match(weights: &[f64], presence: &[Vec<f64>], start: usize) -> f64 {
    let mut found = 0.0;
    let mut total = 0.0;
    for (&weight, row) in weights.iter().zip(presence) {
        total += weight;
        // Nearer passages count more, so the start falls on the first
        // passage of the run that speaks of the subject.
        let after: f64 = (0..ANCHOR_WINDOW)
            .map(|t| row.get(start + t).copied().unwrap_or(0.0) * WINDOW_DECAY.powi(t as i32))
            .sum();
        let before: f64 = (1..=ANCHOR_WINDOW.min(start))
            .map(|t| row.get(start - t).copied().unwrap_or(0.0) * WINDOW_DECAY.powi(t as i32 - 1))
            .sum();
        let full: f64 = (0..ANCHOR_WINDOW)
            .map(|t| WINDOW_DECAY.powi(t as i32))
            .sum();
        let strength = (after - 0.5 * before) / full;
        found += weight * strength;
    }
    if total > 0.0 { found / total } else { 0.0 }
}

/// Each stem's inverse document frequency, by stem id (`stems` of them),
/// over `documents` (each a list of distinct stem ids).
fn inverse_document_frequency(documents: &[Vec<StemId>], stems: usize) -> Vec<f64> {
    let mut df = vec![0usize; stems];
    for doc in documents {
        for &stem in doc {
            if let Some(count) = df.get_mut(stem as usize) {
                *count += 1;
            }
        }
    }
    let n = documents.len() as f64;
    df.into_iter()
        .map(|d| (1.0 + n / (1.0 + d as f64)).ln())
        .collect()
}

/// The letter trigrams of `chars`, letters and digits only and across word
/// boundaries (`post-grésquel`, folded: `pos`, `ost`, `stg`, ...), each
/// packed in a number (three 21-bit code points).
fn trigrams(chars: impl Iterator<Item = char>) -> FxHashSet<u64> {
    let mut out = FxHashSet::default();
    for_each_trigram(chars, |t| {
        out.insert(t);
    });
    out
}

/// Calls `found` with each letter trigram of `chars`, as [`trigrams`] packs them.
fn for_each_trigram(chars: impl Iterator<Item = char>, mut found: impl FnMut(u64)) {
    let (mut a, mut b) = (None, None);
    for c in chars.filter(|c| c.is_alphanumeric()) {
        if let (Some(a), Some(b)) = (a, b) {
            found(u64::from(a) << 42 | u64::from(b) << 21 | u64::from(c as u32));
        }
        (a, b) = (b, Some(c as u32));
    }
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

/// Generates chapters for an episode that has none, titled by what each
/// span is about ([`EpisodeTerms::describe`]). `words` are the episode's
/// words, split and stemmed once and shared by the analyses.
pub fn generate_chapters(episode: &mut Episode, terms: &EpisodeTerms, words: &EpisodeWords) {
    if !episode.chapters.is_empty() || episode.passages.is_empty() {
        return;
    }
    let total_words = words.total();
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
        topic_boundaries(words, wanted)
    } else {
        Vec::new()
    };
    let mut starts = vec![0usize];
    starts.extend(boundaries);

    let count = episode.passages.len();
    let mut used: FxHashSet<String> = FxHashSet::default();
    for (index, &first) in starts.iter().enumerate() {
        let last = starts.get(index + 1).copied().unwrap_or(count);
        let start_seconds = episode.passages.get(first).and_then(|p| p.start_seconds);
        let end_seconds = episode
            .passages
            .get(last.saturating_sub(1))
            .and_then(|p| p.end_seconds.or(p.start_seconds));
        let topic = terms.describe(first..last);
        // Two chapters never share a title; a span that names nothing says where it is.
        let title = std::iter::once(topic.title)
            .flatten()
            .chain(topic.keywords.iter().map(|k| capitalize_first(k)))
            .find(|t| used.insert(t.to_lowercase()))
            .unwrap_or_else(|| span_label(episode, first, last));
        episode.chapters.push(Chapter {
            index,
            title,
            start_seconds,
            end_seconds,
            timing: ChapterTiming::Generated,
            links: Vec::new(),
            keywords: topic.keywords,
        });
        for passage in episode.passages.iter_mut().take(last).skip(first) {
            passage.chapter = Some(index);
        }
    }
}

/// Gives every chapter that has none its keywords: the distinctive terms of
/// the passages placed in it.
pub fn describe_chapters(episode: &mut Episode, terms: &EpisodeTerms) {
    for chapter in &mut episode.chapters {
        if !chapter.keywords.is_empty() {
            continue;
        }
        let inside: Vec<usize> = episode
            .passages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.chapter == Some(chapter.index))
            .map(|(i, _)| i)
            .collect();
        if let (Some(&first), Some(&last)) = (inside.first(), inside.last()) {
            chapter.keywords = terms.describe(first..last + 1).keywords;
        }
    }
}

/// Where a chapter sits, for a span whose words name no topic: its times,
/// else its passages.
fn span_label(episode: &Episode, first: usize, last: usize) -> String {
    let time = |i: usize| episode.passages.get(i).and_then(|p| p.start_seconds);
    let end = episode
        .passages
        .get(last.saturating_sub(1))
        .and_then(|p| p.end_seconds.or(p.start_seconds));
    match (time(first), end) {
        (Some(from), Some(to)) => format!("{} – {}", format_timestamp(from), format_timestamp(to)),
        _ => format!("Passages {} – {}", first + 1, last),
    }
}

/// The `wanted - 1` passage indexes where a new topic starts (TextTiling).
fn topic_boundaries(words: &EpisodeWords, wanted: usize) -> Vec<usize> {
    // Stems as numbers: the bags are merged for every gap, and copying
    // strings there cost more than the comparison itself. Counts are whole
    // numbers, so sums and cosines do not depend on the order of a bag.
    // Which words count is decided once per distinct word.
    let counted: Vec<bool> = (0..words.distinct_words())
        .map(|w| {
            let folded = words.folded(w as WordId);
            folded.len() >= 3 && !is_function_word(folded)
        })
        .collect();
    let bags: Vec<FxHashMap<u32, f64>> = (0..words.passage_count())
        .map(|j| {
            let mut bag = FxHashMap::default();
            for w in words.word_ids(j) {
                if counted.get(w as usize).copied().unwrap_or(false) {
                    *bag.entry(words.stem_id(w)).or_insert(0.0) += 1.0;
                }
            }
            bag
        })
        .collect();
    let n = bags.len();
    let total_words = words.total();
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
    split_long_chapters(&mut chosen, &depth, n, wanted, min_gap);
    chosen
}

/// Cuts any chapter more than twice the average length at its deepest
/// valley: one topic rarely runs for half an episode, and a chapter that
/// long hides the topics an agent asks about.
fn split_long_chapters(
    chosen: &mut Vec<usize>,
    depth: &[f64],
    n: usize,
    wanted: usize,
    min_gap: usize,
) {
    let longest_allowed = 2 * n / wanted.max(1);
    for _ in 0..wanted {
        let mut bounds = vec![0];
        bounds.extend(chosen.iter().copied());
        bounds.push(n);
        let Some((first, last)) = bounds
            .windows(2)
            .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
            .max_by_key(|(a, b)| b - a)
        else {
            return;
        };
        if last - first <= longest_allowed {
            return;
        }
        // Gap g starts passage g + 1; both halves keep min_gap passages.
        let cut = (first + min_gap..=last.saturating_sub(min_gap))
            .filter(|&start| start > first && start < last)
            .max_by(|&a, &b| {
                let d = |start: usize| depth.get(start - 1).copied().unwrap_or(0.0);
                d(a).total_cmp(&d(b))
            });
        let Some(cut) = cut else { return };
        chosen.push(cut);
        chosen.sort_unstable();
    }
}

fn merge_bags(bags: &[FxHashMap<u32, f64>]) -> FxHashMap<u32, f64> {
    let mut merged: FxHashMap<u32, f64> = FxHashMap::default();
    for bag in bags {
        for (&term, count) in bag {
            *merged.entry(term).or_insert(0.0) += count;
        }
    }
    merged
}

fn cosine(a: &FxHashMap<u32, f64>, b: &FxHashMap<u32, f64>) -> f64 {
    let dot: f64 = a.iter().filter_map(|(t, x)| b.get(t).map(|y| x * y)).sum();
    let norm = |m: &FxHashMap<u32, f64>| m.values().map(|v| v * v).sum::<f64>().sqrt();
    let denominator = norm(a) * norm(b);
    if denominator > 0.0 {
        dot / denominator
    } else {
        0.0
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
            keywords: Vec::new(),
        };
        let k = chapter_keywords(&chapter);
        let weight = |word: &str| k.iter().find(|k| k.folded == word).map(|k| k.weight);
        assert_eq!(weight("matrix"), Some(1.0), "a title word");
        assert_eq!(weight("postgres"), Some(LINK_WORD_WEIGHT), "a link word");
        assert_eq!(weight("https"), None);
        assert_eq!(weight("2025"), None);
    }

    #[test]
    fn trigrams_tolerate_asr_spelling() {
        let key = trigrams("postgresql".chars());
        let heard = trigrams(crate::text::fold("post-grésquel").chars());
        let shared = key.iter().filter(|t| heard.contains(*t)).count();
        assert!(shared as f64 / key.len() as f64 >= 0.7);
    }
}
