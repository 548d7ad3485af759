//! Episode ids: the slug of a file's path relative to the corpus root,
//! without the extension: lowercase ASCII, accents folded, anything else `-`
//! (`Shows/Été 2024/ép 1.txt` -> `shows-ete-2024-ep-1`). Two files with the
//! same slug (`a.txt` and `a.vtt`) get `-2`, `-3`... in path order.

use std::collections::HashMap;

/// The episode id of a file: the slug of its relative path without extension.
pub fn episode_id_for(rel_path: &str) -> String {
    let rel = rel_path.replace('\\', "/");
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let slug = crate::text::slugify(&if dir.is_empty() {
        stem.to_string()
    } else {
        format!("{dir}/{stem}")
    });
    if slug.is_empty() {
        "episode".to_string()
    } else {
        slug
    }
}

/// Ids for a whole corpus, in the order of `rel_paths`: [`episode_id_for`],
/// with `-2`, `-3`... added to later paths (in sorted order) whose slug is taken.
pub fn episode_ids(rel_paths: &[&str]) -> Vec<String> {
    let mut order: Vec<usize> = (0..rel_paths.len()).collect();
    order.sort_by_key(|i| rel_paths.get(*i).copied().unwrap_or(""));
    let base: Vec<String> = rel_paths.iter().map(|p| episode_id_for(p)).collect();
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut ids = vec![String::new(); rel_paths.len()];
    // Plain slugs are claimed first so that `a-2.txt` keeps its own id.
    for b in &base {
        taken.entry(b.clone()).or_insert(0);
    }
    for i in order {
        let Some(b) = base.get(i) else { continue };
        let count = taken.entry(b.clone()).or_insert(0);
        *count += 1;
        let mut id = if *count == 1 {
            b.clone()
        } else {
            format!("{b}-{count}")
        };
        while *count > 1 && base.contains(&id) {
            *count += 1;
            id = format!("{b}-{count}");
        }
        if let Some(slot) = ids.get_mut(i) {
            *slot = id;
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_paths() {
        for (path, want) in [
            (
                "mac-138-chatbots-lupus-bdd.txt",
                "mac-138-chatbots-lupus-bdd",
            ),
            ("Shows/Été 2024/ép 1.txt", "shows-ete-2024-ep-1"),
            ("noext", "noext"),
            (".txt", "txt"),
            ("***.txt", "episode"),
            ("a.b.vtt", "a-b"),
        ] {
            assert_eq!(episode_id_for(path), want, "{path}");
        }
    }

    #[test]
    fn colliding_ids_get_suffixes() {
        let ids = episode_ids(&["b/a.vtt", "a.txt", "a.vtt", "b-a.txt", "a-2.txt"]);
        assert_eq!(ids, vec!["b-a-2", "a", "a-3", "b-a", "a-2"]);
    }
}
