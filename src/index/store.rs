//! Where the index lives and how it stays fresh.
//!
//! Layout, under `<cache>/verbatim/<key>/` (`<cache>` = the per-user cache
//! directory, or `--index-dir`): `lock` (a file lock), `CURRENT` (the name of
//! the live generation) and `gen-*/` directories, each a tantivy index plus
//! `verbatim-manifest.json` (the files indexed and their fingerprints),
//! `verbatim-episodes.bin` (every episode's header and where its passages
//! are) and `passages-*.jsonl` (the passages, one JSON line each; see
//! [`crate::corpus::passage_files`]). The key names the corpus (embedded or a folder)
//! and the schema version. Opening reads the headers only: passages are read
//! from disk when a request needs them, so memory does not grow with the
//! corpus's text.
//!
//! Opening checks the manifest against the corpus files (sizes and mtimes or
//! hashes, no parsing) and the commit payload against the manifest, so an
//! up-to-date index opens in milliseconds. Changed files are re-indexed alone
//! (their episode's documents are deleted by `episode_id`); anything else
//! wrong (schema change, unreadable files, a crash between commit and
//! headers file) rebuilds into a new generation that `CURRENT` then points to
//! (written by rename, so readers see the old or the new one, never half).
//!
//! Processes: the one that gets the exclusive lock updates or rebuilds;
//! others take a shared lock to open, and if the writer holds the lock for
//! too long (or the index is stale) they build a private in-memory index.
//!
//! - `layout`: the folders and file names; `manifest`: what a generation
//!   indexed, and what changed since; `headers`: the episodes' headers file;
//!   `generation`: reading the live generation back, committing a new state;
//!   `build`: reading corpus files into the writer and the passage files;
//!   `terms`: the search terms stored beside a state's catalog.

mod build;
pub use build::writer_budget;
mod generation;
mod headers;
mod layout;
mod manifest;
mod terms;
pub use terms::store_terms;

use crate::corpus::passage_files::PassageWriter;
use crate::corpus::passage_files::{DiskPassages, io};
use crate::corpus::{CACHE_BYTES, Corpus, StoredState};
use crate::index::schema::{Fields, SCHEMA_VERSION};
use crate::index::{IndexError, SearchIndex};
use crate::ingest::{CorpusFiles, FileProblem, FileStamp};
use crate::text::digest::sha256_hex;
use build::{Added, add_files, build, store_error, writer};
use generation::{Current, commit, open_current};
use headers::Stored;
use layout::{
    CURRENT_FILE, HEADERS_FILE, LOCK_FILE, new_generation_name, passage_file_name,
    remove_old_generations, replace_file,
};
use manifest::{Diff, Manifest, diff};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tantivy::{Index, Term};

pub use layout::{cache_key, dir_size, key_dir};

/// Segments with more passages than this are not merged by an update.
const UPDATE_MERGE_MAX_DOCS: usize = 50_000;

/// Called after each file read while building or updating.
pub type ProgressFn = Arc<dyn Fn(&BuildProgress) + Send + Sync>;

/// How far a build or update has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildProgress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub passages: u64,
}

/// How to open or build an index.
#[derive(Clone)]
pub struct IndexOptions {
    /// Replaces the per-user cache directory (`<cache>/verbatim`); the index
    /// still goes in a keyed subdirectory.
    pub index_dir: Option<PathBuf>,
    /// Build in memory and never touch the disk.
    pub in_memory: bool,
    /// Indexing threads (0: up to 2, by available cores).
    pub writer_threads: usize,
    /// Indexing memory budget in bytes, all threads together (0: 100 MB per thread).
    pub writer_memory: usize,
    /// Time budget of one search.
    pub deadline: Duration,
    /// How long to wait for another process that is writing the index.
    pub lock_wait: Duration,
    /// Progress callback for builds and updates.
    pub progress: Option<ProgressFn>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self {
            index_dir: None,
            in_memory: false,
            writer_threads: 0,
            writer_memory: 0,
            deadline: Duration::from_secs(1),
            lock_wait: Duration::from_secs(5),
            progress: None,
        }
    }
}

impl std::fmt::Debug for IndexOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexOptions")
            .field("index_dir", &self.index_dir)
            .field("in_memory", &self.in_memory)
            .field("writer_threads", &self.writer_threads)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// What opening did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexAction {
    /// The index on disk was up to date.
    Opened,
    /// Changed files were re-indexed in place.
    Updated,
    /// A new index was built on disk.
    Built,
    /// A private index was built in memory.
    InMemory,
}

