//! A first, extractive summary of the speakers: who they are, where they
//! speak, how much, and a few representative quotes with citations.
//!
//! Everything is counted from the transcript (no language model): a speaker
//! is a participant (matched by name or alias) or a transcript label that no
//! participant claims. Talk statistics exist only where the source says who
//! speaks each turn.

use crate::citation::cite;
use crate::corpus::Corpus;
use crate::matching::{closest, contains_words, fold};
use crate::model::{Episode, Millis, Passage, PassageTiming, Role};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Quotes kept per speaker.
const QUOTES_PER_SPEAKER: usize = 3;
/// Representative quotes are whole passages of a readable length, in characters.
const QUOTE_MIN_CHARS: usize = 60;
const QUOTE_MAX_CHARS: usize = 320;

/// The answer of `summarize_speakers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpeakersSummary {
    /// Speakers, most words first (credited-only participants last).
    pub speakers: Vec<SpeakerSummary>,
}

/// One speaker across the episodes considered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpeakerSummary {
    /// Name as the corpus gives it (or the transcript's label, e.g. `SPEAKER_01`, when unresolved).
    pub name: String,
    /// `host`, `guest` or `unknown` (the most senior role across episodes).
    pub role: Role,
    /// Employer, title or organisation, when known.
    pub affiliation: Option<String>,
    /// Other spellings and diarization labels of this speaker.
    pub aliases: Vec<String>,
    /// The episodes this speaker is credited on or speaks in.
    pub episodes: Vec<SpeakerEpisode>,
    /// Talk statistics summed over the episodes with speaker turns; absent when none has turns.
    pub talk: Option<TalkStats>,
    /// A few passages spread over the speaker's talk, with ready-to-paste citations.
    pub quotes: Vec<RepresentativeQuote>,
}

/// A speaker in one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpeakerEpisode {
    pub episode_id: String,
    pub title: String,
    pub role: Role,
    /// Talk statistics in this episode; absent when the transcript does not say who speaks.
    pub talk: Option<TalkStats>,
}

/// How much someone speaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TalkStats {
    /// Uninterrupted runs of this speaker's passages.
    pub turns: usize,
    pub words: usize,
    /// Seconds of speech, summed over timed passages (absent for an untimed transcript).
    pub seconds: Option<f64>,
    /// This speaker's words over all attributed words of the same episodes, from 0 to 1.
    pub share_of_talk: f64,
}

/// A representative passage of a speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RepresentativeQuote {
    pub passage_id: String,
    pub episode_id: String,
    #[serde(with = "crate::model::seconds::option", default)]
    #[schemars(with = "Option<f64>")]
    pub start_seconds: Option<Millis>,
    pub timing: PassageTiming,
    /// `«exact words» — speaker, episode (show, date), time`: paste it as is.
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
}

/// A speaker being accumulated.
struct Acc<'a> {
    name: String,
    role: Role,
    affiliation: Option<String>,
    aliases: Vec<String>,
    episodes: Vec<SpeakerEpisode>,
    /// (episode, passage) pairs spoken by this speaker, in order.
    spoken: Vec<(&'a Episode, &'a Passage)>,
}

fn seniority(role: Role) -> u8 {
    match role {
        Role::Host => 2,
        Role::Guest => 1,
        Role::Unknown => 0,
    }
}

/// Summarizes the speakers of one episode (or the whole corpus), optionally
/// only those matching `speaker` (name, alias or label, loosely spelled).
pub fn summarize_speakers(
    corpus: &Corpus,
    episode_id: Option<&str>,
    speaker: Option<&str>,
) -> Result<SpeakersSummary, SummaryError> {
    let episodes: Vec<&Episode> = match episode_id {
        Some(id) => {
            let Some(e) = corpus.episode(id.trim()) else {
                return Err(SummaryError::UnknownEpisode {
                    episode_id: id.to_string(),
                    closest: corpus.closest_episode_ids(id, 3),
                });
            };
            vec![e]
        }
        None => corpus.episodes.iter().collect(),
    };

    let mut accs: Vec<Acc> = Vec::new();
    for episode in &episodes {
        collect_episode(episode, &mut accs);
    }

    if let Some(wanted) = speaker.map(str::trim).filter(|s| !s.is_empty()) {
        let folded = fold(wanted);
        let candidates: Vec<String> = accs.iter().map(|a| a.name.clone()).collect();
        accs.retain(|a| {
            contains_words(&a.name, wanted) || a.aliases.iter().any(|x| fold(x) == folded)
        });
        if accs.is_empty() {
            return Err(SummaryError::UnknownSpeaker {
                speaker: wanted.to_string(),
                scope: episode_id
                    .map(|id| format!(" in episode `{id}`"))
                    .unwrap_or_default(),
                closest: closest(wanted, candidates.iter().map(String::as_str), 5),
            });
        }
    }

    let mut speakers: Vec<SpeakerSummary> = accs.into_iter().map(finish).collect();
    speakers.sort_by(|a, b| {
        let words = |s: &SpeakerSummary| s.talk.as_ref().map_or(0, |t| t.words);
        words(b)
            .cmp(&words(a))
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
    });
    Ok(SpeakersSummary { speakers })
}

