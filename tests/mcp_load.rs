//! Load over HTTP: 16 clients at once against the real `verbatim serve --http`
//! (the binary, on loopback, with a token), each running a fixed mix of
//! searches, chapter and transcript reads, quote checks and listings. No
//! request may fail, and every excerpt taken from a search hit must verify
//! as `exact` while the others are searching: answers stay right under load.
//!
//! The same test measures: run in release on a big corpus it prints
//! throughput, latency percentiles and the server's peak resident memory
//! (BENCHMARKS.md has the command). Knobs, all optional:
//! `VERBATIM_LOAD_CORPUS` (a folder; default: the embedded corpus),
//! `VERBATIM_LOAD_INDEX_DIR` (reuse a built index), `VERBATIM_LOAD_ROUNDS`
//! (calls per client after the first listing; default 24),
//! `VERBATIM_LOAD_BIN` (the server binary, e.g. a release build; default:
//! this build's).

use rmcp::model::CallToolRequestParams;
use rmcp::service::RunningService;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const TOKEN: &str = "load-test-token";
/// Queries a French tech corpus answers; the generated bench corpus too.
const QUERIES: &[&str] = &[
    "souveraineté",
    "Mistral",
    "cloud",
    "intelligence artificielle Europe",
    "securite des donnees",
    "\"logiciel libre\"",
    "Arthur Mensch",
    "modèles open source",
];

/// The server process; killed when dropped, even if the test fails.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `verbatim serve --http 127.0.0.1:0` and waits for the address it prints.
    fn start(corpus: Option<&str>, index_dir: &std::path::Path) -> Server {
        let binary = std::env::var_os("VERBATIM_LOAD_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_verbatim").into());
        let mut command = Command::new(binary);
        if let Some(corpus) = corpus {
            command.args(["--corpus", corpus]);
        }
        let mut child = command
            .arg("--index-dir")
            .arg(index_dir)
            .args(["serve", "--http", "127.0.0.1:0", "--token", TOKEN])
            .env("VERBATIM_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        // Keep reading stderr for the server's whole life, so that its
        // logging never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("Serving streamable HTTP at ").nth(1) {
                    let url = rest.split_whitespace().next().unwrap_or_default();
                    let _ = sender.send(url.trim_end_matches('.').to_string());
                } else if line.contains("ERROR") || line.contains("error") {
                    eprintln!("server: {line}");
                }
            }
        });
        // Building a big corpus's index takes minutes; the seeds take seconds.
        let wait = if corpus.is_some() { 1800 } else { 180 };
        let url = receiver
            .recv_timeout(Duration::from_secs(wait))
            .expect("the server did not say where it listens");
        Server { child, url }
    }

    /// Resident memory now and at its peak, in MB (Linux only).
    fn memory_mb(&self) -> Option<(f64, f64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kb = |key: &str| -> Option<f64> {
            let line = status.lines().find(|l| l.starts_with(key))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        };
        Some((kb("VmRSS:")? / 1024.0, kb("VmHWM:")? / 1024.0))
    }
}

type Client = RunningService<RoleClient, ()>;

async fn connect(url: &str) -> Client {
    let config = StreamableHttpClientTransportConfig::with_uri(url.to_string()).auth_header(TOKEN);
    ().serve(StreamableHttpClientTransport::from_config(config))
        .await
        .unwrap()
}

/// One call's outcome: the structured result, or what went wrong.
async fn call(client: &Client, tool: &str, args: Value) -> Result<Value, String> {
    let Value::Object(map) = args else {
        return Err("arguments must be an object".into());
    };
    let result = client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(map))
        .await
        .map_err(|e| format!("{tool}: request failed: {e}"))?;
    if result.is_error == Some(true) {
        return Err(format!("{tool}: tool error: {:?}", result.content));
    }
    result
        .structured_content
        .ok_or_else(|| format!("{tool}: no structured content"))
}

/// What one client saw: latencies per tool and the failures.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    failures: Vec<String>,
}

impl Tally {
    async fn time(&mut self, client: &Client, tool: &'static str, args: Value) -> Option<Value> {
        let started = Instant::now();
        let outcome = call(client, tool, args).await;
        self.latencies
            .entry(tool)
            .or_default()
            .push(started.elapsed());
        outcome.map_err(|e| self.failures.push(e)).ok()
    }
}

