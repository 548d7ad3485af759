//! Extractive speaker summaries (the `summarize_speakers` tool), no language model: for each person, who
//! they are, where and how much they speak, the words that set them apart
//! from the rest of the corpus, how they introduce themselves, and a few
//! representative quotes with citations.
//!
//! Everything said to be theirs (talk statistics, distinctive terms, quotes,
//! self-introduction) comes only from the passages the transcript attributes
//! to them: nothing is attributed to someone the transcript does not
//! attribute it to. In an episode where the transcript gives them no turn
//! (it does not say who speaks, or never gives them the floor) the summary
//! says so and cites the passages that introduce or name them instead,
//! their first name included where nobody else in the episode has it.

use crate::analysis::names::{heard_as, same_name, sharing_first_name};
use crate::analysis::people::{Appearance, People, Person};
use crate::analysis::speakers::{IntroKind, introductions, is_label, turns};
use crate::analysis::vocabulary::{is_title_stopword, stem};
use crate::corpus::Corpus;
use crate::model::EpisodeHeader;
use crate::model::citation::{cite, cite_at};
use crate::model::{Episode, MatchTime, Millis, Passage, PassageTiming, Role, SpeakerMapping};
use crate::text::sentences::sentence_spans;
use crate::text::{fold, is_function_word, words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Time a summary may take: past it, the people not yet summarized are left
/// out and a note says so (a tool call must answer, not run for minutes).
pub const SUMMARY_BUDGET: Duration = Duration::from_secs(5);
/// Episodes read to know how common a word is across the corpus: all of them
/// in a small corpus, an even sample of a large one (the ranking of
/// distinctive terms needs proportions, not every passage).
const REFERENCE_EPISODES: usize = 300;

/// Distinctive terms given per person.
const TERMS: usize = 10;
/// Representative quotes: at most this many, from as many parts of the talk.
const QUOTES: usize = 5;
/// A quote is a whole passage of this many characters.
const QUOTE_CHARS: std::ops::RangeInclusive<usize> = 80..=400;
/// Forms of être, avoir and aller that the function-word lists leave in.
const VERB_FORMS: &[&str] = &[
    "suis", "sommes", "etes", "etais", "etions", "serai", "avais", "avait", "avions", "aurait",
    "aurai", "allait", "allons",
];
/// Passages that mention a person, at most.
const MENTIONS: usize = 5;

/// The answer of `summarize_speakers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpeakersSummary {
    /// Most words first.
    pub speakers: Vec<SpeakerSummary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One person over the episodes considered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpeakerSummary {
    pub name: String,
    /// False for an unnamed label.
    pub name_known: bool,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    pub aliases: Vec<String>,
    pub episodes: Vec<SpeakerEpisode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talk: Option<TalkStats>,
    pub distinctive_terms: Vec<String>,
    pub terms_from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_introduction: Option<RepresentativeQuote>,
    pub quotes: Vec<RepresentativeQuote>,
    /// Others naming them: not their words.
    pub mentions: Vec<RepresentativeQuote>,
    pub spoke_with: Vec<String>,
    pub notes: Vec<String>,
}

/// A person in one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpeakerEpisode {
    pub episode_id: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talk: Option<TalkStats>,
}

/// How much someone speaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TalkStats {
    pub turns: usize,
    pub words: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// 0 to 1.
    pub share_of_talk: f64,
}

/// A passage, ready to quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RepresentativeQuote {
    pub passage_id: String,
    pub episode_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    // How it is timed shows in the citation (`~`, `untimed`).
    #[serde(
        with = "crate::model::seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    pub citation: String,
}

/// Why no summary could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SummaryError {
    #[error("no episode `{episode_id}`; closest ids: {}", closest.join(", "))]
    UnknownEpisode {
        episode_id: String,
        closest: Vec<String>,
    },
    #[error("no speaker matches `{speaker}`{scope}; closest names: {}", closest.join(", "))]
    UnknownSpeaker {
        speaker: String,
        scope: String,
        closest: Vec<String>,
    },
    /// An episode could not be read back from the index.
    #[error("{0}")]
    Read(String),
}