/// Adds one episode's participants and speakers to the accumulators.
fn collect_episode<'a>(episode: &'a Episode, accs: &mut Vec<Acc<'a>>) {
    // Which accumulator each participant and each unclaimed label of this episode feeds.
    let mut local: Vec<(Vec<String>, usize, Role)> = Vec::new();
    for p in &episode.participants {
        let i = find_or_add(accs, &p.name, &p.aliases, p.role, p.affiliation.as_deref());
        let mut keys = vec![fold(&p.name)];
        keys.extend(p.aliases.iter().map(|a| fold(a)));
        local.push((keys, i, p.role));
    }
    let mut spoken_here: Vec<(usize, &Passage)> = Vec::new();
    for passage in &episode.passages {
        let Some(label) = passage.speaker.as_deref() else {
            continue;
        };
        let key = fold(label);
        let slot = match local.iter().find(|(keys, _, _)| keys.contains(&key)) {
            Some((_, i, _)) => *i,
            None => {
                let i = find_or_add(accs, label, &[], Role::Unknown, None);
                local.push((vec![key], i, Role::Unknown));
                i
            }
        };
        spoken_here.push((slot, passage));
    }

    let attributed_words: usize = spoken_here.iter().map(|(_, p)| word_count(p)).sum();
    let mut seen: Vec<usize> = Vec::new();
    for (_, slot, role) in &local {
        if seen.contains(slot) {
            continue;
        }
        seen.push(*slot);
        let mine: Vec<&Passage> = spoken_here
            .iter()
            .filter(|(s, _)| s == slot)
            .map(|(_, p)| *p)
            .collect();
        let talk = (attributed_words > 0)
            .then(|| talk_stats(episode, &mine, *slot, &spoken_here, attributed_words));
        if let Some(acc) = accs.get_mut(*slot) {
            acc.episodes.push(SpeakerEpisode {
                episode_id: episode.episode_id.clone(),
                title: episode.title.clone(),
                role: *role,
                talk,
            });
            acc.spoken.extend(mine.into_iter().map(|p| (episode, p)));
        }
    }
}

fn find_or_add(
    accs: &mut Vec<Acc>,
    name: &str,
    aliases: &[String],
    role: Role,
    affiliation: Option<&str>,
) -> usize {
    let key = fold(name);
    if let Some(i) = accs.iter().position(|a| fold(&a.name) == key) {
        if let Some(acc) = accs.get_mut(i) {
            if seniority(role) > seniority(acc.role) {
                acc.role = role;
            }
            if acc.affiliation.is_none() {
                acc.affiliation = affiliation.map(str::to_string);
            }
            for alias in aliases {
                if !acc.aliases.iter().any(|a| fold(a) == fold(alias)) {
                    acc.aliases.push(alias.clone());
                }
            }
        }
        return i;
    }
    accs.push(Acc {
        name: name.to_string(),
        role,
        affiliation: affiliation.map(str::to_string),
        aliases: aliases.to_vec(),
        episodes: Vec::new(),
        spoken: Vec::new(),
    });
    accs.len() - 1
}

fn word_count(passage: &Passage) -> usize {
    passage.text.split_whitespace().count()
}

fn spoken_millis(passage: &Passage) -> Option<Millis> {
    match (passage.start_seconds, passage.end_seconds, passage.timing) {
        (Some(s), Some(e), PassageTiming::Exact | PassageTiming::Estimated) => {
            Some(e.saturating_sub(s))
        }
        _ => None,
    }
}

