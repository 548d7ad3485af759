//! The command line: clap arguments checked once into a [`Config`]
//! ([`config`]), and one module per command. Results go to stdout; logs,
//! progress, problems and errors go to stderr. A closed stdout (`verbatim
//! episodes | head`) is not an error; a folder with no transcript is.

mod bench;
mod config;
mod episodes;
mod index;
mod inspect;
mod search;
mod serve;

use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use verbatim::index::{BuildProgress, IndexAction, IndexOptions, IndexReport, ProgressFn};
use verbatim::ingest::SourceFiles;
use verbatim::{Corpus, CorpusSource, Snapshot};

pub use config::{Action, Cli, Config};

/// Runs a checked command.
pub fn run(config: Config) -> anyhow::Result<()> {
    let out = match config.action {
        Action::Inspect { file, json } => inspect::run(&file, json)?,
        Action::Episodes { json } => episodes::run(&config.corpus, json)?,
        Action::Index => index::run(&config.corpus, config.index_dir)?,
        Action::Search(search) => search::run(&config.corpus, config.index_dir, search)?,
        Action::Bench(bench) => bench::run(bench)?,
        Action::Serve(serve) => return serve::run(serve, &config.corpus, config.index_dir),
    };
    write_stdout(&out)
}

/// An error as one line, each cause said once: `cannot open the index of
/// DIR: cannot read corpus folder DIR: No such file or directory (os error 2)`.
///
/// Library errors write their cause into their own message (tool results
/// and logs show `to_string()` alone, and must say why) and also chain it as
/// their `source()`; a cause whose words the line already holds is not
/// repeated.
pub fn error_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Files a "no transcripts" error names; the others are counted.
const NAMED_SKIPPED: usize = 3;

/// Fails when `corpus` holds no episode: an empty list or search from a
/// mistyped or wrong folder would look like success. Says what was skipped.
fn require_transcripts(source: &CorpusSource, corpus: &Corpus) -> anyhow::Result<()> {
    if !corpus.is_empty() {
        return Ok(());
    }
    let skipped = &corpus.problems;
    let detail = match skipped.len() {
        0 => "the folder holds no file to read (hidden files and companions such as \
              NAME.meta.toml are not transcripts)"
            .to_string(),
        n => {
            let named: Vec<String> = skipped
                .iter()
                .take(NAMED_SKIPPED)
                .map(|p| format!("{}: {}", p.path, p.reason))
                .collect();
            let more = match n.saturating_sub(NAMED_SKIPPED) {
                0 => String::new(),
                more => format!("; and {more} more"),
            };
            let files = if n == 1 { "file" } else { "files" };
            format!("{n} {files} skipped ({}{more})", named.join("; "))
        }
    };
    anyhow::bail!("no transcripts found in {}: {detail}", source.describe())
}

/// How `index` and `search` name what opening the index did.
fn index_action(action: IndexAction) -> &'static str {
    match action {
        IndexAction::Opened => "up to date",
        IndexAction::Updated => "updated",
        IndexAction::Built => "built",
        IndexAction::InMemory => "built in memory (not saved)",
    }
}

/// Writes to stdout; a reader that went away (broken pipe) is fine.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to stdout")
        }
        _ => Ok(()),
    }
}

/// Opens (building or updating it first) the index of `corpus`, with build
/// progress on stderr: what `index`, `search` and `serve` start with.
fn open(
    corpus: &CorpusSource,
    index_dir: Option<PathBuf>,
) -> anyhow::Result<(Snapshot, IndexReport)> {
    let options = IndexOptions {
        index_dir,
        progress: Some(progress_printer()),
        ..IndexOptions::default()
    };
    Snapshot::open(&SourceFiles::new(corpus.clone()), &options)
        .with_context(|| format!("cannot open the index of {}", corpus.describe()))
}

/// Prints build progress to stderr at most every two seconds.
fn progress_printer() -> ProgressFn {
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
