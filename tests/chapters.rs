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

/// Every chapter's title and keywords, folded, for matching expectations.
fn described(e: &Episode) -> Vec<String> {
    e.chapters
        .iter()
        .map(|c| fold(&format!("{} | {}", c.title, c.keywords.join(" | "))))
        .collect()
}

/// Words no chapter title may lead with: fillers, numbers, vague words.
const GENERIC_LEADS: &[&str] = &[
    "deux", "trois", "vraie", "vrai", "solution", "bla", "partie", "chose", "truc", "plein",
    "acteur", "source",
];

#[test]
fn generated_chapters_name_the_topics_an_editor_would_mark() {
    // What a careful editor marks in each seed (one of the spellings said).
    let expected: &[(&str, &[&[&str]])] = &[
        (
            "interview-arthur-mensch-mistral.txt",
            &[
                &["levee de fonds"],
                &["chaine de pensee"],
                &["nvidia", "mistral large"],
            ],
        ),
        (
            "techco-moltbook-spacex-xai.txt",
            &[
                &["xai", "spacex"],
                &["elon musk"],
                &["innovation chinoise", "deepseek"],
                &["lm arena"],
            ],
        ),
        (
            "smarttech-elon-musk-ia.txt",
            &[
                &["openai", "xai"],
                &["tribunal de commerce"],
                &["gpu"],
                &["rgpd"],
            ],
        ),
        (
            "mac-127-troisieme-voie-tech.txt",
            &[
                &["firefox"],
                &["donnees personnelles"],
                &["credits cloud"],
                &["logiciel libre"],
                &["modele fondationnel"],
                &["lucie"],
            ],
        ),
    ];
    for (name, topics) in expected {
        let e = episode(name);
        let chapters = described(&e);
        for spellings in *topics {
            assert!(
                chapters
                    .iter()
                    .any(|c| spellings.iter().any(|s| c.contains(s))),
                "{name}: no chapter names {spellings:?}: {chapters:#?}"
            );
        }
        for c in &e.chapters {
            let lead = words(&c.title).first().map(|w| w.folded.clone()).unwrap();
            assert!(
                !GENERIC_LEADS.contains(&lead.as_str()),
                "{name}: {}",
                c.title
            );
            assert!(
                (3..=6).contains(&c.keywords.len()),
                "{name}: {} has keywords {:?}",
                c.title,
                c.keywords
            );
        }
    }
}

#[test]
fn a_misheard_name_does_not_title_a_chapter_when_it_is_spelled_right_nearby() {
    // The episode says "van der Leyen" once, then hears her as "Evander Lyon".
    let e = episode("mac-127-troisieme-voie-tech.txt");
    let chapters = described(&e);
    assert!(
        chapters.iter().any(|c| c.contains("van der leyen")),
        "{chapters:#?}"
    );
    assert!(
        !chapters.iter().any(|c| c.contains("evander")),
        "{chapters:#?}"
    );
}

#[test]
fn listed_chapters_get_keywords_of_their_own_span() {
    let e = episode("mac-138-chatbots-lupus-bdd.txt");
    for c in &e.chapters {
        assert!(
            !c.keywords.is_empty() && c.keywords.len() <= 6,
            "{}: {:?}",
            c.title,
            c.keywords
        );
        let text = chapter_text(&e, &c.title);
        for k in &c.keywords {
            assert!(
                text.contains(&fold(k)),
                "{}: keyword {k:?} is not said in the chapter",
                c.title
            );
        }
    }
    let clippy = &e.chapters[3];
    assert!(clippy.title.starts_with("Clippy"));
    assert!(
        clippy.keywords.iter().any(|k| k == "Clippy"),
        "{:?}",
        clippy.keywords
    );
}

/// Index of the first passage of the chapter whose title starts with `title`.
fn first_passage(e: &Episode, title: &str) -> usize {
    let chapter = e
        .chapters
        .iter()
        .find(|c| c.title.starts_with(title))
        .unwrap();
    e.passages
        .iter()
        .position(|p| p.chapter == Some(chapter.index))
        .unwrap()
}

