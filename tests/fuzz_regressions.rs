//! Fuzzing's findings kept as tests: every file under `fuzz/regressions/<target>/`
//! is replayed through the same function the fuzz target calls
//! (`fuzz/src/harness.rs`, included by `tests/tests.rs`), plus hand-made
//! nasty inputs so the replay is never empty. A panic or a slow answer fails.

use crate::fuzz_harness::{self, TARGETS, Target};
use std::path::Path;
use std::time::{Duration, Instant};
use verbatim::formats::FormatError;
use verbatim::ingest::load_file;

/// Longest one replay may take: the fuzzers ran with `-timeout=10`, and the
/// slowest legitimate paths (quote verification) have a 2 s budget.
const SLOW: Duration = Duration::from_secs(10);

fn replay(target: &str, run: Target, name: &str, data: &[u8]) {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(|| run(data));
    assert!(outcome.is_ok(), "{target}/{name} panicked");
    let took = started.elapsed();
    assert!(took < SLOW, "{target}/{name} took {took:?}");
}

fn target(name: &str) -> Target {
    TARGETS
        .iter()
        .find(|(t, _)| *t == name)
        .map(|(_, run)| *run)
        .unwrap()
}

#[test]
fn saved_fuzz_findings_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (name, run) in TARGETS {
        let dir = root.join(name);
        // A target with no findings has no folder: nothing to replay for it.
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
            replay(name, *run, &file_name, &data);
            replayed += 1;
        }
    }
    // Folders of targets that do not exist would be silently skipped: refuse them.
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries {
            let folder = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                TARGETS.iter().any(|(t, _)| *t == folder),
                "fuzz/regressions/{folder} names no fuzz target"
            );
        }
    }
    eprintln!("replayed {replayed} saved fuzz finding(s)");
}

/// Inputs written by hand to be nasty, replayed through the format targets.
const NASTY_TEXTS: &[&[u8]] = &[
    b"",
    b"\0",
    b"\0\0\0WEBVTT",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE\0\xD8",
    b"WEBVTT\n\n-->\n",
    b"WEBVTT\n\n --> \ntexte\n",
    b"WEBVTT\n\n99999999:99:99.999 --> 99999999:99:99.999\ntexte\n",
    b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nreversed\n",
    b"WEBVTT\n\n-00:00:01.000 --> 00:00:02.000\nnegative\n",
    b"WEBVTT\n\n00:00.000 --> 00:01.000\n<v Marc\n",
    b"1\n-->\n\n",
    b"1\n99999999:99:99,999 --> 99999999:99:99,999\nx\n",
    b"1\n00:00:05,000 --> 00:00:01,000\nreversed\n",
    b"18446744073709551615\n00:00:01,000 --> 00:00:02,000\nx\n",
    b"99999999:99:99 Bonjour\n99999999:99:99 Suite\n",
    b"00:01 a\n00:00 b\n00:01 c\n",
    b"[99999999999999999999s - 1e308s] SPEAKER_00 : x\n[0s - -5s] SPEAKER_01 : y\n",
    b"[5s - 1s] SPEAKER_00 : reversed\n[NaNs - infs] SPEAKER_01 : y\n",
    b"Titre\nDate de sortie: 99/99/9999\nDur\xC3\xA9e: 99999999:99:99\n00:00 Intro\n99999999:00 Fin\nTexte\n",
    br#"{"segments":[{"startTime":1e308,"endTime":-1e308,"body":"x"}]}"#,
    br#"{"segments":[{"start":-1,"end":1e400,"text":"x","words":[{"word":"x","start":1e300}]}]}"#,
    br#"{"transcription":[{"offsets":{"from":-5,"to":18446744073709551615},"text":"x"}]}"#,
    br#"{"wireMagic":"pb3","events":[{"tStartMs":-1,"dDurationMs":1e300,"segs":[{"utf8":"x"}]}]}"#,
    br#"[{"text":"x","start":-0.5,"duration":1e308}]"#,
    br#"{"chapters":[{"startTime":1e308,"title":"x"},{"startTime":-1}]}"#,
    b"<cite>L\xC3\xA9a:</cite><time>99999999:99:99</time><p>x</p>",
    br#"<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter" ttp:frameRate="0" ttp:tickRate="0" ttp:frameRateMultiplier="0 0" ttp:subFrameRate="0"><body><p begin="99999999999999999999h" end="1t" dur="5f">x</p><p begin="99:99:99:99.99">y</p></body></tt>"#,
    br#"<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter" ttp:timeBase="smpte" ttp:dropMode="dropNTSC"><body begin="999999:59:59:29"><div begin="999999999999h"><p begin="00:00:00;00" dur="99999999999999999999.999999999999s">x</p></div></body></tt>"#,
    b"<SAMI><SYNC Start=99999999999999999999999><P Class=><SYNC Start=-5><P Class=\"x<SYNC",
    b"<sami><sync start=1><p class=a><!-- <sync start=2> \xC3\xA9",
];

