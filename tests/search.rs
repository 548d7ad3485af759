//! Quote search over a small French corpus built in the test: accents,
//! word forms, elision, phrases, ASR-misspelled names, filters, and the
//! on-disk index lifecycle (incremental update, corruption, locks).

use chrono::NaiveDate;
use std::time::{Duration, Instant};
use verbatim::Snapshot;
use verbatim::index::{IndexAction, IndexOptions, store};
use verbatim::index::{SearchRequest, SearchResults};
use verbatim::ingest::EpisodeSet;
use verbatim::model::*;
use verbatim::testing::EpisodeBuilder;

struct Line<'a> {
    speaker: Option<&'a str>,
    start: Option<Millis>,
    chapter: Option<usize>,
    text: &'a str,
}

fn line<'a>(
    speaker: Option<&'a str>,
    start: Option<Millis>,
    chapter: Option<usize>,
    text: &'a str,
) -> Line<'a> {
    Line {
        speaker,
        start,
        chapter,
        text,
    }
}

type Person<'a> = (&'a str, Role, &'a [&'a str]);

fn participant<'a>(name: &'a str, role: Role, aliases: &'a [&'a str]) -> Person<'a> {
    (name, role, aliases)
}

#[allow(clippy::too_many_arguments)]
fn episode(
    id: &str,
    title: &str,
    show: &str,
    published: (i32, u32, u32),
    url: Option<&str>,
    participants: Vec<Person<'_>>,
    chapters: &[&str],
    lines: &[Line<'_>],
) -> Episode {
    let mut e = EpisodeBuilder::new(id)
        .title(title)
        .show(show)
        .published(published.0, published.1, published.2)
        .language("fr");
    if let Some(url) = url {
        e = e.url(url);
    }
    for (name, role, aliases) in participants {
        e = e.participant_with(name, role, aliases);
    }
    for title in chapters {
        e = e.chapter(title, None, None);
    }
    for l in lines {
        e = e.said(l.speaker, l.text);
        if let Some(start) = l.start {
            e = e.at(start, start + 5_000);
        }
        if let Some(chapter) = l.chapter {
            e = e.in_chapter(chapter);
        }
    }
    e.build()
}

fn mistral() -> Episode {
    let host = Some("SPEAKER_02");
    let guest = Some("SPEAKER_01");
    episode(
        "mistral-interview",
        "Arthur Mensch, le patron de Mistral AI",
        "Génération Do It Yourself",
        (2024, 6, 1),
        Some("https://www.youtube.com/watch?v=abc123"),
        vec![
            participant(
                "Arthur Mensch",
                Role::Guest,
                &["SPEAKER_01", "Arthur Mench"],
            ),
            participant("Matthieu Stefani", Role::Host, &["SPEAKER_02"]),
        ],
        &["Introduction", "La guerre des talents", "Souveraineté"],
        &[
            line(
                host,
                Some(30),
                Some(0),
                "Aujourd'hui, on reçoit une légende de la tech française, Arthur Mench, cofondateur de Mistral AI.",
            ),
            line(
                guest,
                Some(106_500),
                Some(0),
                "Merci de l'invitation, c'est un plaisir d'être là.",
            ),
            line(
                host,
                Some(120_000),
                Some(1),
                "Comment recrutez-vous face aux géants américains qui ont cent fois plus de moyens ?",
            ),
            line(
                guest,
                Some(135_000),
                Some(1),
                "On attire les meilleurs ingénieurs parce que la mission est claire : construire l'IA ouverte en Europe.",
            ),
            line(
                guest,
                Some(180_000),
                Some(2),
                "La sécurité des données de nos clients est une priorité absolue, je ne sais pas comment le dire autrement.",
            ),
            line(
                host,
                Some(200_000),
                Some(2),
                "Et la régulation européenne, elle vous aide ou elle vous freine ?",
            ),
        ],
    )
}

fn smarttech() -> Episode {
    episode(
        "smarttech-ia",
        "Elon Musk et l'IA",
        "Smart Tech",
        (2024, 11, 19),
        Some("https://www.bfmtv.com/smart-tech/replay"),
        vec![
            participant("Constantin Pavléas", Role::Guest, &[]),
            participant("Jean-Baptiste Kempf", Role::Guest, &[]),
        ],
        &[],
        &[
            line(
                None,
                Some(0),
                None,
                "Pour ce grand rendez-vous de l'IA, j'ai convié aujourd'hui Constantin Pavleas, avocat spécialisé en droit des nouvelles technologies.",
            ),
            line(
                None,
                Some(29_000),
                None,
                "Les régulateurs européens veulent encadrer les modèles d'intelligence artificielle.",
            ),
            line(
                None,
                Some(46_000),
                None,
                "Jean-Baptiste Kempf, fondateur de VLC, nous parle de logiciel libre.",
            ),
            line(
                None,
                Some(57_000),
                None,
                "Les datacenters consomment énormément d'énergie, c'est un vrai sujet.",
            ),
        ],
    )
}

fn mac127(last_line: &str) -> Episode {
    let host = Some("Horacio Gonzalez");
    let guest = Some("Alain Garnier");
    episode(
        "mac-127",
        "À la recherche d'une troisième voie pour un futur tech désirable",
        "Messages à caractère informatique",
        (2025, 2, 14),
        None,
        vec![
            participant("Horacio Gonzalez", Role::Host, &[]),
            participant("Alain Garnier", Role::Guest, &["Alain GARNIER"]),
        ],
        &[],
        &[
            line(
                host,
                None,
                None,
                "Bonjour et bienvenue dans cet épisode de messages à caractère informatique.",
            ),
            line(
                guest,
                None,
                None,
                "La souveraineté numérique, c'est d'abord une question de sécurité des données.",
            ),
            line(
                host,
                None,
                None,
                "On cherche une troisième voie pour un futur tech désirable.",
            ),
            line(guest, None, None, last_line),
        ],
    )
}

const MAC_LAST: &str = "Je ne sais pas si l'Europe peut rattraper son retard.";

fn corpus() -> EpisodeSet {
    EpisodeSet::new(
        "test-corpus",
        vec![mistral(), smarttech(), mac127(MAC_LAST)],
    )
}

fn memory_index() -> Snapshot {
    let options = IndexOptions {
        in_memory: true,
        writer_threads: 1,
        ..IndexOptions::default()
    };
    Snapshot::open(&corpus(), &options).unwrap().0
}

fn request(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        limit: 10,
        ..SearchRequest::default()
    }
}

