//! verbatim: a transcript corpus for LLM agents, with quotes you can check.
//!
//! # Layout
//! Data flows one way: file bytes -> format parser -> [`formats::Transcript`]
//! -> [`normalize`] -> [`model::Episode`] -> corpus -> index / analysis -> tools.
//!
//! - [`model`]: the one episode model every format becomes (public JSON contract).
//! - [`formats`]: layout detection and one pure parser per layout.
//! - [`corpus`]: the episodes served (embedded default or a folder) and the files skipped.
//! - [`citation`]: timestamps, links to the moment, citation lines.
//! - [`search`]: the quote-search contract shared by the index, CLI and tools.
//! - [`index`]: the tantivy quote-search index (French analysis, on-disk cache).
//! - [`bench`]: a deterministic synthetic corpus for benchmarks.
//! - [`text`]: accent folding and word tokenization for comparing texts.
//! - [`verify`]: quote verification (exact / close / not said) with the best match.

pub mod bench;
pub mod citation;
pub mod corpus;
pub mod formats;
pub mod index;
pub mod model;
pub mod search;
pub mod text;
pub mod verify;
