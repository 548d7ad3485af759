//! The index commands: `verbatim index`, `verbatim search` and the hidden
//! `verbatim bench`. Results go to stdout, progress and summaries to stderr.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use verbatim::corpus::CorpusSource;
use verbatim::index::corpus_files::SourceFiles;
use verbatim::index::{BuildProgress, IndexAction, IndexOptions, IndexReport, SearchIndex};
use verbatim::search::{QuoteSearch, SearchRequest, SearchResults};

#[derive(Debug, Args)]
pub struct IndexArgs {}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "exact phrases", names (accents and spelling are tolerated).
    pub query: String,
    /// Only this episode (its id, as `verbatim episodes` lists it).
    #[arg(long, value_name = "ID")]
    pub episode: Option<String>,
    /// Only this speaker: a name, an alias or a label such as SPEAKER_01.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Only this show.
    #[arg(long, value_name = "SHOW")]
    pub show: Option<String>,
    /// Only this chapter (an index from 0; use with --episode).
    #[arg(long, value_name = "N")]
    pub chapter: Option<usize>,
    /// Only episodes published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub after: Option<chrono::NaiveDate>,
    /// Only episodes published on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub before: Option<chrono::NaiveDate>,
    /// Hits to show (1-100).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print `{query, total_hits, hits}` as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Work folder for the generated corpus and its index.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Size of the generated corpus in MB.
    #[arg(long, default_value_t = 100)]
    pub mb: u64,
    /// Runs of each query.
    #[arg(long, default_value_t = 30)]
    pub rounds: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Indexing threads (0: default).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Prints build progress to stderr at most every two seconds.
fn progress_printer() -> verbatim::index::ProgressFn {
    let last = Mutex::new(Instant::now());
    Arc::new(move |p: &BuildProgress| {
        let Ok(mut last) = last.lock() else { return };
        if last.elapsed() >= Duration::from_secs(2)
            || p.files_done == p.files_total && p.files_total > 50
        {
            *last = Instant::now();
            eprintln!(
                "indexing: {}/{} files, {:.1}/{:.1} MB, {} passages",
                p.files_done,
                p.files_total,
                p.bytes_done as f64 / 1e6,
                p.bytes_total as f64 / 1e6,
                p.passages
            );
        }
    })
}

pub(crate) fn open(
    corpus: &CorpusSource,
    index_dir: Option<PathBuf>,
) -> anyhow::Result<(SearchIndex, IndexReport)> {
    let options = IndexOptions {
        index_dir,
        progress: Some(progress_printer()),
        ..IndexOptions::default()
    };
    SearchIndex::open_or_build(&SourceFiles::new(corpus.clone()), &options)
        .with_context(|| format!("cannot open the index of {}", corpus.describe()))
}

/// `verbatim index`: builds or updates the index and prints a summary on stderr.
pub fn index(
    corpus: &CorpusSource,
    index_dir: Option<PathBuf>,
    _args: IndexArgs,
) -> anyhow::Result<String> {
    let (index, report) = open(corpus, index_dir)?;
    let what = match report.action {
        IndexAction::Opened => "up to date",
        IndexAction::Updated => "updated",
        IndexAction::Built => "built",
        IndexAction::InMemory => "built in memory (not saved)",
    };
    eprintln!(
        "index {what}: {} episodes, {} passages, {} file(s) read ({:.1} MB), index {:.1} MB, {:.2} s",
        report.episodes,
        report.passages,
        report.reindexed.len(),
        report.bytes_read as f64 / 1e6,
        report.index_bytes as f64 / 1e6,
        report.seconds
    );
    if let Some(reason) = &report.reason {
        eprintln!("  ({reason})");
    }
    if !report.removed.is_empty() {
        eprintln!("  removed: {}", report.removed.join(", "));
    }
    for problem in &index.corpus().problems {
        eprintln!("  skipped {}: {}", problem.path, problem.reason);
    }
    if let Some(location) = &report.location {
        eprintln!("  at {}", location.display());
    }
    Ok(String::new())
}

