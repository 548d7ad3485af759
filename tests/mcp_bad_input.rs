//! Bad requests over a raw MCP connection: malformed JSON-RPC, unknown
//! methods, wrong types, huge strings, absurd numbers, forged cursors. Each
//! gets a clear error within a bounded time, and the next good request on the
//! same connection is still answered correctly. Also: concurrent searches all
//! complete.

use crate::mcp::server;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines, ReadHalf, WriteHalf};
use verbatim::mcp::cursor::{encode, fingerprint};

/// A generous bound: this is a hang check, not a timing test.
const BOUND: Duration = Duration::from_secs(5);

type Reader = Lines<BufReader<ReadHalf<tokio::io::DuplexStream>>>;

/// A client that writes JSON-RPC lines itself, after a proper initialize.
struct Raw {
    lines: Reader,
    write: WriteHalf<tokio::io::DuplexStream>,
    next_id: i64,
}

impl Raw {
    async fn connect() -> Self {
        let (server_io, client_io) = tokio::io::duplex(1 << 16);
        tokio::spawn(async move {
            use rmcp::ServiceExt;
            if let Ok(running) = server().serve(server_io).await {
                let _ = running.waiting().await;
            }
        });
        let (read, write) = tokio::io::split(client_io);
        let mut raw = Self {
            lines: BufReader::new(read).lines(),
            write,
            next_id: 1,
        };
        let init = raw
            .request(
                "initialize",
                json!({"protocolVersion": "2025-11-25", "capabilities": {},
                       "clientInfo": {"name": "raw", "version": "0"}}),
            )
            .await;
        assert_eq!(init["result"]["serverInfo"]["name"], "verbatim");
        raw.send_line(
            &json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
        )
        .await;
        raw
    }

    async fn send_line(&mut self, line: &str) {
        self.write
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
    }

    /// The reply with `id`, skipping notifications; fails past [`BOUND`].
    async fn reply(&mut self, id: &Value) -> Value {
        let started = Instant::now();
        loop {
            let left = BOUND.saturating_sub(started.elapsed());
            let line = tokio::time::timeout(left, self.lines.next_line())
                .await
                .unwrap_or_else(|_| panic!("no reply to id {id} within {BOUND:?}"))
                .unwrap()
                .unwrap();
            let reply: Value = serde_json::from_str(&line).unwrap();
            if &reply["id"] == id {
                return reply;
            }
        }
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = json!(self.next_id);
        self.next_id += 1;
        let line = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_line(&line.to_string()).await;
        self.reply(&id).await
    }

    async fn call(&mut self, tool: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": tool, "arguments": arguments}))
            .await
    }

    /// The connection still answers a good search correctly.
    async fn still_serving(&mut self, after: &str) {
        let reply = self
            .call("search_quotes", json!({"query": "batteries"}))
            .await;
        let result = &reply["result"];
        assert_ne!(result["isError"], true, "after {after}: {reply}");
        assert_eq!(
            result["structuredContent"]["total_hits"], 2,
            "after {after}: {reply}"
        );
    }
}

