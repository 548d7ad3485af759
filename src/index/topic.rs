//! A subject across the corpus: every passage that matches a query, grouped
//! per episode, each episode with how many of its passages match, who says
//! them, when the first is said, and its best-scored passage as a hit.
//!
//! The grouping is one pass of a collector over all the matches (no top-k,
//! no count bound: a common subject is counted in full), under the same
//! plan and deadline as a quote search. Only the page of episodes asked for
//! is then read back from the corpus.

use super::hits::{build_hit, matched_bytes};
use super::passage_lookup::{PassageLookup, SegmentLookup};
use super::query::Matcher;
use super::{SearchError, SearchHit};
use crate::corpus::Corpus;
use crate::model::{EpisodeRef, MatchTime};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Matching passages of one episode whose speakers are looked at, at most
/// (the count itself is not bounded): past them the answer says so.
pub const SPEAKER_PASSAGES: usize = 1_000;

/// One episode of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracedEpisode {
    pub episode: EpisodeRef,
    /// Passages of the episode that match.
    pub matches: usize,
    /// Who says the matching passages (named where the transcript's label is
    /// resolved), in order of first match; empty when the transcript does
    /// not say who speaks.
    pub speakers: Vec<String>,
    /// When the matched words of the episode's first matching passage are said.
    pub first_match: MatchTime,
    /// The episode's best-scored matching passage.
    pub best: SearchHit,
}

/// A subject traced across the corpus: one page of its episodes, oldest
/// first, undated last.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicTrace {
    pub query: String,
    /// Matching passages in all the episodes (not only this page's).
    pub total_hits: usize,
    /// Episodes with a match in all.
    pub total_episodes: usize,
    pub episodes: Vec<TracedEpisode>,
    pub notes: Vec<String>,
}

/// What the collector keeps of one episode's matches.
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub matches: usize,
    pub best_score: Score,
    /// The best passage's ordinal: equal scores go to the earlier passage,
    /// so the answer does not depend on how the index was written.
    pub best: u64,
    /// Ordinals of the first [`SPEAKER_PASSAGES`] matches seen, and the smallest of all.
    pub ordinals: Vec<u64>,
    pub first_ordinal: u64,
}

impl Group {
    fn add(&mut self, score: Score, ordinal: u64) {
        self.matches += 1;
        if score > self.best_score || (score == self.best_score && ordinal < self.best) {
            self.best_score = score;
            self.best = ordinal;
        }
        if self.ordinals.len() < SPEAKER_PASSAGES {
            self.ordinals.push(ordinal);
        }
        self.first_ordinal = self.first_ordinal.min(ordinal);
    }

    fn merge(&mut self, other: Group) {
        self.matches += other.matches;
        if other.best_score > self.best_score
            || (other.best_score == self.best_score && other.best < self.best)
        {
            self.best_score = other.best_score;
            self.best = other.best;
        }
        let room = SPEAKER_PASSAGES.saturating_sub(self.ordinals.len());
        self.ordinals.extend(other.ordinals.into_iter().take(room));
        self.first_ordinal = self.first_ordinal.min(other.first_ordinal);
    }
}

/// Groups every match per episode: by its position in the corpus the index
/// was opened with, found through the index's [`PassageLookup`].
pub(super) struct PerEpisode<'a> {
    pub corpus: &'a Corpus,
    pub lookup: &'a PassageLookup,
}

pub(super) struct PerEpisodeSegment {
    /// `None` when the segment's columns cannot be read: it adds no match.
    lookup: Option<Arc<SegmentLookup>>,
    groups: FxHashMap<usize, Group>,
}

impl Collector for PerEpisode<'_> {
    type Fruit = FxHashMap<usize, Group>;
    type Child = PerEpisodeSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<PerEpisodeSegment> {
        Ok(PerEpisodeSegment {
            lookup: self.lookup.segment(self.corpus, reader),
            groups: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<FxHashMap<usize, Group>>,
    ) -> tantivy::Result<FxHashMap<usize, Group>> {
        let mut all: FxHashMap<usize, Group> = FxHashMap::default();
        for fruit in fruits {
            for (position, group) in fruit {
                match all.get_mut(&position) {
                    Some(existing) => existing.merge(group),
                    None => {
                        all.insert(position, group);
                    }
                }
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for PerEpisodeSegment {
    type Fruit = FxHashMap<usize, Group>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some((position, ordinal)) = self.lookup.as_ref().and_then(|l| l.locate(doc)) else {
            return;
        };
        let ordinal = ordinal as u64;
        self.groups
            .entry(position)
            .or_insert_with(|| Group {
                matches: 0,
                best_score: Score::MIN,
                best: ordinal,
                ordinals: Vec::new(),
                first_ordinal: ordinal,
            })
            .add(score, ordinal);
    }

    fn harvest(self) -> FxHashMap<usize, Group> {
        self.groups
    }
}

/// The part of a trace of the episode at `position` in `corpus`, read back
/// from the corpus: its speakers, first match and best passage.
pub(super) fn traced_episode(
    corpus: &Corpus,
    position: usize,
    group: &Group,
    matchers: &[Matcher],
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> Result<Option<TracedEpisode>, SearchError> {
    let Some(header) = corpus.headers().get(position) else {
        return Ok(None);
    };
    let episode = &header.episode;
    let mut ordinals: Vec<usize> = group
        .ordinals
        .iter()
        .filter_map(|o| usize::try_from(*o).ok())
        .collect();
    ordinals.sort_unstable();
    let first = usize::try_from(group.first_ordinal).unwrap_or(0);
    let best_ordinal = usize::try_from(group.best).unwrap_or(first);
    // The passages read: from the first match to the last one looked at, and the best's neighbours.
    let low = first.min(best_ordinal.saturating_sub(1));
    let high = ordinals
        .last()
        .copied()
        .unwrap_or(first)
        .max(best_ordinal + 1);
    let passages = corpus
        .passages_at(position, low..high + 1)
        .map_err(SearchError::backend)?;
    let at = |ordinal: usize| passages.get(ordinal.checked_sub(low)?);
    let mut speakers: Vec<String> = Vec::new();
    for ordinal in &ordinals {
        if let Some(label) = at(*ordinal).and_then(|p| p.speaker.as_deref()) {
            let name = episode.speaker_name(label);
            if !speakers.contains(&name) {
                speakers.push(name);
            }
        }
    }
    let first_match = match at(first) {
        Some(passage) => {
            let matched = matched_bytes(&passage.text, matchers, analyzer);
            let span = match (matched.first(), matched.last()) {
                (Some(a), Some(b)) => a.start..b.end,
                _ => 0..passage.text.len(),
            };
            MatchTime::of_bytes(passage, span)
        }
        None => return Ok(None),
    };
    let around_from = best_ordinal.saturating_sub(1);
    let around: Vec<_> = (around_from..best_ordinal + 2)
        .filter_map(|o| at(o).cloned())
        .collect();
    let Some(best) = build_hit(
        episode,
        &around,
        best_ordinal - around_from,
        group.best_score,
        matchers,
        analyzer,
    ) else {
        return Ok(None);
    };
    Ok(Some(TracedEpisode {
        episode: EpisodeRef::of(episode),
        matches: group.matches,
        speakers,
        first_match,
        best,
    }))
}
