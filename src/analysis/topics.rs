//! What a stretch of an episode is about: the names and noun phrases said
//! in it that are frequent there, rarer in the rest of the episode, and rare
//! in the language. Chapters get their titles (generated chapters) and their
//! `keywords` (every chapter) from here.
//!
//! No model and no network: candidates are extracted from the text
//! (capitalized names, acronyms, noun phrases such as "levée de fonds" or
//! "réseau social des IA"), counted per passage, and scored for a span by
//! three statistics: how often the span says them, how much more often than
//! the rest of the episode (not the rest of the corpus, so a title does not
//! change when other files are added), and how rare their words are in the
//! language ([`super::frequency`]). Fillers and generic words ("deux",
//! "vraie", "solution", "chose", "bla") never start or end a term, and a
//! name heard two ways is counted once under its likelier spelling.

use super::episode_words::{EpisodeWords, Token, WordId};
use super::frequency::{self, Language, UNLISTED_ZIPF};
use super::names::{phonetic_key, similarity};
use super::vocabulary::is_title_stopword;
use crate::model::Episode;
use crate::text::{capitalize_first, is_function_word, words};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// Keywords given to a chapter, at most.
pub const MAX_KEYWORDS: usize = 6;
/// Words in a term, at most ("réseau social des IA").
const MAX_TERM_WORDS: usize = 5;
/// A word at least this common in its language is generic: it never starts
/// or ends a term ("deux", "chose", "faire"), unless written as a name.
const GENERIC_ZIPF: f64 = 5.3;
/// A lone word this common is not a keyword on its own ("source", "données").
const LONE_WORD_MAX_ZIPF: f64 = 5.0;
/// Two spellings of a name this alike are one name heard two ways.
const SAME_NAME_SIMILARITY: f64 = 0.72;

/// Letters a heard name needs before it may be merged with an alike one;
/// shorter names are always kept apart.
const MIN_MERGED_NAME_LETTERS: usize = 6;
/// Titles longer than this are cut back to their first term.
const MAX_TITLE_CHARS: usize = 60;

/// What a span of passages is about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpanTopic {
    /// A short title naming the topic, when the span says enough to name it.
    pub title: Option<String>,
    /// Up to [`MAX_KEYWORDS`] distinctive terms, most telling first, as written.
    pub keywords: Vec<String>,
}

/// The candidate terms of one episode, counted per passage; built once and
/// asked about any span of its passages.
#[derive(Debug)]
pub struct EpisodeTerms<'w> {
    language: Option<Language>,
    /// The episode's words, which candidates name by id.
    words: &'w EpisodeWords,
    candidates: Vec<Candidate>,
    /// The written forms of every candidate, one after another
    /// ([`Candidate::surfaces`] holds ranges): one string for the episode
    /// rather than one per form.
    surface_text: String,
    /// Words per passage.
    passage_words: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// Written as a name: capitalized mid-sentence, or an acronym.
    Name,
    /// Two or more words, at least one a name or a word with meaning.
    Phrase,
    /// One ordinary word.
    Word,
}

/// What identifies a term: its kind and its words' ids (word ids for a
/// name, stem ids otherwise; `u32::MAX` past its last word).
type TermKey = (Kind, [u32; MAX_TERM_WORDS]);

/// The words of a term, in order: `ids[..len]`.
#[derive(Debug, Clone, Copy)]
struct TermWords {
    ids: [WordId; MAX_TERM_WORDS],
    len: usize,
}

