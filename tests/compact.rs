//! Issue 15, answers made for an agent's context: `tools/list` under its
//! budget, search hits that quote the sentences holding the words within
//! 900 characters a hit, links that resolve, `trace_topic`, and the files
//! that could not be read named in `list_episodes`. Driven through an rmcp
//! client over an in-process pipe, on the seed corpus.

use crate::snapshots::{open_episodes, open_in_memory, seeds};
use rmcp::model::{CallToolRequestParams, CallToolResult, ReadResourceRequestParams};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use verbatim::Snapshot;
use verbatim::ingest::CorpusSource;
use verbatim::mcp::{INSTRUCTIONS, VerbatimServer};
use verbatim::model::citation::CITED_QUOTE_MAX_CHARS;
use verbatim::testing::EpisodeBuilder;

type Client = RunningService<RoleClient, ()>;

async fn connect(snapshot: Snapshot) -> Client {
    let (server_io, client_io) = tokio::io::duplex(1 << 22);
    tokio::spawn(async move {
        if let Ok(running) = VerbatimServer::new(snapshot).serve(server_io).await {
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

/// A successful call's structured content and its text copy (which must
/// carry the same JSON), and the URIs of its resource links.
async fn answer(client: &Client, tool: &str, args: Value) -> (Value, String, Vec<String>) {
    let result = call(client, tool, args.clone()).await;
    assert_ne!(result.is_error, Some(true), "{tool} {args}: {result:?}");
    let structured = result.structured_content.clone().unwrap();
    let text = result.content[0].as_text().unwrap().text.clone();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        structured,
        "the text copy differs"
    );
    let links = result
        .content
        .iter()
        .skip(1)
        .map(|c| c.as_resource_link().expect("a resource link").uri.clone())
        .collect();
    (structured, text, links)
}

fn compact(value: &Value) -> usize {
    serde_json::to_string(value).unwrap().chars().count()
}

/// The exact text of passage `passage_id`, read back with `read_transcript`.
async fn passage_text(client: &Client, episode_id: &str, passage_id: &str) -> String {
    let (read, _, _) = answer(
        client,
        "read_transcript",
        json!({"episode_id": episode_id, "around_passage": passage_id, "before": 0, "after": 0}),
    )
    .await;
    read["passages"][0]["text"].as_str().unwrap().to_string()
}

async fn resolves(client: &Client, uri: &str) -> bool {
    client
        .read_resource(ReadResourceRequestParams::new(uri))
        .await
        .is_ok_and(|r| !r.contents.is_empty())
}

/// The object types described in `schema`, each as its JSON (properties sorted by serde_json).
fn described_objects(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(o) => {
            if let Some(properties) = o.get("properties").and_then(Value::as_object)
                && properties.len() >= 3
            {
                out.push(Value::Object(properties.clone()).to_string());
            }
            o.values().for_each(|v| described_objects(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| described_objects(v, out)),
        _ => {}
    }
}

fn formats(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(o) => {
            if let Some(Value::String(f)) = o.get("format") {
                out.insert(f.clone());
            }
            o.values().for_each(|v| formats(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| formats(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn tools_list_fits_in_16000_characters_and_stays_standard() {
    let client = connect(seeds().clone()).await;
    let tools = client.list_all_tools().await.unwrap();
    let listed = serde_json::to_string(&json!({ "tools": tools })).unwrap();
    let size = listed.chars().count();
    // It was 48 868 before issue 15.
    assert!(size < 16_000, "tools/list is {size} characters");
    for tool in &tools {
        let name = &tool.name;
        let input = Value::Object(tool.input_schema.as_ref().clone());
        let output = Value::Object(tool.output_schema.as_ref().unwrap().as_ref().clone());
        // Only JSON Schema's own formats: the Inspector warns about `uint`, `double`, `int64`.
        let mut used = BTreeSet::new();
        formats(&input, &mut used);
        formats(&output, &mut used);
        assert!(used.iter().all(|f| f == "date"), "{name}: formats {used:?}");
        assert!(!listed.contains("\"default\":null"), "defaults left");
        // No object type described twice within one tool.
        let mut objects = Vec::new();
        described_objects(&output, &mut objects);
        let mut seen = HashMap::new();
        for o in &objects {
            *seen.entry(o).or_insert(0) += 1;
        }
        for (o, n) in seen {
            assert_eq!(n, 1, "{name} describes this type {n} times: {o}");
        }
        // Every argument and every output field is there, typed.
        for (field, schema) in input["properties"].as_object().unwrap() {
            assert!(schema.get("description").is_some(), "{name}.{field}");
        }
        assert_eq!(output["type"], "object", "{name}");
        assert!(!output["properties"].as_object().unwrap().is_empty());
    }
    let search = tools.iter().find(|t| t.name == "search_quotes").unwrap();
    let detail = &search.input_schema["properties"]["detail"];
    assert_eq!(detail["enum"], json!(["brief", "full"]), "{detail}");
    client.cancel().await.unwrap();
}

const QUERIES: [&str; 6] = [
    "souveraineté",
    "intelligence artificielle",
    "Mistral",
    "données",
    "Elon Musk",
    "régulation",
];

#[tokio::test]
async fn search_hits_quote_the_sentences_and_fit_900_characters_each() {
    let client = connect(seeds().clone()).await;
    let (mut hits, mut text_chars, mut structured_chars, mut shorter) = (0, 0, 0, 0);
    for query in QUERIES {
        let (page, text, _) = answer(&client, "search_quotes", json!({ "query": query })).await;
        let found = page["hits"].as_array().unwrap();
        assert!(!found.is_empty(), "{query}: no hit");
        hits += found.len();
        text_chars += text.chars().count();
        structured_chars += compact(&page);
        for hit in found {
            let quote = hit["quote"].as_str().unwrap();
            let citation = hit["citation"].as_str().unwrap();
            let passage = passage_text(
                &client,
                hit["episode_id"].as_str().unwrap(),
                hit["passage_id"].as_str().unwrap(),
            )
            .await;
            // Exact words of the passage, never more than the passage.
            assert!(
                passage.contains(quote),
                "{query}: {quote:?} not in {passage:?}"
            );
            assert!(quote.chars().count() <= verbatim::index::hits::QUOTE_MAX_CHARS);
            if quote.len() < passage.len() {
                shorter += 1;
            }
            // A long quote is not written twice.
            if quote.chars().count() <= CITED_QUOTE_MAX_CHARS {
                assert!(citation.starts_with(&format!("«{quote}» — ")), "{citation}");
            } else {
                assert!(
                    citation.starts_with("— ") && !citation.contains(quote),
                    "{citation}"
                );
            }
            // The brief answer leaves the full fields out.
            for key in ["highlights", "score", "context_before", "episode_title"] {
                assert!(hit.get(key).is_none(), "{key} in a brief hit");
            }
            assert!(
                hit["uri"]
                    .as_str()
                    .unwrap()
                    .starts_with("verbatim://episodes/")
            );
        }
    }
    assert!(
        shorter * 2 > hits,
        "most quotes should be shorter than their passage"
    );
    // Issue 15: at most 900 characters a hit on average, in the text and in
    // the structured content alike (about 1 800 before).
    assert!(
        text_chars / hits <= 900,
        "{} characters a hit in text",
        text_chars / hits
    );
    assert!(
        structured_chars / hits <= 900,
        "{} characters a hit in structured content",
        structured_chars / hits
    );
    // What the server tells every client about citations holds.
    assert!(INSTRUCTIONS.contains(&format!("over {CITED_QUOTE_MAX_CHARS} characters")));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn full_detail_gives_every_field_and_a_wrong_detail_is_named() {
    let client = connect(seeds().clone()).await;
    let (brief, _, _) = answer(&client, "search_quotes", json!({"query": "Mistral"})).await;
    let (full, _, _) = answer(
        &client,
        "search_quotes",
        json!({"query": "Mistral", "detail": "full"}),
    )
    .await;
    assert_eq!(brief["total_hits"], full["total_hits"]);
    let mut said_mistral = false;
    for (b, f) in brief["hits"]
        .as_array()
        .unwrap()
        .iter()
        .zip(full["hits"].as_array().unwrap())
    {
        assert_eq!(b["passage_id"], f["passage_id"]);
        assert_eq!(b["quote"], f["quote"]);
        for key in [
            "episode_title",
            "timing",
            "match_timing",
            "highlights",
            "score",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in full: {f}");
        }
        // Highlights are character ranges of the quote: the query's words,
        // or a spelling close to them (`Mixtral` for `Mistral`).
        let quote: Vec<char> = f["quote"].as_str().unwrap().chars().collect();
        for h in f["highlights"].as_array().unwrap() {
            let (s, e) = (h["start"].as_u64().unwrap(), h["end"].as_u64().unwrap());
            let word: String = quote[s as usize..e as usize].iter().collect();
            assert!(word.to_lowercase().starts_with("mi"), "{word}");
            said_mistral |= word == "Mistral";
        }
    }
    assert!(said_mistral);
    let wrong = call(
        &client,
        "search_quotes",
        json!({"query": "Mistral", "detail": "verbose"}),
    )
    .await;
    assert_eq!(wrong.is_error, Some(true));
    let message = &wrong.content[0].as_text().unwrap().text;
    assert!(message.contains("detail"), "{message}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn results_link_resources_that_resolve() {
    let client = connect(seeds().clone()).await;
    let (page, _, links) = answer(&client, "search_quotes", json!({"query": "données"})).await;
    let hits = page["hits"].as_array().unwrap();
    let episodes: BTreeSet<String> = hits
        .iter()
        .map(|h| h["uri"].as_str().unwrap().to_string())
        .collect();
    // One link per episode cited, each once.
    assert_eq!(links.len(), episodes.len(), "{links:?}");
    assert_eq!(links.iter().cloned().collect::<BTreeSet<_>>(), episodes);
    for hit in hits {
        let id = hit["episode_id"].as_str().unwrap();
        assert_eq!(hit["uri"], format!("verbatim://episodes/{id}"));
        assert!(resolves(&client, hit["uri"].as_str().unwrap()).await);
        if let Some(chapter) = hit.get("chapter_uri") {
            assert!(
                resolves(&client, chapter.as_str().unwrap()).await,
                "{chapter}"
            );
        }
    }
    assert!(hits.iter().any(|h| h.get("chapter_uri").is_some()));
    let (trace, _, trace_links) = answer(&client, "trace_topic", json!({"query": "données"})).await;
    for (episode, link) in trace["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&trace_links)
    {
        assert_eq!(&episode["uri"], link);
        assert!(resolves(&client, link).await);
    }
    let (listed, _, _) = answer(&client, "list_episodes", json!({})).await;
    for e in listed["episodes"].as_array().unwrap() {
        assert!(resolves(&client, e["uri"].as_str().unwrap()).await);
    }
    let (verified, _, verified_links) = answer(
        &client,
        "verify_quote",
        json!({"quote": "notre souveraineté technologique, c'est un drame"}),
    )
    .await;
    assert_eq!(verified["verdict"], "exact");
    assert_eq!(verified_links, [verified["match"]["uri"].as_str().unwrap()]);
    assert!(resolves(&client, &verified_links[0]).await);
    let (_, _, none) = answer(
        &client,
        "verify_quote",
        json!({"quote": "Les licornes violettes ont voté hier soir pour interdire le fromage lunaire."}),
    )
    .await;
    assert!(none.is_empty(), "a quote nobody said links nothing");
    let (details, _, details_links) = answer(
        &client,
        "get_episode",
        json!({"episode_id": "smarttech-elon-musk-ia"}),
    )
    .await;
    assert_eq!(details_links, [details["uri"].as_str().unwrap()]);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn trace_topic_orders_counts_and_cites_exactly() {
    let client = connect(seeds().clone()).await;
    let query = "intelligence artificielle";
    let (trace, text, _) = answer(&client, "trace_topic", json!({ "query": query })).await;
    let episodes = trace["episodes"].as_array().unwrap();
    assert!(episodes.len() >= 3, "{trace}");
    // Oldest first, undated last, and the answer says so.
    let dates: Vec<Option<&str>> = episodes.iter().map(|e| e["published"].as_str()).collect();
    let dated: Vec<&str> = dates.iter().flatten().copied().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let first_undated = dates.iter().position(Option::is_none);
    if let Some(i) = first_undated {
        assert!(dates[i..].iter().all(Option::is_none), "{dates:?}");
        assert!(
            trace["notes"].to_string().contains("no publication date"),
            "{trace}"
        );
    }
    assert!(first_undated.is_some(), "the seeds have an undated episode");
    // Counts: every matching passage, the same total as the search.
    let (search, _, _) = answer(&client, "search_quotes", json!({ "query": query })).await;
    assert_eq!(trace["total_hits"], search["total_hits"]);
    assert_eq!(
        trace["total_episodes"].as_u64().unwrap() as usize,
        episodes.len()
    );
    let mut sum = 0;
    for e in episodes {
        let id = e["episode_id"].as_str().unwrap();
        let (one, _, _) = answer(
            &client,
            "search_quotes",
            json!({"query": query, "episode_id": id}),
        )
        .await;
        assert_eq!(e["matches"], one["total_hits"], "{id}");
        sum += e["matches"].as_u64().unwrap();
        // The best quote: exact words of its passage, cited, verified.
        let best = &e["best"];
        let quote = best["quote"].as_str().unwrap();
        let passage = passage_text(&client, id, best["passage_id"].as_str().unwrap()).await;
        assert!(passage.contains(quote), "{quote:?} not in {passage:?}");
        let citation = best["citation"].as_str().unwrap();
        assert!(
            citation.contains(quote) || citation.starts_with("— "),
            "{citation}"
        );
        let (verified, _, _) = answer(
            &client,
            "verify_quote",
            json!({"quote": quote, "episode_id": id}),
        )
        .await;
        assert_eq!(verified["verdict"], "exact", "{verified}");
        // The first match is not after the best one.
        if let (Some(first), Some(at)) = (
            e["first_match_start_seconds"].as_f64(),
            best["match_start_seconds"].as_f64(),
        ) {
            assert!(first <= at, "{e}");
        }
    }
    assert_eq!(trace["total_hits"].as_u64().unwrap(), sum);
    assert!(text.chars().count() < 6_000, "{} characters", text.len());

    // Filters: a speaker, a show, dates.
    let (by_speaker, _, _) = answer(
        &client,
        "trace_topic",
        json!({"query": "Mistral", "speaker": "Arthur Mensch"}),
    )
    .await;
    let only = by_speaker["episodes"].as_array().unwrap();
    assert_eq!(only.len(), 1, "{by_speaker}");
    assert_eq!(only[0]["episode_id"], "interview-arthur-mensch-mistral");
    assert_eq!(only[0]["speakers"], json!(["Arthur Mensch"]));
    let (by_show, _, _) = answer(
        &client,
        "trace_topic",
        json!({"query": "intelligence artificielle", "show": "Tech & Co"}),
    )
    .await;
    assert!(
        by_show["episodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["show"] == "Tech & Co"),
        "{by_show}"
    );
    let (recent, _, _) = answer(
        &client,
        "trace_topic",
        json!({"query": query, "published_after": "2025-01-01"}),
    )
    .await;
    let recent = recent["episodes"].as_array().unwrap();
    assert!(!recent.is_empty() && recent.len() < episodes.len());
    assert!(
        recent
            .iter()
            .all(|e| e["published"].as_str() >= Some("2025-01-01"))
    );
    // Full detail adds the neighbouring words to the best quote.
    let (full, _, _) = answer(
        &client,
        "trace_topic",
        json!({"query": query, "detail": "full"}),
    )
    .await;
    assert!(
        full["episodes"][0]["best"].get("context_before").is_some()
            || full["episodes"][0]["best"].get("context_after").is_some()
    );
    assert!(episodes[0]["best"].get("context_before").is_none());
    let empty = call(&client, "trace_topic", json!({"query": "  "})).await;
    assert_eq!(empty.is_error, Some(true));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn trace_topic_keeps_one_language() {
    let episodes = vec![
        EpisodeBuilder::new("fr-1")
            .language("fr")
            .said(Some("Ana"), "Le cloud souverain avance.")
            .build(),
        EpisodeBuilder::new("en-1")
            .language("en")
            .said(Some("Bob"), "The cloud keeps growing.")
            .build(),
    ];
    let client = connect(open_episodes("trace-languages", episodes)).await;
    let ids = |trace: &Value| -> Vec<String> {
        trace["episodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["episode_id"].as_str().unwrap().to_string())
            .collect()
    };
    let (both, _, _) = answer(&client, "trace_topic", json!({"query": "cloud"})).await;
    assert_eq!(ids(&both).len(), 2, "{both}");
    for (language, expected) in [("en", "en-1"), ("fr", "fr-1")] {
        let (one, _, _) = answer(
            &client,
            "trace_topic",
            json!({"query": "cloud", "language": language}),
        )
        .await;
        assert_eq!(ids(&one), [expected], "{one}");
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn trace_topic_pages_with_a_cursor() {
    // Twelve dated episodes and one undated: two pages of ten.
    let mut episodes: Vec<_> = (1..=12)
        .map(|month| {
            EpisodeBuilder::new(&format!("ep-{month:02}"))
                .published(2024, month, 1)
                .said(Some("Ana"), "On parle de souveraineté numérique.")
                .said(Some("Ben"), "La souveraineté, encore.")
                .build()
        })
        .collect();
    episodes.push(
        EpisodeBuilder::new("ep-undated")
            .said(None, "Souveraineté sans date.")
            .build(),
    );
    let client = connect(open_episodes("trace-pages", episodes)).await;
    let (first, _, _) = answer(&client, "trace_topic", json!({"query": "souveraineté"})).await;
    assert_eq!(first["total_episodes"], 13);
    assert_eq!(first["total_hits"], 25);
    let ids: Vec<&str> = first["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["episode_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 10);
    assert_eq!(ids[0], "ep-01");
    assert_eq!(first["episodes"][0]["matches"], 2);
    assert_eq!(first["episodes"][0]["speakers"], json!(["Ana", "Ben"]));
    let cursor = first["next_cursor"].as_str().unwrap();
    let (second, _, _) = answer(
        &client,
        "trace_topic",
        json!({"query": "souveraineté", "cursor": cursor}),
    )
    .await;
    let rest: Vec<&str> = second["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["episode_id"].as_str().unwrap())
        .collect();
    assert_eq!(rest, ["ep-11", "ep-12", "ep-undated"]);
    assert!(second.get("next_cursor").is_none());
    // A cursor belongs to its query.
    let other = call(
        &client,
        "trace_topic",
        json!({"query": "numérique", "cursor": cursor}),
    )
    .await;
    assert_eq!(other.is_error, Some(true));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn skipped_files_are_named_on_the_first_page_of_list_episodes() {
    let dir = tempfile::tempdir().unwrap();
    for seed in [
        "interview-arthur-mensch-mistral.txt",
        "smarttech-elon-musk-ia.txt",
    ] {
        let from = format!("{}/corpus/{seed}", env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(&from, dir.path().join(seed)).unwrap();
    }
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("lisez-moi.md"), "# Notes\n\nRien à voir.\n").unwrap();
    let client = connect(open_in_memory(CorpusSource::Dir(dir.path().into()))).await;
    let (first, _, _) = answer(&client, "list_episodes", json!({"limit": 1})).await;
    let skipped: Vec<&str> = first["skipped_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["empty.txt", "lisez-moi.md"], "{first}");
    for f in first["skipped_files"].as_array().unwrap() {
        assert!(!f["reason"].as_str().unwrap().is_empty());
    }
    assert!(first["notes"].to_string().contains("2 file(s)"), "{first}");
    assert_eq!(first["total"], 2);
    // Said once, on the first page.
    let (second, _, _) = answer(
        &client,
        "list_episodes",
        json!({"limit": 1, "cursor": first["next_cursor"]}),
    )
    .await;
    assert!(
        second.get("skipped_files").is_none() && second.get("notes").is_none(),
        "{second}"
    );
    let (seeds_listed, _, _) = {
        let seeded = connect(seeds().clone()).await;
        let listed = answer(&seeded, "list_episodes", json!({})).await;
        seeded.cancel().await.unwrap();
        listed
    };
    assert!(seeds_listed.get("skipped_files").is_none());
    client.cancel().await.unwrap();
}