/// `verbatim search`: one quote search, readable or JSON.
pub fn search(
    corpus: &CorpusSource,
    index_dir: Option<PathBuf>,
    args: SearchArgs,
) -> anyhow::Result<String> {
    let (index, report) = open(corpus, index_dir)?;
    if report.action != IndexAction::Opened {
        eprintln!(
            "index {:?}: {} episodes, {} passages in {:.2} s",
            report.action, report.episodes, report.passages, report.seconds
        );
    }
    let request = SearchRequest {
        query: args.query,
        episode_id: args.episode,
        speaker: args.speaker,
        show: args.show,
        chapter: args.chapter,
        published_after: args.after,
        published_before: args.before,
        limit: args.limit,
        offset: args.offset,
    };
    let results = index.search(&request)?;
    if args.json {
        let mut json = serde_json::to_string_pretty(&results)?;
        json.push('\n');
        return Ok(json);
    }
    Ok(readable(&results, args.offset))
}

fn readable(results: &SearchResults, offset: usize) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for note in &results.notes {
        let _ = writeln!(out, "note: {note}");
    }
    let _ = writeln!(
        out,
        "{}{} passage(s) match {:?}",
        if results.total_is_lower_bound {
            "at least "
        } else {
            ""
        },
        results.total_hits,
        results.query
    );
    for (i, hit) in results.hits.iter().enumerate() {
        let time = verbatim::citation::timestamp_label(hit.start_seconds, hit.timing);
        let speaker = hit.speaker.as_deref().unwrap_or("unknown speaker");
        let _ = writeln!(
            out,
            "\n[{}] {time} · {speaker} · {} ({})",
            offset + i + 1,
            hit.episode_title,
            hit.episode_id
        );
        let _ = writeln!(out, "    «{}»", marked(&hit.quote, &hit.highlights));
        let _ = write!(out, "    id: {}", hit.passage_id);
        if let Some(url) = &hit.url {
            let _ = write!(out, "  {url}");
        }
        out.push('\n');
    }
    out
}

/// The quote with matched words in `[brackets]`.
fn marked(quote: &str, highlights: &[verbatim::search::Highlight]) -> String {
    let mut out = String::with_capacity(quote.len() + highlights.len() * 2);
    for (i, c) in quote.chars().enumerate() {
        if highlights.iter().any(|h| h.start == i) {
            out.push('[');
        }
        out.push(c);
        if highlights.iter().any(|h| h.end == i + 1) {
            out.push(']');
        }
    }
    out
}

/// `verbatim bench`: synthetic corpus, indexing throughput, query latency.
pub fn bench(args: BenchArgs) -> anyhow::Result<String> {
    let dir = args
        .dir
        .unwrap_or_else(|| std::env::temp_dir().join("verbatim-bench"));
    let options = verbatim::bench::BenchOptions {
        dir,
        megabytes: args.mb,
        rounds: args.rounds,
        seed: args.seed,
        threads: args.threads,
    };
    let report = verbatim::bench::run(&options, Some(progress_printer()), &mut |line| {
        eprintln!("bench: {line}")
    })?;
    if args.json {
        return Ok(format!("{}\n", serde_json::to_string_pretty(&report)?));
    }
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "corpus: {:.1} MB, {} files, {} episodes, {} passages",
        report.corpus_bytes as f64 / 1e6,
        report.files,
        report.episodes,
        report.passages
    );
    let _ = writeln!(
        out,
        "indexing: {:.1} s, {:.1} MB/s, index {:.1} MB; reopen {:.1} ms",
        report.index_seconds,
        report.index_mb_per_s,
        report.index_bytes as f64 / 1e6,
        report.reopen_ms
    );
    let _ = writeln!(
        out,
        "index only (parsed episodes, in memory): {:.1} s, {:.1} MB of passage text/s",
        report.index_only_seconds, report.index_only_mb_per_s
    );
    let _ = writeln!(
        out,
        "{:<7} {:>9} {:>9} {:>9} {:>9}  query",
        "class", "hits", "p50 ms", "p99 ms", "max ms"
    );
    for q in &report.queries {
        let _ = writeln!(
            out,
            "{:<7} {:>9} {:>9.3} {:>9.3} {:>9.3}  {}{}",
            q.class,
            q.total_hits,
            q.p50_ms,
            q.p99_ms,
            q.max_ms,
            q.query,
            if q.notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", q.notes.join("; "))
            }
        );
    }
    let _ = writeln!(
        out,
        "all queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        report.all_p50_ms, report.all_p99_ms, report.all_max_ms
    );
    Ok(out)
}