impl TermWords {
    fn ids(&self) -> &[WordId] {
        self.ids.get(..self.len).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// A run of words of one passage that no punctuation breaks.
#[derive(Clone, Copy)]
struct Segment<'a> {
    /// The passage's text.
    text: &'a str,
    tokens: &'a [Token],
    /// The passage's index.
    passage: usize,
}

#[derive(Debug)]
struct Candidate {
    kind: Kind,
    /// The words that carry meaning (connectors left out), as word ids:
    /// most candidates are said once, and a string per word of each
    /// (built and dropped) was about a twentieth of indexing.
    content: TermWords,
    /// Written forms, as ranges of [`EpisodeTerms::surface_text`], and how
    /// often each is said (few: a list).
    surfaces: Vec<(Range<u32>, usize)>,
    /// Passage index of every occurrence.
    occurrences: Vec<usize>,
    /// Names the episode's participants or show: who speaks, not what about.
    about_speakers: bool,
}

/// Small words that may sit inside a term: "levée *de* fonds", "sécurité
/// *des* données", "Department *of* Defense".
fn is_connector(folded: &str) -> bool {
    // Articles and "de" only: "à", "sur", "pour" or "et" mostly join a verb
    // to its object or two topics to each other ("monte sur le ring").
    matches!(
        folded,
        "de" | "des" | "du" | "d" | "la" | "le" | "les" | "l" | "of" | "the"
    )
}

/// Particles of foreign names ("van der Leyen", "von Braun", "da Vinci").
fn is_particle(folded: &str) -> bool {
    matches!(
        folded,
        "van" | "von" | "der" | "den" | "di" | "da" | "del" | "della" | "ten" | "ter"
    )
}

/// Words that say nothing about a topic whatever their frequency: fillers,
/// numbers, vague nouns and adjectives, in French and English.
fn is_generic(folded: &str) -> bool {
    const WORDS: &[&str] = &[
        // French: numbers, vague qualifiers and nouns, fillers.
        "un",
        "une",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "cent",
        "mille",
        "vraie",
        "vrais",
        "vraies",
        "solution",
        "solutions",
        "bla",
        "plein",
        "chose",
        "choses",
        "partie",
        "parties",
        "truc",
        "trucs",
        "machin",
        "type",
        "types",
        "facon",
        "maniere",
        "gens",
        "fois",
        "cas",
        "point",
        "points",
        "part",
        "idee",
        "idees",
        "probleme",
        "problemes",
        "exemple",
        "exemples",
        "mec",
        "mecs",
        "gars",
        "histoire",
        "acteur",
        "acteurs",
        "permet",
        "permettent",
        "permettre",
        "ouais",
        "mouais",
        "hein",
        "bref",
        "etc",
        "seul",
        "seule",
        "meilleur",
        "meilleure",
        "enorme",
        "important",
        "importante",
        "simple",
        "possible",
        "capable",
        "different",
        "differente",
        "grosse",
        "petits",
        "petites",
        "grands",
        "grandes",
        "nouveaux",
        "nouvelles",
        "vieux",
        "besoin",
        "envie",
        "raison",
        "niveau",
        "endroit",
        "sens",
        "suite",
        "debut",
        "fin",
        "mot",
        "mots",
        "personnes",
        "quelqu",
        "quelqu'un",
        "tout",
        "tous",
        "toute",
        "toutes",
        "autre",
        "autres",
        "euh",
        "bah",
        "ben",
        "voila",
        "merci",
        "bonjour",
        "salut",
        "hello",
        "ok",
        "okay",
        "madame",
        "monsieur",
        "aujourd",
        "hui",
        "demain",
        "hier",
        "semaine",
        "mois",
        "annee",
        "heure",
        "heures",
        "minute",
        "minutes",
        "seconde",
        "secondes",
        "premiere",
        "premier",
        "deuxieme",
        "troisieme",
        "dernier",
        "derniere",
        "prochain",
        "prochaine",
        // English.
        "one",
        "two",
        "three",
        "four",
        "five",
        "ten",
        "thing",
        "things",
        "stuff",
        "way",
        "lot",
        "lots",
        "kind",
        "sort",
        "part",
        "people",
        "time",
        "times",
        "really",
        "actually",
        "yeah",
        "yes",
        "just",
        "like",
        "know",
        "think",
        "guys",
        "guy",
        "something",
        "anything",
        "everything",
        "nothing",
        "someone",
        "everyone",
        "good",
        "great",
        "big",
        "little",
        "new",
        "old",
        "first",
        "last",
        "next",
        "same",
        "other",
        "another",
        "much",
        "many",
        "very",
        "well",
        "right",
        "sure",
        "thanks",
        "thank",
        "today",
        "week",
        "year",
        "years",
        "problem",
        "example",
        "idea",
        "point",
        "able",
        "different",
        "important",
    ];
    crate::text::word_set!(WORDS).contains(folded) || is_title_stopword(folded)
}

/// What a word may be in a term, decided once per distinct word.
#[derive(Debug, Clone, Copy)]
struct TokenClass {
    /// A small word that may sit inside a term.
    connector: bool,
    /// Written as a name in this episode.
    name: bool,
    /// May start or end a term: a name, or a word with meaning that is not generic.
    edge: bool,
    /// May be a term on its own: an edge word that is not common in the language.
    lone: bool,
    /// A particle of foreign names ("van", "von", "der"): inside or before a name only.
    particle: bool,
    /// Neither: a term never holds it.
    other: bool,
    /// Looks like a conjugated verb or an infinitive.
    verb: bool,
}

/// The episode's words, classified once (by word id).
struct Lexicon<'w> {
    words: &'w EpisodeWords,
    casing: Vec<Casing>,
    speaker_words: FxHashSet<String>,
    classes: Vec<Option<TokenClass>>,
}

