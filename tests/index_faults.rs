//! Index and corpus faults between runs: the index folder deleted, its files
//! truncated or overwritten, a `verbatim index` killed half-way through a
//! build or an update, corpus files removed, changed or added. Each time the
//! next start must serve what a fresh index of the corpus would.
//!
//! (Garbage in `meta.json`, a missing segment and a truncated catalog are in
//! `search.rs`; a concurrent writer too.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use verbatim::Snapshot;
use verbatim::index::SearchRequest;
use verbatim::index::{IndexAction, IndexOptions, IndexReport};
use verbatim::ingest::CorpusSource;
use verbatim::ingest::SourceFiles;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the seed transcripts in a folder of its own.
pub fn seed_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(manifest_dir().join("corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn verbatim(args: &[&str], corpus: &Path, index_dir: &Path) -> Output {
    command(args, corpus, index_dir).output().unwrap()
}

fn command(args: &[&str], corpus: &Path, index_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_verbatim"));
    command
        .arg("--corpus")
        .arg(corpus)
        .arg("--index-dir")
        .arg(index_dir)
        .args(args)
        .env_remove("VERBATIM_CORPUS")
        .env_remove("VERBATIM_INDEX_DIR")
        .env_remove("RUST_LOG")
        .env_remove("VERBATIM_LOG");
    command
}

/// `verbatim search --json QUERY`: the passage ids found, and the stderr.
fn search_ids(query: &str, corpus: &Path, index_dir: &Path) -> (Vec<String>, String) {
    let out = verbatim(
        &["search", query, "--json", "--limit", "100"],
        corpus,
        index_dir,
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "search failed: {stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Compared as sets: ties may come in another order from another build.
    let mut ids: Vec<String> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["passage_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    (ids, stderr)
}

/// The folder that holds the index of `corpus` under `index_dir` (one key per corpus).
fn key_dir(index_dir: &Path) -> PathBuf {
    let keys: Vec<PathBuf> = std::fs::read_dir(index_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(keys.len(), 1, "one corpus, one key: {keys:?}");
    keys.into_iter().next().unwrap()
}

fn generations(key: &Path) -> Vec<PathBuf> {
    let mut gens: Vec<PathBuf> = std::fs::read_dir(key)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("gen-"))
                })
                .collect()
        })
        .unwrap_or_default();
    gens.sort();
    gens
}

#[test]
fn an_index_folder_deleted_while_stopped_is_rebuilt() {
    let corpus = seed_copy();
    let index = tempfile::tempdir().unwrap();
    let (before, _) = search_ids("souveraineté européenne", corpus.path(), index.path());
    assert!(!before.is_empty());

    std::fs::remove_dir_all(index.path()).unwrap();
    let (after, stderr) = search_ids("souveraineté européenne", corpus.path(), index.path());
    assert_eq!(after, before);
    assert!(stderr.contains("index built"), "{stderr}");
    assert!(key_dir(index.path()).join("CURRENT").is_file());

    // Only the key folder gone (the --index-dir itself kept): the same.
    std::fs::remove_dir_all(key_dir(index.path())).unwrap();
    let (again, _) = search_ids("souveraineté européenne", corpus.path(), index.path());
    assert_eq!(again, before);
}

/// `verbatim index` after a change stores the new state's search terms,
/// so that the next start reads them instead of building them.
#[test]
fn verbatim_index_stores_the_terms_of_an_update() {
    let corpus = seed_copy();
    let index = tempfile::tempdir().unwrap();
    let run = || {
        let out = verbatim(&["index"], corpus.path(), index.path());
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        stderr
    };
    assert!(run().contains("index built"));
    let changed = corpus.path().join("mac-127-troisieme-voie-tech.txt");
    let text = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(&changed, format!("{text}\nLes ornithorynques aussi.\n")).unwrap();
    let stderr = run();
    assert!(stderr.contains("index updated"), "{stderr}");
    let (opened, report) = open(corpus.path(), index.path());
    assert_eq!(report.action, IndexAction::Opened);
    assert!(opened.index.terms_stored());
}

fn options(index_dir: &Path) -> IndexOptions {
    IndexOptions {
        index_dir: Some(index_dir.to_path_buf()),
        writer_threads: 1,
        writer_memory: 30_000_000,
        ..IndexOptions::default()
    }
}

fn open(corpus: &Path, index_dir: &Path) -> (Snapshot, IndexReport) {
    let files = SourceFiles::new(CorpusSource::Dir(corpus.to_path_buf()));
    Snapshot::open(&files, &options(index_dir)).unwrap()
}

