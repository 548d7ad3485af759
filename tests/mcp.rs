//! The MCP server end to end: an rmcp client talks to it over an in-process
//! duplex pipe, through every tool, resource, prompt, completion and error path.

use rmcp::model::{
    CallToolRequestParams, CallToolResult, CompletionContext, GetPromptRequestParams,
    ReadResourceRequestParams, ResourceContents,
};
use rmcp::service::{RunningService, ServiceError};
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use verbatim::Snapshot;
use verbatim::corpus::Corpus;
use verbatim::index::IndexOptions;
use verbatim::ingest::EpisodeSet;
use verbatim::mcp::VerbatimServer;
use verbatim::model::Episode;

pub fn fixture_corpus() -> Corpus {
    let episodes: Vec<Episode> =
        serde_json::from_str(include_str!("fixtures/episodes.json")).unwrap();
    Corpus::from_episodes(episodes)
}

/// The server over the fixture episodes, searched by the real tantivy index
/// (in memory: tests never touch the user's cache).
pub fn server() -> VerbatimServer {
    let options = IndexOptions {
        in_memory: true,
        writer_memory: 50_000_000,
        ..IndexOptions::default()
    };
    let episodes = fixture_corpus().to_episodes().unwrap();
    let (snapshot, _) =
        Snapshot::open(&EpisodeSet::new("mcp-fixtures", episodes), &options).unwrap();
    VerbatimServer::new(snapshot)
}

type Client = RunningService<RoleClient, ()>;

async fn connect() -> Client {
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        if let Ok(running) = server().serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    ().serve(client_io).await.unwrap()
}

async fn call(client: &Client, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(map))
        .await
        .unwrap()
}

/// A successful call's structured content, checked against its text copy.
async fn ok(client: &Client, tool: &str, args: Value) -> Value {
    let result = call(client, tool, args.clone()).await;
    assert_ne!(
        result.is_error,
        Some(true),
        "{tool} {args} failed: {result:?}"
    );
    let structured = result.structured_content.clone().unwrap();
    let text = result
        .content
        .first()
        .and_then(|c| c.as_text())
        .map(|t| t.text.clone())
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        structured,
        "text copy differs"
    );
    structured
}

/// A tool error's message.
async fn tool_error(client: &Client, tool: &str, args: Value) -> String {
    let result = call(client, tool, args.clone()).await;
    assert_eq!(
        result.is_error,
        Some(true),
        "{tool} {args} should fail: {result:?}"
    );
    result
        .content
        .first()
        .and_then(|c| c.as_text())
        .map(|t| t.text.clone())
        .unwrap()
}

