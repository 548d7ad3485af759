//! Where an index lives on disk: one folder per corpus and schema under
//! the cache (`<cache>/verbatim/<key>/`), holding `lock`, `CURRENT` (the
//! live generation's name) and `gen-*/` generations, each a tantivy index
//! with its manifest, headers file and passage files.

use super::IndexOptions;
use crate::corpus::passage_files::io;
use crate::index::IndexError;
use crate::index::schema::SCHEMA_VERSION;
use crate::text::digest::sha256_hex;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

pub(super) const MANIFEST_FILE: &str = "verbatim-manifest.json";

pub(super) const HEADERS_FILE: &str = "verbatim-episodes.bin";

pub(super) const TERMS_FILE: &str = "verbatim-terms.bin";

pub(super) const CURRENT_FILE: &str = "CURRENT";

pub(super) const LOCK_FILE: &str = "lock";

/// The cache subdirectory name for a corpus identity.
pub fn cache_key(identity: &str) -> String {
    let slug: String = identity
        .rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or("corpus")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(32)
        .collect();
    let hash = sha256_hex(identity.as_bytes());
    format!(
        "{slug}-{}-s{SCHEMA_VERSION}",
        hash.get(..16).unwrap_or(&hash)
    )
}

/// The directory that holds the index of `identity`.
pub fn key_dir(identity: &str, options: &IndexOptions) -> Result<PathBuf, IndexError> {
    let root = match &options.index_dir {
        Some(dir) => dir.clone(),
        None => dirs::cache_dir()
            .ok_or(IndexError::NoCacheDir)?
            .join("verbatim"),
    };
    Ok(root.join(cache_key(identity)))
}

/// Replaces the file at `path` with `bytes` so that a reader sees the old
/// file or the new one, never a part of either: written under a name no
/// other writer uses (process id and time; two processes may replace the
/// same file), then renamed over it. The temp file is removed if the
/// rename fails.
pub(super) fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), IndexError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tmp = path.with_file_name(format!("{name}.{}.{nanos}.tmp", std::process::id()));
    fs::write(&tmp, bytes).map_err(io("write", &tmp))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io("rename", &tmp)(e)
    })?;
    Ok(())
}

/// Removes every generation but `keep`. Another process may still read an
/// old one: on Unix its open files stay readable after removal.
pub(super) fn remove_old_generations(dir: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("gen-") && name != keep {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Total size of the files in a directory (not recursive: tantivy keeps its files flat).
pub fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// A new passage file's name, unique within its generation.
pub(super) fn passage_file_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("passages-{nanos}-{}.jsonl", std::process::id())
}

/// A new generation's folder name, unique within the index folder.
pub(super) fn new_generation_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("gen-{nanos}-{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_corpus_and_schema() {
        let a = cache_key("/home/u/podcasts");
        assert!(
            a.starts_with("podcasts-") && a.ends_with(&format!("-s{SCHEMA_VERSION}")),
            "{a}"
        );
        assert_ne!(a, cache_key("/home/v/podcasts"));
        assert!(cache_key("embedded").starts_with("embedded-"));
    }
}
