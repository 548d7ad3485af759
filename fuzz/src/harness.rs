//! What each fuzz target does with one input: one function per target, the same
//! code the fuzzers run (`fuzz/fuzz_targets/*.rs` are one-line calls into it)
//! and the regression test replays (`tests/fuzz_regressions.rs` includes this
//! file), so a crash kept in `fuzz/regressions/<target>/` is replayed through
//! exactly the path that found it.
//!
//! Inputs are raw bytes; structured targets (search requests, tool arguments)
//! read them with [`Bytes`], a small reader that never fails (missing bytes
//! read as zero), so every byte string is a valid input.
//!
//! Nothing here may panic on its own account: a panic is a finding.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::sync::OnceLock;
use verbatim::Snapshot;
use verbatim::corpus::Corpus;
use verbatim::formats::companions::Companions;
use verbatim::formats::sniff::{self, Companion};
use verbatim::formats::{self, Transcript};
use verbatim::index::IndexOptions;
use verbatim::index::SearchRequest;
use verbatim::ingest::CorpusSource;
use verbatim::ingest::EpisodeSet;
use verbatim::model::{Episode, Source};

/// What a target does with one input.
pub type Target = fn(&[u8]);

/// Every target, by name: what `fuzz/regressions/<name>/` replays through.
pub const TARGETS: &[(&str, Target)] = &[
    ("parse_any", parse_any),
    ("detect", detect),
    ("webvtt", webvtt),
    ("srt", srt),
    ("sbv", sbv),
    ("youtube_xml", youtube_xml),
    ("podcast_page", podcast_page),
    ("caption_lines", caption_lines),
    ("diarized_dump", diarized_dump),
    ("podcasting20_html", podcasting20_html),
    ("ttml", ttml),
    ("sami", sami),
    ("json_formats", json_formats),
    ("companions", companions),
    ("text_bits", text_bits),
    ("search", search),
    ("verify_quote", verify_quote),
    ("cursor", cursor),
    ("mcp_tools", mcp_tools),
];

/// A fixed reference date for yearless dates, so runs are reproducible.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default()
}

/// File names the format-level targets pretend the bytes came from: the
/// extension steers detection and companion handling.
const FILE_NAMES: &[&str] = &[
    "ep.txt",
    "ep.vtt",
    "ep.srt",
    "ep.json",
    "ep.html",
    "ep.xml",
    "ep.rttm",
    "ep.meta.toml",
    "ep.chapters.json",
    "ep",
    "dir/Été 2024/ép 1.fr.vtt",
    "ep.ttml",
    "ep.smi",
];

