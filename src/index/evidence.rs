//! Metadata evidence as a bonus on the passages the words match.
//!
//! A passage whose episode's title, description or people, or whose
//! chapter's title, has a word of the query ranks above a passage that
//! merely says it, by a constant per word ([`super::query`] decides which
//! episodes and chapters, and how much). A passage said by a speaker whose
//! name has a query word gets that word's BM25 score in the speaker-name
//! field, scaled down.
//!
//! Adding the episodes and chapters as a clause matching every passage of
//! those episodes (a term set over hundreds of episode ids: an automaton per
//! query and a segment-sized bitset per segment) was a quarter of a search's
//! time on a 1 GB index, and a scored speaker clause kept tantivy from
//! pruning at all. Here the words' own scorer runs alone, and each passage
//! it matches gets its bonus from look-ups: its episode through the
//! segment's id column (a table by id ordinal, made once per query and
//! segment), its chapter through the `chapter` fast field, and its speaker
//! through the speaker-name terms' postings, walked forward alongside.
//!
//! A words query tantivy can prune (block-max WAND) still is. When the
//! passages that may get a bonus are few in a segment, they are scored
//! first, each with its bonus, and the words are pruned over the others at
//! the real threshold. Otherwise the bonus is bounded (a constant per
//! episode and chapter word; per speaker word, the best BM25 score of the
//! name in the segment, worked out once per segment from the distinct field
//! lengths and counts the name has there, [`NameScores`]), and the words
//! need only beat the threshold less the largest bonus.

use super::filtered::intersect;
use super::passage_lookup::SegmentLookup;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::{
    BitSetDocSet, Bm25Weight, ConstScorer, EnableScoring, Explanation, Query, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// The bonus of each episode and chapter with evidence, by corpus position,
/// where the searched segments' passages are, and the speaker-name terms.
pub(crate) struct Evidence {
    /// Bonus of every passage of the episode at a corpus position.
    episodes: FxHashMap<u32, Score>,
    /// Bonus of the passages of a chapter: (corpus position, chapter index).
    chapters: FxHashMap<(u32, u64), Score>,
    /// The lookups of the segments of the searcher the query runs on.
    segments: FxHashMap<SegmentId, Arc<SegmentLookup>>,
    /// Terms of the speaker-name field: a passage said by a speaker whose
    /// name has one gets its BM25 score times `speaker_weight`.
    speakers: Vec<Term>,
    speaker_weight: Score,
    name_scores: Arc<NameScores>,
}

/// The passages said by speakers of these names, how much a match on a
/// name counts relative to the words' own BM25, and where the bound on a
/// name's score in a segment is remembered.
pub(crate) struct SpeakerEvidence {
    pub(crate) terms: Vec<Term>,
    pub(crate) weight: Score,
    pub(crate) scores: Arc<NameScores>,
}

/// Entries [`NameScores`] keeps before it starts afresh (segments merged
/// away leave theirs behind).
const NAME_SCORES_KEPT: usize = 50_000;

/// For each segment and speaker-name term searched so far, the distinct
/// (field length id, term count) pairs of its passages: a name's score in
/// a passage depends on nothing else, so the best of them, under the
/// query's BM25 weight, bounds the name's score in the segment. A
/// segment's contents never change, so neither do its pairs.
#[derive(Default)]
pub(crate) struct NameScores {
    pairs: Mutex<FxHashMap<(SegmentId, Term), NormsAndCounts>>,
}

/// Distinct (field length id, term count) pairs of a term's passages.
type NormsAndCounts = Arc<[(u8, u32)]>;

impl NameScores {
    /// The pairs of `term` in the segment; `None` when they cannot be read
    /// (then the BM25 ceiling stands in).
    fn pairs(&self, reader: &SegmentReader, term: &Term) -> Option<NormsAndCounts> {
        let key = (reader.segment_id(), term.clone());
        if let Some(pairs) = self
            .pairs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Some(Arc::clone(pairs));
        }
        let norms = reader.get_fieldnorms_reader(term.field()).ok()?;
        let mut seen: FxHashSet<(u8, u32)> = FxHashSet::default();
        let postings = reader
            .inverted_index(term.field())
            .ok()?
            .read_postings(term, IndexRecordOption::WithFreqs)
            .ok()?;
        if let Some(mut postings) = postings {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                seen.insert((norms.fieldnorm_id(doc), postings.term_freq()));
                doc = postings.advance();
            }
        }
        let pairs: NormsAndCounts = seen.into_iter().collect();
        let mut cache = self.pairs.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= NAME_SCORES_KEPT {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&pairs));
        Some(pairs)
    }
}

