//! `verbatim serve --watch`: the real binary over stdio, driven by an rmcp
//! client, sees files added, changed and removed in its corpus folder, and
//! tells the client `notifications/resources/list_changed`. The same over
//! streamable HTTP (in process), where every open session is told.

use crate::index_faults::seed_copy;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{NotificationContext, RunningService};
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::future::Future;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use verbatim::Snapshot;
use verbatim::index::IndexOptions;
use verbatim::ingest::CorpusSource;
use verbatim::ingest::SourceFiles;
use verbatim::mcp::{HttpOptions, VerbatimServer, bind_http};
use verbatim::serve::{Indexing, LiveCorpus, WatchOptions};

/// A client that counts `notifications/resources/list_changed`.
#[derive(Clone, Default)]
struct Recorder {
    list_changed: Arc<AtomicUsize>,
}

impl ClientHandler for Recorder {
    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.list_changed.fetch_add(1, Ordering::SeqCst);
    }
}

type Client = RunningService<RoleClient, Recorder>;

async fn tool(client: &Client, name: &str, args: Value) -> Value {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    let result = client
        .call_tool(CallToolRequestParams::new(name.to_string()).with_arguments(map))
        .await
        .unwrap();
    assert_ne!(result.is_error, Some(true), "{name}: {result:?}");
    result.structured_content.unwrap()
}

async fn episode_ids(client: &Client) -> Vec<String> {
    let list = tool(client, "list_episodes", json!({"limit": 100})).await;
    list["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["episode_id"].as_str().unwrap().to_string())
        .collect()
}

/// The episodes of the hits for `query`.
async fn hit_episodes(client: &Client, query: &str) -> Vec<String> {
    let found = tool(
        client,
        "search_quotes",
        json!({"query": query, "limit": 20}),
    )
    .await;
    found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["episode_id"].as_str().unwrap().to_string())
        .collect()
}

