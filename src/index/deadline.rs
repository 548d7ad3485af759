//! A query wrapper that stops matching once a deadline has passed, or once
//! it has matched a given number of documents.
//!
//! Phrases of very common words (`"de la"`) can take hundreds of
//! milliseconds on a large index; wrapping the scorer lets a search stop
//! cleanly and report partial results instead of blocking its caller. The
//! document budget bounds the work of common-word queries the same way:
//! past it, the count is a lower bound ("at least N"). Ranking never uses
//! the budget: a query tantivy can prune (block-max WAND over plain term
//! scorers, see [`DeadlineQuery::pruned_by_tantivy`]) ranks every match
//! that could enter the top hits, any other is scored exhaustively until
//! the deadline.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// How many documents a scorer visits between two clock reads.
const CHECK_EVERY: u32 = 2048;

/// `inner`, cut short at `deadline` or after `max_docs` matches; `expired`
/// and `capped` tell whether it was.
pub struct DeadlineQuery {
    inner: Box<dyn Query>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
    budget: Arc<Budget>,
    prunable: bool,
}

/// Matches handed out so far across all segments, and whether one more was refused.
struct Budget {
    max_docs: usize,
    matched: AtomicUsize,
    capped: AtomicBool,
}

impl Budget {
    /// Takes one match from the budget; `false` (and `capped`) once it is spent.
    fn take(&self) -> bool {
        let before = self.matched.fetch_add(1, Ordering::Relaxed);
        if before < self.max_docs {
            true
        } else {
            self.matched.fetch_sub(1, Ordering::Relaxed);
            self.capped.store(true, Ordering::Relaxed);
            false
        }
    }
}

impl DeadlineQuery {
    /// No document budget: only the deadline stops it.
    pub fn new(inner: Box<dyn Query>, deadline: Instant) -> Self {
        Self::with_budget(inner, deadline, usize::MAX)
    }

    /// Stops at `deadline` or once `max_docs` documents have matched.
    pub fn with_budget(inner: Box<dyn Query>, deadline: Instant, max_docs: usize) -> Self {
        Self {
            inner,
            deadline,
            expired: Arc::new(AtomicBool::new(false)),
            budget: Arc::new(Budget {
                max_docs,
                matched: AtomicUsize::new(0),
                capped: AtomicBool::new(false),
            }),
            prunable: false,
        }
    }

    /// Lets a top-k collection use the inner query's own pruning (tantivy's
    /// block-max WAND) instead of visiting every match. Only for queries
    /// that reduce to plain term scorers: for any other, tantivy's pruning
    /// loop visits every match and the deadline could not stop it.
    pub fn pruned_by_tantivy(mut self) -> Self {
        self.prunable = true;
        self
    }

    /// Whether the deadline cut any segment short.
    pub fn expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }

    /// Whether more documents matched than the budget let through.
    pub fn capped(&self) -> bool {
        self.budget.capped.load(Ordering::Relaxed)
    }
}

impl Clone for DeadlineQuery {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.box_clone(),
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
            budget: Arc::clone(&self.budget),
            prunable: self.prunable,
        }
    }
}

impl fmt::Debug for DeadlineQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeadlineQuery")
            .field("inner", &self.inner)
            .finish()
    }
}

impl Query for DeadlineQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DeadlineWeight {
            inner: self.inner.weight(enable_scoring)?,
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
            budget: Arc::clone(&self.budget),
            prunable: self.prunable,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct DeadlineWeight {
    inner: Box<dyn Weight>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
    budget: Arc<Budget>,
    prunable: bool,
}

impl Weight for DeadlineWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if Instant::now() >= self.deadline {
            self.expired.store(true, Ordering::Relaxed);
            return Ok(Box::new(tantivy::query::EmptyScorer));
        }
        let inner = self.inner.scorer(reader, boost)?;
        // A scorer starts on its first match: that one counts too.
        if inner.doc() != TERMINATED && !self.budget.take() {
            return Ok(Box::new(tantivy::query::EmptyScorer));
        }
        Ok(Box::new(DeadlineScorer {
            inner,
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
            budget: Arc::clone(&self.budget),
            countdown: CHECK_EVERY,
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    /// Top-k collection. A prunable query runs the inner pruning loop and
    /// checks the clock at each candidate it offers (once out of time, an
    /// infinite threshold ends the loop); any other goes through the
    /// deadline scorer, every match scored.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if !self.prunable {
            let mut scorer = self.scorer(reader, 1.0)?;
            let mut threshold = threshold;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let score = scorer.score();
                if score > threshold {
                    threshold = callback(doc, score);
                }
                doc = scorer.advance();
            }
            return Ok(());
        }
        if Instant::now() >= self.deadline {
            self.expired.store(true, Ordering::Relaxed);
            return Ok(());
        }
        let mut stopped = false;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if stopped {
                    return Score::INFINITY;
                }
                if Instant::now() >= self.deadline {
                    self.expired.store(true, Ordering::Relaxed);
                    stopped = true;
                    return Score::INFINITY;
                }
                callback(doc, score)
            })
    }
}

struct DeadlineScorer {
    inner: Box<dyn Scorer>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
    budget: Arc<Budget>,
    countdown: u32,
    stopped: bool,
}

impl DeadlineScorer {
    fn out_of_time(&mut self) -> bool {
        self.countdown = self.countdown.saturating_sub(1);
        if self.countdown == 0 {
            self.countdown = CHECK_EVERY;
            if Instant::now() >= self.deadline {
                self.expired.store(true, Ordering::Relaxed);
                self.stopped = true;
            }
        }
        self.stopped
    }

    /// `doc`, if the budget lets one more match through.
    fn counted(&mut self, doc: DocId) -> DocId {
        if doc == TERMINATED || self.budget.take() {
            doc
        } else {
            self.stopped = true;
            TERMINATED
        }
    }
}

impl DocSet for DeadlineScorer {
    fn advance(&mut self) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        let doc = self.inner.advance();
        self.counted(doc)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        let doc = self.inner.seek(target);
        self.counted(doc)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for DeadlineScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument, Term};

    #[test]
    fn the_budget_caps_matches_and_says_so() {
        let mut builder = Schema::builder();
        let word = builder.add_text_field("word", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..10 {
            let mut doc = TantivyDocument::default();
            doc.add_text(word, if i % 5 == 4 { "b" } else { "a" });
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let far = Instant::now() + std::time::Duration::from_secs(60);
        // 8 documents say "a".
        for (budget, count, capped) in [(3, 3, true), (8, 8, false), (100, 8, false), (1, 1, true)]
        {
            let term = TermQuery::new(Term::from_field_text(word, "a"), IndexRecordOption::Basic);
            let query = DeadlineQuery::with_budget(Box::new(term), far, budget);
            let (top, n) = searcher
                .search(&query, &(TopDocs::with_limit(10).order_by_score(), Count))
                .unwrap();
            assert_eq!((n, query.capped()), (count, capped), "budget {budget}");
            assert_eq!(top.len(), count);
            assert!(!query.expired());
        }
    }
}
