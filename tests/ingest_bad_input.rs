//! Bad input never panics and never costs the rest of the corpus: each bad
//! file is skipped with a reason naming it, or loaded with a diagnostic.

use std::path::Path;
use verbatim::corpus::Corpus;
use verbatim::formats::FormatError;
use verbatim::ingest::{CorpusSource, load_file};
use verbatim::model::Severity;

fn seed_bytes() -> Vec<u8> {
    std::fs::read(format!(
        "{}/corpus/smarttech-elon-musk-ia.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A corpus folder with one good seed and one file of each kind of bad input.
fn bad_corpus(dir: &Path) {
    std::fs::write(dir.join("good.txt"), seed_bytes()).unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(dir.join("blank.txt"), b"  \n\n\t\n").unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 100));
    std::fs::write(dir.join("image.txt"), png).unwrap();
    let mut latin = b"00:01 Bonjour \xe0 tous.\n00:03 C'est l'\xe9t\xe9.\n".to_vec();
    latin.extend(b"00:05 Fin.\n");
    std::fs::write(dir.join("latin1.txt"), latin).unwrap();
    let mut broken = "00:01 Déjà là.\n00:03 Un octet cassé: ".as_bytes().to_vec();
    broken.extend(b"\xff\xfe ici.\n");
    std::fs::write(dir.join("broken-utf8.txt"), broken).unwrap();
    std::fs::write(dir.join("huge-line.txt"), "bla ".repeat(2_600_000)).unwrap();
    std::fs::write(dir.join("only-times.txt"), "00:01\n00:02\n00:03\n").unwrap();
    std::fs::create_dir(dir.join("folder.txt")).unwrap();
    std::os::unix::fs::symlink(dir.join("missing-target.txt"), dir.join("dangling.txt")).unwrap();
    std::fs::write(dir.join(".hidden.txt"), b"not read").unwrap();
    std::fs::write(dir.join("good.meta.toml"), b"title = 'x'").unwrap();
}

#[test]
fn bad_files_are_skipped_with_reasons_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    bad_corpus(dir.path());
    let corpus = Corpus::load(&CorpusSource::Dir(dir.path().to_path_buf())).unwrap();
    let ids: Vec<&str> = corpus.headers().iter().map(|h| h.id()).collect();
    assert_eq!(ids, vec!["broken-utf8", "good", "latin1"]);
    let problems: Vec<(&str, &str)> = corpus
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.reason.as_str()))
        .collect();
    let reason = |path: &str| {
        problems
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, r)| *r)
            .unwrap_or_else(|| panic!("no problem for {path}: {problems:?}"))
    };
    assert_eq!(reason("empty.txt"), "the file is empty");
    assert_eq!(reason("blank.txt"), "the file is empty");
    assert_eq!(reason("image.txt"), "the file is binary, not text");
    assert!(reason("huge-line.txt").contains("not a transcript verbatim recognizes"));
    assert!(reason("only-times.txt").contains("no caption text"));
    assert!(reason("dangling.txt").starts_with("cannot read dangling.txt"));
    assert_eq!(problems.len(), 6, "{problems:?}");
}

#[test]
fn undecodable_bytes_become_warnings() {
    let dir = tempfile::tempdir().unwrap();
    bad_corpus(dir.path());
    let corpus = Corpus::load(&CorpusSource::Dir(dir.path().to_path_buf())).unwrap();
    let latin = corpus.episode("latin1").unwrap();
    assert!(
        latin.passages.iter().any(|p| p.text.contains("l'été")),
        "{:?}",
        latin.passages
    );
    assert!(
        latin
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Warning && d.message.contains("Windows-1252"))
    );
    let broken = corpus.episode("broken-utf8").unwrap();
    assert!(broken.passages.iter().any(|p| p.text.contains("Déjà là.")));
    assert!(
        broken
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Warning && d.message.contains("invalid UTF-8"))
    );
}

