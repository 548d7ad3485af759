//! The `NAME.meta.toml` sidecar: metadata a user attaches to the transcript
//! `NAME.ext` next to it, whatever its format.
//!
//! ```toml
//! title = "L'IA à l'école"
//! show = "Les Causeries"
//! published = 2024-11-19
//! url = "https://exemple.fr/ep1"
//!
//! [[participants]]
//! name = "Léa Martin"
//! role = "host"
//!
//! [speakers]
//! SPEAKER_00 = "Léa Martin"
//! ```
//!
//! Unknown keys are errors (a typo must not be silently ignored), naming the
//! file, the line and the key. The sidecar has the last word: it overrides what
//! the transcript and any feed say, and its `[speakers]` table renames
//! diarization labels while keeping each label as an alias of the person.

use crate::formats::Transcript;
use crate::formats::participants::{add_alias, is_named, merge, role_from_word};
use crate::model::{Participant, Role};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// The contents of a `NAME.meta.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: Option<String>,
    pub show: Option<String>,
    #[serde(default, deserialize_with = "date")]
    pub published: Option<NaiveDate>,
    #[serde(default, deserialize_with = "date")]
    pub recorded: Option<NaiveDate>,
    pub url: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    #[serde(default)]
    pub participants: Vec<MetaParticipant>,
    /// Diarization label -> name (`SPEAKER_00 = "Léa Martin"`).
    #[serde(default)]
    pub speakers: BTreeMap<String, String>,
}

/// One `[[participants]]` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaParticipant {
    pub name: String,
    /// `host`, `guest` or `unknown` (French `animateur`, `invité` accepted).
    pub role: Option<String>,
    pub affiliation: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub handle: Option<String>,
}

/// A sidecar that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SidecarError {
    /// The sidecar's file name.
    pub file: String,
    pub message: String,
}

/// A date written as a TOML date (`2024-11-19`) or a string (`"2024-11-19"`).
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }
    let raw = Raw::deserialize(d)?;
    let text = match raw {
        Raw::Text(s) => s,
        Raw::Toml(dt) => dt.to_string(),
    };
    let day = text.trim().get(..10).unwrap_or(text.trim());
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date like 2024-11-19")))
}

impl MetaParticipant {
    fn role(&self) -> Option<Role> {
        match self.role.as_deref() {
            None => Some(Role::Unknown),
            Some(word) => role_from_word(word),
        }
    }

    fn to_participant(&self) -> Participant {
        Participant {
            name: self.name.trim().to_string(),
            role: self.role().unwrap_or(Role::Unknown),
            affiliation: self.affiliation.clone(),
            handle: self.handle.clone(),
            aliases: self.aliases.clone(),
        }
    }
}

/// Reads a sidecar; `file` names it in error messages.
pub fn parse(file: &str, text: &str) -> Result<Meta, SidecarError> {
    let text = crate::formats::clean_input(text);
    let err = |message: String| SidecarError {
        file: file.to_string(),
        message,
    };
    let meta: Meta = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text.get(..s.start).map_or(0, |p| p.matches('\n').count()) + 1);
        let message = e.message().trim().replace("unknown field", "unknown key");
        match line {
            Some(l) => err(format!("line {l}: {message}")),
            None => err(message),
        }
    })?;
    for p in &meta.participants {
        if p.name.trim().is_empty() {
            return Err(err("a [[participants]] entry has an empty `name`".into()));
        }
        if p.role().is_none() {
            return Err(err(format!(
                "participant `{}`: unknown role `{}` (use host, guest or unknown)",
                p.name,
                p.role.as_deref().unwrap_or_default()
            )));
        }
    }
    if let Some((label, _)) = meta
        .speakers
        .iter()
        .find(|(_, name)| name.trim().is_empty())
    {
        return Err(err(format!(
            "[speakers]: `{label}` is mapped to an empty name"
        )));
    }
    Ok(meta)
}

