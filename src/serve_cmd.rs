//! `verbatim serve` (and `verbatim` with no command): the MCP server over
//! stdio, or over streamable HTTP with `--http`. The binary's only async part.

use anyhow::Context;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use verbatim::corpus::{Corpus, CorpusSource};
use verbatim::index::IndexOptions;
use verbatim::live::{LiveCorpus, Snapshot, WatchOptions};
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
    /// With --http: require `Authorization: Bearer <TOKEN>` on every request
    /// (required when ADDR is not a loopback address).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "VERBATIM_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// With --http: a host name or address clients use to reach this server
    /// (the Host header must name one; loopback and the bound address always
    /// work). Repeat for several; `*` accepts any Host (needs --token).
    #[arg(
        long = "allow-host",
        value_name = "HOST",
        env = "VERBATIM_ALLOW_HOSTS",
        value_delimiter = ','
    )]
    pub allow_hosts: Vec<String>,
    /// Follow the corpus folder: files added, changed or removed are re-indexed
    /// within seconds and clients are notified (needs --corpus DIR).
    #[arg(long)]
    pub watch: bool,
}

/// Opens (or builds) the corpus's search index and serves it. An up-to-date
/// index opens without re-parsing the corpus: its catalog is stored with it.
pub fn serve(
    args: ServeArgs,
    source: &CorpusSource,
    index_dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    // Refuse an unsafe HTTP setup before spending time on the index.
    if let Some(options) = http_options(&args) {
        options.check()?;
    }
    if args.watch {
        return serve_watching(args, source, index_dir);
    }
    let (index, _report) = crate::cli::search::open(source, index_dir)?;
    let corpus: Arc<Corpus> = index.corpus().clone();
    for problem in &corpus.problems {
        tracing::warn!("skipped {}: {}", problem.path, problem.reason);
    }
    let search: Arc<dyn QuoteSearch> = Arc::new(index);
    run(args, corpus, search)
}

/// `serve --watch`: the same, over a [`LiveCorpus`] that a watcher thread
/// keeps in step with the folder. Asking to watch the embedded corpus is an
/// error rather than a warning: the person asked for something that cannot
/// happen, and a client configured that way should not look like it works.
fn serve_watching(
    args: ServeArgs,
    source: &CorpusSource,
    index_dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    if matches!(source, CorpusSource::Embedded) {
        return Err(verbatim::live::WatchError::Embedded.into());
    }
    if let (CorpusSource::Dir(dir), Some(index)) = (source, &index_dir) {
        verbatim::live::check_index_outside(dir, index)?;
    }
    let (index, _report) = crate::cli::search::open(source, index_dir.clone())?;
    for problem in &index.corpus().problems {
        tracing::warn!("skipped {}: {}", problem.path, problem.reason);
    }
    let live = Arc::new(LiveCorpus::new(Snapshot::of_index(index)));
    let options = WatchOptions {
        index: IndexOptions {
            index_dir,
            ..IndexOptions::default()
        },
        ..WatchOptions::default()
    };
    let _watcher = verbatim::live::watch(source.clone(), live.clone(), options)
        .with_context(|| format!("cannot watch {}", source.describe()))?;
    let episodes = live.current().corpus.len();
    serve_with(args, VerbatimServer::live(live), episodes)
}

/// Serves `corpus` (searched by `search`) until the client leaves or Ctrl-C.
pub fn run(
    args: ServeArgs,
    corpus: Arc<Corpus>,
    search: Arc<dyn QuoteSearch>,
) -> anyhow::Result<()> {
    let episodes = corpus.len();
    serve_with(args, VerbatimServer::new(corpus, search), episodes)
}

fn serve_with(args: ServeArgs, server: VerbatimServer, episodes: usize) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match http_options(&args) {
            Some(options) => {
                let token = options.check()?.0;
                let http = bind_http(options).await?;
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

/// The HTTP options `args` ask for, if they ask for HTTP at all.
fn http_options(args: &ServeArgs) -> Option<HttpOptions> {
    args.http.map(|addr| HttpOptions {
        addr,
        token: args.token.clone(),
        allowed_hosts: args.allow_hosts.clone(),
    })
}
