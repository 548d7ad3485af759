//! The index schema (one tantivy document per passage) and how a passage
//! becomes a document.
//!
//! The passage text itself is not stored in tantivy: the corpus's passage
//! files beside the index hold it (see [`crate::corpus::passage_files`]), so
//! the index only carries postings, positions and a few fast fields.

use crate::index::analyzer::{LANES, Lane};
use crate::index::common_grams::{GRAMS_LANES, remembering_lane_analyzer};
use crate::model::{Episode, Passage, PassageTiming};
use crate::text::fold::fold_key;
use std::collections::HashMap;
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bumped whenever the schema, the analyzer, the headers file format or the
/// stored passages change (3: the acronyms field; 4: passages carry their
/// time marks; 5: chapters carry keywords and generated chapters new titles,
/// named speakers are participants, untitled files get a derived title; 6:
/// a text field per language, the language keyword; 7: the catalog of
/// headers in postcard, `verbatim-episodes.bin`; 8: the common-grams
/// fields; 9: the chapter is a fast field): an index with another version
/// is rebuilt.
pub const SCHEMA_VERSION: u32 = 9;

/// How many languages have a text field of their own ([`LANES`]).
pub const LANE_COUNT: usize = LANES.len();

/// The acronyms of a text (words of 2 to 5 capitals: `IA`, `GPU`, `GAFAM`),
/// lowercased, each once: what an all-caps query word matches.
///
/// A word is a run of letters and digits ([`crate::text::words()`]). Only
/// the words that start with a capital are looked at, found by their first
/// byte (an ASCII capital or the lead byte of a wider character): walking
/// every character of every passage was a percent of indexing.
pub fn acronyms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes.get(at..).and_then(|rest| {
        rest.iter()
            .position(|b| b.is_ascii_uppercase() || *b >= 0xC0)
    }) {
        let start = at + offset;
        let Some(rest) = text.get(start..) else {
            break;
        };
        let word_len = rest
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(rest.len(), |(i, _)| i);
        // Past the word, or past a character that is not a letter.
        at = start + word_len.max(rest.chars().next().map_or(1, char::len_utf8));
        let inside_a_word = text
            .get(..start)
            .and_then(|before| before.chars().next_back())
            .is_some_and(char::is_alphanumeric);
        let written = rest.get(..word_len).unwrap_or_default();
        if !inside_a_word && written.chars().next().is_some_and(char::is_uppercase) {
            keep_if_acronym(written, &mut out);
        }
    }
    out
}

/// Adds `word` to `out`, lowercased, if it is an acronym (2 to 5 letters, all
/// capitals) that `out` does not hold yet.
fn keep_if_acronym(word: &str, out: &mut Vec<String>) {
    let n = word.chars().count();
    if (2..=5).contains(&n) && word.chars().all(|c| c.is_alphabetic() && c.is_uppercase()) {
        let key = word.to_lowercase();
        if !out.contains(&key) {
            out.push(key);
        }
    }
}

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `{episode_id}#p{ordinal}-{hash}`, stored.
    pub passage_id: Field,
    /// Keyword, fast: filter and delete-by-episode key.
    pub episode_id: Field,
    /// Position of the passage in its episode, fast.
    pub ordinal: Field,
    /// The words of French passages (and of passages with no language),
    /// French analyzer, with positions (phrases): `lane_text[0]`.
    pub text: Field,
    /// The words of each language's passages, with that language's analyzer
    /// and positions, in [`LANES`] order.
    pub lane_text: [Field; LANE_COUNT],
    /// Each lane's pairs of neighbouring frequent words, with
    /// positions ([`crate::index::common_grams`]), for the lanes that have
    /// them, in [`LANES`] order.
    pub lane_grams: [Option<Field>; LANE_COUNT],
    /// The episode's ISO 639-1 language code (keyword filter).
    pub language: Field,
    /// The passage's acronyms (words in capitals, `IA`, `GPU`), lowercased keywords.
    pub acronyms: Field,
    /// Speaker label, resolved name and aliases, French analyzer (searchable names).
    pub speaker_text: Field,
    /// Folded speaker label, name and aliases (keyword filter).
    pub speaker_key: Field,
    /// Folded show name (keyword filter).
    pub show_key: Field,
    /// Chapter index (filter; fast, for the chapter-title bonus).
    pub chapter: Field,
    /// `{episode_id}\u{1f}{chapter}`: a chapter's passages, for a query only its title answers.
    pub chapter_key: Field,
    /// Publication date as days from the Common Era (range filter).
    pub published: Field,
    pub start_ms: Field,
    pub end_ms: Field,
    /// 0 exact, 1 estimated, 2 none.
    pub timing: Field,
}

