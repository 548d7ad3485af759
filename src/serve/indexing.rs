//! A server that answers before its index is ready.
//!
//! Building the index of a large folder takes minutes, longer than MCP
//! clients wait for `initialize`. So `serve` starts on a placeholder
//! [`Snapshot`](super::Snapshot) (no episodes) that carries an [`Indexing`] status, and opens,
//! updates or builds the index on a thread of its own
//! ([`open_in_background`]), which swaps the real snapshot into the
//! [`LiveCorpus`] when it is done; clients are then sent
//! `notifications/resources/list_changed` like after any other change.
//! Meanwhile a request that needs the corpus waits a little (an up-to-date
//! index opens in about a second) and otherwise gets [`Indexing::message`]:
//! how far indexing has got, or why it failed.

use super::live::{Changed, LiveCorpus, refresh};
use crate::index::{BuildProgress, IndexOptions};
use crate::ingest::SourceFiles;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How far the opening of a served corpus has got.
#[derive(Debug)]
pub struct Indexing {
    started: Instant,
    files_done: AtomicUsize,
    files_total: AtomicUsize,
    failure: Mutex<Option<String>>,
}

impl Default for Indexing {
    fn default() -> Self {
        Self::new()
    }
}

impl Indexing {
    /// Opening starts now.
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            files_done: AtomicUsize::new(0),
            files_total: AtomicUsize::new(0),
            failure: Mutex::new(None),
        }
    }

    /// Records a build's progress (the index's progress callback).
    pub fn record(&self, progress: &BuildProgress) {
        self.files_total
            .store(progress.files_total, Ordering::Relaxed);
        self.files_done
            .store(progress.files_done, Ordering::Relaxed);
    }

    /// Opening failed: no corpus will come until the files change (under
    /// `--watch`) or the server is restarted.
    pub fn fail(&self, why: String) {
        match self.failure.lock() {
            Ok(mut failure) => *failure = Some(why),
            Err(poisoned) => *poisoned.into_inner() = Some(why),
        }
    }

    /// Why opening failed, if it did.
    pub fn failure(&self) -> Option<String> {
        match self.failure.lock() {
            Ok(failure) => failure.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// What a request gets while the corpus is not ready, for a person or
    /// an agent: what is happening, how far it is, what to do.
    pub fn message(&self) -> String {
        if let Some(why) = self.failure() {
            return format!(
                "verbatim could not open its corpus: {why}. No transcript can be served until this is fixed \
                 (the server's stderr has the details)."
            );
        }
        let seconds = self.started.elapsed().as_secs();
        let total = self.files_total.load(Ordering::Relaxed);
        let done = self.files_done.load(Ordering::Relaxed);
        let progress = if total == 0 {
            "opening the index".to_string()
        } else {
            format!("{done} of {total} files read")
        };
        format!(
            "indexing: {progress} ({seconds} s so far). The transcripts are not searchable yet: \
             ask again in a moment (clients are sent notifications/resources/list_changed when the corpus is ready)."
        )
    }
}

/// `options` with a progress callback that also records into `status`
/// (any callback already there is still called).
pub fn reporting_to(options: &IndexOptions, status: Arc<Indexing>) -> IndexOptions {
    let previous = options.progress.clone();
    IndexOptions {
        progress: Some(Arc::new(move |progress: &BuildProgress| {
            status.record(progress);
            if let Some(previous) = &previous {
                previous(progress);
            }
        })),
        ..options.clone()
    }
}

/// Opens the index of `files` (updating or building it first as needed) on
/// a thread of its own and swaps it into `live`, which should hold a
/// placeholder from [`Snapshot::indexing`](super::Snapshot::indexing). A failure is recorded in the
/// placeholder's status, which requests then report.
pub fn open_in_background(
    files: SourceFiles,
    live: Arc<LiveCorpus>,
    options: IndexOptions,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("verbatim-index".into())
        .spawn(move || {
            refresh(&files, &live, &options, &mut None, &Changed::Unknown);
        })
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_how_far_indexing_has_got_then_why_it_failed() {
        let status = Indexing::new();
        assert!(status.message().contains("opening the index"));
        status.record(&BuildProgress {
            files_done: 120,
            files_total: 1000,
            bytes_done: 0,
            bytes_total: 0,
            passages: 0,
        });
        let message = status.message();
        assert!(
            message.starts_with("indexing: 120 of 1000 files read"),
            "{message}"
        );
        status.fail("cannot read /nowhere: no such folder".into());
        let message = status.message();
        assert!(message.contains("cannot read /nowhere"), "{message}");
        assert!(!message.contains("files read"), "{message}");
    }
}
