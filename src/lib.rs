//! verbatim: a transcript corpus for LLM agents, with quotes you can check.
//!
//! # Layout
//! Data flows one way: file bytes -> format parser -> [`formats::Transcript`]
//! -> [`normalize`] -> [`model::Episode`] -> corpus -> index / analysis -> tools.
//!
//! - [`model`]: the one episode model every format becomes (public JSON contract).
//! - [`formats`]: layout detection and one pure parser per layout.
//! - [`normalize`]: a parsed transcript becomes an episode: passages, chapters, title.
//! - [`dates`]: French dates (`Ce mardi 3 février`, `29/08/2025`).
//! - [`sidecar`]: the `NAME.meta.toml` metadata file any transcript may have.
//! - [`corpus`]: the episodes served (embedded default or a folder) and the files skipped.
//! - [`episode_store`]: episode headers in memory, passages in memory or on disk read on demand.
//! - [`analysis`]: chapters placed or generated, speakers named: pure functions over episodes.
//! - [`people`]: one person across episodes; a name, alias or label resolved to them.
//! - [`citation`]: timestamps, links to the moment, citation lines.
//! - [`search`]: the quote-search contract shared by the index, CLI and tools.
//! - [`index`]: the tantivy quote-search index (French analysis, on-disk cache).
//! - [`live`]: a served corpus that follows its folder: the swappable corpus+index and the watcher.
//! - [`mod@bench`]: a deterministic synthetic corpus and the search benchmark.
//! - [`text`]: accent folding, word tokenization, whitespace, slugs, name case, static regexes.
//! - [`verify`]: quote verification (exact / close / not said) with the best match.
//! - [`catalog`]: episode summaries, metadata filters, speaker names, closest ids.
//! - [`reading`]: windows and pages of passages, Markdown rendering of an episode.
//! - [`speakers_summary`]: extractive per-person summaries: talk, distinctive terms, self-introduction, quotes.
//! - [`cursor`]: opaque pagination cursors.
//! - [`matching`]: loose matching of names and ids (word prefixes, closest candidates).
//! - [`mcp`]: the MCP server (the only module that uses rmcp).

pub mod analysis;
pub mod bench;
pub mod catalog;
pub mod citation;
pub mod corpus;
pub mod cursor;
pub mod dates;
pub mod episode_store;
pub mod formats;
pub mod index;
pub mod live;
pub mod matching;
pub mod mcp;
pub mod model;
pub mod normalize;
pub mod people;
pub mod reading;
pub mod search;
pub mod sidecar;
pub mod speakers_summary;
#[cfg(test)]
mod testing;
pub mod text;
pub mod verify;
