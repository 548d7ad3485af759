//! From a file's bytes to an [`Episode`], and from a whole corpus to its
//! episodes: decode and parse ([`crate::formats`]), apply the companion
//! files that name it, cut into passages ([`super::normalize`]), then run
//! the analyses ([`crate::analysis::enrich`]: chapters placed or generated,
//! speakers named). A bad file never costs the others: it becomes a
//! [`FileProblem`].

use super::ids::{episode_id_for, episode_ids};
use super::source::{CorpusFile, CorpusSource, SourceError, read_checked, scan, scan_companions};
use crate::formats::FormatError;
use crate::formats::companions::Companions;
use crate::model::{Episode, Source};
use crate::text::digest::sha256_hex;

/// A corpus read in full: its episodes, and the files it could not load.
#[derive(Debug, Default)]
pub struct Loaded {
    /// In path order.
    pub episodes: Vec<Episode>,
    /// Sorted by path.
    pub problems: Vec<FileProblem>,
}

/// A file of the corpus that could not be loaded, and why.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct FileProblem {
    // Relative to the corpus root.
    pub path: String,
    // What was wrong, in one line.
    pub reason: String,
}

/// Reads every companion file of a corpus (`NAME.meta.toml`,
/// `NAME.chapters.json`, `NAME.rttm`, `*.rss` feeds and `*.xml` files whose
/// root is `<rss>`). A companion that
/// cannot be read or parsed becomes a problem for that file; the transcripts
/// still load without it. Fails only when the folder itself cannot be read.
pub fn load_companions(
    source: &CorpusSource,
) -> Result<(Companions, Vec<FileProblem>), SourceError> {
    Ok(load_companion_files(source, &scan_companions(source)?))
}

/// [`load_companions`] for companion `files` already listed
/// ([`super::source::scan_listing`]), without walking the folder again.
pub fn load_companion_files(
    source: &CorpusSource,
    files: &[CorpusFile],
) -> (Companions, Vec<FileProblem>) {
    let mut companions = Companions::default();
    let mut problems = Vec::new();
    for file in files {
        let Some(kind) = super::source::companion_kind(source, &file.rel_path) else {
            continue;
        };
        let added = read_checked(source, file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| crate::formats::decode(&bytes).map_err(|e| e.to_string()))
            .and_then(|decoded| companions.add(&file.rel_path, kind, &decoded.text));
        if let Err(reason) = added {
            // The problem is already on the file's name; some parsers name it again.
            let own_name = format!("{}: ", file.rel_path);
            let reason = reason.strip_prefix(&own_name).unwrap_or(&reason);
            let reason = format!("{} not applied: {reason}", kind.name());
            tracing::info!(file = %file.rel_path, "{reason}");
            problems.push(FileProblem {
                path: file.rel_path.clone(),
                reason,
            });
        }
    }
    (companions, problems)
}

/// Parses one file into an episode, with the id [`episode_id_for`] gives it.
pub fn load_file(rel_path: &str, bytes: &[u8]) -> Result<Episode, FormatError> {
    load_file_with_id(rel_path, episode_id_for(rel_path), bytes)
}

/// Parses one file into an episode with the given id (no companion files).
pub fn load_file_with_id(
    rel_path: &str,
    episode_id: String,
    bytes: &[u8],
) -> Result<Episode, FormatError> {
    load_file_with_companions(rel_path, episode_id, bytes, &Companions::default())
}

/// Parses one file into an episode with the given id, then applies the
/// companion files that name it (RTTM speakers, feed item, chapters, sidecar).
pub fn load_file_with_companions(
    rel_path: &str,
    episode_id: String,
    bytes: &[u8],
    companions: &Companions,
) -> Result<Episode, FormatError> {
    let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let (format, mut transcript) = crate::formats::parse(file_name, bytes)?;
    companions.apply(rel_path, &mut transcript);
    let sha256 = sha256_hex(bytes);
    let source = Source {
        path: rel_path.to_string(),
        format: format.name().to_string(),
        sha256,
    };
    let (mut episode, line_starts) =
        super::normalize::build_episode_with_lines(episode_id, source, transcript);
    // Last, once everything the files say is in: what analysis adds on top.
    crate::analysis::enrich_with_lines(&mut episode, &line_starts);
    Ok(episode)
}

/// Loads every transcript of `source`, sorted by path, and the files that
/// could not be loaded. Fails only when the folder itself cannot be read;
/// each file that cannot be loaded becomes a [`FileProblem`].
pub fn load_all(source: &CorpusSource) -> Result<Loaded, SourceError> {
    let (companions, mut problems) = load_companions(source)?;
    let files = scan(source)?;
    let paths: Vec<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
    let ids = episode_ids(&paths);
    let mut episodes = Vec::new();
    for (file, id) in files.iter().zip(ids) {
        let loaded = read_checked(source, file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                load_file_with_companions(&file.rel_path, id, &bytes, &companions)
                    .map_err(|e| e.to_string())
            });
        match loaded {
            Ok(episode) => {
                for d in episode
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity >= crate::model::Severity::Warning)
                {
                    tracing::debug!(file = %file.rel_path, line = ?d.line, "{}", d.message);
                }
                episodes.push(episode);
            }
            Err(reason) => {
                // Callers show `problems` their own way; the log is for tracing only.
                tracing::info!(file = %file.rel_path, "skipped: {reason}");
                problems.push(FileProblem {
                    path: file.rel_path.clone(),
                    reason,
                });
            }
        }
    }
    tracing::info!(
        episodes = episodes.len(),
        skipped = problems.len(),
        "loaded {}",
        source.describe()
    );
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Loaded { episodes, problems })
}
