//! The resource URIs answers link to: each episode's transcript at
//! `verbatim://episodes/{episode_id}` and each chapter's at
//! `verbatim://episodes/{episode_id}/chapters/{index}`. The MCP server
//! serves exactly these (`mcp::resources` parses them back), so every link
//! an answer gives can be read.

/// What every episode URI starts with.
pub const EPISODES_PREFIX: &str = "verbatim://episodes/";

/// The URI of an episode's transcript.
pub fn episode_uri(episode_id: &str) -> String {
    format!("{EPISODES_PREFIX}{episode_id}")
}

/// The URI of one chapter of an episode.
pub fn chapter_uri(episode_id: &str, chapter: usize) -> String {
    format!("{EPISODES_PREFIX}{episode_id}/chapters/{chapter}")
}
