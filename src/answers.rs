//! Answers: what the tools compute, in the library's own words (no tool
//! names, no protocol): the MCP server and the CLI only check arguments and
//! present these.
//!
//! - [`catalog`]: episode summaries, metadata filters, speaker names, completion.
//! - [`reading`]: windows of passages (a chapter, a time span, around one), pages, Markdown.
//! - [`verify`]: was this quote said, by whom, and when (exact / close / not said).
//! - [`quotes`]: search hits and traced topics, brief or full, with their links.
//! - [`links`]: the resource URIs answers link to.
//! - [`speakers`]: extractive per-person summaries: talk, distinctive terms, introductions, quotes.

pub mod catalog;
pub mod links;
pub mod quotes;
pub mod reading;
pub mod speakers;
pub mod verify;
