//! Where a corpus's files come from: the transcripts embedded in the binary,
//! or a folder read recursively. Files are listed (path, size, mtime)
//! without being read, and read one at a time, so an index can tell what
//! changed before it parses anything.
//!
//! Hidden files and folders are skipped; companion files (sidecars, chapter
//! files, RTTM turns, feeds) are listed apart from the transcripts.

use crate::formats::sniff::Companion;
use include_dir::{Dir, include_dir};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

/// The default corpus, compiled into the binary so verbatim works anywhere.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/corpus");

/// Files larger than this are skipped: no transcript is that big, and reading
/// one would hold the whole corpus back.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where the episodes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusSource {
    /// The transcripts compiled into the binary.
    Embedded,
    /// A folder, read recursively.
    Dir(PathBuf),
}

impl CorpusSource {
    /// A short description for logs and messages.
    pub fn describe(&self) -> String {
        match self {
            CorpusSource::Embedded => "the embedded corpus".to_string(),
            CorpusSource::Dir(p) => p.display().to_string(),
        }
    }
}

/// One file of a corpus, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Path relative to the corpus root, with `/` separators.
    pub rel_path: String,
    /// Size in bytes (0 when it could not be read).
    pub size: u64,
    /// Last modification time; `None` for the embedded corpus or when unknown.
    pub modified: Option<SystemTime>,
}

/// Why a corpus folder, or one of its files, could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read corpus folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: no such file in the embedded corpus")]
    NotEmbedded(String),
    #[error("{0}: not a path inside the corpus")]
    OutsideCorpus(String),
    #[error("{path}: {size} bytes is more than the {max} bytes a transcript may have")]
    TooLarge { path: String, size: u64, max: u64 },
}

pub(crate) fn read_checked(
    source: &CorpusSource,
    file: &CorpusFile,
) -> Result<Vec<u8>, SourceError> {
    if file.size > MAX_FILE_BYTES {
        return Err(SourceError::TooLarge {
            path: file.rel_path.clone(),
            size: file.size,
            max: MAX_FILE_BYTES,
        });
    }
    read(source, &file.rel_path)
}

/// Whether a file's name makes it a companion of a transcript (metadata,
/// chapters, speaker turns, an `.rss` feed) rather than a transcript: these
/// are read alongside, not loaded as episodes. An `.xml` file is not one by
/// name; [`companion_kind`] reads its root element. See
/// [`crate::formats::companions`].
pub fn is_companion(rel_path: &str) -> bool {
    crate::formats::companions::kind_from_name(rel_path).is_some()
}

/// How much of an `.xml` file is read to find its root element: it comes
/// after the XML declaration and, at most, a licence comment.
const XML_HEAD_BYTES: u64 = 64 * 1024;

/// The companion kind of a corpus file: by its name, or for an `.xml` file by
/// its root element (a feed is `<rss>`), read from its first bytes. An `.xml`
/// file that cannot be read is taken for a transcript, so loading it reports
/// why on its own name.
pub fn companion_kind(source: &CorpusSource, rel_path: &str) -> Option<Companion> {
    use crate::formats::companions::{kind_from_name, kind_needs_content};
    if let Some(kind) = kind_from_name(rel_path) {
        return Some(kind);
    }
    if !kind_needs_content(rel_path) {
        return None;
    }
    let head = read_head(source, rel_path, XML_HEAD_BYTES).ok()?;
    let decoded = crate::formats::decode(&head).ok()?;
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    crate::formats::sniff::detect_companion(name, &decoded.text)
}

