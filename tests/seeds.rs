//! Golden tests of the five seed transcripts: the facts the issue lists, the
//! passages' shape and exact words, and stable ids.

use verbatim::ingest::load_file;
use verbatim::model::{Episode, PassageTiming, Role};

const MAC_138: &str = "mac-138-chatbots-lupus-bdd.txt";
const MAC_127: &str = "mac-127-troisieme-voie-tech.txt";
const TECHCO: &str = "techco-moltbook-spacex-xai.txt";
const MENSCH: &str = "interview-arthur-mensch-mistral.txt";
const SMARTTECH: &str = "smarttech-elon-musk-ia.txt";
const ALL: [&str; 5] = [MAC_138, MAC_127, TECHCO, MENSCH, SMARTTECH];

fn raw(name: &str) -> String {
    std::fs::read_to_string(format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn episode(name: &str) -> Episode {
    load_file(name, raw(name).as_bytes()).unwrap()
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().unwrap())
}

/// (name, role, affiliation, handle) of every participant.
fn people(e: &Episode) -> Vec<(&str, Role, Option<&str>, Option<&str>)> {
    e.participants
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.role,
                p.affiliation.as_deref(),
                p.handle.as_deref(),
            )
        })
        .collect()
}

fn no_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn all_text(e: &Episode) -> String {
    e.passages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The passages hold exactly the source's words between `from` and `to`.
fn assert_exact_words(e: &Episode, body: &str) {
    let got = no_ws(&all_text(e));
    let want = no_ws(body);
    if got != want {
        let at = got
            .chars()
            .zip(want.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let ctx = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(40))
                .take(80)
                .collect::<String>()
        };
        panic!(
            "{}: words differ at char {at}:\n got: {}\nwant: {}",
            e.episode_id,
            ctx(&got),
            ctx(&want)
        );
    }
}

fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let a = text.find(from).unwrap();
    let b = text.rfind(to).unwrap();
    &text[a..b]
}