fn talk_stats(
    episode: &Episode,
    mine: &[&Passage],
    slot: usize,
    spoken_here: &[(usize, &Passage)],
    attributed_words: usize,
) -> TalkStats {
    // A turn starts wherever the previous attributed passage belongs to someone else.
    let turns = spoken_here
        .iter()
        .enumerate()
        .filter(|(i, (s, _))| {
            *s == slot
                && (*i == 0
                    || spoken_here
                        .get(i - 1)
                        .is_some_and(|(prev, _)| *prev != slot))
        })
        .count();
    let words: usize = mine.iter().map(|p| word_count(p)).sum();
    let millis: Vec<Millis> = mine.iter().filter_map(|p| spoken_millis(p)).collect();
    let seconds = (episode.has_timestamps() && !millis.is_empty())
        .then(|| crate::model::seconds::to_seconds(millis.iter().sum()));
    TalkStats {
        turns,
        words,
        seconds,
        share_of_talk: ratio(words, attributed_words),
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        ((part as f64 / whole as f64) * 1000.0).round() / 1000.0
    }
}

fn finish(acc: Acc) -> SpeakerSummary {
    let with_talk: Vec<&TalkStats> = acc
        .episodes
        .iter()
        .filter_map(|e| e.talk.as_ref())
        .collect();
    let talk = (!with_talk.is_empty()).then(|| {
        let words: usize = with_talk.iter().map(|t| t.words).sum();
        // The share over several episodes is weighted by each episode's attributed words.
        let attributed: f64 = with_talk
            .iter()
            .map(|t| {
                if t.share_of_talk > 0.0 {
                    t.words as f64 / t.share_of_talk
                } else {
                    0.0
                }
            })
            .sum();
        let secs: Vec<f64> = with_talk.iter().filter_map(|t| t.seconds).collect();
        TalkStats {
            turns: with_talk.iter().map(|t| t.turns).sum(),
            words,
            seconds: (!secs.is_empty()).then(|| secs.iter().sum()),
            share_of_talk: if attributed > 0.0 {
                ((words as f64 / attributed) * 1000.0).round() / 1000.0
            } else {
                0.0
            },
        }
    });
    let quotes = representative(&acc.spoken)
        .into_iter()
        .map(|(episode, passage)| RepresentativeQuote {
            passage_id: passage.passage_id.clone(),
            episode_id: episode.episode_id.clone(),
            start_seconds: passage.start_seconds,
            timing: passage.timing,
            citation: cite(episode, passage),
        })
        .collect();
    SpeakerSummary {
        name: acc.name,
        role: acc.role,
        affiliation: acc.affiliation,
        aliases: acc.aliases,
        episodes: acc.episodes,
        talk,
        quotes,
    }
}

/// Up to three passages spread over the speaker's talk: the talk is cut into
/// equal thirds and each third gives its longest passage of readable length
/// (a greeting or a one-word answer says little about someone).
fn representative<'a>(spoken: &[(&'a Episode, &'a Passage)]) -> Vec<(&'a Episode, &'a Passage)> {
    let readable: Vec<(&Episode, &Passage)> = spoken
        .iter()
        .copied()
        .filter(|(_, p)| (QUOTE_MIN_CHARS..=QUOTE_MAX_CHARS).contains(&p.text.chars().count()))
        .collect();
    let pool = if readable.is_empty() {
        spoken.to_vec()
    } else {
        readable
    };
    if pool.len() <= QUOTES_PER_SPEAKER {
        return pool;
    }
    let part = pool.len().div_ceil(QUOTES_PER_SPEAKER);
    pool.chunks(part)
        .filter_map(|chunk| {
            chunk
                .iter()
                .copied()
                .max_by_key(|(_, p)| p.text.chars().count().min(QUOTE_MAX_CHARS))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::corpus;

    #[test]
    fn one_episode_with_turns() {
        let corpus = corpus();
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
        assert!(!elodie.quotes.is_empty() && elodie.quotes.len() <= 3);
        assert!(
            elodie.quotes[0]
                .citation
                .contains("— Élodie Durand, La voiture électrique (Tech Hebdo, 2025-01-15)")
        );
    }

    #[test]
    fn whole_corpus_and_unresolved_labels() {
        let summary = summarize_speakers(&corpus(), None, None).unwrap();
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
        let corpus = corpus();
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
