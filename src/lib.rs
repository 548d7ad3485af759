//! verbatim: a transcript corpus for LLM agents, with quotes you can check.
//!
//! # Layout
//! Data flows one way: file bytes -> format parser -> [`formats::Transcript`]
//! -> [`normalize`] -> [`model::Episode`] -> corpus -> index / analysis -> tools.
//!
//! - [`model`]: the one episode model every format becomes (public JSON contract).
//! - [`formats`]: layout detection and one pure parser per layout.
//! - [`sidecar`]: the `NAME.meta.toml` metadata file any transcript may have.
//! - [`corpus`]: the episodes served (embedded default or a folder) and the files skipped.
//! - [`analysis`]: chapters placed or generated, speakers named: pure functions over episodes.
//! - [`citation`]: timestamps, links to the moment, citation lines.
//! - [`search`]: the quote-search contract shared by the index, CLI and tools.
//! - [`text`]: accent folding and word tokenization for comparing texts.
//! - [`verify`]: quote verification (exact / close / not said) with the best match.

pub mod analysis;
pub mod citation;
pub mod corpus;
pub mod formats;
pub mod model;
pub mod search;
pub mod sidecar;
pub mod text;
pub mod verify;
