//! Golden tests for the formats and encodings users bring from other tools
//! (`tests/fixtures/wild/`): YouTube Studio SBV, YouTube timedtext XML in
//! both shapes, UTF-32 with a BOM and UTF-16 without one. Each file goes
//! through the whole read (decode, detect, parse) as a corpus file would.

use crate::formats::rows;
use verbatim::formats::{self, Format, Transcript};
use verbatim::model::{Millis, Severity};

fn read(name: &str) -> (Format, Transcript) {
    let path = format!("{}/tests/fixtures/wild/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    formats::parse(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn sbv_from_youtube_studio() {
    let (format, t) = read("studio.sbv");
    assert_eq!(format, Format::Sbv);
    assert_eq!(
        rows(&t),
        [
            (
                None,
                Some(378),
                Some(4_200),
                "Bonjour à toutes et à tous, bienvenue dans Les Causeries."
            ),
            (
                None,
                Some(4_200),
                Some(9_750),
                "Aujourd'hui, l'œuvre d'Érik Satie."
            ),
            (None, Some(9_750), Some(62_005), "On écoute ça ensemble."),
        ]
    );
    assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
}

/// Regression: a file with one bad time line was read as `12:34 text`
/// caption lines, and quotes came out as ".378,0:00:11.378 Caption text #1 ...".
#[test]
fn sbv_with_a_bad_time_line_keeps_its_good_blocks() {
    let (format, t) = read("damaged.txt");
    assert_eq!(format, Format::Sbv);
    assert_eq!(
        rows(&t),
        [
            (
                None,
                Some(378),
                Some(11_378),
                "Caption text #1 sur deux lignes."
            ),
            (
                None,
                Some(12_305),
                Some(15_000),
                "Caption text #3, déjà là."
            ),
            (None, Some(15_000), Some(17_250), "Caption text #4."),
        ]
    );
    let warnings: Vec<(Option<usize>, &str)> = t
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, Some(5));
    assert!(
        warnings[0].1.contains("0:00:11.378,0:00:1x.305"),
        "{warnings:?}"
    );
    assert!(t.segments.iter().all(|s| !s.text.contains("0:00")));
}

#[test]
fn youtube_classic_transcript_xml() {
    let (format, t) = read("classic.xml");
    assert_eq!(format, Format::YoutubeXml);
    assert_eq!(format.name(), "youtube_xml");
    assert_eq!(
        rows(&t),
        [
            (None, Some(1_540), Some(5_700), "c'est l'été à Paris"),
            (
                None,
                Some(5_700),
                Some(8_001),
                "Léa & Hugo, deux voix, un \"cœur\""
            ),
        ]
    );
    // The `[Musique]` cue is a sound note, not words: no quote, an info diagnostic.
    assert!(
        t.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Info && d.message.contains("annotation")),
        "{:?}",
        t.diagnostics
    );
}

#[test]
fn youtube_srv3_xml_with_word_times() {
    let (format, t) = read("srv3.xml");
    assert_eq!(format, Format::YoutubeXml);
    assert_eq!(
        rows(&t),
        [
            (None, Some(120), Some(3_679), "bonjour à tous"),
            (None, Some(3_679), Some(6_000), "l'été arrive"),
            (
                None,
                Some(6_000),
                Some(8_000),
                "Sous-titre manuel sur deux lignes"
            ),
        ]
    );
    // `<s t>` offsets count from their `<p>`'s start.
    let marks: Vec<(Millis, &str)> = t
        .segments
        .iter()
        .flat_map(|s| {
            s.marks
                .iter()
                .map(|m| (m.at, s.text[m.byte..].split(' ').next().unwrap()))
        })
        .collect();
    assert_eq!(marks, [(520, "à"), (1_000, "tous"), (4_000, "arrive")]);
}

#[test]
fn utf32_with_a_bom_and_utf16_without_one() {
    let srt_rows = [
        (None, Some(1_000), Some(2_500), "Été, cœur, déjà là 🎙️."),
        (
            None,
            Some(2_500),
            Some(4_250),
            "Œuvre complète, à l'écoute.",
        ),
    ];
    let vtt_rows = [
        (
            Some("Léa"),
            Some(1_000),
            Some(2_500),
            "Été, cœur, déjà là 🎙️.",
        ),
        (
            Some("Hugo"),
            Some(2_500),
            Some(4_250),
            "Œuvre complète, à l'écoute.",
        ),
    ];
    for (name, format, want, encoding) in [
        ("utf32le.srt", Format::Srt, srt_rows, "UTF-32 LE"),
        ("utf32be.vtt", Format::Webvtt, vtt_rows, "UTF-32 BE"),
        ("utf16le-nobom.txt", Format::Srt, srt_rows, "UTF-16 LE"),
        ("utf16be-nobom.vtt", Format::Webvtt, vtt_rows, "UTF-16 BE"),
    ] {
        let (got_format, t) = read(name);
        assert_eq!(got_format, format, "{name}");
        assert_eq!(rows(&t), want, "{name}");
        assert!(
            t.diagnostics
                .iter()
                .any(|d| d.message.starts_with(&format!("read as {encoding} ("))),
            "{name}: {:?}",
            t.diagnostics
        );
    }
}

/// The new parsers, given each fixture cut short at many points (and
/// mangled), return a result or a typed error: never a panic.
#[test]
fn truncated_and_mangled_inputs_never_panic() {
    let dir = format!("{}/tests/fixtures/wild", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for cut in 0..bytes.len() {
            let _ = formats::parse("x.txt", &bytes[..cut]);
            let Ok(text) = std::str::from_utf8(&bytes[..cut]) else {
                continue;
            };
            let mangled = text.replace(['>', ':', '"', ','], "<");
            for input in [text, mangled.as_str()] {
                let _ = formats::sbv::parse(input);
                let _ = formats::youtube_xml::parse(input);
            }
        }
    }
}
