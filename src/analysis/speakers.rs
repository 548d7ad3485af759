//! Speakers named: diarization labels (`SPEAKER_00`) mapped to people, and
//! the spellings speech recognition gave the participants' names turned
//! into aliases.
//!
//! # Labels
//! Three clues, each kept as evidence with a confidence:
//! - the label who opens the show hosts it (named after the metadata's host
//!   when there is exactly one);
//! - a label another speaker introduces by name ("on reçoit X", "avec nous
//!   X", "X, tu peux te présenter ?") and who answers next is X;
//! - a label who says "je m'appelle X", "moi c'est X", "je suis X" is X.
//!
//! A name heard this way is matched against the known participants
//! ([`names::heard_as`]), so "Arthur Mench" names Arthur Mensch when the
//! metadata knows him. A `[speakers]` sidecar entry (already applied to the
//! turns when this runs) wins with confidence 1. Confident mappings rename
//! the passages' speaker and the label stays as an alias of the person;
//! the others stay labels, and `speaker_map` says so.
//!
//! # Aliases
//! Every run of capitalized words in the transcript that sounds like a
//! participant's full name ([`names::spellings_in`]) becomes an alias.

use crate::analysis::names::{
    self, NameRun, capitalized_runs, heard_as, same_name, sharing_first_name,
};
use crate::model::{
    Diagnostic, Episode, Evidence, MappingMethod, Participant, Role, SpeakerMapping,
};
use crate::text::normal_case_name;

/// A mapping at least this sure renames the passages; a less sure one keeps
/// its guessed name in `speaker_map` only.
pub const CONFIDENT: f64 = 0.5;
/// A heard name matches a participant from this score of [`heard_as`].
const MATCH_SCORE: f64 = 0.5;
/// How far after a cue ("on reçoit") the name may come, in bytes.
const CUE_REACH: usize = 90;
/// Evidence words are cut to about this many characters.
const EVIDENCE_CHARS: usize = 160;

/// Whether a speaker string is a diarization label rather than a name:
/// `SPEAKER_00`, `Speaker 1`, `SPK-2`, `Locuteur 3`, `Intervenant_4`.
pub fn is_label(speaker: &str) -> bool {
    crate::text::static_regex!(
        r"(?i)^\s*(speaker|spk|locuteur|intervenant|orateur|voix)[ _-]?\d{1,3}\s*$"
    )
    .is_match(speaker)
}

/// How a name was said in a passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntroKind {
    /// The speaker says their own name.
    SelfIntroduction,
    /// The speaker introduces someone else.
    Introduces,
}

/// A name said in an introduction.
#[derive(Debug, Clone, PartialEq)]
pub struct Introduction {
    pub kind: IntroKind,
    /// The name as written in the transcript.
    pub name: String,
    /// The words from the cue to the name, exactly as in the text.
    pub words: String,
    /// How telling the cue is, from 0 to 1.
    pub strength: f64,
}

/// Cues after which the speaker names someone they introduce.
fn introduce_cue() -> &'static crate::text::WordRegex {
    crate::text::static_word_regex!(
        r"(?i)\b(on reçoit|on recoit|on accueille|nous recevons|nous accueillons|je reçois|je recois|j['’]accueille|j['’]ai le plaisir de recevoir|on a le plaisir de recevoir|avec nous|avec moi|bienvenue à|bienvenue a|bienvenue|notre invitée?|mon invitée?|on retrouve|je suis avec|on est avec|je vous présente|laissez-moi vous présenter)\b"
    )
}

/// Cues right before a speaker's own name, with how telling each is.
fn self_cue() -> &'static crate::text::WordRegex {
    crate::text::static_word_regex!(
        r"(?i)\b(je m['’]appelle|je me nomme|mon nom est|mon nom,? c['’]est|moi,? c['’]est|je suis|(?:je vais )?me présenter(?: [a-zà-ÿ]+){0,3})\s+$"
    )
}

/// After a name: an invitation to introduce oneself ("X, tu peux te présenter").
fn invitation_after() -> &'static regex::Regex {
    crate::text::static_regex!(
        r"(?i)^[\s,]*(?:est-ce que )?(?:tu peux|peux-tu|tu veux|veux-tu|vous pouvez|pouvez-vous|voulez-vous|vous voulez)\s+(?:te|vous|nous)\s+(?:[a-zà-ÿ]+\s+){0,2}(?:présent|present|dire qui)"
    )
}

/// After a name at the start of a sentence: the speaker goes on about their job.
fn job_after() -> &'static regex::Regex {
    crate::text::static_regex!(
        r"(?i)^\s*,\s*(?:je travaille|je bosse|j['’]ai fondé|j['’]ai cofondé|je dirige|je suis (?:le |la )?(?:ceo|cto|fondat|cofondat|directeur|directrice|président))"
    )
}

