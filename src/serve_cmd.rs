//! `verbatim serve` (and `verbatim` with no command): the MCP server over
//! stdio, or over streamable HTTP with `--http`. The binary's only async part.

use anyhow::Context;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use verbatim::corpus::{Corpus, CorpusSource};
use verbatim::mcp::{
    HttpOptions, ServeError, VerbatimServer, banner, bind_http, serve_http_until_ctrl_c,
    serve_stdio,
};
use verbatim::search::QuoteSearch;

/// Where `--http` listens when given without an address.
pub const DEFAULT_HTTP: &str = "127.0.0.1:8700";

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// Serve streamable HTTP at http://ADDR/mcp instead of stdio (ADDR defaults to 127.0.0.1:8700).
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = DEFAULT_HTTP)]
    pub http: Option<SocketAddr>,
    /// With --http: require `Authorization: Bearer <TOKEN>` on every request.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "VERBATIM_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
}

/// Opens (or builds) the corpus's search index and serves it. An up-to-date
/// index opens without re-parsing the corpus: its catalog is stored with it.
pub fn serve(
    args: ServeArgs,
    source: &CorpusSource,
    index_dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    let (index, _report) = crate::cli::search::open(source, index_dir)?;
    let corpus: Arc<Corpus> = index.corpus().clone();
    for problem in &corpus.problems {
        tracing::warn!("skipped {}: {}", problem.path, problem.reason);
    }
    let search: Arc<dyn QuoteSearch> = Arc::new(index);
    run(args, corpus, search)
}

/// Serves `corpus` (searched by `search`) until the client leaves or Ctrl-C.
pub fn run(
    args: ServeArgs,
    corpus: Arc<Corpus>,
    search: Arc<dyn QuoteSearch>,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let episodes = corpus.len();
    let server = VerbatimServer::new(corpus, search);
    runtime.block_on(async move {
        match args.http {
            Some(addr) => {
                let token = args.token.filter(|t| !t.is_empty());
                let http = bind_http(HttpOptions {
                    addr,
                    token: token.clone(),
                })
                .await?;
                let bound = http.local_addr()?;
                eprint!("{}", banner(episodes, Some((bound, token.is_some()))));
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
