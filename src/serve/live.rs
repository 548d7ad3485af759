//! A corpus served while its folder changes (`verbatim serve --watch`).
//!
//! [`LiveCorpus`] is the one value that changes while serving: the corpus
//! and its search index, replaced together as one [`Snapshot`]. A request
//! takes a snapshot (two `Arc` clones) when it starts and keeps it to the
//! end, so a call in flight finishes on the state it began with while new
//! calls see the new one; nothing is ever half-updated.
//!
//! [`watch`] keeps it current: a file-system watcher (inotify and the like,
//! or polling where those are unavailable) wakes a thread of its own (index
//! updates block, and must not hold up the async workers), which waits
//! until the folder has been quiet for a moment, compares the files' cheap
//! stamps (sizes and times) with the last ones, and only if they differ
//! brings the on-disk index up to date through the index's incremental path
//! ([`crate::index::store`]): only added, changed and removed files are read.
//! When every event of the burst was a write to a file already indexed,
//! only the files the events name are stamped again ([`Changed::Files`]);
//! anything else (a file added, removed or renamed, lost events, a
//! companion file) stamps the whole folder. The folder is also re-stamped
//! every few seconds without events, because network folders send none.

use super::snapshot::Snapshot;
use crate::index::IndexOptions;
use crate::ingest::{CorpusFiles, CorpusSource, FileProblem, FileStamp, SourceFiles};
use notify::Watcher as _;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The swappable state of a live server: the current [`Snapshot`] and a
/// counter that goes up at each replacement (subscribers wake on it).
#[derive(Debug)]
pub struct LiveCorpus {
    current: RwLock<Snapshot>,
    version: tokio::sync::watch::Sender<u64>,
}

impl LiveCorpus {
    pub fn new(initial: Snapshot) -> Self {
        Self {
            current: RwLock::new(initial),
            version: tokio::sync::watch::Sender::new(0),
        }
    }

    /// The state now; keep it for the whole request.
    pub fn current(&self) -> Snapshot {
        // A writer that panicked mid-swap cannot leave half a pair: the value is
        // replaced in one assignment, so a poisoned lock still holds a whole one.
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the state; requests already running keep the old one.
    pub fn replace(&self, next: Snapshot) {
        match self.current.write() {
            Ok(mut guard) => *guard = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        self.version.send_modify(|v| *v += 1);
    }

    /// How many times the state was replaced.
    pub fn version(&self) -> u64 {
        *self.version.borrow()
    }

    /// A receiver that wakes after each replacement (from now on).
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.version.subscribe()
    }
}

/// How [`watch`] behaves.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Quiet time after the last event before re-indexing: editors and copies
    /// write a file in several steps, and one update should see all of them.
    pub debounce: Duration,
    /// The folder is re-stamped this often without events (network folders
    /// send none); also the polling interval when native events are unavailable.
    pub rescan: Duration,
    /// Where the index lives, as when serving.
    pub index: IndexOptions,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            debounce: Duration::from_millis(400),
            rescan: Duration::from_secs(5),
            index: IndexOptions::default(),
        }
    }
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(
        "--watch needs a corpus folder (--corpus DIR or VERBATIM_CORPUS): the embedded corpus never changes"
    )]
    Embedded,
    #[error(
        "the index folder {index} is inside the watched corpus folder: each update would change the corpus; \
         use an --index-dir outside it, or a hidden one (a name starting with '.')"
    )]
    IndexInsideCorpus { index: PathBuf },
    #[error("cannot watch {path}: {message}")]
    Watch { path: PathBuf, message: String },
    #[error("cannot start the watcher thread: {0}")]
    Thread(std::io::Error),
}

