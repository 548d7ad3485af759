//! The corpus: every episode verbatim serves, from the embedded default
//! transcripts or from a user's folder, with the files it could not read.
//!
//! Loading is split into pieces a search index can reuse for incremental
//! updates: [`scan`] lists the files (path, size, mtime) without reading them,
//! [`read`] fetches one file's bytes, [`episode_ids`] names every file, and
//! [`load_file`] / [`load_file_with_id`] parse one. [`Corpus::load`] is those
//! pieces in a row, with the companion files ([`load_companions`]: sidecars,
//! chapters, RTTM turns, RSS feeds) applied through
//! [`load_file_with_companions`]. A bad file never costs the others: it
//! becomes a [`FileProblem`]; only an unreadable corpus folder is an error.
//!
//! # Episode ids
//! An episode's id is the slug of its path relative to the corpus root,
//! without the extension: lowercase ASCII, accents folded, anything else `-`
//! (`Shows/Été 2024/ép 1.txt` -> `shows-ete-2024-ep-1`). Two files with the
//! same slug (`a.txt` and `a.vtt`) get `-2`, `-3`... in path order.

use crate::episode_store::{DiskPassages, EpisodeCache, EpisodeHeader, StoreError};
use crate::formats::FormatError;
use crate::formats::companions::Companions;
use crate::model::{Episode, Passage, Source};
use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// The default corpus, compiled into the binary so verbatim works anywhere.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/corpus");

/// Files larger than this are skipped: no transcript is that big, and reading
/// one would hold the whole corpus back.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where the episodes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusSource {
    /// The transcripts compiled into the binary.
    Embedded,
    /// A folder, read recursively.
    Dir(PathBuf),
}

impl CorpusSource {
    /// A short description for logs and messages.
    pub fn describe(&self) -> String {
        match self {
            CorpusSource::Embedded => "the embedded corpus".to_string(),
            CorpusSource::Dir(p) => p.display().to_string(),
        }
    }
}

/// One file of a corpus, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Path relative to the corpus root, with `/` separators.
    pub rel_path: String,
    /// Size in bytes (0 when it could not be read).
    pub size: u64,
    /// Last modification time; `None` for the embedded corpus or when unknown.
    pub modified: Option<SystemTime>,
}

/// Why a corpus, or one of its files, could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read corpus folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: no such file in the embedded corpus")]
    NotEmbedded(String),
    #[error("{0}: not a path inside the corpus")]
    OutsideCorpus(String),
    #[error("{path}: {size} bytes is more than the {max} bytes a transcript may have")]
    TooLarge { path: String, size: u64, max: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a client is told when an episode cannot be read back from the index:
/// which episode, not where its files are. The detail (paths of the index,
/// the I/O error) is logged here for whoever runs the server.
pub fn unreadable(what: &str, error: &dyn std::fmt::Display) -> String {
    tracing::error!("{what} could not be read: {error}");
    format!(
        "{what} could not be read from the index (the server log has the details); restarting verbatim rebuilds a damaged index"
    )
}

/// A file of the corpus that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileProblem {
    /// Path relative to the corpus root.
    pub path: String,
    /// What was wrong, in one line.
    pub reason: String,
}

/// The loaded corpus: every episode's header in memory, its passages in
/// memory or on disk (see [`crate::episode_store`]), and the skipped files.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Sorted by episode id.
    headers: Vec<EpisodeHeader>,
    passages: Passages,
    /// Files that were skipped, with their reasons.
    pub problems: Vec<FileProblem>,
}

/// Where the passages are.
#[derive(Debug, Clone)]
enum Passages {
    /// Whole episodes, in header order (small corpora, tests, in-memory indexes).
    Memory(Vec<Arc<Episode>>),
    /// Passage files, read on demand, with a cache of whole episodes.
    Disk(Arc<(DiskPassages, EpisodeCache)>),
}

impl Default for Passages {
    fn default() -> Self {
        Passages::Memory(Vec::new())
    }
}

impl Corpus {
    /// A corpus of already-built episodes, kept in memory (sorted by id).
    pub fn from_episodes(mut episodes: Vec<Episode>) -> Self {
        episodes.sort_by(|a, b| a.episode_id.cmp(&b.episode_id));
        Self {
            headers: episodes.iter().map(EpisodeHeader::of).collect(),
            passages: Passages::Memory(episodes.into_iter().map(Arc::new).collect()),
            problems: Vec::new(),
        }
    }