/// Summarizes the people of one episode (or the whole corpus), optionally
/// only those a `speaker` query names (name, alias or label, any case or accents).
pub fn summarize_speakers(
    corpus: &Corpus,
    episode_id: Option<&str>,
    speaker: Option<&str>,
) -> Result<SpeakersSummary, SummaryError> {
    summarize_speakers_within(corpus, episode_id, speaker, SUMMARY_BUDGET)
}

/// [`summarize_speakers`] with its time budget given.
pub fn summarize_speakers_within(
    corpus: &Corpus,
    episode_id: Option<&str>,
    speaker: Option<&str>,
    budget: Duration,
) -> Result<SpeakersSummary, SummaryError> {
    let deadline = Instant::now() + budget;
    // Headers only: each person's episodes are read when their turn comes.
    let scope: Vec<(usize, &EpisodeHeader)> = match episode_id.map(str::trim) {
        Some(id) => match corpus.position(id).zip(corpus.header(id)) {
            Some(found) => vec![found],
            None => {
                return Err(SummaryError::UnknownEpisode {
                    episode_id: id.to_string(),
                    closest: corpus.closest_episode_ids(id, 3),
                });
            }
        },
        None => corpus.headers().iter().enumerate().collect(),
    };
    let people = People::build(corpus.headers());
    let in_scope = |p: &Person| scope.iter().any(|(_, h)| p.appears_in(h.id()));
    let chosen: Vec<&Person> = match speaker.map(str::trim).filter(|s| !s.is_empty()) {
        Some(query) => {
            let found: Vec<&Person> = people
                .find(query)
                .into_iter()
                .filter(|p| in_scope(p))
                .collect();
            if found.is_empty() {
                return Err(SummaryError::UnknownSpeaker {
                    speaker: query.to_string(),
                    scope: episode_id
                        .map(|id| format!(" in episode `{id}`"))
                        .unwrap_or_default(),
                    closest: closest_names(query, people.people.iter().filter(|p| in_scope(p))),
                });
            }
            found
        }
        None => people.people.iter().filter(|p| in_scope(p)).collect(),
    };
    let stats = CorpusStems::new(corpus)?;
    let scope_headers: Vec<&EpisodeHeader> = scope.iter().map(|(_, h)| *h).collect();
    let mut speakers: Vec<SpeakerSummary> = Vec::new();
    let mut notes = Vec::new();
    let wanted = chosen.len();
    for person in chosen {
        if Instant::now() >= deadline {
            notes.push(format!(
                "stopped at the {} s time limit after {} of {wanted} people: name a `speaker` or an `episode_id` for the others",
                budget.as_secs(),
                speakers.len()
            ));
            break;
        }
        // Only this person's episodes are held, and only while they are summarized.
        let mut theirs = Vec::new();
        for (index, header) in &scope {
            if Instant::now() >= deadline && !theirs.is_empty() {
                notes.push(format!(
                    "{}: summarized over {} of their episodes, at the time limit: give an `episode_id` for the others",
                    person.name,
                    theirs.len()
                ));
                break;
            }
            if person.appears_in(header.id())
                && let Some(episode) = corpus
                    .episode_at(*index)
                    .map_err(|e| SummaryError::Read(crate::corpus::unreadable("an episode", &e)))?
            {
                theirs.push(episode);
            }
        }
        let theirs: Vec<&Episode> = theirs.iter().map(|e| e.as_ref()).collect();
        speakers.push(summarize_person(
            person,
            &theirs,
            &scope_headers,
            &people,
            &stats,
        ));
    }
    speakers.sort_by(|a, b| {
        let words = |s: &SpeakerSummary| s.talk.as_ref().map_or(0, |t| t.words);
        words(b)
            .cmp(&words(a))
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
    });
    let mut summary = SpeakersSummary { speakers, notes };
    fit_to_budget(&mut summary, MAX_SUMMARY_CHARS);
    Ok(summary)
}

/// Size of one answer in characters of JSON (about 4 000 tokens of French JSON): an agent
/// reads the whole answer, so a corpus-wide summary must stay readable.
pub const MAX_SUMMARY_CHARS: usize = 16_000;

