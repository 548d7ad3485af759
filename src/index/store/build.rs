//! Building: corpus files read on worker threads (in path order, so results
//! are deterministic), their passages added to the tantivy writer and
//! appended to a passage file, and what each file became recorded for the
//! manifest.

use super::generation::commit;
use super::headers::Stored;
use super::layout::{HEADERS_FILE, passage_file_name};
use super::manifest::{Manifest, ManifestFile};
use super::{BuildProgress, IndexOptions};
use crate::corpus::passage_files::{PassageFileError, PassageWriter};
use crate::index::IndexError;
use crate::index::schema::{Fields, SCHEMA_VERSION, register_analyzers};
use crate::ingest::{CorpusFiles, FileStamp};
use crate::model::{Episode, EpisodeHeader};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use tantivy::{Index, IndexWriter, TantivyDocument};

/// The default indexing arena of each writer thread, bytes.
pub const WRITER_MEMORY_PER_THREAD: usize = 100_000_000;

/// The writer's threads and memory budget (bytes, all threads together)
/// for `options`; the benchmark's baseline gets the same.
pub fn writer_budget(options: &IndexOptions) -> (usize, usize) {
    let threads = match options.writer_threads {
        0 => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(2),
        n => n,
    };
    let memory = match options.writer_memory {
        // With the passages being parsed and the headers kept, a 1 GB build
        // stays under 500 MB; a larger arena only makes fewer segments.
        0 => threads * WRITER_MEMORY_PER_THREAD,
        n => n.max(threads * 20_000_000),
    };
    (threads, memory)
}

pub(super) fn writer(
    index: &Index,
    options: &IndexOptions,
) -> Result<IndexWriter<TantivyDocument>, IndexError> {
    let (threads, memory) = writer_budget(options);
    Ok(index.writer_with_num_threads(threads, memory)?)
}

/// What adding files to a writer produced.
#[derive(Default)]
pub(super) struct Added {
    pub(super) episodes: BTreeMap<String, Stored>,
    pub(super) files: BTreeMap<String, ManifestFile>,
    pub(super) reindexed: Vec<String>,
    pub(super) bytes: u64,
}

/// Reads `stamps` and adds their passages; a file that fails becomes a problem.
pub(super) fn add_files(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    added: &mut Added,
    options: &IndexOptions,
    mut passages_out: Option<&mut PassageWriter>,
) -> Result<(), IndexError> {
    let bytes_total: u64 = stamps.iter().map(|s| s.size).sum();
    let mut passages = 0u64;
    // Parsing (and chapter analysis) costs more than indexing: files are read
    // on worker threads, and taken in path order so results are deterministic.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(stamps.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<(), IndexError> {
        let (tx, rx) = mpsc::sync_channel::<(usize, Result<Episode, String>)>(workers * 4);
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(stamp) = stamps.get(i) else { break };
                    if tx.send((i, source.load(&stamp.path))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Result<Episode, String>> = BTreeMap::new();
        let mut expected = 0usize;
        for (i, loaded) in rx {
            pending.insert(i, loaded);
            while let Some(loaded) = pending.remove(&expected) {
                let Some(stamp) = stamps.get(expected) else {
                    break;
                };
                expected += 1;
                passages += record(
                    writer,
                    fields,
                    stamp,
                    loaded,
                    added,
                    passages_out.as_deref_mut(),
                )?;
                if let Some(progress) = &options.progress {
                    progress(&BuildProgress {
                        files_done: expected,
                        files_total: stamps.len(),
                        bytes_done: added.bytes,
                        bytes_total,
                        passages,
                    });
                }
            }
        }
        Ok(())
    })
}

/// Adds one loaded file (or records why it was skipped); returns its passages.
fn record(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    stamp: &FileStamp,
    loaded: Result<Episode, String>,
    added: &mut Added,
    passages_out: Option<&mut PassageWriter>,
) -> Result<u64, IndexError> {
    let mut passages = 0;
    let (episode_id, problem) = match loaded {
        Ok(episode) => {
            // The map lookup keeps this linear; the file is searched only on a clash.
            let clash = added.episodes.contains_key(&episode.episode_id).then(|| {
                added
                    .files
                    .values()
                    .find(|f| f.episode_id.as_deref() == Some(&episode.episode_id))
            });
            if let Some(other) = clash.flatten() {
                let problem = format!(
                    "episode id `{}` is already used by {}",
                    episode.episode_id, other.path
                );
                (None, Some(problem))
            } else {
                for doc in fields.episode_docs(&episode) {
                    writer.add_document(doc)?;
                }
                passages = episode.passages.len() as u64;
                let id = episode.episode_id.clone();
                // On disk, the passages go to their file now: a build holds
                // headers, not the whole corpus's text.
                let stored = match passages_out {
                    Some(out) => {
                        let at = out.append(&episode.passages).map_err(store_error)?;
                        Stored::Written(EpisodeHeader::of(&episode), at)
                    }
                    None => Stored::Whole(episode),
                };
                added.episodes.insert(id.clone(), stored);
                (Some(id), None)
            }
        }
        Err(reason) => (None, Some(reason)),
    };
    added.files.insert(
        stamp.path.clone(),
        ManifestFile {
            path: stamp.path.clone(),
            size: stamp.size,
            fingerprint: stamp.fingerprint.clone(),
            episode_id,
            problem,
        },
    );
    added.reindexed.push(stamp.path.clone());
    added.bytes += stamp.size;
    Ok(passages)
}

/// Builds a whole index in `dir` (or in memory) from `stamps`.
pub(super) fn build(
    source: &dyn CorpusFiles,
    stamps: &[FileStamp],
    options: &IndexOptions,
    dir: Option<&Path>,
) -> Result<(Index, Added, Manifest, Vec<String>), IndexError> {
    let (schema, fields) = Fields::build();
    let index = match dir {
        Some(d) => Index::create_in_dir(d, schema)?,
        None => Index::create_in_ram(schema),
    };
    register_analyzers(&index);
    let mut writer = writer(&index, options)?;
    // A full build flushes few, large segments (big memory budget); merging
    // them again would cost more than it saves: on 1 GB, merges made indexing
    // several times slower. Updates keep the default policy to fold small
    // segments back in.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut added = Added::default();
    let mut files = Vec::new();
    let mut passages_out = match dir {
        Some(d) => {
            let name = passage_file_name();
            let out = PassageWriter::create(d, &name, 0).map_err(store_error)?;
            files.push(name);
            Some(out)
        }
        None => None,
    };
    add_files(
        &writer,
        &fields,
        source,
        stamps,
        &mut added,
        options,
        passages_out.as_mut(),
    )?;
    if let Some(out) = passages_out {
        out.finish().map_err(store_error)?;
    }
    let manifest = Manifest {
        schema: SCHEMA_VERSION,
        identity: source.identity(),
        files: added.files.values().cloned().collect(),
    };
    let files = commit(&mut writer, dir, &manifest, &mut added.episodes, files)?;
    writer.wait_merging_threads()?;
    Ok((index, added, manifest, files))
}

pub(super) fn store_error(e: PassageFileError) -> IndexError {
    IndexError::File {
        path: PathBuf::from(HEADERS_FILE),
        message: e.to_string(),
    }
}