    /// A corpus whose passages stay on disk: `headers[i]`'s passages are at
    /// the store's location `i`. Whole episodes read back are cached up to
    /// `cache_bytes`.
    pub fn on_disk(
        headers: Vec<EpisodeHeader>,
        mut store: DiskPassages,
        cache_bytes: usize,
    ) -> Result<Self, CorpusError> {
        if headers.len() != store.len() {
            return Err(CorpusError::Store(StoreError::Corrupt {
                path: PathBuf::new(),
                message: format!(
                    "{} episodes but {} passage locations",
                    headers.len(),
                    store.len()
                ),
            }));
        }
        let mut order: Vec<usize> = (0..headers.len()).collect();
        order.sort_by(|a, b| {
            let id = |i: &usize| headers.get(*i).map_or("", |h| h.id());
            id(a).cmp(id(b))
        });
        store.reorder(&order);
        let mut slots: Vec<Option<EpisodeHeader>> = headers.into_iter().map(Some).collect();
        let headers = order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
            .collect();
        Ok(Self {
            headers,
            passages: Passages::Disk(Arc::new((store, EpisodeCache::new(cache_bytes)))),
            problems: Vec::new(),
        })
    }

    /// Number of episodes.
    pub fn len(&self) -> usize {
        self.headers.len()
    }

    /// Whether the corpus has no episode.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty()
    }

    /// Every episode's header (no passages), sorted by id.
    pub fn headers(&self) -> &[EpisodeHeader] {
        &self.headers
    }

    /// Position of the episode `episode_id` in [`Corpus::headers`].
    pub fn position(&self, episode_id: &str) -> Option<usize> {
        self.headers
            .binary_search_by(|h| h.id().cmp(episode_id))
            .ok()
    }

    /// The header of the episode `episode_id`.
    pub fn header(&self, episode_id: &str) -> Option<&EpisodeHeader> {
        self.position(episode_id).and_then(|i| self.headers.get(i))
    }

    /// The whole episode at `index` of [`Corpus::headers`], read from disk if needed.
    pub fn episode_at(&self, index: usize) -> Result<Option<Arc<Episode>>, CorpusError> {
        match &self.passages {
            Passages::Memory(episodes) => Ok(episodes.get(index).cloned()),
            Passages::Disk(disk) => {
                let (store, cache) = disk.as_ref();
                if let Some(hit) = cache.get(index) {
                    return Ok(Some(hit));
                }
                let Some(header) = self.headers.get(index) else {
                    return Ok(None);
                };
                let episode = Arc::new(header.with_passages(store.read_all(index)?));
                cache.put(index, Arc::clone(&episode));
                Ok(Some(episode))
            }
        }
    }

    /// The whole episode `episode_id`; `Err` when it exists but cannot be read back.
    pub fn try_episode(&self, episode_id: &str) -> Result<Option<Arc<Episode>>, CorpusError> {
        match self.position(episode_id) {
            Some(i) => self.episode_at(i),
            None => Ok(None),
        }
    }

    /// The whole episode `episode_id`. A stored episode that cannot be read
    /// back (its index files damaged) is logged and treated as absent.
    pub fn episode(&self, episode_id: &str) -> Option<Arc<Episode>> {
        self.try_episode(episode_id).unwrap_or_else(|e| {
            tracing::error!(episode = episode_id, "cannot read the episode back: {e}");
            None
        })
    }

    /// Passages `range` of the episode at `index` (clamped to its passages),
    /// without reading the rest of the episode from disk.
    pub fn passages_at(
        &self,
        index: usize,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Passage>, CorpusError> {
        let clamp = |all: &[Passage]| {
            let n = all.len();
            all.get(range.start.min(n)..range.end.min(n))
                .map(<[Passage]>::to_vec)
                .unwrap_or_default()
        };
        match &self.passages {
            Passages::Memory(episodes) => Ok(episodes
                .get(index)
                .map(|e| clamp(&e.passages))
                .unwrap_or_default()),
            Passages::Disk(disk) => {
                let (store, cache) = disk.as_ref();
                match cache.get(index) {
                    Some(episode) => Ok(clamp(&episode.passages)),
                    None => Ok(store.read(index, range)?),
                }
            }
        }
    }

    /// Every whole episode in id order, read one at a time (not cached), so a
    /// pass over a large corpus holds one episode at a time.
    pub fn episodes(&self) -> impl Iterator<Item = Result<Arc<Episode>, CorpusError>> + '_ {
        self.headers
            .iter()
            .enumerate()
            .map(|(i, header)| match &self.passages {
                Passages::Memory(episodes) => episodes.get(i).cloned().ok_or_else(|| {
                    CorpusError::Store(StoreError::Corrupt {
                        path: PathBuf::new(),
                        message: format!("episode {} missing", header.id()),
                    })
                }),
                Passages::Disk(disk) => match disk.1.get(i) {
                    Some(hit) => Ok(hit),
                    None => Ok(Arc::new(header.with_passages(disk.0.read_all(i)?))),
                },
            })
    }

    /// Every whole episode, all in memory at once: for small corpora and tests.
    pub fn to_episodes(&self) -> Result<Vec<Episode>, CorpusError> {
        self.episodes()
            .map(|e| e.map(|e| Episode::clone(&e)))
            .collect()
    }

    /// Up to `n` existing episode ids closest to `wanted`, for "did you mean"
    /// messages: ids containing the wanted text first, then by edit distance.
    pub fn closest_episode_ids(&self, wanted: &str, n: usize) -> Vec<String> {
        let wanted = crate::text::fold(wanted.trim());
        let mut ranked: Vec<(usize, &str)> = self
            .headers
            .iter()
            .map(|h| {
                let id = h.id();
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

    /// Loads every transcript of `source`. Fails only when the folder itself
    /// cannot be read; each file that cannot be loaded becomes a problem.
    pub fn load(source: &CorpusSource) -> Result<Corpus, CorpusError> {
        let (companions, mut problems) = load_companions(source)?;
        let files = scan(source)?;
        let paths: Vec<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
        let ids = episode_ids(&paths);
        let mut episodes = Vec::new();
        for (file, id) in files.iter().zip(ids) {
            let loaded = read_checked(source, file)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    load_file_with_companions(&file.rel_path, id, &bytes, &companions)
                        .map_err(|e| e.to_string())
                });
            match loaded {
                Ok(episode) => {
                    for d in episode
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity >= crate::model::Severity::Warning)
                    {
                        tracing::debug!(file = %file.rel_path, line = ?d.line, "{}", d.message);
                    }
                    episodes.push(episode);
                }
                Err(reason) => {
                    // Callers show `problems` their own way; the log is for tracing only.
                    tracing::info!(file = %file.rel_path, "skipped: {reason}");
                    problems.push(FileProblem {
                        path: file.rel_path.clone(),
                        reason,
                    });
                }
            }
        }
        tracing::info!(
            episodes = episodes.len(),
            skipped = problems.len(),
            "loaded {}",
            source.describe()
        );
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        let mut corpus = Corpus::from_episodes(episodes);
        corpus.problems = problems;
        Ok(corpus)
    }
}