/// Trims the least useful parts first (mentions, then quotes, then label
/// evidence and terms) from the people who speak least, until the summary
/// fits in `budget`, and says so in each trimmed person's notes.
fn fit_to_budget(summary: &mut SpeakersSummary, budget: usize) {
    let size = |s: &SpeakersSummary| serde_json::to_string(s).map_or(0, |j| j.chars().count());
    // (mentions, quotes) kept per person at each step; the last steps also
    // drop what other entries already say and the mappings' evidence (the
    // mapping itself, with its method and confidence, stays).
    for (step, (mentions, quotes)) in [(3, 3), (2, 2), (1, 1), (0, 1), (0, 0)]
        .into_iter()
        .enumerate()
    {
        for index in (0..summary.speakers.len()).rev() {
            if size(summary) <= budget {
                return;
            }
            let Some(person) = summary.speakers.get_mut(index) else {
                continue;
            };
            let before = person.quotes.len() + person.mentions.len();
            person.mentions.truncate(mentions);
            person.quotes.truncate(quotes);
            if step >= 3 {
                // The other people are listed in their own entries.
                person.spoke_with.clear();
                person.distinctive_terms.truncate(5);
            }
            let after = person.quotes.len() + person.mentions.len();
            if after < before && summary.notes.is_empty() {
                summary.notes.push(
                    "Shortened to fit one answer: quotes and mentions were dropped, least-heard speakers first. \
                     Ask for one speaker (speaker argument) or one episode (episode_id) to get them all."
                        .to_string(),
                );
            }
        }
    }
    // Someone in hundreds of episodes (a show's host): keep the episodes where
    // they talk most, and say how many there are.
    for index in (0..summary.speakers.len()).rev() {
        if size(summary) <= budget {
            return;
        }
        let Some(person) = summary.speakers.get_mut(index) else {
            continue;
        };
        let all = person.episodes.len();
        if all > EPISODES_KEPT {
            let words = |e: &SpeakerEpisode| e.talk.as_ref().map_or(0, |t| t.words);
            person.episodes.sort_by_key(|e| std::cmp::Reverse(words(e)));
            person.episodes.truncate(EPISODES_KEPT);
            person.aliases.truncate(EPISODES_KEPT);
            person.notes.push(format!(
                "in {all} episodes; the {EPISODES_KEPT} with the most talk are listed: give an `episode_id` for another"
            ));
        }
    }
    // Still too long: leave out the least-heard people, and say so.
    let mut left_out = 0;
    while size(summary) > budget && summary.speakers.len() > 1 {
        summary.speakers.pop();
        left_out += 1;
    }
    if left_out > 0 {
        summary.notes.push(format!(
            "{left_out} less-heard people were left out to fit one answer: name a `speaker` to get one of them"
        ));
    }
}

/// Episodes listed per person when a summary must be shortened.
const EPISODES_KEPT: usize = 10;

/// Up to five names closest to the query, for "did you mean": each person
/// by their nearest name or alias ([`crate::text::closest_named`]).
fn closest_names<'a>(query: &str, people: impl Iterator<Item = &'a Person>) -> Vec<String> {
    crate::text::closest_named(
        query,
        people.map(|p| {
            let spellings =
                std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(String::as_str));
            (p.name.as_str(), spellings)
        }),
        5,
    )
}

/// How many passages of the corpus hold each stem: the "rest of the corpus" terms are weighed against.
struct CorpusStems {
    passages: usize,
    df: HashMap<String, usize>,
    /// Counted over a sample of the episodes (a large corpus), not all.
    sampled: bool,
}

/// The content words of a text: (stem, folded form), without function words, fillers, numbers and short words.
fn content_words(text: &str) -> Vec<(String, String)> {
    words(text)
        .into_iter()
        .filter(|w| {
            w.folded.chars().count() >= 4
                && !is_function_word(&w.folded)
                && !is_title_stopword(&w.folded)
                && !w.folded.chars().any(|c| c.is_ascii_digit())
        })
        .map(|w| {
            // Shown as written (lowercase, accents kept): "modèles", not "modeles".
            let written = text
                .get(w.span.clone())
                .map_or_else(|| w.folded.clone(), str::to_lowercase);
            (stem(&w.folded), written)
        })
        .collect()
}