impl Lexicon<'_> {
    fn class(&mut self, id: WordId, terms: &EpisodeTerms<'_>) -> TokenClass {
        if let Some(Some(class)) = self.classes.get(id as usize) {
            return *class;
        }
        let folded = self.words.folded(id);
        let connector = is_connector(folded);
        let particle = is_particle(folded);
        let meaningless = is_function_word(folded) || connector || is_generic(folded);
        let name = !meaningless
            && self
                .casing
                .get(id as usize)
                .is_some_and(|c| c.acronym || c.capitalized >= 1 && c.capitalized * 2 >= c.inside);
        // The language's frequency list is only read where it decides.
        let zipf =
            (!meaningless && !name && folded.chars().count() >= 3).then(|| terms.zipf(folded));
        let edge = !meaningless && (name || zipf.is_some_and(|zipf| zipf < GENERIC_ZIPF));
        let class = TokenClass {
            connector,
            name,
            edge,
            lone: edge && (name || zipf.is_some_and(|zipf| zipf < LONE_WORD_MAX_ZIPF)),
            particle,
            other: !connector && !edge && !particle,
            verb: terms.looks_like_a_verb(folded),
        };
        if let Some(slot) = self.classes.get_mut(id as usize) {
            *slot = Some(class);
        }
        class
    }
}

/// How often a folded word is written as a name in this episode.
#[derive(Debug, Default, Clone, Copy)]
struct Casing {
    /// Said mid-sentence (after another word of the same sentence).
    inside: usize,
    /// Of those, written with a capital.
    capitalized: usize,
    /// Written with two capitals or more somewhere ("IA", "SpaceX", "xAI").
    acronym: bool,
}

impl<'w> EpisodeTerms<'w> {
    /// Extracts and counts the candidate terms of `episode`, given its
    /// words (split and stemmed once per episode and shared by the
    /// analyses).
    pub fn new(episode: &Episode, words: &'w EpisodeWords) -> Self {
        let language = Language::of_tag(episode.language.as_deref());
        let mut speakers = speaker_words(episode);
        speakers.extend(addressed_words(episode, words));
        let mut lexicon = Lexicon {
            words,
            casing: casing_of(episode, words),
            speaker_words: speakers,
            classes: vec![None; words.distinct_words()],
        };

        let mut terms = Self {
            language,
            words,
            candidates: Vec::new(),
            surface_text: String::new(),
            passage_words: (0..words.passage_count())
                .map(|i| words.len_of(i))
                .collect(),
        };
        let mut by_key: FxHashMap<TermKey, usize> = FxHashMap::default();
        let mut classes = Vec::new();
        for (index, passage) in episode.passages.iter().enumerate() {
            let tokens = words.tokens(index);
            for segment in segments(&passage.text, tokens) {
                let Some(tokens) = tokens.get(segment) else {
                    continue;
                };
                let segment = Segment {
                    text: &passage.text,
                    tokens,
                    passage: index,
                };
                terms.collect_segment(&segment, &mut lexicon, &mut classes, &mut by_key);
            }
        }
        terms.merge_heard_names();
        terms
    }

    fn zipf(&self, folded: &str) -> f64 {
        self.language
            .map_or(UNLISTED_ZIPF, |language| frequency::zipf(language, folded))
    }

