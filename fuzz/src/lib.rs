//! Fuzz harness for verbatim: [`harness`] holds what each target does with
//! one input; `fuzz_targets/*.rs` call into it, and the main crate's
//! `tests/fuzz_regressions.rs` replays saved crashes through the same code.

pub mod harness;
