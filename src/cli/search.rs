//! `verbatim search QUERY`: one quote search over the corpus's index,
//! readable (matched words in `[brackets]`) or as JSON.

use super::config::Search;
use std::path::PathBuf;
use verbatim::CorpusSource;
use verbatim::index::{Highlight, IndexAction, SearchResults};
use verbatim::model::timestamp_label;

/// `verbatim search`: one quote search, readable or JSON; fails when the
/// corpus holds no transcript.
pub fn run(
    corpus: &CorpusSource,
    index_dir: Option<PathBuf>,
    search: Search,
) -> anyhow::Result<String> {
    let (snapshot, report) = super::open(corpus, index_dir)?;
    super::require_transcripts(corpus, &snapshot.corpus)?;
    if report.action != IndexAction::Opened {
        eprintln!(
            "index {}: {} episodes, {} passages in {:.2} s",
            super::index_action(report.action),
            report.episodes,
            report.passages,
            report.seconds
        );
    }
    let results = snapshot.search(&search.request)?;
    // The process ends once the answer is printed: freeing the corpus's
    // headers and terms (a quarter of a second at 1 GB) is work nobody waits for.
    std::mem::forget(snapshot);
    if search.json {
        let mut json = serde_json::to_string_pretty(&results)?;
        json.push('\n');
        return Ok(json);
    }
    Ok(readable(&results, search.request.offset))
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
        // When the matched words are said, as the citation gives it, not
        // when the passage starts (seconds earlier in a long passage).
        let time = timestamp_label(hit.matched.match_start_seconds, hit.matched.match_timing);
        let speaker = hit
            .origin
            .said
            .speaker
            .as_deref()
            .unwrap_or("unknown speaker");
        let _ = writeln!(
            out,
            "\n[{}] {time} · {speaker} · {} ({})",
            offset + i + 1,
            hit.origin.episode.episode_title,
            hit.origin.episode.episode_id
        );
        let _ = writeln!(out, "    «{}»", marked(&hit.quote, &hit.highlights));
        let _ = write!(out, "    id: {}", hit.origin.passage_id);
        if let Some(url) = &hit.url {
            let _ = write!(out, "  {url}");
        }
        out.push('\n');
    }
    out
}

/// The quote with matched words in `[brackets]`.
fn marked(quote: &str, highlights: &[Highlight]) -> String {
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
