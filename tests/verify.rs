//! Quote verification on the seed corpus with the real index: the
//! transcript's words are exact (even typed without accents or punctuation),
//! a paraphrase is close, a sentence made of corpus words that nobody said is
//! not said.

use std::sync::OnceLock;
use verbatim::Snapshot;
use verbatim::answers::verify::{Verdict, VerifyError, verify_quote};
use verbatim::index::IndexOptions;
use verbatim::ingest::CorpusSource;
use verbatim::ingest::SourceFiles;

fn index() -> &'static Snapshot {
    static INDEX: OnceLock<Snapshot> = OnceLock::new();
    INDEX.get_or_init(|| {
        let options = IndexOptions {
            in_memory: true,
            writer_memory: 50_000_000,
            ..IndexOptions::default()
        };
        Snapshot::open(&SourceFiles::new(CorpusSource::Embedded), &options)
            .unwrap()
            .0
    })
}

fn check(quote: &str) -> verbatim::answers::verify::Verification {
    let index = index();
    verify_quote(&index.corpus, &index.index, quote, None).unwrap()
}

#[test]
fn the_transcripts_words_are_exact_without_accents_or_punctuation() {
    let v = check("on ne s'est meme pas pose la question en realite");
    assert_eq!(v.verdict, Verdict::Exact, "{v:?}");
    assert_eq!(v.similarity, 1.0);
    let m = v.best_match.unwrap();
    assert_eq!(
        m.origin.episode.episode_id,
        "interview-arthur-mensch-mistral"
    );
    assert_eq!(m.origin.said.speaker.as_deref(), Some("Arthur Mensch"));
    // The excerpt is the transcript's own spelling, ready to quote.
    assert_eq!(
        m.excerpt,
        "On ne s'est même pas posé la question en réalité"
    );
    assert!(
        m.citation
            .starts_with("«On ne s'est même pas posé la question en réalité» — Arthur Mensch")
    );
}

#[test]
fn a_quote_across_two_passages_is_exact() {
    let index = index();
    let episode = index
        .corpus
        .episode("interview-arthur-mensch-mistral")
        .unwrap();
    // The last words of one passage and the first of the next.
    let (a, b) = (&episode.passages[158].text, &episode.passages[159].text);
    let tail: Vec<&str> = a
        .split_whitespace()
        .rev()
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let head: Vec<&str> = b.split_whitespace().take(5).collect();
    let quote = format!("{} {}", tail.join(" "), head.join(" "));
    let v = check(&quote);
    assert_eq!(v.verdict, Verdict::Exact, "{quote}: {v:?}");
}

#[test]
fn a_paraphrase_is_close_and_points_to_the_real_words() {
    let v = check(
        "En réalité on ne s'est jamais posé la question, on n'avait aucune envie de quitter Paris",
    );
    assert_eq!(v.verdict, Verdict::Close, "{v:?}");
    assert!(v.similarity >= 0.6 && v.similarity < 1.0);
    let m = v.best_match.unwrap();
    assert!(
        m.text.contains("aucune envie de partir de Paris"),
        "{}",
        m.text
    );
}

#[test]
fn fabricated_sentences_made_of_corpus_words_are_not_said() {
    for quote in [
        "Arthur Mensch a dit que Mistral allait racheter Google pour six milliards d'euros",
        "Jean-Baptiste Kempf pense que VLC doit quitter la France pour aller aux États-Unis",
        "Horacio Gonzalez explique que PostgreSQL a corrompu toutes les données de Clever Cloud",
    ] {
        let v = check(quote);
        assert_eq!(v.verdict, Verdict::NotSaid, "{quote}: {v:?}");
        assert!(v.similarity < 0.6);
    }
}

#[test]
fn bad_requests_are_clear_errors() {
    let index = index();
    assert!(matches!(
        verify_quote(&index.corpus, &index.index, "  ?! ", None),
        Err(VerifyError::EmptyQuote)
    ));
    let long = "mot ".repeat(2_000);
    assert!(matches!(
        verify_quote(&index.corpus, &index.index, &long, None),
        Err(VerifyError::TooLong(_))
    ));
    match verify_quote(
        &index.corpus,
        &index.index,
        "bonjour",
        Some("interview-mensch"),
    ) {
        Err(VerifyError::UnknownEpisode { closest, .. }) => {
            assert_eq!(closest[0], "interview-arthur-mensch-mistral")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_quote_at_the_size_limit_in_a_long_episode_is_checked_in_bounded_time() {
    let index = index();
    // Real transcript words (so every passage is a candidate worth scoring), at the length limit.
    let episodes = index.corpus.to_episodes().unwrap();
    let episode = episodes.iter().max_by_key(|e| e.passages.len()).unwrap();
    let text: String = episode
        .passages
        .iter()
        .rev()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let quote: String = text
        .chars()
        .take(verbatim::answers::verify::MAX_QUOTE_CHARS)
        .collect();
    let started = std::time::Instant::now();
    let v = verify_quote(
        &index.corpus,
        &index.index,
        &quote,
        Some(&episode.episode_id),
    )
    .unwrap();
    let elapsed = started.elapsed();
    // A hang check, not a timing test: the close-match comparison has a 2 s budget.
    assert!(
        elapsed < std::time::Duration::from_secs(8),
        "took {elapsed:?}"
    );
    assert!(!v.explanation.is_empty());
    // The same length in the transcript's own order is exact, found even past the budget.
    let in_order: String = text_in_order(episode)
        .chars()
        .take(verbatim::answers::verify::MAX_QUOTE_CHARS)
        .collect();
    let in_order = in_order
        .rsplit_once(' ')
        .map_or(in_order.as_str(), |(a, _)| a);
    let started = std::time::Instant::now();
    let v = verify_quote(
        &index.corpus,
        &index.index,
        in_order,
        Some(&episode.episode_id),
    )
    .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    assert_eq!(v.verdict, Verdict::Exact, "{}", v.explanation);
}

fn text_in_order(episode: &verbatim::model::Episode) -> String {
    episode
        .passages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
