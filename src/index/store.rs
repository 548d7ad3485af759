//! Where the index lives and how it stays fresh.
//!
//! Layout, under `<cache>/verbatim/<key>/` (`<cache>` = the per-user cache
//! directory, or `--index-dir`): `lock` (a file lock), `CURRENT` (the name of
//! the live generation) and `gen-*/` directories, each a tantivy index plus
//! `verbatim-manifest.json` (the files indexed and their fingerprints),
//! `verbatim-episodes.json` (every episode's header and where its passages
//! are) and `passages-*.jsonl` (the passages, one JSON line each; see
//! [`crate::episode_store`]). The key names the corpus (embedded or a folder)
//! and the schema version. Opening reads the headers only: passages are read
//! from disk when a request needs them, so memory does not grow with the
//! corpus's text.
//!
//! Opening checks the manifest against the corpus files (sizes and mtimes or
//! hashes, no parsing) and the commit payload against the manifest, so an
//! up-to-date index opens in milliseconds. Changed files are re-indexed alone
//! (their episode's documents are deleted by `episode_id`); anything else
//! wrong (schema change, unreadable files, a crash between commit and
//! catalog) rebuilds into a new generation that `CURRENT` then points to
//! (written by rename, so readers see the old or the new one, never half).
//!
//! Processes: the one that gets the exclusive lock updates or rebuilds;
//! others take a shared lock to open, and if the writer holds the lock for
//! too long (or the index is stale) they build a private in-memory index.

use crate::corpus::{Corpus, FileProblem};
use crate::episode_store::{
    CACHE_BYTES, DiskPassages, EpisodeHeader, Location, PassageWriter, StoreError,
};
use crate::index::analyzer;
use crate::index::schema::{Fields, SCHEMA_VERSION};
use crate::index::source::{CorpusFiles, FileStamp, hex};
use crate::index::{IndexError, SearchIndex};
use crate::model::Episode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, TryLockError};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

const MANIFEST_FILE: &str = "verbatim-manifest.json";
const CATALOG_FILE: &str = "verbatim-episodes.json";
const CURRENT_FILE: &str = "CURRENT";
const LOCK_FILE: &str = "lock";

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
    /// Indexing memory budget in bytes, all threads together (0: 400 MB per thread).
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

/// The outcome of [`open_or_build`].
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    schema: u32,
    identity: String,
    files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ManifestFile {
    path: String,
    size: u64,
    fingerprint: String,
    episode_id: Option<String>,
    problem: Option<String>,
}

/// `verbatim-episodes.json`: the passage files of the generation and every episode.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Catalog {
    files: Vec<String>,
    episodes: Vec<CatalogEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CatalogEntry {
    header: EpisodeHeader,
    at: Location,
}

/// An indexed episode: whole (in-memory index) or written to a passage file.
enum Stored {
    Whole(Episode),
    Written(EpisodeHeader, Location),
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    verbatim_schema: u32,
    manifest_sha256: String,
}

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
    let hash = hex(&Sha256::digest(identity.as_bytes()));
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

/// Opens the index of `source`, updating or rebuilding it as needed.
pub fn open_or_build(
    source: &dyn CorpusFiles,
    options: &IndexOptions,
) -> Result<(SearchIndex, IndexReport), IndexError> {
    let started = Instant::now();
    let stamps = source.stamps().map_err(IndexError::Source)?;
    if options.in_memory {
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
    match lock.try_lock() {
        Ok(()) => {
            let result = as_writer(source, &stamps, options, &dir, started);
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
                        return build_in_memory(source, &stamps, options, started, reason);
                    }
                }
            }
            match open_current(&dir, &source.identity()) {
                Ok(current) if diff(&current.manifest, &stamps).is_empty() => {
                    drop(lock);
                    finish_open(current, options, started, IndexAction::Opened)
                }
                Ok(_) => {
                    drop(lock);
                    let reason = "the index is stale and another verbatim process holds its lock"
                        .to_string();
                    build_in_memory(source, &stamps, options, started, reason)
                }
                Err(why) => {
                    drop(lock);
                    build_in_memory(
                        source,
                        &stamps,
                        options,
                        started,
                        format!("{why}; another process holds its lock"),
                    )
                }
            }
        }
        Err(TryLockError::Error(e)) => {
            let reason = format!("cannot lock {}: {e}", lock_path.display());
            build_in_memory(source, &stamps, options, started, reason)
        }
    }
}

