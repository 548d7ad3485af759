//! Golden tests: the synthetic French fixtures in `tests/fixtures/formats/`,
//! one per supported format, parse to the expected segments, speakers, times
//! and chapters; companions (sidecar, chapters, RTTM, feed) apply to them.

use verbatim::formats::rss;
use verbatim::formats::rttm;
use verbatim::formats::sidecar;
use verbatim::formats::sniff::{Companion, detect_companion, detect_extended, parse_extended};
use verbatim::formats::{Format, RawChapter, Transcript, podcasting20};
use verbatim::model::{Millis, Role};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Detects and parses a fixture, checking the detected format's name, then
/// reads the speakers written in subtitle text as [`verbatim::formats::parse`] does.
fn load(name: &str, format: &str) -> Transcript {
    let text = fixture(name);
    let detected = detect_extended(name, &text).unwrap_or_else(|| panic!("{name}: not detected"));
    assert_eq!(detected.name(), format, "{name}");
    let mut transcript = parse_extended(detected, &text)
        .unwrap()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    verbatim::formats::subtitle_speakers::apply(detected, &mut transcript);
    transcript
}

/// (speaker, start, end, text) of a segment: what the golden tests compare.
pub(crate) type Row<'a> = (Option<&'a str>, Option<Millis>, Option<Millis>, &'a str);

/// The rows of every segment of a transcript (the other format tests use it too).
pub(crate) fn rows(t: &Transcript) -> Vec<Row<'_>> {
    t.segments
        .iter()
        .map(|s| (s.speaker.as_deref(), s.start, s.end, s.text.as_str()))
        .collect()
}

#[test]
fn webvtt_with_voices_bom_and_crlf() {
    let text = fixture("ep01-ecole.vtt");
    assert!(
        text.starts_with('\u{feff}') && text.contains("\r\n"),
        "the fixture keeps its BOM and CRLF"
    );
    let t = load("ep01-ecole.vtt", "webvtt");
    assert_eq!(t.title.as_deref(), Some("L'IA à l'école"));
    assert_eq!(
        rows(&t),
        [
            (
                Some("Léa Martin"),
                Some(0),
                Some(4_200),
                "Bonjour à toutes et à tous, bienvenue dans Les Causeries."
            ),
            (
                Some("Léa Martin"),
                Some(4_200),
                Some(9_750),
                "Aujourd'hui, on parle d’intelligence artificielle à l'école."
            ),
            (
                Some("Hugo Bernard"),
                Some(9_750),
                Some(15_000),
                "Merci Léa. Les élèves s'en servent déjà \u{a0}: c'est un fait."
            ),
            (Some("Léa Martin"), Some(15_000), Some(18_500), "Vraiment ?"),
            (
                Some("Hugo Bernard"),
                Some(15_000),
                Some(18_500),
                "Oui, dès le collège."
            ),
        ]
    );
}

#[test]
fn chapters_json_companion() {
    let text = fixture("ep01-ecole.chapters.json");
    assert_eq!(
        detect_companion("ep01-ecole.chapters.json", &text),
        Some(Companion::Chapters)
    );
    assert_eq!(detect_extended("ep01-ecole.chapters.json", &text), None);
    assert_eq!(
        podcasting20::parse_chapters_json(&text).unwrap(),
        [
            RawChapter {
                title: "Ouverture".into(),
                start: Some(0),
                links: vec![]
            },
            RawChapter {
                title: "L'IA en classe".into(),
                start: Some(9_750),
                links: vec!["https://exemple.fr/ia-classe".into()]
            },
        ]
    );
}

#[test]
fn srt_with_prefixes_and_sidecar() {
    let mut t = load("ep02-sante.srt", "srt");
    assert_eq!(
        rows(&t),
        [
            (
                Some("Claire Dubois"),
                Some(1_000),
                Some(3_500),
                "Bienvenue dans Santé & Société."
            ),
            (
                Some("Claire Dubois"),
                Some(3_500),
                Some(6_250),
                "Notre invité est médecin."
            ),
            (
                Some("Dr Karim Haddad"),
                Some(6_250),
                Some(9_000),
                "Merci, c'est un plaisir."
            ),
            (
                Some("Dr Karim Haddad"),
                Some(9_000),
                Some(12_400),
                "Note : ce n'est pas un avis médical."
            ),
        ]
    );
    let meta = sidecar::parse("ep02-sante.meta.toml", &fixture("ep02-sante.meta.toml")).unwrap();
    sidecar::apply(&meta, &mut t);
    assert_eq!(
        t.title.as_deref(),
        Some("Santé et société : l'hôpital de demain")
    );
    assert_eq!(t.url.as_deref(), Some("https://exemple.fr/sante/ep2"));
    assert_eq!(
        t.published.map(|d| d.to_string()).as_deref(),
        Some("2025-03-14")
    );
    let people: Vec<(&str, Role)> = t
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.role))
        .collect();
    assert_eq!(
        people,
        [
            ("Claire Dubois", Role::Host),
            ("Dr Karim Haddad", Role::Guest)
        ]
    );
}

