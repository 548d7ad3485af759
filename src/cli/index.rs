//! `verbatim index`: builds or updates the search index, with progress and
//! a summary on stderr.

use std::path::PathBuf;
use verbatim::CorpusSource;

/// `verbatim index`: builds or updates the index and prints a summary on
/// stderr; fails when the corpus holds no transcript.
pub fn run(corpus: &CorpusSource, index_dir: Option<PathBuf>) -> anyhow::Result<String> {
    let (snapshot, report) = super::open(corpus, index_dir)?;
    super::require_transcripts(corpus, &snapshot.corpus)?;
    // An update leaves the new state without its search terms: stored now,
    // the next process to open it reads them instead of building them (a
    // build stores its own; an index already up to date keeps its own).
    if let Err(e) = verbatim::index::store::store_terms(&snapshot.corpus, &snapshot.index) {
        eprintln!("warning: the index's search terms could not be stored: {e}");
    }
    let what = super::index_action(report.action);
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
    for problem in &snapshot.corpus.problems {
        eprintln!("  skipped {}: {}", problem.path, problem.reason);
    }
    if let Some(location) = &report.location {
        eprintln!("  at {}", location.display());
    }
    Ok(String::new())
}
