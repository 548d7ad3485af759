//! The real corpus (embedded or a folder) as the index sees it: files listed
//! with [`corpus::scan`], fingerprinted without being parsed, and read with
//! [`corpus::load_file_with_id`] only when the index needs them.

use crate::corpus::{self, CorpusSource};
use crate::index::source::{CorpusFiles, FileStamp, hex};
use crate::model::Episode;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// Suffixes of the files read alongside a transcript (`ep.meta.toml` for `ep.txt`):
/// a change to one of them changes the transcript's episode.
const COMPANIONS: &[&str] = &[".meta.toml", ".chapters.json", ".rttm"];

/// A [`CorpusSource`] adapted for the index.
#[derive(Debug)]
pub struct SourceFiles {
    source: CorpusSource,
    /// Episode ids of the last scan (ids depend on the whole file list).
    ids: Mutex<HashMap<String, String>>,
}

impl SourceFiles {
    pub fn new(source: CorpusSource) -> Self {
        Self {
            source,
            ids: Mutex::new(HashMap::new()),
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
        let files = corpus::scan(&self.source).map_err(|e| e.to_string())?;
        let paths: Vec<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
        let ids = corpus::episode_ids(&paths);
        if let Ok(mut map) = self.ids.lock() {
            *map = files.iter().map(|f| f.rel_path.clone()).zip(ids).collect();
        }
        let stamps = files
            .iter()
            .map(|file| {
                let fingerprint = match &self.source {
                    // Embedded files have no mtime: hash their bytes (a few hundred KB, once per open).
                    CorpusSource::Embedded => corpus::read(&self.source, &file.rel_path)
                        .map(|bytes| hex(&Sha256::digest(&bytes)))
                        .unwrap_or_else(|e| format!("unreadable: {e}")),
                    CorpusSource::Dir(root) => {
                        let mut fp = stamp_of(file.size, file.modified);
                        for companion in companions(root, &file.rel_path) {
                            fp.push('+');
                            fp.push_str(&companion);
                        }
                        fp
                    }
                };
                FileStamp {
                    path: file.rel_path.clone(),
                    size: file.size,
                    fingerprint,
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
            .unwrap_or_else(|| corpus::episode_id_for(path));
        let bytes = corpus::read(&self.source, path).map_err(|e| e.to_string())?;
        if bytes.len() as u64 > corpus::MAX_FILE_BYTES {
            return Err(format!(
                "{path}: more than {} bytes",
                corpus::MAX_FILE_BYTES
            ));
        }
        corpus::load_file_with_id(path, id, &bytes).map_err(|e| e.to_string())
    }
}

fn stamp_of(size: u64, modified: Option<std::time::SystemTime>) -> String {
    let nanos = modified
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{size}:{nanos}")
}

/// Stamps of the companion files of `rel_path` that exist.
fn companions(root: &Path, rel_path: &str) -> Vec<String> {
    let Some((stem, _)) = rel_path.rsplit_once('.') else {
        return Vec::new();
    };
    COMPANIONS
        .iter()
        .filter_map(|suffix| {
            let meta = std::fs::metadata(root.join(format!("{stem}{suffix}"))).ok()?;
            Some(format!(
                "{suffix}={}",
                stamp_of(meta.len(), meta.modified().ok())
            ))
        })
        .collect()
}