/// Reads fuzz bytes as typed values; past the end every read is zero/empty.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for slot in &mut b {
            *slot = self.byte();
        }
        u64::from_le_bytes(b)
    }

    /// One of `items`, or `None` when `items` is empty.
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> Option<&'b T> {
        if items.is_empty() {
            return None;
        }
        items.get(usize::from(self.byte()) % items.len())
    }

    /// Up to `max` bytes, decoded lossily.
    pub fn string(&mut self, max: usize) -> String {
        let len = usize::from(self.u16()).min(max).min(self.data.len());
        let (head, rest) = self.data.split_at(len);
        self.data = rest;
        String::from_utf8_lossy(head).into_owned()
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

/// What `ingest::load_file` does after parsing: the episode normalisation and
/// analysis run on every parser's output, so odd times or empty texts that a
/// parser lets through are fuzzed downstream too.
fn episode_of(transcript: Transcript) -> Episode {
    let source = Source {
        path: "ep.txt".to_string(),
        format: "fuzz".to_string(),
        sha256: String::new(),
    };
    let mut episode =
        verbatim::ingest::normalize::build_episode("ep".to_string(), source, transcript);
    verbatim::analysis::enrich(&mut episode);
    // The public JSON of the episode and its Markdown rendering must hold too.
    let _ = serde_json::to_string(&episode);
    let _ = verbatim::answers::reading::episode_markdown(&episode);
    episode
}

fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn parsed(result: Result<Transcript, formats::FormatError>) {
    if let Ok(transcript) = result {
        episode_of(transcript);
    }
}

/// Detection + dispatch + normalisation + analysis: `ingest::load_file` on
/// bytes that claim one of [`FILE_NAMES`].
pub fn parse_any(data: &[u8]) {
    let mut b = Bytes::new(data);
    let name = b.pick(FILE_NAMES).copied().unwrap_or("ep.txt");
    if let Ok(episode) = verbatim::ingest::load_file(name, b.rest()) {
        let _ = serde_json::to_string(&episode);
        let _ = verbatim::answers::reading::episode_markdown(&episode);
    }
}

/// Decoding and format detection alone (transcripts and companion files).
pub fn detect(data: &[u8]) {
    let mut b = Bytes::new(data);
    let name = b.pick(FILE_NAMES).copied().unwrap_or("ep.txt");
    if let Ok(decoded) = formats::decode(b.rest()) {
        let _ = formats::detect(name, &decoded.text);
        let _ = sniff::detect_extended(name, &decoded.text);
        let _ = sniff::detect_companion(name, &decoded.text);
    }
}

pub fn webvtt(data: &[u8]) {
    parsed(with_speakers(
        formats::Format::Webvtt,
        formats::webvtt::parse(&text_of(data)),
    ));
}

pub fn srt(data: &[u8]) {
    parsed(with_speakers(
        formats::Format::Srt,
        formats::srt::parse(&text_of(data)),
    ));
}

/// A subtitle parse followed by the speaker step every subtitle file goes
/// through ([`formats::subtitle_speakers`]): tags, dialogue dashes, prefixes.
fn with_speakers(
    format: formats::Format,
    result: Result<Transcript, formats::FormatError>,
) -> Result<Transcript, formats::FormatError> {
    result.map(|mut transcript| {
        formats::subtitle_speakers::apply(format, &mut transcript);
        transcript
    })
}

pub fn sbv(data: &[u8]) {
    let text = text_of(data);
    let _ = formats::sbv::sniff(&text);
    let _ = formats::caption_lines::sniff(&text);
    parsed(formats::sbv::parse(&text));
}

pub fn youtube_xml(data: &[u8]) {
    let text = text_of(data);
    let _ = formats::markup::xml_root(&text);
    parsed(formats::youtube_xml::parse(&text));
}

pub fn podcast_page(data: &[u8]) {
    let text = text_of(data);
    let _ = formats::podcast_page::sniff(&text);
    parsed(formats::podcast_page::parse_with(&text, today()));
}

pub fn caption_lines(data: &[u8]) {
    let text = text_of(data);
    let _ = formats::caption_lines::sniff(&text);
    parsed(formats::caption_lines::parse_with(&text, today()));
}

pub fn diarized_dump(data: &[u8]) {
    let text = text_of(data);
    let _ = formats::diarized_dump::sniff(&text);
    parsed(formats::diarized_dump::parse(&text));
}

pub fn podcasting20_html(data: &[u8]) {
    parsed(formats::podcasting20::parse_html(&text_of(data)));
}

/// TTML / DFXP: the parser alone (and its sniff), then what loading does
/// with its output; also the companion check a `.xml` file goes through.
pub fn ttml(data: &[u8]) {
    let text = text_of(data);
    let _ = formats::ttml::sniff(&text);
    let _ = sniff::detect_companion("ep.xml", &text);
    parsed(formats::ttml::parse(&text));
}

/// SAMI: the parser alone (and its sniff), then normalisation and analysis.
pub fn sami(data: &[u8]) {
    let text = text_of(data);
    let _ = formats::sami::sniff(&text);
    parsed(formats::sami::parse(&text));
}

/// The JSON transcript and chapter formats; the first byte picks the parser.
pub fn json_formats(data: &[u8]) {
    let mut b = Bytes::new(data);
    let which = b.byte() % 7;
    let text = text_of(b.rest());
    use formats::{podcasting20, whisper, youtube};
    match which {
        0 => parsed(podcasting20::parse_json(&text)),
        1 => parsed(whisper::parse(&text)),
        2 => parsed(whisper::parse_cpp(&text)),
        3 => parsed(youtube::parse_json3(&text)),
        4 => parsed(youtube::parse_transcript_api(&text)),
        5 => {
            let _ = podcasting20::parse_chapters_json(&text);
        }
        _ => {
            // Whatever detection makes of it, through the dispatcher.
            if let Some(format) = sniff::detect_extended("ep.json", &text)
                && let Some(result) = sniff::parse_extended(format, &text)
            {
                parsed(result);
            }
        }
    }
}

/// A small timed, diarized transcript the companion files are applied to.
const BASE_TRANSCRIPT: &[u8] =
    b"[0.0s - 5.5s] SPEAKER_00 : Bonjour et bienvenue dans l'emission.\n\
[5.5s - 12.0s] SPEAKER_01 : Merci, ravi d'etre la pour parler d'intelligence artificielle.\n\
[12.0s - 20.0s] SPEAKER_00 : Commencons par les chatbots et le lupus.\n";

/// Companion files (sidecar, chapters JSON, RTTM, RSS feed): the first byte
/// picks the kind; the file is parsed, added to a corpus's companions and
/// applied to a small transcript, which then becomes an episode.
pub fn companions(data: &[u8]) {
    let mut b = Bytes::new(data);
    let which = b.byte() % 4;
    let text = text_of(b.rest());
    let (path, kind) = match which {
        0 => ("ep.meta.toml", Companion::Sidecar),
        1 => ("ep.chapters.json", Companion::Chapters),
        2 => ("ep.rttm", Companion::Rttm),
        _ => ("feed.xml", Companion::Feed),
    };
    match kind {
        Companion::Sidecar => {
            let _ = verbatim::formats::sidecar::parse(path, &text);
        }
        Companion::Rttm => {
            let _ = formats::rttm::parse(&text);
        }
        Companion::Feed => {
            if let Ok(feed) = formats::rss::parse(&text) {
                let _ = formats::rss::find_item(&feed, "ep.txt");
            }
        }
        Companion::Chapters => {}
    }
    let mut companions = Companions::default();
    if companions.add(path, kind, &text).is_ok() {
        let _ = verbatim::ingest::load_file_with_companions(
            "ep.txt",
            "ep".to_string(),
            BASE_TRANSCRIPT,
            &companions,
        );
    }
}

/// The small parsers every format leans on: dates, durations, clocks,
/// credits, entities and tags, chapter lists, speaker prefixes.
pub fn text_bits(data: &[u8]) {
    let mut b = Bytes::new(data);
    let which = b.byte() % 10;
    let text = text_of(b.rest());
    match which {
        0 => {
            let _ = verbatim::formats::dates::parse_date(&text, today());
            let _ = verbatim::formats::dates::find_date(&text, today());
        }
        1 => {
            let _ = formats::timecode::parse_duration(&text);
        }
        2 => {
            let _ = formats::rss::parse_pub_date(&text);
        }
        3 => {
            let _ = formats::timecode::parse_clock(&text);
            let _ = formats::caption_lines::leading_time(&text, 0);
            let _ = formats::caption_lines::leading_time(&text, u64::MAX / 2);
        }
        4 => {
            let _ = formats::credits::from_description(&text, today());
            let _ = formats::credits::presenter(&text);
            let _ = formats::credits::people_list(&text);
        }
        5 => {
            let _ = formats::markup::strip_tags(&text);
            let _ = formats::markup::decode_entities(&text);
            let _ = formats::markup::plain(&text);
        }
        6 => {
            let _ = formats::podcast_page::chapters_from_text(&text);
            let _ = formats::podcast_page::split_title_and_links(&text);
        }
        7 => {
            let _ = formats::speaker_prefix::split_prefix(&text);
            let _ = formats::speaker_prefix::is_plausible_name(&text);
        }
        8 => {
            let _ = verbatim::ingest::episode_id_for(&text);
            let paths: Vec<&str> = text.split('\n').collect();
            let _ = verbatim::ingest::episode_ids(&paths);
        }
        _ => {
            let _ = formats::companions::kind_from_name(&text);
            let _ = verbatim::text::slugify(&text);
            let _ = verbatim::text::fold(&text);
        }
    }
}

/// The corpus the search, verification and tool targets run against: the
/// five seed transcripts and the hand-built test episodes (untimed text,
/// unresolved diarization labels), indexed in memory once per process.
pub struct Fixture {
    pub snapshot: Snapshot,
    /// Ids and passage ids of the corpus, so inputs can name real ones.
    pub episode_ids: Vec<String>,
    pub passage_ids: Vec<String>,
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut episodes = Corpus::load(&CorpusSource::Embedded)
            .and_then(|c| c.to_episodes())
            .unwrap_or_default();
        let extra: Vec<Episode> =
            serde_json::from_str(include_str!("../../tests/fixtures/episodes.json"))
                .unwrap_or_default();
        episodes.extend(extra);
        let options = IndexOptions {
            in_memory: true,
            writer_threads: 1,
            writer_memory: 50_000_000,
            ..IndexOptions::default()
        };
        let Ok((snapshot, _)) = Snapshot::open(&EpisodeSet::new("fuzz", episodes), &options) else {
            // Without an index the search targets cannot run: stop loudly.
            std::process::abort();
        };
        let corpus = &snapshot.corpus;
        let episode_ids = corpus
            .headers()
            .iter()
            .map(|h| h.id().to_string())
            .collect();
        let passage_ids = corpus
            .episodes()
            .flatten()
            .flat_map(|e| {
                let ids: Vec<String> = e
                    .passages
                    .iter()
                    .step_by(7)
                    .map(|p| p.passage_id.clone())
                    .collect();
                ids
            })
            .collect();
        Fixture {
            snapshot,
            episode_ids,
            passage_ids,
        }
    })
}

