//! One query word and its fuzzy variants, scored as the sum of their BM25
//! (a variant's scaled down, and every one as common as the group's most
//! common term), seekable without buffering.
//!
//! Tantivy scores a union of terms with a buffered union: it sums the
//! terms' scores over windows of 4 096 documents. That suits walking every
//! match, and tantivy still prunes such a union (block-max WAND), which
//! this query keeps. But a seek past the window refills the next window
//! whole: seeking the union to a few documents spread over a segment (the
//! passages with a metadata bonus, the matches of a rarer word it is
//! intersected with) scores nearly every match of every variant. Here a
//! seek moves each term to its target and only the document reached is
//! scored.

use std::fmt;
use std::sync::Arc;
use tantivy::query::{
    Bm25StatisticsProvider, BooleanWeight, BoostWeight, EmptyScorer, EnableScoring, Explanation,
    Occur, Query, Scorer, SumCombiner, TermQuery, Weight,
};
use tantivy::schema::Field;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// A word and its variants, each with the boost it is scored under (the
/// word's own is 1).
#[derive(Clone, Debug)]
pub(crate) struct VariantsQuery {
    terms: Vec<(Term, Score)>,
}

impl VariantsQuery {
    pub(crate) fn new(terms: Vec<(Term, Score)>) -> Self {
        Self { terms }
    }
}

/// Statistics under which every term of a word's group counts as common as
/// the group's most common term (Lucene's blended frequency). A variant is
/// mostly a slip of speech recognition, so it is rare, and BM25 would score
/// it higher than the word asked for: "modem" (a handful of passages) above
/// "modèles" (hundreds). Blended, a passage with a variant scores what it
/// would with the word, times the variant's boost.
struct Blended<'a> {
    corpus: &'a dyn Bm25StatisticsProvider,
    doc_freq: u64,
}

impl<'a> Blended<'a> {
    /// The statistics of `corpus`, with every term as common as the most
    /// common of `terms`.
    fn of(
        terms: &[(Term, Score)],
        corpus: &'a dyn Bm25StatisticsProvider,
    ) -> tantivy::Result<Self> {
        let mut doc_freq = 0;
        for (term, _) in terms {
            doc_freq = doc_freq.max(corpus.doc_freq(term)?);
        }
        Ok(Self { corpus, doc_freq })
    }
}

impl Bm25StatisticsProvider for Blended<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.corpus.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.corpus.total_num_docs()
    }

    fn doc_freq(&self, _term: &Term) -> tantivy::Result<u64> {
        Ok(self.doc_freq)
    }
}

impl Query for VariantsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let blended;
        let enable_scoring = match enable_scoring {
            EnableScoring::Enabled {
                searcher,
                statistics_provider,
            } => {
                blended = Blended::of(&self.terms, statistics_provider)?;
                EnableScoring::enabled_from_statistics_provider(&blended, searcher)
            }
            disabled => disabled,
        };
        let mut terms = Vec::with_capacity(self.terms.len());
        let mut clauses: Vec<(Occur, Box<dyn Weight>)> = Vec::with_capacity(self.terms.len());
        for (term, boost) in &self.terms {
            let weight: Arc<dyn Weight> = Arc::from(
                TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)
                    .weight(enable_scoring)?,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostWeight::new(
                    Box::new(SharedWeight(Arc::clone(&weight))),
                    *boost,
                )),
            ));
            terms.push((weight, *boost));
        }
        let union = BooleanWeight::with_minimum_number_should_match(
            clauses,
            1,
            enable_scoring.is_scoring_enabled(),
            Box::new(SumCombiner::default),
        );
        Ok(Box::new(VariantsWeight { terms, union }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

/// A term's weight, shared between the union tantivy prunes and the
/// seekable scorer.
struct SharedWeight(Arc<dyn Weight>);

impl Weight for SharedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.0.count(reader)
    }
}

struct VariantsWeight {
    /// Each term's weight and boost, in the union's order.
    terms: Vec<(Arc<dyn Weight>, Score)>,
    /// The same terms as tantivy's own union: its pruning, counting and
    /// explanations.
    union: BooleanWeight<SumCombiner>,
}

impl Weight for VariantsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.terms.len());
        for (weight, term_boost) in &self.terms {
            let scorer = weight.scorer(reader, boost * term_boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            // A bare term scorer: what tantivy's own pruning recognises.
            1 => scorers.pop().unwrap_or_else(|| Box::new(EmptyScorer)),
            _ => Box::new(VariantsScorer::new(scorers, reader.max_doc())),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.union.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.union.count(reader)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.union.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.union.for_each_pruning(threshold, reader, callback)
    }
}

/// The documents of any of the terms, each scored as the sum of the
/// scores of the terms it has, in the terms' order (as tantivy's union
/// sums them).
struct VariantsScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
    /// Documents in the segment, for the size estimate.
    max_doc: u32,
}

impl VariantsScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>, max_doc: u32) -> Self {
        let doc = first_doc(&scorers);
        Self {
            scorers,
            doc,
            max_doc,
        }
    }
}

fn first_doc(scorers: &[Box<dyn Scorer>]) -> DocId {
    scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED)
}