#[test]
fn podcasting20_json_words_merge_and_feed_metadata() {
    let mut t = load("ep03-climat.json", "podcasting20_json");
    assert_eq!(
        rows(&t),
        [
            (
                Some("Inès"),
                Some(500),
                Some(2_100),
                "Le climat change vite."
            ),
            (
                Some("Inès"),
                Some(2_300),
                Some(3_000),
                "Qu'en pensez-vous ?"
            ),
            (
                Some("Paul"),
                Some(3_400),
                Some(4_600),
                "C'est préoccupant, évidemment."
            ),
        ]
    );
    let feed_text = fixture("feed.xml");
    assert_eq!(
        detect_companion("feed.xml", &feed_text),
        Some(Companion::Feed)
    );
    let feed = rss::parse(&feed_text).unwrap();
    let item = rss::find_item(&feed, "ep03-climat.json")
        .map(|i| &feed.items[i])
        .unwrap();
    rss::apply(&feed, item, &mut t);
    assert_eq!(t.title.as_deref(), Some("Le climat s'emballe"));
    assert_eq!(t.show.as_deref(), Some("Planète Demain"));
    assert_eq!(
        t.published.map(|d| d.to_string()).as_deref(),
        Some("2025-08-29")
    );
    assert_eq!(t.duration, Some(245_000));
    assert_eq!(t.url.as_deref(), Some("https://exemple.fr/planete/climat"));
    assert_eq!(
        t.description.as_deref(),
        Some("Inès reçoit Paul pour parler du climat.")
    );
    let people: Vec<(&str, Role)> = t
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.role))
        .collect();
    assert_eq!(
        people,
        [("Inès Laurent", Role::Host), ("Paul Girard", Role::Guest)]
    );
}

#[test]
fn rolling_youtube_vtt_is_deduplicated() {
    let t = load("ep04-auto.fr.vtt", "webvtt");
    assert_eq!(t.language.as_deref(), Some("fr"));
    assert_eq!(
        rows(&t),
        [
            (None, Some(0), Some(2_310), "bienvenue dans ce direct"),
            (
                None,
                Some(2_320),
                Some(5_110),
                "consacré à l'énergie solaire"
            ),
            (None, Some(5_120), Some(8_000), "et à ses limites"),
        ]
    );
}

#[test]
fn whisperx_words_missing_times_and_speaker_names() {
    let mut t = load("ep05-debat.json", "whisperx_json");
    assert_eq!(
        rows(&t),
        [
            (
                Some("SPEAKER_00"),
                Some(520),
                Some(4_100),
                "En 2023, le réseau a tenu."
            ),
            (Some("SPEAKER_00"), Some(4_300), Some(5_000), "Pas partout."),
            (
                Some("SPEAKER_01"),
                Some(5_600),
                Some(7_900),
                "Moi, je n'en suis pas sûre."
            ),
        ]
    );
    let meta = sidecar::parse("ep05-debat.meta.toml", &fixture("ep05-debat.meta.toml")).unwrap();
    sidecar::apply(&meta, &mut t);
    let speakers: Vec<&str> = t
        .segments
        .iter()
        .filter_map(|s| s.speaker.as_deref())
        .collect();
    assert_eq!(speakers, ["Marc Lefèvre", "Marc Lefèvre", "Sophie Nguyen"]);
    assert_eq!(t.participants[0].aliases, ["SPEAKER_00"]);
}