/// One client's fixed mix: rounds of search, read, verify, list, each client
/// starting at a different point so that all kinds run at the same time.
async fn run_client(url: String, number: usize, rounds: usize) -> Tally {
    let client = connect(&url).await;
    let mut tally = Tally::default();
    let listed = tally
        .time(&client, "list_episodes", json!({"limit": 50}))
        .await;
    // (episode id, whether it can be read by time)
    let episodes: Vec<(String, bool)> = listed
        .as_ref()
        .and_then(|l| l["episodes"].as_array())
        .map(|list| {
            list.iter()
                .filter_map(|e| {
                    let id = e["episode_id"].as_str()?.to_string();
                    Some((id, e["timing"].as_str() != Some("none")))
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(!episodes.is_empty(), "no episodes listed");
    let mut last_quote: Option<String> = None;
    for round in 0..rounds {
        let turn = number + round;
        let (episode, timed) = &episodes[turn % episodes.len()];
        match turn % 5 {
            0 | 1 => {
                let query = QUERIES[turn % QUERIES.len()];
                let found = tally
                    .time(
                        &client,
                        "search_quotes",
                        json!({"query": query, "limit": 5}),
                    )
                    .await;
                if let Some(quote) = found.as_ref().and_then(|f| f["hits"][0]["quote"].as_str()) {
                    last_quote = Some(quote.to_string());
                }
            }
            2 => {
                // An untimed transcript is read from its start, as a client would.
                let args = if *timed {
                    json!({"episode_id": episode, "start_seconds": 60, "end_seconds": 300})
                } else {
                    json!({"episode_id": episode, "max_chars": 4000})
                };
                tally.time(&client, "read_transcript", args).await;
            }
            // Without a hit to check yet, this turn reads a chapter instead.
            3 if last_quote.is_some() => {
                let quote = last_quote.take().unwrap();
                let checked = tally
                    .time(&client, "verify_quote", json!({"quote": quote}))
                    .await;
                if let Some(verdict) = checked.as_ref().map(|c| c["verdict"].clone())
                    && verdict != "exact"
                {
                    tally
                        .failures
                        .push(format!("a quoted hit verified as {verdict}: {quote}"));
                }
            }
            _ => {
                tally
                    .time(
                        &client,
                        "read_chapter",
                        json!({"episode_id": episode, "chapter": 1}),
                    )
                    .await;
            }
        }
    }
    let _ = client.cancel().await;
    tally
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_http_clients_at_once_and_no_request_fails() {
    let corpus = std::env::var("VERBATIM_LOAD_CORPUS").ok();
    let scratch = tempfile::tempdir().unwrap();
    let index_dir = std::env::var_os("VERBATIM_LOAD_INDEX_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| scratch.path().to_path_buf());
    let rounds: usize = std::env::var("VERBATIM_LOAD_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(24);
    let server = Server::start(corpus.as_deref(), &index_dir);
    let at_start = server.memory_mb();

    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|number| tokio::spawn(run_client(server.url.clone(), number, rounds)))
        .collect();
    let mut all = Tally::default();
    for client in clients {
        let tally = tokio::time::timeout(Duration::from_secs(600), client)
            .await
            .expect("a client did not finish in 10 minutes")
            .expect("a client task panicked");
        all.failures.extend(tally.failures);
        for (tool, mut latencies) in tally.latencies {
            all.latencies
                .entry(tool)
                .or_default()
                .append(&mut latencies);
        }
    }
    let wall = started.elapsed();
    let at_end = server.memory_mb();

    let mut every: Vec<Duration> = all.latencies.values().flatten().copied().collect();
    every.sort();
    let requests = every.len();
    println!(
        "load: {CLIENTS} clients, {requests} tool calls in {:.2} s = {:.0} calls/s; \
         latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        wall.as_secs_f64(),
        requests as f64 / wall.as_secs_f64(),
        percentile(&every, 0.50),
        percentile(&every, 0.95),
        percentile(&every, 0.99),
        percentile(&every, 1.0),
    );
    for (tool, latencies) in &mut all.latencies {
        latencies.sort();
        println!(
            "  {tool}: {} calls, p50 {:.1} ms, p99 {:.1} ms",
            latencies.len(),
            percentile(latencies, 0.50),
            percentile(latencies, 0.99),
        );
    }
    if let (Some((rss_start, _)), Some((rss_end, peak))) = (at_start, at_end) {
        println!(
            "  server memory: {rss_start:.0} MB resident after opening, {rss_end:.0} MB after the load, peak {peak:.0} MB"
        );
    }

    assert!(
        all.failures.is_empty(),
        "failed requests: {:#?}",
        all.failures
    );
    assert_eq!(requests, CLIENTS * (rounds + 1), "every call was answered");
    assert!(
        all.latencies
            .get("verify_quote")
            .is_some_and(|v| !v.is_empty())
    );
}
