//! verbatim: a transcript corpus for LLM agents, with quotes you can check.
//!
//! # Layout
//! Each layer uses only the layers above it in this list; data flows down
//! it, from a file's bytes to a tool's answer.
//!
//! - [`text`]: one fold, one slug, words, sentences, closest matches, digests.
//! - [`model`]: the one shape: episodes, passages, times, citations.
//! - [`formats`]: layout detection and one pure parser per layout, with the companion files.
//! - [`analysis`]: chapters placed or generated, speakers named, people joined across episodes.
//! - [`ingest`]: corpus files (embedded or a folder) -> parsed, normalized, analysed episodes.
//! - [`corpus`]: the served corpus: headers in memory, passages in memory or read from disk.
//! - [`index`]: the tantivy quote-search index: French analysis, queries, hits, on-disk store.
//! - [`answers`]: what the tools compute: catalog, reading, quote verification, speaker summaries.
//! - [`serve`]: a snapshot {corpus, index} opened once; the live watcher (`serve --watch`).
//! - [`mcp`]: the MCP server, the only protocol code: tools, resources, prompts, transports.
//! - [`mod@bench`]: a deterministic synthetic corpus and the benchmark run.
//! - [`testing`]: fixtures shared by the tests.
//!
//! The binary (`src/main.rs`, `src/cli/`) parses the command line once into a
//! validated configuration and calls these.

pub mod analysis;
pub mod answers;
pub mod bench;
pub mod corpus;
pub mod formats;
pub mod index;
pub mod ingest;
pub mod mcp;
pub mod model;
pub mod serve;
#[doc(hidden)]
pub mod testing;
pub mod text;

pub use corpus::Corpus;
pub use ingest::CorpusSource;
pub use model::{Episode, Passage};
pub use serve::Snapshot;
