//! `verbatim episodes`: the episodes of the corpus, one line each or as JSON,
//! with the files that could not be loaded on stderr (an error when none
//! could).

use verbatim::{Corpus, CorpusSource};

/// One line of the episode list.
#[derive(Debug, serde::Serialize)]
struct EpisodeLine<'a> {
    episode_id: &'a str,
    title: &'a str,
    show: Option<&'a str>,
    published: Option<chrono::NaiveDate>,
    #[serde(with = "verbatim::model::seconds::option")]
    duration_seconds: Option<verbatim::model::Millis>,
    language: Option<&'a str>,
    format: &'a str,
    path: &'a str,
    participants: Vec<&'a str>,
    chapters: usize,
    passages: usize,
}

/// `verbatim episodes`: one line per episode, or the list as JSON; fails
/// when the corpus holds no transcript.
pub fn run(source: &CorpusSource, json: bool) -> anyhow::Result<String> {
    let corpus = Corpus::load(source)?;
    // When nothing loaded, the error names the skipped files itself.
    super::require_transcripts(source, &corpus)?;
    for p in &corpus.problems {
        eprintln!("verbatim: skipped {}: {}", p.path, p.reason);
    }
    let entries: Vec<EpisodeLine> = corpus
        .headers()
        .iter()
        .map(|h| (h, &h.episode))
        .map(|(h, e)| EpisodeLine {
            episode_id: &e.episode_id,
            title: &e.title,
            show: e.show.as_deref(),
            published: e.published,
            duration_seconds: e.duration_seconds,
            language: e.language.as_deref(),
            format: &e.source.format,
            path: &e.source.path,
            participants: e.participants.iter().map(|p| p.name.as_str()).collect(),
            chapters: e.chapters.len(),
            passages: h.passage_count,
        })
        .collect();
    if json {
        return Ok(serde_json::to_string_pretty(&entries)? + "\n");
    }
    let mut s = String::new();
    for e in &entries {
        let date = e
            .published
            .map_or_else(|| "----------".to_string(), |d| d.to_string());
        s.push_str(&format!(
            "{:<40} {date} {:>4} passages  {}\n",
            e.episode_id, e.passages, e.title
        ));
    }
    Ok(s)
}
