//! Quote verification on the seed corpus with the real index: the
//! transcript's words are exact (even typed without accents or punctuation),
//! a slightly different wording is close, a changed claim is altered, and a
//! reworded sentence or one made of corpus words that nobody said is not
//! said.

use crate::snapshots::seeds;
use verbatim::Snapshot;
use verbatim::answers::verify::claims::ChangeKind;
use verbatim::answers::verify::{AttributionVerdict, Verdict, VerifyError, verify_quote};
use verbatim::index::IndexOptions;

fn check(quote: &str) -> verbatim::answers::verify::Verification {
    let index = seeds();
    verify_quote(&index.corpus, &index.index, quote, None).unwrap()
}

#[test]
fn the_transcripts_words_are_exact_without_accents_or_punctuation() {
    let v = check("on ne s'est meme pas pose la question en realite");
    assert_eq!(v.verdict, Verdict::Exact, "{v:?}");
    assert_eq!(v.similarity, 1.0);
    let m = v.best_match.unwrap();
    assert_eq!(m.episode_id, "interview-arthur-mensch-mistral");
    assert_eq!(m.speaker.as_deref(), Some("Arthur Mensch"));
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
    let index = seeds();
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
    // Typed without the full stop between them, the words are still said word for word.
    let bare: String = quote
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '\'')
        .collect();
    let v = check(&bare);
    assert_eq!(v.verdict, Verdict::Exact, "{bare}: {v:?}");
}

#[test]
fn a_slightly_different_wording_is_close_and_points_to_the_real_words() {
    // Said: "Moi, je n'avais aucune envie de partir de Paris." A filler, a
    // misheard word and a dropped small word do not change the statement.
    let v = check("moi euh je n'avais vraiment aucune envie de partir Paris");
    assert_eq!(v.verdict, Verdict::Close, "{v:?}");
    assert!(v.similarity >= 0.6 && v.similarity < 1.0);
    let m = v.best_match.unwrap();
    assert_eq!(
        m.excerpt, "Moi, je n'avais aucune envie de partir de Paris.",
        "the whole sentence as said"
    );
}

#[test]
fn a_reworded_sentence_is_not_a_quote() {
    // Issue 12 made `close` mean the same words give or take a few: this
    // rewording (moved words, "jamais" for "même pas", "quitter" for
    // "partir de") was `close` before; now it is not a quote, and the nearest
    // words show what was really said.
    let v = check(
        "En réalité on ne s'est jamais posé la question, on n'avait aucune envie de quitter Paris",
    );
    assert_eq!(v.verdict, Verdict::NotSaid, "{v:?}");
    assert!(v.best_match.is_none());
    let nearest = v.nearest.unwrap();
    assert!(
        nearest.words.contains("aucune envie de partir de Paris"),
        "{}",
        nearest.words
    );
}

