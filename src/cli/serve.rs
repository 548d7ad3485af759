//! `verbatim serve` (and `verbatim` with no command): the MCP server over
//! stdio, or over streamable HTTP with `--http`, optionally following the
//! corpus folder (`--watch`). The binary's only async part.

use super::config::Serve;
use anyhow::Context;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use verbatim::CorpusSource;
use verbatim::index::IndexOptions;
use verbatim::ingest::SourceFiles;
use verbatim::mcp::{
    ServeError, VerbatimServer, banner, bind_checked, serve_http_until_ctrl_c, serve_stdio,
};
use verbatim::serve::{
    Indexing, LiveCorpus, Snapshot, WatchOptions, open_in_background, reporting_to,
};

/// Serves the corpus at once, while its index is opened (or built, or
/// updated) on a thread of its own: clients get `initialize` answered in
/// milliseconds whatever the corpus's size, and tool calls made before the
/// index is ready are told how far indexing has got (see
/// [`verbatim::serve::indexing`]). An up-to-date index opens without
/// re-parsing the corpus: its headers are stored with it.
pub fn run(serve: Serve, source: &CorpusSource, index_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let status = Arc::new(Indexing::new());
    let options = reporting_to(
        &IndexOptions {
            index_dir,
            progress: Some(super::progress_printer()),
            ..IndexOptions::default()
        },
        status.clone(),
    );
    let placeholder = Snapshot::indexing(status, options.deadline)
        .context("cannot create the placeholder index")?;
    let live = Arc::new(LiveCorpus::new(placeholder));
    // Kept until serving ends: dropping it stops watching.
    let _watcher = if serve.watch {
        // `--watch`: the watcher thread opens the index first, then keeps it
        // in step with the folder (the configuration checked that it is one).
        let watch_options = WatchOptions {
            index: options,
            ..WatchOptions::default()
        };
        let watcher = verbatim::serve::watch(source.clone(), live.clone(), watch_options)
            .with_context(|| format!("cannot watch {}", source.describe()))?;
        Some(watcher)
    } else {
        open_in_background(SourceFiles::new(source.clone()), live.clone(), options)
            .context("cannot start the indexing thread")?;
        None
    };
    serve_with(serve, live, source)
}

/// Serves until the client leaves or Ctrl-C.
fn serve_with(serve: Serve, live: Arc<LiveCorpus>, source: &CorpusSource) -> anyhow::Result<()> {
    let corpus = source.describe();
    let server = VerbatimServer::live(live.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        tokio::spawn(announce_ready(live));
        match serve.http {
            Some(options) => {
                let has_token = options.has_token();
                let http = bind_checked(options).await?;
                let bound = http.local_addr()?;
                eprint!("{}", banner(&corpus, Some((bound, has_token))));
                serve_http_until_ctrl_c(server, http).await?;
            }
            None => {
                // A person typed `verbatim` in a terminal: say what this is instead of waiting silently.
                if std::io::stdin().is_terminal() {
                    eprint!("{}", banner(&corpus, None));
                }
                match serve_stdio(server).await {
                    // Nothing was asked: not worth an error status, but worth one line.
                    Err(ServeError::ClosedBeforeStart) => {
                        eprintln!("verbatim: {}", ServeError::ClosedBeforeStart);
                        eprintln!(
                            "verbatim: for the command line (search, episodes, inspect, index), see `verbatim --help`"
                        );
                    }
                    other => other?,
                }
            }
        }
        anyhow::Ok(())
    })
}

/// Says on stderr (a terminal, or the client's server log) when the index
/// is open and the tools answer from it.
async fn announce_ready(live: Arc<LiveCorpus>) {
    // Subscribed before the first look: an index that opened meanwhile is seen either way.
    let mut changes = live.subscribe();
    loop {
        let now = live.current();
        if now.pending().is_none() {
            eprintln!(
                "verbatim: ready: {} episode(s), {} passages",
                now.corpus.len(),
                now.index.num_passages()
            );
            return;
        }
        if changes.changed().await.is_err() {
            return;
        }
    }
}