/// The first `max` bytes of one file of the corpus.
fn read_head(source: &CorpusSource, rel_path: &str, max: u64) -> Result<Vec<u8>, SourceError> {
    use std::io::Read as _;
    match source {
        CorpusSource::Embedded => {
            let mut bytes = read(source, rel_path)?;
            bytes.truncate(usize::try_from(max).unwrap_or(usize::MAX));
            Ok(bytes)
        }
        CorpusSource::Dir(root) => {
            let error = |e| SourceError::File {
                path: rel_path.to_string(),
                source: e,
            };
            let rel = Path::new(rel_path);
            if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
                return Err(SourceError::OutsideCorpus(rel_path.to_string()));
            }
            let file = std::fs::File::open(root.join(rel)).map_err(error)?;
            let mut head = Vec::new();
            file.take(max).read_to_end(&mut head).map_err(error)?;
            Ok(head)
        }
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Lists the transcript files of a corpus, sorted by path, skipping hidden
/// files and folders and companion files. An entry that exists but cannot be
/// inspected (a dangling link, a folder that cannot be listed) is still
/// listed, so that reading it reports the problem.
pub fn scan(source: &CorpusSource) -> Result<Vec<CorpusFile>, SourceError> {
    let mut files = scan_all(source)?;
    files.retain(|f| companion_kind(source, &f.rel_path).is_none());
    Ok(files)
}

/// Lists the companion files of a corpus (sidecars, chapters, RTTM, feeds),
/// sorted by path, so an index can notice when one changes.
pub fn scan_companions(source: &CorpusSource) -> Result<Vec<CorpusFile>, SourceError> {
    let mut files = scan_all(source)?;
    files.retain(|f| companion_kind(source, &f.rel_path).is_some());
    Ok(files)
}

/// A corpus's transcripts and companions, listed in one walk.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// What [`scan`] lists.
    pub transcripts: Vec<CorpusFile>,
    /// What [`scan_companions`] lists.
    pub companions: Vec<CorpusFile>,
    /// Whether the walk went through a symbolic link: then a change made
    /// through one path also changes what another path lists.
    pub links: bool,
}

/// [`scan`] and [`scan_companions`] in one walk of the folder (one `stat`
/// per file: a few tenths of a second at 1 GB, worth not paying twice).
pub fn scan_listing(source: &CorpusSource) -> Result<Listing, SourceError> {
    let (all, links) = scan_all_with_links(source)?;
    let (companions, transcripts) = all
        .into_iter()
        .partition(|f| companion_kind(source, &f.rel_path).is_some());
    Ok(Listing {
        transcripts,
        companions,
        links,
    })
}

/// Every file of a corpus, companions included, sorted by path.
fn scan_all(source: &CorpusSource) -> Result<Vec<CorpusFile>, SourceError> {
    scan_all_with_links(source).map(|(files, _)| files)
}

/// [`scan_all`], and whether a symbolic link was walked.
fn scan_all_with_links(source: &CorpusSource) -> Result<(Vec<CorpusFile>, bool), SourceError> {
    let mut files = Vec::new();
    let mut links = false;
    match source {
        CorpusSource::Embedded => scan_embedded(&EMBEDDED, &mut files),
        CorpusSource::Dir(root) => {
            let entries = std::fs::read_dir(root).map_err(|e| SourceError::Folder {
                path: root.clone(),
                source: e,
            })?;
            let mut visited: HashSet<PathBuf> = root.canonicalize().into_iter().collect();
            scan_dir(entries, "", &mut files, &mut visited, &mut links);
        }
    }
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    Ok((files, links))
}

fn scan_embedded(dir: &Dir<'static>, files: &mut Vec<CorpusFile>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        let hidden = rel.split('/').any(is_hidden);
        if !hidden {
            files.push(CorpusFile {
                rel_path: rel,
                size: file.contents().len() as u64,
                modified: None,
            });
        }
    }
    for sub in dir.dirs() {
        let hidden = sub
            .path()
            .file_name()
            .is_some_and(|n| is_hidden(&n.to_string_lossy()));
        if !hidden {
            scan_embedded(sub, files);
        }
    }
}

/// Folders deeper than this are not walked.
const MAX_DEPTH: usize = 32;

