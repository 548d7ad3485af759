//! The MCP server: nine read-only tools, one resource per episode, three
//! prompts and completions, served over stdio or streamable HTTP.
//!
//! This is the only part of verbatim that knows rmcp. Everything it answers
//! is computed by the library (catalog, reading, search, verify, speakers);
//! this layer checks arguments, turns library errors into tool errors a model
//! can act on, and keeps each answer small enough for a context window.
//!
//! - [`tools`]: the nine tools and their outputs.
//! - [`arguments`]: the tools' arguments, checked into messages a model can act on.
//! - [`resources`]: `verbatim://episodes/{episode_id}` and its chapters.
//! - [`prompts`]: `cite_quotes`, `episode_brief`, `speaker_profile`.
//! - [`schema`]: the tools' JSON Schemas, made compact in one place.
//! - [`cursor`]: opaque pagination cursors.
//! - [`transport`]: stdio and streamable HTTP transports; stdio behind a
//!   guard that answers malformed lines.

pub mod arguments;
pub mod cursor;
pub mod prompts;
pub mod resources;
pub mod schema;
pub mod tools;
pub mod transport;

use crate::answers::catalog::{complete, speaker_names};
use crate::corpus::Corpus;
use crate::model::{Episode, EpisodeHeader};
use crate::serve::{LiveCorpus, Snapshot};
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock};
use rmcp::model::{
    CompleteRequestParams, CompleteResult, CompletionInfo, GetPromptRequestParams,
    GetPromptResponse, Implementation, ListPromptsResult, ListResourceTemplatesResult,
    ListResourcesResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse,
    Reference, ServerCapabilities, ServerConfig, SubscriptionFilter,
};
use rmcp::service::{NotificationContext, RequestContext, SubscriptionContext};
use rmcp::{ErrorData, RoleServer, ServerHandler, tool_handler};
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

pub use transport::{
    CheckedHttp, HttpOptions, HttpServer, REPLIES_PER_SECOND, ServeError, banner, bind_checked,
    bind_http, serve_http_until_ctrl_c, serve_lines, serve_stdio,
};

/// What the server tells every client about itself (MCP `instructions`).
pub const INSTRUCTIONS: &str = "\
verbatim serves a corpus of transcripts of podcasts and videos (mostly in French): who said what, \
in which episode, at what time. Every answer carries an episode id, a speaker (when the transcript says who speaks) \
and a timestamp, and a ready-to-paste citation line.

How to work with it:
1. Find: `search_quotes` with a few words, a name or an \"exact phrase\", in the transcripts' language \
(\"IA\", not \"AI\"; accents and case do not matter, a word in capitals is an acronym; a person's name also finds \
the ways speech recognition misheard it). Filters: episode_id, speaker, show, chapter, dates. A hit's `quote` is \
the sentences holding the words; `detail: \"full\"` adds titles, chapter, passage times, highlights, score and the \
neighbouring words. `trace_topic` shows in one call where and since when a subject comes up across episodes, \
oldest first, how often and who raised it. `list_episodes` / `get_episode` / `list_chapters` show what exists \
(the first page of `list_episodes` also names the files that could not be read).
2. Read around a hit before quoting it: `read_transcript` with `around_passage` = the hit's passage_id \
(or a time span), or `read_chapter` for a whole chapter. Context changes meaning.
3. Verify: before you put a quote in front of a person, call `verify_quote` (with `speaker` when you attribute it). \
`exact` = the transcript's words; `close` = the same statement in other words, quote `match.excerpt` instead; \
`altered` = a negation, number, name or question differs (see `changes`): never present it as a quote; \
`not_said` = do not attribute it. `attribution` says whether the transcript gives the words to that person: \
`unknown` means the transcript does not say who speaks there, so do not claim they said it.
4. Cite: `verify_quote`'s `match.citation` is the verified words with their source, to use as is \
(`«words» — speaker, episode (show, date), 00:18:43`). A search hit's or traced quote's `citation` has the same \
form, but after a quote over 160 characters it holds only the part from `—`: put the words you quote, in «», \
before it. Times and `url` are when the matched words are said (`match_start_seconds`), not the passage's start. \
A `~` before a time means it is interpolated; `untimed` means the source has no times: say so, never invent one.
`summarize_speakers` profiles who speaks, how much, with representative quotes. \
Each episode is also a resource `verbatim://episodes/{episode_id}` (whole transcript as Markdown), each chapter \
`verbatim://episodes/{episode_id}/chapters/{index}`: hits carry these as `uri` and `chapter_uri`, and tool results \
link the episodes they cite.";