    /// Counts every term of a run of words. `classes` is scratch space.
    fn collect_segment(
        &mut self,
        segment: &Segment<'_>,
        lexicon: &mut Lexicon<'_>,
        classes: &mut Vec<TokenClass>,
        by_key: &mut FxHashMap<TermKey, usize>,
    ) {
        let Segment {
            text,
            tokens: segment,
            passage,
        } = *segment;
        classes.clear();
        classes.extend(segment.iter().map(|token| lexicon.class(token.id, self)));
        for start in 0..segment.len() {
            for len in 1..=MAX_TERM_WORDS {
                let (Some(window), Some(class)) = (
                    segment.get(start..start + len),
                    classes.get(start..start + len),
                ) else {
                    break;
                };
                // Inside a term: connectors, names and words with meaning only.
                if class.iter().any(|c| c.other) {
                    break;
                }
                let (Some(head), Some(tail)) = (window.first(), window.last()) else {
                    break;
                };
                let (Some(head_class), Some(tail_class)) = (class.first(), class.last()) else {
                    break;
                };
                // A name may start with a particle ("van der Leyen"); other terms start with meaning.
                let all_names =
                    class.iter().all(|c| c.name || c.particle) && class.iter().any(|c| c.name);
                if !(head_class.edge || all_names && head_class.particle) || !tail_class.edge {
                    continue;
                }
                let kind = if all_names {
                    // A name counts once, as the whole name: "Elon Musk", not also "Musk".
                    let extends = |i: Option<usize>| {
                        i.and_then(|i| classes.get(i))
                            .is_some_and(|c| c.name || c.particle)
                    };
                    if extends(start.checked_sub(1)) || extends(Some(start + len)) {
                        continue;
                    }
                    Kind::Name
                } else if len == 1 {
                    if !head_class.lone || head_class.verb {
                        continue;
                    }
                    Kind::Word
                } else {
                    let verb = |c: &TokenClass| !c.name && c.verb;
                    if verb(head_class) || verb(tail_class) {
                        continue;
                    }
                    Kind::Phrase
                };
                // The words that carry meaning, as word ids: numbers until
                // the term turns out to be new (most windows repeat a known term).
                let mut content = [WordId::MAX; MAX_TERM_WORDS];
                let mut content_len = 0;
                for (token, c) in window.iter().zip(class) {
                    if !c.connector
                        && let Some(slot) = content.get_mut(content_len)
                    {
                        *slot = token.id;
                        content_len += 1;
                    }
                }
                let content = content.get(..content_len).unwrap_or_default();
                // "synchrone à la synchrone" is a stutter, not a term.
                if content
                    .iter()
                    .enumerate()
                    .any(|(i, w)| content.iter().skip(i + 1).any(|o| o == w))
                {
                    continue;
                }
                // Names are kept as heard; other words group by stem ("données", "donnée").
                let mut key = [u32::MAX; MAX_TERM_WORDS];
                for (slot, &id) in key.iter_mut().zip(content) {
                    *slot = if kind == Kind::Name {
                        id
                    } else {
                        lexicon.words.stem_id(id)
                    };
                }
                let surface = text.get(head.span.start..tail.span.end).unwrap_or_default();
                let id = *by_key.entry((kind, key)).or_insert_with(|| {
                    let mut ids = [WordId::MAX; MAX_TERM_WORDS];
                    for (slot, &id) in ids.iter_mut().zip(content) {
                        *slot = id;
                    }
                    self.candidates.push(Candidate {
                        kind,
                        about_speakers: content
                            .iter()
                            .all(|&id| lexicon.speaker_words.contains(lexicon.words.folded(id))),
                        content: TermWords {
                            ids,
                            len: content.len(),
                        },
                        surfaces: Vec::new(),
                        occurrences: Vec::new(),
                    });
                    self.candidates.len() - 1
                });
                if let Some(candidate) = self.candidates.get_mut(id) {
                    let text = &mut self.surface_text;
                    match candidate
                        .surfaces
                        .iter_mut()
                        .find(|(range, _)| written(text, range) == surface)
                    {
                        Some((_, count)) => *count += 1,
                        None => {
                            let start = text.len() as u32;
                            text.push_str(surface);
                            candidate.surfaces.push((start..text.len() as u32, 1));
                        }
                    }
                    candidate.occurrences.push(passage);
                }
            }
        }
    }

    /// Conjugated verbs and infinitives make poor topics ("déboucher",
    /// "rivalisent"); French endings tell most of them apart from nouns.
    /// Other languages are not judged.
    fn looks_like_a_verb(&self, folded: &str) -> bool {
        if self.language != Some(Language::French) {
            return false;
        }
        const ENDINGS: &[&str] = &[
            "aient", "erait", "eront", "erons", "ions", "iez", "ait", "ez",
        ];
        let long = folded.chars().count() >= 8;
        ENDINGS.iter().any(|e| folded.ends_with(e))
            || long && (folded.ends_with("er") || folded.ends_with("ir"))
            || folded.ends_with("ent") && !folded.ends_with("ment")
            || folded.ends_with("ons") && !folded.ends_with("tions") && !folded.ends_with("sions")
    }

