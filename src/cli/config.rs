//! The command line as clap reads it ([`Cli`]), and the [`Config`] it becomes
//! once checked: every argument that can be wrong is refused here, before
//! any file is read or any index built.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use verbatim::CorpusSource;
use verbatim::bench::BenchOptions;
use verbatim::index::{MAX_LIMIT, SearchRequest};
use verbatim::mcp::{CheckedHttp, HttpOptions};
use verbatim::serve::{WatchError, check_index_outside};

/// verbatim: a searchable, citable corpus of podcast and video transcripts.
#[derive(Debug, Parser)]
#[command(name = "verbatim", version, about, long_about = None)]
pub struct Cli {
    /// Read transcripts from this folder (recursively) instead of the embedded corpus.
    #[arg(long, global = true, value_name = "DIR", env = "VERBATIM_CORPUS")]
    pub corpus: Option<PathBuf>,

    /// Keep the search index under this folder instead of the per-user cache.
    #[arg(long, global = true, value_name = "DIR", env = "VERBATIM_INDEX_DIR")]
    pub index_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show how one transcript file parses: layout, metadata, chapters, passages, diagnostics.
    Inspect(InspectArgs),
    /// List the episodes of the corpus.
    Episodes(EpisodesArgs),
    /// Build or update the search index (progress and a summary on stderr).
    Index,
    /// Search quotes: exact words, speaker, time and episode for each hit.
    Search(SearchArgs),
    /// Benchmark on a generated corpus: indexing speed, search latency against plain tantivy, quote verification.
    Bench(BenchArgs),
    /// Serve the corpus to MCP clients: over stdio (default) or streamable HTTP (--http).
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The transcript file.
    pub file: PathBuf,
    /// Print the whole episode as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EpisodesArgs {
    /// Print the episode list as JSON.
    #[arg(long)]
    pub json: bool,
}

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
    /// Only episodes in this language (ISO 639-1 code: fr, en, es).
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
    /// Only this chapter (an index from 0; use with --episode).
    #[arg(long, value_name = "N")]
    pub chapter: Option<usize>,
    /// Only episodes published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub after: Option<chrono::NaiveDate>,
    /// Only episodes published on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub before: Option<chrono::NaiveDate>,
    /// With --after/--before: keep the episodes that have no date too.
    #[arg(long)]
    pub include_undated: bool,
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
    /// Corpus sentences to verify (as written and without accents or punctuation; all must come back exact),
    /// and as many fabricated sentences (0: skip the check).
    #[arg(long, default_value_t = 300)]
    pub verify: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Where `--http` listens when given without an address.
pub const DEFAULT_HTTP: &str = "127.0.0.1:8700";

#[derive(Debug, Clone, Default, Args)]
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

/// What to do, once the arguments are checked.
#[derive(Debug)]
pub struct Config {
    pub corpus: CorpusSource,
    /// Where the index lives (`None`: the per-user cache).
    pub index_dir: Option<PathBuf>,
    pub action: Action,
}

#[derive(Debug)]
pub enum Action {
    Inspect { file: PathBuf, json: bool },
    Episodes { json: bool },
    Index,
    Search(Search),
    Bench(Bench),
    Serve(Serve),
}

/// `verbatim search`: the request, and how to print it.
#[derive(Debug)]
pub struct Search {
    pub request: SearchRequest,
    pub json: bool,
}

/// `verbatim bench`: the run, and how to print its report.
#[derive(Debug)]
pub struct Bench {
    pub options: BenchOptions,
    pub json: bool,
}

/// `verbatim serve`: over stdio, or over HTTP with checked options.
#[derive(Debug)]
pub struct Serve {
    pub http: Option<CheckedHttp>,
    pub watch: bool,
}

impl TryFrom<Cli> for Config {
    type Error = anyhow::Error;

    fn try_from(cli: Cli) -> anyhow::Result<Self> {
        let corpus = cli.corpus.map_or(CorpusSource::Embedded, CorpusSource::Dir);
        let action = match cli.command {
            // A client starts `verbatim` with no arguments: serve it over stdio.
            None => Action::Serve(serve(
                ServeArgs::default(),
                &corpus,
                cli.index_dir.as_ref(),
            )?),
            Some(Command::Inspect(a)) => Action::Inspect {
                file: a.file,
                json: a.json,
            },
            Some(Command::Episodes(a)) => Action::Episodes { json: a.json },
            Some(Command::Index) => Action::Index,
            Some(Command::Search(a)) => Action::Search(search(a)?),
            Some(Command::Bench(a)) => Action::Bench(bench(a)),
            Some(Command::Serve(a)) => Action::Serve(serve(a, &corpus, cli.index_dir.as_ref())?),
        };
        Ok(Config {
            corpus,
            index_dir: cli.index_dir,
            action,
        })
    }
}

fn search(args: SearchArgs) -> anyhow::Result<Search> {
    if !(1..=MAX_LIMIT).contains(&args.limit) {
        anyhow::bail!(
            "--limit must be between 1 and {MAX_LIMIT}, got {}",
            args.limit
        );
    }
    Ok(Search {
        request: SearchRequest {
            query: args.query,
            episode_id: args.episode,
            speaker: args.speaker,
            show: args.show,
            language: args.language,
            chapter: args.chapter,
            published_after: args.after,
            published_before: args.before,
            include_undated: args.include_undated,
            limit: args.limit,
            offset: args.offset,
            all_words: false,
        },
        json: args.json,
    })
}

fn bench(args: BenchArgs) -> Bench {
    Bench {
        options: BenchOptions {
            dir: args
                .dir
                .unwrap_or_else(|| std::env::temp_dir().join("verbatim-bench")),
            megabytes: args.mb,
            rounds: args.rounds,
            seed: args.seed,
            threads: args.threads,
            verify_samples: args.verify,
        },
        json: args.json,
    }
}

/// Refuses an unsafe HTTP setup, and a watch that cannot work, before any
/// time is spent on the index.
fn serve(
    args: ServeArgs,
    corpus: &CorpusSource,
    index_dir: Option<&PathBuf>,
) -> anyhow::Result<Serve> {
    let http = match args.http {
        Some(addr) => Some(
            HttpOptions {
                addr,
                token: args.token,
                allowed_hosts: args.allow_hosts,
            }
            .check()?,
        ),
        None => None,
    };
    if args.watch {
        // Asking to watch the embedded corpus is an error rather than a
        // warning: the person asked for something that cannot happen, and a
        // client configured that way should not look like it works.
        let CorpusSource::Dir(dir) = corpus else {
            return Err(WatchError::Embedded.into());
        };
        if let Some(index) = index_dir {
            check_index_outside(dir, index)?;
        }
    }
    Ok(Serve {
        http,
        watch: args.watch,
    })
}