/// The live generation, read back.
struct Current {
    dir: PathBuf,
    index: Index,
    manifest: Manifest,
    catalog: Catalog,
}

/// Files to read again, and files gone.
#[derive(Debug, Default, PartialEq, Eq)]
struct Diff {
    read: Vec<FileStamp>,
    removed: Vec<String>,
}

impl Diff {
    fn is_empty(&self) -> bool {
        self.read.is_empty() && self.removed.is_empty()
    }
}

fn diff(manifest: &Manifest, stamps: &[FileStamp]) -> Diff {
    let old: BTreeMap<&str, &ManifestFile> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let now: BTreeSet<&str> = stamps.iter().map(|s| s.path.as_str()).collect();
    Diff {
        read: stamps
            .iter()
            .filter(|s| {
                old.get(s.path.as_str())
                    .is_none_or(|f| f.fingerprint != s.fingerprint || f.size != s.size)
            })
            .cloned()
            .collect(),
        removed: manifest
            .files
            .iter()
            .filter(|f| !now.contains(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect(),
    }
}

fn as_writer(
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    options: &IndexOptions,
    dir: &Path,
    started: Instant,
) -> Result<(SearchIndex, IndexReport), IndexError> {
    let reason = match open_current(dir, &source.identity()) {
        Ok(current) => {
            // Under the exclusive lock no other process is building: any other
            // generation is an old one or one a killed process left half-written.
            if let Some(name) = current.dir.file_name() {
                remove_old_generations(dir, &name.to_string_lossy());
            }
            let changes = diff(&current.manifest, stamps);
            if changes.is_empty() {
                return finish_open(current, options, started, IndexAction::Opened);
            }
            match update(current, changes, source, options, started) {
                Ok(done) => return Ok(done),
                Err(e) => format!("updating the index failed ({e})"),
            }
        }
        Err(why) => why,
    };
    rebuild(source, stamps, options, dir, started, reason)
}

fn finish_open(
    current: Current,
    options: &IndexOptions,
    started: Instant,
    action: IndexAction,
) -> Result<(SearchIndex, IndexReport), IndexError> {
    let Current {
        dir,
        index,
        manifest,
        catalog,
    } = current;
    let added = Added {
        episodes: catalog
            .episodes
            .into_iter()
            .map(|e| (e.header.id().to_string(), Stored::Written(e.header, e.at)))
            .collect(),
        ..Added::default()
    };
    let corpus = corpus_of(added.episodes, &catalog.files, Some(&dir), &manifest)?;
    let report = IndexReport {
        action,
        location: Some(dir.clone()),
        reason: None,
        episodes: corpus.len(),
        passages: 0,
        reindexed: Vec::new(),
        removed: Vec::new(),
        bytes_read: 0,
        index_bytes: dir_size(&dir),
        seconds: 0.0,
    };
    let index = SearchIndex::new(index, corpus, options.deadline)?;
    Ok(finish_report(index, report, started))
}

fn finish_report(
    index: SearchIndex,
    mut report: IndexReport,
    started: Instant,
) -> (SearchIndex, IndexReport) {
    report.passages = index.num_passages();
    report.seconds = started.elapsed().as_secs_f64();
    (index, report)
}

/// Reads the live generation; `Err` says why it cannot be used.
fn open_current(dir: &Path, identity: &str) -> Result<Current, String> {
    let current_path = dir.join(CURRENT_FILE);
    let name = match fs::read_to_string(&current_path) {
        Ok(s) => s.trim().to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("no index yet".into()),
        Err(e) => return Err(format!("cannot read {}: {e}", current_path.display())),
    };
    if !name.starts_with("gen-") || name.contains(['/', '\\']) {
        return Err(format!("{} is corrupt", current_path.display()));
    }
    let gen_dir = dir.join(&name);
    let manifest_bytes = fs::read(gen_dir.join(MANIFEST_FILE))
        .map_err(|e| format!("index manifest unreadable: {e}"))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| format!("index manifest corrupt: {e}"))?;
    if manifest.schema != SCHEMA_VERSION {
        return Err(format!(
            "index schema {} is not the current {SCHEMA_VERSION}",
            manifest.schema
        ));
    }
    if manifest.identity != identity {
        return Err("the index belongs to another corpus".into());
    }
    let index = Index::open_in_dir(&gen_dir).map_err(|e| format!("index unreadable: {e}"))?;
    analyzer::register(&index);
    let metas = index
        .load_metas()
        .map_err(|e| format!("index metadata unreadable: {e}"))?;
    let payload: Payload = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or("index commit carries no verbatim payload")?;
    if payload.verbatim_schema != SCHEMA_VERSION
        || payload.manifest_sha256 != hex(&Sha256::digest(&manifest_bytes))
    {
        return Err("index commit and manifest disagree (interrupted update)".into());
    }
    // Reading the whole file then parsing the slice is several times faster than a reader.
    let bytes = fs::read(gen_dir.join(CATALOG_FILE))
        .map_err(|e| format!("index catalog unreadable: {e}"))?;
    let catalog: Catalog =
        serde_json::from_slice(&bytes).map_err(|e| format!("index catalog corrupt: {e}"))?;
    drop(bytes);
    if let Some(missing) = catalog.files.iter().find(|f| !gen_dir.join(f).is_file()) {
        return Err(format!("index passage file {missing} is missing"));
    }
    // Opening every segment now turns missing or truncated files into a rebuild
    // instead of a failed search later.
    let searcher = index
        .reader()
        .map_err(|e| format!("index segments unreadable: {e}"))?
        .searcher();
    let fields =
        Fields::from_schema(&index.schema()).map_err(|e| format!("index schema differs: {e}"))?;
    for segment in searcher.segment_readers() {
        segment
            .inverted_index(fields.text)
            .map_err(|e| format!("index segment unreadable: {e}"))?;
        segment
            .fast_fields()
            .u64("ordinal")
            .map_err(|e| format!("index segment unreadable: {e}"))?;
    }
    Ok(Current {
        dir: gen_dir,
        index,
        manifest,
        catalog,
    })
}

fn writer(
    index: &Index,
    options: &IndexOptions,
) -> Result<IndexWriter<TantivyDocument>, IndexError> {
    let threads = match options.writer_threads {
        0 => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(2),
        n => n,
    };
    let memory = match options.writer_memory {
        0 => threads * 400_000_000,
        n => n.max(threads * 20_000_000),
    };
    Ok(index.writer_with_num_threads(threads, memory)?)
}

/// What adding files to a writer produced.
#[derive(Default)]
struct Added {
    episodes: BTreeMap<String, Stored>,
    files: BTreeMap<String, ManifestFile>,
    reindexed: Vec<String>,
    bytes: u64,
}

/// Reads `stamps` and adds their passages; a file that fails becomes a problem.
fn add_files(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    added: &mut Added,
    options: &IndexOptions,
    mut passages_out: Option<&mut PassageWriter>,
) -> Result<(), IndexError> {
    let bytes_total: u64 = stamps.iter().map(|s| s.size).sum();
    let mut passages = 0u64;
    // Parsing (and chapter analysis) costs more than indexing: files are read
    // on worker threads, and taken in path order so results are deterministic.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(stamps.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<(), IndexError> {
        let (tx, rx) = mpsc::sync_channel::<(usize, Result<Episode, String>)>(workers * 4);
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(stamp) = stamps.get(i) else { break };
                    if tx.send((i, source.load(&stamp.path))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Result<Episode, String>> = BTreeMap::new();
        let mut expected = 0usize;
        for (i, loaded) in rx {
            pending.insert(i, loaded);
            while let Some(loaded) = pending.remove(&expected) {
                let Some(stamp) = stamps.get(expected) else {
                    break;
                };
                expected += 1;
                passages += record(
                    writer,
                    fields,
                    stamp,
                    loaded,
                    added,
                    passages_out.as_deref_mut(),
                )?;
                if let Some(progress) = &options.progress {
                    progress(&BuildProgress {
                        files_done: expected,
                        files_total: stamps.len(),
                        bytes_done: added.bytes,
                        bytes_total,
                        passages,
                    });
                }
            }
        }
        Ok(())
    })
}