/// Optional text: absent, a real episode id, or fuzz text.
fn maybe_id(b: &mut Bytes<'_>, ids: &[String]) -> Option<String> {
    match b.byte() % 4 {
        0 | 1 => None,
        2 => b.pick(ids).cloned(),
        _ => Some(b.string(300)),
    }
}

fn maybe_date(b: &mut Bytes<'_>) -> Option<NaiveDate> {
    if b.byte().is_multiple_of(2) {
        return None;
    }
    let days = i32::from(b.u16() as i16);
    NaiveDate::from_num_days_from_ce_opt(739_000 + days * 4)
}

/// Quote search with arbitrary words and filters. Errors are fine; a panic,
/// a hang or a result that breaks its own contract is not.
pub fn search(data: &[u8]) {
    let f = fixture();
    let mut b = Bytes::new(data);
    let request = SearchRequest {
        episode_id: maybe_id(&mut b, &f.episode_ids),
        speaker: match b.byte() % 3 {
            0 => None,
            1 => Some(["SPEAKER_00", "Marc", "Mensch", "Léa"][usize::from(b.byte() % 4)].into()),
            _ => Some(b.string(200)),
        },
        show: match b.byte() % 3 {
            0 => None,
            1 => Some("Tech & Co".into()),
            _ => Some(b.string(100)),
        },
        chapter: match b.byte() % 3 {
            0 => None,
            1 => Some(usize::from(b.byte() % 8)),
            _ => Some(b.u64() as usize),
        },
        published_after: maybe_date(&mut b),
        published_before: maybe_date(&mut b),
        include_undated: b.byte().is_multiple_of(2),
        limit: match b.byte() % 4 {
            0 => b.u64() as usize,
            _ => usize::from(b.byte() % 101),
        },
        offset: match b.byte() % 4 {
            0 => b.u64() as usize,
            _ => usize::from(b.u16() % 10_050),
        },
        // From the input's length, so that saved inputs replay as before.
        all_words: data.len() % 2 == 1,
        // From the length too: the fixture's language (French) now and then.
        language: (data.len() % 7 == 3).then(|| "fr".to_string()),
        query: text_of(b.rest()),
    };
    if let Ok(results) = f.snapshot.search(&request) {
        // Contract: a page never exceeds the limit, highlights lie inside the quote.
        assert!(
            results.hits.len() <= request.limit,
            "more hits than the limit"
        );
        for hit in &results.hits {
            let chars = hit.quote.chars().count();
            for h in &hit.highlights {
                assert!(
                    h.start < h.end && h.end <= chars,
                    "highlight outside the quote"
                );
            }
        }
    }
}