/// A running watch; dropping it stops watching (an update in progress
/// finishes first, on its own thread).
pub struct Watcher {
    // Dropped first: closes the event channel, which ends the thread.
    _events: Box<dyn notify::Watcher + Send>,
    stop: Arc<AtomicBool>,
    /// "native" or "polling".
    kind: &'static str,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// "native" (the platform's change events) or "polling".
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Watches the corpus folder of `source` and keeps `live` up to date with
/// it. `live` must hold the state of the index opened from the same
/// `source` and `options.index`.
pub fn watch(
    source: CorpusSource,
    live: Arc<LiveCorpus>,
    options: WatchOptions,
) -> Result<Watcher, WatchError> {
    let CorpusSource::Dir(dir) = &source else {
        return Err(WatchError::Embedded);
    };
    let dir = dir.clone();
    if let Some(index) = &options.index.index_dir {
        check_index_outside(&dir, index)?;
    }
    let (tx, rx) = std::sync::mpsc::channel::<Wake>();
    let (events, kind) = start_events(&dir, tx, options.rescan)?;
    let root = EventRoot::of(&dir, kind);
    let files = SourceFiles::new(source);
    // The state `live` was opened from (for a placeholder, the thread opens
    // it first); a change in the moment between that open and this line is
    // caught by the first periodic re-stamp only if it changed a stamp,
    // which any write does.
    let last = files.stamps().ok();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    std::thread::Builder::new()
        .name("verbatim-watch".into())
        .spawn(move || run(files, live, options, (rx, root), stopped, last))
        .map_err(WatchError::Thread)?;
    tracing::info!(folder = %dir.display(), kind, "watching the corpus folder");
    Ok(Watcher {
        _events: events,
        stop,
        kind,
    })
}

/// An index written inside the corpus folder would be scanned as corpus
/// files, and each update would trigger the next: refused, unless a hidden
/// folder (which scans skip) holds it. [`watch`] checks it too; call it
/// before building the index to fail early.
pub fn check_index_outside(
    corpus: &std::path::Path,
    index: &std::path::Path,
) -> Result<(), WatchError> {
    let corpus = corpus
        .canonicalize()
        .unwrap_or_else(|_| corpus.to_path_buf());
    // The index folder may not exist yet: its nearest existing parent decides.
    let mut existing = index.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_os_string());
        existing = parent.to_path_buf();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    let Ok(inside) = resolved.strip_prefix(&corpus) else {
        return Ok(());
    };
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if hidden {
        Ok(())
    } else {
        Err(WatchError::IndexInsideCorpus {
            index: index.to_path_buf(),
        })
    }
}

/// The platform's change events on `dir`, or polling when they are unavailable
/// (too many inotify watches, some network or container file systems).
fn start_events(
    dir: &std::path::Path,
    tx: Sender<Wake>,
    poll_every: Duration,
) -> Result<(Box<dyn notify::Watcher + Send>, &'static str), WatchError> {
    let handler = {
        let tx = tx.clone();
        move |event: notify::Result<notify::Event>| forward(&tx, event)
    };
    let native = notify::recommended_watcher(handler).and_then(|mut w| {
        w.watch(dir, notify::RecursiveMode::Recursive)?;
        Ok(w)
    });
    match native {
        Ok(w) => Ok((Box::new(w), "native")),
        Err(e) => {
            tracing::warn!(
                "no native change events for {} ({e}); polling every {} s",
                dir.display(),
                poll_every.as_secs_f64()
            );
            let config = notify::Config::default().with_poll_interval(poll_every);
            let mut w = notify::PollWatcher::new(move |event| forward(&tx, event), config)
                .map_err(|e| watch_error(dir, &e))?;
            w.watch(dir, notify::RecursiveMode::Recursive)
                .map_err(|e| watch_error(dir, &e))?;
            Ok((Box::new(w), "polling"))
        }
    }
}

fn watch_error(dir: &std::path::Path, e: &notify::Error) -> WatchError {
    WatchError::Watch {
        path: dir.to_path_buf(),
        message: e.to_string(),
    }
}

/// What one event tells the watcher thread.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wake {
    /// These files were written to (their contents or times): nothing was
    /// added, removed or renamed.
    Written(Vec<PathBuf>),
    /// Anything else, or events were lost: only a whole scan tells what changed.
    Rescan,
}

