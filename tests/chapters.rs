//! Chapters on the seeds: listed chapters placed in untimed text, and
//! generated chapters for transcripts that have none.

use verbatim::analysis::vocabulary::is_title_stopword;
use verbatim::ingest::load_file;
use verbatim::model::{ChapterTiming, Episode, PassageTiming};
use verbatim::text::{fold, is_function_word, words};

fn episode(name: &str) -> Episode {
    let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    load_file(name, &std::fs::read(path).unwrap()).unwrap()
}

/// The text of a chapter's passages, folded.
fn chapter_text(e: &Episode, title_start: &str) -> String {
    let chapter = e
        .chapters
        .iter()
        .find(|c| c.title.starts_with(title_start))
        .unwrap();
    let text: Vec<&str> = e
        .passages
        .iter()
        .filter(|p| p.chapter == Some(chapter.index))
        .map(|p| p.text.as_str())
        .collect();
    fold(&text.join(" "))
}

#[test]
fn listed_chapters_are_anchored_in_untimed_text() {
    let e = episode("mac-138-chatbots-lupus-bdd.txt");
    assert!(chapter_text(&e, "Matrix.org").contains("corruption silencieuse"));
    assert!(chapter_text(&e, "Clippy").contains("windows 98"));
    // Every passage got an estimated time and a chapter, in order.
    assert!(
        e.passages
            .iter()
            .all(|p| p.timing == PassageTiming::Estimated && p.chapter.is_some())
    );
    let starts: Vec<u64> = e
        .passages
        .iter()
        .map(|p| p.start_seconds.unwrap())
        .collect();
    assert!(
        starts.windows(2).all(|w| w[0] <= w[1]),
        "times must not go back"
    );
    let chapters: Vec<usize> = e.passages.iter().map(|p| p.chapter.unwrap()).collect();
    assert!(
        chapters.windows(2).all(|w| w[0] <= w[1]),
        "chapters must not go back"
    );
    // The chapter's listed time is kept: its first passage starts there.
    let matrix = e
        .chapters
        .iter()
        .find(|c| c.title.starts_with("Matrix.org"))
        .unwrap();
    let first = e
        .passages
        .iter()
        .find(|p| p.chapter == Some(matrix.index))
        .unwrap();
    assert_eq!(first.start_seconds, matrix.start_seconds);
    assert_eq!(matrix.timing, ChapterTiming::Exact);
}

#[test]
fn anchored_pages_mark_their_lines_with_interpolated_times() {
    let name = "mac-138-chatbots-lupus-bdd.txt";
    let e = episode(name);
    let raw =
        std::fs::read_to_string(format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let lines: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut marks = 0;
    for p in &e.passages {
        let (start, end) = (p.start_seconds.unwrap(), p.end_seconds.unwrap());
        let chars = p.text.chars().count() as u64;
        for m in &p.marks {
            // Each mark is where a line of the page starts...
            let said: String = p.text.chars().skip(m.offset as usize).take(20).collect();
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with(&said) || said.starts_with(l)),
                "{said:?}"
            );
            // ...at the time interpolated between the passage's own estimates.
            let linear = start + (end - start) * u64::from(m.offset) / (chars + 1);
            assert!(m.at.abs_diff(linear) <= 2, "{} {m:?}", p.passage_id);
        }
        marks += p.marks.len();
        if let Some(m) = p.marks.first() {
            let (from, _, timing) = p.time_of(m.offset as usize..m.offset as usize + 1).unwrap();
            assert_eq!((from, timing), (m.at, PassageTiming::Estimated));
        }
    }
    assert!(
        marks > e.passages.len(),
        "the page's short lines fall inside passages"
    );
}

#[test]
fn episodes_without_chapters_get_generated_ones() {
    for name in [
        "mac-127-troisieme-voie-tech.txt",
        "techco-moltbook-spacex-xai.txt",
        "interview-arthur-mensch-mistral.txt",
        "smarttech-elon-musk-ia.txt",
    ] {
        let e = episode(name);
        assert!(
            e.chapters.len() >= 3,
            "{name}: {} chapters",
            e.chapters.len()
        );
        for c in &e.chapters {
            assert_eq!(c.timing, ChapterTiming::Generated);
            let title_words = words(&c.title);
            let (first, last) = (title_words.first().unwrap(), title_words.last().unwrap());
            for w in [first, last] {
                assert!(
                    !is_function_word(&w.folded) && !is_title_stopword(&w.folded),
                    "{name}: chapter titled with a filler: {}",
                    c.title
                );
            }
        }
        // Every passage belongs to a chapter, and timed episodes have chapter times.
        assert!(e.passages.iter().all(|p| p.chapter.is_some()), "{name}");
        if e.has_timestamps() {
            assert!(
                e.chapters.iter().all(|c| c.start_seconds.is_some()),
                "{name}"
            );
        }
    }
}
