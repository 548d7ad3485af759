//! Integration tests, one binary: each topic has its own module file.

// Test helpers outside `#[test]` functions may fail loudly, like the tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod formats;