/// Applies a sidecar to a transcript: its metadata overrides the
/// transcript's, its participants are merged in (its details win), and
/// `[speakers]` renames segment speakers, keeping each label as an alias of
/// the named participant (who is added if not listed).
pub fn apply(meta: &Meta, transcript: &mut Transcript) {
    let pick = |new: &Option<String>, old: &mut Option<String>| {
        if let Some(v) = new.as_ref().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            *old = Some(v.to_string());
        }
    };
    pick(&meta.title, &mut transcript.title);
    pick(&meta.show, &mut transcript.show);
    pick(&meta.url, &mut transcript.url);
    pick(&meta.description, &mut transcript.description);
    pick(&meta.language, &mut transcript.language);
    transcript.published = meta.published.or(transcript.published);
    transcript.recorded = meta.recorded.or(transcript.recorded);
    for p in &meta.participants {
        merge(&mut transcript.participants, p.to_participant(), true);
    }
    for (label, name) in &meta.speakers {
        let name = name.trim();
        for segment in &mut transcript.segments {
            if segment.speaker.as_deref() == Some(label.as_str()) {
                segment.speaker = Some(name.to_string());
            }
        }
        // A participant listed under the bare label becomes an alias of the named one.
        if let Some(pos) = transcript
            .participants
            .iter()
            .position(|p| p.name == *label && !is_named(p, name))
        {
            let old = transcript.participants.remove(pos);
            merge(
                &mut transcript.participants,
                Participant {
                    name: name.to_string(),
                    ..old
                },
                false,
            );
        }
        match transcript
            .participants
            .iter_mut()
            .find(|p| is_named(p, name))
        {
            Some(p) => add_alias(p, label),
            None => transcript.participants.push(Participant {
                name: name.to_string(),
                role: Role::Unknown,
                affiliation: None,
                handle: None,
                aliases: vec![label.clone()],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::Segment;

    const META: &str = r#"
title = "L'IA à l'école"
show = "Les Causeries"
published = 2024-11-19
recorded = "2024-11-02"
url = "https://exemple.fr/ep1"
language = "fr"

[[participants]]
name = "Léa Martin"
role = "animatrice"
affiliation = "Radio Exemple"

[[participants]]
name = "Hugo Bernard"
role = "guest"
aliases = ["Hugo"]
handle = "@hugo"

[speakers]
SPEAKER_00 = "Léa Martin"
SPEAKER_01 = "Hugo Bernard"
SPEAKER_02 = "Zoé"
"#;

    #[test]
    fn parse_and_apply() {
        let meta = parse("ep1.meta.toml", META).unwrap();
        assert_eq!(meta.published, NaiveDate::from_ymd_opt(2024, 11, 19));
        assert_eq!(meta.recorded, NaiveDate::from_ymd_opt(2024, 11, 2));
        let seg = |s: &str| Segment {
            start: Some(0),
            end: None,
            speaker: Some(s.into()),
            text: "x".into(),
            line: 1,
            marks: Vec::new(),
        };
        let mut t = Transcript {
            title: Some("WEBVTT header".into()),
            segments: vec![
                seg("SPEAKER_00"),
                seg("SPEAKER_01"),
                seg("SPEAKER_02"),
                seg("SPEAKER_03"),
            ],
            ..Transcript::default()
        };
        apply(&meta, &mut t);
        assert_eq!(t.title.as_deref(), Some("L'IA à l'école"));
        assert_eq!(t.show.as_deref(), Some("Les Causeries"));
        let speakers: Vec<&str> = t
            .segments
            .iter()
            .filter_map(|s| s.speaker.as_deref())
            .collect();
        assert_eq!(
            speakers,
            ["Léa Martin", "Hugo Bernard", "Zoé", "SPEAKER_03"]
        );
        let people: Vec<(&str, Role, Vec<&str>)> = t
            .participants
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.role,
                    p.aliases.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            people,
            [
                ("Léa Martin", Role::Host, vec!["SPEAKER_00"]),
                ("Hugo Bernard", Role::Guest, vec!["Hugo", "SPEAKER_01"]),
                ("Zoé", Role::Unknown, vec!["SPEAKER_02"]),
            ]
        );
        assert_eq!(t.participants[1].handle.as_deref(), Some("@hugo"));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        for (text, needles) in [
            (
                "title = \"x\"\ntitel = \"y\"\n",
                vec!["ep.meta.toml", "line 2", "titel"],
            ),
            (
                "[[participants]]\nname = \"A\"\naffiliations = \"x\"\n",
                vec!["ep.meta.toml", "line 3", "unknown key `affiliations`"],
            ),
            (
                "[[participants]]\nname = \"A\"\nrôle = \"host\"\n",
                vec!["ep.meta.toml", "line 3"],
            ),
            (
                "[[participants]]\nname = \"A\"\nrole = \"producteur\"\n",
                vec!["unknown role `producteur`"],
            ),
            ("published = \"19/11/2024\"\n", vec!["19/11/2024"]),
            ("title = \n", vec!["ep.meta.toml", "line 1"]),
            ("[speakers]\nSPEAKER_00 = \"\"\n", vec!["SPEAKER_00"]),
        ] {
            let err = parse("ep.meta.toml", text).unwrap_err().to_string();
            for n in needles {
                assert!(err.contains(n), "{text:?}: {err}");
            }
        }
    }
}
