//! From a hit's document to its passage: the corpus position of its episode
//! and the passage's ordinal, read from each segment's fast fields through
//! columns opened once per segment.
//!
//! A hit names its episode by id in a string column whose dictionary is
//! zstd-compressed: turning a term ordinal back into the id decompresses a
//! block (with a fresh decompression context) for every hit, and opening the
//! columns parses their headers. Both were a good part of a ten-hit search,
//! so each segment's columns are opened once and its id ordinals are mapped
//! to corpus positions once, for the life of the index they belong to. Quote
//! hits and topic traces ([`super::topic`]) both locate their passages here,
//! and metadata evidence ([`super::evidence`]) finds each matched passage's
//! episode and chapter here.

use crate::corpus::Corpus;
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId, Searcher, SegmentReader};

/// A term ordinal of the id column with no episode in the corpus (a
/// document the corpus no longer has).
const NOT_IN_CORPUS: u32 = u32::MAX;

/// One segment's columns and the corpus position of each id ordinal.
pub(crate) struct SegmentLookup {
    ordinals: Column<u64>,
    ids: StrColumn,
    /// The chapter of each passage that has one.
    chapters: Column<u64>,
    /// The corpus position of each id ordinal.
    positions: Vec<u32>,
    /// The id ordinal of each corpus position present (made at first use).
    id_ordinals: OnceLock<FxHashMap<u32, u32>>,
    /// The segment's documents as runs of one episode (made at first use).
    runs: OnceLock<Vec<EpisodeRun>>,
}

/// Consecutive documents of a segment from one episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EpisodeRun {
    /// The episode's id ordinal.
    pub(crate) ordinal: u32,
    /// The run's first document.
    pub(crate) first: DocId,
    /// The document after the run's last.
    pub(crate) end: DocId,
}

/// Documents whose id ordinals are read at a time, finding the runs.
const RUN_SCAN_BATCH: usize = 1024;

impl SegmentLookup {
    fn open(corpus: &Corpus, segment: &SegmentReader) -> Option<Self> {
        let fast = segment.fast_fields();
        let ordinals = fast.u64("ordinal").ok()?;
        let ids = fast.str("episode_id").ok()??;
        let chapters = fast.u64("chapter").ok()?;
        let mut positions = Vec::with_capacity(ids.num_terms());
        let mut terms = ids.dictionary().stream().ok()?;
        while terms.advance() {
            let position = std::str::from_utf8(terms.key())
                .ok()
                .and_then(|id| corpus.position(id))
                .and_then(|p| u32::try_from(p).ok())
                .unwrap_or(NOT_IN_CORPUS);
            positions.push(position);
        }
        Some(Self {
            ordinals,
            ids,
            chapters,
            positions,
            id_ordinals: OnceLock::new(),
            runs: OnceLock::new(),
        })
    }

    /// The id ordinal (in this segment's `episode_id` column) of the
    /// episode at corpus `position`; `None` when no passage of this
    /// segment is from it.
    pub(crate) fn id_ordinal(&self, position: u32) -> Option<u32> {
        self.id_ordinals
            .get_or_init(|| {
                (0u32..)
                    .zip(&self.positions)
                    .filter(|(_, p)| **p != NOT_IN_CORPUS)
                    .map(|(ordinal, p)| (*p, ordinal))
                    .collect()
            })
            .get(&position)
            .copied()
    }

    /// Id ordinals in this segment (the length of a table indexed by them).
    pub(crate) fn id_ordinal_count(&self) -> usize {
        self.positions.len()
    }

    /// The id ordinal of the episode of document `doc`.
    pub(crate) fn id_ordinal_of(&self, doc: u32) -> Option<u32> {
        self.ids
            .term_ords(doc)
            .next()
            .and_then(|o| u32::try_from(o).ok())
    }

    /// The segment's documents as runs of consecutive documents of one
    /// episode, in document order (an episode's passages are added
    /// together, so most episodes are one run; documents without an id
    /// are in none). Read from the id column once per segment.
    pub(crate) fn episode_runs(&self) -> &[EpisodeRun] {
        self.runs.get_or_init(|| {
            let column = self.ids.ords();
            let mut runs: Vec<EpisodeRun> = Vec::new();
            let mut docs: Vec<DocId> = Vec::with_capacity(RUN_SCAN_BATCH);
            let mut ordinals: Vec<Option<u64>> = vec![None; RUN_SCAN_BATCH];
            let num_docs = column.num_docs();
            let mut start = 0;
            while start < num_docs {
                let end = num_docs.min(start.saturating_add(RUN_SCAN_BATCH as DocId));
                docs.clear();
                docs.extend(start..end);
                let found = ordinals.get_mut(..docs.len()).unwrap_or_default();
                column.first_vals(&docs, found);
                for (&doc, ordinal) in docs.iter().zip(found.iter()) {
                    let Some(ordinal) = ordinal.and_then(|o| u32::try_from(o).ok()) else {
                        continue;
                    };
                    match runs.last_mut() {
                        Some(run) if run.ordinal == ordinal && run.end == doc => run.end = doc + 1,
                        _ => runs.push(EpisodeRun {
                            ordinal,
                            first: doc,
                            end: doc + 1,
                        }),
                    }
                }
                start = end;
            }
            runs
        })
    }

    /// The chapter index of document `doc`, if its passage has one.
    pub(crate) fn chapter_of(&self, doc: u32) -> Option<u64> {
        self.chapters.first(doc)
    }

    /// The corpus position of the episode and the ordinal of the passage of
    /// document `doc` of the segment; `None` for a document the corpus does
    /// not have.
    pub(crate) fn locate(&self, doc: u32) -> Option<(usize, usize)> {
        let ordinal = self.ordinals.first(doc)?;
        let id = self.id_ordinal_of(doc)?;
        let position = *self.positions.get(id as usize)?;
        if position == NOT_IN_CORPUS {
            return None;
        }
        Some((
            usize::try_from(position).ok()?,
            usize::try_from(ordinal).ok()?,
        ))
    }
}

/// The lookups of an index's segments, each made at its first hit. Valid
/// only with the corpus the index was opened with (the one every search
/// of a [`super::SearchIndex`] is given).
#[derive(Default)]
pub(crate) struct PassageLookup {
    segments: Mutex<FxHashMap<SegmentId, Arc<SegmentLookup>>>,
}

impl PassageLookup {
    /// The corpus position of the episode and the ordinal of the passage at
    /// `address`; `None` for a document the corpus does not have.
    pub(crate) fn locate(
        &self,
        corpus: &Corpus,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Option<(usize, usize)> {
        let segment = searcher
            .segment_readers()
            .get(address.segment_ord as usize)?;
        self.segment(corpus, segment)?.locate(address.doc_id)
    }

    /// The lookup of one segment of the index, opened at its first use.
    pub(crate) fn segment(
        &self,
        corpus: &Corpus,
        segment: &SegmentReader,
    ) -> Option<Arc<SegmentLookup>> {
        let id = segment.segment_id();
        if let Some(known) = self
            .segments
            .lock()
            .ok()
            .and_then(|segments| segments.get(&id).cloned())
        {
            return Some(known);
        }
        // Built outside the lock: two searches may both build it, and one wins.
        let built = Arc::new(SegmentLookup::open(corpus, segment)?);
        if let Ok(mut segments) = self.segments.lock() {
            segments.insert(id, built.clone());
        }
        Some(built)
    }
}