impl Fields {
    /// Builds the schema and returns it with its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let names_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(crate::index::analyzer::ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let lane_text = LANES.map(|lane| {
            b.add_text_field(
                lane.field,
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(lane.analyzer)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            )
        });
        let mut lane_grams = [None; LANE_COUNT];
        for grams in GRAMS_LANES {
            let field = b.add_text_field(
                grams.field,
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(grams.analyzer)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            );
            if let Some(slot) = grams.lane().and_then(|l| lane_grams.get_mut(l)) {
                *slot = Some(field);
            }
        }
        let fields = Fields {
            passage_id: b.add_text_field("passage_id", STRING | STORED),
            episode_id: b.add_text_field("episode_id", STRING | FAST | STORED),
            ordinal: b.add_u64_field("ordinal", FAST | STORED),
            text: lane_text[0],
            lane_text,
            lane_grams,
            language: b.add_text_field("language", STRING),
            acronyms: b.add_text_field("acronyms", STRING),
            speaker_text: b.add_text_field("speaker_text", names_options),
            speaker_key: b.add_text_field("speaker_key", STRING),
            show_key: b.add_text_field("show_key", STRING),
            chapter: b.add_u64_field("chapter", INDEXED | FAST),
            chapter_key: b.add_text_field("chapter_key", STRING),
            published: b.add_i64_field("published", INDEXED | FAST),
            start_ms: b.add_u64_field("start_ms", FAST),
            end_ms: b.add_u64_field("end_ms", FAST),
            timing: b.add_u64_field("timing", FAST),
        };
        (b.build(), fields)
    }

    /// Finds the field handles in an opened index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        let mut lane_text = [f("text")?; LANE_COUNT];
        for (field, lane) in lane_text.iter_mut().zip(LANES) {
            *field = f(lane.field)?;
        }
        let mut lane_grams = [None; LANE_COUNT];
        for grams in GRAMS_LANES {
            if let Some(slot) = grams.lane().and_then(|l| lane_grams.get_mut(l)) {
                *slot = Some(f(grams.field)?);
            }
        }
        Ok(Fields {
            passage_id: f("passage_id")?,
            episode_id: f("episode_id")?,
            ordinal: f("ordinal")?,
            text: lane_text[0],
            lane_text,
            lane_grams,
            language: f("language")?,
            acronyms: f("acronyms")?,
            speaker_text: f("speaker_text")?,
            speaker_key: f("speaker_key")?,
            show_key: f("show_key")?,
            chapter: f("chapter")?,
            chapter_key: f("chapter_key")?,
            published: f("published")?,
            start_ms: f("start_ms")?,
            end_ms: f("end_ms")?,
            timing: f("timing")?,
        })
    }

    /// The tantivy documents of one episode, one per passage, in order.
    pub fn episode_docs(&self, episode: &Episode) -> Vec<TantivyDocument> {
        let show_key = episode.show.as_deref().map(fold_key);
        let lane = Lane::of(episode.language.as_deref());
        let text = self.lane_text.get(lane).copied().unwrap_or(self.text);
        let grams = self.lane_grams.get(lane).copied().flatten();
        let published = episode
            .published
            .map(|d| i64::from(chrono::Datelike::num_days_from_ce(&d)));
        // Speaker labels repeat on every turn: resolve each one once.
        let mut speakers: HashMap<&str, (String, Vec<String>)> = HashMap::new();
        for label in episode.passages.iter().filter_map(|p| p.speaker.as_deref()) {
            speakers
                .entry(label)
                .or_insert_with(|| speaker_terms(episode, label));
        }
        episode
            .passages
            .iter()
            .enumerate()
            .map(|(ordinal, passage)| {
                let mut doc = TantivyDocument::default();
                doc.add_text(self.passage_id, &passage.passage_id);
                doc.add_text(self.episode_id, &episode.episode_id);
                doc.add_u64(self.ordinal, ordinal as u64);
                doc.add_text(text, &passage.text);
                if let Some(grams) = grams {
                    doc.add_text(grams, &passage.text);
                }
                if let Some(language) = &episode.language {
                    doc.add_text(self.language, language);
                }
                for acronym in acronyms(&passage.text) {
                    doc.add_text(self.acronyms, acronym);
                }
                if let Some((names, keys)) = passage
                    .speaker
                    .as_ref()
                    .and_then(|l| speakers.get(l.as_str()))
                {
                    doc.add_text(self.speaker_text, names);
                    for key in keys {
                        doc.add_text(self.speaker_key, key);
                    }
                }
                if let Some(show) = &show_key {
                    doc.add_text(self.show_key, show);
                }
                if let Some(chapter) = passage.chapter {
                    doc.add_u64(self.chapter, chapter as u64);
                    doc.add_text(self.chapter_key, chapter_key(&episode.episode_id, chapter));
                }
                if let Some(days) = published {
                    doc.add_i64(self.published, days);
                }
                if let Some(ms) = passage.start_seconds {
                    doc.add_u64(self.start_ms, ms);
                }
                if let Some(ms) = passage.end_seconds {
                    doc.add_u64(self.end_ms, ms);
                }
                doc.add_u64(self.timing, timing_code(passage));
                doc
            })
            .collect()
    }
}