/// Quote verification with arbitrary quotes, over the corpus or one episode.
pub fn verify_quote(data: &[u8]) {
    let f = fixture();
    let mut b = Bytes::new(data);
    let episode_id = maybe_id(&mut b, &f.episode_ids);
    let quote = text_of(b.rest());
    let _ = verbatim::answers::verify::verify_quote(
        &f.snapshot.corpus,
        &f.snapshot.index,
        &quote,
        episode_id.as_deref(),
    );
}

/// Cursor decoding, and the encode/decode round trip of any offset.
pub fn cursor(data: &[u8]) {
    use verbatim::mcp::cursor::{decode, encode, fingerprint};
    let mut b = Bytes::new(data);
    let offset = b.u64() as usize;
    let parts = b.string(64);
    let print = fingerprint(&[parts.as_str()]);
    assert_eq!(decode(Some(&encode(&print, offset)), &print), Ok(offset));
    let text = text_of(b.rest());
    let _ = decode(Some(&text), &print);
}

// ---------------------------------------------------------------- MCP tools

/// Argument names the tools, prompts and resources know, so that fuzz inputs
/// hit real fields most of the time.
const ARGUMENTS: &[&str] = &[
    "query",
    "show",
    "speaker",
    "published_after",
    "published_before",
    "limit",
    "cursor",
    "episode_id",
    "chapter",
    "max_chars",
    "start_seconds",
    "end_seconds",
    "around_passage",
    "before",
    "after",
    "quote",
];