#[test]
fn whisper_json_with_rttm_turns() {
    let mut t = load("ep06-whisper.json", "whisper_json");
    assert!(t.segments.iter().all(|s| s.speaker.is_none()));
    let rttm_text = fixture("ep06-whisper.rttm");
    assert_eq!(
        detect_companion("ep06-whisper.rttm", &rttm_text),
        Some(Companion::Rttm)
    );
    let turns = rttm::parse(&rttm_text).unwrap();
    rttm::assign_speakers(&mut t.segments, &turns);
    assert_eq!(
        rows(&t),
        [
            (
                Some("SPEAKER_01"),
                Some(0),
                Some(2_400),
                "Bonjour, ici Radio Campus."
            ),
            (
                Some("SPEAKER_01"),
                Some(2_400),
                Some(5_000),
                "On reçoit une chercheuse."
            ),
            (
                Some("SPEAKER_00"),
                Some(5_200),
                Some(8_000),
                "Merci de m'avoir invitée."
            ),
        ]
    );
}

#[test]
fn whisper_cpp_json() {
    let t = load("ep07-cpp.json", "whisper_cpp_json");
    assert_eq!(
        rows(&t),
        [
            (Some("0"), Some(0), Some(3_200), "Ça tourne ? On y va."),
            (
                Some("1"),
                Some(3_200),
                Some(6_900),
                "Oui, c'est parti pour l'épisode sept."
            ),
        ]
    );
}

#[test]
fn youtube_json3() {
    let t = load("ep08-youtube.fr.json3", "youtube_json3");
    assert_eq!(
        rows(&t),
        [
            (None, Some(240), Some(4_240), "les véhicules électriques"),
            (None, Some(4_240), Some(7_240), "coûtent moins cher")
        ]
    );
}

#[test]
fn podcasting20_html_and_feed_title_match() {
    let mut t = load("les-abeilles-en-ville.html", "podcasting20_html");
    assert_eq!(
        rows(&t),
        [
            (
                Some("Anne"),
                Some(0),
                None,
                "Les abeilles s'installent sur les toits de Paris."
            ),
            (
                Some("Yves"),
                Some(42_000),
                None,
                "Et elles produisent un miel «\u{a0}urbain\u{a0}» très parfumé."
            ),
        ]
    );
    let feed = rss::parse(&fixture("feed.xml")).unwrap();
    let index = rss::find_item(&feed, "les-abeilles-en-ville.html").unwrap();
    rss::apply(&feed, &feed.items[index], &mut t);
    assert_eq!(
        t.published.map(|d| d.to_string()).as_deref(),
        Some("2025-07-28")
    );
    assert_eq!(t.duration, Some(95_000));
    // The item has no persons: the channel's host is credited.
    assert_eq!(
        t.participants.first().map(|p| (p.name.as_str(), p.role)),
        Some(("Inès Laurent", Role::Host))
    );
}

#[test]
fn unknown_files_are_neither_transcripts_nor_companions() {
    let text = fixture("lisez-moi.md");
    assert_eq!(detect_extended("lisez-moi.md", &text), None);
    assert_eq!(detect_companion("lisez-moi.md", &text), None);
    assert_eq!(Format::Webvtt.name(), "webvtt");
}

/// Every parser, given every fixture cut short at many points (and mangled),
/// returns a result or a typed error: never a panic.
#[test]
fn truncated_and_mangled_inputs_never_panic() {
    let dir = format!("{}/tests/fixtures/formats", env!("CARGO_MANIFEST_DIR"));
    let formats = [
        Format::Webvtt,
        Format::Srt,
        Format::Podcasting20Json,
        Format::Podcasting20Html,
        Format::WhisperJson,
        Format::WhisperxJson,
        Format::WhisperCppJson,
        Format::YoutubeJson3,
        Format::YoutubeTranscriptApi,
        Format::YoutubeXml,
        Format::Sbv,
    ];
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(3).collect();
        for cut in cuts {
            let head = &text[..cut];
            let mangled = head.replace(['>', ':', '"'], "<");
            for input in [head, mangled.as_str()] {
                for f in formats {
                    let _ = parse_extended(f, input);
                }
                let _ = podcasting20::parse_chapters_json(input);
                let _ = rttm::parse(input);
                let _ = rss::parse(input);
                let _ = sidecar::parse("x.meta.toml", input);
                let _ = detect_extended("x", input);
                let _ = detect_companion("x", input);
            }
        }
    }
}

mod mixed_folder {
    //! The fixture folder mixes every format, companions and an unknown file:
    //! loading it gives the right episodes, and citations carry the names and
    //! URLs the companions give.
    use verbatim::corpus::Corpus;
    use verbatim::ingest::CorpusSource;
    use verbatim::model::citation::{cite, moment_url};
    use verbatim::model::{ChapterTiming, Episode, Passage, PassageTiming, Role};