fn read_checked(source: &CorpusSource, file: &CorpusFile) -> Result<Vec<u8>, CorpusError> {
    if file.size > MAX_FILE_BYTES {
        return Err(CorpusError::TooLarge {
            path: file.rel_path.clone(),
            size: file.size,
            max: MAX_FILE_BYTES,
        });
    }
    read(source, &file.rel_path)
}

/// Whether a file is a companion of a transcript (metadata, chapters, speaker
/// turns, an RSS feed) rather than a transcript: these are read alongside, not
/// loaded as episodes. See [`crate::formats::companions`].
pub fn is_companion(rel_path: &str) -> bool {
    crate::formats::companions::kind_from_name(rel_path).is_some()
}

/// Reads every companion file of a corpus (`NAME.meta.toml`,
/// `NAME.chapters.json`, `NAME.rttm`, `*.xml`/`*.rss` feeds). A companion that
/// cannot be read or parsed becomes a problem for that file; the transcripts
/// still load without it. Fails only when the folder itself cannot be read.
pub fn load_companions(
    source: &CorpusSource,
) -> Result<(Companions, Vec<FileProblem>), CorpusError> {
    let mut companions = Companions::default();
    let mut problems = Vec::new();
    for file in &scan_companions(source)? {
        let Some(kind) = crate::formats::companions::kind_from_name(&file.rel_path) else {
            continue;
        };
        let added = read_checked(source, file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| crate::formats::decode(&bytes).map_err(|e| e.to_string()))
            .and_then(|decoded| companions.add(&file.rel_path, kind, &decoded.text));
        if let Err(reason) = added {
            let reason = format!("{} not applied: {reason}", kind.name());
            tracing::info!(file = %file.rel_path, "{reason}");
            problems.push(FileProblem {
                path: file.rel_path.clone(),
                reason,
            });
        }
    }
    Ok((companions, problems))
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Lists the transcript files of a corpus, sorted by path, skipping hidden
/// files and folders and companion files. An entry that exists but cannot be
/// inspected (a dangling link, a folder that cannot be listed) is still
/// listed, so that reading it reports the problem.
pub fn scan(source: &CorpusSource) -> Result<Vec<CorpusFile>, CorpusError> {
    let mut files = scan_all(source)?;
    files.retain(|f| !is_companion(&f.rel_path));
    Ok(files)
}

/// Lists the companion files of a corpus (sidecars, chapters, RTTM, feeds),
/// sorted by path, so an index can notice when one changes.
pub fn scan_companions(source: &CorpusSource) -> Result<Vec<CorpusFile>, CorpusError> {
    let mut files = scan_all(source)?;
    files.retain(|f| is_companion(&f.rel_path));
    Ok(files)
}

/// Every file of a corpus, companions included, sorted by path.
fn scan_all(source: &CorpusSource) -> Result<Vec<CorpusFile>, CorpusError> {
    let mut files = Vec::new();
    match source {
        CorpusSource::Embedded => scan_embedded(&EMBEDDED, &mut files),
        CorpusSource::Dir(root) => {
            let entries = std::fs::read_dir(root).map_err(|e| CorpusError::Folder {
                path: root.clone(),
                source: e,
            })?;
            let mut visited: HashSet<PathBuf> = root.canonicalize().into_iter().collect();
            scan_dir(entries, "", &mut files, &mut visited);
        }
    }
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    Ok(files)
}

fn scan_embedded(dir: &Dir<'static>, files: &mut Vec<CorpusFile>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        let hidden = rel.split('/').any(is_hidden);
        if !hidden {
            files.push(CorpusFile {
                rel_path: rel,
                size: file.contents().len() as u64,
                modified: None,
            });
        }
    }
    for sub in dir.dirs() {
        let hidden = sub
            .path()
            .file_name()
            .is_some_and(|n| is_hidden(&n.to_string_lossy()));
        if !hidden {
            scan_embedded(sub, files);
        }
    }
}