/// Adds one loaded file (or records why it was skipped); returns its passages.
fn record(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    stamp: &FileStamp,
    loaded: Result<Episode, String>,
    added: &mut Added,
    passages_out: Option<&mut PassageWriter>,
) -> Result<u64, IndexError> {
    let mut passages = 0;
    let (episode_id, problem) = match loaded {
        Ok(episode) => {
            // The map lookup keeps this linear; the file is searched only on a clash.
            let clash = added.episodes.contains_key(&episode.episode_id).then(|| {
                added
                    .files
                    .values()
                    .find(|f| f.episode_id.as_deref() == Some(&episode.episode_id))
            });
            if let Some(other) = clash.flatten() {
                let problem = format!(
                    "episode id `{}` is already used by {}",
                    episode.episode_id, other.path
                );
                (None, Some(problem))
            } else {
                for doc in fields.episode_docs(&episode) {
                    writer.add_document(doc)?;
                }
                passages = episode.passages.len() as u64;
                let id = episode.episode_id.clone();
                // On disk, the passages go to their file now: a build holds
                // headers, not the whole corpus's text.
                let stored = match passages_out {
                    Some(out) => {
                        let at = out.append(&episode.passages).map_err(store_error)?;
                        Stored::Written(EpisodeHeader::of(&episode), at)
                    }
                    None => Stored::Whole(episode),
                };
                added.episodes.insert(id.clone(), stored);
                (Some(id), None)
            }
        }
        Err(reason) => (None, Some(reason)),
    };
    added.files.insert(
        stamp.path.clone(),
        ManifestFile {
            path: stamp.path.clone(),
            size: stamp.size,
            fingerprint: stamp.fingerprint.clone(),
            episode_id,
            problem,
        },
    );
    added.reindexed.push(stamp.path.clone());
    added.bytes += stamp.size;
    Ok(passages)
}