    fn corpus() -> Corpus {
        let dir = format!("{}/tests/fixtures/formats", env!("CARGO_MANIFEST_DIR"));
        Corpus::load(&CorpusSource::Dir(dir.into())).unwrap()
    }

    /// The passage that holds `phrase`, with its episode.
    fn find(corpus: &Corpus, phrase: &str) -> (Episode, Passage) {
        corpus
            .to_episodes()
            .unwrap()
            .into_iter()
            .find_map(|e| {
                let p = e.passages.iter().find(|p| p.text.contains(phrase))?.clone();
                Some((e, p))
            })
            .unwrap_or_else(|| panic!("{phrase:?} not found"))
    }

    #[test]
    fn loads_every_format_and_reports_the_rest() {
        let corpus = corpus();
        let got: Vec<(&str, &str)> = corpus
            .headers()
            .iter()
            .map(|h| (h.id(), h.episode.source.format.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("ep01-ecole", "webvtt"),
                ("ep02-sante", "srt"),
                ("ep03-climat", "podcasting20_json"),
                ("ep04-auto-fr", "webvtt"),
                ("ep05-debat", "whisperx_json"),
                ("ep06-whisper", "whisper_json"),
                ("ep07-cpp", "whisper_cpp_json"),
                ("ep08-youtube-fr", "youtube_json3"),
                ("les-abeilles-en-ville", "podcasting20_html"),
            ]
        );
        let problems: Vec<&str> = corpus.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(problems, ["lisez-moi.md"]);
        assert!(
            corpus.problems[0].reason.contains("not a transcript"),
            "{}",
            corpus.problems[0].reason
        );
    }

    #[test]
    fn chapters_file_gives_exact_chapters() {
        let corpus = corpus();
        let e = corpus.episode("ep01-ecole").unwrap();
        let chapters: Vec<(&str, Option<u64>, Option<u64>, ChapterTiming)> = e
            .chapters
            .iter()
            .map(|c| (c.title.as_str(), c.start_seconds, c.end_seconds, c.timing))
            .collect();
        assert_eq!(
            chapters,
            [
                ("Ouverture", Some(0), Some(9_750), ChapterTiming::Exact),
                (
                    "L'IA en classe",
                    Some(9_750),
                    Some(18_500),
                    ChapterTiming::Exact
                ),
            ]
        );
        assert_eq!(e.chapters[1].links, ["https://exemple.fr/ia-classe"]);
        let (_, p) = find(&corpus, "dès le collège");
        assert_eq!(
            (p.speaker.as_deref(), p.start_seconds, p.chapter),
            (Some("Hugo Bernard"), Some(15_000), Some(1))
        );
    }

    /// The character range of the first `word` in `text`.
    pub(super) fn char_range(text: &str, word: &str) -> std::ops::Range<usize> {
        let byte = text
            .find(word)
            .unwrap_or_else(|| panic!("{word:?} not in {text:?}"));
        let start = text[..byte].chars().count();
        start..start + word.chars().count()
    }

    #[test]
    fn words_are_timed_at_their_own_time_not_their_passage_start() {
        let corpus = corpus();
        for (word, passage_start, want) in [
            // WhisperX words (a passage of two segments of one speaker).
            ("réseau", 520, (2_000, 2_500)),
            ("partout", 520, (4_500, 5_000)),
            // Podcasting 2.0 one-word segments merged into an utterance.
            ("change", 500, (1_400, 1_600)),
            ("pensez-vous", 500, (2_600, 2_900)),
            // json3 segs: an offset from their event's start.
            ("électriques", 240, (1_340, 4_240)),
            ("moins", 240, (4_740, 5_140)),
            // WebVTT: the second cue of a passage.
            ("Aujourd'hui", 0, (4_200, 9_750)),
            // SRT: the second cue, after its speaker prefix.
            ("Notre invité", 1_000, (3_500, 6_250)),
        ] {
            let (_, p) = find(&corpus, word);
            assert_eq!(p.start_seconds, Some(passage_start), "{word}");
            assert_eq!(
                p.time_of(char_range(&p.text, word)),
                Some((want.0, want.1, PassageTiming::Exact)),
                "{word} in {:?}",
                p.text
            );
        }
    }