    /// Speech recognition hears one name several ways ("van der Leyen",
    /// "Evander Lyon"): alike names are counted as one, under the spelling
    /// made of the rarer words, because recognizers substitute common words
    /// for rare ones, never the reverse.
    fn merge_heard_names(&mut self) {
        // Letters and phonetic key of each name, computed once. A name too
        // short to tell a mishearing from another name is never merged:
        // left out here, it costs no comparisons (names go pair by pair).
        let mut names: Vec<usize> = Vec::new();
        let mut spellings: Vec<(Spelling, Spelling)> = Vec::new();
        let mut spelling_of = vec![usize::MAX; self.candidates.len()];
        for (i, candidate) in self.candidates.iter().enumerate() {
            if candidate.kind != Kind::Name {
                continue;
            }
            let letters: String = candidate
                .content
                .ids()
                .iter()
                .map(|&id| self.words.folded(id))
                .collect();
            let letters = Spelling::new(letters);
            if letters.chars < MIN_MERGED_NAME_LETTERS {
                continue;
            }
            let phonetic = Spelling::new(phonetic_key(&letters.text));
            if let Some(slot) = spelling_of.get_mut(i) {
                *slot = spellings.len();
            }
            spellings.push((letters, phonetic));
            names.push(i);
        }
        let keys = |i: usize| spelling_of.get(i).and_then(|&at| spellings.get(at));
        // Each name points to the spelling it is counted under (itself at first).
        let mut counted_as: Vec<usize> = (0..self.candidates.len()).collect();
        let root = |counted_as: &[usize], mut i: usize| {
            while let Some(&next) = counted_as.get(i).filter(|&&next| next != i) {
                i = next;
            }
            i
        };
        for (position, &first) in names.iter().enumerate() {
            for &second in names.iter().skip(position + 1) {
                let (a, b) = (root(&counted_as, first), root(&counted_as, second));
                if a == b {
                    continue;
                }
                let (Some(ca), Some(cb)) = (self.candidates.get(a), self.candidates.get(b)) else {
                    continue;
                };
                let (Some((la, pa)), Some((lb, pb))) = (keys(a), keys(b)) else {
                    continue;
                };
                if la.text == lb.text {
                    continue;
                }
                let alike =
                    la.alike(lb, SAME_NAME_SIMILARITY) || pa.alike(pb, SAME_NAME_SIMILARITY);
                if !alike {
                    continue;
                }
                // The rarer spelling; between two equally rare ones, the one said more often.
                let (rarity_a, rarity_b) = (self.commonness(ca), self.commonness(cb));
                let a_wins = if (rarity_a - rarity_b).abs() < 0.05 {
                    ca.occurrences.len() >= cb.occurrences.len()
                } else {
                    rarity_a < rarity_b
                };
                let (keep, drop) = if a_wins { (a, b) } else { (b, a) };
                if let Some(slot) = counted_as.get_mut(drop) {
                    *slot = keep;
                }
            }
        }
        // Occurrences move once every merge is decided, in candidate order,
        // so the result does not depend on the order merges were found in.
        for drop in 0..counted_as.len() {
            let keep = root(&counted_as, drop);
            if keep == drop {
                continue;
            }
            let occurrences = self
                .candidates
                .get_mut(drop)
                .map(|c| std::mem::take(&mut c.occurrences))
                .unwrap_or_default();
            if let Some(kept) = self.candidates.get_mut(keep) {
                kept.occurrences.extend(occurrences);
                kept.occurrences.sort_unstable();
            }
        }
    }

    /// The most frequent written form of a term.
    fn surface(&self, candidate: &Candidate) -> String {
        let text = &self.surface_text;
        candidate
            .surfaces
            .iter()
            .max_by(|a, b| {
                a.1.cmp(&b.1)
                    .then_with(|| written(text, &b.0).cmp(written(text, &a.0)))
            })
            .map(|(range, _)| written(text, range).to_string())
            .unwrap_or_default()
    }

    /// Mean language frequency of a term's words, particles aside: low for
    /// names and jargon.
    fn commonness(&self, candidate: &Candidate) -> f64 {
        let zipfs: Vec<f64> = candidate
            .content
            .ids()
            .iter()
            .map(|&id| self.words.folded(id))
            .filter(|w| !is_particle(w))
            .map(|w| self.zipf(w))
            .collect();
        zipfs.iter().sum::<f64>() / zipfs.len().max(1) as f64
    }