/// Polls `check` until it is true or `within` has passed; the last state is
/// returned for the assertion message.
async fn eventually<F, Fut>(within: Duration, mut check: F) -> Result<(), String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let until = Instant::now() + within;
    loop {
        match check().await {
            Ok(()) => return Ok(()),
            Err(why) if Instant::now() >= until => return Err(why),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

const NEW_EPISODE: &str = "1\n00:00:01,000 --> 00:00:04,000\nLes hippocampes migrateurs traversent la Manche.\n\n\
2\n00:00:05,000 --> 00:00:08,000\nPersonne ne les avait jamais observés avant.\n";

/// Adds one file, changes one and removes one in a seed corpus, the way a
/// person would between two questions.
fn edit_corpus(corpus: &Path) {
    std::fs::write(corpus.join("nouvel-episode.srt"), NEW_EPISODE).unwrap();
    let mistral = corpus.join("interview-arthur-mensch-mistral.txt");
    let text = std::fs::read_to_string(&mistral).unwrap();
    std::fs::write(&mistral, text.replace("interface", "passerelle logicielle")).unwrap();
    std::fs::remove_file(corpus.join("smarttech-elon-musk-ia.txt")).unwrap();
}

/// What the client must see once the edit is served.
async fn edit_is_served(client: &Client) -> Result<(), String> {
    let ids = episode_ids(client).await;
    if !ids.contains(&"nouvel-episode".to_string())
        || ids.iter().any(|i| i.starts_with("smarttech"))
    {
        return Err(format!("episodes: {ids:?}"));
    }
    let hippocampes = hit_episodes(client, "hippocampes migrateurs").await;
    if hippocampes.first().map(String::as_str) != Some("nouvel-episode") {
        return Err(format!("hippocampes: {hippocampes:?}"));
    }
    let passerelle = hit_episodes(client, "\"passerelle logicielle\"").await;
    if !passerelle.contains(&"interview-arthur-mensch-mistral".to_string()) {
        return Err(format!("passerelle: {passerelle:?}"));
    }
    let colossus = hit_episodes(client, "Colossus").await;
    if colossus.iter().any(|e| e.starts_with("smarttech")) {
        return Err(format!("removed episode still found: {colossus:?}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_watch_over_stdio_follows_the_folder_and_notifies() {
    let corpus = seed_copy();
    let index = tempfile::tempdir().unwrap();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("--corpus")
        .arg(corpus.path())
        .arg("--index-dir")
        .arg(index.path())
        .args(["serve", "--watch"])
        .env_remove("VERBATIM_CORPUS")
        .env_remove("VERBATIM_INDEX_DIR")
        .env_remove("RUST_LOG")
        .env("VERBATIM_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log.reopen().unwrap())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let recorder = Recorder::default();
    let client = recorder.clone().serve((stdout, stdin)).await.unwrap();
    let caps = client.peer_info().unwrap().capabilities.clone();
    assert_eq!(caps.resources.unwrap().list_changed, Some(true));

    let before = episode_ids(&client).await;
    assert_eq!(before.len(), 5, "{before:?}");
    assert!(hit_episodes(&client, "hippocampes").await.is_empty());

    edit_corpus(corpus.path());
    let served = eventually(Duration::from_secs(15), || edit_is_served(&client)).await;
    let stderr = || std::fs::read_to_string(log.path()).unwrap_or_default();
    assert_eq!(served, Ok(()), "server log:\n{}", stderr());
    eventually(Duration::from_secs(5), || async {
        match recorder.list_changed.load(Ordering::SeqCst) {
            0 => Err("no notifications/resources/list_changed".to_string()),
            _ => Ok(()),
        }
    })
    .await
    .unwrap();
    let resources = client.list_all_resources().await.unwrap();
    assert!(
        resources
            .iter()
            .any(|r| r.uri == "verbatim://episodes/nouvel-episode")
    );

    // A file that cannot be read is skipped with a warning; the rest keeps up.
    let seen = recorder.list_changed.load(Ordering::SeqCst);
    std::fs::write(corpus.path().join("vide.txt"), "").unwrap();
    std::fs::write(
        corpus.path().join("second.srt"),
        NEW_EPISODE.replace("hippocampes", "narvals"),
    )
    .unwrap();
    let second = eventually(Duration::from_secs(15), || async {
        let ids = episode_ids(&client).await;
        if ids.contains(&"second".to_string())
            && recorder.list_changed.load(Ordering::SeqCst) > seen
        {
            Ok(())
        } else {
            Err(format!("episodes: {ids:?}"))
        }
    })
    .await;
    assert_eq!(second, Ok(()), "server log:\n{}", stderr());
    assert!(!episode_ids(&client).await.contains(&"vide".to_string()));
    assert_eq!(
        hit_episodes(&client, "narvals").await,
        vec!["second".to_string()]
    );
    let log_text = stderr();
    assert!(log_text.contains("skipped vide.txt"), "{log_text}");

    client.cancel().await.unwrap();
    let _ = child.kill().await;
}

#[test]
fn watching_the_embedded_corpus_is_a_clear_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["serve", "--watch"])
        .env_remove("VERBATIM_CORPUS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--watch needs a corpus folder"), "{stderr}");
}

/// A copy of the seed corpus (kept while the first value lives), indexed
/// on disk in the second, served live and watched in-process with
/// `options` (its index options are replaced by that index's).
fn watched_seed_copy(
    options: WatchOptions,
) -> (
    tempfile::TempDir,
    tempfile::TempDir,
    Arc<LiveCorpus>,
    verbatim::serve::Watcher,
) {
    let corpus = seed_copy();
    let index_dir = tempfile::tempdir().unwrap();
    let index = IndexOptions {
        index_dir: Some(index_dir.path().to_path_buf()),
        writer_threads: 1,
        writer_memory: 30_000_000,
        ..IndexOptions::default()
    };
    let source = CorpusSource::Dir(corpus.path().to_path_buf());
    let (snapshot, _) = Snapshot::open(&SourceFiles::new(source.clone()), &index).unwrap();
    let live = Arc::new(LiveCorpus::new(snapshot));
    let watch_options = WatchOptions { index, ..options };
    let watcher = verbatim::serve::live::watch(source, live.clone(), watch_options).unwrap();
    (corpus, index_dir, live, watcher)
}

/// Over HTTP every session is told, and each sees the new state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_watch_over_http_notifies_every_session() {
    let (corpus, _index_dir, live, _watcher) = watched_seed_copy(WatchOptions::default());

    let http = bind_http(HttpOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        token: None,
        allowed_hosts: Vec::new(),
    })
    .await
    .unwrap();
    let url = format!("http://{}/mcp", http.local_addr().unwrap());
    let stop = tokio_util::sync::CancellationToken::new();
    let server = VerbatimServer::live(live);
    let serving = tokio::spawn(http.run(server, stop.clone()));

    let mut clients = Vec::new();
    let mut recorders = Vec::new();
    for _ in 0..2 {
        let recorder = Recorder::default();
        let transport = rmcp::transport::StreamableHttpClientTransport::from_uri(url.as_str());
        clients.push(recorder.clone().serve(transport).await.unwrap());
        recorders.push(recorder);
    }
    for client in &clients {
        assert_eq!(episode_ids(client).await.len(), 5);
    }

    edit_corpus(corpus.path());
    for client in &clients {
        let served = eventually(Duration::from_secs(15), || edit_is_served(client)).await;
        assert_eq!(served, Ok(()));
    }
    for recorder in &recorders {
        let told = eventually(Duration::from_secs(5), || async {
            match recorder.list_changed.load(Ordering::SeqCst) {
                0 => Err("a session was not told".to_string()),
                _ => Ok(()),
            }
        })
        .await;
        assert_eq!(told, Ok(()));
    }

    for client in clients {
        let _ = client.cancel().await;
    }
    stop.cancel();
    let _ = serving.await;
}

/// A 2026-07-28 client (no `initialize`, no session) asks with
/// `subscriptions/listen` and is told of each change on that stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2026_client_listening_is_told_of_each_change() {
    use rmcp::model::{ProtocolVersion, ServerNotification, SubscriptionFilter};
    use rmcp::service::{ClientLifecycleMode, ClientServiceExt};
    use verbatim::ingest::EpisodeSet;

    let options = IndexOptions {
        in_memory: true,
        writer_memory: 20_000_000,
        ..IndexOptions::default()
    };
    let open = |episodes| {
        let set = EpisodeSet::new("listen", episodes);
        Snapshot::open(&set, &options).unwrap().0
    };
    let episodes = verbatim::corpus::Corpus::load(&CorpusSource::Embedded)
        .unwrap()
        .to_episodes()
        .unwrap();
    let live = Arc::new(LiveCorpus::new(open(episodes.clone())));
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    let server = VerbatimServer::live(live.clone());
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let client = Recorder::default()
        .serve_with_lifecycle(
            client_io,
            ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        )
        .await
        .unwrap();
    let mut subscription = client
        .listen(
            SubscriptionFilter::builder()
                .resources_list_changed()
                .build(),
        )
        .await
        .unwrap();
    assert_eq!(
        subscription.acknowledged().resources_list_changed,
        Some(true)
    );
    assert_eq!(episode_ids(&client).await.len(), episodes.len());

    let mut fewer = episodes.clone();
    let removed = fewer.pop().unwrap();
    live.replace(open(fewer));
    let told = tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(
            told,
            Some(ServerNotification::ResourceListChangedNotification(_))
        ),
        "{told:?}"
    );
    let ids = episode_ids(&client).await;
    assert_eq!(ids.len(), episodes.len() - 1);
    assert!(!ids.contains(&removed.episode_id));
}

