//! Serving: what a running server holds. A [`Snapshot`] pairs the corpus
//! with its search index, opened once; a [`LiveCorpus`] swaps snapshots as
//! the index becomes ready ([`open_in_background`]) and as a watched folder
//! changes (`serve --watch`).

pub mod indexing;
pub mod live;
pub mod snapshot;

pub use indexing::{Indexing, open_in_background, reporting_to};
pub use live::{LiveCorpus, WatchError, WatchOptions, Watcher, check_index_outside, watch};
pub use snapshot::Snapshot;
