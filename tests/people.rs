//! People (issue 13): summaries say only what the transcript gives each
//! person, people without turns are cited where they are introduced and
//! named, speakers named by any format are participants, and a file without
//! a title gets a short readable one.

use verbatim::answers::catalog::{EpisodeFilter, filter_episodes, speaker_names};
use verbatim::answers::speakers::{SpeakerSummary, SpeakersSummary, summarize_speakers};
use verbatim::corpus::Corpus;
use verbatim::ingest::CorpusSource;
use verbatim::model::Role;
use verbatim::testing::EpisodeBuilder;

fn person<'a>(summary: &'a SpeakersSummary, name: &str) -> &'a SpeakerSummary {
    summary
        .speakers
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", summary.speakers))
}

fn fixtures() -> Corpus {
    let dir = format!("{}/tests/fixtures/people", env!("CARGO_MANIFEST_DIR"));
    Corpus::load(&CorpusSource::Dir(dir.into())).unwrap()
}

fn found_by(corpus: &Corpus, query: &str) -> Vec<String> {
    let filter = EpisodeFilter {
        query: Some(query.into()),
        ..EpisodeFilter::default()
    };
    filter_episodes(corpus, &filter)
        .into_iter()
        .map(|h| h.id().to_string())
        .collect()
}

/// Alice hosts and Bruno answers; Chloé is credited but never given a turn.
fn panel() -> Corpus {
    let with_turns = EpisodeBuilder::new("panel")
        .title("Le panel")
        .show("Ondes Courtes")
        .published(2025, 3, 1)
        .participant("Alice Martin", Role::Host)
        .participant("Bruno Keller", Role::Guest)
        .participant("Chloé Roux", Role::Guest)
        .said(
            Some("Alice Martin"),
            "Bonsoir à tous. Ce soir on reçoit Chloé Roux, qui fabrique des batteries, et Bruno Keller.",
        )
        .at(0, 6_000)
        .said(
            Some("Bruno Keller"),
            "Merci Chloé. Les batteries au sodium changent tout pour le stockage du réseau électrique.",
        )
        .at(6_000, 14_000)
        // Two marks: "Merci Chloé." is timed within the passage.
        .said(
            Some("Alice Martin"),
            "Passons aux éoliennes en mer. Chloé, un mot pour finir ?",
        )
        .at(14_000, 20_000)
        .marks(&[(0, 14_000), (30, 17_500)])
        .build();
    // Two Thomases: "Salut Thomas" names neither of them.
    let two_thomases = EpisodeBuilder::new("duo")
        .title("Le duo")
        .participant("Thomas Petit", Role::Host)
        .participant("Thomas Grand", Role::Guest)
        .said(
            None,
            "Salut Thomas ! Salut à toi. On parle de fusées aujourd'hui.",
        )
        .build();
    Corpus::from_episodes(vec![with_turns, two_thomases])
}

