//! Streamable HTTP on a free port: a foreign Origin is refused (403), the
//! token is required (401), a good request is served, and the server stops
//! when asked. A non-loopback bind needs a token; `--allow-host` widens the
//! Host check on purpose and nothing else.

use crate::mcp::server;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use verbatim::mcp::{HttpOptions, ServeError, bind_http};

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"0"}}}"#;

struct Running {
    url: String,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

async fn start(token: Option<&str>) -> Running {
    start_with(token, &[]).await
}

async fn start_with(token: Option<&str>, allowed_hosts: &[&str]) -> Running {
    let http = bind_http(HttpOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        token: token.map(str::to_string),
        allowed_hosts: allowed_hosts.iter().map(|h| h.to_string()).collect(),
    })
    .await
    .unwrap();
    let url = format!("http://{}/mcp", http.local_addr().unwrap());
    let stop = CancellationToken::new();
    let child = stop.clone();
    let task = tokio::spawn(async move { http.run(server(), child).await.unwrap() });
    Running { url, stop, task }
}

fn post(url: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(INITIALIZE)
}

#[tokio::test]
async fn origin_token_and_good_request() {
    let running = start(Some("s3cret")).await;

    let no_token = post(&running.url).send().await.unwrap();
    assert_eq!(no_token.status(), 401);
    assert!(no_token.headers().get("www-authenticate").is_some());
    let wrong = post(&running.url)
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    let foreign = post(&running.url)
        .bearer_auth("s3cret")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);

    let good = post(&running.url)
        .bearer_auth("s3cret")
        .header("origin", "http://localhost:6274")
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), 200);
    let body = good.text().await.unwrap();
    assert!(
        body.contains("\"verbatim\"") && body.contains("verify_quote"),
        "{body}"
    );

    stop(running).await;
}

#[tokio::test]
async fn no_token_needed_when_none_set_and_host_checked() {
    let running = start(None).await;
    let good = post(&running.url).send().await.unwrap();
    assert_eq!(good.status(), 200);
    // A rebinding attack arrives with the attacker's host name.
    let rebound = post(&running.url)
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert!(rebound.status().is_client_error(), "{}", rebound.status());
    let not_json = reqwest::Client::new()
        .post(&running.url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": "no/such/method"}).to_string())
        .send()
        .await
        .unwrap();
    assert!(
        not_json.status().is_client_error() || not_json.text().await.unwrap().contains("-32601")
    );
    stop(running).await;
}

async fn stop(running: Running) {
    running.stop.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(10), running.task)
        .await
        .unwrap()
        .unwrap();
}

fn options(addr: &str, token: Option<&str>, hosts: &[&str]) -> HttpOptions {
    HttpOptions {
        addr: addr.parse().unwrap(),
        token: token.map(str::to_string),
        allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
    }
}

#[tokio::test]
async fn a_network_bind_requires_a_token() {
    for addr in ["0.0.0.0:0", "[::]:0"] {
        let refused = bind_http(options(addr, None, &[])).await.unwrap_err();
        assert!(
            matches!(refused, ServeError::TokenRequired { .. }),
            "{refused}"
        );
        let message = refused.to_string();
        assert!(
            message.contains("--token") && message.contains("127.0.0.1"),
            "{message}"
        );
        // An empty token is no token.
        let empty = bind_http(options(addr, Some(""), &[])).await.unwrap_err();
        assert!(matches!(empty, ServeError::TokenRequired { .. }), "{empty}");
    }
    // With a token the same bind works (IPv4 only: some machines have no IPv6).
    let bound = bind_http(options("0.0.0.0:0", Some("s3cret"), &[])).await;
    assert!(bound.is_ok(), "{bound:?}");
    // Loopback stays tokenless.
    assert!(bind_http(options("127.0.0.1:0", None, &[])).await.is_ok());
}

#[tokio::test]
async fn allowed_hosts_are_checked_and_validated() {
    for bad in [
        "http://example.org",
        "example.org:8080",
        "a b",
        "",
        "exa_mple.org",
        "-x.org",
    ] {
        let refused = bind_http(options("127.0.0.1:0", None, &[bad]))
            .await
            .unwrap_err();
        assert!(
            matches!(refused, ServeError::BadAllowedHost(_)),
            "{bad}: {refused}"
        );
    }
    let any = bind_http(options("127.0.0.1:0", None, &["*"]))
        .await
        .unwrap_err();
    assert!(matches!(any, ServeError::AnyHostWithoutToken), "{any}");

    let running = start_with(None, &["transcripts.example.org", "192.0.2.7"]).await;
    let port = running
        .url
        .split(':')
        .nth(2)
        .unwrap()
        .trim_end_matches("/mcp")
        .to_string();
    for host in ["transcripts.example.org", "192.0.2.7", "localhost"] {
        let named = post(&running.url)
            .header("host", format!("{host}:{port}"))
            .send()
            .await
            .unwrap();
        assert_eq!(named.status(), 200, "Host {host}");
    }
    let page = post(&running.url)
        .header("origin", "https://transcripts.example.org:443")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let other = post(&running.url)
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 403);
    stop(running).await;

    // `*` (with a token) accepts any Host: the token is the guard; Origin is still checked.
    let running = start_with(Some("s3cret"), &["*"]).await;
    let proxied = post(&running.url)
        .bearer_auth("s3cret")
        .header("host", "internal-name.local")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 200);
    let foreign = post(&running.url)
        .bearer_auth("s3cret")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    stop(running).await;
}

#[test]
fn the_cli_refuses_a_network_bind_without_a_token() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["serve", "--http", "0.0.0.0:0"])
        .env_remove("VERBATIM_TOKEN")
        .env("VERBATIM_INDEX_DIR", tempfile::tempdir().unwrap().path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("without a token") && stderr.contains("--token"),
        "{stderr}"
    );
}

#[tokio::test]
async fn delete_ends_the_session_with_204() {
    // rmcp answers 202, which the official Python SDK logs as "Session
    // termination failed: 202" at every close: it expects 200 or 204.
    let running = start(None).await;
    let init = post(&running.url).send().await.unwrap();
    assert_eq!(init.status(), 200);
    let session = init
        .headers()
        .get("mcp-session-id")
        .expect("a session id")
        .to_str()
        .unwrap()
        .to_string();
    let _ = init.text().await.unwrap();
    let delete = || {
        reqwest::Client::new()
            .delete(&running.url)
            .header("mcp-session-id", &session)
            .header("mcp-protocol-version", "2025-11-25")
    };
    let ended = delete().send().await.unwrap();
    assert_eq!(ended.status(), 204);
    assert!(ended.text().await.unwrap().is_empty());
    // The session is gone: a request in it is refused.
    let after = reqwest::Client::new()
        .post(&running.url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-session-id", &session)
        .header("mcp-protocol-version", "2025-11-25")
        .body(json!({"jsonrpc": "2.0", "id": 2, "method": "ping"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 404);
    stop(running).await;
}
