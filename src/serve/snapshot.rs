//! A servable corpus: the [`Corpus`] and the [`SearchIndex`] built over it,
//! from the same state of the files, opened once and shared by every request;
//! or, while that is being opened, a placeholder that says how far it is.

use super::indexing::Indexing;
use crate::corpus::Corpus;
use crate::index::{
    IndexError, IndexOptions, IndexReport, OpenedIndex, SearchError, SearchIndex, SearchRequest,
    SearchResults,
};
use crate::ingest::{CorpusFiles, FileStamp};
use std::sync::Arc;
use std::time::Duration;

/// The corpus and the search index built over it, always from the same state of the files.
#[derive(Clone)]
pub struct Snapshot {
    pub corpus: Arc<Corpus>,
    pub index: Arc<SearchIndex>,
    /// Set on the placeholder served while the real state is being opened.
    indexing: Option<Arc<Indexing>>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("episodes", &self.corpus.len())
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    /// Opens the index of `files` (building or updating it first, see
    /// [`crate::index::store`]) together with the corpus it stores.
    pub fn open(
        files: &dyn CorpusFiles,
        options: &IndexOptions,
    ) -> Result<(Snapshot, IndexReport), IndexError> {
        let (snapshot, report, _) = Self::opened(crate::index::open_or_build(files, options)?);
        Ok((snapshot, report))
    }

    /// The state an open or update produced, what it did, and the corpus
    /// files' stamps it saw.
    pub(super) fn opened(opened: OpenedIndex) -> (Snapshot, IndexReport, Vec<FileStamp>) {
        let snapshot = Snapshot {
            corpus: Arc::new(opened.corpus),
            index: Arc::new(opened.index),
            indexing: None,
        };
        (snapshot, opened.report, opened.stamps)
    }

    /// The state of `files` now, from this one: the index is updated (or
    /// opened, or rebuilt) as [`Snapshot::open`] would, but when it is still
    /// in the state this snapshot was read from, its catalog is taken from
    /// this snapshot's corpus instead of being read back from disk.
    pub fn update(
        &self,
        files: &dyn CorpusFiles,
        options: &IndexOptions,
    ) -> Result<(Snapshot, IndexReport), IndexError> {
        let opened = crate::index::open_or_build_from(files, options, Some(&self.corpus))?;
        let (snapshot, report, _) = Self::opened(opened);
        Ok((snapshot, report))
    }

    /// A placeholder with no episodes, served while the corpus is opened or
    /// indexed (see [`super::open_in_background`]); `status` says how far.
    pub fn indexing(status: Arc<Indexing>, deadline: Duration) -> Result<Snapshot, IndexError> {
        Ok(Snapshot {
            corpus: Arc::new(Corpus::from_episodes(Vec::new())),
            index: Arc::new(SearchIndex::empty(deadline)?),
            indexing: Some(status),
        })
    }

    /// How far the opening has got, for the placeholder; `None` for a real state.
    pub fn pending(&self) -> Option<&Arc<Indexing>> {
        self.indexing.as_ref()
    }

    /// Searches quotes in this corpus.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        self.index.search(&self.corpus, request)
    }
}