#[test]
fn people_without_turns_get_no_terms_and_no_quotes_but_their_mentions() {
    let summary = summarize_speakers(&panel(), Some("panel"), None).unwrap();
    let chloe = person(&summary, "Chloé Roux");
    assert!(
        chloe.distinctive_terms.is_empty(),
        "{:?}",
        chloe.distinctive_terms
    );
    assert_eq!(chloe.terms_from, "none");
    assert!(chloe.quotes.is_empty() && chloe.self_introduction.is_none());
    // The episode has turns, none of them hers.
    assert_eq!(
        chloe.talk.as_ref().map(|t| (t.turns, t.words)),
        Some((0, 0))
    );
    // What is known about her stays.
    assert_eq!(chloe.role, Role::Guest);
    assert_eq!(chloe.episodes.len(), 1);
    assert!(
        chloe.notes.iter().any(|n| n.contains("gives them no turn")),
        "{:?}",
        chloe.notes
    );
    // Introduced first, then addressed by her first name (nobody else here is a Chloé).
    let cited: Vec<(&str, &str)> = chloe
        .mentions
        .iter()
        .map(|m| (m.passage_id.as_str(), m.citation.as_str()))
        .collect();
    assert_eq!(cited.len(), 3, "{cited:?}");
    assert!(cited[0].0.starts_with("panel#p0-"));
    assert_eq!(
        cited[0].1,
        "«Ce soir on reçoit Chloé Roux, qui fabrique des batteries, et Bruno Keller.» — Alice Martin, Le panel (Ondes Courtes, 2025-03-01), 00:00:00"
    );
    assert_eq!(
        cited[1].1,
        "«Merci Chloé.» — Bruno Keller, Le panel (Ondes Courtes, 2025-03-01), 00:00:06"
    );
    // Cited at her name, not at the passage's start.
    assert_eq!(chloe.mentions[2].start_seconds, Some(17_500));
    assert!(
        cited[2]
            .1
            .starts_with("«Chloé, un mot pour finir ?» — Alice Martin")
    );
    // Those who speak: terms and quotes from their own words only.
    let bruno = person(&summary, "Bruno Keller");
    assert_eq!(bruno.terms_from, "their passages");
    assert!(bruno.distinctive_terms.contains(&"sodium".to_string()));
    assert!(
        !bruno
            .distinctive_terms
            .iter()
            .any(|t| t == "éoliennes" || t == "fabrique")
    );
    assert!(bruno.mentions.is_empty());
    let alice = person(&summary, "Alice Martin");
    assert!(!alice.distinctive_terms.iter().any(|t| t == "sodium"));
}

#[test]
fn a_first_name_two_people_share_names_neither() {
    let summary = summarize_speakers(&panel(), Some("duo"), None).unwrap();
    for name in ["Thomas Petit", "Thomas Grand"] {
        let thomas = person(&summary, name);
        assert!(thomas.mentions.is_empty(), "{:?}", thomas.mentions);
        assert!(thomas.distinctive_terms.is_empty() && thomas.quotes.is_empty());
    }
}

#[test]
fn techco_guests_without_turns_say_nothing_and_the_host_is_greeted() {
    let corpus = Corpus::load(&CorpusSource::Embedded).unwrap();
    let summary = summarize_speakers(&corpus, Some("techco-moltbook-spacex-xai"), None).unwrap();
    for name in [
        "Lucas Perraudin",
        "Arnaud Auger",
        "Thomas Serval",
        "François Sorel",
    ] {
        let p = person(&summary, name);
        // Before: Lucas got "santé", "baracoda" (another guest's company), Arnaud "look", "télé".
        assert!(
            p.distinctive_terms.is_empty(),
            "{name}: {:?}",
            p.distinctive_terms
        );
        assert!(p.quotes.is_empty(), "{name}");
        assert!(!p.mentions.is_empty(), "{name}");
    }
    let lucas = person(&summary, "Lucas Perraudin");
    assert_eq!(
        lucas.affiliation.as_deref(),
        Some("président de AI to Market Group")
    );
    assert_eq!(
        lucas.mentions[0].citation,
        "«A tes côtés, c'est Lucas Perraudin.» — unknown speaker, Tech & Co, 2026-02-03, 00:00:30"
    );
    let francois = person(&summary, "François Sorel");
    assert_eq!(francois.role, Role::Host);
    let hello = &francois.mentions[0];
    assert!(
        hello
            .passage_id
            .starts_with("techco-moltbook-spacex-xai#p0-")
    );
    assert_eq!(hello.start_seconds, Some(12_000));
    assert_eq!(
        hello.citation,
        "«Salut François !» — unknown speaker, Tech & Co, 2026-02-03, 00:00:12"
    );
}

