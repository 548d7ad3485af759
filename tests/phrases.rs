//! Exact phrases, checked against reading every passage's words: a phrase
//! of frequent words is answered from the common-grams field
//! (`verbatim::index::common_grams`), any other from the text field, and
//! both must find exactly the passages that say the phrase, in French and
//! in English, across elisions, accents, punctuation and dropped words.

use crate::snapshots::open_episodes;
use std::collections::BTreeSet;
use verbatim::Snapshot;
use verbatim::index::SearchRequest;
use verbatim::index::analyzer::{LANES, lane_analyzer};
use verbatim::testing::EpisodeBuilder;

/// Deterministic word salad: frequent and rare words, elisions, accents,
/// punctuation, and now and then a word too long to be indexed (a gap).
fn passages(words: &[&str], count: usize, seed: u64) -> Vec<String> {
    let mut state = seed;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    (0..count)
        .map(|_| {
            let length = 4 + next(14);
            let mut text = String::new();
            for i in 0..length {
                if i > 0 {
                    text.push_str([" ", " ", " ", ", ", ". ", " - "][next(6)]);
                }
                if next(40) == 0 {
                    text.push_str("anticonstitutionnellementextraordinairementlong");
                } else {
                    text.push_str(words[next(words.len())]);
                }
            }
            text
        })
        .collect()
}

/// The passages (by index) whose analysed words contain `phrase`'s, one after the other.
fn saying(lane: usize, texts: &[String], phrase: &str) -> BTreeSet<usize> {
    let mut analyzer = lane_analyzer(lane);
    let mut words = |text: &str| -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push((t.position, t.text.clone()));
        }
        out
    };
    let wanted: Vec<String> = words(phrase).into_iter().map(|(_, w)| w).collect();
    texts
        .iter()
        .enumerate()
        .filter(|(_, text)| {
            let said = words(text);
            said.windows(wanted.len()).any(|window| {
                window.iter().zip(&wanted).all(|((_, w), x)| w == x)
                    && window
                        .windows(2)
                        .all(|pair| pair[0].0.wrapping_add(1) == pair[1].0)
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Every passage a query finds (all pages), by index in `texts`.
fn found(index: &Snapshot, query: &str, language: &str) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut offset = 0;
    loop {
        let results = index
            .search(&SearchRequest {
                query: format!("\"{query}\""),
                limit: verbatim::index::MAX_LIMIT,
                offset,
                language: Some(language.into()),
                ..SearchRequest::default()
            })
            .unwrap();
        for hit in &results.hits {
            let episode = hit.origin.episode.episode_id.as_str();
            out.insert(episode[1..].parse::<usize>().unwrap());
        }
        offset += results.hits.len();
        if results.hits.is_empty() || offset >= results.total_hits {
            break;
        }
    }
    out
}

fn index_of(texts: &[String], language: &str) -> Snapshot {
    let episodes = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            EpisodeBuilder::new(&format!("{}{i}", &language[..1]))
                .language(language)
                .said(None, text)
                .build()
        })
        .collect();
    open_episodes("phrases", episodes)
}

fn check(language: &str, words: &[&str], phrases: &[&str]) {
    let lane = LANES.iter().position(|l| l.code == language).unwrap();
    let texts = passages(words, 400, 7);
    let index = index_of(&texts, language);
    let mut nonempty = 0;
    // The given phrases, then every two- and three-word run of some passages.
    let mut all: Vec<String> = phrases.iter().map(|p| p.to_string()).collect();
    for text in texts.iter().take(30) {
        let plain: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .filter(|w| !w.is_empty())
            .collect();
        for n in [2, 3] {
            if let Some(run) = plain.get(1..1 + n) {
                all.push(run.join(" "));
            }
        }
    }
    for phrase in &all {
        let expected = saying(lane, &texts, phrase);
        let got = found(&index, phrase, language);
        assert_eq!(got, expected, "{language} phrase \"{phrase}\"");
        if !expected.is_empty() {
            nonempty += 1;
        }
    }
    assert!(
        nonempty >= all.len() / 2,
        "too few phrases were said at all"
    );
}

#[test]
fn french_phrases_find_exactly_the_passages_that_say_them() {
    let words = [
        "de",
        "la",
        "le",
        "les",
        "je",
        "ne",
        "sais",
        "pas",
        "et",
        "est",
        "c'est",
        "l'IA",
        "d'un",
        "qu'il",
        "un",
        "une",
        "on",
        "a",
        "à",
        "données",
        "Données",
        "donnees",
        "souveraineté",
        "numérique",
        "logiciel",
        "libre",
        "Mistral",
        "cloud",
        "il",
        "y",
        "en",
        "très",
        "ça",
        "parce",
        "que",
        "Très",
    ];
    check(
        "fr",
        &words,
        &[
            "de la",
            "je ne sais pas",
            "il y a",
            "c'est la",
            "de l'IA",
            "la souveraineté",
            "de la souveraineté numérique",
            "il y a de la",
            "parce que c'est",
            "logiciel libre",
            "numérique logiciel",
            "pas sais ne je",
            "à la",
            "de données",
            "de donnees",
        ],
    );
}

#[test]
fn english_phrases_find_exactly_the_passages_that_say_them() {
    let words = [
        "the",
        "of",
        "and",
        "to",
        "it",
        "is",
        "that",
        "I",
        "don't",
        "know",
        "data",
        "open",
        "source",
        "sovereignty",
        "cloud",
        "models",
        "in",
        "a",
    ];
    check(
        "en",
        &words,
        &[
            "of the",
            "I don't know",
            "it is",
            "open source",
            "the data of the",
        ],
    );
}

#[test]
fn a_phrase_of_two_frequent_words_is_ranked_and_counted_like_a_word() {
    let texts = passages(&["de", "la", "mer", "terre"], 300, 11);
    let index = index_of(&texts, "fr");
    let results = index
        .search(&SearchRequest {
            query: "\"de la\"".into(),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    let expected = saying(0, &texts, "de la");
    assert_eq!(results.total_hits, expected.len());
    // Best first, as scored.
    let scores: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    assert!(scores.windows(2).all(|s| s[0] >= s[1]), "{scores:?}");
    // Every hit highlights the phrase.
    for hit in &results.hits {
        assert!(!hit.highlights.is_empty(), "{hit:?}");
    }
}