/// What [`open_or_build`] did.
#[derive(Debug, Clone, Serialize)]
pub struct IndexReport {
    pub action: IndexAction,
    /// The generation directory in use (none in memory).
    pub location: Option<PathBuf>,
    /// Why the index was rebuilt or kept in memory.
    pub reason: Option<String>,
    pub episodes: usize,
    pub passages: u64,
    /// Corpus files read and indexed by this call (all of them for a build).
    pub reindexed: Vec<String>,
    /// Files gone from the corpus whose passages were removed.
    pub removed: Vec<String>,
    /// Bytes of the files read.
    pub bytes_read: u64,
    /// Size of the index directory.
    pub index_bytes: u64,
    pub seconds: f64,
}

/// An opened index and the corpus it stores.
#[derive(Debug)]
pub struct OpenedIndex {
    pub corpus: Corpus,
    pub index: SearchIndex,
    pub report: IndexReport,
    /// The corpus files (their stamps) as this state was opened from: a
    /// watcher compares the folder with them to know when it changes again.
    pub stamps: Vec<FileStamp>,
}

/// Opens the index of `source`, updating or rebuilding it as needed.
pub fn open_or_build(
    source: &dyn CorpusFiles,
    options: &IndexOptions,
) -> Result<OpenedIndex, IndexError> {
    open_or_build_from(source, options, None)
}

/// [`open_or_build`] for a server that already holds `served`, a corpus
/// read from this index: if the index on disk is still in the state
/// `served` was read from, its catalog is taken from `served` instead of
/// being read back and parsed (a live update of one file at 1 GB would
/// otherwise spend most of its time there).
pub fn open_or_build_from(
    source: &dyn CorpusFiles,
    options: &IndexOptions,
    served: Option<&Corpus>,
) -> Result<OpenedIndex, IndexError> {
    let started = Instant::now();
    if options.in_memory {
        let stamps = source.stamps().map_err(IndexError::Source)?;
        return build_in_memory(
            source,
            &stamps,
            options,
            started,
            "an in-memory index was requested".into(),
        );
    }
    let dir = key_dir(&source.identity(), options)?;
    fs::create_dir_all(&dir).map_err(io("create", &dir))?;
    let lock_path = dir.join(LOCK_FILE);
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io("open", &lock_path))?;
    // Stamping the corpus files (a few tenths of a second at 1 GB: one
    // `stat` each) and reading the live generation back are independent:
    // side by side.
    std::thread::scope(|scope| {
        let stamping = scope.spawn(|| source.stamps());
        let stamps = || -> Result<Vec<FileStamp>, IndexError> {
            stamping
                .join()
                .unwrap_or_else(|_| Err("scanning the corpus files panicked".into()))
                .map_err(IndexError::Source)
        };
        open_locked(source, options, &dir, lock, started, served, stamps)
    })
}

/// [`open_or_build_from`] once the lock file is open; `stamps` gives the
/// corpus files now (taken while the generation is read).
fn open_locked(
    source: &dyn CorpusFiles,
    options: &IndexOptions,
    dir: &Path,
    lock: File,
    started: Instant,
    served: Option<&Corpus>,
    stamps: impl FnOnce() -> Result<Vec<FileStamp>, IndexError>,
) -> Result<OpenedIndex, IndexError> {
    match lock.try_lock() {
        Ok(()) => {
            let result = as_writer(source, stamps, options, dir, started, served);
            drop(lock);
            result
        }
        Err(TryLockError::WouldBlock) => {
            let until = Instant::now() + options.lock_wait;
            loop {
                match lock.try_lock_shared() {
                    Ok(()) => break,
                    Err(TryLockError::WouldBlock) if Instant::now() < until => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    Err(_) => {
                        let reason = "another verbatim process is writing the index".to_string();
                        return build_in_memory(source, &stamps()?, options, started, reason);
                    }
                }
            }
            let current = open_current(dir, &source.identity(), served);
            drop(lock);
            let stamps = stamps()?;
            match current {
                Ok(current) if diff(&current.manifest, &stamps).is_empty() => {
                    finish_open(current, &stamps, options, started, IndexAction::Opened)
                }
                Ok(_) => {
                    let reason = "the index is stale and another verbatim process holds its lock"
                        .to_string();
                    build_in_memory(source, &stamps, options, started, reason)
                }
                Err(why) => build_in_memory(
                    source,
                    &stamps,
                    options,
                    started,
                    format!("{why}; another process holds its lock"),
                ),
            }
        }
        Err(TryLockError::Error(e)) => {
            let reason = format!("cannot lock {}: {e}", dir.join(LOCK_FILE).display());
            build_in_memory(source, &stamps()?, options, started, reason)
        }
    }
}