/// Whether the run of words can be a person's name on its own: no short
/// all-capitals word (`AI`, `CEO`, `VLC` name companies and titles).
fn looks_like_person(words: &[String]) -> bool {
    !words.is_empty()
        && words.iter().all(|w| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            !(letters <= 3 && w.chars().all(|c| !c.is_lowercase()))
        })
}

/// The introductions in one passage's text, in order.
pub fn introductions(text: &str) -> Vec<Introduction> {
    introductions_in_runs(text, &capitalized_runs(text))
}

/// [`introductions`], given the text's [`capitalized_runs`].
fn introductions_in_runs(text: &str, runs: &[NameRun]) -> Vec<Introduction> {
    let mut found = Vec::new();
    // A cue introduces one person: the first after it.
    let mut used_cues: Vec<usize> = Vec::new();
    let sentence_end = |from: usize| -> usize {
        text.get(from..)
            .and_then(|rest| rest.find(['.', '?', '!', '…']))
            .map_or(text.len(), |i| from + i)
    };
    for run in runs {
        let name_words: Vec<String> = run.words.iter().take(4).cloned().collect();
        if !looks_like_person(&name_words) {
            continue;
        }
        let name = name_words.join(" ");
        let end = run_end(text, run.start, &run.words);
        let before = text.get(..run.start).unwrap_or("");
        let after = text.get(end..).unwrap_or("");
        // Cues are looked for just before the name, not in the whole passage
        // before it: a long passage with many names would be scanned again
        // for each.
        let near = window_start(text, run.start, SELF_CUE_REACH);
        let self_before = text.get(near..run.start).unwrap_or("");
        // "je m'appelle X": the cue ends right where the name starts.
        if let Some(cue) = self_cue().find(self_before) {
            let cue = (near + cue.start(), cue.as_str());
            let cue_word = crate::text::fold(cue.1);
            let strength = if cue_word.starts_with("je suis") {
                0.65
            } else if cue_word.contains("present") {
                0.75
            } else {
                0.85
            };
            // "je suis X" is often "je suis Français": one word is not enough.
            if !(cue_word.starts_with("je suis") && name_words.len() < 2) {
                found.push(Introduction {
                    kind: IntroKind::SelfIntroduction,
                    name,
                    words: text.get(cue.0..end).unwrap_or("").to_string(),
                    strength,
                });
                continue;
            }
        }
        // "X, je travaille chez ...": at a sentence start, a full name.
        let at_sentence_start = before
            .trim_end()
            .chars()
            .last()
            .is_none_or(|c| matches!(c, '.' | '?' | '!' | '…'));
        if at_sentence_start && name_words.len() >= 2 && job_after().is_match(after) {
            let upto = end + job_after().find(after).map_or(0, |m| m.end());
            found.push(Introduction {
                kind: IntroKind::SelfIntroduction,
                name,
                words: text.get(run.start..upto).unwrap_or("").to_string(),
                strength: 0.6,
            });
            continue;
        }
        // "X, tu peux te présenter ?"
        if let Some(m) = invitation_after().find(after) {
            found.push(Introduction {
                kind: IntroKind::Introduces,
                name,
                words: text.get(run.start..end + m.end()).unwrap_or("").to_string(),
                strength: 0.8,
            });
            continue;
        }
        // "on reçoit ... X": the first person-like run after the cue, same sentence.
        let near = window_start(text, run.start, CUE_REACH + LONGEST_CUE);
        let cue = introduce_cue()
            .find_iter(text.get(near..run.start).unwrap_or(""))
            .map(|c| (near + c.start(), near + c.end()))
            .filter(|&(_, cue_end)| {
                run.start.saturating_sub(cue_end) <= CUE_REACH && sentence_end(cue_end) > run.start
            })
            .last();
        if let Some((cue_start, cue_end)) = cue
            && !used_cues.contains(&cue_start)
        {
            used_cues.push(cue_start);
            let strength = if run.start.saturating_sub(cue_end) <= 2 {
                0.8
            } else {
                0.65
            };
            found.push(Introduction {
                kind: IntroKind::Introduces,
                name,
                words: text.get(cue_start..end).unwrap_or("").to_string(),
                strength,
            });
        }
    }
    found
}

/// How far before a name its self-introduction cue may start, in bytes
/// ("je vais me présenter" and up to three more words).
const SELF_CUE_REACH: usize = 120;
/// The longest introduction cue, in bytes ("j'ai le plaisir de recevoir").
const LONGEST_CUE: usize = 40;

/// Where to start looking for a cue that ends before `end`: about `reach`
/// bytes back, on a word boundary (so that a cut word is not read as a cue).
fn window_start(text: &str, end: usize, reach: usize) -> usize {
    let mut from = end.saturating_sub(reach);
    if from == 0 {
        return 0;
    }
    while from < end && !text.is_char_boundary(from) {
        from += 1;
    }
    match text
        .get(from..end)
        .and_then(|t| t.find(char::is_whitespace))
    {
        Some(space) => from + space,
        None => end,
    }
}

