//! The benchmark run: generate a corpus (or reuse it), index it end to end,
//! time the indexing of parsed episodes alone, reopen the index, and time a
//! fixed mix of queries.

use super::baseline;
use super::generator::{Chain, generate, seed_texts};
use super::verification::{VerificationCheck, check};

/// How to run the benchmark.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Work directory: the generated corpus and its index go inside.
    pub dir: std::path::PathBuf,
    /// Corpus size to generate, in megabytes (10^6 bytes).
    pub megabytes: u64,
    /// Times each query of the mix is run.
    pub rounds: usize,
    /// Generator seed.
    pub seed: u64,
    /// Indexing threads (0: default).
    pub threads: usize,
    /// Corpus sentences (and fabricated ones) the verification check verifies (0: skip it).
    pub verify_samples: usize,
}

/// Latency figures for one query.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueryTiming {
    pub class: &'static str,
    pub query: String,
    pub total_hits: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub notes: Vec<String>,
    /// The plain-tantivy baseline on the same query words (no filter, no
    /// fuzzy or name expansion): its match count and latencies.
    pub baseline_hits: usize,
    pub baseline_p50_ms: f64,
    pub baseline_p99_ms: f64,
    /// verbatim's p50 over the baseline's: how many times slower.
    pub p50_ratio: f64,
}

/// The plain-tantivy baseline, measured in the same run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BaselineReport {
    /// Passages indexed (the same texts as verbatim's).
    pub documents: u64,
    /// Passage text indexed, bytes.
    pub text_bytes: u64,
    /// Reading the texts, indexing them and committing, seconds.
    pub index_seconds: f64,
    /// Writer threads and memory budget (the same as verbatim's).
    pub writer_threads: usize,
    pub writer_memory_bytes: usize,
    /// verbatim's end-to-end indexing speed relative to the baseline's
    /// (baseline seconds over verbatim seconds: 1.0 is as fast).
    pub index_speed_ratio: f64,
    pub all_p50_ms: f64,
    pub all_p99_ms: f64,
    /// verbatim's whole-mix p50 and p99 over the baseline's.
    pub p50_ratio: f64,
    pub p99_ratio: f64,
}

