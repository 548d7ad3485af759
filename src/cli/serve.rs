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
use verbatim::mcp::{
    ServeError, VerbatimServer, banner, bind_checked, serve_http_until_ctrl_c, serve_stdio,
};
use verbatim::serve::{LiveCorpus, WatchOptions};

/// Opens (or builds) the corpus's search index and serves it. An up-to-date
/// index opens without re-parsing the corpus: its headers are stored with it.
pub fn run(serve: Serve, source: &CorpusSource, index_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let (snapshot, _report) = super::open(source, index_dir.clone())?;
    for problem in &snapshot.corpus.problems {
        tracing::warn!("skipped {}: {}", problem.path, problem.reason);
    }
    let episodes = snapshot.corpus.len();
    snapshot.prepare_in_background();
    if !serve.watch {
        return serve_with(serve, VerbatimServer::new(snapshot), episodes);
    }
    // `--watch`: the same, over a LiveCorpus that a watcher thread keeps in
    // step with the folder (the configuration checked that it is one).
    let live = Arc::new(LiveCorpus::new(snapshot));
    let options = WatchOptions {
        index: IndexOptions {
            index_dir,
            ..IndexOptions::default()
        },
        ..WatchOptions::default()
    };
    let _watcher = verbatim::serve::watch(source.clone(), live.clone(), options)
        .with_context(|| format!("cannot watch {}", source.describe()))?;
    serve_with(serve, VerbatimServer::live(live), episodes)
}

/// Serves until the client leaves or Ctrl-C.
fn serve_with(serve: Serve, server: VerbatimServer, episodes: usize) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match serve.http {
            Some(options) => {
                let has_token = options.has_token();
                let http = bind_checked(options).await?;
                let bound = http.local_addr()?;
                eprint!("{}", banner(episodes, Some((bound, has_token))));
                serve_http_until_ctrl_c(server, http).await?;
            }
            None => {
                // A person typed `verbatim` in a terminal: say what this is instead of waiting silently.
                if std::io::stdin().is_terminal() {
                    eprint!("{}", banner(episodes, None));
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
