//! The served corpus: every episode's header in memory, its passages in
//! memory (small corpora, tests) or in passage files read on demand
//! ([`passage_files`], with a [`cache`] of whole episodes), and the files
//! that could not be loaded.
//!
//! A corpus is built either from episodes in memory ([`Corpus::from_episodes`],
//! [`Corpus::load`]) or by the index from what it stored ([`Corpus::on_disk`]);
//! either way it is read the same, one episode or a few passages at a time.

pub mod cache;
pub mod passage_files;

use crate::ingest::{CorpusSource, FileProblem, SourceError};
use crate::model::{Episode, EpisodeHeader, Passage};
use cache::EpisodeCache;
use passage_files::{DiskPassages, Location, PassageFileError};
use std::path::PathBuf;
use std::sync::Arc;

pub use cache::CACHE_BYTES;

/// Why a corpus, or one of its episodes, could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Store(#[from] PassageFileError),
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

/// The loaded corpus: every episode's header in memory, its passages in
/// memory or on disk ([`passage_files`]), and the skipped files.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Sorted by episode id.
    headers: Vec<EpisodeHeader>,
    passages: Passages,
    /// Files that were skipped, with their reasons.
    pub problems: Vec<FileProblem>,
    /// The committed index state this corpus was read from, when it was.
    stored: Option<StoredState>,
}

/// What the catalog of an on-disk corpus holds, copied from memory.
#[derive(Debug)]
pub struct StoredCatalog<'a> {
    pub state: &'a StoredState,
    /// The passage files' names, in the numbering of the locations.
    pub files: Vec<String>,
    pub episodes: Vec<(EpisodeHeader, Location)>,
}

/// Which committed state of an on-disk index a corpus was read from: its
/// generation folder and the digest of its manifest. An update that finds
/// the index still in that state can start from the corpus in memory
/// instead of reading the catalog back (tens of MB at 1 GB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredState {
    pub dir: PathBuf,
    pub manifest_sha256: String,
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
            stored: None,
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
            return Err(CorpusError::Store(PassageFileError::Corrupt {
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
            stored: None,
        })
    }

    /// Records the committed index state this corpus was read from.
    pub fn set_stored_state(&mut self, state: StoredState) {
        self.stored = Some(state);
    }

    /// The committed index state this corpus was read from, if it was.
    pub fn stored_state(&self) -> Option<&StoredState> {
        self.stored.as_ref()
    }

    /// The committed index state this corpus was read from, with what its
    /// catalog holds. `None` for a corpus in memory or not read from an index.
    pub fn stored_catalog(&self) -> Option<StoredCatalog<'_>> {
        let (Some(state), Passages::Disk(disk)) = (&self.stored, &self.passages) else {
            return None;
        };
        let (files, locations) = disk.0.catalog();
        let episodes = self
            .headers
            .iter()
            .cloned()
            .zip(locations.iter().cloned())
            .collect();
        Some(StoredCatalog {
            state,
            files,
            episodes,
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
                    CorpusError::Store(PassageFileError::Corrupt {
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
    /// messages ([`crate::text::closest()`]).
    pub fn closest_episode_ids(&self, wanted: &str, n: usize) -> Vec<String> {
        crate::text::closest(wanted, self.headers.iter().map(EpisodeHeader::id), n)
    }

    /// Loads every transcript of `source` into memory ([`crate::ingest::load_all`]).
    /// Fails only when the folder itself cannot be read; each file that cannot
    /// be loaded becomes one of [`Corpus::problems`].
    pub fn load(source: &CorpusSource) -> Result<Corpus, CorpusError> {
        let loaded = crate::ingest::load_all(source)?;
        let mut corpus = Corpus::from_episodes(loaded.episodes);
        corpus.problems = loaded.problems;
        Ok(corpus)
    }
}
