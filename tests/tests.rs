//! Integration tests: one binary, one module per topic.
// Test helpers (not only #[test] functions) may unwrap and panic: a failure is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod mcp;
mod mcp_http;
