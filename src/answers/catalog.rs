//! The episode catalogue: one-line summaries, filters over metadata, the
//! speakers known to the corpus, and completion of partly typed values.
//!
//! This is what `list_episodes`, completions and every "unknown episode"
//! error are built from; it reads metadata only (full-text search is the
//! index's job).

use crate::corpus::Corpus;
use crate::model::EpisodeHeader;
use crate::model::{EpisodeTiming, Millis};
use crate::text::language::language_code;
use crate::text::{contains_words, fold};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An episode in a list: enough to choose which one to open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EpisodeSummary {
    pub episode_id: String,
    pub uri: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    #[serde(
        with = "crate::model::seconds::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<f64>")]
    pub duration_seconds: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub participants: Vec<String>,
    pub chapter_count: usize,
    pub timing: EpisodeTiming,
    pub has_speaker_turns: bool,
}

impl EpisodeSummary {
    pub fn of(header: &EpisodeHeader) -> Self {
        let episode = &header.episode;
        Self {
            episode_id: episode.episode_id.clone(),
            uri: super::links::episode_uri(&episode.episode_id),
            title: episode.title.clone(),
            show: episode.show.clone(),
            published: episode.published,
            duration_seconds: episode.duration_seconds,
            language: episode.language.clone(),
            participants: episode
                .participants
                .iter()
                .map(|p| format!("{} ({})", p.name, p.role.name()))
                .collect(),
            chapter_count: episode.chapters.len(),
            timing: header.timing,
            has_speaker_turns: header.has_speaker_turns,
        }
    }
}

/// Which episodes to list. Every set field must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EpisodeFilter {
    /// Words that must all occur in the title, show, description or participants.
    pub query: Option<String>,
    /// Words that must all occur in the show name.
    pub show: Option<String>,
    /// A participant (name or alias) or a speaker label of the transcript.
    pub speaker: Option<String>,
    /// A language, as an ISO 639-1 code or as a file writes one (`en-US`, `English`).
    pub language: Option<String>,
    /// Published on or after this date.
    pub published_after: Option<NaiveDate>,
    /// Published on or before this date.
    pub published_before: Option<NaiveDate>,
    /// With a date filter: keep the episodes that have no date too.
    pub include_undated: bool,
}

impl EpisodeFilter {
    pub fn matches(&self, header: &EpisodeHeader) -> bool {
        let episode = &header.episode;
        if let Some(query) = &self.query {
            let mut haystack = vec![episode.title.as_str(), episode.episode_id.as_str()];
            haystack.extend(episode.show.as_deref());
            haystack.extend(episode.description.as_deref());
            for p in &episode.participants {
                haystack.push(&p.name);
                haystack.extend(p.affiliation.as_deref());
            }
            if !contains_words(&haystack.join(" "), query) {
                return false;
            }
        }
        if let Some(show) = &self.show
            && !episode
                .show
                .as_deref()
                .is_some_and(|s| contains_words(s, show))
        {
            return false;
        }
        if let Some(speaker) = &self.speaker
            && !episode_has_speaker(header, speaker)
        {
            return false;
        }
        if let Some(language) = &self.language
            && episode.language.as_deref() != language_code(language).as_deref()
        {
            return false;
        }
        episode.published_within(
            self.published_after,
            self.published_before,
            self.include_undated,
        )
    }

    /// How many episodes pass every filter but the dates only because they
    /// have no date (left out unless `include_undated`).
    pub fn undated_left_out(&self, corpus: &Corpus) -> usize {
        if self.include_undated
            || (self.published_after.is_none() && self.published_before.is_none())
        {
            return 0;
        }
        let undated = EpisodeFilter {
            include_undated: true,
            ..self.clone()
        };
        corpus
            .headers()
            .iter()
            .filter(|h| h.episode.published.is_none() && undated.matches(h))
            .count()
    }
}

/// The episodes matching `filter`, newest first (undated last, then by id).
pub fn filter_episodes<'a>(corpus: &'a Corpus, filter: &EpisodeFilter) -> Vec<&'a EpisodeHeader> {
    let mut found: Vec<&EpisodeHeader> = corpus
        .headers()
        .iter()
        .filter(|e| filter.matches(e))
        .collect();
    found.sort_by(|a, b| {
        b.episode
            .published
            .cmp(&a.episode.published)
            .then_with(|| a.id().cmp(b.id()))
    });
    found
}