/// Builds a whole index in `dir` (or in memory) from `stamps`.
fn build(
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    options: &IndexOptions,
    dir: Option<&Path>,
) -> Result<(Index, Added, Manifest, Vec<String>), IndexError> {
    let (schema, fields) = Fields::build();
    let index = match dir {
        Some(d) => Index::create_in_dir(d, schema)?,
        None => Index::create_in_ram(schema),
    };
    analyzer::register(&index);
    let mut writer = writer(&index, options)?;
    // A full build flushes few, large segments (big memory budget); merging
    // them again would cost more than it saves: on 1 GB, merges made indexing
    // several times slower. Updates keep the default policy to fold small
    // segments back in.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut added = Added::default();
    let mut files = Vec::new();
    let mut passages_out = match dir {
        Some(d) => {
            let name = passage_file_name();
            let out = PassageWriter::create(d, &name, 0).map_err(store_error)?;
            files.push(name);
            Some(out)
        }
        None => None,
    };
    add_files(
        &writer,
        &fields,
        source,
        stamps,
        &mut added,
        options,
        passages_out.as_mut(),
    )?;
    if let Some(out) = passages_out {
        out.finish().map_err(store_error)?;
    }
    let manifest = Manifest {
        schema: SCHEMA_VERSION,
        identity: source.identity(),
        files: added.files.values().cloned().collect(),
    };
    let files = commit(&mut writer, dir, &manifest, &mut added.episodes, files)?;
    writer.wait_merging_threads()?;
    Ok((index, added, manifest, files))
}

/// A new passage file's name, unique within its generation.
fn passage_file_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("passages-{nanos}-{}.jsonl", std::process::id())
}

fn store_error(e: StoreError) -> IndexError {
    IndexError::Catalog {
        path: PathBuf::from(CATALOG_FILE),
        message: e.to_string(),
    }
}

