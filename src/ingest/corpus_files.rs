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
//! exactly as in [`load::load_all`]. A watcher that knows which files were
//! written can have just those stamped again ([`SourceFiles::restamp`])
//! instead of the whole folder.

use super::source::{self, CorpusFile, CorpusSource};
use super::{ids, load};
use crate::formats::companions::Companions;
use crate::model::Episode;
use crate::text::digest::{hex, sha256_hex};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
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
    /// What the last scan found besides the stamps.
    scanned: Mutex<Option<Scanned>>,
}

/// What a scan of the folder found that its stamps do not say: enough to
/// parse the companions without walking the folder again, and to stamp a
/// few files again in the same way ([`SourceFiles::restamp`]).
#[derive(Debug)]
struct Scanned {
    /// One stamp for all companion files: part of every fingerprint.
    companions_stamp: String,
    companion_files: Vec<CorpusFile>,
    /// Whether the walk went through a symbolic link.
    links: bool,
}

impl SourceFiles {
    pub fn new(source: CorpusSource) -> Self {
        Self {
            source,
            ids: Mutex::new(HashMap::new()),
            companions: Mutex::new(None),
            scanned: Mutex::new(None),
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
        let listing = source::scan_listing(&self.source).map_err(|e| e.to_string())?;
        let files = listing.transcripts;
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
        let companions_stamp = self.companions_stamp(&listing.companions);
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
                    fingerprint: fingerprint(&own, &companions_stamp, id),
                }
            })
            .collect();
        if let Ok(mut scanned) = self.scanned.lock() {
            *scanned = Some(Scanned {
                companions_stamp,
                companion_files: listing.companions,
                links: listing.links,
            });
        }
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
    /// The stamps of the corpus files now, when the only files that may
    /// have changed since `last` was taken are those in `changed` (paths
    /// relative to the folder, as in the stamps): `last` with those
    /// stamped again, in the same way as [`CorpusFiles::stamps`] would.
    ///
    /// `last` must come from this value's latest scan ([`CorpusFiles::stamps`])
    /// or from a restamp of it. `None` when the answer could differ from a
    /// whole scan's, so the caller scans: the embedded corpus; a folder
    /// walked through a symbolic link (a write through one path changes the
    /// stamp of another); a path that is not a transcript listed in `last`
    /// (a new, removed or renamed file changes the list, and with it
    /// episode ids), is a companion (part of every fingerprint), or has
    /// another hard link.
    pub fn restamp(
        &self,
        last: &[FileStamp],
        changed: &BTreeSet<String>,
    ) -> Option<Vec<FileStamp>> {
        let CorpusSource::Dir(root) = &self.source else {
            return None;
        };
        let scanned = self.scanned.lock().ok()?;
        let scanned = scanned.as_ref().filter(|s| !s.links)?;
        let ids = self.ids.lock().ok()?;
        let mut stamps = last.to_vec();
        for path in changed {
            let at = last.binary_search_by(|s| s.path.as_str().cmp(path)).ok()?;
            let id = ids.get(path)?;
            let stamp = stamps.get_mut(at)?;
            // Taken from another scan than the one remembered: not comparable.
            let rest = fingerprint("", &scanned.companions_stamp, id);
            if !stamp.fingerprint.ends_with(&rest) {
                return None;
            }
            if source::companion_kind(&self.source, path).is_some() {
                return None;
            }
            let meta = std::fs::metadata(root.join(path)).ok()?;
            if !meta.is_file() || more_than_one_link(&meta) {
                return None;
            }
            let own = stamp_of(meta.len(), meta.modified().ok());
            stamp.size = meta.len();
            stamp.fingerprint = fingerprint(&own, &scanned.companions_stamp, id);
        }
        Some(stamps)
    }

    /// One stamp for all companion `files`: their paths, sizes and times
    /// (folders) or contents (embedded).
    fn companions_stamp(&self, files: &[CorpusFile]) -> String {
        let mut hasher = Sha256::new();
        for file in files {
            hasher.update(file.rel_path.as_bytes());
            match &self.source {
                CorpusSource::Embedded => {
                    hasher.update(source::read(&self.source, &file.rel_path).unwrap_or_default())
                }
                CorpusSource::Dir(_) => hasher.update(stamp_of(file.size, file.modified)),
            }
        }
        hex(&hasher.finalize()).chars().take(16).collect()
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
        // The companion files the last scan listed, when there was one.
        let listed = self
            .scanned
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|s| s.companion_files.clone()));
        let files = match listed {
            Some(files) => files,
            None => source::scan_companions(&self.source).map_err(|e| e.to_string())?,
        };
        let (companions, _problems) = load::load_companion_files(&self.source, &files);
        let companions = Arc::new(companions);
        *cached = Some(Arc::clone(&companions));
        Ok(companions)
    }
}