#[test]
fn speakers_named_in_captions_and_voices_are_participants() {
    let corpus = fixtures();
    let participants = |id: &str| -> Vec<String> {
        corpus
            .header(id)
            .unwrap()
            .episode
            .participants
            .iter()
            .map(|p| p.name.clone())
            .collect()
    };
    // WebVTT `<v Name>`. `<v Speaker 1>` is a slot, not a person: it stays
    // the unnamed label it was (listed first, as label mapping lists it).
    assert_eq!(
        participants("debat-cloud-europeen"),
        ["Speaker 1", "Nadia Benali", "Paul Girard"]
    );
    // SRT `Name:`; `Speaker 2:` likewise.
    assert_eq!(
        participants("table-ronde"),
        ["Speaker 2", "Inès Caron", "Victor Lemaire"]
    );
    assert_eq!(found_by(&corpus, "Benali"), ["debat-cloud-europeen"]);
    assert_eq!(
        found_by(&corpus, "ines caron"),
        ["entretien", "table-ronde"]
    );
    // Completions of speaker arguments offer them.
    let names = speaker_names(&corpus);
    for name in [
        "Nadia Benali",
        "Paul Girard",
        "Inès Caron",
        "Victor Lemaire",
    ] {
        assert!(names.contains(&name.to_string()), "{names:?}");
    }
    // One person across the two episodes that name her.
    let summary = summarize_speakers(&corpus, None, Some("Inès Caron")).unwrap();
    assert_eq!(summary.speakers.len(), 1);
    assert_eq!(summary.speakers[0].episodes.len(), 2);
}

#[test]
fn speakers_named_by_an_rttm_file_are_participants() {
    let dir = tempfile::tempdir().unwrap();
    let formats = format!("{}/tests/fixtures/formats", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        format!("{formats}/ep06-whisper.json"),
        dir.path().join("radio.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("radio.rttm"),
        "SPEAKER radio 1 0.000 4.900 <NA> <NA> Awa <NA> <NA>\n\
         SPEAKER radio 1 4.900 0.200 <NA> <NA> Samir <NA> <NA>\n\
         SPEAKER radio 1 5.100 3.000 <NA> <NA> Samir <NA> <NA>\n",
    )
    .unwrap();
    let corpus = Corpus::load(&CorpusSource::Dir(dir.path().to_path_buf())).unwrap();
    let header = corpus.header("radio").unwrap();
    let names: Vec<&str> = header
        .episode
        .participants
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["Awa", "Samir"]);
    assert_eq!(found_by(&corpus, "samir"), ["radio"]);
}

#[test]
fn untitled_files_get_a_short_readable_title_never_a_sentence() {
    let corpus = fixtures();
    let title = |id: &str| corpus.header(id).unwrap().episode.title.clone();
    // The sidecar's title first.
    assert_eq!(title("entretien"), "Entretien sur la sobriété numérique");
    // Else the show and the date.
    assert_eq!(title("table-ronde"), "Ondes Courtes, 2025-01-12");
    // Else the file name made readable: not "Bienvenue dans ce débat sur le cloud européen."
    assert_eq!(title("debat-cloud-europeen"), "Debat cloud europeen");
    // And citations read well.
    let summary = summarize_speakers(&corpus, Some("debat-cloud-europeen"), Some("Nadia")).unwrap();
    let quote = &summary.speakers[0].quotes[0];
    assert_eq!(
        quote.citation,
        "«Bienvenue dans ce débat sur le cloud européen. Avec moi Paul Girard, qui dirige un hébergeur lyonnais.» — Nadia Benali, Debat cloud europeen, 00:00:00"
    );
    // Show and date are not said twice.
    let summary = summarize_speakers(&corpus, Some("table-ronde"), Some("Victor")).unwrap();
    assert!(
        summary.speakers[0].quotes[0]
            .citation
            .ends_with("— Victor Lemaire, Ondes Courtes, 2025-01-12, 00:00:05"),
        "{}",
        summary.speakers[0].quotes[0].citation
    );
}
