//! Streamable HTTP on a free port: a foreign Origin is refused (403), the
//! token is required (401), a good request is served, and the server stops
//! when asked.

use crate::mcp::server;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use verbatim::mcp::{HttpOptions, bind_http};

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"0"}}}"#;

struct Running {
    url: String,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

async fn start(token: Option<&str>) -> Running {
    let http = bind_http(HttpOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        token: token.map(str::to_string),
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

    running.stop.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(10), running.task)
        .await
        .unwrap()
        .unwrap();
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
    running.stop.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(10), running.task)
        .await
        .unwrap()
        .unwrap();
}
