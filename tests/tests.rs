//! Integration tests: one binary (link time matters on small machines), one module per topic.

// Tests may unwrap and index: a panic is a failed test (helpers outside `#[test]` fns need this too).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod chapters;
mod compact;
mod formats;
// The fuzz targets' per-input code, shared with `fuzz/` so saved findings replay exactly.
#[path = "../fuzz/src/harness.rs"]
mod fuzz_harness;
mod fuzz_regressions;
mod index_faults;
mod ingest_bad_input;
mod ingest_cli;
mod languages;
mod match_times;
mod mcp;
mod mcp_bad_input;
mod mcp_http;
mod mcp_load;
mod memory;
mod notes;
mod people;
mod phrases;
mod search;
mod search_seeds;
mod seeds;
mod snapshots;
mod speakers;
mod subtitle_speakers;
mod timed_text;
mod verify;
mod watch;
mod wild_formats;
