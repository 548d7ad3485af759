//! The live generation: read back and checked whole before it is used
//! ([`open_current`]), and committed with its manifest and headers so that
//! a reader sees the old state or the new one, never half of each ([`commit`]).

use super::headers::{HeadersFile, Stored, StoredHeader, read_headers, write_headers};
use super::layout::{CURRENT_FILE, HEADERS_FILE, MANIFEST_FILE};
use super::manifest::{Manifest, Payload};
use crate::corpus::Corpus;
use crate::corpus::passage_files::io;
use crate::index::IndexError;
use crate::index::schema::{Fields, SCHEMA_VERSION, register_analyzers};
use crate::text::digest::sha256_hex;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexWriter, TantivyDocument};

/// The live generation, read back.
pub(super) struct Current {
    pub(super) dir: PathBuf,
    pub(super) index: Index,
    pub(super) manifest: Manifest,
    pub(super) headers: HeadersFile,
}

/// Reads the live generation; `Err` says why it cannot be used.
/// `served`, a corpus read from this index earlier, gives the headers when
/// the index is still in the state it was read from (same generation, same
/// manifest), instead of the headers file.
pub(super) fn open_current(
    dir: &Path,
    identity: &str,
    served: Option<&Corpus>,
) -> Result<Current, String> {
    let current_path = dir.join(CURRENT_FILE);
    let name = match fs::read_to_string(&current_path) {
        Ok(s) => s.trim().to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("no index yet".into()),
        Err(e) => return Err(format!("cannot read {}: {e}", current_path.display())),
    };
    if !name.starts_with("gen-") || name.contains(['/', '\\']) {
        return Err(format!("{} is corrupt", current_path.display()));
    }
    let gen_dir = dir.join(&name);
    let manifest_bytes = fs::read(gen_dir.join(MANIFEST_FILE))
        .map_err(|e| format!("index manifest unreadable: {e}"))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| format!("index manifest corrupt: {e}"))?;
    if manifest.schema != SCHEMA_VERSION {
        return Err(format!(
            "index schema {} is not the current {SCHEMA_VERSION}",
            manifest.schema
        ));
    }
    if manifest.identity != identity {
        return Err("the index belongs to another corpus".into());
    }
    let index = Index::open_in_dir(&gen_dir).map_err(|e| format!("index unreadable: {e}"))?;
    register_analyzers(&index);
    let metas = index
        .load_metas()
        .map_err(|e| format!("index metadata unreadable: {e}"))?;
    let payload: Payload = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or("index commit carries no verbatim payload")?;
    if payload.verbatim_schema != SCHEMA_VERSION
        || payload.manifest_sha256 != sha256_hex(&manifest_bytes)
    {
        return Err("index commit and manifest disagree (interrupted update)".into());
    }
    let served = served.and_then(Corpus::stored_catalog).filter(|catalog| {
        catalog.state.dir == gen_dir && catalog.state.manifest_sha256 == payload.manifest_sha256
    });
    let headers = match served {
        Some(catalog) => HeadersFile {
            files: catalog.files,
            episodes: catalog
                .episodes
                .into_iter()
                .map(|(header, at)| StoredHeader { header, at })
                .collect(),
        },
        None => read_headers(&gen_dir.join(HEADERS_FILE))?,
    };
    if let Some(missing) = headers.files.iter().find(|f| !gen_dir.join(f).is_file()) {
        return Err(format!("index passage file {missing} is missing"));
    }
    // Opening every segment now turns missing or truncated files into a rebuild
    // instead of a failed search later.
    let searcher = index
        .reader()
        .map_err(|e| format!("index segments unreadable: {e}"))?
        .searcher();
    let fields =
        Fields::from_schema(&index.schema()).map_err(|e| format!("index schema differs: {e}"))?;
    for segment in searcher.segment_readers() {
        segment
            .inverted_index(fields.text)
            .map_err(|e| format!("index segment unreadable: {e}"))?;
        segment
            .fast_fields()
            .u64("ordinal")
            .map_err(|e| format!("index segment unreadable: {e}"))?;
    }
    Ok(Current {
        dir: gen_dir,
        index,
        manifest,
        headers,
    })
}

/// Commits with the manifest's hash as payload; on disk, the headers file and the
/// manifest are written beside it (temp files renamed after the commit), and
/// passage files no episode uses any more are removed. Returns the passage
/// files in use (`episodes`' locations renumbered to match).
pub(super) fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    dir: Option<&Path>,
    manifest: &Manifest,
    episodes: &mut BTreeMap<String, Stored>,
    files: Vec<String>,
) -> Result<Vec<String>, IndexError> {
    let manifest_bytes = serde_json::to_vec(manifest).map_err(|e| IndexError::File {
        path: PathBuf::from(MANIFEST_FILE),
        message: e.to_string(),
    })?;
    let mut renames = Vec::new();
    // Keep only the passage files still referenced, renumbered in order.
    let mut used = vec![false; files.len()];
    for stored in episodes.values() {
        if let Stored::Written(_, at) = stored
            && let Some(u) = used.get_mut(at.file as usize)
        {
            *u = true;
        }
    }
    let mut renumber = vec![0u32; files.len()];
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for ((name, used), slot) in files.into_iter().zip(&used).zip(renumber.iter_mut()) {
        if *used {
            *slot = u32::try_from(kept.len()).unwrap_or(u32::MAX);
            kept.push(name);
        } else {
            dropped.push(name);
        }
    }
    for stored in episodes.values_mut() {
        if let Stored::Written(_, at) = stored {
            at.file = renumber.get(at.file as usize).copied().unwrap_or(u32::MAX);
        }
    }
    let payload = Payload {
        verbatim_schema: SCHEMA_VERSION,
        manifest_sha256: sha256_hex(&manifest_bytes),
    };
    // The headers file (tens of MB at 1 GB) is written while tantivy flushes
    // its segments: two independent pieces of work, side by side.
    let episodes = &*episodes;
    let kept_names = &kept;
    let manifest_bytes = &manifest_bytes;
    let (prepared, written) = std::thread::scope(|scope| {
        let written = dir.map(|dir| {
            scope.spawn(move || -> Result<_, IndexError> {
                let headers_tmp = dir.join(format!("{HEADERS_FILE}.tmp"));
                write_headers(&headers_tmp, kept_names, episodes.values())?;
                let manifest_tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
                fs::write(&manifest_tmp, manifest_bytes).map_err(io("write", &manifest_tmp))?;
                Ok([
                    (headers_tmp, dir.join(HEADERS_FILE)),
                    (manifest_tmp, dir.join(MANIFEST_FILE)),
                ])
            })
        });
        let prepared = writer.prepare_commit();
        let written = written.map(|handle| {
            handle.join().unwrap_or_else(|_| {
                Err(IndexError::File {
                    path: PathBuf::from(HEADERS_FILE),
                    message: "writing the headers file panicked".into(),
                })
            })
        });
        (prepared, written)
    });
    let mut prepared = prepared?;
    match written {
        Some(Ok(files)) => renames.extend(files),
        Some(Err(e)) => {
            // Nothing is committed: the old state stays whole.
            let _ = prepared.abort();
            return Err(e);
        }
        None => {}
    }
    prepared.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
    prepared.commit()?;
    for (from, to) in renames {
        fs::rename(&from, &to).map_err(io("rename", &from))?;
    }
    if let Some(dir) = dir {
        // A process still reading the old headers file keeps these files open (Unix).
        for name in dropped {
            let _ = fs::remove_file(dir.join(name));
        }
    }
    Ok(kept)
}
