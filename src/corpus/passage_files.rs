//! Passage files: where a large corpus keeps its passages on disk, written
//! once by the index build and read on demand while serving.
//!
//! A large archive does not fit in memory (1 GB of transcripts is about
//! 1.4 GB of passages as JSON), and most requests need one episode or three
//! passages. So passages go to append-only files, one JSON line per passage,
//! an episode's lines contiguous, while only the episodes' headers stay in
//! memory. A [`Location`] says where an episode's lines are, line by line,
//! so one passage and its neighbours are read without the rest of the episode.

use crate::model::Passage;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A file that could not be created, written or read: what was being
/// done, to which file, and why.
#[derive(Debug, thiserror::Error)]
#[error("{action} {path}: {source}")]
pub struct IoError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Names an I/O failure of `action` on `path`: `.map_err(io("write", &path))?`.
pub fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> IoError {
    let path = path.to_path_buf();
    move |source| IoError {
        action,
        path,
        source,
    }
}

/// Why passages could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum PassageFileError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("passage file {path} is corrupt: {message}")]
    Corrupt { path: PathBuf, message: String },
}

/// Where one episode's passages are: file `file` (an index into the list of
/// passage files stored with the headers), from byte `offset`, one line per
/// passage ending at each of `ends` (relative to `offset`, newline included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub file: u32,
    pub offset: u64,
    pub ends: Vec<u32>,
}

impl Location {
    /// Byte range (relative to `offset`) of passages `range`.
    fn bytes(&self, range: &Range<usize>) -> Option<Range<u64>> {
        if range.start >= range.end {
            return Some(0..0);
        }
        let start = match range.start {
            0 => 0,
            i => *self.ends.get(i - 1)?,
        };
        let end = *self.ends.get(range.end - 1)?;
        Some(u64::from(start)..u64::from(end))
    }
}

/// Appends episodes' passages to one new passage file.
pub struct PassageWriter {
    path: PathBuf,
    out: BufWriter<File>,
    written: u64,
    file: u32,
}

impl PassageWriter {
    /// Creates `dir/name`; its locations will name it as file number `file`.
    pub fn create(dir: &Path, name: &str, file: u32) -> Result<Self, PassageFileError> {
        let path = dir.join(name);
        let handle = File::create(&path).map_err(io("create", &path))?;
        Ok(Self {
            path,
            out: BufWriter::with_capacity(1 << 20, handle),
            written: 0,
            file,
        })
    }

