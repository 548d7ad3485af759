//! A generation's headers file (`verbatim-episodes.json`): every episode's
//! header and where its passages are in the passage files. Opening an index
//! reads this, not the passages.

use crate::corpus::passage_files::{IoError, Location, io};
use crate::index::IndexError;
use crate::model::{Episode, EpisodeHeader};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// `verbatim-episodes.json`: the passage files of the generation and every episode.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct HeadersFile {
    pub(super) files: Vec<String>,
    pub(super) episodes: Vec<StoredHeader>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredHeader {
    pub(super) header: EpisodeHeader,
    pub(super) at: Location,
}

/// An indexed episode: whole (in-memory index) or written to a passage file.
pub(super) enum Stored {
    Whole(Episode),
    Written(EpisodeHeader, Location),
}

pub(super) fn write_headers<'a>(
    path: &Path,
    files: &[String],
    episodes: impl Iterator<Item = &'a Stored>,
) -> Result<(), IndexError> {
    let file = File::create(path).map_err(io("create", path))?;
    let mut out = BufWriter::new(file);
    let err = |source: std::io::Error| {
        IndexError::Io(IoError {
            action: "write",
            path: path.to_path_buf(),
            source,
        })
    };
    let json = |e: serde_json::Error| IndexError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    out.write_all(b"{\"files\":").map_err(err)?;
    serde_json::to_writer(&mut out, files).map_err(json)?;
    out.write_all(b",\"episodes\":[").map_err(err)?;
    let mut first = true;
    for stored in episodes {
        // Only an on-disk build writes a headers file, and it writes every passage first.
        let Stored::Written(header, at) = stored else {
            continue;
        };
        if !first {
            out.write_all(b",\n").map_err(err)?;
        }
        first = false;
        serde_json::to_writer(&mut out, &StoredHeaderRef { header, at }).map_err(json)?;
    }
    out.write_all(b"]}").map_err(err)?;
    out.flush().map_err(err)?;
    Ok(())
}

/// [`StoredHeader`] borrowed, for writing.
#[derive(Serialize)]
struct StoredHeaderRef<'a> {
    header: &'a EpisodeHeader,
    at: &'a Location,
}
