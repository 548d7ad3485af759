//! A generation's manifest (`verbatim-manifest.json`): the corpus files it
//! indexed with their fingerprints, what each became (an episode id or the
//! reason it was skipped); the commit payload that ties the tantivy commit
//! to it; and the comparison with the corpus files now ([`diff`]).

use crate::ingest::FileStamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) schema: u32,
    pub(super) identity: String,
    pub(super) files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct ManifestFile {
    pub(super) path: String,
    pub(super) size: u64,
    pub(super) fingerprint: String,
    pub(super) episode_id: Option<String>,
    pub(super) problem: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Payload {
    pub(super) verbatim_schema: u32,
    pub(super) manifest_sha256: String,
}

/// Files to read again, and files gone.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Diff {
    pub(super) read: Vec<FileStamp>,
    pub(super) removed: Vec<String>,
}

impl Diff {
    pub(super) fn is_empty(&self) -> bool {
        self.read.is_empty() && self.removed.is_empty()
    }
}

pub(super) fn diff(manifest: &Manifest, stamps: &[FileStamp]) -> Diff {
    let old: BTreeMap<&str, &ManifestFile> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let now: BTreeSet<&str> = stamps.iter().map(|s| s.path.as_str()).collect();
    Diff {
        read: stamps
            .iter()
            .filter(|s| {
                old.get(s.path.as_str())
                    .is_none_or(|f| f.fingerprint != s.fingerprint || f.size != s.size)
            })
            .cloned()
            .collect(),
        removed: manifest
            .files
            .iter()
            .filter(|f| !now.contains(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::SCHEMA_VERSION;

    #[test]
    fn diff_finds_changed_added_and_removed_files() {
        let file = |path: &str, fp: &str| ManifestFile {
            path: path.into(),
            size: 1,
            fingerprint: fp.into(),
            episode_id: None,
            problem: None,
        };
        let stamp = |path: &str, fp: &str| FileStamp {
            path: path.into(),
            size: 1,
            fingerprint: fp.into(),
        };
        let manifest = Manifest {
            schema: SCHEMA_VERSION,
            identity: "x".into(),
            files: vec![file("a", "1"), file("b", "1"), file("c", "1")],
        };
        let d = diff(
            &manifest,
            &[stamp("a", "1"), stamp("b", "2"), stamp("d", "1")],
        );
        assert_eq!(
            d.read.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
            vec!["b", "d"]
        );
        assert_eq!(d.removed, vec!["c".to_string()]);
        assert!(
            diff(
                &manifest,
                &[stamp("a", "1"), stamp("b", "1"), stamp("c", "1")]
            )
            .is_empty()
        );
    }
}
