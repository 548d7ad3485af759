//! Merging people from several sources (the transcript itself, an RSS feed,
//! the `NAME.meta.toml` sidecar) into one participant list without duplicates.

use crate::model::{Participant, Role};

/// Maps a role as sources write it (Podcasting 2.0 taxonomy, French labels)
/// to a [`Role`]. `None` when the word is not a known role.
pub fn role_from_word(word: &str) -> Option<Role> {
    let w = word.trim().to_lowercase();
    Some(match w.as_str() {
        "host" | "co-host" | "cohost" | "guest host" | "animateur" | "animatrice"
        | "co-animateur" | "co-animatrice" | "présentateur" | "présentatrice" | "presentateur"
        | "presentatrice" | "hôte" | "hote" => Role::Host,
        "guest" | "invité" | "invitée" | "invite" | "invitee" | "intervenant" | "intervenante" => {
            Role::Guest
        }
        "unknown" | "inconnu" | "other" | "autre" => Role::Unknown,
        _ => return None,
    })
}

/// Whether `p` is the person called `name` (by name or alias, ignoring case).
pub fn is_named(p: &Participant, name: &str) -> bool {
    let name = name.trim();
    p.name.trim().eq_ignore_ascii_case(name)
        || p.name.trim().to_lowercase() == name.to_lowercase()
        || p.aliases
            .iter()
            .any(|a| a.trim().to_lowercase() == name.to_lowercase())
}

/// Adds `alias` to `p` unless it is already its name or an alias.
pub fn add_alias(p: &mut Participant, alias: &str) {
    if !is_named(p, alias) {
        p.aliases.push(alias.to_string());
    }
}

/// Merges `new` into `list`: a person already listed (by name or alias) gets
/// the new details (a known role over `unknown`, affiliation, handle,
/// aliases) when `override_details` is set or the old value is missing;
/// otherwise the person is appended.
pub fn merge(list: &mut Vec<Participant>, new: Participant, override_details: bool) {
    let Some(old) = list.iter_mut().find(|p| is_named(p, &new.name)) else {
        list.push(new);
        return;
    };
    if new.role != Role::Unknown && (override_details || old.role == Role::Unknown) {
        old.role = new.role;
    }
    if new.affiliation.is_some() && (override_details || old.affiliation.is_none()) {
        old.affiliation = new.affiliation;
    }
    if new.handle.is_some() && (override_details || old.handle.is_none()) {
        old.handle = new.handle;
    }
    if override_details && old.name != new.name {
        let previous = std::mem::replace(&mut old.name, new.name);
        add_alias(old, &previous);
    }
    for alias in &new.aliases {
        add_alias(old, alias);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, role: Role) -> Participant {
        Participant {
            name: name.into(),
            role,
            affiliation: None,
            handle: None,
            aliases: vec![],
        }
    }

    #[test]
    fn roles() {
        for (w, r) in [
            ("host", Some(Role::Host)),
            ("Animatrice", Some(Role::Host)),
            ("Invité", Some(Role::Guest)),
            ("producer", None),
        ] {
            assert_eq!(role_from_word(w), r, "{w}");
        }
    }

    #[test]
    fn merge_by_name_or_alias() {
        let mut list = vec![person("Léa Martin", Role::Unknown)];
        list[0].aliases.push("SPEAKER_00".into());
        let mut new = person("léa martin", Role::Host);
        new.affiliation = Some("Radio".into());
        new.aliases.push("Léa".into());
        merge(&mut list, new, false);
        merge(&mut list, person("Hugo", Role::Guest), false);
        merge(&mut list, person("SPEAKER_00", Role::Guest), false);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].name, "Léa Martin");
        assert_eq!(list[0].role, Role::Host);
        assert_eq!(list[0].affiliation.as_deref(), Some("Radio"));
        assert_eq!(list[0].aliases, ["SPEAKER_00", "Léa"]);
    }
}