fn ids(index: &Snapshot, query: &str) -> Vec<String> {
    let request = SearchRequest {
        query: query.to_string(),
        limit: 100,
        ..SearchRequest::default()
    };
    index
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.origin.passage_id)
        .collect()
}

fn episode_ids(index: &Snapshot) -> Vec<String> {
    index
        .corpus
        .headers()
        .iter()
        .map(|h| h.id().to_string())
        .collect()
}

fn files_of(generation: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(generation)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect()
}

/// Cuts every file of the generation to half its length.
fn truncate_all(_key: &Path, generation: &Path) {
    for file in files_of(generation) {
        let len = std::fs::metadata(&file).unwrap().len();
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_len(len / 2).unwrap();
    }
}

/// Overwrites every file of the generation with bytes of the same length.
fn garbage_all(_key: &Path, generation: &Path) {
    for (i, file) in files_of(generation).into_iter().enumerate() {
        let len = std::fs::metadata(&file).unwrap().len() as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|j| (j.wrapping_mul(31) ^ i.wrapping_mul(7)) as u8)
            .collect();
        std::fs::write(&file, bytes).unwrap();
    }
}

fn current_garbage(key: &Path, _generation: &Path) {
    std::fs::write(key.join("CURRENT"), [0xff, 0x00, 0x41, 0x0a]).unwrap();
}

fn current_names_a_missing_generation(key: &Path, generation: &Path) {
    std::fs::remove_dir_all(generation).unwrap();
    std::fs::write(key.join("CURRENT"), "gen-1-1").unwrap();
}

fn generation_emptied(_key: &Path, generation: &Path) {
    for file in files_of(generation) {
        std::fs::remove_file(file).unwrap();
    }
}

fn manifest_truncated(_key: &Path, generation: &Path) {
    let path = generation.join("verbatim-manifest.json");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
}

#[test]
fn a_damaged_index_is_rebuilt_with_the_same_answers() {
    type Damage = fn(&Path, &Path);
    let cases: [(&str, Damage); 6] = [
        ("every file cut to half", truncate_all),
        ("every file overwritten with garbage", garbage_all),
        ("CURRENT is garbage", current_garbage),
        (
            "CURRENT names a missing generation",
            current_names_a_missing_generation,
        ),
        ("the generation emptied", generation_emptied),
        ("the manifest cut to half", manifest_truncated),
    ];
    let corpus = seed_copy();
    let fresh = tempfile::tempdir().unwrap();
    let (reference, _) = open(corpus.path(), fresh.path());
    let queries = ["souveraineté européenne", "Elon Musk", "lupus"];
    let expected: Vec<Vec<String>> = queries.iter().map(|q| ids(&reference, q)).collect();
    assert!(expected.iter().all(|hits| !hits.is_empty()));

    for (what, damage) in cases {
        let index_dir = tempfile::tempdir().unwrap();
        let (_, first) = open(corpus.path(), index_dir.path());
        assert_eq!(first.action, IndexAction::Built);
        let generation = first.location.clone().unwrap();
        damage(&key_dir(index_dir.path()), &generation);

        let (index, report) = open(corpus.path(), index_dir.path());
        assert_eq!(report.action, IndexAction::Built, "{what}: {report:?}");
        assert_eq!(episode_ids(&index), episode_ids(&reference), "{what}");
        let got: Vec<Vec<String>> = queries.iter().map(|q| ids(&index, q)).collect();
        assert_eq!(got, expected, "{what}");
        // Only the new generation is left, and the next open uses it as is.
        assert_eq!(
            generations(&key_dir(index_dir.path())),
            vec![report.location.clone().unwrap()],
            "{what}"
        );
        let (_, again) = open(corpus.path(), index_dir.path());
        assert_eq!(again.action, IndexAction::Opened, "{what}");
    }
}

