//! Ingest: from a corpus's files to [`Episode`](crate::model::Episode)s.
//!
//! - [`source`]: where the files are (embedded or a folder), listed and read.
//! - [`ids`]: each file's episode id, stable and unique.
//! - [`load`]: one file's bytes -> an episode (parse, companions, passages,
//!   analysis), and a whole corpus with the files it could not load.
//! - [`normalize`]: what a file says ([`Transcript`](crate::formats::Transcript))
//!   -> passages, chapters, a title.
//! - [`corpus_files`]: the corpus as the index sees it (fingerprints, one
//!   file read at a time); [`episode_set`]: episodes in memory seen the same way.

pub mod corpus_files;
pub mod episode_set;
pub mod ids;
pub mod load;
pub mod normalize;
pub mod source;

pub use corpus_files::{CorpusFiles, FileStamp, SourceFiles};
pub use episode_set::EpisodeSet;
pub use ids::{episode_id_for, episode_ids};
pub use load::{
    FileProblem, Loaded, load_all, load_companions, load_file, load_file_with_companions,
    load_file_with_id,
};
pub use source::{
    CorpusFile, CorpusSource, Listing, MAX_FILE_BYTES, SourceError, is_companion, read, scan,
    scan_listing,
};
