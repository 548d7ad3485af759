#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| verbatim_fuzz::harness::sbv(data));