/// What the benchmark measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub corpus_bytes: u64,
    pub files: usize,
    pub generate_seconds: f64,
    pub episodes: usize,
    pub passages: u64,
    pub index_seconds: f64,
    pub index_mb_per_s: f64,
    pub index_bytes: u64,
    /// Indexing the already-parsed episodes in memory (no parsing, no disk).
    pub index_only_seconds: f64,
    /// Passage text indexed per second in that run, MB.
    pub index_only_mb_per_s: f64,
    pub reopen_ms: f64,
    pub queries: Vec<QueryTiming>,
    pub all_p50_ms: f64,
    pub all_p99_ms: f64,
    pub all_max_ms: f64,
    /// Sampled sentences verified against the corpus (absent when skipped).
    pub verification: Option<VerificationCheck>,
    pub baseline: BaselineReport,
}

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("generating the corpus in {path}: {source}")]
    Generate {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    #[error(transparent)]
    Search(#[from] crate::index::SearchError),
    #[error("verification check: {0}")]
    Verify(#[from] crate::answers::verify::VerifyError),
    #[error("plain-tantivy baseline in {path}: {message}")]
    Baseline {
        path: std::path::PathBuf,
        message: String,
    },
}

/// The fixed query mix: terms, accent-less words, phrases (one of stop words
/// only), names as people type them (ASR spellings in the text), filters.
fn query_mix(first_episode: &str) -> Vec<(&'static str, crate::index::SearchRequest)> {
    use crate::index::SearchRequest;
    let q = |query: &str| SearchRequest {
        query: query.into(),
        limit: 10,
        ..SearchRequest::default()
    };
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    vec![
        ("term", q("souveraineté")),
        ("term", q("Mistral")),
        ("term", q("cloud")),
        ("terms", q("intelligence artificielle Europe")),
        ("terms", q("securite des donnees")),
        ("terms", q("base de données corruption")),
        ("phrase", q("\"je ne sais pas\"")),
        ("phrase", q("\"logiciel libre\"")),
        ("phrase", q("\"de la\"")),
        ("name", q("Arthur Mensch")),
        ("name", q("Jean-Baptiste Kempf")),
        ("name", q("Constantin Pavleas")),
        (
            "filter",
            SearchRequest {
                speaker: Some("SPEAKER_01".into()),
                ..q("modèles")
            },
        ),
        (
            "filter",
            SearchRequest {
                show: Some("smart tech".into()),
                ..q("IA")
            },
        ),
        (
            "filter",
            SearchRequest {
                published_after: date(2021, 1, 1),
                published_before: date(2022, 12, 31),
                ..q("cloud")
            },
        ),
        (
            "filter",
            SearchRequest {
                episode_id: Some(first_episode.into()),
                ..q("la")
            },
        ),
    ]
}

pub(super) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted
        .get(rank.min(sorted.len() - 1))
        .copied()
        .unwrap_or(0.0)
}

/// Generates (once) the corpus, builds its index from scratch, reopens it,
/// and times the query mix. `log` receives progress lines.
pub fn run(
    options: &BenchOptions,
    progress: Option<crate::index::ProgressFn>,
    log: &mut dyn FnMut(&str),
) -> Result<BenchReport, BenchError> {
    use crate::index::{IndexOptions, open_or_build};
    use crate::ingest::SourceFiles;
    use std::time::Instant;

    let corpus_dir = options
        .dir
        .join(format!("corpus-{}mb-{}", options.megabytes, options.seed));
    let marker = corpus_dir.join(".complete");
    let gen_err = |source| BenchError::Generate {
        path: corpus_dir.clone(),
        source,
    };
    // The chain writes the corpus and, later, the fabricated quotes.
    let chain = Chain::train(&seed_texts().unwrap_or_default());
    let started = Instant::now();
    if !marker.exists() {
        log(&format!(
            "generating {} MB in {}",
            options.megabytes,
            corpus_dir.display()
        ));
        let _ = std::fs::remove_dir_all(&corpus_dir);
        generate(
            &corpus_dir,
            &chain,
            options.megabytes * 1_000_000,
            options.seed,
        )
        .map_err(gen_err)?;
        std::fs::write(&marker, b"done").map_err(gen_err)?;
    }
    let generate_seconds = started.elapsed().as_secs_f64();

    let index_root = options.dir.join("index");
    let _ = std::fs::remove_dir_all(&index_root);
    let index_options = IndexOptions {
        index_dir: Some(index_root),
        writer_threads: options.threads,
        progress,
        ..IndexOptions::default()
    };
    let source = SourceFiles::new(crate::ingest::CorpusSource::Dir(corpus_dir.clone()));
    log("indexing");
    let built = open_or_build(&source, &index_options)?.report;
    let reopen_started = Instant::now();
    let opened = open_or_build(
        &source,
        &IndexOptions {
            progress: None,
            ..index_options
        },
    )?;
    let (corpus, index, reopened) = (opened.corpus, opened.index, opened.report);
    let reopen_ms = reopen_started.elapsed().as_secs_f64() * 1000.0;
    log(&format!(
        "reopened ({:?}) in {reopen_ms:.1} ms",
        reopened.action
    ));

    // The same episodes, already parsed: what the index alone costs.
    // (Read back from the passage files: the served corpus keeps only headers.)
    let episodes = corpus
        .to_episodes()
        .map_err(|e| crate::index::IndexError::Source(e.to_string()))?;
    let text_bytes: u64 = episodes
        .iter()
        .flat_map(|e| &e.passages)
        .map(|p| p.text.len() as u64)
        .sum();
    let verification = if options.verify_samples > 0 {
        log(&format!(
            "verifying {} sampled sentences and {} fabricated ones",
            options.verify_samples, options.verify_samples
        ));
        let found = check(
            &corpus,
            &index,
            &episodes,
            &chain,
            options.verify_samples,
            options.seed,
        )?;
        log(&format!(
            "verification: {} of {} exact",
            found.exact,
            found.exact + found.missed
        ));
        Some(found)
    } else {
        None
    };
    let episodes_for_baseline: Vec<String> = episodes
        .iter()
        .flat_map(|e| &e.passages)
        .map(|p| p.text.clone())
        .collect();
    let parsed = crate::ingest::EpisodeSet::new("bench-parsed", episodes);
    let only_started = Instant::now();
    let memory = IndexOptions {
        in_memory: true,
        writer_threads: options.threads,
        ..IndexOptions::default()
    };
    drop(open_or_build(&parsed, &memory)?);
    let index_only_seconds = only_started.elapsed().as_secs_f64();
    drop(parsed);
    log(&format!("index only: {index_only_seconds:.1} s"));

    // The plain-tantivy baseline: the same texts, analyzer, threads and budget.
    let baseline_dir = options.dir.join("baseline");
    let baseline_err = |e: &dyn std::fmt::Display| BenchError::Baseline {
        path: baseline_dir.clone(),
        message: e.to_string(),
    };
    let texts_file = options.dir.join("baseline-texts.txt");
    let baseline_text_bytes = baseline::write_texts(
        &texts_file,
        episodes_for_baseline.iter().map(String::as_str),
    )
    .map_err(|e| baseline_err(&e))?;
    drop(episodes_for_baseline);
    let (writer_threads, writer_memory) = crate::index::store::writer_budget(&memory);
    log("indexing the plain-tantivy baseline");
    let plain = baseline::build(&texts_file, &baseline_dir, writer_threads, writer_memory)
        .map_err(|e| baseline_err(&e))?;
    let _ = std::fs::remove_file(&texts_file);
    log(&format!(
        "baseline: {} passages in {:.1} s",
        plain.documents, plain.index_seconds
    ));
    let plain_searcher = plain.searcher().map_err(|e| baseline_err(&e))?;

    let first = corpus
        .headers()
        .first()
        .map(|h| h.id().to_string())
        .unwrap_or_default();
    let mut queries = Vec::new();
    let mut all = Vec::new();
    let mut all_plain = Vec::new();
    for (class, request) in query_mix(&first) {
        // One untimed run each warms the caches (and the lazily built metadata terms).
        let warm = index.search(&corpus, &request)?;
        let (baseline_hits, _) = plain_searcher
            .search(&request.query, request.limit)
            .map_err(|e| baseline_err(&e))?;
        let mut samples = Vec::with_capacity(options.rounds);
        let mut plain_samples = Vec::with_capacity(options.rounds);
        // Alternated, so that both sides see the same load.
        for _ in 0..options.rounds.max(1) {
            let t = Instant::now();
            let r = index.search(&corpus, &request)?;
            std::hint::black_box(&r);
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let r = plain_searcher
                .search(&request.query, request.limit)
                .map_err(|e| baseline_err(&e))?;
            std::hint::black_box(&r);
            plain_samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        samples.sort_by(|a, b| a.total_cmp(b));
        plain_samples.sort_by(|a, b| a.total_cmp(b));
        all.extend(samples.iter().copied());
        all_plain.extend(plain_samples.iter().copied());
        let p50_ms = percentile(&samples, 50.0);
        let baseline_p50_ms = percentile(&plain_samples, 50.0);
        queries.push(QueryTiming {
            class,
            query: describe(&request),
            total_hits: warm.total_hits,
            p50_ms,
            p99_ms: percentile(&samples, 99.0),
            max_ms: samples.last().copied().unwrap_or(0.0),
            notes: warm.notes,
            baseline_hits,
            baseline_p50_ms,
            baseline_p99_ms: percentile(&plain_samples, 99.0),
            p50_ratio: p50_ms / baseline_p50_ms.max(1e-6),
        });
    }
    all.sort_by(|a, b| a.total_cmp(b));
    all_plain.sort_by(|a, b| a.total_cmp(b));
    let (all_p50_ms, all_p99_ms) = (percentile(&all, 50.0), percentile(&all, 99.0));
    let (plain_p50, plain_p99) = (percentile(&all_plain, 50.0), percentile(&all_plain, 99.0));
    let baseline = BaselineReport {
        documents: plain.documents,
        text_bytes: baseline_text_bytes,
        index_seconds: plain.index_seconds,
        writer_threads,
        writer_memory_bytes: writer_memory,
        index_speed_ratio: plain.index_seconds / built.seconds.max(1e-9),
        all_p50_ms: plain_p50,
        all_p99_ms: plain_p99,
        p50_ratio: all_p50_ms / plain_p50.max(1e-6),
        p99_ratio: all_p99_ms / plain_p99.max(1e-6),
    };
    Ok(BenchReport {
        corpus_bytes: built.bytes_read,
        files: built.reindexed.len(),
        generate_seconds,
        episodes: built.episodes,
        passages: built.passages,
        index_seconds: built.seconds,
        index_mb_per_s: built.bytes_read as f64 / 1e6 / built.seconds.max(1e-9),
        index_bytes: built.index_bytes,
        index_only_seconds,
        index_only_mb_per_s: text_bytes as f64 / 1e6 / index_only_seconds.max(1e-9),
        reopen_ms,
        queries,
        all_p50_ms,
        all_p99_ms,
        all_max_ms: all.last().copied().unwrap_or(0.0),
        verification,
        baseline,
    })
}

fn describe(r: &crate::index::SearchRequest) -> String {
    let mut s = r.query.clone();
    for (name, v) in [
        ("speaker", &r.speaker),
        ("show", &r.show),
        ("episode", &r.episode_id),
    ] {
        if let Some(v) = v {
            s.push_str(&format!(" [{name}={v}]"));
        }
    }
    if r.published_after.is_some() || r.published_before.is_some() {
        s.push_str(" [dates]");
    }
    s
}