/// A live server on a placeholder, as `serve` starts (see
/// `verbatim::serve::indexing`), served in process; requests wait `wait` for the index.
async fn serve_placeholder(wait: Duration) -> (Arc<LiveCorpus>, Arc<Indexing>, Client, Recorder) {
    let status = Arc::new(Indexing::new());
    let placeholder = Snapshot::indexing(status.clone(), Duration::from_secs(1)).unwrap();
    let live = Arc::new(LiveCorpus::new(placeholder));
    let server = VerbatimServer::live(live.clone()).with_index_wait(wait);
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let recorder = Recorder::default();
    let client = recorder.clone().serve(client_io).await.unwrap();
    (live, status, client, recorder)
}

/// The text of a tool call's answer, and whether it is an error.
async fn answer_text(client: &Client, name: &str, args: Value) -> (bool, String) {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    let result = client
        .call_tool(CallToolRequestParams::new(name.to_string()).with_arguments(map))
        .await
        .unwrap();
    let text = result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n");
    (result.is_error == Some(true), text)
}

/// `serve` answers before its index is built: a call made meanwhile is told
/// how far indexing has got (not given an empty corpus), and once the index
/// is open the client is told and the same call answers from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_answers_while_its_index_is_built_and_says_when_it_is_ready() {
    let corpus = seed_copy();
    let index_dir = tempfile::tempdir().unwrap();
    let (live, status, client, recorder) = serve_placeholder(Duration::from_millis(50)).await;

    let (is_error, text) = answer_text(&client, "search_quotes", json!({"query": "Mistral"})).await;
    assert!(is_error, "{text}");
    assert!(text.starts_with("indexing: opening the index"), "{text}");
    assert!(client.list_all_resources().await.unwrap().is_empty());
    let read = client
        .read_resource(rmcp::model::ReadResourceRequestParams::new(
            "verbatim://episodes/anything",
        ))
        .await;
    let error = read.unwrap_err().to_string();
    assert!(error.contains("indexing:"), "{error}");

    let options = IndexOptions {
        index_dir: Some(index_dir.path().to_path_buf()),
        writer_threads: 1,
        writer_memory: 30_000_000,
        ..IndexOptions::default()
    };
    let source = CorpusSource::Dir(corpus.path().to_path_buf());
    verbatim::serve::open_in_background(
        SourceFiles::new(source),
        live.clone(),
        verbatim::serve::reporting_to(&options, status.clone()),
    )
    .unwrap();
    let ready = eventually(Duration::from_secs(60), || async {
        match answer_text(&client, "list_episodes", json!({"limit": 100})).await {
            (false, text) => Ok(text),
            (true, text) => Err(text),
        }
        .map(|_| ())
    })
    .await;
    assert_eq!(ready, Ok(()));
    assert_eq!(episode_ids(&client).await.len(), 5);
    let told = eventually(Duration::from_secs(5), || async {
        match recorder.list_changed.load(Ordering::SeqCst) {
            0 => Err("no notifications/resources/list_changed".to_string()),
            _ => Ok(()),
        }
    })
    .await;
    assert_eq!(told, Ok(()));
    assert_eq!(client.list_all_resources().await.unwrap().len(), 5);
    // The build's progress went to the status: all files were counted.
    assert!(
        status.message().contains("5 of 5 files read"),
        "{}",
        status.message()
    );
    let _ = client.cancel().await;
}