/// Commits with the manifest's hash as payload; on disk, the catalog and the
/// manifest are written beside it (temp files renamed after the commit), and
/// passage files no episode uses any more are removed. Returns the passage
/// files in use (`episodes`' locations renumbered to match).
fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    dir: Option<&Path>,
    manifest: &Manifest,
    episodes: &mut BTreeMap<String, Stored>,
    files: Vec<String>,
) -> Result<Vec<String>, IndexError> {
    let manifest_bytes = serde_json::to_vec(manifest).map_err(|e| IndexError::Catalog {
        path: PathBuf::from(MANIFEST_FILE),
        message: e.to_string(),
    })?;
    let mut renames = Vec::new();
    // Keep only the passage files still referenced, renumbered in order.
    let mut used = vec![false; files.len()];
    for stored in episodes.values() {
        if let Stored::Written(_, at) = stored
            && let Some(u) = used.get_mut(at.file as usize)
        {
            *u = true;
        }
    }
    let mut renumber = vec![0u32; files.len()];
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for ((name, used), slot) in files.into_iter().zip(&used).zip(renumber.iter_mut()) {
        if *used {
            *slot = u32::try_from(kept.len()).unwrap_or(u32::MAX);
            kept.push(name);
        } else {
            dropped.push(name);
        }
    }
    for stored in episodes.values_mut() {
        if let Stored::Written(_, at) = stored {
            at.file = renumber.get(at.file as usize).copied().unwrap_or(u32::MAX);
        }
    }
    if let Some(dir) = dir {
        let catalog_tmp = dir.join(format!("{CATALOG_FILE}.tmp"));
        write_catalog(&catalog_tmp, &kept, episodes.values())?;
        let manifest_tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
        fs::write(&manifest_tmp, &manifest_bytes).map_err(io("write", &manifest_tmp))?;
        renames.push((catalog_tmp, dir.join(CATALOG_FILE)));
        renames.push((manifest_tmp, dir.join(MANIFEST_FILE)));
    }
    let payload = Payload {
        verbatim_schema: SCHEMA_VERSION,
        manifest_sha256: hex(&Sha256::digest(&manifest_bytes)),
    };
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
    prepared.commit()?;
    for (from, to) in renames {
        fs::rename(&from, &to).map_err(io("rename", &from))?;
    }
    if let Some(dir) = dir {
        // A process still reading the old catalog keeps these files open (Unix).
        for name in dropped {
            let _ = fs::remove_file(dir.join(name));
        }
    }
    Ok(kept)
}

fn write_catalog<'a>(
    path: &Path,
    files: &[String],
    episodes: impl Iterator<Item = &'a Stored>,
) -> Result<(), IndexError> {
    let file = File::create(path).map_err(io("create", path))?;
    let mut out = BufWriter::new(file);
    let err = |e: std::io::Error| IndexError::Io {
        action: "write",
        path: path.to_path_buf(),
        source: e,
    };
    let json = |e: serde_json::Error| IndexError::Catalog {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    out.write_all(b"{\"files\":").map_err(err)?;
    serde_json::to_writer(&mut out, files).map_err(json)?;
    out.write_all(b",\"episodes\":[").map_err(err)?;
    let mut first = true;
    for stored in episodes {
        // Only an on-disk build writes a catalog, and it writes every passage first.
        let Stored::Written(header, at) = stored else {
            continue;
        };
        if !first {
            out.write_all(b",\n").map_err(err)?;
        }
        first = false;
        serde_json::to_writer(&mut out, &CatalogEntryRef { header, at }).map_err(json)?;
    }
    out.write_all(b"]}").map_err(err)?;
    out.flush().map_err(err)?;
    Ok(())
}

/// [`CatalogEntry`] borrowed, for writing.
#[derive(Serialize)]
struct CatalogEntryRef<'a> {
    header: &'a EpisodeHeader,
    at: &'a Location,
}

