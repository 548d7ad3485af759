//! Benchmarks: a deterministic synthetic corpus ([`generator`]) and the
//! run that indexes it and times a query mix ([`runner`], `verbatim bench`),
//! then checks quote verification at that size ([`verification`]), with a
//! plain-tantivy [`baseline`] measured in the same run for the ratios.

pub mod baseline;
pub mod generator;
pub mod runner;
pub mod verification;

pub use generator::{Chain, GeneratedFile, Rng, generate, seed_texts};
pub use runner::{BenchError, BenchOptions, BenchReport, QueryTiming, run};
pub use verification::VerificationCheck;
