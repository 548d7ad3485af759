//! A folder of French, English and Spanish transcripts
//! (`tests/fixtures/languages/`): each episode gets its language, each
//! language's word forms find their own passages, and the `language` filter
//! keeps one language.

use verbatim::Snapshot;
use verbatim::answers::catalog::EpisodeFilter;
use verbatim::index::{IndexOptions, SearchRequest, SearchResults};
use verbatim::ingest::EpisodeSet;
use verbatim::ingest::load::load_file;
use verbatim::model::Episode;

const FILES: &[&str] = &[
    "english-interview.srt",
    "entrevista-espanol.srt",
    "entretien-francais.srt",
];

fn episodes() -> Vec<Episode> {
    FILES
        .iter()
        .map(|name| {
            let path = format!(
                "{}/tests/fixtures/languages/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let bytes = std::fs::read(&path).unwrap();
            load_file(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect()
}

fn snapshot() -> Snapshot {
    let options = IndexOptions {
        in_memory: true,
        writer_threads: 1,
        ..IndexOptions::default()
    };
    Snapshot::open(&EpisodeSet::new("languages", episodes()), &options)
        .unwrap()
        .0
}

fn search(snapshot: &Snapshot, query: &str, language: Option<&str>) -> SearchResults {
    snapshot
        .search(&SearchRequest {
            query: query.into(),
            language: language.map(str::to_string),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap()
}

/// The episode and the highlighted words of each hit.
fn found(results: &SearchResults) -> Vec<(String, Vec<String>)> {
    results
        .hits
        .iter()
        .map(|hit| {
            let words = hit
                .highlights
                .iter()
                .map(|h| {
                    hit.quote
                        .chars()
                        .skip(h.start)
                        .take(h.end - h.start)
                        .collect()
                })
                .collect();
            (hit.origin.episode.episode_id.clone(), words)
        })
        .collect()
}

#[test]
fn each_episode_gets_the_language_of_its_text() {
    let languages: Vec<(String, Option<String>)> = episodes()
        .into_iter()
        .map(|e| (e.episode_id, e.language))
        .collect();
    assert_eq!(
        languages,
        [
            ("english-interview".to_string(), Some("en".to_string())),
            ("entrevista-espanol".to_string(), Some("es".to_string())),
            ("entretien-francais".to_string(), Some("fr".to_string())),
        ]
    );
}

#[test]
fn word_forms_match_in_their_own_language() {
    let snapshot = snapshot();
    for (query, episode, words) in [
        // English stemming: "think" finds "thinking" and "think".
        ("think", "english-interview", vec!["thinking", "think"]),
        ("developer", "english-interview", vec!["developers"]),
        // Spanish stemming, and its accents folded.
        (
            "biblioteca",
            "entrevista-espanol",
            vec!["biblioteca", "bibliotecas"],
        ),
        ("telefono", "entrevista-espanol", vec!["teléfonos"]),
        // French keeps its stemming and elisions.
        ("bibliothèque", "entretien-francais", vec!["bibliothèques"]),
        ("l'entreprise", "entretien-francais", vec!["entreprises"]),
    ] {
        let results = search(&snapshot, query, None);
        let hits = found(&results);
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        assert_eq!(hits[0].0, episode, "{query}");
        assert_eq!(hits[0].1, words, "{query}");
    }
}

#[test]
fn an_english_query_over_english_episodes_is_not_told_to_search_in_french() {
    let snapshot = snapshot();
    let results = search(&snapshot, "what about the weather tomorrow", None);
    assert!(
        results
            .notes
            .iter()
            .all(|n| !n.contains("reads as English")),
        "{:?}",
        results.notes
    );
}

#[test]
fn the_language_filter_keeps_one_language_and_names_the_others() {
    let snapshot = snapshot();
    // "serveurs" is French, and one letter from the English "servers".
    let all: Vec<String> = found(&search(&snapshot, "serveurs", None))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(all.contains(&"entretien-francais".to_string()), "{all:?}");
    for (language, episode) in [
        ("fr", "entretien-francais"),
        ("en", "english-interview"),
        ("en-GB", "english-interview"),
    ] {
        let hits = found(&search(&snapshot, "serveurs", Some(language)));
        assert!(
            !hits.is_empty() && hits.iter().all(|(id, _)| id == episode),
            "{language}: {hits:?}"
        );
    }
    let error = snapshot
        .search(&SearchRequest {
            query: "serveurs".into(),
            language: Some("de".into()),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap_err()
        .to_string();
    assert!(error.contains("en, es, fr"), "{error}");

    let filter = EpisodeFilter {
        language: Some("es".into()),
        ..EpisodeFilter::default()
    };
    let listed: Vec<String> = episodes()
        .iter()
        .filter(|e| filter.matches(&verbatim::model::EpisodeHeader::of(e)))
        .map(|e| e.episode_id.clone())
        .collect();
    assert_eq!(listed, ["entrevista-espanol"]);
}

#[test]
fn a_language_the_file_gives_wins_and_a_short_text_is_not_guessed() {
    let vtt = "WEBVTT\nLanguage: de-DE\n\n00:00.000 --> 00:04.000\nHeute sprechen wir über Bibliotheken und über die Zukunft der Bücher in den Schulen unserer Stadt.\n";
    let episode = load_file("heute.vtt", vtt.as_bytes()).unwrap();
    assert_eq!(episode.language.as_deref(), Some("de"));

    let short = "WEBVTT\n\n00:00.000 --> 00:02.000\nMistral AI, GPU\n";
    let episode = load_file("court.vtt", short.as_bytes()).unwrap();
    assert_eq!(episode.language, None);
    assert!(
        episode
            .diagnostics
            .iter()
            .any(|d| d.message.contains("language not detected")),
        "{:?}",
        episode.diagnostics
    );
}