fn search(index: &Snapshot, req: SearchRequest) -> SearchResults {
    index.search(&req).unwrap()
}

fn quotes(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.quote.as_str()).collect()
}

fn highlighted(hit: &verbatim::index::SearchHit) -> Vec<String> {
    hit.highlights
        .iter()
        .map(|h| {
            hit.quote
                .chars()
                .skip(h.start)
                .take(h.end - h.start)
                .collect()
        })
        .collect()
}

#[test]
fn accentless_query_finds_accented_text() {
    let index = memory_index();
    let r = search(&index, request("securite des donnees"));
    assert_eq!(r.total_hits, 2, "{:?}", quotes(&r));
    for hit in &r.hits {
        let words = highlighted(hit);
        assert!(words.iter().any(|w| w == "sécurité"), "{words:?}");
        assert!(words.iter().any(|w| w == "données"), "{words:?}");
    }
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn other_word_forms_match() {
    let index = memory_index();
    let cases = [
        ("ingénieur", "meilleurs ingénieurs"),
        ("européen", "régulateurs européens"),
        ("régulation", "régulateurs européens"),
        ("recruter", "recrutez-vous"),
    ];
    for (query, expected) in cases {
        let r = search(&index, request(query));
        assert!(
            quotes(&r).iter().any(|q| q.contains(expected)),
            "{query}: {:?}",
            quotes(&r)
        );
    }
}

#[test]
fn elision_is_ignored_both_ways() {
    let index = memory_index();
    for query in [
        "IA ouverte",
        "l'IA ouverte",
        "l’IA ouverte",
        "\"l’IA ouverte\"",
    ] {
        let r = search(&index, request(query));
        let first = r.hits.first().unwrap_or_else(|| panic!("{query}: no hit"));
        assert!(
            first.quote.contains("l'IA ouverte"),
            "{query}: {}",
            first.quote
        );
    }
    let r = search(&index, request("intelligence artificielle"));
    assert!(
        quotes(&r)
            .iter()
            .any(|q| q.contains("d'intelligence artificielle"))
    );
}

#[test]
fn exact_phrases_keep_every_word_and_the_order() {
    let index = memory_index();
    let r = search(&index, request("\"je ne sais pas\""));
    assert_eq!(r.total_hits, 2, "{:?}", quotes(&r));
    assert!(
        quotes(&r)
            .iter()
            .all(|q| q.to_lowercase().contains("je ne sais pas"))
    );
    let r = search(&index, request("\"pas sais ne je\""));
    assert_eq!(r.total_hits, 0);
    // Stop-word phrases are searched as phrases too.
    let r = search(&index, request("\"de la tech\""));
    assert_eq!(r.total_hits, 1);
}

#[test]
fn misspelled_names_are_found() {
    let index = memory_index();
    let r = search(&index, request("Arthur Mensch"));
    let first = &r.hits[0];
    assert!(first.quote.contains("Arthur Mench"), "{}", first.quote);
    // A name is one matched occurrence, highlighted whole (issue 12: it was
    // highlighted word by word, "Arthur" and "Mench").
    assert_eq!(highlighted(first), vec!["Arthur Mench"]);
    let r = search(&index, request("\"Arthur Mensch\""));
    assert_eq!(r.total_hits, 1);
    assert!(r.hits[0].quote.contains("Arthur Mench"));
    let r = search(&index, request("Constantin Pavléas"));
    assert!(r.hits[0].quote.contains("Constantin Pavleas"));
}

#[test]
fn hits_carry_speaker_time_citation_and_link() {
    let index = memory_index();
    let r = search(&index, request("priorité absolue"));
    let hit = &r.hits[0];
    assert_eq!(hit.origin.episode.episode_id, "mistral-interview");
    assert_eq!(hit.origin.said.speaker.as_deref(), Some("Arthur Mensch"));
    assert_eq!(hit.origin.said.start_seconds, Some(180_000));
    assert_eq!(
        hit.origin.chapter.as_ref().map(|c| c.title.as_str()),
        Some("Souveraineté")
    );
    assert_eq!(
        hit.url.as_deref(),
        Some("https://www.youtube.com/watch?v=abc123&t=180s")
    );
    assert!(
        hit.citation.starts_with("«La sécurité des données"),
        "{}",
        hit.citation
    );
    assert!(hit.citation.ends_with("— Arthur Mensch, Arthur Mensch, le patron de Mistral AI (Génération Do It Yourself, 2024-06-01), 00:03:00"), "{}", hit.citation);
    // The context says its own speaker and time: the next words are the host's.
    let before = hit.context_before.as_ref().unwrap();
    assert!(before.text.contains("l'IA ouverte"));
    assert_eq!(before.speaker.as_deref(), Some("Arthur Mensch"));
    assert_eq!(before.start_seconds, Some(135_000));
    let after = hit.context_after.as_ref().unwrap();
    assert!(after.text.contains("régulation européenne"));
    assert_eq!(after.speaker.as_deref(), Some("Matthieu Stefani"));
    assert_eq!(after.start_seconds, Some(200_000));
    let untimed = search(&index, request("troisième voie"));
    let hit = untimed
        .hits
        .iter()
        .find(|h| h.origin.episode.episode_id == "mac-127")
        .unwrap();
    assert!(hit.citation.ends_with("untimed"), "{}", hit.citation);
    assert_eq!(hit.url, None);
}

#[test]
fn each_filter_restricts_hits() {
    let index = memory_index();
    let by_episode = search(
        &index,
        SearchRequest {
            episode_id: Some("mac-127".into()),
            ..request("sécurité")
        },
    );
    assert_eq!(by_episode.total_hits, 1);
    assert_eq!(by_episode.hits[0].origin.episode.episode_id, "mac-127");

    // A name resolves to the diarization label it was given, ignoring case; an alias works too.
    for name in ["Arthur Mensch", "arthur mench", "ARTHUR MENSCH", "Mensch"] {
        let r = search(
            &index,
            SearchRequest {
                speaker: Some(name.into()),
                ..request("IA données invitation")
            },
        );
        assert!(r.total_hits >= 1, "{name}");
        assert!(
            r.hits
                .iter()
                .all(|h| h.origin.said.speaker.as_deref() == Some("Arthur Mensch")),
            "{name}"
        );
    }
    let r = search(
        &index,
        SearchRequest {
            speaker: Some("Alain Garnier".into()),
            ..request("securite")
        },
    );
    assert_eq!(r.total_hits, 1);
    assert_eq!(r.hits[0].origin.episode.episode_id, "mac-127");
    let r = search(
        &index,
        SearchRequest {
            speaker: Some("Personne Inconnue".into()),
            ..request("securite")
        },
    );
    assert_eq!(r.total_hits, 0);
    assert!(
        r.notes.iter().any(|n| n.contains("no speaker")),
        "{:?}",
        r.notes
    );

    let r = search(
        &index,
        SearchRequest {
            show: Some("smart tech".into()),
            ..request("IA")
        },
    );
    assert!(
        r.total_hits >= 1
            && r.hits
                .iter()
                .all(|h| h.origin.episode.episode_id == "smarttech-ia")
    );

    let r = search(
        &index,
        SearchRequest {
            episode_id: Some("mistral-interview".into()),
            chapter: Some(2),
            ..request("la")
        },
    );
    assert_eq!(r.total_hits, 2);
    assert!(
        r.hits
            .iter()
            .all(|h| h.origin.chapter.as_ref().map(|c| c.index) == Some(2))
    );

    let after = search(
        &index,
        SearchRequest {
            published_after: NaiveDate::from_ymd_opt(2025, 1, 1),
            ..request("sécurité")
        },
    );
    assert_eq!(after.total_hits, 1);
    assert_eq!(after.hits[0].origin.episode.episode_id, "mac-127");
    let before = search(
        &index,
        SearchRequest {
            published_before: NaiveDate::from_ymd_opt(2024, 12, 31),
            ..request("sécurité")
        },
    );
    assert_eq!(before.total_hits, 1);
    assert_eq!(
        before.hits[0].origin.episode.episode_id,
        "mistral-interview"
    );

    // Filters alone list passages.
    let r = search(
        &index,
        SearchRequest {
            speaker: Some("Horacio Gonzalez".into()),
            ..request("")
        },
    );
    assert_eq!(r.total_hits, 2);
    assert_eq!(r.hits.len(), 2, "filter-only searches list their passages");
}

#[test]
fn filters_do_not_change_scores() {
    let index = memory_index();
    let plain = search(&index, request("sécurité données"));
    let filtered = search(
        &index,
        SearchRequest {
            episode_id: Some("mac-127".into()),
            ..request("sécurité données")
        },
    );
    let plain_score = plain
        .hits
        .iter()
        .find(|h| h.origin.episode.episode_id == "mac-127")
        .unwrap()
        .score;
    assert!((plain_score - filtered.hits[0].score).abs() < 1e-5);
}

#[test]
fn chapter_titles_rank_their_passages() {
    let index = memory_index();
    // No passage says "guerre": the chapter "La guerre des talents" does.
    let r = search(&index, request("guerre"));
    assert_eq!(r.total_hits, 2, "{:?}", quotes(&r));
    assert!(
        r.hits
            .iter()
            .all(|h| h.origin.chapter.as_ref().map(|c| c.index) == Some(1))
    );
}

#[test]
fn too_few_hits_for_all_words_falls_back_to_any_word() {
    let index = memory_index();
    let r = search(&index, request("datacenters licorne"));
    assert!(r.total_hits >= 1);
    assert!(r.hits[0].quote.contains("datacenters"));
    assert!(
        r.notes.iter().any(|n| n.contains("some of them")),
        "{:?}",
        r.notes
    );
}

#[test]
fn user_syntax_never_fails() {
    let index = memory_index();
    for query in [
        "securite: (donnees^",
        "-IA +Europe",
        "\"unclosed phrase",
        "AND OR NOT",
        "*?~[]{}",
        "!!!",
        "l'",
        "’",
    ] {
        let r = index.search(&request(query));
        assert!(r.is_ok(), "{query}: {r:?}");
    }
    let r = search(&index, request("securite: (donnees^"));
    assert_eq!(r.total_hits, 2);
    assert!(
        index
            .search(&SearchRequest {
                limit: 0,
                ..request("x")
            })
            .is_err()
    );
    assert!(
        index
            .search(&SearchRequest {
                episode_id: Some("nope".into()),
                ..request("x")
            })
            .is_err()
    );
}

#[test]
fn pagination_walks_the_hits() {
    let index = memory_index();
    let all = search(
        &index,
        SearchRequest {
            limit: 20,
            ..request("la")
        },
    );
    let page = search(
        &index,
        SearchRequest {
            limit: 2,
            offset: 2,
            ..request("la")
        },
    );
    assert_eq!(page.total_hits, all.total_hits);
    let ids: Vec<&str> = page
        .hits
        .iter()
        .map(|h| h.origin.passage_id.as_str())
        .collect();
    let expected: Vec<&str> = all.hits[2..4]
        .iter()
        .map(|h| h.origin.passage_id.as_str())
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn deadline_bounds_every_query() {
    let mut index = memory_index();
    let started = Instant::now();
    let r = search(&index, request("\"de la\""));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(r.total_hits >= 1);
    std::sync::Arc::get_mut(&mut index.index)
        .unwrap()
        .set_deadline(Duration::ZERO);
    let r = search(&index, request("\"de la\""));
    assert!(
        r.notes.iter().any(|n| n.contains("time limit")),
        "{:?}",
        r.notes
    );
}

#[test]
fn passage_ids_are_stable_across_builds() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        ..IndexOptions::default()
    };
    let (disk, _) = Snapshot::open(&corpus(), &options).unwrap();
    let memory = memory_index();
    let a = search(&disk, request("sécurité"));
    let b = search(&memory, request("sécurité"));
    let ids = |r: &SearchResults| {
        let mut v: Vec<String> = r.hits.iter().map(|h| h.origin.passage_id.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&a), ids(&b));
    let expected: Vec<String> = mistral()
        .passages
        .iter()
        .map(|p| p.passage_id.clone())
        .collect();
    assert!(
        a.hits
            .iter()
            .filter(|h| h.origin.episode.episode_id == "mistral-interview")
            .all(|h| expected.contains(&h.origin.passage_id))
    );
}