#[test]
fn corpus_files_removed_changed_and_added_between_runs() {
    let corpus = seed_copy();
    let index_dir = tempfile::tempdir().unwrap();
    let (index, _) = open(corpus.path(), index_dir.path());
    assert!(episode_ids(&index).contains(&"smarttech-elon-musk-ia".to_string()));
    assert!(!ids(&index, "Colossus").is_empty());

    // Removed: its episode and its passages are gone.
    std::fs::remove_file(corpus.path().join("smarttech-elon-musk-ia.txt")).unwrap();
    // Changed: the new words are found, the old ones are not.
    let mistral = corpus.path().join("interview-arthur-mensch-mistral.txt");
    let text = std::fs::read_to_string(&mistral).unwrap();
    assert!(text.contains("interface"));
    std::fs::write(&mistral, text.replace("interface", "passerelle logicielle")).unwrap();
    // Added: found.
    std::fs::write(
        corpus.path().join("nouvel-episode.srt"),
        "1\n00:00:01,000 --> 00:00:04,000\nLes hippocampes migrateurs traversent la Manche.\n\n\
         2\n00:00:05,000 --> 00:00:08,000\nPersonne ne les avait jamais observés avant.\n",
    )
    .unwrap();

    let (index, report) = open(corpus.path(), index_dir.path());
    assert_eq!(report.action, IndexAction::Updated, "{report:?}");
    assert_eq!(
        report.removed,
        vec!["smarttech-elon-musk-ia.txt".to_string()]
    );
    let mut reindexed = report.reindexed.clone();
    reindexed.sort();
    assert_eq!(
        reindexed,
        vec![
            "interview-arthur-mensch-mistral.txt".to_string(),
            "nouvel-episode.srt".to_string()
        ]
    );
    let episodes = episode_ids(&index);
    assert!(!episodes.contains(&"smarttech-elon-musk-ia".to_string()));
    assert!(episodes.contains(&"nouvel-episode".to_string()));
    let hippocampes = ids(&index, "hippocampes migrateurs");
    assert!(
        hippocampes
            .iter()
            .all(|id| id.starts_with("nouvel-episode")),
        "{hippocampes:?}"
    );
    assert!(!hippocampes.is_empty());
    let passerelle = ids(&index, "\"passerelle logicielle\"");
    assert!(
        passerelle
            .iter()
            .any(|id| id.starts_with("interview-arthur-mensch-mistral"))
    );
    let request = SearchRequest {
        query: "interface".into(),
        episode_id: Some("interview-arthur-mensch-mistral".into()),
        limit: 10,
        ..SearchRequest::default()
    };
    assert_eq!(index.search(&request).unwrap().total_hits, 0);

    // The updated index answers exactly as one built from scratch.
    let fresh = tempfile::tempdir().unwrap();
    let (rebuilt, _) = open(corpus.path(), fresh.path());
    assert_eq!(episode_ids(&index), episode_ids(&rebuilt));
    for query in ["hippocampes", "passerelle logicielle", "lupus", "Colossus"] {
        assert_eq!(ids(&index, query), ids(&rebuilt, query), "{query}");
    }
}

/// Two files whose names give the same episode id: adding or removing one
/// changes the other's id; an update must give the ids a fresh build gives.
#[test]
fn an_added_file_that_takes_another_files_id() {
    let corpus = tempfile::tempdir().unwrap();
    let captions = |words: &str| {
        format!(
            "1\n00:00:01,000 --> 00:00:04,000\n{words}\n\n2\n00:00:05,000 --> 00:00:07,000\nFin.\n"
        )
    };
    let webvtt = captions("Les abeilles butinent le tilleul en juin.").replace(',', ".");
    std::fs::write(
        corpus.path().join("emission.vtt"),
        format!("WEBVTT\n\n{webvtt}"),
    )
    .unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    let (index, _) = open(corpus.path(), index_dir.path());
    assert_eq!(episode_ids(&index), vec!["emission".to_string()]);

    // `emission.srt` sorts first: it takes `emission`, the WebVTT file becomes `emission-2`.
    std::fs::write(
        corpus.path().join("emission.srt"),
        captions("Les cigognes reviennent au printemps."),
    )
    .unwrap();
    let (index, report) = open(corpus.path(), index_dir.path());
    assert!(
        index.corpus.problems.is_empty(),
        "{:?}",
        index.corpus.problems
    );
    let fresh = tempfile::tempdir().unwrap();
    let (rebuilt, _) = open(corpus.path(), fresh.path());
    assert_eq!(report.action, IndexAction::Updated);
    assert_eq!(episode_ids(&index), episode_ids(&rebuilt));
    assert_eq!(episode_ids(&index).len(), 2);
    for query in ["cigognes", "abeilles tilleul"] {
        assert_eq!(ids(&index, query), ids(&rebuilt, query), "{query}");
        assert_eq!(ids(&index, query).len(), 1, "{query}");
    }

    // Removed again: the WebVTT file gets its own id back.
    std::fs::remove_file(corpus.path().join("emission.srt")).unwrap();
    let (index, _) = open(corpus.path(), index_dir.path());
    assert_eq!(episode_ids(&index), vec!["emission".to_string()]);
    assert_eq!(ids(&index, "abeilles tilleul").len(), 1);
}

