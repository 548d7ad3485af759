//! `verbatim bench`: generates a synthetic corpus, indexes it and
//! times a query mix; the report goes to stdout, progress to stderr.

use super::config::Bench;
use super::progress_printer;

/// `verbatim bench`: synthetic corpus, indexing throughput, query latency.
pub fn run(bench: Bench) -> anyhow::Result<String> {
    let report = verbatim::bench::run(&bench.options, Some(progress_printer()), &mut |line| {
        eprintln!("bench: {line}")
    })?;
    if bench.json {
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
    let b = &report.baseline;
    let _ = writeln!(
        out,
        "baseline (plain tantivy, same texts, analyzer, {} threads, {} MB budget): {:.1} s, {:.1} MB of passage text/s; verbatim end to end at {:.2}x its speed",
        b.writer_threads,
        b.writer_memory_bytes / 1_000_000,
        b.index_seconds,
        b.text_bytes as f64 / 1e6 / b.index_seconds.max(1e-9),
        b.index_speed_ratio
    );
    let _ = writeln!(
        out,
        "{:<7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7}  query",
        "class", "hits", "p50 ms", "p99 ms", "max ms", "base hits", "base p50", "ratio"
    );
    for q in &report.queries {
        let _ = writeln!(
            out,
            "{:<7} {:>9} {:>9.3} {:>9.3} {:>9.3} {:>9} {:>9.3} {:>6.1}x  {}{}",
            q.class,
            q.total_hits,
            q.p50_ms,
            q.p99_ms,
            q.max_ms,
            q.baseline_hits,
            q.baseline_p50_ms,
            q.p50_ratio,
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
    let _ = writeln!(
        out,
        "baseline queries: p50 {:.3} ms, p99 {:.3} ms; verbatim p50 {:.1}x, p99 {:.1}x the baseline's",
        b.all_p50_ms, b.all_p99_ms, b.p50_ratio, b.p99_ratio
    );
    if let Some(v) = &report.verification {
        let [exact, close, altered, not_said] = v.fabricated_verdicts;
        let _ = writeln!(
            out,
            "verify_quote: {} of {} corpus sentences exact (as written and folded), {} missed; \
             {} fabricated: {exact} exact, {close} close, {altered} altered, {not_said} not_said; \
             p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            v.exact,
            v.exact + v.missed,
            v.missed,
            v.fabricated,
            v.p50_ms,
            v.p99_ms,
            v.max_ms
        );
        for miss in &v.misses {
            let _ = writeln!(out, "  missed {miss}");
        }
    }
    Ok(out)
}
