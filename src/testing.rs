//! Test fixtures, shared by the unit tests, the integration tests and the
//! fuzz harness (which cannot see `#[cfg(test)]` code): the fixture episodes
//! of `tests/fixtures/episodes.json`, and [`EpisodeBuilder`] for an episode
//! holding just what one test needs. Not part of the stable API.

use crate::corpus::Corpus;
use crate::model::{
    Chapter, ChapterTiming, Episode, Millis, Participant, Passage, PassageTiming, Role, Source,
};

/// The fixture: `ep-a` (timed, two chapters, a YouTube url), `ep-b` (timed,
/// one chapter), `ep-c` (untimed, unresolved `SPEAKER_01`/`SPEAKER_02`, no chapters).
pub fn fixture_episodes() -> Vec<Episode> {
    // The fixture is compiled in: a parse failure is a broken build, caught by every test.
    #[allow(clippy::expect_used)]
    serde_json::from_str(include_str!("../tests/fixtures/episodes.json"))
        .expect("tests/fixtures/episodes.json is a list of episodes")
}

/// The fixture episodes as an in-memory corpus.
pub fn fixture_corpus() -> Corpus {
    Corpus::from_episodes(fixture_episodes())
}

/// The fixture episode `id` (`ep-a`, `ep-b` or `ep-c`).
pub fn fixture_episode(id: &str) -> Episode {
    #[allow(clippy::expect_used)]
    fixture_episodes()
        .into_iter()
        .find(|e| e.episode_id == id)
        .expect("a fixture episode id")
}

/// An episode built field by field: everything not set is empty, the
/// source is `{id}.txt`, and each passage gets the id ingest would give it.
#[derive(Debug, Clone)]
pub struct EpisodeBuilder {
    episode: Episode,
}

impl EpisodeBuilder {
    /// An episode `id` titled `id`, with nothing else.
    pub fn new(id: &str) -> Self {
        Self {
            episode: Episode {
                episode_id: id.to_string(),
                title: id.to_string(),
                show: None,
                published: None,
                recorded: None,
                duration_seconds: None,
                description: None,
                url: None,
                language: None,
                source: Source {
                    path: format!("{id}.txt"),
                    format: "test".to_string(),
                    sha256: String::new(),
                },
                participants: Vec::new(),
                speaker_map: Vec::new(),
                chapters: Vec::new(),
                passages: Vec::new(),
                diagnostics: Vec::new(),
            },
        }
    }

    /// Goes on building from an existing episode.
    pub fn of(episode: Episode) -> Self {
        Self { episode }
    }

    pub fn title(mut self, title: &str) -> Self {
        self.episode.title = title.to_string();
        self
    }

    pub fn show(mut self, show: &str) -> Self {
        self.episode.show = Some(show.to_string());
        self
    }

    /// Publication date; `None` unless `year-month-day` is a real date.
    pub fn published(mut self, year: i32, month: u32, day: u32) -> Self {
        self.episode.published = chrono::NaiveDate::from_ymd_opt(year, month, day);
        self
    }

    pub fn url(mut self, url: &str) -> Self {
        self.episode.url = Some(url.to_string());
        self
    }

    pub fn description(mut self, description: &str) -> Self {
        self.episode.description = Some(description.to_string());
        self
    }

    pub fn language(mut self, language: &str) -> Self {
        self.episode.language = Some(language.to_string());
        self
    }

    /// A participant with no affiliation, handle or alias.
    pub fn participant(self, name: &str, role: Role) -> Self {
        self.participant_with(name, role, &[])
    }

    /// A participant known by other spellings too.
    pub fn participant_with(mut self, name: &str, role: Role, aliases: &[&str]) -> Self {
        self.episode.participants.push(Participant {
            name: name.to_string(),
            role,
            affiliation: None,
            handle: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        });
        self
    }

    /// A chapter from `start` to `end` (milliseconds), given by the source.
    pub fn chapter(mut self, title: &str, start: Option<Millis>, end: Option<Millis>) -> Self {
        let index = self.episode.chapters.len();
        self.episode.chapters.push(Chapter {
            index,
            title: title.to_string(),
            start_seconds: start,
            end_seconds: end,
            timing: ChapterTiming::Exact,
            links: Vec::new(),
            keywords: Vec::new(),
        });
        self
    }

    /// An untimed passage of `speaker` (none when the source does not say),
    /// in no chapter, with the id ingest would give it.
    pub fn said(mut self, speaker: Option<&str>, text: &str) -> Self {
        let ordinal = self.episode.passages.len();
        self.episode.passages.push(Passage {
            passage_id: crate::ingest::normalize::passage_id(
                &self.episode.episode_id,
                ordinal,
                text,
            ),
            start_seconds: None,
            end_seconds: None,
            timing: PassageTiming::None,
            speaker: speaker.map(str::to_string),
            text: text.to_string(),
            chapter: None,
            marks: Vec::new(),
        });
        self
    }

    /// Marks inside the last passage: `(character offset, milliseconds)`
    /// pairs, as ingest gives them ([`Passage::marks`]).
    pub fn marks(mut self, marks: &[(u32, Millis)]) -> Self {
        if let Some(p) = self.episode.passages.last_mut() {
            p.marks = marks.iter().map(|&m| m.into()).collect();
        }
        self
    }

    /// Times the last passage exactly, from `start` to `end` (milliseconds).
    pub fn at(mut self, start: Millis, end: Millis) -> Self {
        if let Some(p) = self.episode.passages.last_mut() {
            p.start_seconds = Some(start);
            p.end_seconds = Some(end);
            p.timing = PassageTiming::Exact;
        }
        self
    }

    /// Puts the last passage in chapter `index`.
    pub fn in_chapter(mut self, index: usize) -> Self {
        if let Some(p) = self.episode.passages.last_mut() {
            p.chapter = Some(index);
        }
        self
    }

    pub fn build(self) -> Episode {
        self.episode
    }
}