    /// Writes one episode's passages; returns where they are.
    pub fn append(&mut self, passages: &[Passage]) -> Result<Location, PassageFileError> {
        let offset = self.written;
        let mut ends = Vec::with_capacity(passages.len());
        let mut line = Vec::new();
        let mut here: u64 = 0;
        for passage in passages {
            line.clear();
            serde_json::to_writer(&mut line, passage).map_err(|e| PassageFileError::Corrupt {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
            line.push(b'\n');
            self.out.write_all(&line).map_err(io("write", &self.path))?;
            here += line.len() as u64;
            // An episode's lines stay far below 4 GB (files are at most 64 MB).
            ends.push(u32::try_from(here).map_err(|_| PassageFileError::Corrupt {
                path: self.path.clone(),
                message: "an episode's passages exceed 4 GB".into(),
            })?);
        }
        self.written += here;
        Ok(Location {
            file: self.file,
            offset,
            ends,
        })
    }

    /// Flushes the file to disk.
    pub fn finish(mut self) -> Result<(), PassageFileError> {
        self.out.flush().map_err(io("write", &self.path))?;
        self.out
            .get_ref()
            .sync_data()
            .map_err(io("sync", &self.path))?;
        Ok(())
    }
}

/// Passage files opened for reading, and where each episode is in them
/// (in the corpus's episode order).
#[derive(Debug)]
pub struct DiskPassages {
    files: Vec<(PathBuf, Mutex<File>)>,
    locations: Vec<Location>,
}

impl DiskPassages {
    /// Opens the passage files `names` of `dir`. They stay open, so a newer
    /// generation removing them does not disturb this one.
    pub fn open(
        dir: &Path,
        names: &[String],
        locations: Vec<Location>,
    ) -> Result<Self, PassageFileError> {
        let files = names
            .iter()
            .map(|name| {
                let path = dir.join(name);
                let file = File::open(&path).map_err(io("open", &path))?;
                Ok((path, Mutex::new(file)))
            })
            .collect::<Result<Vec<_>, PassageFileError>>()?;
        for at in &locations {
            if files.get(at.file as usize).is_none() {
                return Err(PassageFileError::Corrupt {
                    path: dir.to_path_buf(),
                    message: format!(
                        "a location names passage file {} of {}",
                        at.file,
                        names.len()
                    ),
                });
            }
        }
        Ok(Self { files, locations })
    }

    /// Episodes known.
    pub fn len(&self) -> usize {
        self.locations.len()
    }

    /// The passage files' names (in the numbering of the locations) and each
    /// episode's location, in the store's order: what a catalog records.
    pub fn catalog(&self) -> (Vec<String>, &[Location]) {
        let names = self
            .files
            .iter()
            .map(|(path, _)| {
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        (names, &self.locations)
    }

    /// Whether no episode is stored.
    pub fn is_empty(&self) -> bool {
        self.locations.is_empty()
    }

    /// Reorders the locations: position `i` gets the one at `order[i]`.
    pub fn reorder(&mut self, order: &[usize]) {
        let mut old: Vec<Option<Location>> = std::mem::take(&mut self.locations)
            .into_iter()
            .map(Some)
            .collect();
        self.locations = order
            .iter()
            .filter_map(|&i| old.get_mut(i).and_then(Option::take))
            .collect();
    }

    /// Passages `range` of episode `episode` (clamped to its passages).
    pub fn read(
        &self,
        episode: usize,
        range: Range<usize>,
    ) -> Result<Vec<Passage>, PassageFileError> {
        let Some(at) = self.locations.get(episode) else {
            return Ok(Vec::new());
        };
        let range = range.start.min(at.ends.len())..range.end.min(at.ends.len());
        let Some((path, file)) = self.files.get(at.file as usize) else {
            return Ok(Vec::new());
        };
        let corrupt = |message: String| PassageFileError::Corrupt {
            path: path.clone(),
            message,
        };
        let bytes = at
            .bytes(&range)
            .ok_or_else(|| corrupt("location out of its bounds".into()))?;
        let mut buffer = vec![0u8; usize::try_from(bytes.end - bytes.start).unwrap_or(0)];
        {
            let mut file = file.lock().map_err(|_| corrupt("lock poisoned".into()))?;
            file.seek(SeekFrom::Start(at.offset + bytes.start))
                .map_err(io("read", path))?;
            file.read_exact(&mut buffer).map_err(io("read", path))?;
        }
        buffer
            .split(|b| *b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice(line).map_err(|e| corrupt(e.to_string())))
            .collect()
    }

    /// Every passage of episode `episode`.
    pub fn read_all(&self, episode: usize) -> Result<Vec<Passage>, PassageFileError> {
        self.read(episode, 0..usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_read_back_whole_or_in_part() {
        let dir = tempfile::tempdir().unwrap();
        let episodes = crate::testing::fixture_episodes();
        let mut writer = PassageWriter::create(dir.path(), "p-1.jsonl", 0).unwrap();
        let locations: Vec<Location> = episodes
            .iter()
            .map(|e| writer.append(&e.passages).unwrap())
            .collect();
        writer.finish().unwrap();
        let disk = DiskPassages::open(dir.path(), &["p-1.jsonl".into()], locations).unwrap();
        for (i, e) in episodes.iter().enumerate() {
            assert_eq!(disk.read_all(i).unwrap(), e.passages, "{}", e.episode_id);
            let n = e.passages.len();
            for (range, want) in [(1..3, 1..3.min(n)), (0..1, 0..1.min(n)), (n..n + 2, n..n)] {
                let want = e.passages.get(want.start.min(n)..want.end.min(n)).unwrap();
                assert_eq!(disk.read(i, range.clone()).unwrap(), want, "{range:?}");
            }
        }
        assert!(disk.read(99, 0..1).unwrap().is_empty());
    }
}
