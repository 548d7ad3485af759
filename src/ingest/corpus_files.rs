//! What the index needs from a corpus ([`CorpusFiles`]): an identity, the
//! list of files with a cheap fingerprint each, and a way to read one file
//! into an [`Episode`]. Keeping this narrow lets the index decide what is
//! stale (and re-read only the changed files) without knowing how files are
//! found or parsed.
//!
//! [`SourceFiles`] is the real corpus (embedded or a folder) seen that way:
//! files listed with [`source::scan`], fingerprinted without being parsed,
//! and read with [`load::load_file_with_companions`] only when the index
//! needs them, so sidecars, chapter files, RTTM turns and feeds apply
//! exactly as in [`load::load_all`].

use super::source::{self, CorpusSource};
use super::{ids, load};
use crate::formats::companions::Companions;
use crate::model::Episode;
use crate::text::digest::{hex, sha256_hex};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

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

/// A [`CorpusSource`] adapted for the index.
#[derive(Debug)]
pub struct SourceFiles {
    source: CorpusSource,
    /// Episode ids of the last scan (ids depend on the whole file list).
    ids: Mutex<HashMap<String, String>>,
    /// Companion files of the last scan, parsed once for every transcript.
    companions: Mutex<Option<Arc<Companions>>>,
}

impl SourceFiles {
    pub fn new(source: CorpusSource) -> Self {
        Self {
            source,
            ids: Mutex::new(HashMap::new()),
            companions: Mutex::new(None),
        }
    }

    pub fn source(&self) -> &CorpusSource {
        &self.source
    }
}

impl CorpusFiles for SourceFiles {
    fn identity(&self) -> String {
        match &self.source {
            CorpusSource::Embedded => "embedded".to_string(),
            CorpusSource::Dir(dir) => {
                let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
                format!("dir:{}", canonical.display())
            }
        }
    }

    fn stamps(&self) -> Result<Vec<FileStamp>, String> {
        let files = source::scan(&self.source).map_err(|e| e.to_string())?;
        let paths: Vec<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
        let ids = ids::episode_ids(&paths);
        if let Ok(mut map) = self.ids.lock() {
            *map = files
                .iter()
                .map(|f| f.rel_path.clone())
                .zip(ids.iter().cloned())
                .collect();
        }
        // A companion (a sidecar, a feed) can change any transcript's episode:
        // every fingerprint carries the companions' stamp, and they are
        // parsed again for the next loads.
        let companions_stamp = self.companions_stamp()?;
        if let Ok(mut cached) = self.companions.lock() {
            *cached = None;
        }
        // The episode id is part of the fingerprint too: a file added or removed
        // can change another file's id (`a.srt` beside `a.txt`), and that file
        // must then be indexed again under its new id, as a fresh build would.
        let stamps = files
            .iter()
            .zip(&ids)
            .map(|(file, id)| {
                let own = match &self.source {
                    // Embedded files have no mtime: hash their bytes (a few hundred KB, once per open).
                    CorpusSource::Embedded => source::read(&self.source, &file.rel_path)
                        .map(sha256_hex)
                        .unwrap_or_else(|e| format!("unreadable: {e}")),
                    CorpusSource::Dir(_) => stamp_of(file.size, file.modified),
                };
                FileStamp {
                    path: file.rel_path.clone(),
                    size: file.size,
                    fingerprint: format!("{own}+{companions_stamp}+{id}"),
                }
            })
            .collect();
        Ok(stamps)
    }

    fn load(&self, path: &str) -> Result<Episode, String> {
        let id = self
            .ids
            .lock()
            .ok()
            .and_then(|map| map.get(path).cloned())
            .unwrap_or_else(|| ids::episode_id_for(path));
        let bytes = source::read(&self.source, path).map_err(|e| e.to_string())?;
        if bytes.len() as u64 > source::MAX_FILE_BYTES {
            return Err(format!(
                "{path}: more than {} bytes",
                source::MAX_FILE_BYTES
            ));
        }
        let companions = self.companions()?;
        load::load_file_with_companions(path, id, &bytes, &companions).map_err(|e| e.to_string())
    }
}

impl SourceFiles {
    /// One stamp for all companion files: their paths, sizes and times
    /// (folders) or contents (embedded).
    fn companions_stamp(&self) -> Result<String, String> {
        let files = source::scan_companions(&self.source).map_err(|e| e.to_string())?;
        let mut hasher = Sha256::new();
        for file in &files {
            hasher.update(file.rel_path.as_bytes());
            match &self.source {
                CorpusSource::Embedded => {
                    hasher.update(source::read(&self.source, &file.rel_path).unwrap_or_default())
                }
                CorpusSource::Dir(_) => hasher.update(stamp_of(file.size, file.modified)),
            }
        }
        Ok(hex(&hasher.finalize()).chars().take(16).collect())
    }

    /// The parsed companions, read once per scan. A broken companion is left
    /// out here; `verbatim episodes` and `inspect` report it.
    fn companions(&self) -> Result<Arc<Companions>, String> {
        let mut cached = self
            .companions
            .lock()
            .map_err(|_| "companion cache poisoned".to_string())?;
        if let Some(companions) = cached.as_ref() {
            return Ok(Arc::clone(companions));
        }
        let (companions, _problems) =
            load::load_companions(&self.source).map_err(|e| e.to_string())?;
        let companions = Arc::new(companions);
        *cached = Some(Arc::clone(&companions));
        Ok(companions)
    }
}

fn stamp_of(size: u64, modified: Option<std::time::SystemTime>) -> String {
    let nanos = modified
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{size}:{nanos}")
}
