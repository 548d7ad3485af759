//! Where the episodes' passages live while a corpus is served: in memory for
//! small corpora, or in passage files on disk read on demand.
//!
//! A large archive does not fit in memory (1 GB of transcripts is about
//! 1.4 GB of passages as JSON), and most requests need one episode or three
//! passages. So an index generation keeps, per episode, an
//! [`EpisodeHeader`] (metadata, chapters, people, counts: what listing,
//! filters and people need) in memory, and the passages in append-only
//! passage files: one JSON line per passage, an episode's lines contiguous.
//! A [`Location`] says where an episode's lines are, line by line, so one
//! passage and its neighbours are read without the rest of the episode.
//! Whole episodes read back are kept in a small cache bounded by bytes
//! ([`EpisodeCache`]).

use crate::model::{Episode, Passage};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Bytes of whole episodes kept in memory after being read from disk.
pub const CACHE_BYTES: usize = 48 * 1024 * 1024;

/// Why passages could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("passage file {path} is corrupt: {message}")]
    Corrupt { path: PathBuf, message: String },
}

/// An episode without its passages, with what listing needs to know about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeHeader {
    /// The episode's metadata, people and chapters; `passages` is always empty
    /// here (read them through the corpus).
    pub episode: Episode,
    pub passage_count: usize,
    /// Words of the transcript ([`Episode::word_count`]).
    pub word_count: usize,
    /// [`Episode::has_timestamps`].
    pub has_timestamps: bool,
    /// [`Episode::has_speaker_turns`].
    pub has_speaker_turns: bool,
    /// The passages' speaker labels, each once, in order of first appearance.
    pub speakers: Vec<String>,
}

impl EpisodeHeader {
    /// The header of `episode` (its metadata copied, its passages summarized).
    pub fn of(episode: &Episode) -> Self {
        let mut speakers: Vec<String> = Vec::new();
        for label in episode.passages.iter().filter_map(|p| p.speaker.as_deref()) {
            if !speakers.iter().any(|s| s == label) {
                speakers.push(label.to_string());
            }
        }
        Self {
            episode: Episode {
                episode_id: episode.episode_id.clone(),
                title: episode.title.clone(),
                show: episode.show.clone(),
                published: episode.published,
                recorded: episode.recorded,
                duration_seconds: episode.duration_seconds,
                description: episode.description.clone(),
                url: episode.url.clone(),
                language: episode.language.clone(),
                source: episode.source.clone(),
                participants: episode.participants.clone(),
                speaker_map: episode.speaker_map.clone(),
                chapters: episode.chapters.clone(),
                passages: Vec::new(),
                diagnostics: episode.diagnostics.clone(),
            },
            passage_count: episode.passages.len(),
            word_count: episode.word_count(),
            has_timestamps: episode.has_timestamps(),
            has_speaker_turns: episode.has_speaker_turns(),
            speakers,
        }
    }

    /// The episode's id.
    pub fn id(&self) -> &str {
        &self.episode.episode_id
    }

    /// The whole episode: this header with `passages`.
    pub fn with_passages(&self, passages: Vec<Passage>) -> Episode {
        Episode {
            passages,
            ..self.episode.clone()
        }
    }
}

