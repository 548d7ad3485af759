//! An episode's header: the episode without its passages, with what listing,
//! filters and people need to know about them (counts, speakers). A served
//! corpus keeps every header in memory and reads passages on demand.

use super::episode::{Episode, EpisodeTiming, Passage};
use serde::{Deserialize, Serialize};

/// An episode without its passages, with what listing needs to know about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeHeader {
    /// The episode's metadata, people and chapters; `passages` is always empty
    /// here (read them through the corpus).
    pub episode: Episode,
    pub passage_count: usize,
    /// Words of the transcript ([`Episode::word_count`]).
    pub word_count: usize,
    /// [`Episode::has_timestamps`].
    pub has_timestamps: bool,
    /// [`Episode::timing`].
    #[serde(default)]
    pub timing: EpisodeTiming,
    /// [`Episode::has_speaker_turns`].
    pub has_speaker_turns: bool,
    /// The passages' speaker labels, each once, in order of first appearance.
    pub speakers: Vec<String>,
}

impl EpisodeHeader {
    /// The header of `episode` (its metadata copied, its passages summarized).
    pub fn of(episode: &Episode) -> Self {
        let mut speakers: Vec<String> = Vec::new();
        for label in episode.passages.iter().filter_map(|p| p.speaker.as_deref()) {
            if !speakers.iter().any(|s| s == label) {
                speakers.push(label.to_string());
            }
        }
        Self {
            episode: Episode {
                episode_id: episode.episode_id.clone(),
                title: episode.title.clone(),
                show: episode.show.clone(),
                published: episode.published,
                recorded: episode.recorded,
                duration_seconds: episode.duration_seconds,
                description: episode.description.clone(),
                url: episode.url.clone(),
                language: episode.language.clone(),
                source: episode.source.clone(),
                participants: episode.participants.clone(),
                speaker_map: episode.speaker_map.clone(),
                chapters: episode.chapters.clone(),
                passages: Vec::new(),
                diagnostics: episode.diagnostics.clone(),
            },
            passage_count: episode.passages.len(),
            word_count: episode.word_count(),
            has_timestamps: episode.has_timestamps(),
            timing: episode.timing(),
            has_speaker_turns: episode.has_speaker_turns(),
            speakers,
        }
    }

    /// The episode's id.
    pub fn id(&self) -> &str {
        &self.episode.episode_id
    }

    /// The whole episode: this header with `passages`.
    pub fn with_passages(&self, passages: Vec<Passage>) -> Episode {
        Episode {
            passages,
            ..self.episode.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_summarize_the_passages() {
        for e in crate::testing::fixture_episodes() {
            let h = EpisodeHeader::of(&e);
            assert!(h.episode.passages.is_empty());
            assert_eq!(h.passage_count, e.passages.len());
            assert_eq!(h.word_count, e.word_count());
            assert_eq!(h.has_timestamps, e.has_timestamps());
            assert_eq!(h.has_speaker_turns, e.has_speaker_turns());
            assert_eq!(h.with_passages(e.passages.clone()), e);
        }
    }
}