/// The text of a tool error, or the message of a JSON-RPC error.
fn error_text(reply: &Value) -> String {
    if let Some(message) = reply["error"]["message"].as_str() {
        return message.to_string();
    }
    let shown: String = reply.to_string().chars().take(600).collect();
    assert_eq!(reply["result"]["isError"], true, "should fail: {shown}");
    reply["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn malformed_lines_and_unknown_methods() {
    let mut raw = Raw::connect().await;
    for junk in [
        "{not json",
        "[]",
        "42",
        r#"{"jsonrpc": "2.0"}"#,
        r#"{"jsonrpc": "1.0", "id": 900, "method": "tools/list"}"#,
        &format!(
            r#"{{"jsonrpc": "2.0", "id": 901, "method": "{}"}}"#,
            "x".repeat(100_000)
        ),
    ] {
        let started = Instant::now();
        raw.send_line(junk).await;
        raw.still_serving(junk.get(..40).unwrap_or(junk)).await;
        assert!(started.elapsed() < BOUND);
    }
    let started = Instant::now();
    let reply = raw.request("no/such/method", json!({})).await;
    assert_eq!(reply["error"]["code"], -32601, "{reply}");
    let reply = raw.request("tools/call", json!({"name": 5})).await;
    assert!(reply["error"]["code"].as_i64().is_some(), "{reply}");
    let reply = raw
        .request("tools/call", json!({"name": "no_such_tool"}))
        .await;
    assert!(error_text(&reply).contains("no_such_tool"), "{reply}");
    assert!(started.elapsed() < BOUND);
    raw.still_serving("unknown methods").await;

    // Huge values in prompts, resources and completions: a clear error or a small answer.
    let huge = "z".repeat(1_000_000);
    for (method, params) in [
        (
            "prompts/get",
            json!({"name": "cite_quotes", "arguments": {"topic": huge}}),
        ),
        (
            "prompts/get",
            json!({"name": "episode_brief", "arguments": {"episode_id": huge}}),
        ),
        (
            "prompts/get",
            json!({"name": "speaker_profile", "arguments": {"speaker": huge}}),
        ),
        (
            "resources/read",
            json!({"uri": format!("verbatim://episodes/{huge}")}),
        ),
        (
            "completion/complete",
            json!({"ref": {"type": "ref/prompt", "name": "episode_brief"},
            "argument": {"name": "episode_id", "value": huge}}),
        ),
    ] {
        let started = Instant::now();
        let reply = raw.request(method, params).await;
        assert!(
            started.elapsed() < BOUND,
            "{method} took {:?}",
            started.elapsed()
        );
        let size = reply.to_string().len();
        assert!(size < 20_000, "{method}: reply of {size} bytes");
        raw.still_serving(method).await;
    }
}

#[tokio::test]
async fn bad_arguments_get_clear_errors_and_the_connection_goes_on() {
    let mut raw = Raw::connect().await;
    let huge = "batteries ".repeat(100_000); // 1 MB
    let many_terms: String = (0..10_000).map(|i| format!("mot{i} ")).collect();
    let huge_id = "p".repeat(1_000_000);
    let print = fingerprint(&["search_quotes", "batteries", "", "", "", "", "", ""]);
    let cases: Vec<(&str, Value, &[&str])> = vec![
        // Wrong types.
        ("search_quotes", json!({"query": 5}), &["query"]),
        (
            "search_quotes",
            json!({"query": "x", "limit": "ten"}),
            &["limit"],
        ),
        (
            "read_chapter",
            json!({"episode_id": "ep-a", "chapter": "one"}),
            &["chapter"],
        ),
        ("verify_quote", json!({"quote": ["a"]}), &["quote"]),
        ("list_episodes", json!({"limit": 1.5}), &["limit"]),
        // Oversized text.
        (
            "search_quotes",
            json!({"query": huge}),
            &["query", "characters"],
        ),
        ("search_quotes", json!({"query": many_terms}), &["query"]),
        ("verify_quote", json!({"quote": huge}), &["quote", "5000"]),
        ("list_episodes", json!({"query": huge}), &["query"]),
        // Absurd numbers.
        (
            "search_quotes",
            json!({"query": "x", "limit": -1}),
            &["limit", "between"],
        ),
        (
            "search_quotes",
            json!({"query": "x", "limit": i64::MAX}),
            &["limit", "between"],
        ),
        (
            "search_quotes",
            json!({"query": "x", "limit": 1e300}),
            &["limit"],
        ),
        ("list_episodes", json!({"limit": -5}), &["limit", "between"]),
        (
            "list_episodes",
            json!({"limit": 1_000_000_000}),
            &["limit", "between"],
        ),
        (
            "read_chapter",
            json!({"episode_id": "ep-a", "chapter": -1}),
            &["chapter"],
        ),
        (
            "read_chapter",
            json!({"episode_id": "ep-a", "chapter": i64::MAX}),
            &["chapter"],
        ),
        (
            "read_transcript",
            json!({"episode_id": "ep-a", "max_chars": -1}),
            &["max_chars"],
        ),
        (
            "read_transcript",
            json!({"episode_id": "ep-a", "start_seconds": -3.0}),
            &["start_seconds"],
        ),
        (
            "read_transcript",
            json!({"episode_id": "ep-a", "start_seconds": 1e300}),
            &["start_seconds", "1e300"],
        ),
        (
            "read_transcript",
            json!({"episode_id": "ep-a", "around_passage": "ep-a#p0-42b403",
            "before": i64::MAX}),
            &["before"],
        ),
        // Cursors from nowhere.
        (
            "search_quotes",
            json!({"query": "batteries", "cursor": "hello world"}),
            &["cursor"],
        ),
        (
            "search_quotes",
            json!({"query": "batteries", "cursor": "aGVsbG8gd29ybGQ="}),
            &["cursor"],
        ),
        (
            "list_episodes",
            json!({"cursor": "7b2266223a2261222c226f223a317d"}),
            &["cursor"],
        ),
        (
            "read_transcript",
            json!({"episode_id": "ep-a", "cursor": "x".repeat(100_000)}),
            &["cursor"],
        ),
        // A forged cursor with the right fingerprint and an absurd offset.
        (
            "search_quotes",
            json!({"query": "batteries", "cursor": encode(&print, usize::MAX)}),
            &["cursor"],
        ),
        (
            "search_quotes",
            json!({"query": "batteries", "cursor": encode(&print, 1 << 40)}),
            &["cursor"],
        ),
        // Huge ids.
        (
            "read_transcript",
            json!({"episode_id": "ep-a", "around_passage": huge_id}),
            &["passage"],
        ),
        ("get_episode", json!({"episode_id": huge_id}), &["episode"]),
        (
            "search_quotes",
            json!({"query": "x", "episode_id": huge_id}),
            &["episode"],
        ),
        (
            "verify_quote",
            json!({"quote": "batteries", "episode_id": huge_id}),
            &["episode"],
        ),
        (
            "summarize_speakers",
            json!({"episode_id": huge_id}),
            &["episode"],
        ),
        (
            "summarize_speakers",
            json!({"speaker": huge_id}),
            &["speaker"],
        ),
    ];
    for (tool, args, expected) in cases {
        let shown: String = args.to_string().chars().take(120).collect();
        let started = Instant::now();
        let reply = raw.call(tool, args).await;
        let elapsed = started.elapsed();
        assert!(elapsed < BOUND, "{tool} {shown} took {elapsed:?}");
        let text = error_text(&reply);
        assert!(
            text.len() < 2_000,
            "{tool} {shown}: error too long: {} chars",
            text.len()
        );
        for word in expected {
            assert!(
                text.contains(word),
                "{tool} {shown}: `{text}` lacks `{word}`"
            );
        }
        raw.still_serving(&format!("{tool} {shown}")).await;
    }
}

#[tokio::test]
async fn long_queries_and_quotes_within_limits_are_answered() {
    let mut raw = Raw::connect().await;
    // Hundreds of distinct words under the length limit: the first ones are used, with a note.
    let many: String = (0..300).map(|i| format!("v{i} ")).collect();
    let query = format!("batteries {many}");
    assert!(query.len() < 2_000);
    let started = Instant::now();
    let reply = raw.call("search_quotes", json!({"query": query})).await;
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    let page = &reply["result"]["structuredContent"];
    assert!(page["total_hits"].as_u64().unwrap() >= 2, "{page}");
    let notes = page["notes"].to_string();
    assert!(notes.contains("only the first 64"), "{notes}");
    // A quoted phrase of 100 words is cut the same way.
    let phrase: String = (0..100).map(|i| format!("w{i} ")).collect();
    let reply = raw
        .call(
            "search_quotes",
            json!({"query": format!("\"{}\"", phrase.trim())}),
        )
        .await;
    let notes = reply["result"]["structuredContent"]["notes"].to_string();
    assert!(notes.contains("only the first 64"), "{reply}");
    // Text arguments just under their limit are answered (empty, not slow).
    let words: String = (0..400).map(|i| format!("n{i} ")).collect();
    let long: String = words.chars().take(1_999).collect();
    for (tool, args) in [
        ("summarize_speakers", json!({"speaker": long})),
        (
            "search_quotes",
            json!({"query": "batteries", "speaker": long}),
        ),
        ("search_quotes", json!({"query": "batteries", "show": long})),
        (
            "list_episodes",
            json!({"query": long, "speaker": long, "show": long}),
        ),
        (
            "read_transcript",
            json!({"episode_id": "ep-a", "around_passage": long}),
        ),
        ("get_episode", json!({"episode_id": long})),
    ] {
        let started = Instant::now();
        let reply = raw.call(tool, args).await;
        assert!(
            started.elapsed() < BOUND,
            "{tool} took {:?}",
            started.elapsed()
        );
        assert!(reply.get("result").is_some(), "{tool}: {reply}");
        let text = reply["result"]["content"][0]["text"].as_str().unwrap();
        assert!(
            text.len() < 20_000,
            "{tool}: answer of {} bytes",
            text.len()
        );
    }

    // Just under the limit, thousands of words: work must stay bounded.
    let quote: String = (0..800).map(|i| format!("mot{i} ")).collect();
    let quote: String = quote.chars().take(4_990).collect();
    let started = Instant::now();
    let reply = raw.call("verify_quote", json!({"quote": quote})).await;
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    assert_eq!(
        reply["result"]["structuredContent"]["verdict"], "not_said",
        "{reply}"
    );
    raw.still_serving("a long quote").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_all_complete() {
    use rmcp::ServiceExt;
    use rmcp::model::CallToolRequestParams;
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        if let Ok(running) = server().serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let client = std::sync::Arc::new(().serve(client_io).await.unwrap());
    // Eight searches at once, plus the other two tools that do real work.
    let calls = (0..12).map(|i| {
        let client = client.clone();
        let (tool, args) = match i {
            0..8 => ("search_quotes", json!({"query": "batteries"})),
            8 | 9 => (
                "verify_quote",
                json!({"quote": "les batteries coutent deux fois moins cher"}),
            ),
            _ => ("summarize_speakers", json!({})),
        };
        tokio::spawn(async move {
            let Value::Object(map) = args else {
                unreachable!()
            };
            client
                .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(map))
                .await
                .unwrap()
        })
    });
    let started = Instant::now();
    let results = tokio::time::timeout(BOUND, futures_join(calls.collect()))
        .await
        .expect("12 concurrent calls did not all complete");
    assert_eq!(results.len(), 12);
    for result in results {
        assert_ne!(result.is_error, Some(true), "{result:?}");
    }
    assert!(started.elapsed() < BOUND);
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[test]
fn the_search_library_bounds_queries_and_offsets() {
    use verbatim::index::{MAX_OFFSET, MAX_QUERY_CHARS, SearchError, SearchRequest};
    let options = verbatim::index::IndexOptions {
        in_memory: true,
        writer_memory: 50_000_000,
        ..verbatim::index::IndexOptions::default()
    };
    let set = verbatim::ingest::EpisodeSet::new(
        "bounds",
        crate::mcp::fixture_corpus().to_episodes().unwrap(),
    );
    let (index, _) = verbatim::Snapshot::open(&set, &options).unwrap();
    let request = |query: String, offset: usize| SearchRequest {
        query,
        limit: 5,
        offset,
        ..SearchRequest::default()
    };
    // At the limit: answered; one character more: refused, saying how long it was.
    let at_limit = format!("batteries {}", "x".repeat(MAX_QUERY_CHARS - 10));
    assert_eq!(at_limit.chars().count(), MAX_QUERY_CHARS);
    assert!(index.search(&request(at_limit.clone(), 0)).is_ok());
    let over = format!("{at_limit}y");
    match index.search(&request(over, 0)) {
        Err(SearchError::Invalid(m)) => {
            assert!(m.contains(&format!("{}", MAX_QUERY_CHARS + 1)), "{m}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        index
            .search(&request("batteries".into(), MAX_OFFSET))
            .is_ok()
    );
    for offset in [MAX_OFFSET + 1, usize::MAX] {
        match index.search(&request("batteries".into(), offset)) {
            Err(SearchError::Invalid(m)) => assert!(m.contains("offset"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}

/// No argument reaches the file system: ids, URIs and names that look like
/// paths are unknown entries of the corpus, and no answer shows a path or
/// a file's contents.
#[tokio::test]
async fn paths_in_arguments_and_uris_reach_no_file() {
    let mut raw = Raw::connect().await;
    let secret = std::env::temp_dir().join("verbatim-leak-check.txt");
    std::fs::write(&secret, "root:x:0:0 do-not-show").unwrap();
    let absolute = secret.display().to_string();
    let sneaky = [
        "../../../../etc/passwd".to_string(),
        "/etc/passwd".to_string(),
        absolute.clone(),
        format!("file://{absolute}"),
        "..%2F..%2Fetc%2Fpasswd".to_string(),
        "C:\\Windows\\win.ini".to_string(),
    ];
    let mut replies = Vec::new();
    for path in &sneaky {
        for uri in [
            format!("verbatim://episodes/{path}"),
            format!("verbatim://episodes/{path}/chapters/1"),
            path.clone(),
        ] {
            replies.push(raw.request("resources/read", json!({"uri": uri})).await);
        }
        replies.push(
            raw.call("read_chapter", json!({"episode_id": path, "chapter": 1}))
                .await,
        );
        replies.push(
            raw.call("read_transcript", json!({"episode_id": path}))
                .await,
        );
        replies.push(
            raw.call(
                "read_transcript",
                json!({"episode_id": "ep-a", "around_passage": path}),
            )
            .await,
        );
        replies.push(
            raw.call(
                "search_quotes",
                json!({"query": "batteries", "episode_id": path}),
            )
            .await,
        );
        replies.push(
            raw.call(
                "verify_quote",
                json!({"quote": "batteries", "episode_id": path}),
            )
            .await,
        );
        replies.push(
            raw.call("summarize_speakers", json!({"speaker": path}))
                .await,
        );
        replies.push(raw.call("list_episodes", json!({"cursor": path})).await);
    }
    for reply in &replies {
        let message = error_text(reply);
        let shown = reply.to_string();
        assert!(
            !shown.contains("do-not-show") && !shown.contains("root:x"),
            "{shown}"
        );
        // The message may echo the argument, but says nothing of any real path.
        let without_echo = sneaky
            .iter()
            .fold(message.clone(), |m, p| m.replace(p.as_str(), ""));
        for leak in [
            "/home", "/root", "/tmp", "/etc", ".cache", "target/", "src/", "panicked",
        ] {
            assert!(!without_echo.contains(leak), "{leak} in: {message}");
        }
    }
    raw.still_serving("path-like arguments").await;
    let _ = std::fs::remove_file(secret);
}

/// One JSON line from `lines`, failing past [`BOUND`].
async fn next_json<R: tokio::io::AsyncBufRead + Unpin>(
    lines: &mut Lines<R>,
    waiting_for: &str,
) -> Value {
    loop {
        let line = tokio::time::timeout(BOUND, lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("no reply to {waiting_for} within {BOUND:?}"))
            .unwrap()
            .unwrap_or_else(|| panic!("output closed before the reply to {waiting_for}"));
        let message: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        // The server's own notifications (the corpus became ready: resources
        // changed) may come between two replies; they are not replies.
        if message.get("method").is_some() && message.get("id").is_none() {
            continue;
        }
        return message;
    }
}

#[tokio::test]
async fn stdio_answers_lines_that_are_not_json_rpc_and_goes_on() {
    // The real binary on real stdin/stdout: rmcp alone drops a line that is
    // not JSON without a word, and the client waits forever.
    let index = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("--index-dir")
        .arg(index.path())
        .arg("serve")
        .env_remove("VERBATIM_CORPUS")
        .env_remove("VERBATIM_INDEX_DIR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}});
    // One line at a time, each answered before the next is sent: a line the
    // guard answers and one rmcp answers may otherwise come back in either order.
    let steps: Vec<(String, Value, i64)> = vec![
        ("hello".to_string(), json!(null), -32700),
        (init.to_string(), json!(1), 0),
        (
            json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
            json!(null),
            1, // no reply: a notification
        ),
        (
            "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\"".to_string(),
            json!(null),
            -32700,
        ),
        (
            json!([{"jsonrpc": "2.0", "id": 3, "method": "ping"}]).to_string(),
            json!(null),
            -32600,
        ),
        (
            json!({"id": 4, "method": "ping"}).to_string(),
            json!(4),
            -32600,
        ),
        (
            json!({"jsonrpc": "1.0", "id": "five", "method": "tools/list"}).to_string(),
            json!("five"),
            -32600,
        ),
        ("42".to_string(), json!(null), -32600),
        (
            json!({"jsonrpc": "2.0", "id": 6, "method": "ping"}).to_string(),
            json!(6),
            0,
        ),
    ];
    for (line, id, code) in steps {
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
        if code == 1 {
            continue;
        }
        let reply = next_json(&mut stdout, &line).await;
        assert_eq!(reply["jsonrpc"], "2.0", "{line}: {reply}");
        assert_eq!(reply["id"], id, "{line}: {reply}");
        if code == 0 {
            assert!(reply["result"].is_object(), "{line}: {reply}");
            continue;
        }
        assert_eq!(reply["error"]["code"], code, "{line}: {reply}");
        if code == -32700 {
            let message = reply["error"]["message"].as_str().unwrap();
            assert!(message.starts_with("parse error: "), "{message}");
        }
    }
    // The session still works end to end: a tool call over the embedded corpus.
    let call = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "list_episodes", "arguments": {"limit": 1}}});
    stdin
        .write_all(format!("{call}\n").as_bytes())
        .await
        .unwrap();
    let reply = next_json(&mut stdout, "tools/call").await;
    assert_eq!(reply["id"], 7, "{reply}");
    assert_ne!(reply["result"]["isError"], true, "{reply}");
    // End of input ends the session cleanly, with nothing else on stdout.
    drop(stdin);
    // (The notification that the corpus is ready may still come: it is no reply.)
    while let Some(line) = tokio::time::timeout(BOUND, stdout.next_line())
        .await
        .unwrap()
        .unwrap()
    {
        assert!(
            line.contains("notifications/resources/list_changed"),
            "{line}"
        );
    }
    let status = tokio::time::timeout(BOUND, child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn stdio_error_replies_are_rate_limited() {
    use verbatim::mcp::{REPLIES_PER_SECOND, serve_lines};
    let (server_io, client_io) = tokio::io::duplex(1 << 16);
    let (input, output) = tokio::io::split(server_io);
    let served = tokio::spawn(serve_lines(server(), input, output));
    let (read, mut write) = tokio::io::split(client_io);
    let mut lines = BufReader::new(read).lines();

    // A peer that answers every error with more garbage would never stop:
    // past the limit, lines are not answered (a note goes to stderr).
    let junk = 3 * REPLIES_PER_SECOND as usize;
    let storm = "not json\n".repeat(junk);
    write.write_all(storm.as_bytes()).await.unwrap();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}});
    write
        .write_all(format!("{init}\n").as_bytes())
        .await
        .unwrap();
    let mut errors = 0;
    let mut answered = false;
    // The errors and the reply to initialize may come in any order; then silence.
    loop {
        let wait = if answered && errors >= REPLIES_PER_SECOND as usize {
            Duration::from_millis(300)
        } else {
            BOUND
        };
        let Ok(line) = tokio::time::timeout(wait, lines.next_line()).await else {
            break;
        };
        let reply: Value = serde_json::from_str(&line.unwrap().unwrap()).unwrap();
        if reply["id"] == 1 {
            answered = true;
        } else {
            assert_eq!(reply["error"]["code"], -32700, "{reply}");
            errors += 1;
        }
    }
    assert!(answered, "the initialize after the storm was not answered");
    // Exactly the limit unless the machine was slow enough for a second window to open.
    assert!(
        errors >= REPLIES_PER_SECOND as usize && errors < junk,
        "{errors} error replies to {junk} bad lines"
    );
    // The end of input ends the session (both halves hold the client's end).
    drop((write, lines));
    tokio::time::timeout(BOUND, served)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
