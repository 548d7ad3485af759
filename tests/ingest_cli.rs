//! The `verbatim` binary: `inspect` and `episodes`, their output and exit codes.

use std::process::{Command, Output};

fn verbatim(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .env_remove("VERBATIM_CORPUS")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

fn manifest_dir() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn episodes_json_from_an_empty_directory_lists_the_embedded_seeds() {
    let empty = tempfile::tempdir().unwrap();
    let out = verbatim(&["episodes", "--json"], empty.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["episode_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 5);
    assert!(ids.contains(&"mac-138-chatbots-lupus-bdd"));
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|e| !e["title"].as_str().unwrap().is_empty())
    );
}

#[test]
fn inspect_json_shows_the_eleven_chapters_with_whole_links() {
    let out = verbatim(
        &["inspect", "corpus/mac-138-chatbots-lupus-bdd.txt", "--json"],
        manifest_dir(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e: verbatim::model::Episode = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e.chapters.len(), 11);
    let links: Vec<&str> = e
        .chapters
        .iter()
        .flat_map(|c| c.links.iter().map(String::as_str))
        .collect();
    assert!(links.contains(&"https://www.youtube.com/@waxzce"));
    assert!(links.contains(&"x.com/Villepin/status/1949554013403263013"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["chapters"][10]["start_seconds"], 4320.0);
    assert_eq!(json["published"], "2025-08-29");
}

#[test]
fn inspect_text_summarises_the_file() {
    let out = verbatim(
        &["inspect", "corpus/techco-moltbook-spacex-xai.txt"],
        manifest_dir(),
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("layout:       caption_lines"), "{text}");
    assert!(text.contains("host    François Sorel"), "{text}");
    assert!(text.contains("passages:"), "{text}");
}

#[test]
fn inspect_on_a_bad_file_fails_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("image.png"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    std::fs::create_dir(dir.path().join("folder.txt")).unwrap();
    for (file, reason) in [
        ("empty.txt", "the file is empty"),
        ("image.png", "binary"),
        ("folder.txt", "cannot read folder.txt"),
        ("missing.txt", "cannot read missing.txt"),
    ] {
        let out = verbatim(&["inspect", file], dir.path());
        assert!(!out.status.success(), "{file}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{file}: {stderr}");
        assert!(
            stderr.contains(file) && stderr.contains(reason),
            "{file}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn episodes_from_a_folder_lists_problems_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let seed =
        std::fs::read(manifest_dir().join("corpus/interview-arthur-mensch-mistral.txt")).unwrap();
    std::fs::create_dir(dir.path().join("nested")).unwrap();
    std::fs::write(dir.path().join("nested/Interview Été.txt"), seed).unwrap();
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let corpus = dir.path().to_str().unwrap();
    let out = verbatim(&["--corpus", corpus, "episodes"], dir.path());
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("nested-interview-ete "), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("skipped empty.txt: the file is empty"),
        "{stderr}"
    );
}

#[test]
fn a_missing_corpus_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = verbatim(&["episodes", "--corpus", "no-such-dir"], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no-such-dir"), "{stderr}");
}

#[test]
fn no_command_serves_stdio_and_says_so_when_no_client_speaks() {
    // `verbatim` alone is the MCP server on stdio; with stdin closed at once
    // it ends cleanly with one explanation and a pointer to the commands.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .current_dir(dir.path())
        .env("VERBATIM_INDEX_DIR", dir.path().join("index"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "stdout belongs to the protocol");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("stdin closed before any MCP message"),
        "{stderr}"
    );
    assert!(stderr.contains("verbatim --help"), "{stderr}");
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    // The JSON of the 000 seed is far larger than a pipe buffer, so writing hits a broken pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["inspect", "corpus/mac-138-chatbots-lupus-bdd.txt", "--json"])
        .current_dir(manifest_dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_folder_without_transcripts_is_an_error_for_episodes_index_and_search() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let junk = work.path().join("junk");
    std::fs::create_dir(&junk).unwrap();
    std::fs::write(junk.join("blank.txt"), b"").unwrap();
    std::fs::write(junk.join("photo.png"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    let index = work.path().join("index");
    for folder in [&empty, &junk] {
        let corpus = folder.to_str().unwrap();
        for command in [&["episodes"][..], &["index"], &["search", "anything"]] {
            let mut args = vec!["--corpus", corpus, "--index-dir", index.to_str().unwrap()];
            args.extend(command);
            let out = verbatim(&args, work.path());
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(!out.status.success(), "{args:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{args:?}");
            assert!(
                stderr.contains(&format!("no transcripts found in {corpus}: ")),
                "{args:?}: {stderr}"
            );
            if folder == &junk {
                assert!(
                    stderr.contains("2 files skipped")
                        && stderr.contains("blank.txt: the file is empty")
                        && stderr.contains("photo.png: "),
                    "{args:?}: {stderr}"
                );
                // Said once, in the error (not also as "skipped ..." lines).
                assert_eq!(stderr.matches("blank.txt").count(), 1, "{stderr}");
            }
        }
    }
}

#[test]
fn an_error_says_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["episodes", "index"] {
        let out = verbatim(&["--corpus", "no-such-dir", command], dir.path());
        assert!(!out.status.success());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("no-such-dir"), "{stderr}");
        // "No such file or directory (os error 2)", once.
        assert_eq!(stderr.matches("(os error 2)").count(), 1, "{stderr}");
    }
    // The same for a port already taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = verbatim(
        &[
            "--index-dir",
            dir.path().join("index").to_str().unwrap(),
            "serve",
            "--http",
            &addr,
        ],
        dir.path(),
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("verbatim: cannot listen on"), "{stderr}");
    assert_eq!(last.matches("(os error").count(), 1, "{stderr}");
}

#[test]
fn help_lists_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = verbatim(&["--help"], dir.path());
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for command in ["inspect", "episodes", "index", "search", "bench", "serve"] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from --help:\n{help}"
        );
    }
}

#[test]
fn index_messages_start_lower_case() {
    // The first run built the index and said "index Built: ..." (an enum's Debug name).
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = verbatim(
        &[
            "--index-dir",
            index.to_str().unwrap(),
            "search",
            "batteries",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("index built: "), "{stderr}");
    for line in stderr.lines() {
        assert!(
            !line.starts_with(|c: char| c.is_uppercase()),
            "{line:?} in:\n{stderr}"
        );
    }
}

#[test]
fn search_prints_when_the_matched_words_are_said() {
    // The English interview is one passage from 00:00:01; "servers" is said
    // in its second caption, at 00:00:07: the time a person would seek to.
    let dir = tempfile::tempdir().unwrap();
    let corpus = manifest_dir().join("tests/fixtures/languages");
    let out = verbatim(
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "--index-dir",
            dir.path().join("index").to_str().unwrap(),
            "search",
            "--language",
            "en",
            "servers",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("[1] 00:00:07 · "), "{stdout}");
}