/// Whether `speaker` (name, alias or label, loosely spelled) speaks in or is credited on the episode.
pub fn episode_has_speaker(header: &EpisodeHeader, speaker: &str) -> bool {
    let wanted = fold(speaker.trim());
    if wanted.is_empty() {
        return true;
    }
    let credited =
        header.episode.participants.iter().any(|p| {
            contains_words(&p.name, speaker) || p.aliases.iter().any(|a| fold(a) == wanted)
        });
    credited || header.speakers.iter().any(|s| fold(s) == wanted)
}

/// Every speaker name the corpus knows: participants first, then transcript
/// labels no participant claims (an unresolved `SPEAKER_02`), sorted, unique.
pub fn speaker_names(corpus: &Corpus) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for header in corpus.headers() {
        let episode = &header.episode;
        for p in &episode.participants {
            names.push(p.name.clone());
        }
        for label in &header.speakers {
            let claimed = episode.participants.iter().any(|p| {
                fold(&p.name) == fold(label) || p.aliases.iter().any(|a| fold(a) == fold(label))
            });
            if !claimed {
                names.push(label.to_string());
            }
        }
    }
    names.sort_by_key(|n| fold(n));
    names.dedup_by(|a, b| fold(a) == fold(b));
    names
}

/// Candidates for completing a partly typed value: those whose folded form
/// starts with the folded prefix, then those containing it elsewhere.
pub fn complete<'a>(prefix: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let prefix = fold(prefix.trim());
    let (mut starts, mut contains): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for candidate in candidates {
        let folded = fold(candidate);
        if folded.starts_with(&prefix) {
            starts.push(candidate.to_string());
        } else if folded.contains(&prefix) {
            contains.push(candidate.to_string());
        }
    }
    starts.extend(contains);
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixture_corpus, fixture_episode};

    #[test]
    fn filters_combine() {
        let corpus = fixture_corpus();
        let ids = |f: EpisodeFilter| -> Vec<String> {
            filter_episodes(&corpus, &f)
                .iter()
                .map(|e| e.id().to_string())
                .collect()
        };
        let date = NaiveDate::from_ymd_opt(2025, 2, 1);
        let filter = |change: fn(&mut EpisodeFilter, Option<NaiveDate>)| {
            let mut f = EpisodeFilter::default();
            change(&mut f, date);
            f
        };
        let cases: [(EpisodeFilter, &[&str]); 7] = [
            (EpisodeFilter::default(), &["ep-b", "ep-a", "ep-c"]),
            (
                filter(|f, _| f.query = Some("ELECTRIQUE".into())),
                &["ep-a"],
            ),
            (
                filter(|f, _| f.show = Some("tech".into())),
                &["ep-b", "ep-a"],
            ),
            (filter(|f, _| f.speaker = Some("zoe".into())), &["ep-b"]),
            (
                filter(|f, _| f.speaker = Some("SPEAKER_01".into())),
                &["ep-c"],
            ),
            (filter(|f, d| f.published_after = d), &["ep-b"]),
            (filter(|f, d| f.published_before = d), &["ep-a"]),
        ];
        for (f, expected) in cases {
            assert_eq!(ids(f.clone()), expected, "{f:?}");
        }
    }

    #[test]
    fn summary_counts() {
        let s = EpisodeSummary::of(&EpisodeHeader::of(&fixture_episode("ep-a")));
        assert_eq!(s.chapter_count, 2);
        assert!(s.timing == EpisodeTiming::Exact && s.has_speaker_turns);
        assert_eq!(
            s.participants,
            vec!["Alice Martin (host)", "Élodie Durand (guest)"]
        );
        assert_eq!(s.uri, "verbatim://episodes/ep-a");
    }

    #[test]
    fn speakers_and_completion() {
        let corpus = fixture_corpus();
        let names = speaker_names(&corpus);
        assert!(names.contains(&"SPEAKER_01".to_string()), "{names:?}");
        assert!(names.contains(&"Élodie Durand".to_string()));
        assert_eq!(
            complete("elo", names.iter().map(String::as_str)),
            vec!["Élodie Durand"]
        );
        assert_eq!(
            complete("dur", names.iter().map(String::as_str)),
            vec!["Élodie Durand"]
        );
    }
}