fn scan_dir(
    entries: std::fs::ReadDir,
    prefix: &str,
    files: &mut Vec<CorpusFile>,
    visited: &mut HashSet<PathBuf>,
    links: &mut bool,
) {
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_hidden(&name) {
            continue;
        }
        // A type that cannot be read counts as a link: the cautious side.
        if !entry.file_type().is_ok_and(|t| !t.is_symlink()) {
            *links = true;
        }
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        // Follows links: a link to a folder is walked, a dangling link is listed (and fails on read).
        match std::fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => {
                // A link back to a folder already walked would loop forever.
                let real = entry.path().canonicalize().unwrap_or_else(|_| entry.path());
                if !visited.insert(real) || rel.matches('/').count() >= MAX_DEPTH {
                    tracing::info!(folder = %rel, "folder skipped: already walked or too deep");
                    continue;
                }
                match std::fs::read_dir(entry.path()) {
                    Ok(sub) => scan_dir(sub, &rel, files, visited, links),
                    Err(e) => {
                        tracing::warn!(folder = %rel, "cannot list folder: {e}");
                        files.push(CorpusFile {
                            rel_path: rel,
                            size: 0,
                            modified: None,
                        });
                    }
                }
            }
            Ok(meta) => files.push(CorpusFile {
                rel_path: rel,
                size: meta.len(),
                modified: meta.modified().ok(),
            }),
            Err(_) => files.push(CorpusFile {
                rel_path: rel,
                size: 0,
                modified: None,
            }),
        }
    }
}

/// The bytes of one file of the corpus.
pub fn read(source: &CorpusSource, rel_path: &str) -> Result<Vec<u8>, SourceError> {
    match source {
        CorpusSource::Embedded => EMBEDDED
            .get_file(rel_path)
            .map(|f| f.contents().to_vec())
            .ok_or_else(|| SourceError::NotEmbedded(rel_path.to_string())),
        CorpusSource::Dir(root) => {
            let rel = Path::new(rel_path);
            if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
                return Err(SourceError::OutsideCorpus(rel_path.to_string()));
            }
            let path = root.join(rel);
            if path.is_dir() {
                let source = std::fs::read_dir(&path)
                    .err()
                    .unwrap_or_else(|| std::io::Error::other("is a folder, not a file"));
                return Err(SourceError::File {
                    path: rel_path.to_string(),
                    source,
                });
            }
            std::fs::read(&path).map_err(|e| SourceError::File {
                path: rel_path.to_string(),
                source: e,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companions_are_recognised() {
        for (path, companion) in [
            ("x/ep.meta.toml", true),
            ("ep.chapters.json", true),
            ("ep.RTTM", true),
            ("feeds/podcast.rss", true),
            ("feeds/podcast.xml", false),
            ("ep.json", false),
        ] {
            assert_eq!(is_companion(path), companion, "{path}");
        }
    }

    #[test]
    fn an_xml_file_is_a_feed_only_by_its_root_element() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (
                "feed.xml",
                "<?xml version=\"1.0\"?>\n<!-- flux -->\n<rss><channel/></rss>",
            ),
            ("cut.xml", "<rss version=\"2.0\"><channel><title>coup"),
            (
                "yt.xml",
                "<transcript><text start=\"1\" dur=\"1\">x</text></transcript>",
            ),
            ("config.xml", "<config><a/></config>"),
        ];
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let source = CorpusSource::Dir(dir.path().to_path_buf());
        let names = |files: Vec<CorpusFile>| -> Vec<String> {
            files.into_iter().map(|f| f.rel_path).collect()
        };
        assert_eq!(names(scan(&source).unwrap()), ["config.xml", "yt.xml"]);
        assert_eq!(
            names(scan_companions(&source).unwrap()),
            ["cut.xml", "feed.xml"]
        );
        assert_eq!(companion_kind(&source, "feed.xml"), Some(Companion::Feed));
    }

    #[test]
    fn embedded_corpus_lists_the_seeds() {
        let files = scan(&CorpusSource::Embedded).unwrap();
        assert_eq!(files.len(), 5);
        assert!(files.iter().all(|f| f.size > 0 && f.modified.is_none()));
        let first = files.first().unwrap();
        assert!(
            !read(&CorpusSource::Embedded, &first.rel_path)
                .unwrap()
                .is_empty()
        );
        assert!(read(&CorpusSource::Dir(".".into()), "../etc/passwd").is_err());
    }
}
