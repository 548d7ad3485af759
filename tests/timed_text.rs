//! Golden tests for the timed-text formats: TTML / DFXP and SAMI fixtures in
//! `tests/fixtures/timed-text/` read through detection and parsing (times to
//! the millisecond, text without markup, speakers, language, title), and a
//! folder that mixes them with SRT and a feed loads each as it should.
//!
//! Expected times are worked out in each fixture's comments; they are rounded
//! to the nearest millisecond, halves up.

use crate::formats::rows;
use verbatim::corpus::Corpus;
use verbatim::formats::{Format, Transcript};
use verbatim::ingest::CorpusSource;
use verbatim::model::Millis;

fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/timed-text/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Reads a fixture the way a corpus does (decode, detect, parse), checking the format.
fn load(name: &str, format: Format) -> Transcript {
    let bytes = std::fs::read(fixture_path(name)).unwrap();
    let (detected, transcript) =
        verbatim::formats::parse(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(detected, format, "{name}");
    transcript
}

/// (start, end) of every segment.
fn times(t: &Transcript) -> Vec<(Option<Millis>, Option<Millis>)> {
    t.segments.iter().map(|s| (s.start, s.end)).collect()
}

#[test]
fn ttml_clock_times_speakers_spans_and_entities() {
    let t = load("clock.ttml", Format::Ttml);
    assert_eq!(t.title.as_deref(), Some("Bees in the city"));
    assert_eq!(t.language.as_deref(), Some("en-US"));
    assert_eq!(
        rows(&t),
        [
            (
                Some("Marie Dubois"),
                Some(1_500),
                Some(3_250),
                "Welcome to the hives on the roofs."
            ),
            // An agent without <ttm:name> is named by its id.
            (
                Some("jean"),
                Some(3_250),
                Some(62_040),
                "Twelve & more, café <not a tag>"
            ),
            // 01:00:00.0005 = 3 600 000.5 ms -> 3 600 001.
            (None, Some(62_040), Some(3_600_001), "The end."),
        ]
    );
    assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
}

#[test]
fn ttml_frames_sub_frames_multiplier_and_ticks() {
    let t = load("frames-25.ttml", Format::Ttml);
    assert_eq!(t.language.as_deref(), Some("fr"));
    assert_eq!(
        times(&t),
        [(Some(1_480), Some(2_960)), (Some(3_500), Some(4_000))]
    );
    let t = load("ntsc-multiplier.ttml", Format::Ttml);
    assert_eq!(
        rows(&t),
        [
            (None, Some(501), Some(1_000), "Frame fifteen."),
            (None, Some(2_968), Some(4_004), "Last frame of a second."),
        ]
    );
    let t = load("ticks.ttml", Format::Ttml);
    assert_eq!(
        times(&t),
        [(Some(1_235), Some(2_500)), (Some(3_000), Some(3_500))]
    );
}

#[test]
fn dfxp_old_namespace_with_offset_times_named_xml() {
    let t = load("offsets.xml", Format::Ttml);
    assert_eq!(t.language.as_deref(), Some("es"));
    assert_eq!(
        rows(&t),
        [
            (None, Some(1_500), Some(2_500), "Hola a todos."),
            (None, Some(3_000), Some(4_000), "Segunda línea."),
            (None, Some(3_600), Some(3_933), "Tercera."),
        ]
    );
}

#[test]
fn ttml_smpte_drop_frame_timecodes_are_real_time() {
    let t = load("smpte-drop.ttml", Format::Ttml);
    assert_eq!(
        times(&t),
        [
            (Some(60_027), Some(60_060)),
            (Some(60_060), Some(61_995)),
            (Some(599_999), Some(600_500)),
        ]
    );
}

#[test]
fn ttml_times_are_relative_to_their_containers() {
    let t = load("nested.ttml", Format::Ttml);
    // No xml:lang on <tt>: the first one in the body.
    assert_eq!(t.language.as_deref(), Some("de"));
    assert_eq!(
        rows(&t),
        [
            (None, Some(16_000), Some(17_000), "In the first div."),
            (None, Some(15_000), Some(19_000), "Inherits the div."),
            (None, Some(35_000), Some(36_500), "Nested twice."),
            (None, Some(40_000), Some(42_000), "First in sequence."),
            (None, Some(42_000), Some(45_000), "Second in sequence."),
        ]
    );
}

#[test]
fn ttml_bad_time_keeps_the_other_cues_and_names_the_value() {
    let t = load("bad-time.ttml", Format::Ttml);
    assert_eq!(
        rows(&t),
        [
            (None, Some(1_000), Some(2_000), "Avant."),
            (None, Some(3_000), Some(4_000), "Après."),
        ]
    );
    assert_eq!(t.diagnostics.len(), 1);
    let d = &t.diagnostics[0];
    assert_eq!(d.line, Some(6));
    assert!(d.message.contains("\"00:00:xx.000\""), "{}", d.message);
}

#[test]
fn ttml_without_text_is_no_text_and_other_xml_is_not_ttml() {
    let empty = "<?xml version=\"1.0\"?>\n<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><div><p begin=\"1s\"/></div></body></tt>";
    let err = verbatim::formats::parse("x.xml", empty.as_bytes()).unwrap_err();
    assert!(
        matches!(err, verbatim::formats::FormatError::NoText(_)),
        "{err}"
    );
    let other = "<?xml version=\"1.0\"?>\n<tt><body><p begin=\"1s\">x</p></body></tt>";
    assert_eq!(verbatim::formats::detect("x.xml", other), None);
    assert_eq!(
        verbatim::formats::detect("x.ttml", other),
        Some(Format::Ttml)
    );
}

#[test]
fn sami_first_language_class_clears_and_lenient_tags() {
    let t = load("two-languages.smi", Format::Sami);
    assert_eq!(t.title.as_deref(), Some("Bees in the city"));
    assert_eq!(t.language.as_deref(), Some("en-US"));
    assert_eq!(
        rows(&t),
        [
            (None, Some(0), Some(2_500), "Welcome to Bees in the City."),
            (
                Some("MARIE"),
                Some(3_000),
                Some(5_200),
                "Hives on the roofs"
            ),
            // The French-only SYNC at 7000 does not end the English cue.
            (
                Some("JEAN"),
                Some(5_200),
                Some(8_000),
                "Twelve of them & more."
            ),
        ]
    );
}

#[test]
fn a_folder_with_ttml_srt_sami_and_a_feed_loads_each() {
    let dir = tempfile::tempdir().unwrap();
    let formats = format!("{}/tests/fixtures/formats", env!("CARGO_MANIFEST_DIR"));
    for (from, to) in [
        (fixture_path("clock.ttml"), "bees.xml"),
        (fixture_path("two-languages.smi"), "bees-sami.smi"),
        (format!("{formats}/ep02-sante.srt"), "sante.srt"),
        (format!("{formats}/feed.xml"), "feed.xml"),
    ] {
        std::fs::copy(&from, dir.path().join(to)).unwrap();
    }
    let corpus = Corpus::load(&CorpusSource::Dir(dir.path().to_path_buf())).unwrap();
    let got: Vec<(&str, &str)> = corpus
        .headers()
        .iter()
        .map(|h| (h.id(), h.episode.source.format.as_str()))
        .collect();
    assert_eq!(
        got,
        [("bees", "ttml"), ("bees-sami", "sami"), ("sante", "srt")]
    );
    // The feed is still read as a feed: it is not a problem, nor an episode.
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
}

/// Every cut and mangling of the fixtures gives a result or a typed error.
#[test]
fn truncated_and_mangled_timed_text_never_panics() {
    for entry in std::fs::read_dir(fixture_path("")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        for cut in cuts {
            let head = &text[..cut];
            let mangled = head.replace(['>', ':', '"'], "<");
            for input in [head, mangled.as_str()] {
                let _ = verbatim::formats::ttml::parse(input);
                let _ = verbatim::formats::sami::parse(input);
                let _ = verbatim::formats::sniff::detect_extended("x.xml", input);
                let _ = verbatim::formats::sniff::detect_companion("x.xml", input);
            }
        }
    }
}