/// How long a request waits for an index still being opened before it is
/// told "indexing: ...": an up-to-date index of a gigabyte opens in about a
/// second, a small corpus builds in a few; a large build takes minutes.
pub const WAIT_FOR_INDEX: Duration = Duration::from_secs(10);

/// Completion values returned at most (the MCP limit).
const MAX_COMPLETIONS: usize = CompletionInfo::MAX_VALUES;

/// The verbatim MCP server. Cheap to clone: the corpus and the search backend are shared.
///
/// `state` is the corpus and index a request works on. A live server
/// (`serve --watch`) also holds the [`LiveCorpus`] it comes from: each
/// request runs on a copy of the server carrying the state of that moment
/// (`VerbatimServer::now`), so tools read plain fields and a call in
/// flight is never switched to another state half-way.
#[derive(Clone)]
pub struct VerbatimServer {
    state: Snapshot,
    live: Option<Arc<LiveCorpus>>,
    /// How long a request waits for an index still being opened.
    index_wait: Duration,
    tool_router: ToolRouter<Self>,
    prompt_router: PromptRouter<Self>,
}

impl std::fmt::Debug for VerbatimServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerbatimServer")
            .field("episodes", &self.state.corpus.len())
            .finish_non_exhaustive()
    }
}

impl VerbatimServer {
    /// A server over a corpus and its search index.
    pub fn new(state: Snapshot) -> Self {
        Self {
            state,
            live: None,
            index_wait: WAIT_FOR_INDEX,
            tool_router: compact_router(),
            prompt_router: Self::prompt_router(),
        }
    }

    /// A server over a corpus that may change while it runs (`serve --watch`):
    /// each request sees the state current when it starts, and clients are
    /// told `notifications/resources/list_changed` after each change.
    pub fn live(live: Arc<LiveCorpus>) -> Self {
        let now = live.current();
        Self {
            live: Some(live),
            ..Self::new(now)
        }
    }

    /// Requests wait at most `wait` for an index still being opened
    /// (default [`WAIT_FOR_INDEX`]) before they are told how far it is.
    pub fn with_index_wait(mut self, wait: Duration) -> Self {
        self.index_wait = wait;
        self
    }

    /// The corpus served (for a live server, as it is now).
    pub fn corpus(&self) -> Arc<Corpus> {
        self.now().state.corpus.clone()
    }

    /// This server with the state of this moment: itself, or for a live
    /// server a copy holding the current corpus and index.
    fn now(&self) -> Cow<'_, Self> {
        match &self.live {
            None => Cow::Borrowed(self),
            Some(live) => {
                let state = live.current();
                Cow::Owned(Self {
                    state,
                    ..self.clone()
                })
            }
        }
    }

    /// This server with a state that can answer. A live server still
    /// opening its index (see [`crate::serve::indexing`]) is waited for up
    /// to `index_wait`; after that, the message says how far indexing
    /// has got (or why it failed), for the caller to return.
    async fn ready(&self) -> Result<Cow<'_, Self>, String> {
        let Some(live) = &self.live else {
            return Ok(Cow::Borrowed(self));
        };
        // Subscribed before looking, so that a swap in between still wakes us.
        let mut changes = live.subscribe();
        let until = tokio::time::Instant::now() + self.index_wait;
        loop {
            let now = self.now();
            let message = match now.state.pending() {
                None => return Ok(now),
                Some(status) if status.failure().is_some() => return Err(status.message()),
                Some(status) => status.message(),
            };
            if tokio::time::Instant::now() >= until {
                return Err(message);
            }
            // A failure is recorded without a swap: look again every so often.
            let wake = (tokio::time::Instant::now() + Duration::from_millis(250)).min(until);
            if let Ok(Err(_closed)) = tokio::time::timeout_at(wake, changes.changed()).await {
                return Err(message);
            }
        }
    }

    /// The whole episode `episode_id` (read from disk if needed), or a message
    /// naming the closest existing ids.
    fn episode_or_hint(&self, episode_id: &str) -> Result<Arc<Episode>, String> {
        let id = self.header_or_hint(episode_id)?.id().to_string();
        self.state
            .corpus
            .try_episode(&id)
            .map_err(|e| crate::corpus::unreadable(&format!("episode `{id}`"), &e))?
            .ok_or_else(|| unknown_episode_message(&self.state.corpus, &id))
    }

    /// The header of episode `episode_id` (no passages read), or a message
    /// naming the closest existing ids.
    fn header_or_hint(&self, episode_id: &str) -> Result<&EpisodeHeader, String> {
        let id = episode_id.trim();
        arguments::bounded("episode_id", id)?;
        if id.is_empty() {
            return Err(
                "`episode_id` is empty; call `list_episodes` to see the episode ids".to_string(),
            );
        }
        self.state
            .corpus
            .header(id)
            .ok_or_else(|| unknown_episode_message(&self.state.corpus, id))
    }
}