/// Passes a change on as a wake-up; reads (our own included) are not changes.
fn forward(tx: &Sender<Wake>, event: notify::Result<notify::Event>) {
    let wake = match event {
        Ok(event) if event.kind.is_access() => return,
        Ok(event) => wake_of(event),
        Err(e) => {
            // Lost events (queue overflow): a re-stamp tells what changed.
            tracing::debug!("watch error: {e}");
            Wake::Rescan
        }
    };
    let _ = tx.send(wake);
}

/// What a (non-access) event says changed.
fn wake_of(event: notify::Event) -> Wake {
    use notify::event::{EventKind, ModifyKind};
    let written = matches!(
        event.kind,
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_) | ModifyKind::Any)
    );
    if written && !event.need_rescan() && !event.paths.is_empty() {
        Wake::Written(event.paths)
    } else {
        Wake::Rescan
    }
}

/// Which corpus files may have changed since the last refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// Unknown: the whole folder is stamped.
    Unknown,
    /// Only these files (paths relative to the folder, `/`-separated), and
    /// only their contents or times.
    Files(BTreeSet<String>),
}

impl Changed {
    /// Adds what one event said.
    fn add(&mut self, wake: Wake, root: &EventRoot) {
        let Changed::Files(files) = self else { return };
        let Wake::Written(paths) = wake else {
            *self = Changed::Unknown;
            return;
        };
        for path in paths {
            match root.relative(&path) {
                Some(Relative::File(rel)) => {
                    files.insert(rel);
                }
                Some(Relative::Hidden) => {}
                None => {
                    *self = Changed::Unknown;
                    return;
                }
            }
        }
    }
}

/// The corpus folder as event paths name it.
#[derive(Debug, Clone)]
struct EventRoot {
    /// Absolute spellings of the folder (as given, canonical); empty when
    /// event paths cannot be trusted to name files (polling).
    prefixes: Vec<PathBuf>,
}

/// An event path, relative to the corpus folder.
#[derive(Debug, PartialEq, Eq)]
enum Relative {
    File(String),
    /// Under a hidden file or folder, which scans skip: no change to the corpus.
    Hidden,
}

impl EventRoot {
    fn of(dir: &Path, kind: &str) -> Self {
        if kind != "native" {
            return Self {
                prefixes: Vec::new(),
            };
        }
        // Native watchers report paths under the folder made absolute.
        let absolute = std::env::current_dir()
            .map(|cwd| cwd.join(dir))
            .unwrap_or_else(|_| dir.to_path_buf());
        let mut prefixes = vec![absolute];
        if let Ok(canonical) = dir.canonicalize() {
            prefixes.push(canonical);
        }
        Self { prefixes }
    }

    /// `path` relative to the folder, as scans spell it; `None` when it is
    /// not a path inside the folder that a scan could list.
    fn relative(&self, path: &Path) -> Option<Relative> {
        let inside = self
            .prefixes
            .iter()
            .find_map(|p| path.strip_prefix(p).ok())?;
        let mut parts = Vec::new();
        for component in inside.components() {
            let Component::Normal(part) = component else {
                return None;
            };
            let part = part.to_str()?;
            if part.starts_with('.') {
                return Some(Relative::Hidden);
            }
            parts.push(part);
        }
        if parts.is_empty() {
            return None;
        }
        Some(Relative::File(parts.join("/")))
    }
}