fn nested_json(depth: usize) -> Vec<u8> {
    let mut s = "[".repeat(depth);
    s.push_str(&"]".repeat(depth));
    s.into_bytes()
}

#[test]
fn hand_made_nasty_inputs_do_not_panic() {
    let deep = nested_json(100_000);
    let deep_object = format!("{}{}", r#"{"segments":"#.repeat(10_000), "}".repeat(10_000));
    let mut inputs: Vec<&[u8]> = NASTY_TEXTS.to_vec();
    inputs.push(&deep);
    inputs.push(deep_object.as_bytes());
    let deep_ttml = format!(
        "<tt xmlns=\"http://www.w3.org/ns/ttml\"><body>{}<p>x<span begin=\"1s\">{}y{}</span></p>{}</body></tt>",
        "<div begin=\"1s\">".repeat(5_000),
        "<span>".repeat(5_000),
        "</span>".repeat(5_000),
        "</div>".repeat(5_000)
    );
    inputs.push(deep_ttml.as_bytes());
    for name in [
        "parse_any",
        "detect",
        "webvtt",
        "srt",
        "podcast_page",
        "caption_lines",
        "diarized_dump",
        "podcasting20_html",
        "ttml",
        "sami",
        "json_formats",
        "companions",
        "text_bits",
    ] {
        let run = target(name);
        for (i, data) in inputs.iter().enumerate() {
            // Every selector byte of the structured targets, then the raw text.
            for selector in 0..14u8 {
                let mut input = vec![selector];
                input.extend_from_slice(data);
                replay(name, run, &format!("nasty {i} selector {selector}"), &input);
            }
            replay(name, run, &format!("nasty {i}"), data);
        }
    }
}

#[test]
fn nasty_files_get_clear_errors() {
    for (name, data, want) in [
        ("a.txt", &b""[..], FormatError::Empty),
        ("a.txt", b" \n\t\n", FormatError::Empty),
        ("a.vtt", b"\0\0\0", FormatError::Binary),
        ("a.srt", b"WEBVTT\0", FormatError::Binary),
    ] {
        assert_eq!(load_file(name, data).unwrap_err(), want, "{name}: {data:?}");
    }
    // Broken files of a known format are refused, naming the format.
    for (name, data) in [
        ("a.vtt", &b"WEBVTT\n\n-->\n"[..]),
        (
            "a.vtt",
            b"WEBVTT\n\n99999999:99:99.999 --> 99999999:99:99.999\n\n",
        ),
        ("a.srt", b"1\n-->\n\n"),
        ("a.json", br#"{"segments":[{"startTime":"x"}]}"#),
    ] {
        let err = load_file(name, data).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::Malformed { .. }
                    | FormatError::NoText(_)
                    | FormatError::Unrecognized { .. }
            ),
            "{name}: {data:?}: {err}"
        );
        assert!(!err.to_string().is_empty());
    }
    // Deep JSON nesting is refused by the JSON reader's recursion limit, not a stack overflow.
    assert!(load_file("a.json", &nested_json(100_000)).is_err());
}

#[test]
fn nasty_search_verify_and_tool_inputs_do_not_panic() {
    let long = "é".repeat(5_000);
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        vec![0xFF; 64],
        vec![0; 64],
        long.clone().into_bytes(),
        b"\"\"\"\" * ? ~ ^ : ( ) [ ] { } AND OR NOT - + \\".to_vec(),
    ];
    let mut max_offset = vec![0u8, 0, 0, 0, 0, 0, 1, 10, 0];
    max_offset.extend_from_slice(&u64::MAX.to_le_bytes());
    max_offset.extend_from_slice(b"intelligence");
    inputs.push(max_offset);
    inputs.push(nested_json(100_000));
    for name in ["search", "verify_quote", "cursor", "mcp_tools"] {
        let run = target(name);
        for (i, data) in inputs.iter().enumerate() {
            for selector in [0u8, 1, 2, 3, 4, 7, 15] {
                let mut input = vec![selector];
                input.extend_from_slice(data);
                replay(name, run, &format!("nasty {i} selector {selector}"), &input);
            }
        }
    }
    // Raw JSON tool arguments at the edges of every type.
    let mcp = target("mcp_tools");
    for (tool, args) in [
        (0u8, r#"{"limit":"-9223372036854775808"}"#),
        (
            3,
            r#"{"episode_id":"ep-a","chapter":9223372036854775807,"max_chars":"1e400"}"#,
        ),
        (
            4,
            r#"{"episode_id":"ep-a","start_seconds":1e308,"end_seconds":-1e308}"#,
        ),
        (
            4,
            r#"{"episode_id":"ep-a","around_passage":"","before":-1,"after":51}"#,
        ),
        (5, r#"{"query":"a","limit":50,"cursor":"7b7d"}"#),
        (6, r#"{"quote":"\u0000\u0000"}"#),
        (7, r#"{"speaker":[[[[[]]]]]}"#),
    ] {
        let mut input = vec![0u8, tool];
        input.extend_from_slice(args.as_bytes());
        replay("mcp_tools", mcp, args, &input);
    }
    fuzz_harness::fixture();
}