/// The headers file of the generation a report opened.
fn headers_file(report: &verbatim::index::IndexReport) -> std::path::PathBuf {
    report
        .location
        .as_ref()
        .unwrap()
        .join("verbatim-episodes.bin")
}

#[test]
fn an_update_from_a_served_snapshot_does_not_read_the_catalog_back() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        ..IndexOptions::default()
    };
    let (served, first) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(first.action, IndexAction::Built);
    // Were the update to read the catalog back, it would find it unreadable
    // and rebuild everything.
    std::fs::write(headers_file(&first), b"not json").unwrap();
    let changed = EpisodeSet::new(
        "test-corpus",
        vec![
            mistral(),
            smarttech(),
            mac127("Le logiciel libre est une piste sérieuse pour la souveraineté."),
        ],
    );
    let (next, update) = served.update(&changed, &options).unwrap();
    assert_eq!(update.action, IndexAction::Updated, "{update:?}");
    assert_eq!(update.reindexed, vec!["mac-127.json".to_string()]);
    assert_eq!(next.corpus.len(), 3);
    assert_eq!(search(&next, request("piste sérieuse")).total_hits, 1);
    assert_eq!(search(&next, request("rattraper retard")).total_hits, 0);
    // The catalog it wrote is whole again: a new process opens it as is.
    let (reopened, again) = Snapshot::open(&changed, &options).unwrap();
    assert_eq!(again.action, IndexAction::Opened, "{again:?}");
    assert_eq!(reopened.corpus.headers(), next.corpus.headers());
    assert_eq!(search(&reopened, request("piste sérieuse")).total_hits, 1);
}