/// A call that comes while the index is still opening waits for it (an
/// up-to-date index opens in about a second) rather than fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_made_while_the_index_opens_waits_for_it() {
    let corpus = seed_copy();
    let index_dir = tempfile::tempdir().unwrap();
    let (live, status, client, _recorder) = serve_placeholder(Duration::from_secs(60)).await;
    let options = verbatim::serve::reporting_to(
        &IndexOptions {
            index_dir: Some(index_dir.path().to_path_buf()),
            writer_threads: 1,
            writer_memory: 30_000_000,
            ..IndexOptions::default()
        },
        status,
    );
    let source = CorpusSource::Dir(corpus.path().to_path_buf());
    verbatim::serve::open_in_background(SourceFiles::new(source), live, options).unwrap();
    assert!(!hit_episodes(&client, "Mistral").await.is_empty());
    let _ = client.cancel().await;
}

/// A corpus that cannot be opened: requests say why, at once, rather than
/// wait or answer from nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corpus_that_cannot_be_opened_is_reported_to_the_client() {
    let corpus = seed_copy();
    // The index cannot be written where it is asked to be: under a file.
    let not_a_folder = tempfile::NamedTempFile::new().unwrap();
    let (live, status, client, _recorder) = serve_placeholder(Duration::from_secs(60)).await;
    let options = IndexOptions {
        index_dir: Some(not_a_folder.path().join("index")),
        ..IndexOptions::default()
    };
    verbatim::serve::open_in_background(
        SourceFiles::new(CorpusSource::Dir(corpus.path().to_path_buf())),
        live,
        verbatim::serve::reporting_to(&options, status.clone()),
    )
    .unwrap();
    let failed = eventually(Duration::from_secs(30), || async {
        status
            .failure()
            .map(|_| ())
            .ok_or_else(|| "still opening".to_string())
    })
    .await;
    assert_eq!(failed, Ok(()));
    let started = Instant::now();
    let (is_error, text) = answer_text(&client, "list_episodes", json!({})).await;
    assert!(is_error, "{text}");
    assert!(text.contains("could not open its corpus"), "{text}");
    let named = not_a_folder.path().file_name().unwrap().to_string_lossy();
    assert!(text.contains(&*named), "{text}");
    // Told at once, not after the 60 s wait for an index still opening.
    assert!(started.elapsed() < Duration::from_secs(30));
    let _ = client.cancel().await;
}

/// Two files written in place in one burst (no file added or removed, so
/// the watcher stamps only the files its events name): both are searched
/// anew, not only the first.
#[test]
fn two_files_written_in_one_burst_are_both_updated() {
    use std::io::Write as _;
    use verbatim::index::SearchRequest;

    let (corpus, _index_dir, live, _watcher) = watched_seed_copy(WatchOptions {
        debounce: Duration::from_millis(200),
        ..WatchOptions::default()
    });

    let appended = [
        ("interview-arthur-mensch-mistral.txt", "ornithorynques"),
        ("smarttech-elon-musk-ia.txt", "salamandres"),
    ];
    for (name, word) in appended {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(corpus.path().join(name))
            .unwrap();
        writeln!(file, "\nLes {word} traversent la Manche à la nage.").unwrap();
    }
    let found = |word: &str| {
        let request = SearchRequest {
            query: word.to_string(),
            limit: 5,
            ..SearchRequest::default()
        };
        let hits = live.current().search(&request).unwrap().hits;
        hits.iter()
            .map(|h| h.origin.episode.episode_id.clone())
            .collect::<Vec<_>>()
    };
    let until = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while Instant::now() < until {
        seen = appended.iter().map(|(_, word)| found(word)).collect();
        if seen.iter().all(|hits| !hits.is_empty()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let expected: Vec<Vec<String>> = appended
        .iter()
        .map(|(name, _)| vec![name.trim_end_matches(".txt").to_string()])
        .collect();
    assert_eq!(seen, expected);
    // Every other episode is still served.
    assert_eq!(live.current().corpus.len(), 5);
}