impl CorpusStems {
    /// One pass over the corpus (an even sample of at most
    /// [`REFERENCE_EPISODES`] episodes), one episode in memory at a time.
    fn new(corpus: &Corpus) -> Result<Self, SummaryError> {
        let mut df: HashMap<String, usize> = HashMap::new();
        let mut passages = 0;
        let step = corpus.len().div_ceil(REFERENCE_EPISODES).max(1);
        for index in (0..corpus.len()).step_by(step) {
            let Some(episode) = corpus
                .episode_at(index)
                .map_err(|e| SummaryError::Read(crate::corpus::unreadable("an episode", &e)))?
            else {
                continue;
            };
            for p in &episode.passages {
                passages += 1;
                let stems: HashSet<String> =
                    content_words(&p.text).into_iter().map(|(s, _)| s).collect();
                for s in stems {
                    *df.entry(s).or_insert(0) += 1;
                }
            }
        }
        Ok(Self {
            passages,
            df,
            sampled: step > 1,
        })
    }

    /// Stems of `texts` ranked by TF-IDF against the rest of the corpus
    /// (passages outside `texts`), each with its commonest written form.
    fn distinctive(&self, texts: &[&str], exclude: &HashSet<String>) -> Vec<(String, String, f64)> {
        let mut df_here: HashMap<String, usize> = HashMap::new();
        for t in texts {
            let stems: HashSet<String> = content_words(t).into_iter().map(|(s, _)| s).collect();
            for s in stems {
                *df_here.entry(s).or_insert(0) += 1;
            }
        }
        let mut tf: HashMap<String, (usize, HashMap<String, usize>)> = HashMap::new();
        let mut total = 0;
        for t in texts {
            for (s, form) in content_words(t) {
                total += 1;
                let entry = tf.entry(s).or_default();
                entry.0 += 1;
                *entry.1.entry(form).or_insert(0) += 1;
            }
        }
        // In a long talk, a word said once is not what sets a person apart.
        let min_tf = if total > 300 { 2 } else { 1 };
        // A sample holds few of this person's own passages: nothing to take out.
        let own = |n: usize| if self.sampled { 0 } else { n };
        let rest = self.passages.saturating_sub(own(texts.len())) as f64;
        let mut ranked: Vec<(String, String, f64)> = tf
            .into_iter()
            .filter(|(s, (count, _))| *count >= min_tf && !exclude.contains(s))
            .map(|(s, (count, forms))| {
                let df = self.df.get(&s).copied().unwrap_or(0);
                let df_rest = df.saturating_sub(own(df_here.get(&s).copied().unwrap_or(0))) as f64;
                let form = forms
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .map(|(f, _)| f)
                    .unwrap_or_default();
                (
                    s,
                    form,
                    count as f64 * ((rest + 1.0) / (df_rest + 1.0)).ln(),
                )
            })
            .filter(|(_, _, score)| *score > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        ranked
    }
}

/// Whether a name heard in the text refers to someone with these names.
fn refers_to(heard: &str, names: &[String], first_name_unique: bool) -> bool {
    names.iter().any(|n| {
        same_name(n, heard)
            || heard_as(heard, n).is_some()
            || (first_name_unique
                && !heard.contains(' ')
                && n.split_whitespace()
                    .next()
                    .is_some_and(|f| same_name(f, heard)))
    })
}

fn quote(episode: &Episode, passage: &Passage) -> RepresentativeQuote {
    RepresentativeQuote {
        passage_id: passage.passage_id.clone(),
        episode_id: episode.episode_id.clone(),
        speaker: passage.speaker.clone(),
        start_seconds: passage.start_seconds,
        citation: cite(episode, passage),
    }
}

fn word_count(p: &Passage) -> usize {
    p.text.split_whitespace().count()
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        ((part as f64 / whole as f64) * 1000.0).round() / 1000.0
    }
}

/// Whether the passage is attributed to one of these names.
fn spoken_by(p: &Passage, names: &[String]) -> bool {
    p.speaker
        .as_deref()
        .is_some_and(|s| names.iter().any(|n| same_name(n, s)))
}

