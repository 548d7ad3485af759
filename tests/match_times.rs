//! A hit (and a verified quote) is timed when its matched words are said,
//! not when its passage starts: to the word in formats that time words, to
//! the cue or line elsewhere, interpolated (and said to be) inside a long
//! turn. Citations and links use that time; `start_seconds` stays the
//! passage's.

use crate::snapshots::{open_in_memory, seeds};
use std::sync::OnceLock;
use verbatim::Snapshot;
use verbatim::answers::verify::{Verdict, verify_quote};
use verbatim::index::{SearchHit, SearchRequest};
use verbatim::ingest::CorpusSource;
use verbatim::model::PassageTiming;

/// The fixture folder: one file of each standard format.
fn formats() -> &'static Snapshot {
    static FORMATS: OnceLock<Snapshot> = OnceLock::new();
    FORMATS.get_or_init(|| {
        let dir = format!("{}/tests/fixtures/formats", env!("CARGO_MANIFEST_DIR"));
        open_in_memory(CorpusSource::Dir(dir.into()))
    })
}

fn first_hit(snapshot: &Snapshot, episode: &str, query: &str) -> SearchHit {
    let request = SearchRequest {
        query: query.into(),
        episode_id: Some(episode.into()),
        limit: 1,
        ..SearchRequest::default()
    };
    let results = snapshot.search(&request).unwrap();
    results
        .hits
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{query:?} finds nothing in {episode}"))
}

/// A start and an end, in milliseconds.
type Span = (Option<u64>, Option<u64>);

/// (start, end) of a hit: the passage's, then the matched words'.
fn times(hit: &SearchHit) -> (Span, Span) {
    (
        (hit.origin.said.start_seconds, hit.origin.said.end_seconds),
        (
            hit.matched.match_start_seconds,
            hit.matched.match_end_seconds,
        ),
    )
}

#[test]
fn each_timed_format_times_the_matched_words() {
    // (episode, query, passage start, match start, match end): the matched
    // word is in a later cue, or is one timed word of a longer passage.
    for (episode, query, passage_start, want) in [
        // WebVTT: the second of two cues merged into the passage.
        ("ep01-ecole", "intelligence artificielle", 0, (4_200, 9_750)),
        // SRT: the second cue, after the speaker prefix of the first.
        ("ep02-sante", "médecin", 1_000, (3_500, 6_250)),
        // Whisper JSON: the second segment of a passage.
        ("ep06-whisper", "chercheuse", 0, (2_400, 5_000)),
        // WhisperX: word times.
        ("ep05-debat", "réseau", 520, (2_000, 2_500)),
        ("ep05-debat", "partout", 520, (4_500, 5_000)),
        // Podcasting 2.0 JSON: one-word segments merged into an utterance.
        ("ep03-climat", "change", 500, (1_400, 1_600)),
        // YouTube json3: seg offsets from their event's start.
        ("ep08-youtube-fr", "électriques", 240, (1_340, 4_240)),
        // From the first matched word to the last.
        (
            "ep08-youtube-fr",
            "véhicules électriques moins",
            240,
            (640, 5_140),
        ),
    ] {
        let hit = first_hit(formats(), episode, query);
        assert_eq!(
            times(&hit).0.0,
            Some(passage_start),
            "{episode} {query:?}: the passage's own start stays"
        );
        assert_eq!(
            times(&hit).1,
            (Some(want.0), Some(want.1)),
            "{episode} {query:?} in {:?}",
            hit.quote
        );
        assert_eq!(hit.matched.match_timing, PassageTiming::Exact, "{episode}");
    }
}

#[test]
fn citation_and_link_point_at_the_matched_words() {
    let hit = first_hit(formats(), "ep02-sante", "médecin");
    assert!(
        hit.citation.ends_with(", 00:00:03"),
        "cited at the cue that says it: {}",
        hit.citation
    );
    assert_eq!(hit.url.as_deref(), Some("https://exemple.fr/sante/ep2#t=3"));

    let hit = first_hit(formats(), "ep05-debat", "partout");
    assert!(hit.citation.ends_with(", 00:00:04"), "{}", hit.citation);
    assert_eq!(hit.url.as_deref(), Some("https://exemple.fr/debat/5#t=4"));
}

