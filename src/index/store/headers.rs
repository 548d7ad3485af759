//! A generation's catalog (`verbatim-episodes.bin`): every episode's
//! header and where its passages are in the passage files. Opening an index
//! reads this, not the passages.
//!
//! It is written in postcard, a compact binary serde format: at 1 GB the
//! same catalog in JSON took 69 MB and most of a second to parse at every
//! start, several times what decoding this one costs. The format is tied to
//! the index schema ([`crate::index::schema::SCHEMA_VERSION`]), so an index
//! written otherwise is rebuilt, never misread.

use crate::corpus::passage_files::{Location, io};
use crate::index::IndexError;
use crate::model::{Episode, EpisodeHeader};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// `verbatim-episodes.bin`: the passage files of the generation and every episode.
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
    // Only an on-disk build writes a catalog, and it writes every passage first.
    let episodes: Vec<StoredHeaderRef<'_>> = episodes
        .filter_map(|stored| match stored {
            Stored::Written(header, at) => Some(StoredHeaderRef { header, at }),
            Stored::Whole(_) => None,
        })
        .collect();
    let bytes = postcard::to_allocvec(&HeadersFileRef { files, episodes }).map_err(|e| {
        IndexError::File {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    })?;
    // One write of the encoded catalog: nothing to buffer.
    std::fs::write(path, &bytes).map_err(io("write", path))?;
    Ok(())
}

/// Reads a catalog back; `Err` says why it cannot be used.
pub(super) fn read_headers(path: &Path) -> Result<HeadersFile, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("index catalog unreadable: {e}"))?;
    postcard::from_bytes(&bytes).map_err(|e| format!("index catalog corrupt: {e}"))
}

/// [`HeadersFile`] borrowed, for writing (the same encoding).
#[derive(Serialize)]
struct HeadersFileRef<'a> {
    files: &'a [String],
    episodes: Vec<StoredHeaderRef<'a>>,
}

/// [`StoredHeader`] borrowed, for writing.
#[derive(Serialize)]
struct StoredHeaderRef<'a> {
    header: &'a EpisodeHeader,
    at: &'a Location,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;
    use crate::ingest::CorpusSource;

    #[test]
    fn a_catalog_reads_back_as_written() {
        let corpus = Corpus::load(&CorpusSource::Embedded).unwrap();
        let mut headers: Vec<EpisodeHeader> = corpus.headers().to_vec();
        // Every optional piece present in one header at least.
        if let Some(h) = headers.first_mut() {
            h.episode.duration_seconds = Some(3_723_456);
            h.episode.published = chrono::NaiveDate::from_ymd_opt(2024, 2, 29);
            h.episode.description = Some("Une description « accentuée »\n".into());
        }
        let stored: Vec<Stored> = headers
            .iter()
            .zip(0u32..)
            .map(|(h, i)| {
                let at = Location {
                    file: i % 2,
                    offset: u64::from(i) * 1000,
                    ends: vec![10, 20, 30 + i],
                };
                Stored::Written(h.clone(), at)
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog");
        let files = vec![
            "passages-a.jsonl".to_string(),
            "passages-b.jsonl".to_string(),
        ];
        write_headers(&path, &files, stored.iter()).unwrap();
        let back = read_headers(&path).unwrap();
        assert_eq!(back.files, files);
        assert_eq!(back.episodes.len(), stored.len());
        for (read, written) in back.episodes.iter().zip(&stored) {
            let Stored::Written(header, at) = written else {
                unreachable!()
            };
            assert_eq!(&read.header, header);
            assert_eq!(&read.at, at);
        }
        // A truncated or foreign file is refused, not misread.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(read_headers(&path).is_err());
        std::fs::write(&path, b"{\"files\":[],\"episodes\":[]}").unwrap();
        assert!(read_headers(&path).is_err());
    }
}
