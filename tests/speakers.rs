//! Speakers over the seeds: diarization labels named with evidence, heard
//! spellings of names as aliases, one person across episodes, summaries.

use verbatim::answers::speakers::{SummaryError, summarize_speakers};
use verbatim::corpus::Corpus;
use verbatim::ingest::{CorpusSource, load_file};
use verbatim::model::{Episode, MappingMethod, Role};
use verbatim::testing::EpisodeBuilder;

const MAC_138: &str = "mac-138-chatbots-lupus-bdd.txt";
const MENSCH: &str = "interview-arthur-mensch-mistral.txt";
const SMARTTECH: &str = "smarttech-elon-musk-ia.txt";

fn raw(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn episode(name: &str) -> Episode {
    load_file(name, &raw(name)).unwrap()
}

/// The episode as the parser gives it, with extra participants known before
/// analysis runs (what a sidecar's `[[participants]]` does).
fn episode_knowing(name: &str, known: &[(&str, Role)]) -> Episode {
    let (format, transcript) = verbatim::formats::parse(name, &raw(name)).unwrap();
    let source = verbatim::model::Source {
        path: name.into(),
        format: format.name().into(),
        sha256: String::new(),
    };
    let parsed =
        verbatim::ingest::normalize::build_episode(name.replace(".txt", ""), source, transcript);
    let mut e = known
        .iter()
        .fold(EpisodeBuilder::of(parsed), |e, (n, role)| {
            e.participant(n, *role)
        })
        .build();
    verbatim::analysis::enrich(&mut e);
    e
}

fn aliases_of<'a>(e: &'a Episode, name: &str) -> &'a [String] {
    &e.participants
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", e.participants))
        .aliases
}

fn words_of(e: &Episode, speaker: &str) -> usize {
    e.passages
        .iter()
        .filter(|p| p.speaker.as_deref() == Some(speaker))
        .map(|p| p.text.split_whitespace().count())
        .sum()
}

#[test]
fn mensch_labels_resolve_without_any_metadata() {
    let e = episode(MENSCH);
    let map = |label: &str| e.speaker_map.iter().find(|m| m.label == label).unwrap();
    // The opener hosts; no name is said for them, so none is invented.
    let host = map("SPEAKER_02");
    assert_eq!((host.role, host.name.as_deref()), (Role::Host, None));
    assert_eq!(host.method, MappingMethod::OpensShow);
    assert!(host.confidence >= 0.5);
    // The guest the host introduces answers next.
    let guest = map("SPEAKER_00");
    assert_eq!(guest.name.as_deref(), Some("Arthur Mench"));
    assert_eq!(
        (guest.role, guest.method),
        (Role::Guest, MappingMethod::Introduced)
    );
    assert!(guest.confidence >= 0.5 && guest.confidence < 1.0);
    let ev = guest.evidence.first().unwrap();
    assert!(ev.passage_id.as_deref().unwrap().ends_with("#p0-d9c5f2"));
    assert!(
        ev.words.contains("on reçoit") && ev.words.contains("Arthur Mench"),
        "{ev:?}"
    );
    // An unnamed label stays a label, and says so.
    let other = map("SPEAKER_01");
    assert_eq!(
        (other.name.as_deref(), other.method),
        (None, MappingMethod::Unmapped)
    );
    assert!(
        e.passages
            .iter()
            .any(|p| p.speaker.as_deref() == Some("SPEAKER_01"))
    );
    assert!(
        !e.passages
            .iter()
            .any(|p| p.speaker.as_deref() == Some("SPEAKER_00"))
    );
    // The label stays findable as an alias; the mapping serializes.
    assert!(aliases_of(&e, "Arthur Mench").contains(&"SPEAKER_00".to_string()));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["speaker_map"][1]["label"], "SPEAKER_00");
    assert_eq!(json["speaker_map"][1]["method"], "introduced");
}

#[test]
fn mensch_known_guest_takes_the_heard_spelling_as_alias() {
    let e = episode_knowing(MENSCH, &[("Arthur Mensch", Role::Guest)]);
    let guest = e
        .speaker_map
        .iter()
        .find(|m| m.label == "SPEAKER_00")
        .unwrap();
    assert_eq!(guest.name.as_deref(), Some("Arthur Mensch"));
    let aliases = aliases_of(&e, "Arthur Mensch");
    for alias in ["SPEAKER_00", "Arthur Mench"] {
        assert!(
            aliases.contains(&alias.to_string()),
            "{alias} not in {aliases:?}"
        );
    }
    // Shares of talk: host, guest and the unmapped label make the whole.
    let total: usize = ["SPEAKER_02", "Arthur Mensch", "SPEAKER_01"]
        .iter()
        .map(|s| words_of(&e, s))
        .sum();
    assert_eq!(total, e.word_count());
    assert!(words_of(&e, "Arthur Mensch") * 2 > total);
}

