//! `verbatim inspect FILE`: how one transcript file parses (layout,
//! metadata, people, chapters, passages, diagnostics), with the companion
//! files beside it applied as in a corpus.

use anyhow::Context;
use std::path::Path;
use verbatim::CorpusSource;
use verbatim::model::{Episode, PassageTiming, format_timestamp};
use verbatim::text::trim_to_words;

/// `verbatim inspect FILE`: how one file parses, readable or as JSON.
pub fn run(file: &Path, json: bool) -> anyhow::Result<String> {
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {shown}"))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let id = verbatim::ingest::episode_id_for(&name);
    // The companions next to the file (sidecar, chapters, RTTM, feeds) apply too.
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let source = CorpusSource::Dir(folder.to_path_buf());
    let (companions, problems) = verbatim::ingest::load_companions(&source)
        .unwrap_or_else(|_| (Default::default(), Vec::new()));
    // A companion that could not be read is named once, and only when it
    // would have applied to this file: a broken file beside it is not this
    // file's business.
    for p in problems
        .iter()
        .filter(|p| verbatim::formats::companions::may_apply(&p.path, &name))
    {
        eprintln!("warning: {}: {}", p.path, p.reason);
    }
    let mut episode = verbatim::ingest::load_file_with_companions(&name, id, &bytes, &companions)
        .with_context(|| format!("cannot read {shown}"))?;
    episode.source.path = shown;
    if json {
        return Ok(serde_json::to_string_pretty(&episode)? + "\n");
    }
    Ok(describe(&episode))
}

fn describe(e: &Episode) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
    let _ = writeln!(s, "file:         {}", e.source.path);
    let _ = writeln!(s, "layout:       {}", e.source.format);
    let _ = writeln!(s, "episode_id:   {}", e.episode_id);
    let _ = writeln!(s, "title:        {}", e.title);
    let _ = writeln!(s, "show:         {}", opt(e.show.clone()));
    let _ = writeln!(
        s,
        "published:    {}",
        opt(e.published.map(|d| d.to_string()))
    );
    let _ = writeln!(
        s,
        "recorded:     {}",
        opt(e.recorded.map(|d| d.to_string()))
    );
    let _ = writeln!(
        s,
        "duration:     {}",
        opt(e.duration_seconds.map(format_timestamp))
    );
    let _ = writeln!(s, "language:     {}", opt(e.language.clone()));
    let _ = writeln!(s, "url:          {}", opt(e.url.clone()));
    if let Some(d) = &e.description {
        let _ = writeln!(s, "description:  {}", trim_to_words(d, 200));
    }
    let _ = writeln!(s, "participants: {}", e.participants.len());
    for p in &e.participants {
        let role = p.role.name();
        let mut line = format!("  {role:<7} {}", p.name);
        if let Some(h) = &p.handle {
            let _ = write!(line, " ({h})");
        }
        if let Some(a) = &p.affiliation {
            let _ = write!(line, " — {a}");
        }
        if !p.aliases.is_empty() {
            let _ = write!(line, " [aka {}]", p.aliases.join(", "));
        }
        let _ = writeln!(s, "{line}");
    }
    if !e.speaker_map.is_empty() {
        let _ = writeln!(s, "speaker labels:");
    }
    for m in &e.speaker_map {
        let name = m.name.as_deref().unwrap_or("(no name)");
        let _ = writeln!(
            s,
            "  {} -> {name} ({}, {}, confidence {:.2})",
            m.label,
            m.role.name(),
            label(&m.method),
            m.confidence
        );
    }
    let _ = writeln!(s, "chapters:     {}", e.chapters.len());
    for c in &e.chapters {
        let start = c
            .start_seconds
            .map_or_else(|| "--:--:--".to_string(), format_timestamp);
        let _ = writeln!(s, "  [{}] {start} {}", c.index, c.title);
        for l in &c.links {
            let _ = writeln!(s, "             {l}");
        }
    }
    let count = |t: PassageTiming| e.passages.iter().filter(|p| p.timing == t).count();
    let _ = writeln!(
        s,
        "passages:     {} (timed exact {}, estimated {}, untimed {}), {} words",
        e.passages.len(),
        count(PassageTiming::Exact),
        count(PassageTiming::Estimated),
        count(PassageTiming::None),
        e.word_count()
    );
    let _ = writeln!(s, "diagnostics:  {}", e.diagnostics.len());
    for d in &e.diagnostics {
        let at = d.line.map(|l| format!(" line {l}")).unwrap_or_default();
        let _ = writeln!(s, "  {}{at}: {}", label(&d.severity), d.message);
    }
    s
}

/// An enum's name as the JSON output spells it (`opens_show`, `info`), not
/// as Rust does (`OpensShow`, `Info`).
fn label<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => "?".to_string(),
    }
}
