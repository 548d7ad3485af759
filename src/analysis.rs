//! Analysis: pure functions over episodes that add what the files do not
//! say outright (chapter positions, generated chapters, speakers named),
//! and the people of a corpus joined across its episodes. Ingest runs
//! [`enrich`] on every episode it loads.
//!
//! - [`chapters`]: anchor listed chapters in untimed text; generate chapters by lexical cohesion; give every chapter its keywords.
//! - [`episode_words`]: an episode's words, folded and stemmed once, numbered for the analyses.
//! - [`frequency`]: how common a word is in French or English (an embedded background list).
//! - [`names`]: names as speech recognition hears them: phonetic key, similarity, spellings.
//! - [`people`]: one person across episodes; a name, alias or label resolved to them.
//! - [`speakers`]: diarization labels named with evidence; heard spellings of names as aliases.
//! - [`topics`]: what a span is about: names and noun phrases, distinctive there and rare in the language.
//! - [`vocabulary`]: French stemming and the words that never name a chapter.

pub mod chapters;
pub mod episode_words;
pub mod frequency;
pub mod names;
pub mod people;
pub mod speakers;
pub mod topics;
pub mod vocabulary;

use crate::model::Episode;

/// Everything analysis adds to a freshly parsed episode, in order.
pub fn enrich(episode: &mut Episode) {
    enrich_with_lines(episode, &[]);
}

/// [`enrich`], knowing where the source's lines start inside each untimed
/// passage (character offsets, one list per passage, as
/// [`crate::ingest::normalize::build_episode_with_lines`] gives them), so
/// that the times estimated for an untimed episode reach those lines too
/// ([`crate::model::Passage::marks`]).
pub fn enrich_with_lines(episode: &mut Episode, line_starts: &[Vec<u32>]) {
    speakers::resolve(episode);
    // Each passage's words are split, folded and stemmed once, for every
    // stage below (none of them changes a passage's text).
    let words = episode_words::EpisodeWords::of(episode);
    chapters::anchor_listed_chapters(episode, line_starts, &words);
    let terms = topics::EpisodeTerms::new(episode, &words);
    chapters::generate_chapters(episode, &terms, &words);
    chapters::describe_chapters(episode, &terms);
}
