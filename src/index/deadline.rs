//! A query wrapper that stops matching once a deadline has passed.
//!
//! Phrases of very common words (`"de la"`) can take hundreds of
//! milliseconds on a large index; wrapping the scorer lets a search stop
//! cleanly and report partial results instead of blocking its caller.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// How many documents a scorer visits between two clock reads.
const CHECK_EVERY: u32 = 2048;

/// `inner`, cut short at `deadline`; `expired` tells whether it was.
pub struct DeadlineQuery {
    inner: Box<dyn Query>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
}

impl DeadlineQuery {
    pub fn new(inner: Box<dyn Query>, deadline: Instant) -> Self {
        Self {
            inner,
            deadline,
            expired: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether the deadline cut any segment short.
    pub fn expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }
}

impl Clone for DeadlineQuery {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.box_clone(),
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
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
}

impl Weight for DeadlineWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if Instant::now() >= self.deadline {
            self.expired.store(true, Ordering::Relaxed);
            return Ok(Box::new(tantivy::query::EmptyScorer));
        }
        Ok(Box::new(DeadlineScorer {
            inner: self.inner.scorer(reader, boost)?,
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
            countdown: CHECK_EVERY,
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct DeadlineScorer {
    inner: Box<dyn Scorer>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
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
}

impl DocSet for DeadlineScorer {
    fn advance(&mut self) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        self.inner.seek(target)
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
