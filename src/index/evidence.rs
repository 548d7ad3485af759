//! Metadata evidence as a bonus on the passages the words match.
//!
//! A passage whose episode's title, description or people, or whose
//! chapter's title, has a word of the query ranks above a passage that
//! merely says it, by a constant per word ([`super::query`] decides which
//! episodes and chapters, and how much). Adding that as a clause matching
//! every passage of those episodes (a term set over hundreds of episode
//! ids: an automaton per query and a segment-sized bitset per segment) was
//! a quarter of a search's time on a 1 GB index. Here the words' own
//! scorer runs alone, and each passage it matches gets its bonus from two
//! lookups: its episode through the segment's id column (a table by id
//! ordinal, made once per query and segment) and its chapter through the
//! `chapter` fast field.
//!
//! The bonus is bounded, so a words query tantivy can prune (block-max
//! WAND) still is: the words need only beat the threshold less the largest
//! bonus.

use super::passage_lookup::SegmentLookup;
use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::Arc;
use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

/// The bonus of each episode and chapter with evidence, by corpus position,
/// and where the searched segments' passages are.
pub(crate) struct Evidence {
    /// Bonus of every passage of the episode at a corpus position.
    episodes: FxHashMap<u32, Score>,
    /// Bonus of the passages of a chapter: (corpus position, chapter index).
    chapters: FxHashMap<(u32, u64), Score>,
    /// The lookups of the segments of the searcher the query runs on.
    segments: FxHashMap<SegmentId, Arc<SegmentLookup>>,
}

impl Evidence {
    /// `None` when no episode or chapter has a bonus.
    pub(crate) fn new(
        episodes: FxHashMap<u32, Score>,
        chapters: FxHashMap<(u32, u64), Score>,
        segments: FxHashMap<SegmentId, Arc<SegmentLookup>>,
    ) -> Option<Self> {
        (!episodes.is_empty() || !chapters.is_empty()).then_some(Self {
            episodes,
            chapters,
            segments,
        })
    }

    /// This evidence in one segment, scaled by `boost`; `None` when no
    /// passage of the segment can have a bonus.
    fn in_segment(&self, reader: &SegmentReader, boost: Score) -> Option<SegmentEvidence> {
        let lookup = self.segments.get(&reader.segment_id())?;
        let mut episodes = vec![0.0; lookup.id_ordinal_count()];
        let mut chapters: FxHashMap<(u32, u64), Score> = FxHashMap::default();
        let mut episode_max: Score = 0.0;
        for (&position, &bonus) in &self.episodes {
            if let Some(slot) = lookup
                .id_ordinal(position)
                .and_then(|o| episodes.get_mut(o as usize))
            {
                *slot = bonus * boost;
                episode_max = episode_max.max(*slot);
            }
        }
        let mut chapter_max: Score = 0.0;
        for (&(position, chapter), &bonus) in &self.chapters {
            if let Some(ordinal) = lookup.id_ordinal(position) {
                chapters.insert((ordinal, chapter), bonus * boost);
                chapter_max = chapter_max.max(bonus * boost);
            }
        }
        let max = episode_max + chapter_max;
        (max > 0.0).then(|| SegmentEvidence {
            lookup: Arc::clone(lookup),
            episodes,
            chapters,
            max,
        })
    }
}

/// [`Evidence`] in one segment, by the id ordinals of its `episode_id` column.
struct SegmentEvidence {
    lookup: Arc<SegmentLookup>,
    /// Bonus by id ordinal (zero for most).
    episodes: Vec<Score>,
    /// Bonus by (id ordinal, chapter index).
    chapters: FxHashMap<(u32, u64), Score>,
    /// No document's bonus is larger.
    max: Score,
}

impl SegmentEvidence {
    fn bonus(&self, doc: DocId) -> Score {
        let Some(ordinal) = self.lookup.id_ordinal_of(doc) else {
            return 0.0;
        };
        let episode = self.episodes.get(ordinal as usize).copied().unwrap_or(0.0);
        if self.chapters.is_empty() {
            return episode;
        }
        let chapter = self
            .lookup
            .chapter_of(doc)
            .and_then(|c| self.chapters.get(&(ordinal, c)))
            .copied()
            .unwrap_or(0.0);
        episode + chapter
    }
}

/// `words`, each matched passage scored with its metadata bonus added.
pub(crate) struct WithEvidence {
    words: Box<dyn Query>,
    evidence: Arc<Evidence>,
}

impl WithEvidence {
    pub(crate) fn new(words: Box<dyn Query>, evidence: Arc<Evidence>) -> Self {
        Self { words, evidence }
    }
}

impl Clone for WithEvidence {
    fn clone(&self) -> Self {
        Self {
            words: self.words.box_clone(),
            evidence: Arc::clone(&self.evidence),
        }
    }
}

impl fmt::Debug for WithEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithEvidence")
            .field("words", &self.words)
            .field("episodes", &self.evidence.episodes.len())
            .field("chapters", &self.evidence.chapters.len())
            .finish()
    }
}

impl Query for WithEvidence {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(EvidenceWeight {
            words: self.words.weight(enable_scoring)?,
            evidence: Arc::clone(&self.evidence),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.words.query_terms(visitor);
    }
}

struct EvidenceWeight {
    words: Box<dyn Weight>,
    evidence: Arc<Evidence>,
}

impl Weight for EvidenceWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let words = self.words.scorer(reader, boost)?;
        Ok(match self.evidence.in_segment(reader, boost) {
            Some(evidence) => Box::new(EvidenceScorer { words, evidence }),
            None => words,
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let words = self.words.explain(reader, doc)?;
        let bonus = self
            .evidence
            .in_segment(reader, 1.0)
            .map_or(0.0, |e| e.bonus(doc));
        let mut explanation =
            Explanation::new("words and metadata evidence", words.value() + bonus);
        explanation.add_detail(words);
        explanation.add_detail(Explanation::new("metadata evidence", bonus));
        Ok(explanation)
    }

    /// Top-k collection: the words' own pruning, offered only the passages
    /// whose words could still beat the threshold with the largest bonus.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(evidence) = self.evidence.in_segment(reader, 1.0) else {
            return self.words.for_each_pruning(threshold, reader, callback);
        };
        let max = evidence.max;
        self.words
            .for_each_pruning(threshold - max, reader, &mut |doc, score| {
                let score = score + evidence.bonus(doc);
                callback(doc, score) - max
            })
    }
}

struct EvidenceScorer {
    words: Box<dyn Scorer>,
    evidence: SegmentEvidence,
}

impl DocSet for EvidenceScorer {
    fn advance(&mut self) -> DocId {
        self.words.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.words.seek(target)
    }

    fn doc(&self) -> DocId {
        self.words.doc()
    }

    fn size_hint(&self) -> u32 {
        self.words.size_hint()
    }
}

impl Scorer for EvidenceScorer {
    fn score(&mut self) -> Score {
        self.words.score() + self.evidence.bonus(self.words.doc())
    }
}
