//! Indexes the integration tests share: each built once per test binary,
//! in memory.

use std::sync::OnceLock;
use verbatim::Snapshot;
use verbatim::index::IndexOptions;
use verbatim::ingest::{CorpusSource, EpisodeSet, SourceFiles};
use verbatim::model::Episode;

/// An in-memory snapshot of `source`.
pub fn open_in_memory(source: CorpusSource) -> Snapshot {
    let options = IndexOptions {
        in_memory: true,
        writer_memory: 50_000_000,
        ..IndexOptions::default()
    };
    Snapshot::open(&SourceFiles::new(source), &options)
        .unwrap()
        .0
}

/// An in-memory snapshot of `episodes` (a corpus named `name`), written by
/// one indexing thread so that its segments do not depend on timing.
pub fn open_episodes(name: &str, episodes: Vec<Episode>) -> Snapshot {
    let options = IndexOptions {
        in_memory: true,
        writer_threads: 1,
        writer_memory: 50_000_000,
        ..IndexOptions::default()
    };
    Snapshot::open(&EpisodeSet::new(name, episodes), &options)
        .unwrap()
        .0
}

/// The embedded seed corpus, indexed once for every test that reads it.
pub fn seeds() -> &'static Snapshot {
    static SEEDS: OnceLock<Snapshot> = OnceLock::new();
    SEEDS.get_or_init(|| open_in_memory(CorpusSource::Embedded))
}
