//! The command line: clap arguments checked once into a [`Config`]
//! ([`config`]), and one module per command. Results go to stdout; logs,
//! progress, problems and errors go to stderr. A closed stdout (`verbatim
//! episodes | head`) is not an error.

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
use verbatim::index::{BuildProgress, IndexOptions, IndexReport, ProgressFn};
use verbatim::ingest::SourceFiles;
use verbatim::{CorpusSource, Snapshot};

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
