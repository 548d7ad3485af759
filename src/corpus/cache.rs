//! Whole episodes read back from passage files, the most recently used kept
//! in memory up to a byte budget, so a client reading one episode page by
//! page reads its file once.

use crate::model::{Episode, Passage};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Bytes of whole episodes kept in memory after being read from disk.
pub const CACHE_BYTES: usize = 48 * 1024 * 1024;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_stays_within_its_budget() {
        let e = crate::testing::fixture_episodes()
            .into_iter()
            .next()
            .unwrap();
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