/// The tools, their schemas made compact ([`schema`]).
fn compact_router() -> ToolRouter<VerbatimServer> {
    let mut router = ToolRouter::new();
    for mut route in VerbatimServer::tool_router() {
        schema::compact_tool(&mut route.attr);
        router.add_route(route);
    }
    router
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
impl ServerHandler for VerbatimServer {
    fn get_info(&self) -> ServerConfig {
        let mut capabilities = ServerCapabilities::builder()
            .enable_completions()
            .enable_prompts()
            .enable_resources()
            .enable_tools()
            .build();
        // Promised only when it is kept: a live server sends it after each change.
        if self.live.is_some()
            && let Some(resources) = capabilities.resources.as_mut()
        {
            resources.list_changed = Some(true);
        }
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
        if let Some(message) = arguments::argument_error(&request.name, arguments) {
            return Ok(CallToolResponse::Complete(CallToolResult::error(vec![
                ContentBlock::text(message),
            ])));
        }
        let server = match self.ready().await {
            Ok(server) => server,
            Err(message) => {
                return Ok(CallToolResponse::Complete(CallToolResult::error(vec![
                    ContentBlock::text(message),
                ])));
            }
        };
        let call = ToolCallContext::new(&*server, request, context);
        server.tool_router.call(call).await
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let server = self
            .ready()
            .await
            .map_err(|message| ErrorData::internal_error(message, None))?;
        let prompt_context = rmcp::handler::server::prompt::PromptContext::new(
            &*server,
            request.name,
            request.arguments,
            context,
        );
        server.prompt_router.get_prompt(prompt_context).await
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        let mut result = ListPromptsResult::with_all_items(self.prompt_router.list_all());
        // As rmcp's prompt_handler does: 2026-07-28 clients get a cache hint.
        if context
            .protocol_version()
            .is_some_and(|v| v >= rmcp::model::ProtocolVersion::V_2026_07_28)
        {
            result.ttl_ms = Some(0);
            result.cache_scope = Some(rmcp::model::CacheScope::Public);
        }
        Ok(result)
    }

    /// A client that went through `initialize` (protocols up to 2025-11-25)
    /// gets `notifications/resources/list_changed` after each corpus change,
    /// until its connection closes.
    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        let Some(live) = &self.live else { return };
        let mut changes = live.subscribe();
        let peer = context.peer;
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                if let Err(e) = peer.notify_resource_list_changed().await {
                    tracing::debug!("client gone, no more change notifications: {e}");
                    break;
                }
            }
        });
    }

    /// 2026-07-28 clients ask for change notifications with `subscriptions/listen`.
    fn accepted_subscription_filter(
        &self,
        _requested: &SubscriptionFilter,
    ) -> Option<SubscriptionFilter> {
        self.live.as_ref().map(|_| {
            SubscriptionFilter::builder()
                .resources_list_changed()
                .build()
        })
    }

    async fn listen(&self, subscription: SubscriptionContext) -> Result<(), ErrorData> {
        let Some(live) = &self.live else {
            subscription.cancelled().await;
            return Ok(());
        };
        let mut changes = live.subscribe();
        loop {
            tokio::select! {
                () = subscription.cancelled() => return Ok(()),
                changed = changes.changed() => {
                    if changed.is_err() {
                        return Ok(());
                    }
                    if let Err(e) = subscription.sink().notify_resource_list_changed().await {
                        tracing::debug!("subscription closed: {e}");
                        return Ok(());
                    }
                }
            }
        }
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        resources::list(
            &self.now().state.corpus,
            request.and_then(|r| r.cursor).as_deref(),
        )
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
        let server = self
            .ready()
            .await
            .map_err(|message| ErrorData::internal_error(message, None))?;
        resources::read(&server.state.corpus, &request.uri).map(Into::into)
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        let server = self.now();
        let typed = request.argument.value.as_str();
        let values: Vec<String> = match request.argument.name.as_str() {
            "episode_id" => complete(
                typed,
                server.state.corpus.headers().iter().map(EpisodeHeader::id),
            ),
            "speaker" => {
                let names = speaker_names(&server.state.corpus);
                complete(typed, names.iter().map(String::as_str))
            }
            // Chapters of the episode already chosen in the template.
            "chapter" if matches!(request.r#ref, Reference::Resource(_)) => {
                let episode = request
                    .context
                    .as_ref()
                    .and_then(|c| c.get_argument("episode_id"))
                    .and_then(|id| server.state.corpus.header(id))
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