#[test]
fn an_update_from_a_snapshot_older_than_the_index_reads_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        ..IndexOptions::default()
    };
    let (old, _) = Snapshot::open(&corpus(), &options).unwrap();
    // Another process updates the index meanwhile: `old` no longer describes it.
    let first_change = EpisodeSet::new(
        "test-corpus",
        vec![
            mistral(),
            smarttech(),
            mac127("Les hippocampes migrent en hiver."),
        ],
    );
    let (_, by_other) = Snapshot::open(&first_change, &options).unwrap();
    assert_eq!(by_other.action, IndexAction::Updated);
    let second_change = EpisodeSet::new(
        "test-corpus",
        vec![mistral(), mac127("Les hippocampes migrent en hiver.")],
    );
    let (next, update) = old.update(&second_change, &options).unwrap();
    assert_eq!(update.action, IndexAction::Updated, "{update:?}");
    assert_eq!(update.removed, vec!["smarttech-ia.json".to_string()]);
    // Both changes are there: the catalog came from disk, not from `old`.
    assert_eq!(next.corpus.len(), 2);
    assert_eq!(search(&next, request("hippocampes")).total_hits, 1);
    assert_eq!(search(&next, request("rattraper retard")).total_hits, 0);
}

#[test]
fn only_the_changed_file_is_reindexed() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        ..IndexOptions::default()
    };
    let (_, first) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(first.action, IndexAction::Built);
    assert_eq!(first.reindexed.len(), 3);

    let (index, again) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(again.action, IndexAction::Opened);
    assert!(again.reindexed.is_empty());
    assert_eq!(index.corpus.len(), 3);
    assert_eq!(search(&index, request("rattraper retard")).total_hits, 1);

    let changed = EpisodeSet::new(
        "test-corpus",
        vec![
            mistral(),
            smarttech(),
            mac127("Le logiciel libre est une piste sérieuse pour la souveraineté."),
        ],
    );
    let (index, update) = Snapshot::open(&changed, &options).unwrap();
    assert_eq!(update.action, IndexAction::Updated);
    assert_eq!(update.reindexed, vec!["mac-127.json".to_string()]);
    assert_eq!(update.location, first.location);
    assert_eq!(search(&index, request("rattraper retard")).total_hits, 0);
    let r = search(&index, request("piste sérieuse"));
    assert_eq!(r.total_hits, 1);
    assert_eq!(r.hits[0].origin.episode.episode_id, "mac-127");
    assert_eq!(index.index.num_passages(), 14);

    // A removed file loses its passages.
    let fewer = EpisodeSet::new(
        "test-corpus",
        vec![
            mistral(),
            mac127("Le logiciel libre est une piste sérieuse."),
        ],
    );
    let (index, update) = Snapshot::open(&fewer, &options).unwrap();
    assert_eq!(update.removed, vec!["smarttech-ia.json".to_string()]);
    assert_eq!(search(&index, request("datacenters")).total_hits, 0);
    assert_eq!(index.corpus.len(), 2);
}

#[test]
fn a_corrupted_index_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        ..IndexOptions::default()
    };
    let (_, first) = Snapshot::open(&corpus(), &options).unwrap();
    let generation = first.location.clone().unwrap();

    // Garbage over tantivy's metadata.
    std::fs::write(generation.join("meta.json"), b"{ not json").unwrap();
    let (index, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Built, "{report:?}");
    assert!(
        report.reason.as_deref().unwrap().contains("unreadable"),
        "{report:?}"
    );
    assert_ne!(report.location, first.location);
    assert!(!generation.exists(), "the old generation is removed");
    assert_eq!(
        search(&index, request("securite des donnees")).total_hits,
        2
    );

    // A segment file gone.
    let generation = report.location.clone().unwrap();
    let segment = std::fs::read_dir(&generation)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".idx"))
        .unwrap();
    std::fs::remove_file(segment.path()).unwrap();
    let (index, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Built, "{report:?}");
    assert_eq!(
        search(&index, request("securite des donnees")).total_hits,
        2
    );

    // A truncated catalog.
    let generation = report.location.clone().unwrap();
    std::fs::write(generation.join("verbatim-episodes.bin"), b"{\"files\":[").unwrap();
    let (_, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Built, "{report:?}");
}

#[test]
fn a_second_process_never_corrupts_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        lock_wait: Duration::from_millis(100),
        ..IndexOptions::default()
    };
    Snapshot::open(&corpus(), &options).unwrap();
    let lock_path = store::key_dir("test-corpus", &options)
        .unwrap()
        .join("lock");
    let other = std::fs::File::options()
        .write(true)
        .open(&lock_path)
        .unwrap();

    // Another process is writing: this one does not wait forever, and keeps its hands off the disk.
    other.lock().unwrap();
    let (index, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::InMemory);
    assert_eq!(
        search(&index, request("securite des donnees")).total_hits,
        2
    );
    other.unlock().unwrap();

    // Another process is reading: a fresh index is shared.
    other.lock_shared().unwrap();
    let (_, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Opened);
    other.unlock().unwrap();

    // Concurrent opens from threads (separate lock handles) all succeed.
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let options = options.clone();
            std::thread::spawn(move || {
                Snapshot::open(&corpus(), &options).map(|(i, _)| i.index.num_passages())
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), 14);
    }
}