/// Caption or turn texts with their timestamps removed.
fn strip_lines(text: &str, re: &str) -> String {
    let re = regex::Regex::new(re).unwrap();
    text.lines()
        .filter_map(|l| re.captures(l))
        .map(|c| c.get(1).unwrap().as_str().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn mac_138_metadata_people_and_chapters() {
    let e = episode(MAC_138);
    assert_eq!(e.episode_id, "mac-138-chatbots-lupus-bdd");
    assert_eq!(e.source.format, "podcast_page");
    assert_eq!(
        e.title,
        "Les chatbots soignent le lupus des bdd en mangeant des pommes en plein vent"
    );
    assert_eq!(e.published, date("2025-08-29"));
    assert_eq!(e.recorded, date("2025-07-28"));
    assert_eq!(e.language.as_deref(), Some("fr"));
    assert_eq!(
        people(&e),
        vec![
            ("Horacio Gonzalez", Role::Host, None, None),
            ("Thomas Mathieu", Role::Guest, None, None),
            ("Quentin Adam", Role::Guest, None, None),
            ("Pierre Zemb", Role::Guest, None, None),
        ]
    );
    let starts: Vec<u64> = e
        .chapters
        .iter()
        .map(|c| c.start_seconds.unwrap() / 1000)
        .collect();
    assert_eq!(
        starts,
        vec![
            16, 374, 1123, 1458, 1663, 1972, 2871, 3305, 3655, 3980, 4320
        ]
    );
    let chapters: Vec<(usize, &str, Vec<&str>)> = e
        .chapters
        .iter()
        .map(|c| {
            (
                c.index,
                c.title.as_str(),
                c.links.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        chapters,
        vec![
            (0, "Présentation des participants", vec![]),
            (
                1,
                "Le talk de Thomas au WWF ou l’IA comme sidekick des super-héros du code",
                vec![]
            ),
            (
                2,
                "Matrix.org a vécu un incident majeur sur sa base PostgreSQL : une corruption d’index silencieuse a perduré pendant plus d’un an, sans alerte ni crash.",
                vec!["https://matrix.org/blog/2025/07/postgres-corruption-postmortem/"]
            ),
            (
                3,
                "Clippy Desktop Assistant",
                vec!["https://felixrieseberg.github.io/clippy/"]
            ),
            (
                4,
                "Accords USA/EU",
                vec![
                    "https://www.lemonde.fr/economie/article/2025/07/28/droits-de-douane-l-accord-entre-les-etats-unis-et-l-ue-apporte-une-stabilite-temporaire-mais-est-desequilibre-affirme-le-ministre-charge-de-l-europe_6624820_3234.html",
                    "x.com/Villepin/status/1949554013403263013"
                ]
            ),
            (
                5,
                "Microsoft ne peux pas garantir que les données ne seront pas transféré",
                vec![
                    "https://x.com/reesmarc/status/1944305592647967212",
                    "https://www.capital.fr/entreprises-marches/mistral-ia-fait-saliver-apple-la-licorne-francaise-ne-semble-pas-interessee-1516234"
                ]
            ),
            (
                6,
                "Rachat de Mistral IA par Apple, la rumeur de l’été à 6 milliards d’euro",
                vec![
                    "https://siecledigital.fr/2025/07/17/mistral-ai-bientot-rachetee-par-apple-la-rumeur-a-6-milliards-deuros/"
                ]
            ),
            (
                7,
                "Claude integrates Canva",
                vec![
                    "https://x.com/AnthropicAI/status/1948489708385816666",
                    "https://www.theverge.com/news/706637/canva-anthropic-claude-ai-mcp-support"
                ]
            ),
            (
                8,
                "Anthropic announces a $200M ceiling contract with the U.S. Department of Defense.",
                vec![
                    "https://x.com/AnthropicAI/status/1944848519065452754",
                    "https://www.anthropic.com/news/anthropic-and-the-department-of-defense-to-advance-responsible-ai-in-defense-operations",
                    "https://intelligence-artificielle.developpez.com/actu/373786/Anthropic-Google-OpenAI-et-xAI-recoivent-800-millions-du-ministere-US-de-la-Defense-pour-des-travaux-sur-l-IA-afin-d-accelerer-l-adoption-de-capacites-d-IA-avancees-pour-les-defis-de-securite-nationale/"
                ]
            ),
            (
                9,
                "Sipearl : le CPU européen pour supercalculateurs exascales est « tape-out »",
                vec![
                    "https://next.ink/191532/rhea1-de-sipearl-le-cpu-europeen-pour-supercalculateurs-exascales-est-tape-out/",
                    "https://www.youtube.com/@waxzce"
                ]
            ),
            (
                10,
                "Musique de fin",
                vec!["https://www.youtube.com/watch?v=tsmPCi7NKrg"]
            ),
        ]
    );
    // Each chapter ends where the next starts.
    for w in e.chapters.windows(2) {
        assert_eq!(w[0].end_seconds, w[1].start_seconds);
    }
    assert!(
        e.chapters
            .iter()
            .all(|c| c.timing == verbatim::model::ChapterTiming::Exact)
    );
}

#[test]
fn mac_138_passages_are_untimed_exact_words_without_footer() {
    let e = episode(MAC_138);
    // The page has no times in its text: every passage time is an estimate
    // interpolated between the listed chapters, never presented as exact.
    assert!(
        e.passages
            .iter()
            .all(|p| p.timing == PassageTiming::Estimated && p.start_seconds.is_some())
    );
    let text = raw(MAC_138);
    assert_exact_words(
        &e,
        between(
            &text,
            "Bonjour et bienvenue dans ce nouvel épisode de messages",
            "\nLes infos glanées",
        ),
    );
    let all = all_text(&e);
    for footer in [
        "Les infos glanées",
        "CleverCloud",
        "Des partenaires douteux",
        "Chapitrage",
        "Date de sortie",
    ] {
        assert!(!all.contains(footer), "{footer} leaked into the passages");
    }
    assert!(
        e.passages
            .last()
            .unwrap()
            .text
            .ends_with("au revoir merci beaucoup")
    );
}

#[test]
fn mac_127_metadata_handles_and_footer() {
    let e = episode(MAC_127);
    assert_eq!(
        e.title,
        "À la recherche d’une troisième voie pour un futur tech désirable"
    );
    assert_eq!(e.published, date("2025-02-14"));
    assert_eq!(e.recorded, date("2025-02-06"));
    // No chapters in the source: the ones it has are generated.
    assert!(
        e.chapters
            .iter()
            .all(|c| c.timing == verbatim::model::ChapterTiming::Generated)
    );
    assert_eq!(
        people(&e),
        vec![
            (
                "Horacio Gonzalez",
                Role::Host,
                None,
                Some("@LostInBrittany")
            ),
            (
                "Jean-Baptiste Piacento",
                Role::Guest,
                None,
                Some("@JbPiacentino")
            ),
            ("Alain Garnier", Role::Guest, None, Some("@garniera")),
            ("Michel-Marie Maudet", Role::Guest, None, Some("@mmaudet")),
        ]
    );
    let text = raw(MAC_127);
    assert_exact_words(
        &e,
        between(
            &text,
            "Bonjour et bienvenue dans cet épisode 127",
            "\n...\nEpisode suivant:",
        ),
    );
    let all = all_text(&e);
    for footer in [
        "Episode suivant",
        "Les infos glanées",
        "CleverCloud",
        "FreeBSD planifie",
    ] {
        assert!(!all.contains(footer), "{footer} leaked into the passages");
    }
}

#[test]
fn techco_show_host_guests_and_timed_passages() {
    let e = episode(TECHCO);
    assert_eq!(e.source.format, "caption_lines");
    // "Ce mardi 3 février": the latest 3 February that is a Tuesday, not after today.
    assert_eq!(e.published, date("2026-02-03"));
    assert_eq!(e.show.as_deref(), Some("Tech & Co"));
    assert_eq!(
        people(&e),
        vec![
            ("François Sorel", Role::Host, None, None),
            (
                "Arnaud Auger",
                Role::Guest,
                Some(
                    "directeur et responsable adjoint du C.Lab de Cathay Innovation à San Francisco"
                ),
                None
            ),
            (
                "Lucas Perraudin",
                Role::Guest,
                Some("président de AI to Market Group"),
                None
            ),
            ("Thomas Serval", Role::Guest, Some("PDG de Baracoda"), None),
        ]
    );
    assert!(e.description.as_deref().unwrap().contains("Moltbook"));
    assert!(!e.title.trim().is_empty());
    assert!(e.title.starts_with("Tech & Co"), "{}", e.title);
    assert!(
        e.passages
            .iter()
            .all(|p| p.start_seconds.is_some() && p.timing != PassageTiming::None)
    );
    let text = raw(TECHCO);
    assert_exact_words(&e, &strip_lines(&text, r"^\d{2}:\d{2}(.*)$"));
    assert!(!all_text(&e).contains("Commentaires"));
    assert_eq!(e.passages.first().unwrap().start_seconds, Some(1_000));
    assert!(
        e.passages
            .iter()
            .any(|p| p.text.contains("200 000 satellites"))
    );
}

#[test]
fn mensch_speakers_on_turns() {
    let e = episode(MENSCH);
    assert_eq!(e.source.format, "diarized_dump");
    assert!(!e.title.trim().is_empty());
    assert!(e.title.chars().count() <= 81, "{}", e.title);
    let mut speakers: Vec<&str> = e
        .passages
        .iter()
        .map(|p| p.speaker.as_deref().unwrap())
        .collect();
    speakers.sort_unstable();
    speakers.dedup();
    // SPEAKER_00 is named by speaker analysis (the guest the host introduces).
    assert_eq!(speakers.len(), 3, "{speakers:?}");
    assert!(speakers.contains(&"SPEAKER_01") && speakers.contains(&"SPEAKER_02"));
    assert!(
        speakers.iter().any(|s| s.starts_with("Arthur Men")),
        "{speakers:?}"
    );
    assert!(
        e.passages
            .iter()
            .all(|p| p.start_seconds.is_some() && p.timing != PassageTiming::None)
    );
    let first = e.passages.first().unwrap();
    // Starts where the turn starts; ends inside it, so its end is interpolated.
    assert_eq!(
        (first.speaker.as_deref(), first.start_seconds, first.timing),
        (Some("SPEAKER_02"), Some(30), PassageTiming::Estimated)
    );
    // The 106-second opening turn is cut into several passages with interpolated times.
    let opening: Vec<_> = e
        .passages
        .iter()
        .take_while(|p| p.end_seconds.unwrap() <= 106_500)
        .collect();
    assert!(opening.len() >= 4, "{}", opening.len());
    assert_eq!(opening.last().unwrap().end_seconds, Some(106_500));
    assert!(
        opening
            .iter()
            .skip(1)
            .all(|p| p.timing == PassageTiming::Estimated)
    );
    assert_eq!(e.duration_seconds, Some(1_891_970));
    let text = raw(MENSCH);
    assert_exact_words(&e, &strip_lines(&text, r"^\[[^\]]*\]\s*\S+\s*:\s*(.*)$"));
}

#[test]
fn smarttech_show_guests_and_timed_passages() {
    let e = episode(SMARTTECH);
    assert_eq!(e.published, date("2024-11-19"));
    assert_eq!(e.show.as_deref(), Some("SMART TECH"));
    assert_eq!(
        people(&e),
        vec![
            (
                "Constantin Pavléas",
                Role::Guest,
                Some("Avocat en droit des nouvelles technologies, Pavléas Avocats"),
                None
            ),
            (
                "Jean-Baptiste Kempf",
                Role::Guest,
                Some("fondateur de VLC & Chief Technology Officer, Scaleway"),
                None
            ),
        ]
    );
    assert!(e.title.starts_with("SMART TECH"), "{}", e.title);
    assert!(
        e.passages
            .iter()
            .all(|p| p.start_seconds.is_some() && p.timing != PassageTiming::None)
    );
    let text = raw(SMARTTECH);
    assert_exact_words(&e, &strip_lines(&text, r"^\d{2}:\d{2}(.*)$"));
}

#[test]
fn every_seed_has_short_passages_stable_ids_and_a_title() {
    for name in ALL {
        let a = episode(name);
        let b = episode(name);
        assert!(!a.title.trim().is_empty(), "{name}");
        assert!(!a.passages.is_empty(), "{name}");
        for p in &a.passages {
            assert!(
                p.text.chars().count() <= 500,
                "{name}: {} chars",
                p.text.chars().count()
            );
            assert!(
                !p.text.trim().is_empty() && p.text == p.text.trim(),
                "{name}"
            );
            assert!(
                p.passage_id.starts_with(&format!("{}#p", a.episode_id)),
                "{}",
                p.passage_id
            );
            if let (Some(s), Some(e)) = (p.start_seconds, p.end_seconds) {
                assert!(s <= e, "{}", p.passage_id);
            }
        }
        let ids: Vec<_> = a.passages.iter().map(|p| &p.passage_id).collect();
        let ids_again: Vec<_> = b.passages.iter().map(|p| &p.passage_id).collect();
        assert_eq!(ids, ids_again, "{name}: ids changed between two parses");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{name}: duplicate ids");
        assert_eq!(a, b, "{name}: parsing is not deterministic");
        assert_eq!(a.language.as_deref(), Some("fr"), "{name}");
        assert_eq!(a.source.sha256.len(), 64);
    }
}

#[test]
fn embedded_corpus_loads_the_five_seeds() {
    let corpus = verbatim::corpus::Corpus::load(&verbatim::ingest::CorpusSource::Embedded).unwrap();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    let ids: Vec<&str> = corpus.headers().iter().map(|h| h.id()).collect();
    assert_eq!(
        ids,
        vec![
            "interview-arthur-mensch-mistral",
            "mac-127-troisieme-voie-tech",
            "mac-138-chatbots-lupus-bdd",
            "smarttech-elon-musk-ia",
            "techco-moltbook-spacex-xai"
        ]
    );
    assert!(corpus.episode("mac-138-chatbots-lupus-bdd").is_some());
}

/// Every mark of a timed seed is where one of the source's pieces (a caption
/// line, a turn) starts, at that piece's own time; each piece start is a mark
/// unless it opens a passage (the passage's start says it already).
#[test]
fn timed_seeds_mark_each_line_and_turn_at_its_own_time() {
    // Mensch's turns alternate speakers, so each passage holds one turn at most.
    for (name, has_marks) in [(SMARTTECH, true), (TECHCO, true), (MENSCH, false)] {
        let e = episode(name);
        let (_, transcript) = verbatim::formats::parse(name, raw(name).as_bytes()).unwrap();
        let pieces: Vec<(u64, String)> = transcript
            .segments
            .iter()
            .map(|s| (s.start.unwrap(), verbatim::text::collapse_ws(&s.text)))
            .collect();
        let mut marks = 0;
        for p in &e.passages {
            let (start, end) = (p.start_seconds.unwrap(), p.end_seconds.unwrap());
            let mut last = (0, start);
            for m in &p.marks {
                let said: String = p.text.chars().skip(m.offset as usize).take(20).collect();
                assert!(
                    pieces.iter().any(|(t, piece)| *t == m.at
                        && (piece.starts_with(&said) || said.starts_with(piece.as_str()))),
                    "{name} {}: no piece starts {said:?} at {}",
                    p.passage_id,
                    m.at
                );
                assert!(m.offset > last.0 || (m.offset == 0 && m.at > start));
                assert!(last.1 <= m.at && m.at <= end, "{}", p.passage_id);
                last = (m.offset, m.at);
            }
            marks += p.marks.len();
            // A word is never timed before its passage starts or after it ends,
            // nor more exactly than its passage.
            let all = 0..p.text.chars().count();
            let (from, to, timing) = p.time_of(all).unwrap();
            assert!(start <= from && from <= to && to <= end);
            assert_eq!(timing, p.timing, "{}", p.passage_id);
        }
        assert_eq!(marks > 0, has_marks, "{name}");
        assert!(marks + e.passages.len() >= pieces.len(), "{name}");
    }
}

#[test]
fn mensch_long_turns_give_estimated_word_times() {
    // Layout (c): turns last minutes, so most passages are cut inside one
    // and every time inside them is an estimate.
    let e = episode(MENSCH);
    let estimated: Vec<_> = e
        .passages
        .iter()
        .filter(|p| p.timing == PassageTiming::Estimated)
        .collect();
    assert!(estimated.len() > e.passages.len() / 2);
    for p in estimated {
        let last_word = p.text.chars().count() - 1..p.text.chars().count();
        assert_eq!(p.time_of(last_word).unwrap().2, PassageTiming::Estimated);
    }
}

#[test]
fn untimed_seed_passages_have_no_marks() {
    let e = episode(MAC_127);
    assert!(e.passages.iter().all(|p| p.timing == PassageTiming::None
        && p.marks.is_empty()
        && p.time_of(0..1).is_none()));
}
