//! A corpus of episodes already in memory, as the index sees a corpus: for
//! programmatic corpora, tests and benchmarks of the index alone.

use super::corpus_files::{CorpusFiles, FileStamp};
use crate::model::Episode;
use crate::text::digest::sha256_hex;

/// A corpus of episodes already in memory, one pseudo-file per episode.
/// Used for programmatic corpora, tests and benchmarks of the index alone.
#[derive(Debug, Clone)]
pub struct EpisodeSet {
    identity: String,
    files: Vec<(FileStamp, Episode)>,
}

impl EpisodeSet {
    /// `identity` names the corpus in the cache; each episode becomes the file
    /// `{episode_id}.json`, fingerprinted by a hash of its content.
    pub fn new(identity: impl Into<String>, episodes: Vec<Episode>) -> Self {
        let mut files: Vec<(FileStamp, Episode)> = episodes
            .into_iter()
            .map(|episode| {
                let json = serde_json::to_vec(&episode).unwrap_or_default();
                let size = episode.passages.iter().map(|p| p.text.len() as u64).sum();
                let stamp = FileStamp {
                    path: format!("{}.json", episode.episode_id),
                    size,
                    fingerprint: sha256_hex(&json),
                };
                (stamp, episode)
            })
            .collect();
        files.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        Self {
            identity: identity.into(),
            files,
        }
    }
}

impl CorpusFiles for EpisodeSet {
    fn identity(&self) -> String {
        self.identity.clone()
    }

    fn stamps(&self) -> Result<Vec<FileStamp>, String> {
        Ok(self.files.iter().map(|(s, _)| s.clone()).collect())
    }

    fn load(&self, path: &str) -> Result<Episode, String> {
        self.files
            .iter()
            .find(|(s, _)| s.path == path)
            .map(|(_, e)| e.clone())
            .ok_or_else(|| format!("{path}: no such episode"))
    }
}