fn as_writer(
    source: &dyn CorpusFiles,
    stamps: impl FnOnce() -> Result<Vec<FileStamp>, IndexError>,
    options: &IndexOptions,
    dir: &Path,
    started: Instant,
    served: Option<&Corpus>,
) -> Result<OpenedIndex, IndexError> {
    let current = open_current(dir, &source.identity(), served);
    let stamps = stamps()?;
    let reason = match current {
        Ok(current) => {
            // Under the exclusive lock no other process is building: any other
            // generation is an old one or one a killed process left half-written.
            if let Some(name) = current.dir.file_name() {
                remove_old_generations(dir, &name.to_string_lossy());
            }
            let changes = diff(&current.manifest, &stamps);
            if changes.is_empty() {
                return finish_open(current, &stamps, options, started, IndexAction::Opened);
            }
            match update(current, changes, source, options, started, &stamps) {
                Ok(done) => return Ok(done),
                Err(e) => format!("updating the index failed ({e})"),
            }
        }
        Err(why) => why,
    };
    rebuild(source, &stamps, options, dir, started, reason)
}

fn finish_open(
    current: Current,
    stamps: &[FileStamp],
    options: &IndexOptions,
    started: Instant,
    action: IndexAction,
) -> Result<OpenedIndex, IndexError> {
    current
        .into_written()
        .open(action, None, Vec::new(), stamps, options, started)
}

impl Current {
    /// The live generation as a state to open or to update.
    fn into_written(self) -> Written {
        let Current {
            dir,
            index,
            manifest,
            headers,
        } = self;
        let added = Added {
            episodes: headers
                .episodes
                .into_iter()
                .map(|e| (e.header.id().to_string(), Stored::Written(e.header, e.at)))
                .collect(),
            files: manifest
                .files
                .iter()
                .map(|f| (f.path.clone(), f.clone()))
                .collect(),
            ..Added::default()
        };
        Written {
            index,
            added,
            manifest,
            files: headers.files,
            dir: Some(dir),
        }
    }
}

/// A state of the index just written (or read back), ready to open.
struct Written {
    index: Index,
    added: Added,
    manifest: Manifest,
    /// The passage files in use.
    files: Vec<String>,
    /// The generation folder; `None` in memory.
    dir: Option<PathBuf>,
}

impl Written {
    /// Opens this state: its corpus, its search index, and the report of
    /// what `action` did (`removed`: files whose episodes were dropped;
    /// `stamps`: the corpus files as this state saw them).
    fn open(
        self,
        action: IndexAction,
        reason: Option<String>,
        removed: Vec<String>,
        stamps: &[FileStamp],
        options: &IndexOptions,
        started: Instant,
    ) -> Result<OpenedIndex, IndexError> {
        let Written {
            index,
            added,
            manifest,
            files,
            dir,
        } = self;
        let mut report = IndexReport {
            action,
            index_bytes: dir.as_deref().map_or(0, dir_size),
            location: dir.clone(),
            reason,
            episodes: added.episodes.len(),
            passages: 0,
            reindexed: added.reindexed,
            removed,
            bytes_read: added.bytes,
            seconds: 0.0,
        };
        let corpus = corpus_of(added.episodes, &files, dir.as_deref(), &manifest)?;
        let index = SearchIndex::new(index, options.deadline)?;
        if let Some((meta, names)) = terms::read_terms(&corpus) {
            index.set_stored_terms(meta, names);
        }
        report.passages = index.num_passages();
        report.seconds = started.elapsed().as_secs_f64();
        Ok(OpenedIndex {
            corpus,
            index,
            report,
            stamps: stamps.to_vec(),
        })
    }
}

fn rebuild(
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    options: &IndexOptions,
    dir: &Path,
    started: Instant,
    reason: String,
) -> Result<OpenedIndex, IndexError> {
    let name = new_generation_name();
    let gen_dir = dir.join(&name);
    fs::create_dir_all(&gen_dir).map_err(io("create", &gen_dir))?;
    let (index, added, manifest, files) = match build(source, stamps, options, Some(&gen_dir)) {
        Ok(built) => built,
        Err(e) => {
            let _ = fs::remove_dir_all(&gen_dir);
            return Err(e);
        }
    };
    // Swap the new generation in: CURRENT is replaced by rename, atomically.
    replace_file(&dir.join(CURRENT_FILE), name.as_bytes())?;
    remove_old_generations(dir, &name);
    let state = Written {
        index,
        added,
        manifest,
        files,
        dir: Some(gen_dir),
    };
    let opened = state.open(
        IndexAction::Built,
        Some(reason),
        Vec::new(),
        stamps,
        options,
        started,
    )?;
    // A build takes minutes at 1 GB; its search terms, a second more, are
    // stored with it so that no open of this state builds them again.
    if let Err(e) = store_terms(&opened.corpus, &opened.index) {
        tracing::warn!("the index's search terms could not be stored: {e}");
    }
    Ok(opened)
}