/// A synthetic corpus big enough that indexing it takes a while.
fn generated_corpus(megabytes: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = verbatim::bench::seed_texts().unwrap();
    let chain = verbatim::bench::Chain::train(&seeds);
    verbatim::bench::generate(dir.path(), &chain, megabytes * 1_000_000, 7).unwrap();
    dir
}

/// Starts `verbatim index` and kills it (SIGKILL) once `ready` says it is
/// busy writing; returns whether it was still running when killed.
fn kill_while_indexing(corpus: &Path, index_dir: &Path, ready: impl Fn() -> bool) -> bool {
    let mut child = command(&["index"], corpus, index_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while !ready() && Instant::now() < until && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(5));
    }
    // Let it write for a moment more.
    std::thread::sleep(Duration::from_millis(150));
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    running
}

/// What `CURRENT` names must be a whole generation: its manifest and catalog are there.
fn assert_current_is_whole(index_dir: &Path) {
    let Ok(name) = std::fs::read_to_string(key_dir(index_dir).join("CURRENT")) else {
        return;
    };
    let generation = key_dir(index_dir).join(name.trim());
    assert!(generation.join("verbatim-manifest.json").is_file());
    assert!(generation.join("verbatim-episodes.bin").is_file());
    assert!(generation.join("meta.json").is_file());
}

#[test]
fn a_verbatim_killed_while_indexing_leaves_an_index_the_next_start_repairs() {
    let corpus = generated_corpus(6);
    let files = std::fs::read_dir(corpus.path())
        .unwrap()
        .flatten()
        .map(|d| std::fs::read_dir(d.path()).unwrap().count())
        .sum::<usize>();
    let index_dir = tempfile::tempdir().unwrap();

    // Killed during the first build: no CURRENT yet, or a whole one.
    let index_path = index_dir.path().to_path_buf();
    let killed = kill_while_indexing(corpus.path(), index_dir.path(), || {
        std::fs::read_dir(&index_path)
            .into_iter()
            .flatten()
            .flatten()
            .any(|key| !generations(&key.path()).is_empty())
    });
    assert!(
        killed,
        "indexing finished before it could be killed: make the corpus bigger"
    );
    assert_current_is_whole(index_dir.path());

    // The next start builds (the lock died with the process) and cleans up the half generation.
    let (index, report) = open(corpus.path(), index_dir.path());
    assert_ne!(report.action, IndexAction::InMemory, "{report:?}");
    assert_eq!(index.corpus.len(), files);
    let passages: usize = index.corpus.headers().iter().map(|h| h.passage_count).sum();
    assert_eq!(index.index.num_passages(), passages as u64);
    assert_eq!(
        generations(&key_dir(index_dir.path())),
        vec![report.location.clone().unwrap()]
    );
    drop(index);

    // A generation that a rebuild killed half-way left beside a good CURRENT is removed too.
    let leftover = key_dir(index_dir.path()).join("gen-1-1");
    std::fs::create_dir(&leftover).unwrap();
    std::fs::write(leftover.join("meta.json"), "{").unwrap();
    let (_, reopened) = open(corpus.path(), index_dir.path());
    assert_eq!(reopened.action, IndexAction::Opened);
    assert!(!leftover.exists());

    // Killed during an update of every file: the next start serves the new text.
    for entry in walk(corpus.path()) {
        let text = std::fs::read_to_string(&entry).unwrap();
        std::fs::write(
            &entry,
            format!("{text}\nLe mot de passe est ornithorynque.\n"),
        )
        .unwrap();
    }
    let generation = report.location.clone().unwrap();
    let before = std::fs::metadata(generation.join("meta.json"))
        .unwrap()
        .modified()
        .unwrap();
    let killed = kill_while_indexing(corpus.path(), index_dir.path(), || {
        // The writer has started: tantivy's writer lock or new segment files appear.
        std::fs::read_dir(&generation)
            .into_iter()
            .flatten()
            .flatten()
            .any(|f| {
                f.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t > before)
            })
    });
    assert!(killed, "the update finished before it could be killed");
    assert_current_is_whole(index_dir.path());
    let (index, report) = open(corpus.path(), index_dir.path());
    assert_ne!(report.action, IndexAction::InMemory, "{report:?}");
    assert_eq!(index.corpus.len(), files);
    let request = SearchRequest {
        query: "ornithorynque".into(),
        limit: 1,
        ..SearchRequest::default()
    };
    // Every episode says the new word (its last passage may hold more than that line).
    let found = index.search(&request).unwrap().total_hits;
    assert!(found >= files, "{found} of {files}");
    let (_, again) = open(corpus.path(), index_dir.path());
    assert_eq!(again.action, IndexAction::Opened);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