/// A small corpus of one episode per passage text, indexed in memory.
fn index_of(texts: &[&str]) -> Snapshot {
    let episodes = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            EpisodeBuilder::new(&format!("e{i}"))
                .language("fr")
                .said(None, text)
                .build()
        })
        .collect();
    crate::snapshots::open_episodes("small", episodes)
}

#[test]
fn an_acronym_in_capitals_is_not_a_homograph() {
    let index = index_of(&[
        "Je l'ai vu hier et j'ai aimé.",
        "Les modèles d'AI générative avancent vite.",
        "L'IA progresse, dit-elle.",
        "Les GPU chauffent beaucoup.",
    ]);
    let ids = |q: &str| -> Vec<String> {
        search(&index, request(q))
            .hits
            .into_iter()
            .map(|h| h.origin.episode.episode_id)
            .collect()
    };
    assert_eq!(ids("AI"), vec!["e1"]);
    assert_eq!(ids("IA"), vec!["e2"]);
    assert_eq!(ids("GPU"), vec!["e3"]);
    // In lower case the word is a word: "ai" is also what "j'ai" says.
    let lower = ids("ai");
    assert!(lower.contains(&"e0".to_string()) && lower.contains(&"e1".to_string()));
    // A mixed query keeps its acronym: "les modèles AI" needs the acronym.
    assert_eq!(ids("modèles AI"), vec!["e1"]);
    let r = search(&index, request("modèles AI"));
    assert_eq!(highlighted(&r.hits[0]), vec!["modèles", "AI"]);
}

#[test]
fn when_not_all_words_match_the_rare_word_ranks_first() {
    let mut texts = vec!["La souveraineté numérique est une affaire sérieuse."];
    let common = [
        "L'Europe avance.",
        "L'Europe, l'Europe, toujours l'Europe.",
        "Parlons de l'Europe et de l'Europe encore.",
        "En Europe on discute.",
        "L'Europe décide, l'Europe hésite.",
        "Tout le monde parle de l'Europe.",
    ];
    texts.extend(common);
    let index = index_of(&texts);
    let r = search(&index, request("souveraineté Europe"));
    assert!(
        r.notes.iter().any(|n| n.contains("some of them")),
        "{:?}",
        r.notes
    );
    assert_eq!(
        r.hits[0].origin.episode.episode_id,
        "e0",
        "{:?}",
        quotes(&r)
    );
    assert_eq!(r.total_hits, texts.len());
}

#[test]
fn function_words_are_not_matched_words() {
    let index = index_of(&[
        "La souveraineté de l'Europe est en jeu.",
        "De la musique et de la danse.",
    ]);
    let r = search(&index, request("la souveraineté de l'Europe"));
    assert_eq!(r.total_hits, 1, "{:?}", quotes(&r));
    assert_eq!(highlighted(&r.hits[0]), vec!["souveraineté", "Europe"]);
    // A phrase is matched whole, function words included.
    let r = search(&index, request("\"de la musique\""));
    assert_eq!(highlighted(&r.hits[0]), vec!["De la musique"]);
    // A query of nothing but function words still finds them.
    let r = search(&index, request("de la"));
    assert_eq!(r.total_hits, 2);
}

/// More passages say "zorglub" than search counts (10 100), and the best
/// ones (short, the word twice) come last in index order: a ranking of the
/// first matches found would miss them.
fn crowded_index() -> (Snapshot, Vec<String>) {
    let episodes = 60;
    let per_episode = 200;
    let mut best = Vec::new();
    let corpus = (0..episodes)
        .map(|e| {
            let mut builder = EpisodeBuilder::new(&format!("e{e:02}"))
                .language("fr")
                .show(if e % 2 == 0 { "Paire" } else { "Impaire" });
            for p in 0..per_episode {
                let text = if e >= episodes - 3 && p == per_episode - 1 {
                    best.push(format!("e{e:02}#p{p}"));
                    "Le mot zorglub, zorglub.".to_string()
                } else {
                    format!(
                        "Le mot zorglub revient dans une phrase assez longue, avec d'autres mots pour l'allonger, numéro {p}."
                    )
                };
                builder = builder.said(None, &text);
            }
            builder.build()
        })
        .collect();
    let snapshot = crate::snapshots::open_episodes("crowded", corpus);
    (snapshot, best)
}

/// `episode#pORDINAL` of each hit (its passage id without the hash).
fn hit_places(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| {
            let id = &h.origin.passage_id;
            id.rsplit_once('-')
                .map_or(id.clone(), |(place, _)| place.to_string())
        })
        .collect()
}

/// The `limit` best passages for `word` (already analysed) by tantivy's own
/// exhaustive ranking of the French text field: (score, passage id).
fn tantivy_ranking(index: &Snapshot, word: &str, limit: usize) -> Vec<(f32, String)> {
    ranking_of(index, limit, &|schema| {
        Box::new(tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(schema.get_field("text").unwrap(), word),
            tantivy::schema::IndexRecordOption::WithFreqs,
        ))
    })
}

/// The `limit` best passages for a tantivy query made from the index's
/// schema, by tantivy's own exhaustive ranking: (score, passage id).
fn ranking_of(
    index: &Snapshot,
    limit: usize,
    query: &dyn Fn(&tantivy::schema::Schema) -> Box<dyn tantivy::query::Query>,
) -> Vec<(f32, String)> {
    use tantivy::collector::TopDocs;
    use tantivy::schema::Value;
    let tantivy_index = index.index.tantivy();
    let schema = tantivy_index.schema();
    let passage_id = schema.get_field("passage_id").unwrap();
    let searcher = tantivy_index.reader().unwrap().searcher();
    searcher
        .search(
            &query(&schema),
            &TopDocs::with_limit(limit).order_by_score(),
        )
        .unwrap()
        .into_iter()
        .map(|(score, address)| {
            let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
            let id = doc.get_first(passage_id).and_then(|v| v.as_str()).unwrap();
            (score, id.to_string())
        })
        .collect()
}

/// Asserts that `results` are the first ten of `expected` (best first,
/// `(score, episode#pORDINAL)`): the same scores, and the same passages but
/// for those tied with the tenth (any of the tied may come).
fn assert_top_ten(results: &SearchResults, expected: &[(f32, String)]) {
    let expected = &expected[..10.min(expected.len())];
    let ours: Vec<(f32, String)> = results
        .hits
        .iter()
        .map(|h| h.score)
        .zip(hit_places(results))
        .collect();
    assert_eq!(ours.len(), 10);
    for ((our_score, _), (their_score, _)) in ours.iter().zip(expected) {
        assert!(
            (our_score - their_score).abs() < 1e-4,
            "{ours:?} vs {expected:?}"
        );
    }
    let last = expected.last().map_or(0.0, |(s, _)| *s);
    let above_last = |ranked: &[(f32, String)]| {
        let mut places: Vec<String> = ranked
            .iter()
            .filter(|(s, _)| *s > last + 1e-4)
            .map(|(_, p)| p.clone())
            .collect();
        places.sort();
        places
    };
    assert_eq!(above_last(&ours), above_last(expected));
}