/// Byte offset where the run's words end in the text (at most four words).
fn run_end(text: &str, start: usize, words: &[String]) -> usize {
    let mut at = start;
    for w in words.iter().take(4) {
        match text.get(at..).and_then(|rest| rest.find(w.as_str())) {
            Some(i) => at += i + w.len(),
            None => break,
        }
    }
    at
}

/// A run of consecutive passages of one speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub speaker: String,
    /// Index of the first and one past the last passage.
    pub passages: std::ops::Range<usize>,
}

/// The turns of an episode: consecutive passages with the same speaker.
/// Passages with no speaker end a turn and are in none.
pub fn turns(episode: &Episode) -> Vec<Turn> {
    let mut out: Vec<Turn> = Vec::new();
    let mut last_speaker: Option<&str> = None;
    for (i, p) in episode.passages.iter().enumerate() {
        match (p.speaker.as_deref(), last_speaker, out.last_mut()) {
            (Some(s), Some(prev), Some(turn)) if s == prev && turn.passages.end == i => {
                turn.passages.end = i + 1;
            }
            (Some(s), _, _) => out.push(Turn {
                speaker: s.to_string(),
                passages: i..i + 1,
            }),
            (None, _, _) => {}
        }
        last_speaker = p.speaker.as_deref();
    }
    out
}

/// A guess about one label.
#[derive(Debug, Clone)]
struct Clue {
    label: String,
    /// Name as heard, or as the metadata gives it.
    name: Option<String>,
    role: Option<Role>,
    confidence: f64,
    method: MappingMethod,
    evidence: Evidence,
}

/// Names diarization labels and finds the spellings of participants' names:
/// everything this module adds to an episode. Runs after the sidecar.
pub fn resolve(episode: &mut Episode) {
    let mut runs = TextRuns::default();
    map_labels_with(episode, &mut runs);
    add_named_speakers(episode);
    add_heard_aliases(episode, &mut runs);
}

/// The [`capitalized_runs`] of each passage's text, then of the
/// description's, found the first time a stage asks and kept for the next:
/// the clues that name labels and the heard spellings of names both read
/// them, and no stage of [`resolve`] changes a text.
#[derive(Default)]
struct TextRuns(Option<Vec<Vec<NameRun>>>);

impl TextRuns {
    fn of(&mut self, episode: &Episode) -> &[Vec<NameRun>] {
        self.0.get_or_insert_with(|| {
            episode
                .passages
                .iter()
                .map(|p| p.text.as_str())
                .chain(episode.description.as_deref())
                .map(capitalized_runs)
                .collect()
        })
    }
}

/// Whether a speaker string names a role or a slot rather than a person:
/// a diarization label ([`is_label`]), or a role word alone or with a
/// number or letter (`Inconnu`, `Speaker A`, `Invité 2`, `Journaliste`).
pub fn is_generic_speaker(speaker: &str) -> bool {
    is_label(speaker)
        || crate::text::static_regex!(
            r"(?i)^\s*(speaker|spk|locuteur|locutrice|intervenant|intervenante|orateur|oratrice|voix|voix off|inconnu|inconnue|unknown|narrateur|narratrice|narrator|host|guest|animateur|animatrice|invité|invitée|invite|interviewer|intervieweur|intervieweuse|journaliste|présentateur|présentatrice|public|audience|question|réponse)(?:\s*[_-]?\s*(?:\d{1,3}|[a-z]))?\s*$"
        )
        .is_match(speaker)
}

/// Speakers the transcript names (`Marie:` in a caption, `<v Marie Dupont>`
/// in WebVTT, a name in an RTTM file or a sidecar's `[speakers]`) become
/// participants, so that listing, search by person and completions know
/// them like the people the metadata credits. A name that is a spelling of
/// a participant's name ([`heard_as`]), or their first name when no other
/// participant has it, is an alias of theirs instead. Generic labels
/// (`SPEAKER_01`, `Speaker 1`, `Invité`) name nobody and are left out.
pub fn add_named_speakers(episode: &mut Episode) {
    let mut named: Vec<String> = Vec::new();
    for s in episode.passages.iter().filter_map(|p| p.speaker.as_deref()) {
        if !is_generic_speaker(s) && !named.iter().any(|n| n == s) {
            named.push(s.to_string());
        }
    }
    for name in named {
        let known = episode
            .participants
            .iter()
            .any(|p| same_name(&p.name, &name) || p.aliases.iter().any(|a| same_name(a, &name)));
        if known {
            continue;
        }
        let spelling_of = episode
            .participants
            .iter()
            .enumerate()
            .filter(|(_, p)| !is_label(&p.name))
            .filter_map(|(i, p)| heard_as(&name, &p.name).map(|score| (i, score)))
            .filter(|(_, score)| *score >= MATCH_SCORE)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i);
        let first_name_of = || {
            let single = !name.trim().contains(char::is_whitespace);
            (single && sharing_first_name(&episode.participants, &name) == 1)
                .then(|| {
                    episode.participants.iter().position(|p| {
                        p.name
                            .split_whitespace()
                            .next()
                            .is_some_and(|f| same_name(f, &name))
                    })
                })
                .flatten()
        };
        match spelling_of.or_else(first_name_of) {
            Some(i) => {
                if let Some(p) = episode.participants.get_mut(i) {
                    add_alias(p, &name);
                }
            }
            None => episode.participants.push(Participant {
                name: normal_case_name(&name),
                role: Role::Unknown,
                affiliation: None,
                handle: None,
                aliases: Vec::new(),
            }),
        }
    }
}