#[test]
fn typed_errors_for_each_kind() {
    assert_eq!(load_file("e.txt", b"").unwrap_err(), FormatError::Empty);
    assert_eq!(
        load_file("b.bin", b"\0\x01\x02\x03").unwrap_err(),
        FormatError::Binary
    );
    assert_eq!(
        load_file("c.txt", &[0x01u8; 100]).unwrap_err(),
        FormatError::Binary
    );
    assert!(matches!(
        load_file("t.txt", b"00:01\n00:02\n").unwrap_err(),
        FormatError::NoText(_)
    ));
    assert!(matches!(
        load_file("u.txt", b"juste une ligne de texte").unwrap_err(),
        FormatError::Unrecognized { .. }
    ));
    assert!(matches!(
        load_file("d.txt", b"[0.0s - 1.0s] SPEAKER_00 :\n").unwrap_err(),
        FormatError::NoText(_)
    ));
}

#[test]
fn bom_crlf_and_utf16_are_read() {
    let text = "00:01 Bonjour à tous.\r\n00:04 Ça va ?\r\n";
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend(text.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for bytes in [utf8, utf16] {
        let e = load_file("x.txt", &bytes).unwrap();
        let texts: Vec<_> = e.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["Bonjour à tous. Ça va ?"]);
    }
}

#[test]
fn a_ten_megabyte_caption_line_is_cut_into_passages() {
    let mut text = String::from("00:01 ");
    while text.len() < 10_000_000 {
        text.push_str("Une phrase qui revient sans fin, encore et encore. ");
    }
    let started = std::time::Instant::now();
    let e = load_file("big.txt", text.as_bytes()).unwrap();
    assert!(e.passages.len() > 20_000);
    assert!(e.passages.iter().all(|p| p.text.chars().count() <= 500));
    // A hang check, not a timing test: a debug build on a busy 2-core
    // machine takes about a minute, quadratic cutting would take hours.
    assert!(
        started.elapsed().as_secs() < 300,
        "took {:?}",
        started.elapsed()
    );
    let spaceless = format!("00:01 {}", "x".repeat(10_000_000));
    let e = load_file("spaceless.txt", spaceless.as_bytes()).unwrap();
    assert_eq!(e.passages.len(), 20_000);
}

#[test]
fn truncated_and_mangled_seeds_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // Sidecars sit next to the transcripts; they are not transcripts.
        if verbatim::ingest::is_companion(&path.to_string_lossy()) {
            continue;
        }
        let bytes = std::fs::read(path).unwrap();
        // Cuts land anywhere, including inside multi-byte characters and timestamps.
        for cut in (1..bytes.len()).step_by(4_999) {
            let _ = load_file("cut.txt", &bytes[..cut]);
            let _ = load_file("tail.txt", &bytes[cut..]);
        }
        let doubled_newlines: Vec<u8> = bytes
            .iter()
            .flat_map(|b| {
                if *b == b'\n' {
                    vec![b'\r', b'\n', b'\n']
                } else {
                    vec![*b]
                }
            })
            .collect();
        assert!(load_file("crlf.txt", &doubled_newlines).is_ok());
    }
}

#[test]
fn folder_links_that_loop_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/ep.txt"), seed_bytes()).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    let corpus = Corpus::load(&CorpusSource::Dir(dir.path().to_path_buf())).unwrap();
    let ids: Vec<&str> = corpus.headers().iter().map(|h| h.id()).collect();
    assert_eq!(ids, vec!["sub-ep"]);
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
}