/// The talk of one person in one episode with turns.
fn talk_in(episode: &Episode, names: &[String]) -> TalkStats {
    let attributed: usize = episode
        .passages
        .iter()
        .filter(|p| p.speaker.is_some())
        .map(word_count)
        .sum();
    let mine: Vec<&Passage> = episode
        .passages
        .iter()
        .filter(|p| spoken_by(p, names))
        .collect();
    let words: usize = mine.iter().map(|p| word_count(p)).sum();
    let turns = turns(episode)
        .iter()
        .filter(|t| names.iter().any(|n| same_name(n, &t.speaker)))
        .count();
    let millis: Vec<Millis> = mine
        .iter()
        .filter_map(|p| match (p.start_seconds, p.end_seconds) {
            (Some(s), Some(e)) if p.timing != PassageTiming::None => Some(e.saturating_sub(s)),
            _ => None,
        })
        .collect();
    TalkStats {
        turns,
        words,
        seconds: (!millis.is_empty())
            .then(|| crate::model::seconds::to_seconds(millis.iter().sum())),
        share_of_talk: ratio(words, attributed),
    }
}

/// The summary of one person over the scope's episodes.
/// `scope` holds the episodes of the scope the person appears in; `scope_headers` all of the scope's.
///
/// Terms, quotes and the self-introduction come only from the passages the
/// transcript gives to them. In an episode where it gives them none, the
/// passages that introduce or name them are given as mentions instead:
/// what is said around someone's name is what others say, not theirs.
fn summarize_person(
    person: &Person,
    scope: &[&Episode],
    scope_headers: &[&EpisodeHeader],
    people: &People,
    stems: &CorpusStems,
) -> SpeakerSummary {
    let mut episodes = Vec::new();
    let mut spoken: Vec<(&Episode, &Passage)> = Vec::new();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut self_intro: Option<(&Episode, &Passage)> = None;
    let mut spoke_with: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut talk_total: Option<(usize, usize, usize, Option<Millis>)> = None; // turns, words, attributed, millis
    for e in scope {
        let Some(a) = person.appearance(&e.episode_id) else {
            continue;
        };
        let names = names_of(person, a);
        let has_turns = e.has_speaker_turns();
        let first = a.name.split_whitespace().next().unwrap_or("");
        // A first name said alone names them only when nobody else here has it.
        let first_name = (!is_label(&a.name)
            && a.name.split_whitespace().count() >= 2
            && sharing_first_name(&e.participants, first) == 1)
            .then_some(first);
        let talk = has_turns.then(|| talk_in(e, &names));
        if let Some(t) = &talk {
            let attributed: usize = e
                .passages
                .iter()
                .filter(|p| p.speaker.is_some())
                .map(word_count)
                .sum();
            let millis = t.seconds.and_then(crate::model::seconds::from_seconds);
            let acc = talk_total.get_or_insert((0, 0, 0, None));
            acc.0 += t.turns;
            acc.1 += t.words;
            acc.2 += attributed;
            acc.3 = match (acc.3, millis) {
                (Some(x), Some(y)) => Some(x + y),
                (x, y) => x.or(y),
            };
        }
        let theirs: Vec<&Passage> = e.passages.iter().filter(|p| spoken_by(p, &names)).collect();
        if theirs.is_empty() {
            notes.push(format!(
                "{}: {}, so nothing is quoted as theirs; passages that introduce or name them are given as mentions instead",
                e.episode_id,
                if has_turns {
                    "the transcript gives them no turn"
                } else {
                    "the transcript does not say who speaks"
                }
            ));
            mentions.extend(
                e.passages
                    .iter()
                    .filter_map(|p| mention_in(e, p, &names, first_name)),
            );
        }
        for p in theirs {
            spoken.push((e, p));
            let introduces_self = introductions(&p.text).iter().any(|intro| {
                intro.kind == IntroKind::SelfIntroduction
                    && refers_to(&intro.name, &names, first_name.is_some())
            });
            if introduces_self && self_intro.is_none() {
                self_intro = Some((e, p));
            }
        }
        for other in people.in_episode(&e.episode_id) {
            if !std::ptr::eq(other, person) && !spoke_with.contains(&other.name) {
                spoke_with.push(other.name.clone());
            }
        }
        let mapped: Vec<&SpeakerMapping> = e
            .speaker_map
            .iter()
            .filter(|m| {
                names.iter().any(|n| same_name(n, &m.label))
                    || m.name
                        .as_deref()
                        .is_some_and(|mn| names.iter().any(|n| same_name(n, mn)))
            })
            .collect();
        for m in &mapped {
            if m.name.is_none() {
                notes.push(format!(
                    "{}: {} has no name in the transcript{}",
                    e.episode_id,
                    m.label,
                    if m.role == Role::Host {
                        " (it opens the show, so it is taken as the host)"
                    } else {
                        ""
                    }
                ));
            }
        }
        episodes.push(SpeakerEpisode {
            episode_id: e.episode_id.clone(),
            role: a.role,
            talk,
        });
    }
    // Terms from their own words only. Names (theirs and their co-speakers')
    // say who is there, not what they say.
    let mut own_names: HashSet<String> = std::iter::once(&person.name)
        .chain(person.aliases.iter())
        .chain(scope_headers.iter().flat_map(|h| {
            h.episode
                .participants
                .iter()
                .flat_map(|p| std::iter::once(&p.name).chain(p.aliases.iter()))
        }))
        .flat_map(|n| content_words(n).into_iter().map(|(s, _)| s))
        .collect();
    own_names.extend(VERB_FORMS.iter().map(|w| stem(w)));
    let own_texts: Vec<&str> = spoken.iter().map(|(_, p)| p.text.as_str()).collect();
    let ranked = stems.distinctive(&own_texts, &own_names);
    let distinctive_terms: Vec<String> = ranked
        .iter()
        .take(TERMS)
        .map(|(_, f, _)| f.clone())
        .collect();
    let terms_from = if spoken.is_empty() {
        "none"
    } else {
        "their passages"
    };
    let top: HashSet<&str> = ranked.iter().take(30).map(|(s, _, _)| s.as_str()).collect();
    let quotes = representative(&spoken, &top);
    // Introductions first, then the other mentions, each in the order said;
    // each passage once.
    mentions.sort_by_key(|m| !m.introduces);
    let mut seen: HashSet<String> = HashSet::new();
    let mention_quotes: Vec<RepresentativeQuote> = mentions
        .into_iter()
        .filter(|m| seen.insert(m.quote.passage_id.clone()))
        .take(MENTIONS)
        .map(|m| m.quote)
        .collect();
    if person.is_unnamed() && !notes.iter().any(|n| n.contains("has no name")) {
        notes.push(format!(
            "{} is a diarization label nobody could name",
            person.name
        ));
    }
    SpeakerSummary {
        name: person.name.clone(),
        name_known: !person.is_unnamed(),
        role: person.role,
        affiliation: person.affiliation.clone(),
        aliases: person.aliases.clone(),
        talk: talk_total.map(|(turns, words, attributed, millis)| TalkStats {
            turns,
            words,
            seconds: millis.map(crate::model::seconds::to_seconds),
            share_of_talk: ratio(words, attributed),
        }),
        episodes,
        distinctive_terms,
        terms_from: terms_from.to_string(),
        self_introduction: self_intro.map(|(e, p)| quote(e, p)),
        quotes,
        mentions: mention_quotes,
        spoke_with,
        notes,
    }
}