impl Evidence {
    /// `None` when no episode, chapter or speaker has a bonus.
    pub(crate) fn new(
        episodes: FxHashMap<u32, Score>,
        chapters: FxHashMap<(u32, u64), Score>,
        segments: FxHashMap<SegmentId, Arc<SegmentLookup>>,
        speakers: SpeakerEvidence,
    ) -> Option<Self> {
        (!episodes.is_empty() || !chapters.is_empty() || !speakers.terms.is_empty()).then_some(
            Self {
                episodes,
                chapters,
                segments,
                speakers: speakers.terms,
                speaker_weight: speakers.weight,
                name_scores: speakers.scores,
            },
        )
    }

    /// The episode and chapter bonus in one segment, scaled by `boost`;
    /// `None` when no passage of the segment can have one.
    fn tables_in(&self, reader: &SegmentReader, boost: Score) -> Option<MetadataTables> {
        if self.episodes.is_empty() && self.chapters.is_empty() {
            return None;
        }
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
        let mut chapter_episodes: FxHashSet<u32> = FxHashSet::default();
        for (&(position, chapter), &bonus) in &self.chapters {
            if let Some(ordinal) = lookup.id_ordinal(position) {
                chapters.insert((ordinal, chapter), bonus * boost);
                chapter_episodes.insert(ordinal);
                chapter_max = chapter_max.max(bonus * boost);
            }
        }
        let max = episode_max + chapter_max;
        (max > 0.0).then(|| MetadataTables {
            lookup: Arc::clone(lookup),
            episodes,
            chapters,
            chapter_episodes,
            max,
            run: 0,
        })
    }
}

/// The episode and chapter bonus in one segment, by the id ordinals of its
/// `episode_id` column.
struct MetadataTables {
    lookup: Arc<SegmentLookup>,
    /// Bonus by id ordinal (zero for most).
    episodes: Vec<Score>,
    /// Bonus by (id ordinal, chapter index).
    chapters: FxHashMap<(u32, u64), Score>,
    /// The id ordinals of the episodes of those chapters.
    chapter_episodes: FxHashSet<u32>,
    /// No document's bonus is larger.
    max: Score,
    /// The run of [`SegmentLookup::episode_runs`] the last document asked
    /// about was in: documents mostly come in order, so the next is in the
    /// same run or the one after.
    run: usize,
}

impl MetadataTables {
    /// Marks the documents that may have a bonus: every passage of an
    /// episode with one, or with a chapter that has one. `false` (and
    /// stops) when they are more than `most`.
    fn mark_documents(&self, documents: &mut BitSet, most: u64) -> bool {
        let mut marked = 0u64;
        for run in self.lookup.episode_runs() {
            let episode = self
                .episodes
                .get(run.ordinal as usize)
                .copied()
                .unwrap_or(0.0);
            if episode > 0.0 || self.chapter_episodes.contains(&run.ordinal) {
                marked += u64::from(run.end - run.first);
                if marked > most {
                    return false;
                }
                for doc in run.first..run.end {
                    documents.insert(doc);
                }
            }
        }
        true
    }

