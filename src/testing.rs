//! Hand-built episodes for unit tests (the same fixture the integration tests read).

use crate::corpus::Corpus;
use crate::model::Episode;

/// The fixture: `ep-a` (timed, two chapters, a YouTube url), `ep-b` (timed,
/// one chapter), `ep-c` (untimed, unresolved `SPEAKER_01`/`SPEAKER_02`, no chapters).
pub fn episodes() -> Vec<Episode> {
    serde_json::from_str(include_str!("../tests/fixtures/episodes.json")).unwrap()
}

pub fn corpus() -> Corpus {
    Corpus::from_episodes(episodes())
}

pub fn episode(id: &str) -> Episode {
    episodes().into_iter().find(|e| e.episode_id == id).unwrap()
}