/// A passage that introduces or names someone, cited at their name (the
/// citation quotes the sentence that names them).
struct Mention {
    /// Whether the passage introduces them ("on reçoit X", "X, tu peux te
    /// présenter ?", "je m'appelle X"), not only says their name.
    introduces: bool,
    quote: RepresentativeQuote,
}

/// Whether `passage` introduces or names the person called `names`, and
/// where: an introduction, one of their full names (any spelling heard),
/// or their first name alone (`first_name`, given only when nobody else in
/// the episode has it), capitalized and not followed by another surname
/// ("Salut François !", "merci Arthur", not "Thomas Pesquet").
fn mention_in(
    episode: &Episode,
    passage: &Passage,
    names: &[String],
    first_name: Option<&str>,
) -> Option<Mention> {
    let text = passage.text.as_str();
    let introduced = introductions(text)
        .into_iter()
        .find(|intro| refers_to(&intro.name, names, first_name.is_some()));
    let (span, introduces) = match introduced {
        Some(intro) => {
            let at = text.find(intro.name.as_str());
            (at.map(|i| i..i + intro.name.len()), true)
        }
        None => (Some(name_span(text, names, first_name)?), false),
    };
    let span = span.unwrap_or(0..text.len());
    let time = MatchTime::of_bytes(passage, span.clone());
    // The sentence that names them, not the whole passage: "Salut François !"
    // says who is addressed; the passage around it is someone else's talk.
    let around: Vec<(usize, usize)> = sentence_spans(text)
        .into_iter()
        .filter(|(start, end)| *start < span.end && span.start < *end)
        .collect();
    let words = match (around.first(), around.last()) {
        (Some((start, _)), Some((_, end))) => text.get(*start..*end).unwrap_or(text),
        _ => text,
    };
    let speaker = passage
        .speaker
        .as_deref()
        .map(|label| episode.speaker_name(label));
    let cited = Passage {
        speaker: speaker.clone(),
        ..passage.clone()
    };
    Some(Mention {
        introduces,
        quote: RepresentativeQuote {
            passage_id: passage.passage_id.clone(),
            episode_id: episode.episode_id.clone(),
            speaker,
            start_seconds: time.match_start_seconds,
            citation: cite_at(
                episode,
                &cited,
                words,
                time.match_start_seconds,
                time.match_timing,
            ),
        },
    })
}