#[test]
fn top_hits_are_the_best_of_all_matches_not_of_the_first_counted() {
    let (index, best) = crowded_index();
    assert_eq!(index.index.num_passages(), 12_000);

    // Plain words: pruned ranking, bounded count.
    let results = search(
        &index,
        SearchRequest {
            limit: 10,
            ..request("zorglub")
        },
    );
    assert!(results.total_is_lower_bound, "{results:?}");
    assert_eq!(results.total_hits, verbatim::index::MAX_COUNTED);
    let places = hit_places(&results);
    let mut top3 = places[..3].to_vec();
    top3.sort();
    assert_eq!(top3, best, "{places:?}");

    // The same ranking, exhaustively, straight from tantivy: the same ten passages.
    let exhaustive = tantivy_ranking(&index, "zorglub", 10);
    let score_of_ours: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    let score_of_theirs: Vec<f32> = exhaustive.iter().map(|(s, _)| *s).collect();
    assert_eq!(score_of_ours, score_of_theirs);
    let mut theirs: Vec<String> = exhaustive[..3].iter().map(|(_, id)| id.clone()).collect();
    theirs.sort();
    let ours: Vec<String> = {
        let mut ids: Vec<String> = results.hits[..3]
            .iter()
            .map(|h| h.origin.passage_id.clone())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ours, theirs);

    // A phrase cannot be pruned: scored exhaustively, counted exactly. A
    // filtered word is pruned, and counted apart (6 000, under the bound).
    let phrase = search(&index, request("\"le mot zorglub\""));
    assert!(!phrase.total_is_lower_bound);
    assert_eq!(phrase.total_hits, 12_000);
    let mut top3 = hit_places(&phrase)[..3].to_vec();
    top3.sort();
    assert_eq!(top3, best);
    let filtered = search(
        &index,
        SearchRequest {
            show: Some("Paire".into()),
            ..request("zorglub")
        },
    );
    assert_eq!(filtered.total_hits, 6_000);
    let places = hit_places(&filtered);
    // Of the three best, only e58 is in an even episode.
    assert_eq!(places[0], "e58#p199", "{places:?}");
}

#[test]
fn title_evidence_and_filters_keep_the_top_hits_exact_under_pruning() {
    // Two episodes have the word in their title: their passages get a
    // bonus, and some of them must outrank the best passages that only say
    // it. A passage in five says it; their lengths and counts vary, and so
    // do their scores. Even episodes are one show, odd ones another.
    let titled = [10, 31];
    let corpus = (0..80)
        .map(|e| {
            let mut builder = EpisodeBuilder::new(&format!("e{e:02}"))
                .language("fr")
                .show(if e % 2 == 0 { "Paire" } else { "Impaire" });
            if titled.contains(&e) {
                builder = builder.title(&format!("Le zorglub, épisode {e}"));
            }
            for p in 0..150 {
                let filler = vec!["encore"; (p * 7 + e * 3) % 25].join(" ");
                // Said up to four times: scores far apart. In the titled
                // episodes, three times in three passages and once elsewhere.
                let times = match (p % 5, titled.contains(&e)) {
                    (1.., _) => 0,
                    (0, true) if p < 15 => 3,
                    (0, true) => 1,
                    (0, false) => 1 + (p / 5 + e) % 4,
                };
                let words = vec!["zorglub"; times].join(" ");
                builder = builder.said(None, &format!("Le mot {words} revient {filler}."));
            }
            builder.build()
        })
        .collect();
    let index = crate::snapshots::open_episodes("titled", corpus);

    // Every match's score from tantivy, plus the title bonus (0.4) of the
    // titled episodes' passages: (score, place, episode number).
    let every = tantivy_ranking(&index, "zorglub", 20_000);
    assert_eq!(every.len(), 2_400);
    let mut scored: Vec<(f32, String, usize)> = every
        .iter()
        .map(|(score, id)| {
            let place = id.rsplit_once('-').unwrap().0.to_string();
            let episode: usize = place[1..3].parse().unwrap();
            let bonus = if titled.contains(&episode) { 0.4 } else { 0.0 };
            (score + bonus, place, episode)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));

    // No filter; a broad one (half the passages: pruned, candidates
    // checked); a narrow one (one episode in 80: intersected).
    // (request, which episodes it keeps, how many passages match)
    type Case = (SearchRequest, fn(usize) -> bool, usize);
    let cases: [Case; 3] = [
        (request("zorglub"), |_| true, 2_400),
        (
            SearchRequest {
                show: Some("Paire".into()),
                ..request("zorglub")
            },
            |e| e % 2 == 0,
            1_200,
        ),
        (
            SearchRequest {
                episode_id: Some("e10".into()),
                ..request("zorglub")
            },
            |e| e == 10,
            30,
        ),
    ];
    for (request, kept, total) in cases {
        let results = search(
            &index,
            SearchRequest {
                limit: 10,
                ..request
            },
        );
        assert_eq!(results.total_hits, total);
        let expected: Vec<&(f32, String, usize)> = scored
            .iter()
            .filter(|(_, _, e)| kept(*e))
            .take(10)
            .collect();
        let titled_in_top = expected
            .iter()
            .filter(|(_, _, e)| titled.contains(e))
            .count();
        if total > 30 {
            assert!(
                (1..10).contains(&titled_in_top),
                "the bonus must change the top ten, not make it: {expected:?}"
            );
        }
        let expected: Vec<(f32, String)> = expected
            .into_iter()
            .map(|(score, place, _)| (*score, place.clone()))
            .collect();
        assert_top_ten(&results, &expected);
    }
}

#[test]
fn speaker_name_evidence_keeps_the_top_hits_exact_under_pruning() {
    // Half the passages are said by "Zorglub Dupont": too many to score one
    // by one, so every passage is pruned at the threshold less the name's
    // largest bonus (the test fails if the threshold is not lowered by it).
    assert_metadata_evidence_is_exact(2, |_| false);
}