/// A transcript's fingerprint: its `own` stamp, the companions' stamp and
/// its episode id.
fn fingerprint(own: &str, companions_stamp: &str, id: &str) -> String {
    format!("{own}+{companions_stamp}+{id}")
}

/// Whether `meta` is a file with another name as well: a write through
/// that name changes this one's stamp too.
#[cfg(unix)]
fn more_than_one_link(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(meta) > 1
}

#[cfg(not(unix))]
fn more_than_one_link(_meta: &std::fs::Metadata) -> bool {
    false
}

fn stamp_of(size: u64, modified: Option<std::time::SystemTime>) -> String {
    let nanos = modified
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{size}:{nanos}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// A folder of three transcripts and one sidecar, and its files.
    fn folder() -> (tempfile::TempDir, SourceFiles) {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.txt", "sub/c.txt"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, format!("Bonjour, ceci est {name}.\n")).unwrap();
        }
        std::fs::write(dir.path().join("a.meta.toml"), "title = \"A\"\n").unwrap();
        let files = SourceFiles::new(CorpusSource::Dir(dir.path().to_path_buf()));
        (dir, files)
    }

    fn append(dir: &std::path::Path, name: &str, text: &str) {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join(name))
            .unwrap();
        file.write_all(text.as_bytes()).unwrap();
    }

    fn paths(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn restamping_the_written_files_gives_what_a_whole_scan_gives() {
        let (dir, files) = folder();
        let last = files.stamps().unwrap();
        append(dir.path(), "a.txt", "Une phrase de plus.\n");
        append(
            dir.path(),
            "sub/c.txt",
            "Et une autre, bien plus longue que la première.\n",
        );
        let restamped = files
            .restamp(&last, &paths(&["a.txt", "sub/c.txt"]))
            .unwrap();
        assert_ne!(restamped, last);
        assert_eq!(restamped, files.stamps().unwrap());
        // Nothing written: the same stamps.
        let now = files.stamps().unwrap();
        assert_eq!(files.restamp(&now, &paths(&["b.txt"])).unwrap(), now);
    }

    #[test]
    fn a_change_a_restamp_could_miss_needs_a_whole_scan() {
        let (dir, files) = folder();
        let last = files.stamps().unwrap();
        // A file that is not a listed transcript: new, a companion, gone.
        std::fs::write(dir.path().join("d.txt"), "Nouveau.\n").unwrap();
        assert_eq!(files.restamp(&last, &paths(&["d.txt"])), None);
        append(dir.path(), "a.meta.toml", "# changé\n");
        assert_eq!(files.restamp(&last, &paths(&["a.meta.toml"])), None);
        std::fs::remove_file(dir.path().join("b.txt")).unwrap();
        assert_eq!(files.restamp(&last, &paths(&["b.txt"])), None);
        // Stamps taken before the latest scan, whose companions differed.
        let now = files.stamps().unwrap();
        assert_eq!(files.restamp(&last, &paths(&["a.txt"])), None);
        assert!(files.restamp(&now, &paths(&["a.txt"])).is_some());
        // The embedded corpus has no file to stamp.
        let embedded = SourceFiles::new(CorpusSource::Embedded);
        let stamps = embedded.stamps().unwrap();
        let first = stamps.first().map(|s| s.path.clone()).unwrap();
        assert_eq!(embedded.restamp(&stamps, &paths(&[&first])), None);
        // Never scanned: nothing to restamp from.
        let (_dir, fresh) = folder();
        assert_eq!(fresh.restamp(&now, &paths(&["a.txt"])), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_with_links_is_always_scanned_whole() {
        // A write to b.txt changes the stamp of the link too, which no event names.
        let (dir, files) = folder();
        std::os::unix::fs::symlink(dir.path().join("b.txt"), dir.path().join("lien.txt")).unwrap();
        let last = files.stamps().unwrap();
        assert!(last.iter().any(|s| s.path == "lien.txt"));
        assert_eq!(files.restamp(&last, &paths(&["b.txt"])), None);
        // The same with a second name for the same file.
        let (dir, files) = folder();
        std::fs::hard_link(dir.path().join("b.txt"), dir.path().join("autre.txt")).unwrap();
        let last = files.stamps().unwrap();
        assert_eq!(files.restamp(&last, &paths(&["b.txt"])), None);
        assert!(files.restamp(&last, &paths(&["a.txt"])).is_some());
    }
}