fn rebuild(
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    options: &IndexOptions,
    dir: &Path,
    started: Instant,
    reason: String,
) -> Result<(SearchIndex, IndexReport), IndexError> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!("gen-{nanos}-{}", std::process::id());
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
    let tmp = dir.join(format!("{CURRENT_FILE}.tmp"));
    fs::write(&tmp, &name).map_err(io("write", &tmp))?;
    fs::rename(&tmp, dir.join(CURRENT_FILE)).map_err(io("rename", &tmp))?;
    remove_old_generations(dir, &name);
    let report = IndexReport {
        action: IndexAction::Built,
        location: Some(gen_dir.clone()),
        reason: Some(reason),
        episodes: added.episodes.len(),
        passages: 0,
        reindexed: added.reindexed,
        removed: Vec::new(),
        bytes_read: added.bytes,
        index_bytes: dir_size(&gen_dir),
        seconds: 0.0,
    };
    let corpus = corpus_of(added.episodes, &files, Some(&gen_dir), &manifest)?;
    let index = SearchIndex::new(index, corpus, options.deadline)?;
    Ok(finish_report(index, report, started))
}

/// Removes every generation but `keep`. Another process may still read an
/// old one: on Unix its open files stay readable after removal.
fn remove_old_generations(dir: &Path, keep: &str) {
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

fn update(
    current: Current,
    changes: Diff,
    source: &dyn CorpusFiles,
    options: &IndexOptions,
    started: Instant,
) -> Result<(SearchIndex, IndexReport), IndexError> {
    let Current {
        dir,
        index,
        manifest,
        catalog,
    } = current;
    let fields = Fields::from_schema(&index.schema())?;
    let mut writer = writer(&index, options)?;
    let mut files = catalog.files;
    let mut added = Added {
        episodes: catalog
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
    let report = IndexReport {
        action: IndexAction::Updated,
        location: Some(dir.clone()),
        reason: None,
        episodes: added.episodes.len(),
        passages: 0,
        reindexed: added.reindexed,
        removed: changes.removed,
        bytes_read: added.bytes,
        index_bytes: dir_size(&dir),
        seconds: 0.0,
    };
    let corpus = corpus_of(added.episodes, &files, Some(&dir), &manifest)?;
    let index = SearchIndex::new(index, corpus, options.deadline)?;
    Ok(finish_report(index, report, started))
}

fn build_in_memory(
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    options: &IndexOptions,
    started: Instant,
    reason: String,
) -> Result<(SearchIndex, IndexReport), IndexError> {
    let (index, added, manifest, files) = build(source, stamps, options, None)?;
    let report = IndexReport {
        action: IndexAction::InMemory,
        location: None,
        reason: Some(reason),
        episodes: added.episodes.len(),
        passages: 0,
        reindexed: added.reindexed,
        removed: Vec::new(),
        bytes_read: added.bytes,
        index_bytes: 0,
        seconds: 0.0,
    };
    let corpus = corpus_of(added.episodes, &files, None, &manifest)?;
    let index = SearchIndex::new(index, corpus, options.deadline)?;
    Ok(finish_report(index, report, started))
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
            Corpus::on_disk(headers, store, CACHE_BYTES).map_err(|e| IndexError::Catalog {
                path: dir.join(CATALOG_FILE),
                message: e.to_string(),
            })?
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

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> IndexError {
    let path = path.to_path_buf();
    move |source| IndexError::Io {
        action,
        path,
        source,
    }
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

    #[test]
    fn diff_finds_changed_added_and_removed_files() {
        let file = |path: &str, fp: &str| ManifestFile {
            path: path.into(),
            size: 1,
            fingerprint: fp.into(),
            episode_id: None,
            problem: None,
        };
        let stamp = |path: &str, fp: &str| FileStamp {
            path: path.into(),
            size: 1,
            fingerprint: fp.into(),
        };
        let manifest = Manifest {
            schema: SCHEMA_VERSION,
            identity: "x".into(),
            files: vec![file("a", "1"), file("b", "1"), file("c", "1")],
        };
        let d = diff(
            &manifest,
            &[stamp("a", "1"), stamp("b", "2"), stamp("d", "1")],
        );
        assert_eq!(
            d.read.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
            vec!["b", "d"]
        );
        assert_eq!(d.removed, vec!["c".to_string()]);
        assert!(
            diff(
                &manifest,
                &[stamp("a", "1"), stamp("b", "1"), stamp("c", "1")]
            )
            .is_empty()
        );
    }
}