#[test]
fn heard_spellings_become_aliases() {
    let mac = episode(MAC_138);
    let quentin = aliases_of(&mac, "Quentin Adam");
    assert!(quentin.contains(&"Cantan Adam".to_string()), "{quentin:?}");
    assert!(
        quentin.contains(&"Quentin Haddan".to_string()),
        "{quentin:?}"
    );
    assert!(aliases_of(&mac, "Pierre Zemb").contains(&"Pierre Semb".to_string()));
    // "Pierre Thieu" shares only a first name: never an alias.
    assert!(
        mac.participants
            .iter()
            .all(|p| !p.aliases.iter().any(|a| a.contains("Thieu")))
    );
    let st = episode(SMARTTECH);
    assert!(aliases_of(&st, "Jean-Baptiste Kempf").contains(&"Jean-Baptiste Ockem".to_string()));
    assert!(aliases_of(&st, "Constantin Pavléas").contains(&"Constantin Pavlias".to_string()));
}

fn corpus() -> Corpus {
    Corpus::load(&CorpusSource::Embedded).unwrap()
}

#[test]
fn summary_of_mensch_interview_has_shares_summing_to_one() {
    let c = corpus();
    let s = summarize_speakers(&c, Some("interview-arthur-mensch-mistral"), None).unwrap();
    assert_eq!(
        s.speakers.len(),
        3,
        "{:?}",
        s.speakers.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
    let sum: f64 = s
        .speakers
        .iter()
        .map(|p| p.talk.as_ref().unwrap().share_of_talk)
        .sum();
    assert!((sum - 1.0).abs() < 0.01, "{sum}");
    // The corpus applies the episode's sidecar: the real name, the heard spelling as an alias.
    let guest = s.speakers.first().unwrap();
    assert_eq!(guest.name, "Arthur Mensch");
    assert_eq!(
        guest.affiliation.as_deref(),
        Some("Mistral AI (cofondateur)")
    );
    assert!(
        guest.aliases.contains(&"Arthur Mench".to_string()),
        "{:?}",
        guest.aliases
    );
    // The sidecar names the label: the label is one of their aliases.
    let episode = c.episode("interview-arthur-mensch-mistral").unwrap();
    let by_sidecar = episode
        .speaker_map
        .iter()
        .find(|m| m.name.as_deref() == Some("Arthur Mensch"))
        .unwrap();
    assert_eq!(
        (
            by_sidecar.label.as_str(),
            by_sidecar.method,
            by_sidecar.confidence
        ),
        ("SPEAKER_00", MappingMethod::Sidecar, 1.0)
    );
    assert!(
        guest.aliases.contains(&"SPEAKER_00".to_string()),
        "{:?}",
        guest.aliases
    );
    let talk = guest.talk.as_ref().unwrap();
    assert!(talk.share_of_talk > 0.5 && talk.turns > 10 && talk.seconds.unwrap() > 600.0);
    assert!((3..=5).contains(&guest.quotes.len()), "{:?}", guest.quotes);
    for q in &guest.quotes {
        assert!(
            q.citation.contains(&guest.name) && q.citation.contains("00:"),
            "{}",
            q.citation
        );
    }
    assert!(!guest.distinctive_terms.is_empty());
    assert!(
        guest
            .distinctive_terms
            .iter()
            .all(|t| !["voila", "fait", "donc", "c"].contains(&t.as_str()))
    );
    let host = s.speakers.iter().find(|p| p.role == Role::Host).unwrap();
    assert!(!host.name_known && host.name == "SPEAKER_02");
    assert!(host.notes.iter().any(|n| n.contains("no name")));
    assert!(guest.spoke_with.contains(&"SPEAKER_02".to_string()));
    // Found by the heard spelling or the label too.
    for query in ["arthur mench", "SPEAKER_00", "Mensch"] {
        let s = summarize_speakers(&c, None, Some(query)).unwrap();
        assert_eq!(s.speakers.first().unwrap().name, "Arthur Mensch", "{query}");
    }
}

#[test]
fn summary_of_quentin_adam_cites_where_he_is_introduced() {
    let c = corpus();
    for query in ["Quentin Adam", "quentin adam", "Cantan Adam", "ADAM"] {
        let s = summarize_speakers(&c, None, Some(query)).unwrap();
        let q = s.speakers.first().unwrap();
        assert_eq!(q.name, "Quentin Adam", "{query}");
        // No turns in that transcript: nothing is his, not even "je m'appelle":
        // it is where he is introduced, given as a mention.
        assert!(q.talk.is_none() && q.quotes.is_empty() && q.self_introduction.is_none());
        assert!(q.distinctive_terms.is_empty());
        assert_eq!(q.terms_from, "none");
        assert!(
            q.notes
                .iter()
                .any(|n| n.contains("does not say who speaks"))
        );
        let intro = q.mentions.first().unwrap();
        assert_eq!(intro.episode_id, "mac-138-chatbots-lupus-bdd");
        assert!(
            intro.citation.starts_with(
                "«Bien sûr, donc je m'appelle Quentin Haddan, je suis le CEO de Clevercloud"
            ),
            "{}",
            intro.citation
        );
        assert!(
            q.mentions
                .iter()
                .any(|m| m.citation.contains("c'est Cantan Adam, coucou Cantan.»"))
        );
        // Addressed by his first name, which nobody else there has.
        assert!(
            q.mentions
                .iter()
                .any(|m| m.citation.starts_with("«Merci pour ça Quentin.» — "))
        );
    }
}

#[test]
fn horacio_gonzalez_spans_two_episodes() {
    let c = corpus();
    let s = summarize_speakers(&c, None, Some("horacio gonzález")).unwrap();
    assert_eq!(s.speakers.len(), 1);
    let h = s.speakers.first().unwrap();
    let eps: Vec<&str> = h.episodes.iter().map(|e| e.episode_id.as_str()).collect();
    assert_eq!(
        eps,
        ["mac-127-troisieme-voie-tech", "mac-138-chatbots-lupus-bdd"]
    );
    assert_eq!(h.role, Role::Host);
    assert!(
        h.aliases.contains(&"Horace Ion-Salès".to_string()),
        "{:?}",
        h.aliases
    );
    assert!(h.spoke_with.contains(&"Quentin Adam".to_string()));
    assert!(h.spoke_with.contains(&"Alain Garnier".to_string()));
    // Limited to one episode, the summary covers only it.
    let one = summarize_speakers(&c, Some("mac-127-troisieme-voie-tech"), Some("Horacio")).unwrap();
    assert_eq!(one.speakers.first().unwrap().episodes.len(), 1);
}

#[test]
fn unknown_episode_or_speaker_is_a_clear_error() {
    let c = corpus();
    let err = summarize_speakers(&c, Some("mac-999"), None).unwrap_err();
    assert!(matches!(err, SummaryError::UnknownEpisode { ref closest, .. } if !closest.is_empty()));
    let err = summarize_speakers(
        &c,
        Some("mac-138-chatbots-lupus-bdd"),
        Some("Arthur Mensch"),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("in episode `mac-138-chatbots-lupus-bdd`") && msg.contains("closest names"),
        "{msg}"
    );
    // A label names a person only in its own episode.
    let s = summarize_speakers(
        &c,
        Some("interview-arthur-mensch-mistral"),
        Some("speaker_01"),
    )
    .unwrap();
    assert_eq!(s.speakers.len(), 1);
}

#[test]
fn a_corpus_wide_summary_fits_one_answer() {
    let corpus = verbatim::corpus::Corpus::load(&verbatim::ingest::CorpusSource::Embedded).unwrap();
    let summary = verbatim::answers::speakers::summarize_speakers(&corpus, None, None).unwrap();
    let json = serde_json::to_string(&summary).unwrap();
    assert!(
        json.chars().count() <= verbatim::answers::speakers::MAX_SUMMARY_CHARS,
        "{} chars",
        json.chars().count()
    );
    // Everyone is still there; the main speaker keeps a quote, and whoever
    // lost quotes or mentions is told how to get them.
    assert!(summary.speakers.len() >= 10);
    assert!(!summary.speakers[0].quotes.is_empty());
    if summary
        .speakers
        .iter()
        .any(|s| s.quotes.is_empty() && s.mentions.is_empty())
    {
        assert!(summary.notes.iter().any(|n| n.starts_with("Shortened")));
    }
}
