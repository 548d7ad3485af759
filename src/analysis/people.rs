//! People across episodes: one [`Person`] for every participant who shares
//! a name or an alias (up to case, accents and punctuation) with another,
//! so that Horacio Gonzalez hosting two episodes is one person, and a query
//! by name, alias or diarization label finds them and their episodes.
//!
//! Diarization labels (`SPEAKER_00`) name different people in different
//! episodes, so a label only ever joins people within its own episode.

use crate::analysis::names::{heard_as, same_name};
use crate::analysis::speakers::is_label;
use crate::model::EpisodeHeader;
use crate::model::Role;
use rustc_hash::FxHashMap;

/// One person and where they appear.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The name they are given most often (a label only when no name is known).
    pub name: String,
    /// Every other spelling and label, deduplicated.
    pub aliases: Vec<String>,
    /// The most senior role they have anywhere (host, then guest).
    pub role: Role,
    /// The first affiliation any episode gives.
    pub affiliation: Option<String>,
    /// Their episodes, in corpus order.
    pub appearances: Vec<Appearance>,
}

/// A person in one episode.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    pub episode_id: String,
    /// The name the episode gives them (or the label).
    pub name: String,
    pub role: Role,
    pub affiliation: Option<String>,
    /// Every spelling under which their passages are attributed or their name heard here.
    pub names_here: Vec<String>,
}

impl Person {
    /// Whether this person appears in the episode.
    pub fn appears_in(&self, episode_id: &str) -> bool {
        self.appearances.iter().any(|a| a.episode_id == episode_id)
    }

    /// Their appearance in the episode.
    pub fn appearance(&self, episode_id: &str) -> Option<&Appearance> {
        self.appearances.iter().find(|a| a.episode_id == episode_id)
    }

    /// Whether the name has no person behind it yet: a bare diarization label.
    pub fn is_unnamed(&self) -> bool {
        is_label(&self.name)
    }
}

/// The people of a corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct People {
    pub people: Vec<Person>,
}

/// A comparison key: folded words; a label also carries its episode.
fn key(episode_id: &str, name: &str) -> String {
    if is_label(name) {
        local_key(episode_id, name)
    } else {
        folded_words(name)
    }
}

/// A key that only joins names within one episode.
fn local_key(episode_id: &str, name: &str) -> String {
    let folded = folded_words(name);
    if folded.is_empty() {
        folded
    } else {
        format!("{episode_id}\u{1f}{folded}")
    }
}

fn folded_words(name: &str) -> String {
    crate::text::closest::folded_words(name).join(" ")
}

fn seniority(role: Role) -> u8 {
    match role {
        Role::Host => 2,
        Role::Guest => 1,
        Role::Unknown => 0,
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| same_name(n, name) && n == name) && !name.trim().is_empty() {
        list.push(name.to_string());
    }
}

impl People {
    /// Every person of the episodes: participants, and speakers of passages no participant claims.
    pub fn build(episodes: &[EpisodeHeader]) -> People {
        // Each appearance, then union of those sharing a key.
        let mut appearances: Vec<Appearance> = Vec::new();
        for header in episodes {
            let e = &header.episode;
            let first_here = appearances.len();
            for p in &e.participants {
                let mut names_here = vec![p.name.clone()];
                for a in &p.aliases {
                    push_unique(&mut names_here, a);
                }
                appearances.push(Appearance {
                    episode_id: e.episode_id.clone(),
                    name: p.name.clone(),
                    role: p.role,
                    affiliation: p.affiliation.clone(),
                    names_here,
                });
            }
            for s in header.speakers.iter().map(String::as_str) {
                let claimed = appearances
                    .get(first_here..)
                    .unwrap_or_default()
                    .iter()
                    .any(|a| a.names_here.iter().any(|n| same_name(n, s)));
                if !claimed {
                    appearances.push(Appearance {
                        episode_id: e.episode_id.clone(),
                        name: s.to_string(),
                        role: Role::Unknown,
                        affiliation: None,
                        names_here: vec![s.to_string()],
                    });
                }
            }
        }
        let mut parent: Vec<usize> = (0..appearances.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while let Some(&p) = parent.get(i) {
                if p == i {
                    break;
                }
                let grand = parent.get(p).copied().unwrap_or(p);
                if let Some(slot) = parent.get_mut(i) {
                    *slot = grand;
                }
                i = p;
            }
            i
        }
        let mut owner: FxHashMap<String, usize> = FxHashMap::default();
        for (i, a) in appearances.iter().enumerate() {
            for n in &a.names_here {
                // A first name alone ("Sarah:" in captions) is someone's alias
                // in one episode only: across episodes it names many people.
                let k = if *n != a.name && !n.trim().contains(char::is_whitespace) {
                    local_key(&a.episode_id, n)
                } else {
                    key(&a.episode_id, n)
                };
                if k.is_empty() {
                    continue;
                }
                match owner.get(&k) {
                    Some(&j) => {
                        let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                        if let Some(slot) = parent.get_mut(ri) {
                            *slot = rj;
                        }
                    }
                    None => {
                        owner.insert(k, i);
                    }
                }
            }
        }
        let mut groups: Vec<(usize, Vec<Appearance>)> = Vec::new();
        for (i, a) in appearances.into_iter().enumerate() {
            let r = root(&mut parent, i);
            match groups.iter_mut().find(|(g, _)| *g == r) {
                Some((_, list)) => list.push(a),
                None => groups.push((r, vec![a])),
            }
        }
        People {
            people: groups.into_iter().map(|(_, list)| person(list)).collect(),
        }
    }

