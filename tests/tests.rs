//! Integration tests, one module per topic.

// Test helpers outside `#[test]` functions may unwrap and index: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod search;
