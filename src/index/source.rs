//! What the index needs from a corpus: an identity, the list of files with a
//! cheap fingerprint each, and a way to read one file into an [`Episode`].
//!
//! Keeping this narrow lets the index decide what is stale (and re-read only
//! the changed files) without knowing how files are found or parsed.

use crate::model::Episode;
use sha2::{Digest, Sha256};

/// One file of the corpus as the freshness check sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    /// Path relative to the corpus root.
    pub path: String,
    /// Size in bytes (reported as indexing volume).
    pub size: u64,
    /// Changes whenever the file may have changed: size and mtime for a
    /// folder, a content hash for embedded files.
    pub fingerprint: String,
}

/// A corpus the index can be built from.
pub trait CorpusFiles: Send + Sync {
    /// Stable name of the corpus (`embedded`, or a folder's canonical path);
    /// the index cache is keyed by it.
    fn identity(&self) -> String;
    /// The corpus files now, sorted by path.
    fn stamps(&self) -> Result<Vec<FileStamp>, String>;
    /// Reads and parses one file; `Err` is the reason it was skipped.
    fn load(&self, path: &str) -> Result<Episode, String>;
}

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
                    fingerprint: hex(&Sha256::digest(&json)),
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

/// Lowercase hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