    /// Titles and keywords for the passages `span` of the episode.
    pub fn describe(&self, span: Range<usize>) -> SpanTopic {
        let span_words: usize = self
            .passage_words
            .get(span.clone())
            .unwrap_or_default()
            .iter()
            .sum();
        let all_words: usize = self.passage_words.iter().sum();
        let rest_words = all_words.saturating_sub(span_words);
        // A short span may say its topic once; a long one says it again.
        let min_count = if span_words < 400 { 1 } else { 2 };
        let mut ranked: Vec<(f64, usize, usize)> = self
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.about_speakers)
            .filter_map(|(id, c)| {
                let here = c.occurrences.iter().filter(|p| span.contains(p)).count();
                if here < min_count {
                    return None;
                }
                let elsewhere = c.occurrences.len() - here;
                Some((
                    self.score(c, here, elsewhere, span_words, rest_words),
                    id,
                    here,
                ))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

        // Twice as many terms as keywords: a title may need a phrase or a
        // name from further down when the best terms are lone words.
        let mut terms: Vec<(&Candidate, usize)> = Vec::new();
        for &(_, id, here) in &ranked {
            let Some(candidate) = self.candidates.get(id) else {
                continue;
            };
            if terms.iter().any(|(k, _)| overlaps(k, candidate)) {
                continue;
            }
            terms.push((candidate, here));
            if terms.len() == 2 * MAX_KEYWORDS {
                break;
            }
        }
        SpanTopic {
            title: self.title(&terms),
            keywords: terms
                .iter()
                .take(MAX_KEYWORDS)
                .map(|(c, _)| self.surface(c))
                .collect(),
        }
    }

    fn score(
        &self,
        candidate: &Candidate,
        here: usize,
        elsewhere: usize,
        span_words: usize,
        rest_words: usize,
    ) -> f64 {
        // How much more often the span says it than the rest of the episode.
        let rate_here = here as f64 / span_words.max(1) as f64;
        let rate_elsewhere = (elsewhere as f64 + 0.5) / rest_words.max(span_words).max(1) as f64;
        // Squared: a term said evenly through the episode ("IA" in a show about AI)
        // names no part of it, however often it is said.
        let distinct = (1.0 + rate_here / rate_elsewhere).ln().powi(2);
        // How rare its words are in the language.
        let rarity = candidate
            .content
            .ids()
            .iter()
            .map(|&id| (6.0 - self.zipf(self.words.folded(id))).clamp(0.2, 3.5))
            .sum::<f64>()
            / candidate.content.len().max(1) as f64;
        let length = 1.0 + 0.35 * (candidate.content.len().saturating_sub(1)) as f64;
        let kind = match candidate.kind {
            Kind::Name => 1.2,
            Kind::Phrase => 1.0,
            Kind::Word => 0.5,
        };
        // Said often here counts most: a rare word said once is as likely a mishearing.
        here as f64 * distinct * rarity * length * kind
    }

    /// A title from the best keywords: a phrase that holds a name reads
    /// best ("Fusion SpaceX-xAI"); else the best name, followed by the best
    /// phrase when it is telling too ("Moltbook, réseau social des IA"); else
    /// the best phrase, looked for beyond the keywords if need be; a lone
    /// ordinary word only when nothing else is said.
    ///
    /// A name needs two mentions to title a span: in a short transcript, a
    /// name said once is who is greeted, not what the talk is about.
    fn title(&self, ranked: &[(&Candidate, usize)]) -> Option<String> {
        // A name said once is a greeting or an aside, not the topic.
        let keywords: Vec<&Candidate> = ranked
            .iter()
            .filter(|(c, here)| c.kind != Kind::Name || *here >= 2)
            .map(|(c, _)| *c)
            .collect();
        let phrase = keywords.iter().find(|c| c.kind == Kind::Phrase);
        // A name from further down than the keywords is an aside.
        let name = keywords
            .iter()
            .take(MAX_KEYWORDS)
            .find(|c| c.kind == Kind::Name);

        let title = match (name, phrase) {
            (Some(name), Some(phrase)) => {
                let name_rank = keywords.iter().position(|c| std::ptr::eq(*c, *name));
                let phrase_rank = keywords.iter().position(|c| std::ptr::eq(*c, *phrase));
                if phrase_rank < name_rank || phrase_rank.unwrap_or(0) > 3 {
                    // The phrase leads, or is too far down to add to the name.
                    if phrase_rank < name_rank {
                        capitalize_first(&self.surface(phrase))
                    } else {
                        self.surface(name)
                    }
                } else {
                    format!(
                        "{}, {}",
                        self.surface(name),
                        lowercase_first(&self.surface(phrase))
                    )
                }
            }
            (Some(name), None) => self.surface(name),
            (None, Some(phrase)) => capitalize_first(&self.surface(phrase)),
            (None, None) => capitalize_first(&self.surface(keywords.first()?)),
        };
        if title.chars().count() > MAX_TITLE_CHARS {
            return keywords.first().map(|c| capitalize_first(&self.surface(c)));
        }
        Some(title)
    }
}

/// A spelling compared with many others: its length in characters and its
/// characters sorted are kept, so that most pairs are told apart without
/// an edit distance.
struct Spelling {
    text: String,
    chars: usize,
    sorted: Vec<char>,
}

impl Spelling {
    fn new(text: String) -> Self {
        let mut sorted: Vec<char> = text.chars().collect();
        sorted.sort_unstable();
        Self {
            chars: sorted.len(),
            sorted,
            text,
        }
    }