#[test]
fn corpus_words_scattered_over_a_passage_are_not_close() {
    // Each word is in one sentence of the transcript ("Donc, on voit beaucoup
    // de ça, c'est qu'on allait être progressif."-like stretches), but not as
    // one statement: a quote gathered from them is not said.
    for quote in [
        // "Moi, je n'avais aucune envie de partir de Paris. Ma compagne est fonctionnaire"
        "Moi, ma compagne n'avait aucune envie de Paris",
        // "Timothée, il n'avait aucune envie de partir de France aussi, et Guillaume non plus."
        "Timothée et Guillaume avaient envie de France",
    ] {
        let v = check(quote);
        assert!(
            matches!(v.verdict, Verdict::NotSaid | Verdict::Altered),
            "{quote}: {v:?}"
        );
        assert_ne!(v.verdict, Verdict::Close, "{quote}: {v:?}");
    }
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
    let index = seeds();
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
    let index = seeds();
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

/// Every sentence of three words or more of the five transcripts, quoted as
/// written and again without accents or punctuation, is found `exact` in a
/// passage that says those words: the candidate search cannot miss one,
/// however short it is and however many passages share its words.
#[test]
fn every_sentence_of_the_corpus_verifies_exact() {
    use verbatim::text::sentences::sentences;
    use verbatim::text::words;
    let index = seeds();
    let folded =
        |text: &str| -> Vec<String> { words(text).into_iter().map(|w| w.folded).collect() };
    let mut checked = 0;
    let mut failures = Vec::new();
    for episode in index.corpus.to_episodes().unwrap() {
        for passage in &episode.passages {
            for sentence in sentences(&passage.text) {
                let wanted = folded(sentence);
                if wanted.len() < 3 {
                    continue;
                }
                for quote in [sentence.to_string(), wanted.join(" ")] {
                    checked += 1;
                    let v = verify_quote(&index.corpus, &index.index, &quote, None).unwrap();
                    let said = v.best_match.as_ref().map(|m| folded(&m.excerpt));
                    if v.verdict != Verdict::Exact || said.as_ref() != Some(&wanted) {
                        failures.push(format!(
                            "{} {quote:?}: {:?} {:?}",
                            episode.episode_id, v.verdict, said
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 3_000, "{checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked} not exact:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A quote checked on the seed corpus, with a speaker it is attributed to.
fn check_as(quote: &str, speaker: &str) -> verbatim::answers::verify::Verification {
    let index = seeds();
    let check = verbatim::answers::verify::QuoteCheck {
        quote,
        episode_id: None,
        speaker: Some(speaker),
    };
    verbatim::answers::verify::verify(&index.corpus, &index.index, check).unwrap()
}

/// The kinds of change an altered quote is reported with.
fn kinds(v: &verbatim::answers::verify::Verification) -> Vec<ChangeKind> {
    v.changes.iter().map(|c| c.kind).collect()
}

#[test]
fn a_changed_number_is_altered_never_close() {
    for (quote, ours, theirs) in [
        (
            "lever plus de dix milliards d'euros",
            "dix milliards d'euros",
            "un milliard d'euros",
        ),
        (
            "lever plus de 2 milliards d'euros",
            "2 milliards d'euros",
            "un milliard d'euros",
        ),
        (
            "une entreprise valorisée 60 milliards d'euros",
            "60 milliards d'euros",
            "6 milliards d'euros",
        ),
    ] {
        let v = check(quote);
        assert_eq!(v.verdict, Verdict::Altered, "{quote}: {v:?}");
        let change = v.changes.first().unwrap();
        assert_eq!(
            (
                change.kind,
                change.quote.as_str(),
                change.transcript.as_str()
            ),
            (ChangeKind::Number, ours, theirs),
            "{quote}"
        );
        assert!(v.explanation.contains("Do not present it as a quote"));
    }
    // The same number written in words and in digits is the same claim.
    let v = check("une entreprise valorisée six milliards d'euros");
    assert_eq!(v.verdict, Verdict::Close, "{v:?}");
}

#[test]
fn an_added_or_dropped_negation_is_altered() {
    for (said, changed) in [
        (
            "je crois qu'on ne s'est jamais posé la question",
            "je crois qu'on s'est posé la question",
        ),
        (
            "Il n'y avait personne pour nous dire",
            "Il y avait quelqu'un pour nous dire",
        ),
        (
            "Moi, je n'avais aucune envie de partir de Paris.",
            "Moi, j'avais envie de partir de Paris.",
        ),
        (
            "À trois, tu n'as pas beaucoup de levier.",
            "À trois, tu as beaucoup de levier.",
        ),
        (
            "Ou avec, pour la plupart du temps, rien du tout.",
            "Ou avec, pour la plupart du temps, tout.",
        ),
        // A lone "ne" denies too.
        (
            "Et je pense qu'il y a beaucoup de gens très très tristes.",
            "Et je pense qu'il n'y a beaucoup de gens très très tristes.",
        ),
    ] {
        assert_eq!(check(said).verdict, Verdict::Exact, "{said}");
        let v = check(changed);
        assert_eq!(v.verdict, Verdict::Altered, "{changed}: {v:?}");
        assert!(
            kinds(&v).contains(&ChangeKind::Negation),
            "{changed}: {v:?}"
        );
    }
    // Dropping the "ne" that speech drops anyway changes nothing.
    let v = check("À trois, tu as pas beaucoup de levier.");
    assert_ne!(v.verdict, Verdict::Altered, "{v:?}");
}

#[test]
fn a_swapped_name_is_altered_a_misheard_one_is_not() {
    let v = check(
        "on reçoit une légende de la tech française, Quentin Adam, cofondateur de Mistral AI",
    );
    assert_eq!(v.verdict, Verdict::Altered, "{v:?}");
    let change = v.changes.first().unwrap();
    assert_eq!(change.kind, ChangeKind::Name);
    assert_eq!(change.quote, "Quentin Adam");
    // The transcript says "Arthur Mench": the right spelling of his name is the same person.
    let v = check(
        "on reçoit une légende de la tech française, Arthur Mensch, cofondateur de Mistral AI",
    );
    assert_eq!(v.verdict, Verdict::Close, "{v:?}");
}

#[test]
fn a_replaced_word_is_altered_an_added_or_dropped_one_is_not() {
    // Said: "Non, notre souveraineté technologique, c'est un drame.", "Tu te
    // dis la souveraineté technologique française va très bien." and "la
    // seule entreprise d'Europe capable de tenir tête à OpenAI". Each word
    // below is put where the transcript says another: a reversal reads like
    // a synonym to a word count, so neither is `close`.
    for (quote, ours, theirs) in [
        (
            "Non, notre souveraineté technologique, c'est une réussite.",
            "une réussite",
            "un drame",
        ),
        (
            "Oui, notre souveraineté technologique, c'est un drame.",
            "Oui",
            "Non",
        ),
        (
            "Tu te dis la souveraineté technologique française va très mal.",
            "mal",
            "bien",
        ),
        (
            "la seule entreprise d'Europe incapable de tenir tête à OpenAI",
            "incapable",
            "capable",
        ),
        (
            "la seule entreprise américaine capable de tenir tête à OpenAI",
            "américaine",
            "d'Europe",
        ),
    ] {
        let v = check(quote);
        assert_eq!(v.verdict, Verdict::Altered, "{quote}: {v:?}");
        let change = v
            .changes
            .iter()
            .find(|c| c.kind == ChangeKind::Wording)
            .unwrap_or_else(|| panic!("{quote}: {v:?}"));
        assert_eq!(
            (change.quote.as_str(), change.transcript.as_str()),
            (ours, theirs),
            "{quote}"
        );
        assert!(v.explanation.contains("a word is replaced"), "{v:?}");
    }
    // A word added where the transcript has none, a small word left out, a
    // filler or an inflection change no claim.
    for quote in [
        "Non, notre souveraineté technologique, c'est vraiment un drame.",
        "Non, notre souveraineté technologique, euh, c'est un drame.",
        "Tu te dis la souveraineté technologique française va bien.",
        "la seule entreprise d'Europe capable de tenir tête à OpenAI et aux GAFAMs",
    ] {
        let v = check(quote);
        assert_eq!(v.verdict, Verdict::Close, "{quote}: {v:?}");
    }
}

#[test]
fn a_question_made_a_statement_is_altered() {
    let v = check("C'est-à-dire qu'il n'y a pas une seule ligne de code, en fait.");
    assert_eq!(v.verdict, Verdict::Altered, "{v:?}");
    assert_eq!(kinds(&v), vec![ChangeKind::Question]);
    let v = check("Vous avez chacun une spécialité ?");
    assert_eq!(v.verdict, Verdict::Exact, "{v:?}");
    let v = check("Vous avez chacun une spécialité.");
    assert_eq!(v.verdict, Verdict::Altered, "{v:?}");
    // No final mark is no claim either way.
    let v = check("Vous avez chacun une spécialité");
    assert_eq!(v.verdict, Verdict::Exact, "{v:?}");
}

#[test]
fn words_of_two_speakers_or_two_places_are_a_splice() {
    let index = seeds();
    let episode = index
        .corpus
        .episode("interview-arthur-mensch-mistral")
        .unwrap();
    // The last words of one speaker and the first of the next, as one quote.
    let turn = episode
        .passages
        .windows(2)
        .find(|w| {
            w[0].speaker.is_some()
                && w[1].speaker.is_some()
                && w[0].speaker != w[1].speaker
                && w[0].text.split_whitespace().count() > 6
                && w[1].text.split_whitespace().count() > 6
        })
        .unwrap();
    let tail: Vec<&str> = turn[0].text.split_whitespace().rev().take(4).collect();
    let head: Vec<&str> = turn[1].text.split_whitespace().take(4).collect();
    let quote = format!(
        "{} {}",
        tail.into_iter().rev().collect::<Vec<_>>().join(" "),
        head.join(" ")
    );
    let v = check(&quote);
    assert_eq!(v.verdict, Verdict::Altered, "{quote}: {v:?}");
    assert!(kinds(&v).contains(&ChangeKind::Splice), "{v:?}");
    // The start of one sentence and the end of another, far apart in the same turn.
    let v = check("Moi, je n'avais aucune envie de partir de Paris et Guillaume non plus.");
    assert_ne!(v.verdict, Verdict::Exact, "{v:?}");
    assert_ne!(v.verdict, Verdict::Close, "{v:?}");
}

#[test]
fn close_and_altered_excerpts_are_whole_sentences() {
    for quote in [
        "lever plus de dix milliards d'euros",
        "Je pense que ça bénéficie à tout le monde",
        "je crois qu'on s'est posé la question",
    ] {
        let v = check(quote);
        let excerpt = v.best_match.as_ref().unwrap().excerpt.as_str();
        if v.verdict == Verdict::Exact {
            continue;
        }
        let first = excerpt.chars().next().unwrap();
        assert!(
            first.is_uppercase() || !first.is_alphabetic(),
            "{quote}: starts mid-sentence: {excerpt}"
        );
        assert!(
            excerpt.trim_end().ends_with(['.', '?', '!', '…']),
            "{quote}: ends mid-sentence: {excerpt}"
        );
    }
}

#[test]
fn not_said_has_no_match_only_the_nearest_words() {
    let v = check("Les licornes violettes ont voté hier soir pour interdire le fromage lunaire.");
    assert_eq!(v.verdict, Verdict::NotSaid);
    assert!(v.best_match.is_none());
    let json = serde_json::to_value(&v).unwrap();
    assert!(json.get("match").is_none(), "{json}");
    if let Some(nearest) = json.get("nearest") {
        assert!(nearest.get("citation").is_none() && nearest["words"].is_string());
    }
}

#[test]
fn attribution_comes_from_speaker_turns_only() {
    // Arthur Mensch's own turn.
    let v = check_as(
        "On ne s'est même pas posé la question en réalité",
        "Arthur Mensch",
    );
    assert_eq!(v.verdict, Verdict::Exact);
    let a = v.attribution.unwrap();
    assert_eq!(a.verdict, AttributionVerdict::Confirmed);
    assert_eq!(a.said_by.as_deref(), Some("Arthur Mensch"));
    // Said by the host, not by the guest he introduces.
    let v = check_as(
        "on reçoit une légende de la tech française",
        "Arthur Mensch",
    );
    let a = v.attribution.unwrap();
    assert_eq!(a.verdict, AttributionVerdict::OtherSpeaker);
    assert_eq!(a.said_by.as_deref(), Some("SPEAKER_02"));
    // An episode without speaker turns cannot confirm anyone, participant or not.
    let v = check_as(
        "Et Elon Musk ne pourrait pas s'en servir ?",
        "Jean-Baptiste Kempf",
    );
    assert_eq!(v.verdict, Verdict::Exact);
    let a = v.attribution.unwrap();
    assert_eq!(a.verdict, AttributionVerdict::Unknown);
    assert_eq!(a.participant, Some(true));
    assert!(a.said_by.is_none());
    let v = check_as("Et Elon Musk ne pourrait pas s'en servir ?", "Elon Musk");
    assert_eq!(v.attribution.unwrap().participant, Some(false));
    // A name given by alias or by part of the name finds the same person.
    let v = check_as("On ne s'est même pas posé la question en réalité", "Mensch");
    assert_eq!(
        v.attribution.unwrap().verdict,
        AttributionVerdict::Confirmed
    );
}

/// The same rules in English: negations, numbers by value (words or
/// digits), names, on a transcript built in memory.
#[test]
fn english_quotes_follow_the_same_rules() {
    use verbatim::ingest::EpisodeSet;
    use verbatim::model::Role;
    use verbatim::testing::EpisodeBuilder;
    let episode = EpisodeBuilder::new("ship-it")
        .title("Shipping software")
        .language("en")
        .participant("Dana Reyes", Role::Host)
        .participant("Tom Ellis", Role::Guest)
        .said(Some("Dana Reyes"), "Welcome back to the show, today we talk about releases.")
        .said(
            Some("Tom Ellis"),
            "We never ship on a Friday. Our team shipped twelve releases last year, and Google copied the process.",
        )
        .said(Some("Dana Reyes"), "That is a lot of releases for a small team.")
        .build();
    let snapshot = Snapshot::open(
        &EpisodeSet::new("english", vec![episode]),
        &IndexOptions {
            in_memory: true,
            writer_threads: 1,
            ..IndexOptions::default()
        },
    )
    .unwrap()
    .0;
    let check = |quote: &str| verify_quote(&snapshot.corpus, &snapshot.index, quote, None).unwrap();
    assert_eq!(check("we never ship on a friday").verdict, Verdict::Exact);
    for (quote, kind) in [
        ("We always ship on a Friday.", ChangeKind::Negation),
        ("We ship on a Friday.", ChangeKind::Negation),
        (
            "Our team shipped twenty releases last year, and Google copied the process.",
            ChangeKind::Number,
        ),
        (
            "Our team shipped twelve releases last year, and Microsoft copied the process.",
            ChangeKind::Name,
        ),
    ] {
        let v = check(quote);
        assert_eq!(v.verdict, Verdict::Altered, "{quote}: {v:?}");
        assert!(kinds(&v).contains(&kind), "{quote}: {v:?}");
    }
    // Numbers compare by value: "12" is "twelve".
    let v = check("Our team shipped 12 releases last year, and Google copied the process.");
    assert_eq!(v.verdict, Verdict::Close, "{v:?}");
    assert_eq!(
        v.best_match.unwrap().excerpt,
        "Our team shipped twelve releases last year, and Google copied the process."
    );
    // Attribution from the turns.
    let v = verify(
        &snapshot,
        "That is a lot of releases for a small team",
        "Tom Ellis",
    );
    let attribution = v.attribution.unwrap();
    assert_eq!(attribution.verdict, AttributionVerdict::OtherSpeaker);
    assert_eq!(attribution.said_by.as_deref(), Some("Dana Reyes"));
}

fn verify(
    snapshot: &Snapshot,
    quote: &str,
    speaker: &str,
) -> verbatim::answers::verify::Verification {
    let check = verbatim::answers::verify::QuoteCheck {
        quote,
        episode_id: None,
        speaker: Some(speaker),
    };
    verbatim::answers::verify::verify(&snapshot.corpus, &snapshot.index, check).unwrap()
}
