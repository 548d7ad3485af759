//! The corpus: every episode verbatim serves, from the embedded default
//! transcripts or from a user's folder, with the files it could not read.

use crate::model::Episode;

/// A file of the corpus that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileProblem {
    /// Path relative to the corpus root.
    pub path: String,
    /// What was wrong, in one line.
    pub reason: String,
}

/// The loaded corpus.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Episodes sorted by `episode_id`.
    pub episodes: Vec<Episode>,
    /// Files that were skipped, with their reasons.
    pub problems: Vec<FileProblem>,
}

impl Corpus {
    /// A corpus of already-built episodes (sorted by id).
    pub fn from_episodes(mut episodes: Vec<Episode>) -> Self {
        episodes.sort_by(|a, b| a.episode_id.cmp(&b.episode_id));
        Self {
            episodes,
            problems: Vec::new(),
        }
    }

    /// The episode with this id.
    pub fn episode(&self, episode_id: &str) -> Option<&Episode> {
        self.episodes
            .binary_search_by(|e| e.episode_id.as_str().cmp(episode_id))
            .ok()
            .and_then(|i| self.episodes.get(i))
    }

    /// Up to `n` existing episode ids closest to `wanted`, for "did you mean"
    /// messages: ids containing the wanted text first, then by edit distance.
    pub fn closest_episode_ids(&self, wanted: &str, n: usize) -> Vec<String> {
        let wanted = crate::text::fold(wanted.trim());
        let mut ranked: Vec<(usize, &str)> = self
            .episodes
            .iter()
            .map(|e| {
                let id = e.episode_id.as_str();
                let distance = if !wanted.is_empty() && id.contains(wanted.as_str()) {
                    0
                } else {
                    1 + crate::text::edit_distance(&wanted, id)
                };
                (distance, id)
            })
            .collect();
        ranked.sort();
        ranked
            .into_iter()
            .take(n)
            .map(|(_, id)| id.to_string())
            .collect()
    }
}