    fn bonus(&mut self, doc: DocId) -> Score {
        let Some(ordinal) = self.episode_of(doc) else {
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

    /// The id ordinal of document `doc`'s episode, from the segment's runs
    /// of documents: reading the id column for every matched document was
    /// a tenth of a name search's time on a 1 GB index.
    fn episode_of(&mut self, doc: DocId) -> Option<u32> {
        let runs = self.lookup.episode_runs();
        let holds = |i: usize| runs.get(i).filter(|r| r.first <= doc && doc < r.end);
        if holds(self.run).is_none() {
            self.run = if holds(self.run + 1).is_some() {
                self.run + 1
            } else {
                runs.partition_point(|r| r.end <= doc)
            };
        }
        holds(self.run).map(|r| r.ordinal)
    }
}

/// All the evidence in one segment.
struct SegmentEvidence {
    metadata: Option<MetadataTables>,
    /// One scorer per speaker-name term with postings here, walked forward
    /// as the words' documents come (always in increasing order).
    speakers: Vec<Box<dyn Scorer>>,
    /// No document's bonus is larger.
    max: Score,
}

impl SegmentEvidence {
    fn bonus(&mut self, doc: DocId) -> Score {
        let mut bonus = self.metadata.as_mut().map_or(0.0, |m| m.bonus(doc));
        for speaker in &mut self.speakers {
            if speaker.doc() < doc {
                speaker.seek(doc);
            }
            if speaker.doc() == doc {
                bonus += speaker.score();
            }
        }
        bonus
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
            .field("speakers", &self.evidence.speakers)
            .finish()
    }
}

impl Query for WithEvidence {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut speakers = Vec::with_capacity(self.evidence.speakers.len());
        for term in &self.evidence.speakers {
            // The name's BM25 weight, as its term query scores it.
            let bm25 = match enable_scoring {
                EnableScoring::Enabled {
                    statistics_provider,
                    ..
                } => Some(Bm25Weight::for_terms(
                    statistics_provider,
                    std::slice::from_ref(term),
                )?),
                EnableScoring::Disabled { .. } => None,
            };
            let weight = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)
                .weight(enable_scoring)?;
            speakers.push(SpeakerWeight {
                term: term.clone(),
                weight,
                bm25,
            });
        }
        Ok(Box::new(EvidenceWeight {
            words: self.words.weight(enable_scoring)?,
            evidence: Arc::clone(&self.evidence),
            speakers,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.words.query_terms(visitor);
    }
}

struct SpeakerWeight {
    term: Term,
    weight: Box<dyn Weight>,
    /// `None` when the search does not score.
    bm25: Option<Bm25Weight>,
}

impl SpeakerWeight {
    /// No passage of the segment scores more on this name (before boosts).
    fn ceiling(&self, reader: &SegmentReader, scores: &NameScores) -> Score {
        let Some(bm25) = &self.bm25 else {
            return 0.0;
        };
        match scores.pairs(reader, &self.term) {
            Some(pairs) => pairs
                .iter()
                .map(|&(norm, count)| bm25.score(norm, count))
                .fold(0.0, Score::max),
            // BM25's own ceiling: any count, the shortest field.
            None => bm25.max_score(),
        }
    }
}

struct EvidenceWeight {
    words: Box<dyn Weight>,
    evidence: Arc<Evidence>,
    speakers: Vec<SpeakerWeight>,
}

impl EvidenceWeight {
    /// The evidence in one segment, scaled by `boost`; `None` when no
    /// passage of the segment can have a bonus.
    fn in_segment(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<SegmentEvidence>> {
        let metadata = self.evidence.tables_in(reader, boost);
        let mut max = metadata.as_ref().map_or(0.0, |m| m.max);
        let mut speakers = Vec::new();
        let speaker_boost = boost * self.evidence.speaker_weight;
        for speaker in &self.speakers {
            let scorer = speaker.weight.scorer(reader, speaker_boost)?;
            if scorer.doc() != TERMINATED {
                // A hair above the bound: the scorer multiplies in
                // another order, and a bound a rounding low could prune a
                // passage that belongs in the top hits.
                max += speaker.ceiling(reader, &self.evidence.name_scores) * speaker_boost * 1.0001;
                speakers.push(scorer);
            }
        }
        Ok(
            (metadata.is_some() || !speakers.is_empty()).then_some(SegmentEvidence {
                metadata,
                speakers,
                max,
            }),
        )
    }
}

impl Weight for EvidenceWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let words = self.words.scorer(reader, boost)?;
        Ok(match self.in_segment(reader, boost)? {
            Some(evidence) => Box::new(EvidenceScorer { words, evidence }),
            None => words,
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let words = self.words.explain(reader, doc)?;
        let bonus = self
            .in_segment(reader, 1.0)?
            .map_or(0.0, |mut e| e.bonus(doc));
        let mut explanation =
            Explanation::new("words and metadata evidence", words.value() + bonus);
        explanation.add_detail(words);
        explanation.add_detail(Explanation::new("metadata evidence", bonus));
        Ok(explanation)
    }

    /// The evidence never adds a match: the words' count is the count.
    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.words.count(reader)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.words.for_each_no_score(reader, callback)
    }

    /// Top-k collection. When few passages of the segment may have a
    /// bonus (those of the episodes and chapters with evidence, and those
    /// said by the speakers named), in two passes: first those, each
    /// scored with its bonus; then the words' own pruning over the others,
    /// which have none, at the real threshold. Otherwise the words' own
    /// pruning over all of them, at the threshold less the largest bonus.
    ///
    /// Pruning every passage at the lowered threshold kept nearly all of
    /// them as candidates when a word is also in a title or a name
    /// (`Mistral` on a 1 GB corpus: 6.9 ms, 2.2 ms in two passes); scoring
    /// the passages with a bonus one by one costs more when they are many
    /// and the bonus small (`Pierre`, said by many Pierres: 1.0 ms, 1.8 ms).
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(mut evidence) = self.in_segment(reader, 1.0)? else {
            return self.words.for_each_pruning(threshold, reader, callback);
        };
        let Some(with_bonus) = self.documents_with_bonus(reader, &evidence)? else {
            let max = evidence.max;
            return self
                .words
                .for_each_pruning(threshold - max, reader, &mut |doc, score| {
                    let score = score + evidence.bonus(doc);
                    callback(doc, score) - max
                });
        };
        // 1. The passages that may have a bonus, as the words match them,
        // each scored with its bonus.
        let candidates = ConstScorer::new(BitSetDocSet::from(with_bonus.clone()), 0.0);
        let words = EvidenceScorer {
            words: self.words.scorer(reader, 1.0)?,
            evidence,
        };
        let mut threshold = intersect(Box::new(candidates), Box::new(words), threshold, callback);
        // 2. The others, whose bonus is nil.
        self.words
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if !with_bonus.contains(doc) {
                    threshold = callback(doc, score);
                }
                threshold
            })
    }
}

