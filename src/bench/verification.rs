//! The benchmark's verification check: sentences sampled across a large
//! corpus are verified as written and again without accents or punctuation,
//! and must come back `exact` with an excerpt that says those words; the
//! generator's fabricated sentences are verified too, and their verdicts
//! counted. It measures that the candidate search cannot miss at scale, and
//! what a verification costs.

use super::generator::{Chain, Rng};
use crate::answers::verify::{Verdict, verify_quote};
use crate::corpus::Corpus;
use crate::index::SearchIndex;
use crate::model::Episode;
use crate::text::sentences::sentences;
use crate::text::words;
use std::time::Instant;

/// Sentences shorter than this (in words) are not sampled: the issue's
/// promise covers sentences of three words or more.
const MIN_WORDS: usize = 3;

/// How many failures the report spells out.
const SHOWN_FAILURES: usize = 10;

/// What the verification check found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct VerificationCheck {
    /// Corpus sentences checked (each twice: as written, and folded).
    pub sentences: usize,
    /// Verifications of corpus sentences that came back `exact` with an
    /// excerpt saying the same words.
    pub exact: usize,
    /// Verifications of corpus sentences that did not (should be 0).
    pub missed: usize,
    /// The first few misses: `episode: "quote" -> verdict`.
    pub misses: Vec<String>,
    /// Fabricated sentences (the generator's chain, never written to the corpus) checked.
    pub fabricated: usize,
    /// Their verdicts: how many came back `exact`, `close`, `altered`, `not_said`.
    pub fabricated_verdicts: [usize; 4],
    /// Latency of one verification, over every call above.
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Words of `text`, lower-cased without accents: how "says those words" is compared.
fn folded(text: &str) -> Vec<String> {
    words(text).into_iter().map(|w| w.folded).collect()
}

/// Picks about `wanted` sentences spread evenly over `episodes` (one random
/// sentence of a random passage per chosen episode), deterministically.
fn sample_sentences(episodes: &[Episode], wanted: usize, rng: &mut Rng) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(wanted);
    if episodes.is_empty() {
        return out;
    }
    for i in 0..wanted {
        let Some(episode) = episodes.get(i * episodes.len() / wanted.max(1)) else {
            break;
        };
        // A few tries: a passage may hold only short sentences.
        for _ in 0..8 {
            let Some(passage) = rng.pick(&episode.passages) else {
                break;
            };
            let long: Vec<&str> = sentences(&passage.text)
                .into_iter()
                .filter(|s| folded(s).len() >= MIN_WORDS)
                .collect();
            if let Some(sentence) = rng.pick(&long) {
                out.push((episode.episode_id.clone(), (*sentence).to_string()));
                break;
            }
        }
    }
    out
}

fn verdict_slot(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Exact => 0,
        Verdict::Close => 1,
        Verdict::Altered => 2,
        Verdict::NotSaid => 3,
    }
}

/// Verifies `samples` corpus sentences (as written and folded) and as many
/// fabricated sentences from `chain`, and times each call.
pub fn check(
    corpus: &Corpus,
    index: &SearchIndex,
    episodes: &[Episode],
    chain: &Chain,
    samples: usize,
    seed: u64,
) -> Result<VerificationCheck, crate::answers::verify::VerifyError> {
    let mut rng = Rng::new(seed ^ 0x5EED_CAFE);
    let mut report = VerificationCheck::default();
    let mut times = Vec::new();
    for (episode_id, sentence) in sample_sentences(episodes, samples, &mut rng) {
        report.sentences += 1;
        let wanted = folded(&sentence);
        for quote in [sentence.clone(), wanted.join(" ")] {
            let started = Instant::now();
            let verification = verify_quote(corpus, index, &quote, None)?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let said = verification.best_match.as_ref().map(|m| folded(&m.excerpt));
            if verification.verdict == Verdict::Exact && said.as_ref() == Some(&wanted) {
                report.exact += 1;
            } else {
                report.missed += 1;
                if report.misses.len() < SHOWN_FAILURES {
                    report.misses.push(format!(
                        "{episode_id}: {quote:?} -> {:?}",
                        verification.verdict
                    ));
                }
            }
        }
    }
    for _ in 0..samples {
        let sentence = chain.sentence(&mut rng);
        if folded(&sentence).len() < MIN_WORDS {
            continue;
        }
        report.fabricated += 1;
        let started = Instant::now();
        let verification = verify_quote(corpus, index, &sentence, None)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(slot) = report
            .fabricated_verdicts
            .get_mut(verdict_slot(verification.verdict))
        {
            *slot += 1;
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    report.p50_ms = super::runner::percentile(&times, 50.0);
    report.p99_ms = super::runner::percentile(&times, 99.0);
    report.max_ms = times.last().copied().unwrap_or(0.0);
    Ok(report)
}
