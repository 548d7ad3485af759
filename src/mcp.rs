//! The MCP server: eight read-only tools, one resource per episode, three
//! prompts and completions, served over stdio or streamable HTTP.
//!
//! This is the only part of verbatim that knows rmcp. Everything it answers
//! is computed by the library (catalog, reading, search, verify, speakers);
//! this layer checks arguments, turns library errors into tool errors a model
//! can act on, and keeps each answer small enough for a context window.
//!
//! - [`tools`]: the eight tools, their arguments and outputs.
//! - [`resources`]: `verbatim://episodes/{episode_id}` and its chapters.
//! - [`prompts`]: `cite_quotes`, `episode_brief`, `speaker_profile`.
//! - [`serve`]: stdio and streamable HTTP transports.

pub mod prompts;
pub mod resources;
pub mod serve;
pub mod tools;

use crate::catalog::{complete, speaker_names};
use crate::corpus::Corpus;
use crate::episode_store::EpisodeHeader;
use crate::model::Episode;
use crate::search::QuoteSearch;
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock};
use rmcp::model::{
    CompleteRequestParams, CompleteResult, CompletionInfo, Implementation,
    ListResourceTemplatesResult, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, Reference, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, prompt_handler, tool_handler};
use std::sync::Arc;

pub use serve::{
    HttpOptions, HttpServer, ServeError, banner, bind_http, serve_http_until_ctrl_c, serve_stdio,
};

/// What the server tells every client about itself (MCP `instructions`).
pub const INSTRUCTIONS: &str = "\
verbatim serves a corpus of transcripts of podcasts and videos (mostly in French): who said what, \
in which episode, at what time. Every answer carries an episode id, a speaker and a timestamp, \
and a ready-to-paste citation line.

How to work with it:
1. Find: `search_quotes` with a few words, a name or an \"exact phrase\" (accents and case do not matter; \
filters: episode_id, speaker, show, chapter, dates). `list_episodes` / `get_episode` / `list_chapters` show what exists.
2. Read around a hit before quoting it: `read_transcript` with `around_passage` = the hit's passage_id \
(or a time span), or `read_chapter` for a whole chapter. Context changes meaning.
3. Verify: before you put a quote in front of a person, call `verify_quote`. `exact` = the transcript's words; \
`close` = a paraphrase, quote `match.excerpt` instead; `not_said` = do not attribute it.
4. Cite: use the `citation` field as is (`«words» — speaker, episode (show, date), 00:18:43`). \
A `~` before a time means it is interpolated; `untimed` means the source has no times: say so, never invent one.
`summarize_speakers` profiles who speaks, how much, with representative quotes. \
Each episode is also a resource `verbatim://episodes/{episode_id}` (whole transcript as Markdown).";

/// Completion values returned at most (the MCP limit).
const MAX_COMPLETIONS: usize = CompletionInfo::MAX_VALUES;

/// The verbatim MCP server. Cheap to clone: the corpus and the search backend are shared.
#[derive(Clone)]
pub struct VerbatimServer {
    corpus: Arc<Corpus>,
    search: Arc<dyn QuoteSearch>,
    tool_router: ToolRouter<Self>,
    prompt_router: PromptRouter<Self>,
}

impl std::fmt::Debug for VerbatimServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerbatimServer")
            .field("episodes", &self.corpus.len())
            .finish_non_exhaustive()
    }
}

impl VerbatimServer {
    /// A server over `corpus`, answering quote searches with `search` (built over the same corpus).
    pub fn new(corpus: Arc<Corpus>, search: Arc<dyn QuoteSearch>) -> Self {
        Self {
            corpus,
            search,
            tool_router: Self::tool_router(),
            prompt_router: Self::prompt_router(),
        }
    }

    /// The corpus served.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The whole episode `episode_id` (read from disk if needed), or a message
    /// naming the closest existing ids.
    fn episode_or_hint(&self, episode_id: &str) -> Result<Arc<Episode>, String> {
        let id = self.header_or_hint(episode_id)?.id().to_string();
        self.corpus
            .try_episode(&id)
            .map_err(|e| format!("episode `{id}` could not be read: {e}"))?
            .ok_or_else(|| unknown_episode_message(&self.corpus, &id))
    }

    /// The header of episode `episode_id` (no passages read), or a message
    /// naming the closest existing ids.
    fn header_or_hint(&self, episode_id: &str) -> Result<&EpisodeHeader, String> {
        let id = episode_id.trim();
        tools::bounded("episode_id", id)?;
        if id.is_empty() {
            return Err(
                "`episode_id` is empty; call `list_episodes` to see the episode ids".to_string(),
            );
        }
        self.corpus
            .header(id)
            .ok_or_else(|| unknown_episode_message(&self.corpus, id))
    }
}