#[test]
fn passages_with_a_bonus_are_ranked_apart_and_the_rest_pruned_at_the_threshold() {
    // A tenth of the passages are said by "Zorglub Dupont" and a twentieth
    // are in episodes and chapters titled with the word: few enough to be
    // scored one by one, before the others are pruned at the real threshold
    // (the test fails if either kind is left to the second pass).
    assert_metadata_evidence_is_exact(10, |e| e % 20 == 3);
}

/// A passage said by "Zorglub Dupont" (one in `one_in`) that says
/// "zorglub" gets the name's BM25 score (times 0.3) on top of the words',
/// and one in an episode whose title and chapter have the word (`titled`;
/// its speakers are not named), 0.4 and 0.8: more than the name's. The word
/// is in more passages than are counted, with a broad filter too, so the
/// ranking is pruned (the filters are checked on its candidates). Even
/// episodes are one show, odd ones another; they are published over four
/// years. The top ten of each search must be those of tantivy's exhaustive
/// ranking with the same bonuses.
fn assert_metadata_evidence_is_exact(one_in: usize, titled: fn(usize) -> bool) {
    // A titled episode has no named speaker: its passages' only bonus is the title's.
    let named = move |p: usize, e: usize| (p + e).is_multiple_of(one_in) && !titled(e);
    let corpus = (0..160)
        .map(|e| {
            let title = if titled(e) {
                format!("Zorglub en direct {e}")
            } else {
                format!("Épisode {e}")
            };
            let mut builder = EpisodeBuilder::new(&format!("e{e:03}"))
                .language("fr")
                .title(&title)
                .show(if e % 2 == 0 { "Paire" } else { "Impaire" })
                .published(2020 + (e % 4) as i32, 6, 1);
            if titled(e) {
                builder = builder.chapter("Zorglub", Some(0), None);
            }
            for p in 0..150 {
                let filler = vec!["encore"; (p * 7 + e * 3) % 25].join(" ");
                let times = if p % 8 == 7 { 0 } else { 1 + (p / 5 + e) % 4 };
                let words = vec!["zorglub"; times].join(" ");
                let speaker = if named(p, e) {
                    "Zorglub Dupont"
                } else {
                    "Marie Curie"
                };
                builder = builder.said(Some(speaker), &format!("Le mot {words} revient {filler}."));
                if titled(e) {
                    builder = builder.in_chapter(0);
                }
            }
            builder.build()
        })
        .collect();
    let index = crate::snapshots::open_episodes("named", corpus);

    // tantivy's exhaustive ranking of the words with the name as a scored
    // optional clause: (score, place, episode number), the title's and the
    // chapter's bonus added.
    let every = ranking_of(&index, 30_000, &|schema| {
        use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
        let term = |field: &str| -> Box<dyn tantivy::query::Query> {
            Box::new(TermQuery::new(
                tantivy::Term::from_field_text(schema.get_field(field).unwrap(), "zorglub"),
                tantivy::schema::IndexRecordOption::WithFreqs,
            ))
        };
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, term("text")),
            (
                Occur::Should,
                Box::new(BoostQuery::new(term("speaker_text"), 0.3)),
            ),
        ]))
    });
    assert_eq!(every.len(), 160 * 132);
    let mut scored: Vec<(f32, String, usize)> = every
        .into_iter()
        .map(|(score, id)| {
            let place = id.rsplit_once('-').unwrap().0.to_string();
            let episode: usize = place[1..4].parse().unwrap();
            let title_bonus = if titled(episode) { 0.4 + 0.8 } else { 0.0 };
            (score + title_bonus, place, episode)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));

    // (request, which episodes it keeps, whether more match than are counted)
    type Case = (SearchRequest, fn(usize) -> bool, bool);
    let cases: [Case; 4] = [
        (request("zorglub"), |_| true, true),
        (
            SearchRequest {
                show: Some("Paire".into()),
                ..request("zorglub")
            },
            |e| e % 2 == 0,
            true,
        ),
        (
            SearchRequest {
                published_after: NaiveDate::from_ymd_opt(2021, 1, 1),
                published_before: NaiveDate::from_ymd_opt(2022, 12, 31),
                ..request("zorglub")
            },
            |e| e % 4 == 1 || e % 4 == 2,
            true,
        ),
        (
            SearchRequest {
                episode_id: Some("e010".into()),
                ..request("zorglub")
            },
            |e| e == 10,
            false,
        ),
    ];
    for (request, kept, pruned) in cases {
        let results = search(&index, request);
        // Past the count, the ranking is pruned and counted apart.
        assert_eq!(results.total_is_lower_bound, pruned, "{:?}", results.notes);
        // Many passages tie: the filter is checked hit by hit as well.
        for place in hit_places(&results) {
            assert!(kept(place[1..4].parse().unwrap()), "{place}");
        }
        let expected: Vec<(f32, String)> = scored
            .iter()
            .filter(|(_, _, e)| kept(*e))
            .map(|(score, place, _)| (*score, place.clone()))
            .collect();
        // The bonus decides the top ten: each of its passages has one (those
        // of titled episodes where the filter keeps any).
        for (hit, place) in results.hits.iter().zip(hit_places(&results)) {
            let by_name = hit.origin.said.speaker.as_deref() == Some("Zorglub Dupont");
            assert!(
                by_name || titled(place[1..4].parse().unwrap()),
                "{place} {:?}",
                &expected[..10]
            );
        }
        assert_top_ten(&results, &expected);
    }
}

#[test]
fn a_filter_that_keeps_more_than_expected_still_ranks_every_match() {
    // The word is in every passage of the show "Alpha" and nowhere else: 40%
    // of the passages. Its matches under the show filter are estimated at
    // 40% of them, which fits the count, but all of them match: the single
    // scored pass stops at the count, and a pruned pass must rank them
    // all. The best passages come last in index order.
    let corpus = (0..100)
        .map(|e| {
            let alpha = e < 40;
            let mut builder = EpisodeBuilder::new(&format!("e{e:02}"))
                .language("fr")
                .show(if alpha { "Alpha" } else { "Beta" });
            for p in 0..300 {
                let text = if !alpha {
                    format!("Rien à voir ici, numéro {p}.")
                } else if e == 39 && p >= 297 {
                    "Le mot zorglub, zorglub.".to_string()
                } else {
                    let filler = vec!["encore"; (p * 7 + e * 3) % 25].join(" ");
                    format!("Le mot zorglub revient {filler}.")
                };
                builder = builder.said(None, &text);
            }
            builder.build()
        })
        .collect();
    let index = crate::snapshots::open_episodes("alpha", corpus);
    let results = search(
        &index,
        SearchRequest {
            show: Some("Alpha".into()),
            ..request("zorglub")
        },
    );
    assert!(results.total_is_lower_bound, "{:?}", results.notes);
    let expected: Vec<(f32, String)> = tantivy_ranking(&index, "zorglub", 20_000)
        .into_iter()
        .map(|(score, id)| (score, id.rsplit_once('-').unwrap().0.to_string()))
        .collect();
    assert_eq!(expected.len(), 12_000);
    assert_top_ten(&results, &expected);
    let places = hit_places(&results);
    for best in ["e39#p297", "e39#p298", "e39#p299"] {
        assert!(places.iter().any(|p| p == best), "{places:?}");
    }
}