/// Builds `speaker_map`, renames confidently mapped labels in the passages
/// and merges label participants into the people they are.
pub fn map_labels(episode: &mut Episode) {
    map_labels_with(episode, &mut TextRuns::default());
}

fn map_labels_with(episode: &mut Episode, runs: &mut TextRuns) {
    let mut map: Vec<SpeakerMapping> = sidecar_mappings(episode);
    let labels = labels_in_order(episode);
    if labels.is_empty() {
        episode.speaker_map = map;
        return;
    }
    let clues = gather_clues(episode, runs.of(episode));
    let mut chosen: Vec<SpeakerMapping> = labels
        .iter()
        .map(|label| decide(episode, label, &clues))
        .collect();
    settle_conflicts(&mut chosen, &map);
    for m in &chosen {
        apply_mapping(episode, m);
    }
    for m in chosen
        .iter()
        .filter(|m| m.method == MappingMethod::Unmapped)
    {
        episode.diagnostics.push(Diagnostic::info(format!(
            "speaker {}: no name found in the transcript; it stays a label",
            m.label
        )));
    }
    map.extend(chosen);
    episode.speaker_map = map;
}

/// Labels the sidecar's `[speakers]` already turned into names: kept as aliases of named participants.
fn sidecar_mappings(episode: &Episode) -> Vec<SpeakerMapping> {
    let mut out = Vec::new();
    for p in episode.participants.iter().filter(|p| !is_label(&p.name)) {
        for alias in p.aliases.iter().filter(|a| is_label(a)) {
            out.push(SpeakerMapping {
                label: alias.clone(),
                name: Some(p.name.clone()),
                role: p.role,
                confidence: 1.0,
                method: MappingMethod::Sidecar,
                evidence: vec![Evidence {
                    passage_id: None,
                    words: format!("[speakers] {alias} = \"{}\"", p.name),
                }],
            });
        }
    }
    out
}

/// Distinct label speakers of the passages, in order of first appearance.
fn labels_in_order(episode: &Episode) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for s in episode.passages.iter().filter_map(|p| p.speaker.as_deref()) {
        if is_label(s) && !labels.iter().any(|l| l == s) {
            labels.push(s.to_string());
        }
    }
    labels
}

fn evidence(episode: &Episode, index: usize, words: &str) -> Evidence {
    Evidence {
        passage_id: episode.passages.get(index).map(|p| p.passage_id.clone()),
        words: crate::text::trim_to_words(words, EVIDENCE_CHARS),
    }
}

/// Every clue the turns give about labels.
/// `runs`: each passage's capitalized runs ([`TextRuns`]).
fn gather_clues(episode: &Episode, runs: &[Vec<NameRun>]) -> Vec<Clue> {
    let turns = turns(episode);
    let mut clues = Vec::new();
    if let Some(first) = turns.first().filter(|t| is_label(&t.speaker)) {
        let opening = episode
            .passages
            .get(first.passages.start)
            .map_or("", |p| p.text.as_str());
        let folded = crate::text::fold(opening);
        let show_words = [
            "bienvenue",
            "bonjour",
            "aujourd",
            "episode",
            "on recoit",
            "emission",
        ];
        let confidence = if show_words.iter().any(|w| folded.contains(w)) {
            0.8
        } else {
            0.6
        };
        clues.push(Clue {
            label: first.speaker.clone(),
            name: None,
            role: Some(Role::Host),
            confidence,
            method: MappingMethod::OpensShow,
            evidence: evidence(episode, first.passages.start, opening),
        });
    }
    for (t, turn) in turns.iter().enumerate() {
        let next = answering_turn(episode, &turns, t);
        let near_end = turn.passages.end.saturating_sub(2);
        for i in turn.passages.clone() {
            let Some(passage) = episode.passages.get(i) else {
                continue;
            };
            let passage_runs = runs.get(i).map_or(&[][..], Vec::as_slice);
            for intro in introductions_in_runs(&passage.text, passage_runs) {
                let (label, confidence) = match intro.kind {
                    IntroKind::SelfIntroduction => (turn.speaker.clone(), intro.strength),
                    IntroKind::Introduces => {
                        let Some(next) = next else { continue };
                        // The answer follows the introduction closely, or the
                        // introduction opens the show and the first question follows.
                        let place = if i >= near_end || t == 0 { 1.0 } else { 0.75 };
                        (next.speaker.clone(), intro.strength * place)
                    }
                };
                if !is_label(&label) {
                    continue;
                }
                clues.push(Clue {
                    label,
                    name: Some(intro.name.clone()),
                    role: (intro.kind == IntroKind::Introduces).then_some(Role::Guest),
                    confidence,
                    method: match intro.kind {
                        IntroKind::SelfIntroduction => MappingMethod::SelfIntroduction,
                        IntroKind::Introduces => MappingMethod::Introduced,
                    },
                    evidence: evidence(episode, i, &intro.words),
                });
            }
        }
    }
    clues
}

