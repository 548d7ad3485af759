//! Resources: each episode as Markdown at `verbatim://episodes/{episode_id}`,
//! and each chapter at `verbatim://episodes/{episode_id}/chapters/{chapter}`.
//!
//! An unknown or malformed URI is invalid params (-32602), the code the
//! 2026-07-28 specification gives a missing resource, for every client.

use super::unknown_episode_message;
use crate::answers::reading::{chapter_markdown, episode_markdown};
use crate::corpus::Corpus;
use crate::mcp::cursor;
use rmcp::ErrorData;
use rmcp::model::{
    ListResourcesResult, ReadResourceResult, Resource, ResourceContents, ResourceTemplate,
};

use crate::answers::links::EPISODES_PREFIX as PREFIX;
use crate::answers::links::episode_uri;
const MIME: &str = "text/markdown";
/// Resources listed per page.
const PAGE: usize = 100;

/// One page of the episode resources.
pub fn list(corpus: &Corpus, cursor_text: Option<&str>) -> Result<ListResourcesResult, ErrorData> {
    let print = cursor::fingerprint(&["resources/list"]);
    let offset = cursor::decode(cursor_text, &print)
        .map_err(|e| ErrorData::invalid_params(e.to_string(), None))?;
    let items: Vec<Resource> = corpus
        .headers()
        .iter()
        .skip(offset)
        .take(PAGE)
        .map(|h| {
            let e = &h.episode;
            let mut about = vec![];
            about.extend(e.show.clone());
            about.extend(e.published.map(|d| d.to_string()));
            let names: Vec<&str> = e.participants.iter().map(|p| p.name.as_str()).collect();
            if !names.is_empty() {
                about.push(names.join(", "));
            }
            let description = format!("Full transcript as Markdown ({}).", about.join("; "));
            Resource::new(episode_uri(&e.episode_id), e.episode_id.clone())
                .with_title(e.title.clone())
                .with_description(description)
                .with_mime_type(MIME)
        })
        .collect();
    let end = offset + items.len();
    let mut result = ListResourcesResult::with_all_items(items);
    if end < corpus.len() {
        result.next_cursor = Some(cursor::encode(&print, end));
    }
    Ok(result)
}

/// The two URI templates.
pub fn templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new(format!("{PREFIX}{{episode_id}}"), "episode")
            .with_title("Episode transcript")
            .with_description("The whole transcript of an episode as Markdown: metadata, chapter headings, and every passage with its time and speaker.")
            .with_mime_type(MIME),
        ResourceTemplate::new(format!("{PREFIX}{{episode_id}}/chapters/{{chapter}}"), "chapter")
            .with_title("Episode chapter")
            .with_description("One chapter of an episode as Markdown (chapter indexes start at 0; see the `list_chapters` tool).")
            .with_mime_type(MIME),
    ]
}

/// Reads an episode or chapter resource.
pub fn read(corpus: &Corpus, uri: &str) -> Result<ReadResourceResult, ErrorData> {
    // Checked first: every message below quotes the URI back.
    super::arguments::bounded("uri", uri)
        .map_err(|message| ErrorData::invalid_params(message, None))?;
    let invalid = |message: String| {
        ErrorData::invalid_params(message, Some(serde_json::json!({ "uri": uri })))
    };
    let Some(rest) = uri.strip_prefix(PREFIX) else {
        return Err(invalid(format!(
            "unknown resource `{uri}`: verbatim serves `{PREFIX}{{episode_id}}` and `{PREFIX}{{episode_id}}/chapters/{{chapter}}`"
        )));
    };
    let (episode_id, chapter) = match rest.split_once('/') {
        None => (rest, None),
        Some((id, tail)) => match tail.strip_prefix("chapters/").map(str::parse::<usize>) {
            Some(Ok(index)) => (id, Some(index)),
            _ => {
                return Err(invalid(format!(
                    "unknown resource `{uri}`: after the episode id only `/chapters/{{index}}` (a number from 0) is allowed"
                )));
            }
        },
    };
    let episode = corpus.try_episode(episode_id).map_err(|e| {
        ErrorData::internal_error(
            crate::corpus::unreadable(&format!("episode `{episode_id}`"), &e),
            None,
        )
    })?;
    let Some(episode) = episode else {
        return Err(invalid(unknown_episode_message(corpus, episode_id)));
    };
    let text = match chapter {
        None => episode_markdown(&episode),
        Some(index) => chapter_markdown(&episode, index)
            .map_err(|e| invalid(super::arguments::reading_error(&e)))?,
    };
    Ok(ReadResourceResult::new(vec![
        ResourceContents::text(text, uri).with_mime_type(MIME),
    ]))
}