fn update(
    current: Current,
    changes: Diff,
    source: &dyn CorpusFiles,
    options: &IndexOptions,
    started: Instant,
    stamps: &[FileStamp],
) -> Result<OpenedIndex, IndexError> {
    let dir = current.dir.clone();
    let Written {
        index,
        mut added,
        mut files,
        ..
    } = current.into_written();
    let fields = Fields::from_schema(&index.schema())?;
    let mut writer = writer(&index, options)?;
    // A build's segments (a couple of hundred thousand passages each at
    // 1 GB) are left as they are: merging them, on the first update after
    // a build, took 40 s at 1 GB, all waited for before the update was
    // served. The small segments updates write still merge among themselves.
    let mut merges = tantivy::indexer::LogMergePolicy::default();
    merges.set_max_docs_before_merge(UPDATE_MERGE_MAX_DOCS);
    writer.set_merge_policy(Box::new(merges));
    let gone = changes
        .read
        .iter()
        .map(|s| s.path.as_str())
        .chain(changes.removed.iter().map(String::as_str));
    for path in gone {
        if let Some(file) = added.files.remove(path)
            && let Some(id) = file.episode_id
        {
            writer.delete_term(Term::from_field_text(fields.episode_id, &id));
            added.episodes.remove(&id);
        }
    }
    // Changed episodes go to a new passage file; the old files are never rewritten.
    let name = passage_file_name();
    let file_number = u32::try_from(files.len()).unwrap_or(u32::MAX);
    let mut out = PassageWriter::create(&dir, &name, file_number).map_err(store_error)?;
    files.push(name);
    add_files(
        &writer,
        &fields,
        source,
        &changes.read,
        &mut added,
        options,
        Some(&mut out),
    )?;
    out.finish().map_err(store_error)?;
    let manifest = Manifest {
        schema: SCHEMA_VERSION,
        identity: source.identity(),
        files: added.files.values().cloned().collect(),
    };
    let files = commit(
        &mut writer,
        Some(&dir),
        &manifest,
        &mut added.episodes,
        files,
    )?;
    writer.wait_merging_threads()?;
    let state = Written {
        index,
        added,
        manifest,
        files,
        dir: Some(dir),
    };
    state.open(
        IndexAction::Updated,
        None,
        changes.removed,
        stamps,
        options,
        started,
    )
}

fn build_in_memory(
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    options: &IndexOptions,
    started: Instant,
    reason: String,
) -> Result<OpenedIndex, IndexError> {
    let (index, added, manifest, files) = build(source, stamps, options, None)?;
    let state = Written {
        index,
        added,
        manifest,
        files,
        dir: None,
    };
    state.open(
        IndexAction::InMemory,
        Some(reason),
        Vec::new(),
        stamps,
        options,
        started,
    )
}

/// The corpus of what was indexed: in memory for an in-memory index, read
/// from the passage files of `dir` otherwise.
fn corpus_of(
    episodes: BTreeMap<String, Stored>,
    files: &[String],
    dir: Option<&Path>,
    manifest: &Manifest,
) -> Result<Corpus, IndexError> {
    let mut whole = Vec::new();
    let mut headers = Vec::new();
    let mut locations = Vec::new();
    for stored in episodes.into_values() {
        match stored {
            Stored::Whole(e) => whole.push(e),
            Stored::Written(h, at) => {
                headers.push(h);
                locations.push(at);
            }
        }
    }
    let mut corpus = match dir {
        Some(dir) if whole.is_empty() => {
            let store = DiskPassages::open(dir, files, locations).map_err(store_error)?;
            let mut corpus =
                Corpus::on_disk(headers, store, CACHE_BYTES).map_err(|e| IndexError::File {
                    path: dir.join(HEADERS_FILE),
                    message: e.to_string(),
                })?;
            // The manifest's bytes as `commit` wrote them: the same value, serialized the same way.
            if let Ok(bytes) = serde_json::to_vec(manifest) {
                corpus.set_stored_state(StoredState {
                    dir: dir.to_path_buf(),
                    manifest_sha256: sha256_hex(&bytes),
                });
            }
            corpus
        }
        _ => Corpus::from_episodes(whole),
    };
    corpus.problems = manifest
        .files
        .iter()
        .filter_map(|f| {
            f.problem.as_ref().map(|reason| FileProblem {
                path: f.path.clone(),
                reason: reason.clone(),
            })
        })
        .collect();
    Ok(corpus)
}