/// Registers the analyzer of every text field on an index; needed after
/// every create or open (tantivy does not store analyzers).
pub fn register_analyzers(index: &tantivy::Index) {
    for (at, lane) in LANES.iter().enumerate() {
        index
            .tokenizers()
            .register(lane.analyzer, remembering_lane_analyzer(at));
    }
    for grams in GRAMS_LANES {
        index
            .tokenizers()
            .register(grams.analyzer, grams.analyzer());
    }
}

/// The searchable names (label, name, aliases) and the folded filter keys of a speaker label.
fn speaker_terms(episode: &Episode, label: &str) -> (String, Vec<String>) {
    let mut keys = vec![fold_key(label)];
    let mut names = label.to_string();
    if let Some(p) = episode.speaking_participant(label) {
        for name in std::iter::once(&p.name).chain(p.aliases.iter()) {
            let key = fold_key(name);
            if !keys.contains(&key) {
                keys.push(key);
                names.push_str(" | ");
                names.push_str(name);
            }
        }
    }
    (names, keys)
}

/// The keyword that ties a passage to its chapter.
pub fn chapter_key(episode_id: &str, chapter: usize) -> String {
    format!("{episode_id}\u{1f}{chapter}")
}

fn timing_code(passage: &Passage) -> u64 {
    match passage.timing {
        PassageTiming::Exact => 0,
        PassageTiming::Estimated => 1,
        PassageTiming::None => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word, walked in order: what [`acronyms`] must find.
    fn acronyms_by_every_word(text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for span in crate::text::words::word_spans(text) {
            keep_if_acronym(text.get(span).unwrap_or_default(), &mut out);
        }
        out
    }

    #[test]
    fn acronyms_are_the_words_in_capitals_found_by_walking_every_word() {
        let texts = [
            "L'IA, les GPU et les GAFAM.",
            "ÉTAT, Été, ÇA VA, McDonald et McKINSEY, l'ONU, xIA, IA2, A, ABCDEF, ÀÉÎÕÜ.",
            "«CNIL» (RGPD) — l’UE… 3GPP, GPU3, İSTANBUL, ǅA, ΣΑΣ, НАТО, 東京 AI",
            "",
            "sans capitale du tout, é à ç",
        ];
        for text in texts {
            assert_eq!(acronyms(text), acronyms_by_every_word(text), "{text}");
        }
        assert_eq!(acronyms("L'IA, les GPU et l'IA"), ["ia", "gpu"]);
        // Every cut of a mixed text, so that a word may start or end anywhere.
        let mixed = "Le CNRS et l'INRIA, ÉDF (ÉTÉ) puis McKINSEY à l’ONU: OK?";
        for (i, _) in mixed.char_indices() {
            let text = mixed.get(i..).unwrap_or_default();
            assert_eq!(acronyms(text), acronyms_by_every_word(text), "{text}");
        }
    }
}
