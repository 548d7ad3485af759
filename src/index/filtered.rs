//! The top hits of words under filters, with the words' own pruning.
//!
//! Tantivy prunes a top-k ranking (block-max WAND) only when the query is
//! plain term scorers; a filter clause (speaker, show, dates, episode) makes
//! it a general intersection, scored match by match. On a large index a
//! common word under a broad filter (one speaker of many) then scores tens
//! of thousands of passages for ten hits. Here the words are pruned as if
//! unfiltered, and each candidate they offer is checked against the
//! filters (a membership test; candidates come in document order). The
//! threshold only rises with candidates that pass, so the hits are exactly
//! the best filtered ones.
//!
//! A narrow filter (one episode) keeps few documents of a segment: there
//! the intersection, driven by the filter, costs less than pruning words
//! that may match most of the segment, and that segment is intersected.

use std::fmt;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED};

/// A filter keeping fewer than one document in this many of a segment
/// drives an exhaustive intersection there, instead of checking the
/// words' pruned candidates.
const NARROW_FILTER: u64 = 64;

/// `words` under `filter`, ranked like `filtered` (the two combined as one
/// query, with the filter scoring zero).
pub(crate) struct FilteredQuery {
    words: Box<dyn Query>,
    filter: Box<dyn Query>,
    filtered: Box<dyn Query>,
}

impl FilteredQuery {
    pub(crate) fn new(
        words: Box<dyn Query>,
        filter: Box<dyn Query>,
        filtered: Box<dyn Query>,
    ) -> Self {
        Self {
            words,
            filter,
            filtered,
        }
    }
}

impl Clone for FilteredQuery {
    fn clone(&self) -> Self {
        Self {
            words: self.words.box_clone(),
            filter: self.filter.box_clone(),
            filtered: self.filtered.box_clone(),
        }
    }
}

impl fmt::Debug for FilteredQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilteredQuery")
            .field("words", &self.words)
            .field("filter", &self.filter)
            .finish()
    }
}

impl Query for FilteredQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(FilteredWeight {
            words: self.words.weight(enable_scoring)?,
            filter: self.filter.weight(enable_scoring)?,
            filtered: self.filtered.weight(enable_scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.filtered.query_terms(visitor);
    }
}

struct FilteredWeight {
    words: Box<dyn Weight>,
    filter: Box<dyn Weight>,
    filtered: Box<dyn Weight>,
}

impl Weight for FilteredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.filtered.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.filtered.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut filter = self.filter.scorer(reader, 1.0)?;
        if filter.doc() == TERMINATED {
            return Ok(());
        }
        if filter.cost().saturating_mul(NARROW_FILTER) < u64::from(reader.max_doc()) {
            let words = self.words.scorer(reader, 1.0)?;
            intersect(filter, words, threshold, callback);
            return Ok(());
        }
        let mut current = threshold;
        let mut last: Option<DocId> = None;
        self.words
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if last.is_some_and(|last| doc <= last) {
                    // Candidates come in increasing document order; one that
                    // does not (never seen) is checked from a fresh filter.
                    match self.filter.scorer(reader, 1.0) {
                        Ok(fresh) => filter = fresh,
                        Err(_) => return current,
                    }
                }
                last = Some(doc);
                // A membership test, not a seek: a date range's `seek` scans
                // the column from the last position to the next match, where
                // this reads the candidate's own value.
                match filter.seek_danger(doc) {
                    SeekDangerResult::Found => {
                        current = callback(doc, score);
                        current
                    }
                    SeekDangerResult::SeekLowerBound(_) => current,
                }
            })
    }
}

/// Every document of both `filter` and `words`, walked from the filter's
/// documents (the fewer), offered with the words' score when above the
/// threshold. Returns the threshold the callback last gave.
pub(super) fn intersect(
    mut filter: Box<dyn Scorer>,
    mut words: Box<dyn Scorer>,
    mut threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) -> Score {
    let mut candidate = filter.doc();
    while candidate != TERMINATED {
        let found = if words.doc() < candidate {
            words.seek(candidate)
        } else {
            words.doc()
        };
        if found == candidate {
            let score = words.score();
            if score > threshold {
                threshold = callback(candidate, score);
            }
            candidate = filter.advance();
        } else if found == TERMINATED {
            break;
        } else {
            candidate = filter.seek(found);
        }
    }
    threshold
}