/// Turns this short ("Oui.", "Ah d'accord") are interjections, not answers.
const INTERJECTION_WORDS: usize = 3;

/// The turn that answers turn `t`: the first of the next three by another
/// speaker that is more than an interjection (a co-host's "Oui." is not the
/// introduced guest answering), else simply the next turn.
fn answering_turn<'a>(episode: &Episode, turns: &'a [Turn], t: usize) -> Option<&'a Turn> {
    let speaker = turns.get(t).map(|x| x.speaker.as_str());
    let words = |turn: &Turn| -> usize {
        turn.passages
            .clone()
            .filter_map(|i| episode.passages.get(i))
            .map(|p| p.text.split_whitespace().count())
            .sum()
    };
    turns
        .iter()
        .skip(t + 1)
        .take(3)
        .find(|turn| Some(turn.speaker.as_str()) != speaker && words(turn) > INTERJECTION_WORDS)
        .or_else(|| turns.get(t + 1))
}

/// The participant a heard name stands for, and how well it matches.
fn known_person<'a>(episode: &'a Episode, heard: &str) -> Option<(&'a Participant, f64)> {
    let mut best: Option<(&Participant, f64)> = None;
    for p in episode.participants.iter().filter(|p| !is_label(&p.name)) {
        let score = std::iter::once(p.name.as_str())
            .chain(p.aliases.iter().map(String::as_str))
            .filter_map(|n| {
                if same_name(n, heard) {
                    Some(1.0)
                } else {
                    heard_as(heard, n).filter(|s| *s >= MATCH_SCORE)
                }
            })
            .fold(0.0_f64, f64::max);
        // One heard first name names the only participant with that first name.
        let first_name_only = !heard.contains(' ')
            && p.name
                .split_whitespace()
                .next()
                .is_some_and(|f| same_name(f, heard));
        let score = if first_name_only {
            score.max(0.6)
        } else {
            score
        };
        if score > 0.0 && best.is_none_or(|(_, b)| score > b) {
            best = Some((p, score));
        }
    }
    // A bare first name shared by two participants names neither.
    if !heard.contains(' ') && sharing_first_name(&episode.participants, heard) > 1 {
        return None;
    }
    best
}