/// The watcher thread: wait for a change (or the periodic re-stamp), let
/// the folder settle, update.
fn run(
    files: SourceFiles,
    live: Arc<LiveCorpus>,
    options: WatchOptions,
    (rx, root): (Receiver<Wake>, EventRoot),
    stop: Arc<AtomicBool>,
    mut last: Option<Vec<FileStamp>>,
) {
    // Started on a placeholder (see `super::indexing`): this thread opens the index first.
    if live.current().pending().is_some() {
        last = None;
        refresh(&files, &live, &options.index, &mut last, &Changed::Unknown);
    }
    loop {
        let changed = match rx.recv_timeout(options.rescan) {
            Ok(wake) => {
                let mut changed = Changed::Files(BTreeSet::new());
                changed.add(wake, &root);
                if !settle(&rx, options.debounce, &mut changed, &root) {
                    return;
                }
                changed
            }
            Err(RecvTimeoutError::Timeout) => Changed::Unknown,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        refresh(&files, &live, &options.index, &mut last, &changed);
    }
}

/// Waits until no event came for `quiet` (at most 20 times that, so a folder
/// that never stops changing is still indexed), adding what each event
/// says to `changed`; false when watching stopped.
fn settle(rx: &Receiver<Wake>, quiet: Duration, changed: &mut Changed, root: &EventRoot) -> bool {
    let until = Instant::now() + quiet * 20;
    while Instant::now() < until {
        match rx.recv_timeout(quiet) {
            Ok(wake) => changed.add(wake, root),
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
    true
}

/// What one refresh did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// The files' stamps are the same as last time: nothing read.
    Unchanged,
    /// The index was updated and the new state swapped in.
    Swapped { reindexed: usize, removed: usize },
    /// The update failed; the previous state is still served.
    Failed(String),
}

/// Brings `live` up to date with the folder if its files changed since
/// `last` (their stamps; `None`: unknown, check the index). `changed` says
/// which files may have: when it names them, and `last` is known, only
/// those are stamped again. A file that cannot be read or parsed is skipped
/// with a warning; the others are served.
pub fn refresh(
    files: &SourceFiles,
    live: &LiveCorpus,
    options: &IndexOptions,
    last: &mut Option<Vec<FileStamp>>,
    changed: &Changed,
) -> Refresh {
    let before = live.current();
    let opened = match before.pending() {
        // Nothing served yet: the open stamps the files itself, while it
        // reads the index back.
        Some(_) => crate::index::open_or_build(files, options),
        None => {
            let restamped = match (&*last, changed) {
                (Some(last), Changed::Files(paths)) => files.restamp(last, paths),
                _ => None,
            };
            let stamps = match restamped.map_or_else(|| files.stamps(), Ok) {
                Ok(stamps) => stamps,
                Err(e) => {
                    tracing::warn!(
                        "cannot scan the corpus folder: {e}; still serving the previous state"
                    );
                    return Refresh::Failed(e);
                }
            };
            if last.as_ref() == Some(&stamps) {
                return Refresh::Unchanged;
            }
            // The update compares these stamps with the index rather than
            // stamping the folder again, and starts from the served
            // corpus's catalog rather than the file's.
            let stamped = Stamped {
                files,
                stamps: &stamps,
            };
            crate::index::open_or_build_from(&stamped, options, Some(&before.corpus))
        }
    };
    let (next, report, stamps) = match opened {
        Ok(opened) => {
            let opened = Snapshot::opened(opened);
            // The new state's search terms are built before it is served, so
            // that no search waits for them: meanwhile the old state answers.
            // From the served state's terms when there is one: only the
            // episodes whose metadata changed are analysed again.
            let (next, _, _) = &opened;
            match before.pending() {
                Some(_) => {
                    next.index.prepare(&next.corpus);
                }
                None => {
                    next.index
                        .prepare_from(&next.corpus, (&before.index, &before.corpus));
                }
            }
            opened
        }
        Err(e) => {
            // The next refresh stamps the whole folder: what `files` remembers
            // of its last scan may be newer than `last`.
            *last = None;
            match before.pending() {
                // Nothing was served yet: requests say why there is nothing.
                Some(status) => {
                    tracing::error!("opening the corpus failed: {e}");
                    status.fail(e.to_string());
                }
                None => tracing::warn!(
                    "re-indexing the corpus failed: {e}; still serving the previous state"
                ),
            }
            return Refresh::Failed(e.to_string());
        }
    };
    // The stamps the update saw; a later change sends its own event.
    *last = Some(stamps);
    // Swapped even when the index was already up to date (`Opened`): another
    // process (`verbatim index`) may have done the update, and what is served
    // is still the old state.
    for problem in new_problems(&before.corpus.problems, &next.corpus.problems) {
        tracing::warn!("skipped {}: {}", problem.path, problem.reason);
    }
    let done = Refresh::Swapped {
        reindexed: report.reindexed.len(),
        removed: report.removed.len(),
    };
    tracing::info!(
        action = ?report.action,
        reindexed = ?report.reindexed,
        removed = ?report.removed,
        episodes = report.episodes,
        seconds = report.seconds,
        "corpus changed: index updated"
    );
    let (corpus, index) = (Arc::clone(&next.corpus), Arc::clone(&next.index));
    live.replace(next);
    // Once served: the terms are kept with the index state, so that the
    // next process to open it reads them instead of building them.
    if let Err(e) = crate::index::store::store_terms(&corpus, &index) {
        tracing::warn!("the index's search terms could not be stored: {e}");
    }
    done
}

/// Corpus files whose stamps were just taken: the update that follows
/// compares these with its index instead of stamping the folder again (a
/// few tenths of a second at 1 GB).
struct Stamped<'a> {
    files: &'a SourceFiles,
    stamps: &'a [FileStamp],
}

impl CorpusFiles for Stamped<'_> {
    fn identity(&self) -> String {
        self.files.identity()
    }

    fn stamps(&self) -> Result<Vec<FileStamp>, String> {
        Ok(self.stamps.to_vec())
    }

    fn load(&self, path: &str) -> Result<crate::model::Episode, String> {
        self.files.load(path)
    }
}

