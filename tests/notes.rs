//! Honest notes on the seed corpus: what a filter or a query could not do,
//! said in the answer rather than left as an empty or unrelated page.

use crate::snapshots::seeds;
use verbatim::answers::catalog::{EpisodeFilter, filter_episodes};
use verbatim::index::{SearchRequest, SearchResults};
use verbatim::model::EpisodeTiming;

fn search(request: SearchRequest) -> SearchResults {
    seeds().search(&request).unwrap()
}

fn query(q: &str) -> SearchRequest {
    SearchRequest {
        query: q.into(),
        limit: 5,
        ..SearchRequest::default()
    }
}

#[test]
fn a_participant_without_speaker_turns_is_explained() {
    // Jean-Baptiste Kempf is a guest of SMART TECH, whose captions do not say who speaks.
    let r = search(SearchRequest {
        speaker: Some("Jean-Baptiste Kempf".into()),
        ..query("logiciel libre")
    });
    assert_eq!(r.total_hits, 0);
    let note = r.notes.join(" ");
    assert!(
        note.contains("smarttech-elon-musk-ia") && note.contains("does not say who speaks"),
        "{note}"
    );
    // Someone the corpus does not know is still "no speaker matches".
    let r = search(SearchRequest {
        speaker: Some("Zorglub".into()),
        ..query("logiciel libre")
    });
    assert!(
        r.notes.iter().any(|n| n.contains("no speaker matches")),
        "{:?}",
        r.notes
    );
}

#[test]
fn an_english_query_over_french_transcripts_says_so() {
    let r = search(query(
        "what did they say about the regulation of artificial intelligence",
    ));
    assert!(
        r.notes.iter().any(|n| n.contains("French (fr)")),
        "{:?}",
        r.notes
    );
    // A French query that finds its words gets no such note.
    let r = search(query("intelligence artificielle"));
    assert!(
        r.notes.iter().all(|n| !n.contains("French")),
        "{:?}",
        r.notes
    );
}

#[test]
fn date_filters_count_the_undated_episodes_they_leave_out() {
    // The Mistral interview has no date.
    let dated = SearchRequest {
        published_after: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
        ..query("Mistral")
    };
    let r = search(dated.clone());
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("1 episode(s) have no publication date")),
        "{:?}",
        r.notes
    );
    assert!(
        r.hits
            .iter()
            .all(|h| h.origin.episode.episode_id != "interview-arthur-mensch-mistral")
    );
    let kept = search(SearchRequest {
        include_undated: true,
        ..dated
    });
    assert!(
        kept.hits
            .iter()
            .any(|h| h.origin.episode.episode_id == "interview-arthur-mensch-mistral")
    );
    // The catalog's README example: "mistral" after 2024 finds the interview only with undated episodes.
    let filter = EpisodeFilter {
        query: Some("mistral".into()),
        published_after: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
        ..EpisodeFilter::default()
    };
    assert!(filter_episodes(&seeds().corpus, &filter).is_empty());
    assert_eq!(filter.undated_left_out(&seeds().corpus), 1);
    let with_undated = EpisodeFilter {
        include_undated: true,
        ..filter
    };
    assert_eq!(filter_episodes(&seeds().corpus, &with_undated).len(), 1);
}

#[test]
fn an_episode_is_named_by_how_its_passages_are_timed() {
    let timing = |id: &str| seeds().corpus.header(id).unwrap().timing;
    // Caption lines: most times read from the page, some interpolated inside long lines.
    assert_eq!(timing("smarttech-elon-musk-ia"), EpisodeTiming::Mixed);
    // A page without times or chapters.
    assert_eq!(timing("mac-127-troisieme-voie-tech"), EpisodeTiming::None);
    // A podcast page with a chapter list: every time interpolated.
    assert_eq!(
        timing("mac-138-chatbots-lupus-bdd"),
        EpisodeTiming::Estimated
    );
    // The Markdown resource says so rather than "no timestamps".
    let episode = seeds()
        .corpus
        .episode("mac-138-chatbots-lupus-bdd")
        .unwrap();
    let md = verbatim::answers::reading::episode_markdown(&episode);
    assert!(
        md.contains("- Timing: estimated"),
        "{}",
        &md[..600.min(md.len())]
    );
    assert!(!md.contains("no timestamps"));
}