#[test]
fn listed_chapters_start_where_their_subject_starts() {
    let e = episode("mac-138-chatbots-lupus-bdd.txt");
    let said = |i: usize, words: &str| fold(&e.passages[i].text).contains(words);
    // Clippy: the chapter starts at the turn to it ("un autre type de
    // cauchemar") or at its first mention, not inside the PostgreSQL story.
    let clippy = first_passage(&e, "Clippy");
    let first_mention = (0..e.passages.len()).find(|&i| said(i, "clippy")).unwrap();
    assert!(
        clippy + 1 >= first_mention && clippy <= first_mention,
        "Clippy starts at passage {clippy}, first said at {first_mention}"
    );
    assert!(!chapter_text(&e, "Matrix.org").contains("clippy"));
    // An English title over French speech: "U.S. Department of Defense" is
    // "département de la défense américaine" in the talk.
    let defense = first_passage(&e, "Anthropic announces");
    let said_in_french = (0..e.passages.len())
        .find(|&i| said(i, "departement de la defense"))
        .unwrap();
    assert!(
        defense <= said_in_french && said_in_french <= defense + 1,
        "the chapter starts at passage {defense}, the subject at {said_in_french}"
    );
    assert!(!chapter_text(&e, "Claude integrates").contains("departement de la defense"));
}

#[test]
fn an_english_title_is_placed_over_french_speech() {
    use verbatim::testing::EpisodeBuilder;
    let mut e = EpisodeBuilder::new("en-title")
        .chapter("Welcome", Some(0), None)
        .chapter(
            "Court bans the merger of the two chip makers",
            Some(120_000),
            None,
        )
        .said(
            None,
            "Bonjour à tous et bienvenue dans l'émission de la semaine.",
        )
        .said(
            None,
            "On a beaucoup de choses à se dire aujourd'hui, installez-vous.",
        )
        .said(
            None,
            "Avant de commencer, un mot sur le programme de ce soir.",
        )
        .said(
            None,
            "Le tribunal a interdit la fusion des deux fabricants de puces.",
        )
        .said(
            None,
            "Cette interdiction de la fusion est une première pour les puces.",
        )
        .said(
            None,
            "Les fabricants vont faire appel de la décision du tribunal.",
        )
        .build();
    verbatim::analysis::enrich(&mut e);
    let chapters: Vec<Option<usize>> = e.passages.iter().map(|p| p.chapter).collect();
    assert_eq!(
        chapters,
        [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1)],
        "the court chapter starts where the court is named"
    );
    assert!(
        e.chapters[1]
            .keywords
            .iter()
            .any(|k| fold(k).contains("fusion")),
        "{:?}",
        e.chapters[1].keywords
    );
}

#[test]
fn a_short_transcript_is_titled_by_its_topic_not_by_a_name() {
    use verbatim::testing::EpisodeBuilder;
    let lines = [
        "Bonjour Julie, bienvenue.",
        "Merci, ravie d'être là.",
        "On parle aujourd'hui de la sécurité des données dans le cloud.",
        "La sécurité des données, c'est d'abord le chiffrement.",
        "Le chiffrement des sauvegardes est souvent oublié.",
        "Et la sécurité des données passe aussi par les accès.",
        "Qui peut lire quoi, et pendant combien de temps.",
        "Les sauvegardes chiffrées, c'est la base.",
        "Merci Julie.",
        "Au revoir.",
    ];
    let mut builder = EpisodeBuilder::new("short");
    for (i, line) in lines.iter().enumerate() {
        builder = builder
            .said(None, line)
            .at(i as u64 * 4_000, i as u64 * 4_000 + 3_500);
    }
    let mut e = builder.build();
    verbatim::analysis::enrich(&mut e);
    assert_eq!(e.chapters.len(), 1);
    let title = &e.chapters[0].title;
    assert!(!title.contains("Julie"), "{title}");
    assert!(fold(title).contains("securite des donnees"), "{title}");
}