/// Two good transcripts from the format fixtures, copied into `dir`.
fn good_pair(dir: &Path) {
    for name in ["ep01-ecole.vtt", "ep02-sante.srt"] {
        let from = format!(
            "{}/tests/fixtures/formats/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::copy(from, dir.join(name)).unwrap();
    }
}

/// Companions that fail to parse, each named after a good transcript (or,
/// for the feed, in its folder), and an XML file that is nothing verbatim reads.
const BROKEN: &[(&str, &str)] = &[
    (
        "feed.xml",
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><item><title>coupé",
    ),
    (
        "ep01-ecole.chapters.json",
        "{\"version\": \"1.2.0\", \"chapters\": [",
    ),
    ("ep01-ecole.rttm", "SPEAKER ep01 1 zéro\n"),
    ("ep02-sante.meta.toml", "title = \n"),
    ("x.xml", "<config><a/></config>"),
];

fn verbatim_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .env_remove("VERBATIM_CORPUS")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// Regression: a YouTube `<transcript>` XML was "malformed RSS feed: the
/// root element is <transcript>", and every companion that failed was
/// printed by `inspect` of any file in its folder.
#[test]
fn broken_companions_are_reported_once_and_change_nothing_else() {
    let clean = tempfile::tempdir().unwrap();
    good_pair(clean.path());
    let messy = tempfile::tempdir().unwrap();
    good_pair(messy.path());
    for (name, text) in BROKEN {
        std::fs::write(messy.path().join(name), text).unwrap();
    }
    let load = |dir: &Path| Corpus::load(&CorpusSource::Dir(dir.to_path_buf())).unwrap();
    let (clean_corpus, messy_corpus) = (load(clean.path()), load(messy.path()));
    assert!(
        clean_corpus.problems.is_empty(),
        "{:?}",
        clean_corpus.problems
    );
    assert_eq!(
        messy_corpus.to_episodes().unwrap(),
        clean_corpus.to_episodes().unwrap(),
        "the good transcripts load exactly as without the broken files"
    );
    let mut problems: Vec<&str> = messy_corpus
        .problems
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    problems.sort_unstable();
    let mut want: Vec<&str> = BROKEN.iter().map(|(name, _)| *name).collect();
    want.sort_unstable();
    assert_eq!(problems, want, "each broken file once, on its own name");
    let reason = |path: &str| {
        let p = messy_corpus
            .problems
            .iter()
            .find(|p| p.path == path)
            .unwrap();
        p.reason.clone()
    };
    assert!(
        reason("feed.xml").contains("RSS feed"),
        "{}",
        reason("feed.xml")
    );
    let unknown = reason("x.xml");
    assert!(
        unknown.contains("not a transcript verbatim recognizes") && !unknown.contains("feed"),
        "{unknown}"
    );
    assert!(
        reason("ep02-sante.meta.toml").starts_with("meta_toml not applied: line 1:"),
        "{}",
        reason("ep02-sante.meta.toml")
    );

    // `inspect` of a good file prints what it prints without the broken
    // files, and names only the broken companions that would apply to it.
    for (file, concerns) in [
        (
            "ep01-ecole.vtt",
            &["feed.xml", "ep01-ecole.chapters.json", "ep01-ecole.rttm"][..],
        ),
        ("ep02-sante.srt", &["feed.xml", "ep02-sante.meta.toml"][..]),
    ] {
        let (clean_out, messy_out) = (
            verbatim_in(clean.path(), &["inspect", file]),
            verbatim_in(messy.path(), &["inspect", file]),
        );
        let stderr = String::from_utf8_lossy(&messy_out.stderr);
        assert!(messy_out.status.success(), "{file}: {stderr}");
        assert_eq!(messy_out.stdout, clean_out.stdout, "{file}");
        for (name, _) in BROKEN {
            let count = stderr
                .lines()
                .filter(|l| l.contains(&format!("{name}:")))
                .count();
            let expected = usize::from(concerns.contains(name));
            assert_eq!(count, expected, "{file}: {name} in {stderr}");
        }
    }
    // `episodes` lists both transcripts and names each broken file once.
    let out = verbatim_in(messy.path(), &["--corpus", ".", "episodes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    for (name, _) in BROKEN {
        let lines = stderr.lines().filter(|l| l.contains(&format!("{name}:")));
        assert_eq!(lines.count(), 1, "{name}: {stderr}");
        assert!(stderr.contains(&format!("skipped {name}:")), "{stderr}");
    }
}

#[test]
fn an_xml_transcript_beside_a_feed_loads_as_a_transcript() {
    let dir = tempfile::tempdir().unwrap();
    good_pair(dir.path());
    std::fs::copy(
        format!(
            "{}/tests/fixtures/formats/feed.xml",
            env!("CARGO_MANIFEST_DIR")
        ),
        dir.path().join("feed.xml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("yt.xml"),
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?><transcript><text start=\"1.54\" dur=\"4.16\">l&amp;#39;été</text></transcript>",
    )
    .unwrap();
    let corpus = Corpus::load(&CorpusSource::Dir(dir.path().to_path_buf())).unwrap();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    let yt = corpus.episode("yt").unwrap();
    assert_eq!(yt.source.format, "youtube_xml");
    assert_eq!(yt.passages[0].text, "l'été");
    assert_eq!(yt.passages[0].start_seconds, Some(1_540));
}