    /// The people a query names, best first: a name, an alias or a label in
    /// any case and with or without accents; else every person whose name
    /// holds all the query's words ("Mensch", "quentin"); else the people
    /// whose name sounds like it. Empty when nobody fits.
    pub fn find(&self, query: &str) -> Vec<&Person> {
        let q = key("", query);
        if q.is_empty() {
            return Vec::new();
        }
        let all_names = |p: &Person| -> Vec<String> {
            let mut names = vec![p.name.clone()];
            names.extend(p.aliases.iter().cloned());
            names
        };
        let exact: Vec<&Person> = self
            .people
            .iter()
            .filter(|p| all_names(p).iter().any(|n| key("", n) == q))
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let q_words: Vec<&str> = q.split(' ').collect();
        let containing: Vec<&Person> = self
            .people
            .iter()
            .filter(|p| {
                all_names(p).iter().any(|n| {
                    let k = key("", n);
                    let words: Vec<&str> = k.split(' ').collect();
                    q_words.iter().all(|w| words.contains(w))
                })
            })
            .collect();
        if !containing.is_empty() {
            return containing;
        }
        let mut scored: Vec<(f64, &Person)> = self
            .people
            .iter()
            .filter_map(|p| {
                let best = all_names(p)
                    .iter()
                    .filter_map(|n| heard_as(query, n))
                    .fold(0.0_f64, f64::max);
                (best > 0.0).then_some((best, p))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().map(|(_, p)| p).collect()
    }

    /// The people of one episode, in the episode's participant order.
    pub fn in_episode(&self, episode_id: &str) -> Vec<&Person> {
        self.people
            .iter()
            .filter(|p| p.appears_in(episode_id))
            .collect()
    }

    /// Names of everyone for "did you mean" messages.
    pub fn names(&self) -> Vec<&str> {
        self.people.iter().map(|p| p.name.as_str()).collect()
    }
}

/// One person from their appearances.
fn person(appearances: Vec<Appearance>) -> Person {
    // The name given most often (the first on a tie), a real name before a
    // label, written in normal case when some episode does.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for a in &appearances {
        match counts.iter_mut().find(|(n, _)| same_name(n, &a.name)) {
            Some((_, c)) => *c += 1,
            None => counts.push((&a.name, 1)),
        }
    }
    let mut best: Option<(&str, usize)> = None;
    for (n, c) in &counts {
        let better = best.is_none_or(|(b, bc)| (!is_label(n), *c) > (!is_label(b), bc));
        if better {
            best = Some((n, *c));
        }
    }
    let chosen = best.map(|(n, _)| n).unwrap_or_default();
    let name = appearances
        .iter()
        .map(|a| a.name.as_str())
        .filter(|n| same_name(n, chosen))
        .find(|n| n.chars().any(char::is_lowercase))
        .unwrap_or(chosen)
        .to_string();
    let mut aliases: Vec<String> = Vec::new();
    for a in &appearances {
        for n in &a.names_here {
            if !same_name(n, &name) && !aliases.iter().any(|x| same_name(x, n)) {
                aliases.push(n.clone());
            }
        }
    }
    let role = appearances
        .iter()
        .map(|a| a.role)
        .max_by_key(|r| seniority(*r))
        .unwrap_or(Role::Unknown);
    let affiliation = appearances.iter().find_map(|a| a.affiliation.clone());
    Person {
        name,
        aliases,
        role,
        affiliation,
        appearances,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::EpisodeBuilder;

    fn episode(id: &str, people: &[(&str, Role, &[&str])]) -> EpisodeHeader {
        let built = people
            .iter()
            .fold(EpisodeBuilder::new(id), |e, (name, role, aliases)| {
                e.participant_with(name, *role, aliases)
            });
        EpisodeHeader::of(&built.build())
    }

    #[test]
    fn one_person_across_episodes_labels_stay_local() {
        let people = People::build(&[
            episode(
                "a",
                &[
                    ("Horacio Gonzalez", Role::Host, &["Horace Ion-Salès"]),
                    ("SPEAKER_01", Role::Unknown, &[]),
                ],
            ),
            episode(
                "b",
                &[
                    ("HORACIO GONZÁLEZ", Role::Guest, &[]),
                    ("Léa Martin", Role::Guest, &["SPEAKER_01"]),
                ],
            ),
        ]);
        assert_eq!(people.people.len(), 3, "{people:#?}");
        let h = people.find("horacio gonzalez");
        assert_eq!(h.len(), 1);
        let h = h[0];
        assert_eq!((h.name.as_str(), h.role), ("Horacio Gonzalez", Role::Host));
        assert_eq!(h.appearances.len(), 2);
        assert_eq!(people.find("Horace Ion-Salès")[0].name, "Horacio Gonzalez");
        assert_eq!(people.find("Gonzalez")[0].name, "Horacio Gonzalez");
        assert_eq!(people.find("Horacio Gonzales")[0].name, "Horacio Gonzalez");
        // The label is one person per episode.
        let labels = people.find("speaker_01");
        assert_eq!(labels.len(), 2);
        assert!(people.find("Marc").is_empty());
        assert!(people.find("  ").is_empty());
    }
}