/// Folders deeper than this are not walked.
const MAX_DEPTH: usize = 32;

fn scan_dir(
    entries: std::fs::ReadDir,
    prefix: &str,
    files: &mut Vec<CorpusFile>,
    visited: &mut HashSet<PathBuf>,
) {
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_hidden(&name) {
            continue;
        }
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        // Follows links: a link to a folder is walked, a dangling link is listed (and fails on read).
        match std::fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => {
                // A link back to a folder already walked would loop forever.
                let real = entry.path().canonicalize().unwrap_or_else(|_| entry.path());
                if !visited.insert(real) || rel.matches('/').count() >= MAX_DEPTH {
                    tracing::info!(folder = %rel, "folder skipped: already walked or too deep");
                    continue;
                }
                match std::fs::read_dir(entry.path()) {
                    Ok(sub) => scan_dir(sub, &rel, files, visited),
                    Err(e) => {
                        tracing::warn!(folder = %rel, "cannot list folder: {e}");
                        files.push(CorpusFile {
                            rel_path: rel,
                            size: 0,
                            modified: None,
                        });
                    }
                }
            }
            Ok(meta) => files.push(CorpusFile {
                rel_path: rel,
                size: meta.len(),
                modified: meta.modified().ok(),
            }),
            Err(_) => files.push(CorpusFile {
                rel_path: rel,
                size: 0,
                modified: None,
            }),
        }
    }
}

/// The bytes of one file of the corpus.
pub fn read(source: &CorpusSource, rel_path: &str) -> Result<Vec<u8>, CorpusError> {
    match source {
        CorpusSource::Embedded => EMBEDDED
            .get_file(rel_path)
            .map(|f| f.contents().to_vec())
            .ok_or_else(|| CorpusError::NotEmbedded(rel_path.to_string())),
        CorpusSource::Dir(root) => {
            let rel = Path::new(rel_path);
            if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
                return Err(CorpusError::OutsideCorpus(rel_path.to_string()));
            }
            let path = root.join(rel);
            if path.is_dir() {
                let source = std::fs::read_dir(&path)
                    .err()
                    .unwrap_or_else(|| std::io::Error::other("is a folder, not a file"));
                return Err(CorpusError::File {
                    path: rel_path.to_string(),
                    source,
                });
            }
            std::fs::read(&path).map_err(|e| CorpusError::File {
                path: rel_path.to_string(),
                source: e,
            })
        }
    }
}