#[test]
fn a_phrase_across_merged_cues_spans_their_times() {
    let dir = tempfile::tempdir().unwrap();
    let cues = [
        ("00:00:01.000", "00:00:03.000", "Bonjour à tous"),
        ("00:00:03.000", "00:00:05.500", "et bienvenue dans"),
        ("00:00:05.500", "00:00:08.000", "notre émission consacrée"),
        ("00:00:08.000", "00:00:10.000", "aux abeilles."),
    ];
    let vtt: Vec<String> = cues
        .iter()
        .map(|(a, b, text)| format!("{a} --> {b}\n{text}\n"))
        .collect();
    std::fs::write(
        dir.path().join("abeilles.vtt"),
        format!("WEBVTT\n\n{}", vtt.join("\n")),
    )
    .unwrap();
    let snapshot = open_in_memory(CorpusSource::Dir(dir.path().to_path_buf()));
    let hit = first_hit(&snapshot, "abeilles", "\"bienvenue dans notre émission\"");
    assert_eq!(times(&hit).0, (Some(1_000), Some(10_000)));
    assert_eq!(times(&hit).1, (Some(3_000), Some(8_000)));

    // verify_quote times the quoted words the same way.
    let v = verify_quote(
        &snapshot.corpus,
        &snapshot.index,
        "notre émission consacrée aux abeilles",
        None,
    )
    .unwrap();
    assert_eq!(v.verdict, Verdict::Exact);
    let m = v.best_match.unwrap();
    assert_eq!(
        (m.matched.match_start_seconds, m.matched.match_end_seconds),
        (Some(5_500), Some(10_000))
    );
    assert_eq!(m.matched.match_timing, PassageTiming::Exact);
    assert!(m.citation.ends_with(", 00:00:05"), "{}", m.citation);
}

#[test]
fn seed_caption_lines_time_each_line() {
    // Tech & Co is written as `MM:SS` lines merged into passages: the hit is
    // timed at the line that says the word, inside its passage.
    let hit = first_hit(seeds(), "techco-moltbook-spacex-xai", "souveraineté");
    let ((start, end), (match_start, match_end)) = times(&hit);
    let (start, end) = (start.unwrap(), end.unwrap());
    let (match_start, match_end) = (match_start.unwrap(), match_end.unwrap());
    assert!(
        start < match_start && match_start < match_end && match_end <= end,
        "{start}..{end} vs {match_start}..{match_end}"
    );
    assert_eq!(hit.matched.match_timing, PassageTiming::Exact);
}

#[test]
fn words_inside_a_long_turn_are_estimated_not_exact() {
    // The interview's long turns are cut into passages with interpolated
    // times: a word's time is placed by its position and said to be estimated.
    let hit = first_hit(
        seeds(),
        "interview-arthur-mensch-mistral",
        "\"aucune envie de partir de Paris\"",
    );
    let ((start, end), (match_start, match_end)) = times(&hit);
    assert_eq!(hit.matched.match_timing, PassageTiming::Estimated);
    let (start, end) = (start.unwrap(), end.unwrap());
    let (match_start, match_end) = (match_start.unwrap(), match_end.unwrap());
    assert!(
        start < match_start && match_start < match_end && match_end < end,
        "{start}..{end} vs {match_start}..{match_end}"
    );
    assert!(hit.citation.contains(", ~00:"), "{}", hit.citation);
}

#[test]
fn untimed_transcripts_have_no_match_time() {
    let hit = first_hit(seeds(), "mac-127-troisieme-voie-tech", "souveraineté");
    assert_eq!(times(&hit).1, (None, None));
    assert_eq!(hit.matched.match_timing, PassageTiming::None);
    assert!(hit.citation.ends_with("untimed"), "{}", hit.citation);
}