/// Byte span of the first place `text` names the person: one of `names`
/// with at least two words, else `first_name` alone (see [`mention_in`]).
fn name_span(
    text: &str,
    names: &[String],
    first_name: Option<&str>,
) -> Option<std::ops::Range<usize>> {
    let text_words = words(text);
    let folded = |s: &str| -> Vec<String> { words(s).into_iter().map(|w| w.folded).collect() };
    let find = |wanted: &[String], alone: bool| -> Option<std::ops::Range<usize>> {
        if wanted.is_empty() {
            return None;
        }
        text_words
            .windows(wanted.len())
            .enumerate()
            .find_map(|(i, window)| {
                let (first, last) = (window.first()?, window.last()?);
                let same = window.iter().zip(wanted).all(|(w, f)| w.folded == *f);
                if !same {
                    return None;
                }
                if alone {
                    let capitalized = text
                        .get(first.span.clone())
                        .and_then(|w| w.chars().next())
                        .is_some_and(char::is_uppercase);
                    // "Thomas Pesquet": the first name of someone else's full name.
                    let surname_follows = text_words.get(i + wanted.len()).is_some_and(|next| {
                        text.get(last.span.end..next.span.start)
                            .is_some_and(|gap| gap.chars().all(char::is_whitespace))
                            && text
                                .get(next.span.clone())
                                .and_then(|w| w.chars().next())
                                .is_some_and(char::is_uppercase)
                    });
                    if !capitalized || surname_follows {
                        return None;
                    }
                }
                Some(first.span.start..last.span.end)
            })
    };
    names
        .iter()
        .filter(|n| !is_label(n))
        .map(|n| folded(n))
        .filter(|f| f.len() >= 2)
        .find_map(|f| find(&f, false))
        .or_else(|| first_name.and_then(|f| find(&folded(f), true)))
}

/// Every name a person goes by in one episode (their labels included).
fn names_of(person: &Person, a: &Appearance) -> Vec<String> {
    let mut names: Vec<String> = a.names_here.clone();
    for n in std::iter::once(&person.name).chain(person.aliases.iter()) {
        // Labels from other episodes name other people.
        if !is_label(n) && !names.iter().any(|x| same_name(x, n)) {
            names.push(n.clone());
        }
    }
    names
}

