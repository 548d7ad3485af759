//! Companion files: what the files next to a transcript say about it.
//!
//! For a transcript `dir/NAME.ext`:
//! - `dir/NAME.meta.toml` ([`crate::formats::sidecar`]) has the last word on metadata and speaker names;
//! - `dir/NAME.chapters.json` (Podcasting 2.0 chapters) replaces the transcript's chapters;
//! - `dir/NAME.rttm` (diarization turns) names the speakers of an undiarized transcript;
//! - an RSS feed (`*.rss`, or `*.xml` whose root element is `<rss>`) in `dir` or
//!   a folder above gives metadata to the transcripts its items name (see
//!   [`crate::formats::rss::find_item`]).
//!
//! `NAME` may keep inner extensions or not: `ep.fr.vtt` takes `ep.fr.meta.toml`
//! or, failing that, `ep.meta.toml`. Companions are collected once per corpus
//! ([`Companions::add`]), then applied to each transcript ([`Companions::apply`])
//! in a fixed order: turns, feed, chapters, sidecar.

use crate::formats::rss::{self, Feed};
use crate::formats::rttm::{self, SpeakerTurn};
use crate::formats::sidecar::{self, Meta};
use crate::formats::sniff::Companion;
use crate::formats::{RawChapter, Transcript, podcasting20};
use crate::model::Diagnostic;
use std::collections::BTreeMap;

/// The companion kind a path names, judged by its name alone (so a corpus
/// scan can set these files aside without reading them). An `.xml` file is
/// not judged here ([`kind_needs_content`]): it may be a feed or a transcript.
pub fn kind_from_name(rel_path: &str) -> Option<Companion> {
    let name = rel_path
        .rsplit('/')
        .next()
        .unwrap_or(rel_path)
        .to_lowercase();
    if name.ends_with(".meta.toml") {
        Some(Companion::Sidecar)
    } else if name.ends_with(".chapters.json") {
        Some(Companion::Chapters)
    } else if name.ends_with(".rttm") {
        Some(Companion::Rttm)
    } else if name.ends_with(".rss") {
        Some(Companion::Feed)
    } else {
        None
    }
}

/// Whether only the content tells if this path is a companion: an `.xml`
/// file is a feed when its root element is `<rss>`
/// ([`crate::formats::sniff::detect_companion`]), a transcript otherwise.
pub fn kind_needs_content(rel_path: &str) -> bool {
    rel_path.to_lowercase().ends_with(".xml")
}

/// The part of a companion's path that names its transcript: `dir/NAME`.
fn companion_key(rel_path: &str, kind: Companion) -> String {
    let suffix_len = match kind {
        Companion::Sidecar => ".meta.toml".len(),
        Companion::Chapters => ".chapters.json".len(),
        Companion::Rttm => ".rttm".len(),
        Companion::Feed => 0,
    };
    rel_path
        .get(..rel_path.len().saturating_sub(suffix_len))
        .unwrap_or(rel_path)
        .to_string()
}

/// `dir/ep.fr.vtt` -> [`dir/ep.fr`, `dir/ep`]: the keys its companions may use.
fn transcript_keys(rel_path: &str) -> Vec<&str> {
    let name_start = rel_path.rfind('/').map_or(0, |i| i + 1);
    let mut keys = Vec::new();
    let mut rest = rel_path;
    while let Some(dot) = rest.rfind('.') {
        if dot <= name_start {
            break;
        }
        let Some(head) = rest.get(..dot) else { break };
        keys.push(head);
        rest = head;
    }
    if keys.is_empty() {
        keys.push(rel_path);
    }
    keys
}

/// Whether the companion file at `companion` (a relative path) would apply
/// to the transcript at `transcript` if it could be read: a sidecar, chapter
/// or RTTM file named after it, or a feed in its folder or a folder above
/// (any item may name it). A companion that fails is reported where it
/// concerns the file at hand, and nowhere else.
pub fn may_apply(companion: &str, transcript: &str) -> bool {
    match kind_from_name(companion) {
        Some(kind @ (Companion::Sidecar | Companion::Chapters | Companion::Rttm)) => {
            transcript_keys(transcript).contains(&companion_key(companion, kind).as_str())
        }
        // A feed, by name or (for `.xml`) by content.
        Some(Companion::Feed) | None => in_or_below(folder(transcript), folder(companion)),
    }
}