/// Passages that may have a bonus are scored one by one while they are at
/// most a quarter of a segment's.
const MAX_BONUS_SHARE_DIVISOR: u64 = 4;

impl EvidenceWeight {
    /// The documents of the segment that may have a bonus: those of the
    /// episodes and chapters with evidence, and those said by the speakers
    /// named. `None` when they are more than a quarter of the segment's
    /// (then scoring them one by one would cost more than it saves).
    fn documents_with_bonus(
        &self,
        reader: &SegmentReader,
        evidence: &SegmentEvidence,
    ) -> tantivy::Result<Option<BitSet>> {
        let most = u64::from(reader.max_doc()) / MAX_BONUS_SHARE_DIVISOR;
        let mut said = Vec::with_capacity(self.speakers.len());
        for speaker in &self.speakers {
            said.push(speaker.weight.scorer(reader, 1.0)?);
        }
        // The names' passages are counted before any is read.
        let named: u64 = said.iter().map(|s| u64::from(s.size_hint())).sum();
        if named > most {
            return Ok(None);
        }
        let mut with_bonus = BitSet::with_max_value(reader.max_doc());
        if let Some(metadata) = &evidence.metadata
            && !metadata.mark_documents(&mut with_bonus, most.saturating_sub(named))
        {
            return Ok(None);
        }
        for mut scorer in said {
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                with_bonus.insert(doc);
                doc = scorer.advance();
            }
        }
        Ok(Some(with_bonus))
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
        let doc = self.words.doc();
        self.words.score() + self.evidence.bonus(doc)
    }
}