    #[test]
    fn sidecar_names_and_urls_reach_citations() {
        let corpus = corpus();
        let (e, p) = find(&corpus, "je n'en suis pas sûre");
        assert_eq!(e.episode_id, "ep05-debat");
        assert_eq!(
            (p.speaker.as_deref(), p.start_seconds, p.timing),
            (Some("Sophie Nguyen"), Some(5_600), PassageTiming::Exact)
        );
        let citation = cite(&e, &p);
        assert!(
            citation.contains("Sophie Nguyen")
                && citation.contains("Le réseau électrique tiendra-t-il ?"),
            "{citation}"
        );
        let url = e.url.as_deref().unwrap();
        assert_eq!(
            moment_url(url, p.start_seconds),
            "https://exemple.fr/debat/5#t=5"
        );
        let marc = e
            .participants
            .iter()
            .find(|x| x.name == "Marc Lefèvre")
            .unwrap();
        assert!(marc.aliases.contains(&"SPEAKER_00".to_string()));

        let (e, p) = find(&corpus, "Merci, c'est un plaisir");
        assert_eq!(
            (p.speaker.as_deref(), p.start_seconds),
            (Some("Dr Karim Haddad"), Some(6_250))
        );
        assert_eq!(e.show.as_deref(), Some("Santé & Société"));
        let karim = e
            .participants
            .iter()
            .find(|x| x.name == "Dr Karim Haddad")
            .unwrap();
        assert_eq!(
            (karim.role, karim.affiliation.as_deref()),
            (Role::Guest, Some("CHU de Lyon"))
        );
    }

    #[test]
    fn feed_and_rttm_companions_apply() {
        let corpus = corpus();
        let (e, p) = find(&corpus, "préoccupant");
        assert_eq!(e.episode_id, "ep03-climat");
        assert_eq!(
            (e.show.as_deref(), e.title.as_str()),
            (Some("Planète Demain"), "Le climat s'emballe")
        );
        assert_eq!(e.url.as_deref(), Some("https://exemple.fr/planete/climat"));
        assert_eq!(e.duration_seconds, Some(245_000));
        assert_eq!(
            (p.speaker.as_deref(), p.start_seconds),
            (Some("Paul"), Some(3_400))
        );
        let roles: Vec<(&str, Role)> = e
            .participants
            .iter()
            .map(|x| (x.name.as_str(), x.role))
            .collect();
        assert!(
            roles.contains(&("Inès Laurent", Role::Host))
                && roles.contains(&("Paul Girard", Role::Guest)),
            "{roles:?}"
        );

        let (_, p) = find(&corpus, "Merci de m'avoir invitée");
        assert_eq!(
            (p.speaker.as_deref(), p.start_seconds),
            (Some("SPEAKER_00"), Some(5_200))
        );
        let (_, p) = find(&corpus, "ici Radio Campus");
        assert_eq!(p.speaker.as_deref(), Some("SPEAKER_01"));

        let (_, p) = find(&corpus, "l'énergie solaire");
        assert_eq!(p.start_seconds, Some(0));
        assert_eq!(
            p.text.matches("bienvenue").count(),
            1,
            "rolling captions keep each word once: {}",
            p.text
        );
    }

    #[test]
    fn broken_companions_are_reported_and_the_transcript_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Léa>Bonjour à tous.\n";
        std::fs::write(dir.path().join("ep.vtt"), vtt).unwrap();
        std::fs::write(
            dir.path().join("ep.meta.toml"),
            "titre = \"faute de frappe\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("notes.xml"),
            "<notes><note>pas un flux</note></notes>",
        )
        .unwrap();
        let corpus = Corpus::load(&CorpusSource::Dir(dir.path().to_path_buf())).unwrap();
        assert_eq!(corpus.len(), 1);
        assert_eq!(
            corpus.to_episodes().unwrap()[0].passages[0]
                .speaker
                .as_deref(),
            Some("Léa")
        );
        let problems: Vec<(&str, &str)> = corpus
            .problems
            .iter()
            .map(|p| (p.path.as_str(), p.reason.as_str()))
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].0 == "ep.meta.toml" && problems[0].1.contains("unknown key `titre`"),
            "{problems:?}"
        );
        assert!(
            // Not a feed (its root is not <rss>): an unknown file, not a broken feed.
            problems[1].0 == "notes.xml"
                && problems[1]
                    .1
                    .contains("not a transcript verbatim recognizes"),
            "{problems:?}"
        );
    }

    #[test]
    fn inspect_names_the_format_and_applies_companions() {
        let file = format!(
            "{}/tests/fixtures/formats/ep05-debat.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args(["inspect", &file])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("whisperx_json"), "{stdout}");
        assert!(
            stdout.contains("Le réseau électrique tiendra-t-il ?"),
            "{stdout}"
        );
        assert!(stdout.contains("Sophie Nguyen"), "{stdout}");
    }
}