const TOOLS: &[&str] = &[
    "list_episodes",
    "get_episode",
    "list_chapters",
    "read_chapter",
    "read_transcript",
    "search_quotes",
    "verify_quote",
    "summarize_speakers",
];

/// A JSON value shaped by the fuzz bytes: mostly the scalars tools take,
/// sometimes real ids, numbers as strings, or nested containers.
fn value(b: &mut Bytes<'_>, depth: u32) -> Value {
    let f = fixture();
    match b.byte() % 14 {
        0 => Value::Null,
        1 => Value::Bool(b.byte().is_multiple_of(2)),
        2 => Value::from(i64::from(b.byte() as i8)),
        3 => Value::from(b.u64() as i64),
        4 => Value::from(f64::from_bits(b.u64())),
        5 => Value::from(f64::from(b.u16()) / 7.0),
        6 => Value::String((b.u64() as i64).to_string()),
        7 => Value::String(format!("{}", f64::from_bits(b.u64()))),
        8 => b
            .pick(&f.episode_ids)
            .cloned()
            .map_or(Value::Null, Value::String),
        9 => b
            .pick(&f.passage_ids)
            .cloned()
            .map_or(Value::Null, Value::String),
        10 => Value::String(format!(
            "{:04}-{:02}-{:02}",
            b.u16() % 10_000,
            b.byte() % 14,
            b.byte() % 33
        )),
        11 if depth < 6 => {
            let n = b.byte() % 4;
            Value::Array((0..n).map(|_| value(b, depth + 1)).collect())
        }
        12 if depth < 6 => Value::Object(object(b, depth + 1)),
        _ => Value::String(b.string(3_000)),
    }
}

fn object(b: &mut Bytes<'_>, depth: u32) -> Map<String, Value> {
    let mut map = Map::new();
    for _ in 0..b.byte() % 6 {
        let name = match b.pick(ARGUMENTS) {
            Some(name) if !b.byte().is_multiple_of(8) => (*name).to_string(),
            _ => b.string(40),
        };
        let v = value(b, depth);
        map.insert(name, v);
    }
    map
}

