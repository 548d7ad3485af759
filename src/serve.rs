//! Serving: what a running server holds. A [`Snapshot`] pairs the corpus
//! with its search index, opened once; a [`LiveCorpus`]
//! swaps snapshots as a watched folder changes (`serve --watch`).

pub mod live;
pub mod snapshot;

pub use live::{LiveCorpus, WatchError, WatchOptions, Watcher, check_index_outside, watch};
pub use snapshot::Snapshot;