    /// Whether [`similarity`] of the two spellings reaches `threshold`.
    fn alike(&self, other: &Spelling, threshold: f64) -> bool {
        let longest = self.chars.max(other.chars) as f64;
        // Just under the threshold's count, so that rounding never rules
        // out a pair whose similarity is exactly the threshold.
        let needed = threshold * longest - 1e-6;
        // Two strings this different in length cannot be alike enough.
        if (self.chars.min(other.chars) as f64) < needed {
            return false;
        }
        // An edit matches at most one character with another, so the
        // distance is at least the longer string's length less the
        // characters the two share: similarity <= shared / longest.
        if (shared_characters(&self.sorted, &other.sorted) as f64) < needed {
            return false;
        }
        similarity(&self.text, &other.text) >= threshold
    }
}

/// How many characters two sorted lists share, counting repeats.
fn shared_characters(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The written form at `range` of [`EpisodeTerms::surface_text`].
fn written<'a>(text: &'a str, range: &Range<u32>) -> &'a str {
    text.get(range.start as usize..range.end as usize)
        .unwrap_or_default()
}

/// Whether two terms share a meaningful word: a keyword list names each
/// thing once ("réseau social" is left out after "réseau social des IA").
fn overlaps(a: &Candidate, b: &Candidate) -> bool {
    // Word ids: one per folded word of the episode.
    a.content.ids().iter().any(|w| b.content.ids().contains(w))
}