/// The mapping of one label from its clues.
fn decide(episode: &Episode, label: &str, clues: &[Clue]) -> SpeakerMapping {
    let mine: Vec<&Clue> = clues.iter().filter(|c| c.label == label).collect();
    let opening = mine.iter().find(|c| c.method == MappingMethod::OpensShow);
    let mut named: Vec<(String, f64, &Clue, Role)> = mine
        .iter()
        .filter_map(|c| {
            let heard = c.name.as_deref()?;
            match known_person(episode, heard) {
                Some((p, score)) => Some((
                    p.name.clone(),
                    (c.confidence + 0.1 * score).min(0.95),
                    *c,
                    p.role,
                )),
                // A name nobody listed: believable with a surname and a
                // telling cue; "je suis Product Manager" is a weak cue.
                None => {
                    let surname = if heard.contains(' ') { 0.0 } else { 0.15 };
                    let weak_cue =
                        if c.confidence < 0.7 && c.method == MappingMethod::SelfIntroduction {
                            0.2
                        } else {
                            0.0
                        };
                    Some((
                        normal_case_name(heard),
                        c.confidence - surname - weak_cue,
                        *c,
                        Role::Unknown,
                    ))
                }
            }
        })
        .collect();
    named.sort_by(|a, b| b.1.total_cmp(&a.1));
    let role = if opening.is_some() {
        Role::Host
    } else if mine.iter().any(|c| c.role == Some(Role::Guest)) {
        Role::Guest
    } else {
        Role::Unknown
    };
    let mut evidence: Vec<Evidence> = Vec::new();
    if let Some((name, confidence, clue, known_role)) = named.first() {
        // What the metadata says of the person, when the clues say nothing.
        let role = if role == Role::Unknown {
            *known_role
        } else {
            role
        };
        evidence.push(clue.evidence.clone());
        // Other clues that name the same person back it up.
        for (other, _, c, _) in named.iter().skip(1) {
            if same_name(other, name) && !evidence.contains(&c.evidence) {
                evidence.push(c.evidence.clone());
            }
        }
        if let Some(o) = opening {
            evidence.push(o.evidence.clone());
        }
        return SpeakerMapping {
            label: label.to_string(),
            name: Some(name.clone()),
            role,
            confidence: round2(*confidence),
            method: clue.method,
            evidence,
        };
    }
    if let Some(o) = opening {
        // The show's host from the metadata, when there is exactly one.
        let hosts: Vec<&Participant> = episode
            .participants
            .iter()
            .filter(|p| p.role == Role::Host && !is_label(&p.name))
            .collect();
        let name = match hosts.as_slice() {
            [host] => Some(host.name.clone()),
            _ => None,
        };
        let confidence = if name.is_some() {
            o.confidence * 0.9
        } else {
            o.confidence
        };
        return SpeakerMapping {
            label: label.to_string(),
            name,
            role: Role::Host,
            confidence: round2(confidence),
            method: MappingMethod::OpensShow,
            evidence: vec![o.evidence.clone()],
        };
    }
    SpeakerMapping {
        label: label.to_string(),
        name: None,
        role,
        confidence: 0.0,
        method: MappingMethod::Unmapped,
        evidence: Vec::new(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One name for one label: when two labels get the same person (or one
/// the sidecar already gave), the less sure one loses the name.
fn settle_conflicts(chosen: &mut [SpeakerMapping], sidecar: &[SpeakerMapping]) {
    let claims: Vec<(usize, String, f64)> = chosen
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((i, m.name.clone()?, m.confidence)))
        .collect();
    for (i, name, confidence) in &claims {
        let beaten = sidecar
            .iter()
            .any(|s| s.name.as_deref().is_some_and(|n| same_name(n, name)))
            || claims.iter().any(|(j, other, c)| {
                j != i
                    && same_name(other, name)
                    && (*c > *confidence || (*c == *confidence && j < i))
            });
        if beaten && let Some(m) = chosen.get_mut(*i) {
            m.name = None;
            if m.role == Role::Host {
                m.method = MappingMethod::OpensShow;
            } else {
                m.method = MappingMethod::Unmapped;
                m.confidence = 0.0;
            }
        }
    }
}

/// Renames the label's passages and merges its participant into the person.
fn apply_mapping(episode: &mut Episode, m: &SpeakerMapping) {
    let label_pos = episode.participants.iter().position(|p| p.name == m.label);
    let name = match (&m.name, m.confidence >= CONFIDENT) {
        (Some(name), true) => name.clone(),
        _ => {
            // No name: the label keeps its participant, with the role found.
            match label_pos.and_then(|i| episode.participants.get_mut(i)) {
                Some(p) if p.role == Role::Unknown => p.role = m.role,
                Some(_) => {}
                None => episode.participants.push(Participant {
                    name: m.label.clone(),
                    role: m.role,
                    affiliation: None,
                    handle: None,
                    aliases: Vec::new(),
                }),
            }
            return;
        }
    };
    for p in episode.passages.iter_mut() {
        if p.speaker.as_deref() == Some(m.label.as_str()) {
            p.speaker = Some(name.clone());
        }
    }
    let old = label_pos.map(|i| episode.participants.remove(i));
    let person = match episode
        .participants
        .iter()
        .position(|p| same_name(&p.name, &name))
    {
        Some(i) => episode.participants.get_mut(i),
        None => {
            episode.participants.push(Participant {
                name: name.clone(),
                role: m.role,
                affiliation: None,
                handle: None,
                aliases: Vec::new(),
            });
            episode.participants.last_mut()
        }
    };
    let Some(person) = person else { return };
    if person.role == Role::Unknown {
        person.role = m.role;
    }
    add_alias(person, &m.label);
    if let Some(old) = old {
        for a in old.aliases {
            add_alias(person, &a);
        }
        if person.affiliation.is_none() {
            person.affiliation = old.affiliation;
        }
    }
}

/// Adds an alias unless the person already has that name or alias (up to case and accents).
pub fn add_alias(person: &mut Participant, alias: &str) {
    let alias = alias.trim();
    if alias.is_empty()
        || same_name(&person.name, alias)
        || person.aliases.iter().any(|a| same_name(a, alias))
    {
        return;
    }
    person.aliases.push(alias.to_string());
}

/// Adds to each named participant the spellings of their name heard in the
/// transcript (and its description), each to the one person it fits best.
fn add_heard_aliases(episode: &mut Episode, runs: &mut TextRuns) {
    let mut heard: Vec<(usize, String, f64)> = Vec::new();
    for (i, p) in episode.participants.iter().enumerate() {
        if is_label(&p.name) {
            continue;
        }
        // Each text's name runs, found once for all the participants.
        for text_runs in runs.of(episode) {
            for (spelling, score) in names::spellings_in_runs(text_runs, &p.name) {
                heard.push((i, spelling, score));
            }
        }
    }
    let mut additions: Vec<(usize, String)> = Vec::new();
    for (i, spelling, score) in &heard {
        // A spelling that is someone else's name, or fits someone else better, is not an alias.
        let someone_else = episode.participants.iter().enumerate().any(|(j, p)| {
            j != *i
                && (same_name(&p.name, spelling)
                    || p.aliases.iter().any(|a| same_name(a, spelling)))
        });
        let better = heard
            .iter()
            .any(|(j, s, sc)| j != i && same_name(s, spelling) && sc > score);
        if !someone_else && !better {
            additions.push((*i, spelling.clone()));
        }
    }
    for (i, spelling) in additions {
        if let Some(p) = episode.participants.get_mut(i) {
            add_alias(p, &spelling);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::EpisodeBuilder;

    #[test]
    fn named_speakers_become_participants_or_aliases() {
        let mut e = EpisodeBuilder::new("e")
            .participant("Sarah Martin", Role::Host)
            .participant("Arthur Mensch", Role::Guest)
            .said(Some("Sarah"), "Bonjour.")
            .said(Some("Arthur Mench"), "Merci.")
            .said(Some("MARIE DUPONT"), "Une question.")
            .said(Some("Journaliste"), "Et la suite ?")
            .said(Some("Invité 2"), "Oui.")
            .build();
        add_named_speakers(&mut e);
        let people: Vec<(&str, Vec<&str>)> = e
            .participants
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.aliases.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            people,
            [
                ("Sarah Martin", vec!["Sarah"]),
                ("Arthur Mensch", vec!["Arthur Mench"]),
                ("Marie Dupont", vec![]),
            ]
        );
        for generic in [
            "Journaliste",
            "Invité 2",
            "Speaker A",
            "SPEAKER_01",
            "Inconnu",
        ] {
            assert!(is_generic_speaker(generic), "{generic}");
        }
        assert!(!is_generic_speaker("Marie"));
    }

    #[test]
    fn labels() {
        for label in [
            "SPEAKER_00",
            "Speaker 1",
            "spk-2",
            "Locuteur 3",
            "INTERVENANT_12",
        ] {
            assert!(is_label(label), "{label}");
        }
        for name in ["Arthur Mensch", "Speaker", "SPEAKER_", "Speaker Pelosi"] {
            assert!(!is_label(name), "{name}");
        }
    }

    #[test]
    fn introduction_patterns() {
        use IntroKind::*;
        for (text, kind, name) in [
            (
                "Aujourd'hui, on reçoit une légende de la tech française, Arthur Mench, cofondateur de Mistral AI.",
                Introduces,
                "Arthur Mench",
            ),
            (
                "Avec nous aujourd'hui Marie Curie.",
                Introduces,
                "Marie Curie",
            ),
            ("Bienvenue Léa Martin !", Introduces, "Léa Martin"),
            (
                "Et on accueille Jean-Baptiste Kempf, fondateur de VLC.",
                Introduces,
                "Jean-Baptiste Kempf",
            ),
            ("Thomas, tu peux te présenter ?", Introduces, "Thomas"),
            (
                "Hugo Bernard, est-ce que vous pouvez vous présenter rapidement ?",
                Introduces,
                "Hugo Bernard",
            ),
            (
                "Bien sûr, donc je m'appelle Quentin Haddan, je suis le CEO de Clevercloud.",
                SelfIntroduction,
                "Quentin Haddan",
            ),
            (
                "Oui du coup je m'appelle Pierre, donc voilà.",
                SelfIntroduction,
                "Pierre",
            ),
            (
                "Salut, moi c'est Léa, je fais du Rust.",
                SelfIntroduction,
                "Léa",
            ),
            (
                "Nous sommes le 28 juillet, et je suis Horace Ion-Salès, et aujourd'hui",
                SelfIntroduction,
                "Horace Ion-Salès",
            ),
            (
                "Alors je vais me présenter aussi rapidement Thomas Mathieu, comme Quentin.",
                SelfIntroduction,
                "Thomas Mathieu",
            ),
            (
                "Bonjour. Marie Dupont, je travaille chez Qonto depuis deux ans.",
                SelfIntroduction,
                "Marie Dupont",
            ),
        ] {
            let found = introductions(text);
            let first = found.first().unwrap_or_else(|| panic!("nothing in {text}"));
            assert_eq!((first.kind, first.name.as_str()), (kind, name), "{text}");
            assert!(text.contains(&first.words), "{text}");
        }
        for text in [
            "je suis Français et je travaille à Paris.",
            "On a parlé de Mistral AI et de OpenAI.",
            "avec nous c'est toujours la même chose. Thomas a dit oui.",
            "Je suis très excité de vous partager cette conversation avec Arthur.",
            "Arthur, je suis d'accord avec toi.",
        ] {
            assert!(
                introductions(text).is_empty(),
                "{text}: {:?}",
                introductions(text)
            );
        }
    }

    fn turns_episode(turns: &[(&str, &str)], known: &[(&str, Role)]) -> Episode {
        let e = known
            .iter()
            .fold(EpisodeBuilder::new("t"), |e, (name, role)| {
                e.participant(name, *role)
            });
        let start = |i: usize| i as u64 * 10_000;
        turns
            .iter()
            .enumerate()
            .fold(e, |e, (i, (speaker, text))| {
                e.said(Some(speaker), text).at(start(i), start(i) + 9_000)
            })
            .build()
    }

    fn mapped(e: &Episode, label: &str) -> (Option<String>, Role, MappingMethod) {
        let m = e.speaker_map.iter().find(|m| m.label == label).unwrap();
        (m.name.clone(), m.role, m.method)
    }

    #[test]
    fn labels_mapped_from_turns() {
        use MappingMethod::*;
        // Opener named from the metadata's one host; guests by invitation and self-introduction.
        let mut e = turns_episode(
            &[
                (
                    "SPEAKER_01",
                    "Bonjour et bienvenue dans l'émission. Hugo Bernard, tu peux te présenter ?",
                ),
                ("SPEAKER_00", "Oui, je suis développeur à Lyon."),
                (
                    "SPEAKER_02",
                    "Et moi, je m'appelle Léa Martine, je fais du Rust.",
                ),
                ("SPEAKER_03", "Je suis Product Manager chez Exemple."),
            ],
            &[("Marc Dupont", Role::Host), ("Léa Martin", Role::Guest)],
        );
        map_labels(&mut e);
        assert_eq!(
            mapped(&e, "SPEAKER_01"),
            (Some("Marc Dupont".into()), Role::Host, OpensShow)
        );
        assert_eq!(
            mapped(&e, "SPEAKER_00"),
            (Some("Hugo Bernard".into()), Role::Guest, Introduced)
        );
        assert_eq!(
            mapped(&e, "SPEAKER_02"),
            (Some("Léa Martin".into()), Role::Guest, SelfIntroduction)
        );
        // "je suis Product Manager": a guess below the bar, the label stays on the passages.
        let weak = e
            .speaker_map
            .iter()
            .find(|m| m.label == "SPEAKER_03")
            .unwrap();
        assert!(weak.confidence < CONFIDENT, "{weak:?}");
        // Every passage keeps a speaker: a name where the label is known.
        let speakers: Vec<Option<&str>> = e.passages.iter().map(|p| p.speaker.as_deref()).collect();
        assert_eq!(
            speakers,
            ["Marc Dupont", "Hugo Bernard", "Léa Martin", "SPEAKER_03"].map(Some)
        );
        let lea = e
            .participants
            .iter()
            .find(|p| p.name == "Léa Martin")
            .unwrap();
        assert_eq!(lea.aliases, ["SPEAKER_02"]);
        assert!(!e.participants.iter().any(|p| p.name == "SPEAKER_00"));
    }

    #[test]
    fn an_interjection_is_not_the_answer() {
        let mut e = turns_episode(
            &[
                (
                    "SPEAKER_00",
                    "Bonjour à tous, aujourd'hui on reçoit Hugo Bernard.",
                ),
                ("SPEAKER_01", "Salut !"),
                (
                    "SPEAKER_02",
                    "Merci de m'avoir invité, c'est un plaisir d'être là avec vous.",
                ),
            ],
            &[],
        );
        map_labels(&mut e);
        assert_eq!(mapped(&e, "SPEAKER_02").0.as_deref(), Some("Hugo Bernard"));
        assert_eq!(mapped(&e, "SPEAKER_01").2, MappingMethod::Unmapped);
    }

    #[test]
    fn one_name_for_one_label_and_sidecar_wins() {
        // Both labels say they are Léa: the surer one keeps the name.
        let mut e = turns_episode(
            &[
                ("SPEAKER_00", "Salut tout le monde."),
                ("SPEAKER_01", "Bonjour, je m'appelle Léa Martin."),
                ("SPEAKER_02", "Et je suis Léa Martin aussi, haha."),
            ],
            &[],
        );
        map_labels(&mut e);
        assert_eq!(mapped(&e, "SPEAKER_01").0.as_deref(), Some("Léa Martin"));
        assert_eq!(mapped(&e, "SPEAKER_02").0, None);
        let host = mapped(&e, "SPEAKER_00");
        assert_eq!((host.0, host.1), (None, Role::Host));
        // A label the sidecar already named: confidence 1, evidence the sidecar line.
        let mut e = turns_episode(&[("Léa Martin", "Bonjour."), ("SPEAKER_01", "Salut.")], &[]);
        e.participants.push(Participant {
            name: "Léa Martin".into(),
            role: Role::Host,
            affiliation: None,
            handle: None,
            aliases: vec!["SPEAKER_00".into()],
        });
        map_labels(&mut e);
        let m = e.speaker_map.first().unwrap();
        assert_eq!(
            (m.label.as_str(), m.confidence, m.method),
            ("SPEAKER_00", 1.0, MappingMethod::Sidecar)
        );
        assert_eq!(mapped(&e, "SPEAKER_01").2, MappingMethod::Unmapped);
    }
}
