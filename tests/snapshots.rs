//! Indexes the integration tests share: each built once per test binary,
//! in memory.

use std::sync::OnceLock;
use verbatim::Snapshot;
use verbatim::index::IndexOptions;
use verbatim::ingest::{CorpusSource, SourceFiles};

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

/// The embedded seed corpus, indexed once for every test that reads it.
pub fn seeds() -> &'static Snapshot {
    static SEEDS: OnceLock<Snapshot> = OnceLock::new();
    SEEDS.get_or_init(|| open_in_memory(CorpusSource::Embedded))
}