/// The episode id of a file: the slug of its relative path without extension.
pub fn episode_id_for(rel_path: &str) -> String {
    let rel = rel_path.replace('\\', "/");
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let slug = crate::text::slugify(&if dir.is_empty() {
        stem.to_string()
    } else {
        format!("{dir}/{stem}")
    });
    if slug.is_empty() {
        "episode".to_string()
    } else {
        slug
    }
}

/// Ids for a whole corpus, in the order of `rel_paths`: [`episode_id_for`],
/// with `-2`, `-3`... added to later paths (in sorted order) whose slug is taken.
pub fn episode_ids(rel_paths: &[&str]) -> Vec<String> {
    let mut order: Vec<usize> = (0..rel_paths.len()).collect();
    order.sort_by_key(|i| rel_paths.get(*i).copied().unwrap_or(""));
    let base: Vec<String> = rel_paths.iter().map(|p| episode_id_for(p)).collect();
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut ids = vec![String::new(); rel_paths.len()];
    // Plain slugs are claimed first so that `a-2.txt` keeps its own id.
    for b in &base {
        taken.entry(b.clone()).or_insert(0);
    }
    for i in order {
        let Some(b) = base.get(i) else { continue };
        let count = taken.entry(b.clone()).or_insert(0);
        *count += 1;
        let mut id = if *count == 1 {
            b.clone()
        } else {
            format!("{b}-{count}")
        };
        while *count > 1 && base.contains(&id) {
            *count += 1;
            id = format!("{b}-{count}");
        }
        if let Some(slot) = ids.get_mut(i) {
            *slot = id;
        }
    }
    ids
}

/// Parses one file into an episode, with the id [`episode_id_for`] gives it.
pub fn load_file(rel_path: &str, bytes: &[u8]) -> Result<Episode, FormatError> {
    load_file_with_id(rel_path, episode_id_for(rel_path), bytes)
}

/// Parses one file into an episode with the given id (no companion files).
pub fn load_file_with_id(
    rel_path: &str,
    episode_id: String,
    bytes: &[u8],
) -> Result<Episode, FormatError> {
    load_file_with_companions(rel_path, episode_id, bytes, &Companions::default())
}

/// Parses one file into an episode with the given id, then applies the
/// companion files that name it (RTTM speakers, feed item, chapters, sidecar).
pub fn load_file_with_companions(
    rel_path: &str,
    episode_id: String,
    bytes: &[u8],
    companions: &Companions,
) -> Result<Episode, FormatError> {
    let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let (format, mut transcript) = crate::formats::parse(file_name, bytes)?;
    companions.apply(rel_path, &mut transcript);
    let sha256: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let source = Source {
        path: rel_path.to_string(),
        format: format.name().to_string(),
        sha256,
    };
    let mut episode = crate::normalize::build_episode(episode_id, source, transcript);
    // Last, once everything the files say is in: what analysis adds on top.
    crate::analysis::enrich(&mut episode);
    Ok(episode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_paths() {
        for (path, want) in [
            (
                "mac-138-chatbots-lupus-bdd.txt",
                "mac-138-chatbots-lupus-bdd",
            ),
            ("Shows/Été 2024/ép 1.txt", "shows-ete-2024-ep-1"),
            ("noext", "noext"),
            (".txt", "txt"),
            ("***.txt", "episode"),
            ("a.b.vtt", "a-b"),
        ] {
            assert_eq!(episode_id_for(path), want, "{path}");
        }
    }

    #[test]
    fn colliding_ids_get_suffixes() {
        let ids = episode_ids(&["b/a.vtt", "a.txt", "a.vtt", "b-a.txt", "a-2.txt"]);
        assert_eq!(ids, vec!["b-a-2", "a", "a-3", "b-a", "a-2"]);
    }

    #[test]
    fn companions_are_recognised() {
        assert!(is_companion("x/ep.meta.toml"));
        assert!(is_companion("ep.chapters.json"));
        assert!(is_companion("ep.RTTM"));
        assert!(is_companion("feeds/podcast.xml"));
        assert!(!is_companion("ep.json"));
    }

    #[test]
    fn embedded_corpus_lists_the_seeds() {
        let files = scan(&CorpusSource::Embedded).unwrap();
        assert_eq!(files.len(), 5);
        assert!(files.iter().all(|f| f.size > 0 && f.modified.is_none()));
        let first = files.first().unwrap();
        assert!(
            !read(&CorpusSource::Embedded, &first.rel_path)
                .unwrap()
                .is_empty()
        );
        assert!(read(&CorpusSource::Dir(".".into()), "../etc/passwd").is_err());
    }
}
