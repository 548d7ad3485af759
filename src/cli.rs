//! The command line: clap arguments, converted once into a plain [`Config`],
//! and one function per command. Results go to stdout; logs, problems and
//! errors go to stderr. A closed stdout (`verbatim episodes | head`) is not
//! an error.

pub(crate) mod search;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use verbatim::corpus::{Corpus, CorpusSource};
use verbatim::model::{Episode, PassageTiming, Role};

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
    // --- index commands (src/cli/search.rs) ---
    /// Build or update the search index (progress and a summary on stderr).
    Index(search::IndexArgs),
    /// Search quotes: exact words, speaker, time and episode for each hit.
    Search(search::SearchArgs),
    /// Benchmark indexing and search on a generated corpus.
    #[command(hide = true)]
    Bench(search::BenchArgs),
    /// Serve the corpus to MCP clients: over stdio (default) or streamable HTTP (--http).
    Serve(crate::serve_cmd::ServeArgs),
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
    /// Print the catalog as JSON.
    #[arg(long)]
    pub json: bool,
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
    // --- index commands (src/cli/search.rs) ---
    Index(search::IndexArgs),
    Search(search::SearchArgs),
    Bench(search::BenchArgs),
    Serve(crate::serve_cmd::ServeArgs),
}

impl From<Cli> for Config {
    fn from(cli: Cli) -> Self {
        let corpus = cli.corpus.map_or(CorpusSource::Embedded, CorpusSource::Dir);
        let action = match cli.command {
            // A client starts `verbatim` with no arguments: serve it over stdio.
            None => Action::Serve(crate::serve_cmd::ServeArgs::default()),
            Some(Command::Inspect(a)) => Action::Inspect {
                file: a.file,
                json: a.json,
            },
            Some(Command::Episodes(a)) => Action::Episodes { json: a.json },
            Some(Command::Index(a)) => Action::Index(a),
            Some(Command::Search(a)) => Action::Search(a),
            Some(Command::Bench(a)) => Action::Bench(a),
            Some(Command::Serve(a)) => Action::Serve(a),
        };
        Config {
            corpus,
            index_dir: cli.index_dir,
            action,
        }
    }
}

