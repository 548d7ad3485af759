//! Serving from disk: an index generation keeps episode headers in memory and
//! reads passages from its passage files on demand. What it serves must be
//! exactly what an in-memory corpus serves, through builds, reopenings and
//! incremental updates.

use std::path::Path;
use verbatim::Snapshot;
use verbatim::answers::verify::verify_quote;
use verbatim::corpus::Corpus;
use verbatim::index::SearchRequest;
use verbatim::index::{IndexAction, IndexOptions};
use verbatim::ingest::CorpusSource;
use verbatim::ingest::SourceFiles;
use verbatim::model::Episode;

fn on_disk(index_dir: &Path) -> IndexOptions {
    IndexOptions {
        index_dir: Some(index_dir.into()),
        writer_threads: 1,
        writer_memory: 50_000_000,
        ..IndexOptions::default()
    }
}

fn request(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        limit: 10,
        ..SearchRequest::default()
    }
}

/// A temporary folder holding a copy of the seed transcripts.
fn seed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = format!("{}/corpus", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(&seeds).unwrap().flatten() {
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Passage files in a generation directory.
fn passage_files(generation: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(generation)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("passages-"))
        .collect();
    names.sort();
    names
}

/// The same hits in the same order, with the same scores up to the last
/// bits: indexes built with different writer budgets have different
/// segments, and a passage's score is summed over its words in an order
/// each segment sets, so the float rounding can differ.
fn assert_same_results(
    mut ours: verbatim::index::SearchResults,
    mut theirs: verbatim::index::SearchResults,
    query: &str,
) {
    assert_eq!(ours.hits.len(), theirs.hits.len(), "{query}");
    for (a, b) in ours.hits.iter_mut().zip(theirs.hits.iter_mut()) {
        assert!(
            (a.score - b.score).abs() <= 1e-5 * a.score.abs().max(1.0),
            "{query}: {} against {}",
            a.score,
            b.score
        );
        b.score = a.score;
    }
    assert_eq!(ours, theirs, "{query}");
}

#[test]
fn a_reopened_index_serves_the_same_episodes_hits_and_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let source = SourceFiles::new(CorpusSource::Embedded);
    let loaded: Vec<Episode> = Corpus::load(&CorpusSource::Embedded)
        .unwrap()
        .to_episodes()
        .unwrap();
    let memory = IndexOptions {
        in_memory: true,
        writer_memory: 50_000_000,
        ..IndexOptions::default()
    };
    let (in_memory, _) = Snapshot::open(&source, &memory).unwrap();
    let (built, report) = Snapshot::open(&source, &on_disk(dir.path())).unwrap();
    assert_eq!(report.action, IndexAction::Built);
    let (reopened, report) = Snapshot::open(&source, &on_disk(dir.path())).unwrap();
    assert_eq!(report.action, IndexAction::Opened);

    for index in [&built, &reopened] {
        let corpus = &index.corpus;
        assert_eq!(corpus.to_episodes().unwrap(), loaded);
        for e in &loaded {
            let header = corpus.header(&e.episode_id).unwrap();
            assert_eq!(header.passage_count, e.passages.len());
            assert_eq!(header.word_count, e.word_count());
            // Twice: from disk, then from the cache.
            for _ in 0..2 {
                assert_eq!(corpus.episode(&e.episode_id).unwrap().as_ref(), e);
            }
            let i = corpus.position(&e.episode_id).unwrap();
            assert_eq!(corpus.passages_at(i, 2..5).unwrap(), e.passages[2..5]);
        }
        for query in [
            "souveraineté",
            "\"logiciel libre\"",
            "Arthur Mensch",
            "intelligence artificielle Europe",
        ] {
            assert_same_results(
                index.search(&request(query)).unwrap(),
                in_memory.search(&request(query)).unwrap(),
                query,
            );
        }
        let quote = "on ne s'est meme pas pose la question en realite";
        assert_eq!(
            verify_quote(corpus, &index.index, quote, None).unwrap(),
            verify_quote(&in_memory.corpus, &in_memory.index, quote, None).unwrap()
        );
    }
}