#[test]
fn every_word_of_a_name_counts_as_title_evidence() {
    // "Arthur Mensch" is a person of the corpus (a guest of e3, also spelt
    // "Arthur Mench"): the query is a name. Only e1's
    // title has one of the name's words, the second: its passage, the same
    // words as e2's, ranks above it by the title bonus.
    let corpus = vec![
        EpisodeBuilder::new("e1")
            .title("Mensch et les modèles")
            .said(None, "Arthur Mensch parle des modèles ouverts.")
            .build(),
        EpisodeBuilder::new("e2")
            .title("Une autre conversation")
            .said(None, "Arthur Mensch parle des modèles ouverts.")
            .build(),
        EpisodeBuilder::new("e3")
            .title("Un entretien")
            .participant_with("Arthur Mensch", Role::Guest, &["Arthur Mench"])
            .said(None, "Bonjour à tous, on commence.")
            .build(),
    ];
    let index = crate::snapshots::open_episodes("names", corpus);
    let r = search(&index, request("Arthur Mensch"));
    let score = |id: &str| {
        r.hits
            .iter()
            .find(|h| h.origin.episode.episode_id == id)
            .map(|h| h.score)
            .unwrap()
    };
    assert_eq!(r.hits[0].origin.episode.episode_id, "e1", "{r:?}");
    assert!((score("e1") - score("e2") - 0.4).abs() < 1e-4, "{r:?}");
}

#[test]
fn an_update_carries_the_served_terms_over_to_what_a_build_gives() {
    let mut retitled = mac127("Le logiciel libre est une piste sérieuse pour la souveraineté.");
    retitled.title = "Les hippocampes et la souveraineté".into();
    for changed in [
        // The text only: terms and names are the served ones.
        mac127("Le logiciel libre est une piste sérieuse pour la souveraineté."),
        // A new title: that episode's terms analysed again.
        retitled,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let options = IndexOptions {
            index_dir: Some(dir.path().into()),
            writer_threads: 1,
            ..IndexOptions::default()
        };
        let (served, _) = Snapshot::open(&corpus(), &options).unwrap();
        served.index.prepare(&served.corpus);
        let files = EpisodeSet::new("test-corpus", vec![mistral(), smarttech(), changed]);
        let (next, update) = served.update(&files, &options).unwrap();
        assert_eq!(update.action, IndexAction::Updated, "{update:?}");
        let (meta, names) = next
            .index
            .prepare_from(&next.corpus, (&served.index, &served.corpus));
        let headers = next.corpus.headers();
        assert_eq!(*meta, verbatim::index::query::MetaTerms::build(headers));
        assert_eq!(*names, verbatim::index::query::NameIndex::build(headers));
    }
}

#[test]
fn an_index_in_the_former_catalog_format_is_rebuilt_once_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        ..IndexOptions::default()
    };
    let (_, built) = Snapshot::open(&corpus(), &options).unwrap();
    // The generation as the former schema wrote it: a JSON catalog.
    let generation = built.location.clone().unwrap();
    std::fs::remove_file(generation.join("verbatim-episodes.bin")).unwrap();
    std::fs::write(
        generation.join("verbatim-episodes.json"),
        b"{\"files\":[],\"episodes\":[]}",
    )
    .unwrap();
    let (rebuilt, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Built, "{report:?}");
    assert_eq!(rebuilt.corpus.len(), 3);
    assert!(search(&rebuilt, request("souveraineté numérique")).total_hits > 0);
    let (_, again) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(again.action, IndexAction::Opened, "{again:?}");
    // A catalog that is not postcard (the former JSON under the new name) is not misread either.
    std::fs::write(
        again.location.unwrap().join("verbatim-episodes.bin"),
        b"{\"files\":[],\"episodes\":[]}",
    )
    .unwrap();
    let (_, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Built, "{report:?}");
}

#[test]
fn the_search_terms_are_stored_with_the_index_state_they_describe() {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: Some(dir.path().into()),
        writer_threads: 1,
        ..IndexOptions::default()
    };
    let terms_of = |snapshot: &Snapshot| {
        let (meta, names) = snapshot.index.prepare(&snapshot.corpus);
        let headers = snapshot.corpus.headers();
        assert_eq!(*meta, verbatim::index::query::MetaTerms::build(headers));
        assert_eq!(*names, verbatim::index::query::NameIndex::build(headers));
    };
    // A build stores them; an open reads them.
    let (built, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Built);
    let terms_file = report.location.unwrap().join("verbatim-terms.bin");
    assert!(terms_file.is_file());
    assert!(built.index.terms_stored());
    let (opened, report) = Snapshot::open(&corpus(), &options).unwrap();
    assert_eq!(report.action, IndexAction::Opened);
    assert!(opened.index.terms_stored());
    terms_of(&opened);
    // After an update they describe the former state: not used.
    let changed = EpisodeSet::new(
        "test-corpus",
        vec![
            mistral(),
            smarttech(),
            mac127("Les hippocampes migrent en hiver."),
        ],
    );
    let (updated, report) = Snapshot::open(&changed, &options).unwrap();
    assert_eq!(report.action, IndexAction::Updated);
    assert!(!updated.index.terms_stored());
    terms_of(&updated);
    store::store_terms(&updated.corpus, &updated.index).unwrap();
    let (reopened, _) = Snapshot::open(&changed, &options).unwrap();
    assert!(reopened.index.terms_stored());
    terms_of(&reopened);
    // A damaged file is built again, not misread.
    std::fs::write(&terms_file, b"damaged").unwrap();
    let (reopened, _) = Snapshot::open(&changed, &options).unwrap();
    assert!(!reopened.index.terms_stored());
    terms_of(&reopened);
}