/// Runs a command.
pub fn run(config: Config) -> anyhow::Result<()> {
    let out = match config.action {
        Action::Inspect { file, json } => inspect(&file, json)?,
        Action::Episodes { json } => episodes(&config.corpus, json)?,
        Action::Index(a) => search::index(&config.corpus, config.index_dir, a)?,
        Action::Search(a) => search::search(&config.corpus, config.index_dir, a)?,
        Action::Bench(a) => search::bench(a)?,
        Action::Serve(args) => {
            return crate::serve_cmd::serve(args, &config.corpus, config.index_dir);
        }
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

fn inspect(file: &std::path::Path, json: bool) -> anyhow::Result<String> {
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {shown}"))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let id = verbatim::corpus::episode_id_for(&name);
    // The companions next to the file (sidecar, chapters, RTTM, feeds) apply too.
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let source = verbatim::corpus::CorpusSource::Dir(folder.to_path_buf());
    let (companions, problems) = verbatim::corpus::load_companions(&source)
        .unwrap_or_else(|_| (Default::default(), Vec::new()));
    for p in &problems {
        eprintln!("warning: {}: {}", p.path, p.reason);
    }
    let mut episode = verbatim::corpus::load_file_with_companions(&name, id, &bytes, &companions)
        .with_context(|| format!("cannot read {shown}"))?;
    episode.source.path = shown;
    if json {
        return Ok(serde_json::to_string_pretty(&episode)? + "\n");
    }
    Ok(describe(&episode))
}

fn describe(e: &Episode) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
    let _ = writeln!(s, "file:         {}", e.source.path);
    let _ = writeln!(s, "layout:       {}", e.source.format);
    let _ = writeln!(s, "episode_id:   {}", e.episode_id);
    let _ = writeln!(s, "title:        {}", e.title);
    let _ = writeln!(s, "show:         {}", opt(e.show.clone()));
    let _ = writeln!(
        s,
        "published:    {}",
        opt(e.published.map(|d| d.to_string()))
    );
    let _ = writeln!(
        s,
        "recorded:     {}",
        opt(e.recorded.map(|d| d.to_string()))
    );
    let _ = writeln!(
        s,
        "duration:     {}",
        opt(e.duration_seconds.map(verbatim::citation::format_timestamp))
    );
    let _ = writeln!(s, "language:     {}", opt(e.language.clone()));
    let _ = writeln!(s, "url:          {}", opt(e.url.clone()));
    if let Some(d) = &e.description {
        let _ = writeln!(s, "description:  {}", verbatim::text::trim_to_words(d, 200));
    }
    let _ = writeln!(s, "participants: {}", e.participants.len());
    for p in &e.participants {
        let role = match p.role {
            Role::Host => "host",
            Role::Guest => "guest",
            Role::Unknown => "speaker",
        };
        let mut line = format!("  {role:<7} {}", p.name);
        if let Some(h) = &p.handle {
            let _ = write!(line, " ({h})");
        }
        if let Some(a) = &p.affiliation {
            let _ = write!(line, " — {a}");
        }
        if !p.aliases.is_empty() {
            let _ = write!(line, " [aka {}]", p.aliases.join(", "));
        }
        let _ = writeln!(s, "{line}");
    }
    if !e.speaker_map.is_empty() {
        let _ = writeln!(s, "speaker labels:");
    }
    for m in &e.speaker_map {
        let name = m.name.as_deref().unwrap_or("(no name)");
        let _ = writeln!(
            s,
            "  {} -> {name} ({:?}, {:?}, confidence {:.2})",
            m.label, m.role, m.method, m.confidence
        );
    }
    let _ = writeln!(s, "chapters:     {}", e.chapters.len());
    for c in &e.chapters {
        let start = c.start_seconds.map_or_else(
            || "--:--:--".to_string(),
            verbatim::citation::format_timestamp,
        );
        let _ = writeln!(s, "  [{}] {start} {}", c.index, c.title);
        for l in &c.links {
            let _ = writeln!(s, "             {l}");
        }
    }
    let count = |t: PassageTiming| e.passages.iter().filter(|p| p.timing == t).count();
    let _ = writeln!(
        s,
        "passages:     {} (timed exact {}, estimated {}, untimed {}), {} words",
        e.passages.len(),
        count(PassageTiming::Exact),
        count(PassageTiming::Estimated),
        count(PassageTiming::None),
        e.word_count()
    );
    let _ = writeln!(s, "diagnostics:  {}", e.diagnostics.len());
    for d in &e.diagnostics {
        let at = d.line.map(|l| format!(" line {l}")).unwrap_or_default();
        let _ = writeln!(s, "  {:?}{at}: {}", d.severity, d.message);
    }
    s
}

/// One line of the catalog.
#[derive(Debug, serde::Serialize)]
struct CatalogEntry<'a> {
    episode_id: &'a str,
    title: &'a str,
    show: Option<&'a str>,
    published: Option<chrono::NaiveDate>,
    #[serde(with = "verbatim::model::seconds::option")]
    duration_seconds: Option<verbatim::model::Millis>,
    language: Option<&'a str>,
    format: &'a str,
    path: &'a str,
    participants: Vec<&'a str>,
    chapters: usize,
    passages: usize,
}

fn episodes(source: &CorpusSource, json: bool) -> anyhow::Result<String> {
    let corpus = Corpus::load(source)?;
    for p in &corpus.problems {
        eprintln!("verbatim: skipped {}: {}", p.path, p.reason);
    }
    let entries: Vec<CatalogEntry> = corpus
        .headers()
        .iter()
        .map(|h| (h, &h.episode))
        .map(|(h, e)| CatalogEntry {
            episode_id: &e.episode_id,
            title: &e.title,
            show: e.show.as_deref(),
            published: e.published,
            duration_seconds: e.duration_seconds,
            language: e.language.as_deref(),
            format: &e.source.format,
            path: &e.source.path,
            participants: e.participants.iter().map(|p| p.name.as_str()).collect(),
            chapters: e.chapters.len(),
            passages: h.passage_count,
        })
        .collect();
    if json {
        return Ok(serde_json::to_string_pretty(&entries)? + "\n");
    }
    let mut s = String::new();
    for e in &entries {
        let date = e
            .published
            .map_or_else(|| "----------".to_string(), |d| d.to_string());
        s.push_str(&format!(
            "{:<40} {date} {:>4} passages  {}\n",
            e.episode_id, e.passages, e.title
        ));
    }
    Ok(s)
}