/// Whether `dir` is `ancestor` or inside it (`""` is the corpus root).
fn in_or_below(dir: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || dir
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The folder of a relative path (`""` at the root).
fn folder(rel_path: &str) -> &str {
    rel_path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Every companion of a corpus, parsed.
#[derive(Debug, Default)]
pub struct Companions {
    sidecars: BTreeMap<String, (String, Meta)>,
    chapters: BTreeMap<String, (String, Vec<RawChapter>)>,
    turns: BTreeMap<String, (String, Vec<SpeakerTurn>)>,
    /// (folder, file path, feed).
    feeds: Vec<(String, String, Feed)>,
}

impl Companions {
    /// Reads one companion file. An error is a one-line reason naming what was
    /// wrong; the caller reports it for that file, and transcripts still load.
    pub fn add(&mut self, rel_path: &str, kind: Companion, text: &str) -> Result<(), String> {
        let key = companion_key(rel_path, kind);
        let file = rel_path.to_string();
        match kind {
            Companion::Sidecar => {
                let meta = sidecar::parse(rel_path, text).map_err(|e| e.to_string())?;
                self.sidecars.insert(key, (file, meta));
            }
            Companion::Chapters => {
                let chapters =
                    podcasting20::parse_chapters_json(text).map_err(|e| e.to_string())?;
                self.chapters.insert(key, (file, chapters));
            }
            Companion::Rttm => {
                let turns = rttm::parse(text).map_err(|e| e.to_string())?;
                self.turns.insert(key, (file, turns));
            }
            Companion::Feed => {
                let feed = rss::parse(text).map_err(|e| e.to_string())?;
                self.feeds.push((folder(rel_path).to_string(), file, feed));
            }
        }
        Ok(())
    }

    /// Whether no companion was read.
    pub fn is_empty(&self) -> bool {
        self.sidecars.is_empty()
            && self.chapters.is_empty()
            && self.turns.is_empty()
            && self.feeds.is_empty()
    }

    /// The companion files that apply to a transcript, in the order they are applied.
    pub fn files_for(&self, rel_path: &str) -> Vec<&str> {
        let mut files = Vec::new();
        let keys = transcript_keys(rel_path);
        if let Some((f, _)) = find(&self.turns, &keys) {
            files.push(f.as_str());
        }
        if let Some((f, _, _)) = self.feed_item(rel_path) {
            files.push(f);
        }
        if let Some((f, _)) = find(&self.chapters, &keys) {
            files.push(f.as_str());
        }
        if let Some((f, _)) = find(&self.sidecars, &keys) {
            files.push(f.as_str());
        }
        files
    }

    /// The first feed, nearest folder first, with an item naming this transcript.
    fn feed_item(&self, rel_path: &str) -> Option<(&str, &Feed, usize)> {
        let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
        let dir = folder(rel_path);
        let mut candidates: Vec<&(String, String, Feed)> = self
            .feeds
            .iter()
            .filter(|(d, _, _)| in_or_below(dir, d))
            .collect();
        candidates.sort_by_key(|(d, f, _)| (std::cmp::Reverse(d.len()), f.as_str()));
        candidates
            .into_iter()
            .find_map(|(_, f, feed)| rss::find_item(feed, name).map(|i| (f.as_str(), feed, i)))
    }

    /// Applies the companions of the transcript at `rel_path`: diarization turns
    /// (only when no segment names a speaker), the feed item's metadata, the
    /// chapters, then the sidecar. Each applied file is noted in the diagnostics.
    pub fn apply(&self, rel_path: &str, transcript: &mut Transcript) {
        let keys = transcript_keys(rel_path);
        if let Some((file, turns)) = find(&self.turns, &keys) {
            if transcript.segments.iter().any(|s| s.speaker.is_some()) {
                transcript.diagnostics.push(Diagnostic::info(format!(
                    "{file} ignored: the transcript already names its speakers"
                )));
            } else if transcript.segments.iter().all(|s| s.start.is_none()) {
                transcript.diagnostics.push(Diagnostic::warning(format!(
                    "{file} ignored: the transcript has no times to match speaker turns against"
                )));
            } else {
                rttm::assign_speakers(&mut transcript.segments, turns);
                transcript
                    .diagnostics
                    .push(Diagnostic::info(format!("speakers assigned from {file}")));
            }
        }
        if let Some((file, feed, index)) = self.feed_item(rel_path)
            && let Some(item) = feed.items.get(index)
        {
            rss::apply(feed, item, transcript);
            transcript
                .diagnostics
                .push(Diagnostic::info(format!("metadata from the feed {file}")));
        }
        if let Some((file, chapters)) = find(&self.chapters, &keys) {
            transcript.chapters = chapters.clone();
            transcript
                .diagnostics
                .push(Diagnostic::info(format!("chapters from {file}")));
        }
        if let Some((file, meta)) = find(&self.sidecars, &keys) {
            sidecar::apply(meta, transcript);
            transcript
                .diagnostics
                .push(Diagnostic::info(format!("metadata from {file}")));
        }
    }
}

fn find<'a, T>(map: &'a BTreeMap<String, T>, keys: &[&str]) -> Option<&'a T> {
    keys.iter().find_map(|k| map.get(*k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::Segment;

    #[test]
    fn keys_and_kinds() {
        assert_eq!(transcript_keys("a/ep.fr.vtt"), ["a/ep.fr", "a/ep"]);
        assert_eq!(transcript_keys("a.b/ep"), ["a.b/ep"]);
        assert_eq!(companion_key("a/ep.meta.toml", Companion::Sidecar), "a/ep");
        assert_eq!(kind_from_name("x/Feed.RSS"), Some(Companion::Feed));
        assert_eq!(kind_from_name("x/Feed.XML"), None);
        assert!(kind_needs_content("x/Feed.XML"));
        assert_eq!(kind_from_name("x/ep.vtt"), None);
    }

    fn timed(start: u64, end: u64, speaker: Option<&str>) -> Segment {
        Segment {
            start: Some(start),
            end: Some(end),
            speaker: speaker.map(str::to_string),
            text: "x".into(),
            line: 1,
            marks: Vec::new(),
        }
    }

    #[test]
    fn apply_in_order_with_inner_extensions() {
        let mut c = Companions::default();
        c.add(
            "s/ep.rttm",
            Companion::Rttm,
            "SPEAKER ep 1 0.0 2.0 <NA> <NA> SPEAKER_00 <NA> <NA>",
        )
        .unwrap();
        c.add(
            "s/ep.meta.toml",
            Companion::Sidecar,
            "title = \"Titre\"\n[speakers]\nSPEAKER_00 = \"Léa\"\n",
        )
        .unwrap();
        c.add(
            "s/ep.chapters.json",
            Companion::Chapters,
            r#"{"version":"1.2.0","chapters":[{"startTime":0,"title":"Début"}]}"#,
        )
        .unwrap();
        let mut t = Transcript {
            segments: vec![timed(0, 1_000, None), timed(5_000, 6_000, None)],
            ..Transcript::default()
        };
        assert_eq!(
            c.files_for("s/ep.fr.vtt"),
            ["s/ep.rttm", "s/ep.chapters.json", "s/ep.meta.toml"]
        );
        c.apply("s/ep.fr.vtt", &mut t);
        assert_eq!(t.title.as_deref(), Some("Titre"));
        assert_eq!(t.segments[0].speaker.as_deref(), Some("Léa"));
        assert_eq!(t.segments[1].speaker, None);
        assert_eq!(t.chapters.len(), 1);
        // Another folder's companions do not apply.
        assert!(c.files_for("autre/ep.vtt").is_empty());
    }

    #[test]
    fn rttm_does_not_override_named_speakers() {
        let mut c = Companions::default();
        c.add(
            "ep.rttm",
            Companion::Rttm,
            "start=0.0s stop=2.0s speaker_SPEAKER_01",
        )
        .unwrap();
        let mut t = Transcript {
            segments: vec![timed(0, 1_000, Some("Hugo"))],
            ..Transcript::default()
        };
        c.apply("ep.srt", &mut t);
        assert_eq!(t.segments[0].speaker.as_deref(), Some("Hugo"));
    }

    #[test]
    fn which_companions_concern_a_transcript() {
        for (companion, transcript, want) in [
            ("s/ep.meta.toml", "s/ep.fr.vtt", true),
            ("s/ep.meta.toml", "s/autre.vtt", false),
            ("s/ep.chapters.json", "ep.vtt", false),
            ("ep.rttm", "ep.srt", true),
            ("feed.xml", "s/ep.srt", true),
            ("s/feed.rss", "s/t/ep.srt", true),
            ("s/feed.rss", "st/ep.srt", false),
        ] {
            assert_eq!(
                may_apply(companion, transcript),
                want,
                "{companion} {transcript}"
            );
        }
    }

    #[test]
    fn bad_companions_are_reported() {
        let mut c = Companions::default();
        let err = c
            .add("ep.meta.toml", Companion::Sidecar, "titre = \"x\"")
            .unwrap_err();
        assert!(
            err.contains("ep.meta.toml") && err.contains("titre"),
            "{err}"
        );
        assert!(c.add("f.xml", Companion::Feed, "<html/>").is_err());
        assert!(c.is_empty());
    }
}