fn rpc_code(error: ServiceError) -> i32 {
    match error {
        ServiceError::McpError(e) => e.code.0,
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
}

const TOOLS: [&str; 9] = [
    "list_episodes",
    "get_episode",
    "list_chapters",
    "read_chapter",
    "read_transcript",
    "search_quotes",
    "trace_topic",
    "verify_quote",
    "summarize_speakers",
];

#[tokio::test]
async fn tools_are_listed_with_titles_annotations_and_schemas() {
    let client = connect().await;
    let info = client.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "verbatim");
    assert!(
        info.instructions
            .as_deref()
            .unwrap()
            .contains("verify_quote")
    );
    let tools = client.list_all_tools().await.unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    names.sort();
    let mut expected = TOOLS.to_vec();
    expected.sort();
    assert_eq!(names, expected);
    for tool in &tools {
        assert!(tool.title.is_some(), "{} has no title", tool.name);
        assert!(
            tool.description.as_deref().unwrap_or("").len() > 120,
            "{} description too short",
            tool.name
        );
        let a = tool.annotations.as_ref().unwrap();
        // idempotentHint means something only for tools that write: left out.
        assert_eq!(
            (a.read_only_hint, a.idempotent_hint, a.open_world_hint),
            (Some(true), None, Some(false))
        );
        assert!(
            tool.output_schema.is_some(),
            "{} has no output schema",
            tool.name
        );
        let props = tool
            .input_schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap();
        for (field, schema) in props {
            assert!(
                schema.get("description").is_some(),
                "{}.{field} has no description",
                tool.name
            );
        }
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn list_episodes_filters_and_pages() {
    let client = connect().await;
    let all = ok(&client, "list_episodes", json!({})).await;
    assert_eq!(all["total"], 3);
    assert_eq!(all["episodes"][0]["episode_id"], "ep-b");
    assert_eq!(all["episodes"][0]["timing"], "exact");
    assert_eq!(all["episodes"][0]["uri"], "verbatim://episodes/ep-b");
    assert_eq!(all["next_cursor"], Value::Null);
    let first = &all["episodes"][1];
    for key in [
        "title",
        "show",
        "published",
        "duration_seconds",
        "participants",
        "chapter_count",
        "has_speaker_turns",
        "timing",
        "uri",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }

    let tech = ok(
        &client,
        "list_episodes",
        json!({"show": "tech", "published_after": "2025-02-01"}),
    )
    .await;
    assert_eq!(tech["total"], 1);
    let by_speaker = ok(&client, "list_episodes", json!({"speaker": "Elodie"})).await;
    assert_eq!(by_speaker["episodes"][0]["episode_id"], "ep-a");

    // Walk the pages one episode at a time.
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut args = json!({"limit": 1});
        if let Some(c) = &cursor {
            args["cursor"] = json!(c);
        }
        let page = ok(&client, "list_episodes", args).await;
        ids.push(
            page["episodes"][0]["episode_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(ids, vec!["ep-b", "ep-a", "ep-c"]);

    let err = tool_error(&client, "list_episodes", json!({"limit": 0})).await;
    assert!(err.contains("between 1 and 100"), "{err}");
    let err = tool_error(&client, "list_episodes", json!({"limit": 1000})).await;
    assert!(err.contains("between 1 and 100"), "{err}");
    let err = tool_error(&client, "list_episodes", json!({"cursor": "garbage"})).await;
    assert!(err.contains("cursor"), "{err}");
    let page = ok(&client, "list_episodes", json!({"limit": 1})).await;
    let err = tool_error(
        &client,
        "list_episodes",
        json!({"limit": 1, "show": "hebdo", "cursor": page["next_cursor"]}),
    )
    .await;
    assert!(err.contains("different arguments"), "{err}");
    let err = tool_error(
        &client,
        "list_episodes",
        json!({"published_after": "15/01/2025"}),
    )
    .await;
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn get_episode_and_list_chapters() {
    let client = connect().await;
    let e = ok(&client, "get_episode", json!({"episode_id": "ep-a"})).await;
    assert_eq!(e["title"], "La voiture électrique");
    assert_eq!(e["participants"][1]["affiliation"], "Renault");
    assert_eq!(e["chapters"][1]["passage_count"], 4);
    assert_eq!(e["statistics"]["passages"], 7);
    assert_eq!(
        e["statistics"]["speakers"],
        json!(["Alice Martin", "Élodie Durand"])
    );
    assert_eq!(e["diagnostics_total"], 1);
    assert_eq!(e["uri"], "verbatim://episodes/ep-a");

    let err = tool_error(&client, "get_episode", json!({"episode_id": "ep-aa"})).await;
    assert!(
        err.contains("no episode `ep-aa`") && err.contains("`ep-a`"),
        "{err}"
    );
    let err = tool_error(&client, "get_episode", json!({"episode_id": "  "})).await;
    assert!(err.contains("list_episodes"), "{err}");

    let chapters = ok(&client, "list_chapters", json!({"episode_id": "ep-a"})).await;
    assert_eq!(chapters["chapters"][1]["title"], "Les batteries");
    assert_eq!(chapters["chapters"][1]["start_seconds"], 120.0);
    assert_eq!(chapters["chapters"][1]["timing"], "exact");
    let none = ok(&client, "list_chapters", json!({"episode_id": "ep-c"})).await;
    assert_eq!(none["chapters"], json!([]));
    assert!(none["note"].as_str().unwrap().contains("read_transcript"));
    let err = tool_error(&client, "list_chapters", json!({"episode_id": "nope"})).await;
    assert!(err.contains("closest existing ids"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn read_chapter_pages_through_a_chapter() {
    let client = connect().await;
    let whole = ok(
        &client,
        "read_chapter",
        json!({"episode_id": "ep-a", "chapter": 1}),
    )
    .await;
    assert_eq!(
        whole["chapter"],
        json!({"index": 1, "title": "Les batteries"})
    );
    assert_eq!(whole["passages"].as_array().unwrap().len(), 4);
    assert_eq!(whole["window_passages"], 4);
    assert_eq!(whole["next_cursor"], Value::Null);
    let p = &whole["passages"][0];
    assert_eq!(p["speaker"], "Élodie Durand");
    assert_eq!(p["start_seconds"], 120.0);
    assert!(p["passage_id"].as_str().unwrap().starts_with("ep-a#p3-"));

    let mut texts = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let page = ok(
            &client,
            "read_chapter",
            json!({"episode_id": "ep-a", "chapter": 1, "max_chars": 200, "cursor": cursor}),
        )
        .await;
        texts.extend(
            page["passages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["text"].clone()),
        );
        cursor = page["next_cursor"].clone();
        if cursor.is_null() {
            break;
        }
    }
    let all: Vec<Value> = whole["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].clone())
        .collect();
    assert_eq!(texts, all);

    let err = tool_error(
        &client,
        "read_chapter",
        json!({"episode_id": "ep-a", "chapter": 7}),
    )
    .await;
    assert!(err.contains("valid chapters are 0 to 1"), "{err}");
    let err = tool_error(
        &client,
        "read_chapter",
        json!({"episode_id": "ep-a", "chapter": -1}),
    )
    .await;
    assert!(err.contains("start at 0"), "{err}");
    let err = tool_error(
        &client,
        "read_chapter",
        json!({"episode_id": "ep-a", "chapter": 0, "max_chars": 10}),
    )
    .await;
    assert!(err.contains("between 200 and 50000"), "{err}");
    let page = ok(
        &client,
        "read_chapter",
        json!({"episode_id": "ep-a", "chapter": 1, "max_chars": 200}),
    )
    .await;
    let err = tool_error(
        &client,
        "read_chapter",
        json!({"episode_id": "ep-a", "chapter": 0, "cursor": page["next_cursor"]}),
    )
    .await;
    assert!(err.contains("different arguments"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn read_transcript_windows() {
    let client = connect().await;
    let ep = ok(
        &client,
        "read_chapter",
        json!({"episode_id": "ep-a", "chapter": 1}),
    )
    .await;
    let hit = ep["passages"][1]["passage_id"]
        .as_str()
        .unwrap()
        .to_string();

    let around = ok(
        &client,
        "read_transcript",
        json!({"episode_id": "ep-a", "around_passage": hit, "before": 1, "after": 1}),
    )
    .await;
    let ids: Vec<&str> = around["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["passage_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[1], hit);

    let span = ok(
        &client,
        "read_transcript",
        json!({"episode_id": "ep-a", "start_seconds": 100, "end_seconds": 200}),
    )
    .await;
    assert_eq!(span["window_passages"], 3);
    assert_eq!(span["passages"][0]["start_seconds"], 45.0);

    let everything = ok(&client, "read_transcript", json!({"episode_id": "ep-c"})).await;
    assert_eq!(everything["window_passages"], 3);
    assert_eq!(everything["passages"][0]["timing"], "none");

    let err = tool_error(
        &client,
        "read_transcript",
        json!({"episode_id": "ep-c", "start_seconds": 10}),
    )
    .await;
    assert!(err.contains("no timestamps"), "{err}");
    let err = tool_error(
        &client,
        "read_transcript",
        json!({"episode_id": "ep-a", "start_seconds": -4}),
    )
    .await;
    assert!(err.contains("0 or more"), "{err}");
    let err = tool_error(
        &client,
        "read_transcript",
        json!({"episode_id": "ep-a", "start_seconds": 300, "end_seconds": 100}),
    )
    .await;
    assert!(err.contains("after end_seconds"), "{err}");
    let err = tool_error(
        &client,
        "read_transcript",
        json!({"episode_id": "ep-a", "around_passage": "ep-a#p42-zzz"}),
    )
    .await;
    assert!(err.contains("no passage"), "{err}");
    let err = tool_error(
        &client,
        "read_transcript",
        json!({"episode_id": "ep-a", "around_passage": hit, "before": 51}),
    )
    .await;
    assert!(err.contains("between 0 and 50"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn search_quotes_finds_filters_and_pages() {
    let client = connect().await;
    let found = ok(&client, "search_quotes", json!({"query": "batteries"})).await;
    assert_eq!(found["query"], "batteries");
    assert_eq!(found["total_hits"], 2);
    let hit = &found["hits"][0];
    assert_eq!(hit["episode_id"], "ep-a");
    assert!(
        hit["citation"]
            .as_str()
            .unwrap()
            .contains("La voiture électrique")
    );

    let by_speaker = ok(
        &client,
        "search_quotes",
        json!({"query": "batteries", "speaker": "Alice"}),
    )
    .await;
    assert_eq!(by_speaker["total_hits"], 1);

    let first = ok(
        &client,
        "search_quotes",
        json!({"query": "batteries", "limit": 1}),
    )
    .await;
    assert_eq!(first["hits"].as_array().unwrap().len(), 1);
    let rest = ok(
        &client,
        "search_quotes",
        json!({"query": "batteries", "limit": 1, "cursor": first["next_cursor"]}),
    )
    .await;
    assert_eq!(rest["hits"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);

    let err = tool_error(&client, "search_quotes", json!({"query": "   "})).await;
    assert!(err.contains("`query` is empty"), "{err}");
    let err = tool_error(&client, "search_quotes", json!({"query": "x", "limit": 51})).await;
    assert!(err.contains("between 1 and 50"), "{err}");
    let err = tool_error(
        &client,
        "search_quotes",
        json!({"query": "x", "episode_id": "ep-q"}),
    )
    .await;
    assert!(err.contains("no episode `ep-q`"), "{err}");
    let err = tool_error(
        &client,
        "search_quotes",
        json!({"query": "x", "episode_id": "ep-a", "chapter": 4}),
    )
    .await;
    assert!(err.contains("no chapter 4"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn verify_quote_verdicts() {
    let client = connect().await;
    let exact = ok(
        &client,
        "verify_quote",
        json!({"quote": "les batteries coutent deux fois moins cher qu'il y a cinq ans"}),
    )
    .await;
    assert_eq!(exact["verdict"], "exact");
    assert_eq!(exact["similarity"], 1.0);
    assert_eq!(exact["match"]["speaker"], "Élodie Durand");
    assert_eq!(exact["match"]["match_start_seconds"], 120.0);
    assert_eq!(exact["match"]["uri"], "verbatim://episodes/ep-a");
    assert_eq!(
        exact["match"]["url"],
        "https://www.youtube.com/watch?v=abc123&t=120s"
    );

    // A changed number changes the claim: never `close` (this test expected
    // `close` before issue 12, which was the defect).
    let altered = ok(
        &client,
        "verify_quote",
        json!({"quote": "Les batteries coûtent deux fois moins cher qu'il y a dix ans"}),
    )
    .await;
    assert_eq!(altered["verdict"], "altered", "{altered}");
    assert_eq!(altered["changes"][0]["kind"], "number", "{altered}");
    assert_eq!(altered["changes"][0]["quote"], "dix ans", "{altered}");
    assert_eq!(altered["changes"][0]["transcript"], "cinq ans", "{altered}");
    assert!(
        altered["match"]["excerpt"]
            .as_str()
            .unwrap()
            .starts_with("Les batteries coûtent")
    );
    // The same claim with a word more is close, and says where the words are.
    let close = ok(
        &client,
        "verify_quote",
        json!({"quote": "Les batteries coûtent en gros deux fois moins cher qu'il y a cinq ans"}),
    )
    .await;
    assert_eq!(close["verdict"], "close", "{close}");
    assert!(close.get("changes").is_none(), "{close}");
    assert!(
        close["match"]["excerpt"]
            .as_str()
            .unwrap()
            .starts_with("Les batteries coûtent"),
        "{close}"
    );

    let salad = ok(
        &client,
        "verify_quote",
        json!({"quote": "Le recyclage des modèles ouverts coûte cher à Renault"}),
    )
    .await;
    assert_eq!(salad["verdict"], "not_said", "{salad}");
    // Not said: no match to cite, only the nearest words, marked as such.
    assert!(salad.get("match").is_none(), "{salad}");
    assert!(salad["nearest"]["words"].is_string(), "{salad}");
    assert!(salad["nearest"].get("citation").is_none(), "{salad}");

    let scoped = ok(
        &client,
        "verify_quote",
        json!({"quote": "les batteries coutent deux fois moins cher", "episode_id": "ep-b"}),
    )
    .await;
    assert_ne!(scoped["verdict"], "exact");

    let err = tool_error(&client, "verify_quote", json!({"quote": ""})).await;
    assert!(err.contains("empty"), "{err}");
    let err = tool_error(
        &client,
        "verify_quote",
        json!({"quote": "x", "episode_id": "ep-zz"}),
    )
    .await;
    assert!(err.contains("no episode"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn summarize_speakers_counts_talk() {
    let client = connect().await;
    let one = ok(&client, "summarize_speakers", json!({"episode_id": "ep-a"})).await;
    let speakers = one["speakers"].as_array().unwrap();
    assert_eq!(speakers.len(), 2);
    let elodie = &speakers[0];
    assert_eq!(elodie["name"], "Élodie Durand");
    assert_eq!(elodie["role"], "guest");
    assert_eq!(elodie["talk"]["turns"], 2);
    assert_eq!(elodie["talk"]["seconds"], 305.0);
    assert!(
        elodie["quotes"][0]["citation"]
            .as_str()
            .unwrap()
            .starts_with('«')
    );

    let all = ok(&client, "summarize_speakers", json!({})).await;
    assert_eq!(all["speakers"].as_array().unwrap().len(), 6);
    let marc = ok(&client, "summarize_speakers", json!({"speaker": "marc"})).await;
    assert_eq!(marc["speakers"][0]["affiliation"], "Mistral AI");

    let err = tool_error(
        &client,
        "summarize_speakers",
        json!({"speaker": "Napoléon"}),
    )
    .await;
    assert!(err.contains("no speaker matches"), "{err}");
    let err = tool_error(&client, "summarize_speakers", json!({"episode_id": "zz"})).await;
    assert!(err.contains("no episode"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn resources_list_templates_and_read() {
    let client = connect().await;
    let listed = client.list_resources(None).await.unwrap();
    let uris: Vec<&str> = listed.resources.iter().map(|r| r.uri.as_str()).collect();
    assert_eq!(
        uris,
        vec![
            "verbatim://episodes/ep-a",
            "verbatim://episodes/ep-b",
            "verbatim://episodes/ep-c"
        ]
    );
    assert_eq!(
        listed.resources[0].title.as_deref(),
        Some("La voiture électrique")
    );

    let templates = client.list_resource_templates(None).await.unwrap();
    let t: Vec<&str> = templates
        .resource_templates
        .iter()
        .map(|t| t.uri_template.as_str())
        .collect();
    assert_eq!(
        t,
        vec![
            "verbatim://episodes/{episode_id}",
            "verbatim://episodes/{episode_id}/chapters/{chapter}"
        ]
    );

    let text_of = |contents: &[ResourceContents]| match contents.first().unwrap() {
        ResourceContents::TextResourceContents {
            text, mime_type, ..
        } => {
            assert_eq!(mime_type.as_deref(), Some("text/markdown"));
            text.clone()
        }
        other => panic!("expected text, got {other:?}"),
    };
    let whole = client
        .read_resource(ReadResourceRequestParams::new("verbatim://episodes/ep-a"))
        .await
        .unwrap();
    let md = text_of(&whole.contents);
    assert!(md.contains("## Chapter 0: Introduction [00:00:00]"), "{md}");
    assert!(
        md.contains("[00:02:00] **Élodie Durand:** Les batteries"),
        "{md}"
    );
    let chapter = client
        .read_resource(ReadResourceRequestParams::new(
            "verbatim://episodes/ep-a/chapters/1",
        ))
        .await
        .unwrap();
    let md = text_of(&chapter.contents);
    assert!(
        md.contains("Les batteries") && !md.contains("## Chapter 0"),
        "{md}"
    );

    for bad in [
        "verbatim://episodes/ep-zz",
        "verbatim://episodes/ep-a/chapters/9",
        "verbatim://episodes/ep-a/chapters/x",
        "verbatim://episodes/ep-a/other",
        "file:///etc/passwd",
    ] {
        let err = client
            .read_resource(ReadResourceRequestParams::new(bad))
            .await
            .unwrap_err();
        assert_eq!(rpc_code(err), -32602, "{bad}");
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn prompts_are_listed_and_filled() {
    let client = connect().await;
    let prompts = client.list_prompts(None).await.unwrap();
    let mut names: Vec<&str> = prompts.prompts.iter().map(|p| p.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        vec!["cite_quotes", "episode_brief", "speaker_profile"]
    );
    for p in &prompts.prompts {
        let args = p.arguments.as_ref().unwrap();
        assert_eq!(args.len(), 1, "{}", p.name);
        assert_eq!(args[0].required, Some(true));
    }

    let get = |name: &str, key: &str, value: &str| {
        let mut args = serde_json::Map::new();
        args.insert(key.to_string(), json!(value));
        GetPromptRequestParams::new(name).with_arguments(args)
    };
    let text = |r: rmcp::model::GetPromptResult| {
        r.messages
            .first()
            .and_then(|m| m.content.as_text())
            .map(|t| t.text.clone())
            .unwrap()
    };
    let cite = text(
        client
            .get_prompt(get("cite_quotes", "topic", "batteries"))
            .await
            .unwrap(),
    );
    assert!(
        cite.contains("« batteries »") && cite.contains("verify_quote"),
        "{cite}"
    );
    let brief = text(
        client
            .get_prompt(get("episode_brief", "episode_id", "ep-a"))
            .await
            .unwrap(),
    );
    assert!(
        brief.contains("1. Les batteries [00:02:00]")
            && brief.contains("Élodie Durand (guest, Renault)"),
        "{brief}"
    );
    let profile = text(
        client
            .get_prompt(get("speaker_profile", "speaker", "Marc"))
            .await
            .unwrap(),
    );
    assert!(
        profile.contains("Marc Petit") && profile.contains("summarize_speakers"),
        "{profile}"
    );

    let err = client
        .get_prompt(get("episode_brief", "episode_id", "ep-zz"))
        .await
        .unwrap_err();
    assert_eq!(rpc_code(err), -32602);
    let err = client
        .get_prompt(get("speaker_profile", "speaker", "Nobody Known"))
        .await
        .unwrap_err();
    assert_eq!(rpc_code(err), -32602);
    let err = client
        .get_prompt(GetPromptRequestParams::new("episode_brief"))
        .await
        .unwrap_err();
    assert_eq!(rpc_code(err), -32602);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn completions_for_episode_ids_speakers_and_chapters() {
    let client = connect().await;
    let ids = client
        .complete_prompt_simple("episode_brief", "episode_id", "ep-")
        .await
        .unwrap();
    assert_eq!(ids, vec!["ep-a", "ep-b", "ep-c"]);
    let speakers = client
        .complete_prompt_simple("speaker_profile", "speaker", "el")
        .await
        .unwrap();
    assert_eq!(speakers, vec!["Élodie Durand"]);
    let labels = client
        .complete_prompt_simple("speaker_profile", "speaker", "speaker_")
        .await
        .unwrap();
    assert_eq!(labels, vec!["SPEAKER_01", "SPEAKER_02"]);
    let ids = client
        .complete_resource_simple("verbatim://episodes/{episode_id}", "episode_id", "ep-b")
        .await
        .unwrap();
    assert_eq!(ids, vec!["ep-b"]);
    let context = CompletionContext::with_arguments(HashMap::from([(
        "episode_id".to_string(),
        "ep-a".to_string(),
    )]));
    let chapters = client
        .complete_resource_argument(
            "verbatim://episodes/{episode_id}/chapters/{chapter}",
            "chapter",
            "",
            Some(context),
        )
        .await
        .unwrap();
    assert_eq!(chapters.values, vec!["0", "1"]);
    let topics = client
        .complete_prompt_simple("cite_quotes", "topic", "bat")
        .await
        .unwrap();
    assert!(topics.is_empty());
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn bad_calls_are_errors_and_do_not_stop_the_server() {
    let client = connect().await;
    let unknown = client
        .call_tool(CallToolRequestParams::new("delete_everything"))
        .await
        .unwrap_err();
    assert_eq!(rpc_code(unknown), -32602);
    // Arguments of the wrong type come back as a tool error the model can read and fix.
    let err = tool_error(&client, "get_episode", json!({"episode_id": 5})).await;
    assert!(err.contains("expected a string"), "{err}");
    let err = tool_error(&client, "search_quotes", json!({})).await;
    assert!(err.contains("query"), "{err}");
    // Still serving.
    let still = ok(&client, "list_episodes", json!({"limit": 1})).await;
    assert_eq!(still["total"], 3);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn malformed_json_rpc_gets_json_rpc_errors() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        if let Ok(running) = server().serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let (read, mut write) = tokio::io::split(client_io);
    let mut lines = BufReader::new(read).lines();
    let mut send = async |line: Value| {
        write
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
    };
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}))
    .await;
    let init: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(init["result"]["serverInfo"]["name"], "verbatim");
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "no/such/method"})).await;
    send(json!({"jsonrpc": "2.0", "id": 3, "method": "resources/read", "params": {"uri": 42}}))
        .await;
    send(json!({"jsonrpc": "2.0", "id": 4, "method": "tools/list"})).await;
    let mut by_id = HashMap::new();
    while by_id.len() < 3 {
        let reply: Value =
            serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
        if let Some(id) = reply["id"].as_i64() {
            by_id.insert(id, reply);
        }
    }
    assert_eq!(by_id[&2]["error"]["code"], -32601, "{:?}", by_id[&2]);
    assert!(
        by_id[&3]["error"]["code"].as_i64().is_some(),
        "{:?}",
        by_id[&3]
    );
    assert_eq!(
        by_id[&4]["result"]["tools"].as_array().unwrap().len(),
        TOOLS.len()
    );
}