mod mcp {
    use rmcp::model::{CallToolRequestParams, GetPromptRequestParams, ReadResourceRequestParams};
    use rmcp::service::RunningService;
    use rmcp::{RoleClient, ServiceExt};
    use serde_json::{Map, Value};
    use std::sync::OnceLock;
    use verbatim::mcp::VerbatimServer;

    /// One server and one connected client for the whole process, over an
    /// in-process pipe: each input is a real JSON-RPC round trip.
    pub struct Session {
        pub runtime: tokio::runtime::Runtime,
        pub client: RunningService<RoleClient, ()>,
    }

    pub fn session() -> &'static Session {
        static SESSION: OnceLock<Session> = OnceLock::new();
        SESSION.get_or_init(|| {
            let f = super::fixture();
            let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
            else {
                std::process::abort();
            };
            let server = VerbatimServer::new(f.snapshot.clone());
            let client = runtime.block_on(async move {
                let (server_io, client_io) = tokio::io::duplex(1 << 20);
                tokio::spawn(async move {
                    if let Ok(running) = server.serve(server_io).await {
                        let _ = running.waiting().await;
                    }
                });
                ().serve(client_io).await
            });
            let Ok(client) = client else {
                std::process::abort();
            };
            Session { runtime, client }
        })
    }

    /// One tool call; a protocol error (unknown tool, bad params) is an answer too.
    pub fn call_tool(name: &str, arguments: Option<Map<String, Value>>) {
        let s = session();
        let mut params = CallToolRequestParams::new(name.to_string());
        if let Some(arguments) = arguments {
            params = params.with_arguments(arguments);
        }
        let _ = s.runtime.block_on(s.client.call_tool(params));
    }

    pub fn read_resource(uri: String) {
        let s = session();
        let _ = s
            .runtime
            .block_on(s.client.read_resource(ReadResourceRequestParams::new(uri)));
    }

    pub fn get_prompt(name: &str, arguments: Map<String, Value>) {
        let s = session();
        let params = GetPromptRequestParams::new(name.to_string()).with_arguments(arguments);
        let _ = s.runtime.block_on(s.client.get_prompt(params));
    }
}

/// Tool calls with arbitrary arguments through the real MCP path (JSON-RPC,
/// argument coercion and checks, deserialization, the tool), plus resource
/// reads and prompts, which take text from the client too.
pub fn mcp_tools(data: &[u8]) {
    let mut b = Bytes::new(data);
    let which = b.byte();
    match which % 16 {
        // Raw JSON arguments, exactly as a client could send them.
        0 => {
            let tool = b.pick(TOOLS).copied().unwrap_or("list_episodes");
            if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(b.rest()) {
                mcp::call_tool(tool, Some(map));
            }
        }
        1 => {
            let uri = match b.byte() % 3 {
                0 => format!("verbatim://episodes/{}", b.string(300)),
                1 => format!(
                    "verbatim://episodes/{}/chapters/{}",
                    b.pick(&fixture().episode_ids).cloned().unwrap_or_default(),
                    b.string(40)
                ),
                _ => b.string(3_000),
            };
            mcp::read_resource(uri);
        }
        2 => {
            let name =
                ["cite_quotes", "episode_brief", "speaker_profile"][usize::from(b.byte() % 3)];
            let mut args = Map::new();
            for key in ["topic", "episode_id", "speaker"] {
                if b.byte().is_multiple_of(2) {
                    args.insert(key.to_string(), value(&mut b, 5));
                }
            }
            mcp::get_prompt(name, args);
        }
        3 => mcp::call_tool(&b.string(100), Some(object(&mut b, 0))),
        _ => {
            let tool = b.pick(TOOLS).copied().unwrap_or("list_episodes");
            let arguments = (!b.byte().is_multiple_of(16)).then(|| object(&mut b, 0));
            mcp::call_tool(tool, arguments);
        }
    }
}