/// Three to five passages dense in the person's distinctive terms, from
/// different parts of their talk, in the order they were said.
fn representative(
    spoken: &[(&Episode, &Passage)],
    top: &HashSet<&str>,
) -> Vec<RepresentativeQuote> {
    let scored: Vec<(usize, f64)> = spoken
        .iter()
        .enumerate()
        .filter(|(_, (_, p))| QUOTE_CHARS.contains(&p.text.chars().count()))
        .map(|(i, (_, p))| {
            let ws = words(&p.text);
            let hits = ws
                .iter()
                .filter(|w| top.contains(stem(&w.folded).as_str()))
                .count();
            (i, hits as f64 / ws.len().max(1) as f64)
        })
        .collect();
    if scored.is_empty() {
        return Vec::new();
    }
    // The talk in QUOTES equal parts: the best passage of each part.
    let parts = QUOTES.min(scored.len());
    let mut picked: Vec<(usize, f64)> = Vec::new();
    for part in 0..parts {
        let (from, to) = (
            part * spoken.len() / parts,
            (part + 1) * spoken.len() / parts,
        );
        if let Some(best) = scored
            .iter()
            .filter(|(i, _)| (from..to).contains(i))
            .max_by(|a, b| a.1.total_cmp(&b.1))
        {
            picked.push(*best);
        }
    }
    // Parts with no quotable passage leave room for the next best elsewhere.
    let mut rest: Vec<&(usize, f64)> = scored.iter().filter(|s| !picked.contains(s)).collect();
    rest.sort_by(|a, b| b.1.total_cmp(&a.1));
    for s in rest {
        if picked.len() >= 3.min(scored.len()) {
            break;
        }
        picked.push(*s);
    }
    picked.sort_by_key(|(i, _)| *i);
    picked
        .into_iter()
        .filter_map(|(i, _)| spoken.get(i).map(|(e, p)| quote(e, p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixture_corpus;

    #[test]
    fn one_episode_with_turns() {
        let corpus = fixture_corpus();
        let summary = summarize_speakers(&corpus, Some("ep-a"), None).unwrap();
        let names: Vec<&str> = summary.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["Élodie Durand", "Alice Martin"]);
        let elodie = &summary.speakers[0];
        assert_eq!(elodie.role, Role::Guest);
        assert_eq!(elodie.affiliation.as_deref(), Some("Renault"));
        let talk = elodie.talk.as_ref().unwrap();
        // Passages 2, 3 and 5 are hers: two turns (2-3, then 5).
        assert_eq!(talk.turns, 2);
        assert_eq!(talk.seconds, Some(65.0 + 60.0 + 180.0));
        let alice = summary.speakers[1].talk.as_ref().unwrap();
        assert!((talk.share_of_talk + alice.share_of_talk - 1.0).abs() < 0.002);
        assert!(talk.share_of_talk > 0.5);
        assert!(!elodie.quotes.is_empty() && elodie.quotes.len() <= 5);
        assert!(
            elodie.quotes[0]
                .citation
                .contains("— Élodie Durand, La voiture électrique (Tech Hebdo, 2025-01-15)")
        );
    }

    #[test]
    fn whole_corpus_and_unresolved_labels() {
        let summary = summarize_speakers(&fixture_corpus(), None, None).unwrap();
        // A budget nothing fits in: one person is kept, the rest left out with a note.
        let mut tiny = summary.clone();
        fit_to_budget(&mut tiny, 10);
        assert_eq!(tiny.speakers.len(), 1);
        assert!(
            tiny.notes.iter().any(|n| n.contains("left out")),
            "{:?}",
            tiny.notes
        );
        // No time at all: nobody is summarized, and the note says why and what to do.
        let cut = summarize_speakers_within(&fixture_corpus(), None, None, Duration::ZERO).unwrap();
        assert!(cut.speakers.is_empty());
        assert!(
            cut.notes
                .iter()
                .any(|n| n.contains("time limit") && n.contains("`speaker`")),
            "{:?}",
            cut.notes
        );
        assert_eq!(summary.speakers.len(), 6);
        let label = summary
            .speakers
            .iter()
            .find(|s| s.name == "SPEAKER_01")
            .unwrap();
        assert_eq!(label.role, Role::Unknown);
        let talk = label.talk.as_ref().unwrap();
        assert_eq!((talk.turns, talk.seconds), (2, None));
        assert!(label.quotes[0].citation.ends_with("untimed"));
    }

    #[test]
    fn filter_by_speaker_and_errors() {
        let corpus = fixture_corpus();
        let only = summarize_speakers(&corpus, None, Some("elodie")).unwrap();
        assert_eq!(only.speakers.len(), 1);
        // The alias SPEAKER_00 finds Élodie too.
        let by_alias = summarize_speakers(&corpus, None, Some("speaker_00")).unwrap();
        assert_eq!(by_alias.speakers[0].name, "Élodie Durand");
        let err = summarize_speakers(&corpus, Some("ep-a"), Some("Marc"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("in episode `ep-a`") && err.contains("Alice Martin"),
            "{err}"
        );
        let err = summarize_speakers(&corpus, Some("ep-z"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ep-a"), "{err}");
    }
}