#[test]
fn updates_write_only_the_changed_episodes_and_drop_unused_passage_files() {
    let corpus_dir = seed_folder();
    let index_dir = tempfile::tempdir().unwrap();
    let source = SourceFiles::new(CorpusSource::Dir(corpus_dir.path().into()));
    let (_, first) = Snapshot::open(&source, &on_disk(index_dir.path())).unwrap();
    let generation = first.location.unwrap();
    let before = passage_files(&generation);
    assert_eq!(before.len(), 1);

    // One file changes: its episode goes to a second passage file.
    let path = corpus_dir.path().join("smarttech-elon-musk-ia.txt");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n15:40Et pour finir, les zygomatiques de Bérénice.\n");
    std::fs::write(&path, text).unwrap();
    let (index, update) = Snapshot::open(&source, &on_disk(index_dir.path())).unwrap();
    assert_eq!(update.action, IndexAction::Updated);
    assert_eq!(passage_files(&generation).len(), 2);
    let fresh = Corpus::load(&CorpusSource::Dir(corpus_dir.path().into()))
        .unwrap()
        .to_episodes()
        .unwrap();
    assert_eq!(index.corpus.to_episodes().unwrap(), fresh);
    assert_eq!(
        index.search(&request("zygomatiques")).unwrap().total_hits,
        1
    );

    // Every file but one removed: the first passage file only holds gone episodes.
    for entry in std::fs::read_dir(corpus_dir.path()).unwrap().flatten() {
        if entry.file_name() != "smarttech-elon-musk-ia.txt" {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let (index, update) = Snapshot::open(&source, &on_disk(index_dir.path())).unwrap();
    assert_eq!(update.action, IndexAction::Updated);
    let left = passage_files(&generation);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(!before.contains(&left[0]));
    assert_eq!(index.corpus.len(), 1);
    let (reopened, report) = Snapshot::open(&source, &on_disk(index_dir.path())).unwrap();
    assert_eq!(report.action, IndexAction::Opened);
    assert_eq!(
        reopened.corpus.to_episodes().unwrap(),
        index.corpus.to_episodes().unwrap()
    );
}

#[test]
fn a_missing_passage_file_rebuilds_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let source = SourceFiles::new(CorpusSource::Embedded);
    let (_, first) = Snapshot::open(&source, &on_disk(dir.path())).unwrap();
    let generation = first.location.unwrap();
    for name in passage_files(&generation) {
        std::fs::remove_file(generation.join(name)).unwrap();
    }
    let (index, report) = Snapshot::open(&source, &on_disk(dir.path())).unwrap();
    assert_eq!(report.action, IndexAction::Built, "{report:?}");
    assert!(report.reason.unwrap().contains("missing"));
    assert_eq!(index.corpus.len(), 5);
}

#[test]
fn a_snapshot_keeps_serving_after_an_update_removed_its_passage_files() {
    let corpus_dir = seed_folder();
    let index_dir = tempfile::tempdir().unwrap();
    let source = SourceFiles::new(CorpusSource::Dir(corpus_dir.path().into()));
    // A tool call that started on this snapshot holds it to the end.
    let (old, first) = Snapshot::open(&source, &on_disk(index_dir.path())).unwrap();
    let generation = first.location.unwrap();
    let before = passage_files(&generation);
    let expected = old.corpus.to_episodes().unwrap();

    // Meanwhile every file but one goes, and that one changes (its passages
    // move to a new file): the update drops the passage file the old
    // snapshot reads.
    let kept = corpus_dir.path().join("smarttech-elon-musk-ia.txt");
    for entry in std::fs::read_dir(corpus_dir.path()).unwrap().flatten() {
        if entry.path() != kept {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let mut text = std::fs::read_to_string(&kept).unwrap();
    text.push_str("\n15:40Et pour finir, les zygomatiques de Bérénice.\n");
    std::fs::write(&kept, text).unwrap();
    let (new, update) = Snapshot::open(&source, &on_disk(index_dir.path())).unwrap();
    assert_eq!(update.action, IndexAction::Updated);
    assert_eq!(new.corpus.len(), 1);
    let after = passage_files(&generation);
    assert!(
        before.iter().all(|name| !after.contains(name)),
        "{before:?} -> {after:?}"
    );

    // The old snapshot still reads every passage and searches as before.
    assert_eq!(old.corpus.to_episodes().unwrap(), expected);
    let results = old.search(&request("souveraineté")).unwrap();
    assert!(results.total_hits > 0);
    for hit in &results.hits {
        let id = &hit.origin.episode.episode_id;
        assert!(old.corpus.episode(id).is_some(), "{id}");
    }
    assert!(
        results
            .hits
            .iter()
            .any(|h| h.origin.episode.episode_id != new.corpus.headers()[0].id()),
        "the hits should include episodes the update removed"
    );
}