impl DocSet for VariantsScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for scorer in &mut self.scorers {
            if scorer.doc() == current {
                scorer.advance();
            }
        }
        self.doc = first_doc(&self.scorers);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        for scorer in &mut self.scorers {
            if scorer.doc() < target {
                scorer.seek(target);
            }
        }
        self.doc = first_doc(&self.scorers);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// As tantivy estimates a union's: the terms' documents as if
    /// independent.
    fn size_hint(&self) -> u32 {
        if self.max_doc == 0 {
            return 0;
        }
        let n = f64::from(self.max_doc);
        let none = self
            .scorers
            .iter()
            .map(|s| 1.0 - (f64::from(s.size_hint()) / n).min(1.0))
            .product::<f64>();
        (n * (1.0 - none)).round() as u32
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for VariantsScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut sum: Score = 0.0;
        for scorer in &mut self.scorers {
            if scorer.doc() == doc {
                sum += scorer.score();
            }
        }
        sum
    }
}

impl fmt::Debug for VariantsScorer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VariantsScorer")
            .field("terms", &self.scorers.len())
            .field("doc", &self.doc)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    /// Three words over 20 000 documents in one segment, each document
    /// with some of them, repeated to vary the scores.
    fn index() -> (Index, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for i in 0u32..20_000 {
            let mut words = String::from("filler");
            for (word, every) in [("modele", 3), ("modeles", 7), ("modem", 11)] {
                if i % every == 0 {
                    for _ in 0..=(i % 4) {
                        words.push(' ');
                        words.push_str(word);
                    }
                }
            }
            let mut doc = TantivyDocument::default();
            doc.add_text(text, &words);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, text)
    }

    fn terms(text: tantivy::schema::Field) -> Vec<(Term, Score)> {
        vec![
            (Term::from_field_text(text, "modele"), 1.0),
            (Term::from_field_text(text, "modeles"), 0.6),
            (Term::from_field_text(text, "modem"), 0.6),
        ]
    }

    /// tantivy's own union of the same terms.
    fn union(text: tantivy::schema::Field) -> BooleanQuery {
        BooleanQuery::new(
            terms(text)
                .into_iter()
                .map(|(term, boost)| {
                    let query: Box<dyn Query> = Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                        boost,
                    ));
                    (Occur::Should, query)
                })
                .collect(),
        )
    }

    #[test]
    fn seeks_and_scores_as_tantivys_union_does() {
        let (index, text) = index();
        let searcher = index.reader().unwrap().searcher();
        let reader = searcher.segment_reader(0);
        let ours = VariantsQuery::new(terms(text))
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        // Tantivy's union under the blended statistics.
        let blended = Blended::of(&terms(text), &searcher).unwrap();
        let theirs = union(text)
            .weight(EnableScoring::enabled_from_statistics_provider(
                &blended, &searcher,
            ))
            .unwrap();
        // Every document, by advancing.
        let (mut a, mut b) = (
            ours.scorer(reader, 1.0).unwrap(),
            theirs.scorer(reader, 1.0).unwrap(),
        );
        let mut matched = 0;
        while b.doc() != TERMINATED {
            assert_eq!(a.doc(), b.doc());
            assert_eq!(a.score(), b.score(), "doc {}", a.doc());
            matched += 1;
            a.advance();
            b.advance();
        }
        assert_eq!(a.doc(), TERMINATED);
        assert!(matched > 9_000, "{matched}");
        // Documents far apart, by seeking: the case this scorer is for.
        let (mut a, mut b) = (
            ours.scorer(reader, 1.0).unwrap(),
            theirs.scorer(reader, 1.0).unwrap(),
        );
        for target in (5..20_000).step_by(4_999).chain([19_999, 20_000]) {
            assert_eq!(a.seek(target), b.seek(target), "seek {target}");
            if a.doc() != TERMINATED {
                assert_eq!(a.score(), b.score(), "doc {}", a.doc());
            }
        }
    }

    #[test]
    fn ranks_and_counts_as_tantivys_union_does() {
        let (index, text) = index();
        let searcher = index.reader().unwrap().searcher();
        let collector = (TopDocs::with_limit(20).order_by_score(), Count);
        let (ours, our_count) = searcher
            .search(&VariantsQuery::new(terms(text)), &collector)
            .unwrap();
        let blended = Blended::of(&terms(text), &searcher).unwrap();
        let (theirs, their_count) = searcher
            .search_with_statistics_provider(&union(text), &collector, &blended)
            .unwrap();
        assert_eq!(our_count, their_count);
        assert_eq!(ours, theirs);
    }

    #[test]
    fn a_rare_variant_scores_as_the_word_would_times_its_boost() {
        // "modem" is in a third as many documents as "modele": on its own
        // statistics it would score higher than the word asked for.
        let (index, text) = index();
        let searcher = index.reader().unwrap().searcher();
        let reader = searcher.segment_reader(0);
        let weight = VariantsQuery::new(terms(text))
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let score_of = |doc: DocId| {
            let mut scorer = weight.scorer(reader, 1.0).unwrap();
            assert_eq!(scorer.seek(doc), doc);
            scorer.score()
        };
        // Documents 44 ("modem" once: 44 % 4 == 0) and 12 ("modele" once),
        // each with "filler": the same length and frequency.
        let (variant, word) = (score_of(44), score_of(12));
        assert!((variant / word - 0.6).abs() < 1e-4, "{variant} / {word}");
        let modem = Term::from_field_text(text, "modem");
        let modele = Term::from_field_text(text, "modele");
        assert!(searcher.doc_freq(&modem).unwrap() < searcher.doc_freq(&modele).unwrap());
    }
}
