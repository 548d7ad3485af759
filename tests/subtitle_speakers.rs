//! Speaker tags in subtitles, end to end: a Spanish WebVTT with streaming
//! style `[Alba]` tags and a French SRT with `(JEAN)`, `MARIE:` and dialogue
//! dashes (fixtures in `tests/fixtures/speaker_tags/`) load into episodes
//! whose passages carry the speakers, without the tags, one passage per
//! dialogue turn, and whose generated chapters are never titled by a tag.

use verbatim::answers::speakers::summarize_speakers;
use verbatim::corpus::Corpus;
use verbatim::ingest::{CorpusSource, load_file};
use verbatim::model::{Episode, Millis, PassageTiming};

fn fixture_dir() -> String {
    format!("{}/tests/fixtures/speaker_tags", env!("CARGO_MANIFEST_DIR"))
}

fn episode(name: &str) -> Episode {
    let bytes = std::fs::read(format!("{}/{name}", fixture_dir())).unwrap();
    load_file(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

type Row<'a> = (
    Option<&'a str>,
    &'a str,
    Option<Millis>,
    Option<Millis>,
    PassageTiming,
);

fn rows(e: &Episode) -> Vec<Row<'_>> {
    e.passages
        .iter()
        .map(|p| {
            (
                p.speaker.as_deref(),
                p.text.as_str(),
                p.start_seconds,
                p.end_seconds,
                p.timing,
            )
        })
        .collect()
}

/// No chapter title holds a bracket or a speaker tag ("Alba] No hay").
fn assert_chapter_titles_are_clean(e: &Episode) {
    assert!(!e.chapters.is_empty());
    for c in &e.chapters {
        assert!(
            !c.title.contains(['[', ']', '(', ')']),
            "{}: {:?}",
            e.episode_id,
            c.title
        );
    }
}

#[test]
fn spanish_webvtt_with_streaming_speaker_tags() {
    use PassageTiming::{Estimated, Exact};
    let e = episode("cable-es.vtt");
    assert_eq!(
        rows(&e),
        [
            (Some("Alba"), "En 1928,", Some(7_960), Some(9_480), Exact),
            (
                None,
                "las telefonistas de Madrid soñaban con ser libres.",
                Some(9_640),
                Some(13_080),
                Exact
            ),
            // `[música]` gives no quote. `- ¿Vienes…? - Sí…` is two turns: the
            // second starts at a time interpolated inside the cue (21 of 37
            // characters into 15.2-17.0 s), so both are estimated.
            (
                None,
                "¿Vienes a la central?",
                Some(15_200),
                Some(16_221),
                Estimated
            ),
            (
                None,
                "Sí, ahora mismo.",
                Some(16_221),
                Some(17_000),
                Estimated
            ),
            // `-[Alba] No hay señal. -[Pedro] Prueba otra vez.`: shares by the
            // words said, tags left out (13 of 29 characters into 17.2-19.6 s).
            (
                Some("Alba"),
                "No hay señal.",
                Some(17_200),
                Some(18_275),
                Estimated
            ),
            (
                Some("Pedro"),
                "Prueba otra vez.",
                Some(18_275),
                Some(19_600),
                Estimated
            ),
            // `[ríen emocionadas]` gives no quote either.
            (
                Some("Sara"),
                "Bienvenidas a la nueva sede de la Compañía de Telefonía.",
                Some(21_200),
                Some(24_000),
                Exact
            ),
            // A sound note before the words stays in them; a lone dash goes.
            (
                None,
                "(risas) La centralita no espera a nadie. La centralita funciona por fin.",
                Some(24_200),
                Some(28_000),
                Exact
            ),
        ]
    );
    assert!(e.has_speaker_turns());
    let mut names: Vec<&str> = e.participants.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Alba", "Pedro", "Sara"]);
    assert!(
        e.diagnostics.iter().any(|d| d
            .message
            .contains("2 cue(s) holding only a sound annotation")),
        "{:?}",
        e.diagnostics
    );
    assert_chapter_titles_are_clean(&e);
}

#[test]
fn french_srt_with_capitals_parentheses_and_dashes() {
    let e = episode("centrale-fr.srt");
    let got: Vec<(Option<&str>, &str)> = e
        .passages
        .iter()
        .map(|p| (p.speaker.as_deref(), p.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Some("JEAN"), "Bonjour à tous, bienvenue à la centrale."),
            (
                Some("MARIE"),
                "Merci Jean, on parle du standard téléphonique."
            ),
            (None, "Tu viens ?"),
            (None, "Oui, j'arrive."),
            (Some("MARIE-CLAIRE"), "Le standard reste ouvert la nuit."),
            (Some("JEAN"), "C'est vrai ?"),
            (Some("MARIE"), "Oui, toute la nuit."),
        ]
    );
    // Names are kept as written; analysis lists each speaker once.
    let mut names: Vec<&str> = e.participants.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert!(
        ["JEAN", "MARIE", "MARIE-CLAIRE"]
            .iter()
            .all(|n| names.iter().any(|m| m.eq_ignore_ascii_case(n))),
        "{names:?}"
    );
    assert_chapter_titles_are_clean(&e);
}

#[test]
fn speakers_from_tags_are_summarized_and_cited() {
    let c = Corpus::load(&CorpusSource::Dir(fixture_dir().into())).unwrap();
    let s = summarize_speakers(&c, Some("cable-es"), Some("Alba")).unwrap();
    let alba = s.speakers.first().unwrap();
    assert_eq!(alba.name, "Alba");
    assert!(alba.talk.is_some(), "Alba has turns of her own");
    // Her quotes cite her passages, whose text has no tag.
    let e = c.episode("cable-es").unwrap();
    for q in &alba.quotes {
        assert_eq!(q.speaker.as_deref(), Some("Alba"));
        let p = e
            .passages
            .iter()
            .find(|p| p.passage_id == q.passage_id)
            .unwrap();
        assert!(!p.text.contains('['), "{:?}", p.text);
        assert!(!q.citation.contains("[Alba]"), "{}", q.citation);
    }
    let hers: Vec<&str> = e
        .passages
        .iter()
        .filter(|p| p.speaker.as_deref() == Some("Alba"))
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(hers, ["En 1928,", "No hay señal."]);
}