/// "No episode X; closest ids: ..." for every tool, prompt and resource.
pub(crate) fn unknown_episode_message(corpus: &Corpus, id: &str) -> String {
    let closest = corpus.closest_episode_ids(id, 3);
    if closest.is_empty() {
        format!("no episode `{id}`: the corpus is empty")
    } else {
        format!(
            "no episode `{id}`; closest existing ids: {} (call `list_episodes` for all)",
            closest
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

#[tool_handler(router = self.tool_router)]
#[prompt_handler(router = self.prompt_router)]
impl ServerHandler for VerbatimServer {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_completions()
            .enable_prompts()
            .enable_resources()
            .enable_tools()
            .build();
        let mut implementation = Implementation::new("verbatim", env!("CARGO_PKG_VERSION"));
        implementation.title = Some("verbatim: citable transcripts".to_string());
        ServerConfig::new(capabilities)
            .with_server_info(implementation)
            .with_instructions(INSTRUCTIONS)
    }

    /// Dispatches a tool call after checking its name and arguments, so that
    /// an unknown tool or a mistyped argument gets a message naming it.
    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if !self.tool_router.has_route(&request.name) {
            let name: String = request.name.chars().take(80).collect();
            let known: Vec<String> = self
                .tool_router
                .list_all()
                .into_iter()
                .map(|t| format!("`{}`", t.name))
                .collect();
            return Err(ErrorData::invalid_params(
                format!("no tool `{name}`; the tools are {}", known.join(", ")),
                None,
            ));
        }
        let mut request = request;
        if let (Some(arguments), Some(tool)) = (
            request.arguments.as_mut(),
            self.tool_router.get(&request.name),
        ) {
            coerce_numeric_strings(&tool.input_schema, arguments);
        }
        let empty = rmcp::model::JsonObject::new();
        let arguments = request.arguments.as_ref().unwrap_or(&empty);
        if let Some(message) = tools::argument_error(&request.name, arguments) {
            return Ok(CallToolResponse::Complete(CallToolResult::error(vec![
                ContentBlock::text(message),
            ])));
        }
        let call = ToolCallContext::new(self, request, context);
        self.tool_router.call(call).await
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        resources::list(&self.corpus, request.and_then(|r| r.cursor).as_deref())
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(
            resources::templates(),
        ))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        resources::read(&self.corpus, &request.uri).map(Into::into)
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        let typed = request.argument.value.as_str();
        let values: Vec<String> = match request.argument.name.as_str() {
            "episode_id" => complete(typed, self.corpus.headers().iter().map(EpisodeHeader::id)),
            "speaker" => {
                let names = speaker_names(&self.corpus);
                complete(typed, names.iter().map(String::as_str))
            }
            // Chapters of the episode already chosen in the template.
            "chapter" if matches!(request.r#ref, Reference::Resource(_)) => {
                let episode = request
                    .context
                    .as_ref()
                    .and_then(|c| c.get_argument("episode_id"))
                    .and_then(|id| self.corpus.header(id))
                    .map(|h| &h.episode);
                episode
                    .map(|e| {
                        e.chapters
                            .iter()
                            .map(|c| c.index.to_string())
                            .filter(|i| i.starts_with(typed.trim()))
                            .collect()
                    })
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let total = values.len();
        let shown: Vec<String> = values.into_iter().take(MAX_COMPLETIONS).collect();
        let info = CompletionInfo::with_pagination(
            shown,
            u32::try_from(total).ok(),
            total > MAX_COMPLETIONS,
        )
        .map_err(|e| ErrorData::internal_error(e, None))?;
        Ok(CompleteResult::new(info))
    }
}

/// Some clients (the MCP Inspector's CLI, shell wrappers) send every argument
/// as a string: `"limit": "5"`. Where the tool's schema asks for a number and
/// the string is one, take the number, so that such clients work; anything
/// else is left for the argument check to report.
fn coerce_numeric_strings(
    schema: &rmcp::model::JsonObject,
    arguments: &mut rmcp::model::JsonObject,
) {
    let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) else {
        return;
    };
    for (name, value) in arguments.iter_mut() {
        let Some(text) = value.as_str() else { continue };
        let wanted = properties.get(name).and_then(|p| p.get("type"));
        let wants = |kind: &str| match wanted {
            Some(serde_json::Value::String(t)) => t == kind,
            Some(serde_json::Value::Array(types)) => types.iter().any(|t| t == kind),
            _ => false,
        };
        let text = text.trim();
        if wants("integer")
            && let Ok(n) = text.parse::<i64>()
        {
            *value = serde_json::Value::from(n);
        } else if wants("number")
            && let Ok(x) = text.parse::<f64>()
            && x.is_finite()
        {
            *value = serde_json::Value::from(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::coerce_numeric_strings;
    use serde_json::json;

    #[test]
    fn numeric_strings_become_numbers_where_the_schema_wants_them() {
        let schema = json!({"properties": {
            "limit": {"type": ["integer", "null"]},
            "start_seconds": {"type": "number"},
            "query": {"type": "string"}
        }});
        let mut args =
            json!({"limit": "5", "start_seconds": " 12.5 ", "query": "42", "extra": "7"});
        coerce_numeric_strings(schema.as_object().unwrap(), args.as_object_mut().unwrap());
        assert_eq!(
            args,
            json!({"limit": 5, "start_seconds": 12.5, "query": "42", "extra": "7"})
        );
        // Not a number: left as is for the argument check to report.
        let mut bad = json!({"limit": "five"});
        coerce_numeric_strings(schema.as_object().unwrap(), bad.as_object_mut().unwrap());
        assert_eq!(bad, json!({"limit": "five"}));
    }
}