mod word_times {
    //! Cues, lines and turns merged into one passage keep their own times:
    //! a word is timed at the start of the piece that holds it.
    use super::mixed_folder::char_range;
    use verbatim::ingest::load_file;
    use verbatim::model::PassageTiming;

    const CUES: [(&str, &str, &str); 4] = [
        ("00:00:01.000", "00:00:03.000", "Bonjour à tous"),
        ("00:00:03.000", "00:00:05.500", "et bienvenue dans"),
        ("00:00:05.500", "00:00:08.000", "notre émission consacrée"),
        ("00:00:08.000", "00:00:10.000", "aux abeilles."),
    ];

    fn vtt() -> String {
        let cues: Vec<String> = CUES
            .iter()
            .map(|(a, b, text)| format!("{a} --> {b}\n{text}\n"))
            .collect();
        format!("WEBVTT\n\n{}", cues.join("\n"))
    }

    fn srt() -> String {
        let cues: Vec<String> = CUES
            .iter()
            .enumerate()
            .map(|(i, (a, b, text))| {
                format!(
                    "{}\n{} --> {}\n{text}\n",
                    i + 1,
                    a.replace('.', ","),
                    b.replace('.', ",")
                )
            })
            .collect();
        cues.join("\n")
    }

    #[test]
    fn a_word_in_the_third_cue_is_timed_at_that_cue() {
        for (name, text) in [("abeilles.vtt", vtt()), ("abeilles.srt", srt())] {
            let e = load_file(name, text.as_bytes()).unwrap();
            let [p] = e.passages.as_slice() else {
                panic!("{name}: the four cues make one passage: {:?}", e.passages)
            };
            assert_eq!(
                p.text,
                "Bonjour à tous et bienvenue dans notre émission consacrée aux abeilles."
            );
            assert_eq!(
                (p.start_seconds, p.timing),
                (Some(1_000), PassageTiming::Exact)
            );
            for (word, want) in [
                ("émission", (5_500, 8_000)),
                ("bienvenue", (3_000, 5_500)),
                ("Bonjour", (1_000, 3_000)),
                ("abeilles", (8_000, 10_000)),
                ("dans notre", (3_000, 8_000)),
            ] {
                assert_eq!(
                    p.time_of(char_range(&p.text, word)),
                    Some((want.0, want.1, PassageTiming::Exact)),
                    "{name}: {word}"
                );
            }
        }
    }

    #[test]
    fn a_diarized_dump_cut_inside_long_turns_gives_estimated_times() {
        let sentence =
            "Une phrase assez longue pour remplir un passage à elle seule, ou presque, vraiment. ";
        let dump = format!(
            "[0.03s - 60.00s] SPEAKER_02 :  {}\n[60.00s - 70.00s] SPEAKER_02 :  Suite du tour. Et fin.\n[70.00s - 72.00s] SPEAKER_00 :  Oui, merci.\n",
            sentence.repeat(5)
        );
        let e = load_file("dump.txt", dump.as_bytes()).unwrap();
        assert_eq!(e.source.format, "diarized_dump");
        let p = e
            .passages
            .iter()
            .find(|p| p.text.contains("Suite"))
            .unwrap();
        let start = p.start_seconds.unwrap();
        assert!(
            start > 30_000 && start < 60_000,
            "cut inside the first turn: {start}"
        );
        let time = |word| p.time_of(char_range(&p.text, word)).unwrap();
        // The second turn starts at its mark; its words are placed by their
        // position in that ten-second turn, and said to be estimated.
        let (from, to, timing) = time("Suite");
        assert_eq!((from, timing), (60_000, PassageTiming::Estimated));
        assert!(to > 60_000 && to < 70_000, "{to}");
        let (from, to, _) = time("fin");
        assert!(
            from > 65_000 && to <= 70_000,
            "near the turn's end: {from}..{to}"
        );
        // The first turn's last word is just before the second turn's start.
        let (from, to, timing) = time("vraiment");
        assert_eq!(timing, PassageTiming::Estimated);
        assert!(
            from > start && from < 60_000 && to <= 60_000,
            "{from}..{to}"
        );
        // The short last turn is read, not estimated.
        let last = e.passages.last().unwrap();
        assert_eq!(
            last.time_of(char_range(&last.text, "merci")),
            Some((70_000, 72_000, PassageTiming::Exact))
        );
    }
}