/// Where one episode's passages are: file `file` (an index into the
/// catalog's file names), from byte `offset`, one line per passage ending at
/// each of `ends` (relative to `offset`, newline included).
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
    pub fn create(dir: &Path, name: &str, file: u32) -> Result<Self, StoreError> {
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
    pub fn append(&mut self, passages: &[Passage]) -> Result<Location, StoreError> {
        let offset = self.written;
        let mut ends = Vec::with_capacity(passages.len());
        let mut line = Vec::new();
        let mut here: u64 = 0;
        for passage in passages {
            line.clear();
            serde_json::to_writer(&mut line, passage).map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
            line.push(b'\n');
            self.out.write_all(&line).map_err(io("write", &self.path))?;
            here += line.len() as u64;
            // An episode's lines stay far below 4 GB (files are at most 64 MB).
            ends.push(u32::try_from(here).map_err(|_| StoreError::Corrupt {
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
    pub fn finish(mut self) -> Result<(), StoreError> {
        self.out.flush().map_err(io("write", &self.path))?;
        self.out
            .get_ref()
            .sync_data()
            .map_err(io("sync", &self.path))
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
    ) -> Result<Self, StoreError> {
        let files = names
            .iter()
            .map(|name| {
                let path = dir.join(name);
                let file = File::open(&path).map_err(io("open", &path))?;
                Ok((path, Mutex::new(file)))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        for at in &locations {
            if files.get(at.file as usize).is_none() {
                return Err(StoreError::Corrupt {
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
    pub fn read(&self, episode: usize, range: Range<usize>) -> Result<Vec<Passage>, StoreError> {
        let Some(at) = self.locations.get(episode) else {
            return Ok(Vec::new());
        };
        let range = range.start.min(at.ends.len())..range.end.min(at.ends.len());
        let Some((path, file)) = self.files.get(at.file as usize) else {
            return Ok(Vec::new());
        };
        let corrupt = |message: String| StoreError::Corrupt {
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
    pub fn read_all(&self, episode: usize) -> Result<Vec<Passage>, StoreError> {
        self.read(episode, 0..usize::MAX)
    }
}

/// Whole episodes read from disk, most recently used kept, up to a byte budget.
#[derive(Debug)]
pub struct EpisodeCache {
    max_bytes: usize,
    inner: Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    bytes: usize,
    tick: u64,
    entries: HashMap<usize, (Arc<Episode>, usize, u64)>,
}

impl EpisodeCache {
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            inner: Mutex::new(CacheInner::default()),
        }
    }

    /// The cached episode `index`, marked as just used.
    pub fn get(&self, index: usize) -> Option<Arc<Episode>> {
        let mut inner = self.inner.lock().ok()?;
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.entries.get_mut(&index)?;
        entry.2 = tick;
        Some(Arc::clone(&entry.0))
    }

    /// Keeps `episode`, dropping the least recently used ones past the budget
    /// (an episode bigger than the whole budget is not kept).
    pub fn put(&self, index: usize, episode: Arc<Episode>) {
        let size = episode_bytes(&episode);
        if size > self.max_bytes {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        inner.tick += 1;
        let tick = inner.tick;
        if let Some((_, old, _)) = inner.entries.insert(index, (episode, size, tick)) {
            inner.bytes -= old;
        }
        inner.bytes += size;
        while inner.bytes > self.max_bytes {
            let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, (_, _, t))| *t)
                .map(|(i, _)| *i)
            else {
                break;
            };
            if let Some((_, freed, _)) = inner.entries.remove(&oldest) {
                inner.bytes -= freed;
            }
        }
    }

    /// Bytes held (estimated).
    pub fn bytes(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.bytes)
    }
}

/// Approximate heap size of an episode's passages.
fn episode_bytes(episode: &Episode) -> usize {
    episode
        .passages
        .iter()
        .map(|p| {
            std::mem::size_of::<Passage>()
                + p.text.len()
                + p.passage_id.len()
                + p.speaker.as_ref().map_or(0, String::len)
        })
        .sum()
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io {
        action,
        path,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_read_back_whole_or_in_part() {
        let dir = tempfile::tempdir().unwrap();
        let episodes = crate::testing::episodes();
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

    #[test]
    fn headers_summarize_the_passages() {
        for e in crate::testing::episodes() {
            let h = EpisodeHeader::of(&e);
            assert!(h.episode.passages.is_empty());
            assert_eq!(h.passage_count, e.passages.len());
            assert_eq!(h.word_count, e.word_count());
            assert_eq!(h.has_timestamps, e.has_timestamps());
            assert_eq!(h.has_speaker_turns, e.has_speaker_turns());
            assert_eq!(h.with_passages(e.passages.clone()), e);
        }
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let e = crate::testing::episodes().into_iter().next().unwrap();
        let size = episode_bytes(&e);
        let cache = EpisodeCache::new(size * 2);
        for i in 0..5 {
            cache.put(i, Arc::new(e.clone()));
            assert!(cache.bytes() <= size * 2);
        }
        assert!(cache.get(4).is_some() && cache.get(3).is_some());
        assert!(cache.get(0).is_none());
    }
}