/// Problems in `after` that were not already in `before` (each warned once).
fn new_problems<'a>(before: &[FileProblem], after: &'a [FileProblem]) -> Vec<&'a FileProblem> {
    after
        .iter()
        .filter(|p| {
            !before
                .iter()
                .any(|b| b.path == p.path && b.reason == p.reason)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SearchRequest;
    use crate::ingest::EpisodeSet;

    fn problem(path: &str, reason: &str) -> FileProblem {
        FileProblem {
            path: path.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn only_new_problems_are_reported() {
        let before = [problem("a.txt", "empty")];
        let cases: [(&[FileProblem], Vec<&str>); 3] = [
            (&[], vec![]),
            (&[problem("a.txt", "empty")], vec![]),
            (
                &[problem("a.txt", "not UTF-8"), problem("b.txt", "empty")],
                vec!["a.txt", "b.txt"],
            ),
        ];
        for (after, expected) in cases {
            let got: Vec<&str> = new_problems(&before, after)
                .iter()
                .map(|p| p.path.as_str())
                .collect();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn only_writes_to_files_in_the_folder_name_what_changed() {
        use notify::event::{
            CreateKind, DataChange, EventKind, Flag, MetadataKind, ModifyKind, RemoveKind,
            RenameMode,
        };
        let corpus = tempfile::tempdir().unwrap();
        let root = EventRoot::of(corpus.path(), "native");
        let at = |rel: &str| corpus.path().join(rel);
        let event = |kind, paths: &[&str]| {
            let mut event = notify::Event::new(kind);
            for rel in paths {
                event = event.add_path(at(rel));
            }
            event
        };
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let touch = EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime));
        let files = |names: &[&str]| Changed::Files(names.iter().map(|n| n.to_string()).collect());
        let cases: Vec<(Vec<notify::Event>, Changed)> = vec![
            (vec![event(write, &["a.txt"])], files(&["a.txt"])),
            // A second file in the same burst is kept, not lost.
            (
                vec![event(write, &["a.txt"]), event(touch, &["sub/b.txt"])],
                files(&["a.txt", "sub/b.txt"]),
            ),
            // Hidden files are not corpus files (scans skip them).
            (
                vec![
                    event(write, &["a.txt"]),
                    event(write, &[".index/x", "sub/.swap"]),
                ],
                files(&["a.txt"]),
            ),
            // Files added, removed or renamed change the list: a whole scan.
            (
                vec![
                    event(write, &["a.txt"]),
                    event(EventKind::Create(CreateKind::File), &["b.txt"]),
                ],
                Changed::Unknown,
            ),
            (
                vec![event(EventKind::Remove(RemoveKind::Any), &["a.txt"])],
                Changed::Unknown,
            ),
            (
                vec![event(
                    EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                    &["a.txt", "b.txt"],
                )],
                Changed::Unknown,
            ),
            // Lost events, events about the folder itself or outside it.
            (
                vec![event(write, &["a.txt"]).set_flag(Flag::Rescan)],
                Changed::Unknown,
            ),
            (vec![event(write, &[])], Changed::Unknown),
            (vec![event(touch, &[""])], Changed::Unknown),
            (
                vec![notify::Event::new(write).add_path(PathBuf::from("/elsewhere/a.txt"))],
                Changed::Unknown,
            ),
        ];
        for (events, expected) in cases {
            let mut changed = Changed::Files(BTreeSet::new());
            for e in &events {
                changed.add(wake_of(e.clone()), &root);
            }
            assert_eq!(changed, expected, "{events:?}");
        }
        // Polling: its paths are not trusted.
        let polling = EventRoot::of(corpus.path(), "polling");
        let mut changed = Changed::Files(BTreeSet::new());
        changed.add(wake_of(event(write, &["a.txt"])), &polling);
        assert_eq!(changed, Changed::Unknown);
    }

    #[test]
    fn an_index_inside_the_corpus_must_be_hidden() {
        let corpus = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let cases = [
            (corpus.path().join("index"), false),
            (corpus.path().join("sub/index"), false),
            (corpus.path().to_path_buf(), false),
            (corpus.path().join(".verbatim"), true),
            (corpus.path().join("sub/.cache/index"), true),
            (elsewhere.path().join("index"), true),
        ];
        for (index, allowed) in cases {
            assert_eq!(
                check_index_outside(corpus.path(), &index).is_ok(),
                allowed,
                "{}",
                index.display()
            );
        }
    }

    #[test]
    fn a_snapshot_taken_before_a_swap_keeps_the_old_state() {
        let options = IndexOptions {
            in_memory: true,
            writer_memory: 20_000_000,
            ..IndexOptions::default()
        };
        let open = |episodes| {
            let (snapshot, _) =
                Snapshot::open(&EpisodeSet::new("live", episodes), &options).unwrap();
            snapshot
        };
        let mut seeds = crate::corpus::Corpus::load(&CorpusSource::Embedded)
            .unwrap()
            .to_episodes()
            .unwrap();
        let live = LiveCorpus::new(open(seeds.clone()));
        let mut changes = live.subscribe();
        let old = live.current();
        let removed = seeds.pop().unwrap();
        live.replace(open(seeds));
        assert_eq!(live.version(), 1);
        assert!(changes.has_changed().unwrap());
        changes.mark_unchanged();

        let new = live.current();
        assert!(old.corpus.episode(&removed.episode_id).is_some());
        assert!(new.corpus.episode(&removed.episode_id).is_none());
        assert_eq!(new.corpus.len() + 1, old.corpus.len());
        // Each snapshot's search answers from its own index.
        let words: Vec<&str> = removed.passages[0]
            .text
            .split_whitespace()
            .take(4)
            .collect();
        let request = SearchRequest {
            query: words.join(" "),
            limit: 100,
            ..SearchRequest::default()
        };
        let from_removed = |snapshot: &Snapshot| {
            let results = snapshot.search(&request).unwrap();
            results
                .hits
                .iter()
                .filter(|h| h.origin.episode.episode_id == removed.episode_id)
                .count()
        };
        assert!(from_removed(&old) > 0);
        assert_eq!(from_removed(&new), 0);
    }
}