/// "Réseau social" -> "réseau social" after a comma, but "IA" and "SpaceX" stay.
fn lowercase_first(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or_default();
    let capitals = first_word.chars().filter(|c| c.is_uppercase()).count();
    if capitals != 1 {
        return text.to_string();
    }
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Runs of words not separated by punctuation (ranges of `tokens`): a term
/// never spans a comma or a sentence end.
fn segments(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=tokens.len() {
        let breaks = match (tokens.get(i - 1), tokens.get(i)) {
            (Some(a), Some(b)) => text
                .get(a.span.end..b.span.start)
                .is_none_or(|gap| gap.chars().any(|c| !matches!(c, ' ' | '\'' | '’' | '-'))),
            _ => true,
        };
        if breaks {
            out.push(start..i);
            start = i;
        }
    }
    out
}

/// Words said right after a greeting or a thank-you ("Salut Arnaud",
/// "merci Julie", "welcome Sam"), written as names: the people in the room,
/// not what they talk about, even when the file does not list them.
fn addressed_words(episode: &Episode, words: &EpisodeWords) -> FxHashSet<String> {
    const GREETINGS: &[&str] = &[
        "bonjour",
        "bonsoir",
        "salut",
        "coucou",
        "merci",
        "bienvenue",
        "bravo",
        "hello",
        "hi",
        "hey",
        "thanks",
        "welcome",
    ];
    let mut out = FxHashSet::default();
    for (index, passage) in episode.passages.iter().enumerate() {
        for pair in words.tokens(index).windows(2) {
            let (Some(greeting), Some(name)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let capitalized = passage
                .text
                .get(name.span.clone())
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase);
            if capitalized && GREETINGS.contains(&words.folded(greeting.id)) {
                out.insert(words.folded(name.id).to_string());
            }
        }
    }
    out
}

/// Per folded word: how often it is capitalized where capitals are not
/// owed to a sentence start, and whether it is ever written as an acronym.
/// By word id of `words`.
fn casing_of(episode: &Episode, words: &EpisodeWords) -> Vec<Casing> {
    let mut casing = vec![Casing::default(); words.distinct_words()];
    for (index, passage) in episode.passages.iter().enumerate() {
        let text = &passage.text;
        let tokens = words.tokens(index);
        for (i, word) in tokens.iter().enumerate() {
            let Some(written) = text.get(word.span.clone()) else {
                continue;
            };
            let Some(entry) = casing.get_mut(word.id as usize) else {
                continue;
            };
            if written.chars().filter(|c| c.is_uppercase()).count() >= 2 {
                entry.acronym = true;
            }
            let sentence_start = i == 0
                || tokens.get(i - 1).is_none_or(|before| {
                    text.get(before.span.end..word.span.start)
                        .is_none_or(|gap| gap.contains(['.', '!', '?', '…', ':', '«', '"', '\n']))
                });
            if !sentence_start {
                entry.inside += 1;
                if written.chars().next().is_some_and(char::is_uppercase) {
                    entry.capitalized += 1;
                }
            }
        }
    }
    casing
}

/// The folded words of the participants' names and affiliations and of the
/// show: terms made only of them name who speaks, not what the talk is about.
fn speaker_words(episode: &Episode) -> FxHashSet<String> {
    let mut out: FxHashSet<String> = FxHashSet::default();
    let names = episode
        .participants
        .iter()
        .flat_map(|p| {
            std::iter::once(&p.name)
                .chain(&p.aliases)
                .chain(&p.affiliation)
        })
        .chain(&episode.show);
    for name in names {
        out.extend(words(name).into_iter().map(|w| w.folded));
    }
    out.retain(|w| !is_function_word(w));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::EpisodeBuilder;

    fn topic(lines: &[&str]) -> SpanTopic {
        let mut builder = EpisodeBuilder::new("t");
        for line in lines {
            builder = builder.said(None, line);
        }
        let episode = builder.build();
        EpisodeTerms::new(&episode, &EpisodeWords::of(&episode)).describe(0..episode.passages.len())
    }

    #[test]
    fn generic_words_never_lead() {
        let t = topic(&[
            "Il y a deux machines qui parlent. Deux machines, vraiment.",
            "Le réseau social Moltbook est réservé aux agents. Sur Moltbook, les agents publient.",
            "Moltbook, le réseau social des agents, a fait parler de lui.",
        ]);
        let title = t.title.unwrap_or_default();
        assert!(!title.to_lowercase().starts_with("deux"), "{title}");
        assert!(title.contains("Moltbook"), "{title}");
        assert!(
            t.keywords.iter().any(|k| k.contains("Moltbook")),
            "{:?}",
            t.keywords
        );
    }

    #[test]
    fn spellings_are_alike_exactly_when_their_similarity_says_so() {
        let names = [
            "vanderleyen",
            "evanderlyon",
            "kempf",
            "kemf",
            "mensch",
            "mench",
            "mech",
            "arthurmensch",
            "arturmench",
            "pavleas",
            "pavlias",
            "constantin",
            "konstantin",
            "zorglub",
            "postgresql",
            "postgresquel",
            "aaaaaa",
            "aaaaab",
            "abcdefghij",
            "jihgfedcba",
            "éléonore",
            "eleonore",
        ];
        for a in names {
            for b in names {
                for threshold in [0.5, 0.72, 0.8, 0.9] {
                    let expected = similarity(a, b) >= threshold;
                    let found = Spelling::new(a.to_string())
                        .alike(&Spelling::new(b.to_string()), threshold);
                    assert_eq!(found, expected, "{a} / {b} at {threshold}");
                }
            }
        }
    }

    #[test]
    fn a_name_heard_two_ways_keeps_its_rarer_spelling() {
        let t = topic(&[
            "La présidente van der Leyen a signé l'accord.",
            "Et Evander Lyon a dit oui. Evander Lyon, encore elle.",
            "Ce que fait Evander Lyon, c'est céder.",
        ]);
        assert!(
            t.keywords.iter().any(|k| k.ends_with("van der Leyen")),
            "{:?}",
            t.keywords
        );
        assert!(
            !t.keywords.iter().any(|k| k.contains("Lyon")),
            "{:?}",
            t.keywords
        );
    }

    #[test]
    fn noun_phrases_are_terms() {
        let t = topic(&[
            "On a bouclé une levée de fonds de cent millions.",
            "Cette levée de fonds, c'est la plus grosse de l'année pour une startup.",
            "Après la levée de fonds, on recrute.",
        ]);
        assert!(
            t.keywords
                .iter()
                .any(|k| k.to_lowercase() == "levée de fonds"),
            "{:?}",
            t.keywords
        );
    }
}
