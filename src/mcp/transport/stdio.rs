//! MCP over stdin/stdout: rmcp's line transport behind a small guard that
//! answers the lines rmcp would drop without a word.
//!
//! rmcp ignores a line that is not JSON (on purpose: answering garbage can
//! start an error storm with a peer that echoes it back), so a client that
//! sends one waits forever. JSON-RPC 2.0 asks for an error instead. The guard
//! reads stdin itself, one line at a time, and:
//! - passes a JSON object with `"jsonrpc": "2.0"` to rmcp unchanged (rmcp
//!   answers everything about its content);
//! - answers anything else itself: not JSON gets `-32700` with a null id; a
//!   batch (an array: the MCP versions served have no batches), a bare value
//!   or an object without `"jsonrpc": "2.0"` gets `-32600`, with the
//!   object's id when it has one;
//! - answers at most [`REPLIES_PER_SECOND`] such lines a second and drops the
//!   rest with a note on stderr, which keeps the storm rmcp fears bounded.
//!
//! stdout has exactly one writer, the pump: rmcp writes into an in-process
//! pipe, the pump copies it to stdout one whole line at a time and writes the
//! guard's error lines only between two of rmcp's, so the two never mix
//! within a line.
//!
//! ```text
//! stdin -> guard --valid lines--> pipe -> rmcp -> pipe --lines--> pump -> stdout
//!            \------------ error lines (channel) ----------------/
//! ```

use super::ServeError;
use crate::mcp::VerbatimServer;
use rmcp::ServiceExt;
use rmcp::service::ServerInitializeError;
use rmcp::transport::async_rw::DEFAULT_MAX_LINE_LENGTH;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
    DuplexStream,
};
use tokio::sync::mpsc;

/// Error replies the guard sends in any one second, per connection.
pub const REPLIES_PER_SECOND: u32 = 10;

/// Bytes buffered in each in-process pipe (rmcp's input, rmcp's output).
const PIPE_BYTES: usize = 64 * 1024;

/// Serves one MCP session over stdin/stdout until the client disconnects.
pub async fn serve_stdio(server: VerbatimServer) -> Result<(), ServeError> {
    serve_lines(server, tokio::io::stdin(), tokio::io::stdout()).await
}

/// [`serve_stdio`] over any pair of byte streams: newline-delimited JSON-RPC
/// in, the same out (tests drive it in process).
pub async fn serve_lines<R, W>(
    server: VerbatimServer,
    input: R,
    output: W,
) -> Result<(), ServeError>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    // A duplex end reads EOF once the other end is dropped: that is how the
    // end of stdin reaches rmcp, and the end of the session reaches the pump.
    let (to_rmcp, rmcp_input) = tokio::io::duplex(PIPE_BYTES);
    let (rmcp_output, from_rmcp) = tokio::io::duplex(PIPE_BYTES);
    // Small: the rate limit keeps it from filling, and a full queue only
    // slows the guard down until stdout takes the replies.
    let (replies, queued) = mpsc::channel(REPLIES_PER_SECOND as usize);
    let seen = Arc::new(AtomicBool::new(false));
    let guard = tokio::spawn(guard(input, to_rmcp, replies, seen.clone()));
    let pump = tokio::spawn(pump(from_rmcp, queued, output));

    let result = match server.serve((rmcp_input, rmcp_output)).await {
        Ok(running) => running
            .waiting()
            .await
            .map(|_| ())
            .map_err(|e| ServeError::Session(e.to_string())),
        // A 2026-07-28 client may be served inline, without an `initialize`
        // handshake, and then leave; a client may also have sent only lines
        // the guard answered. Either way something came: not an error.
        Err(ServerInitializeError::ConnectionClosed(_)) if seen.load(Ordering::Relaxed) => Ok(()),
        Err(ServerInitializeError::ConnectionClosed(_)) => Err(ServeError::ClosedBeforeStart),
        Err(other) => Err(ServeError::Start(other.to_string())),
    };
    // rmcp has dropped its output pipe: the pump writes what is left and
    // stops. The guard may still wait on stdin if rmcp stopped first.
    guard.abort();
    match pump.await {
        Ok(Ok(())) => {}
        // The client stopped reading: nothing more can reach it anyway.
        Ok(Err(e)) => tracing::debug!("stdout closed: {e}"),
        Err(e) => tracing::warn!("stdout writer failed: {e}"),
    }
    result
}

/// Reads client lines: forwards the valid ones to rmcp, queues an error
/// reply for the others (within the rate limit). Ends at the end of input or
/// when rmcp stops reading.
async fn guard<R: AsyncRead + Unpin>(
    input: R,
    mut to_rmcp: DuplexStream,
    replies: mpsc::Sender<Vec<u8>>,
    seen: Arc<AtomicBool>,
) {
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    let mut limit = ReplyLimit::default();
    loop {
        let rejected = match read_line(&mut input, &mut line).await {
            Ok(Line::End) => return,
            Err(e) => {
                tracing::warn!("cannot read stdin: {e}");
                return;
            }
            Ok(Line::TooLong) => {
                seen.store(true, Ordering::Relaxed);
                Rejection::TooLong
            }
            Ok(Line::Read) => {
                seen.store(true, Ordering::Relaxed);
                match check(&line) {
                    Checked::Blank => continue,
                    Checked::Forward => {
                        if !line.ends_with(b"\n") {
                            // The last line of the input may lack its newline; rmcp frames by it.
                            line.push(b'\n');
                        }
                        if to_rmcp.write_all(&line).await.is_err() {
                            return;
                        }
                        continue;
                    }
                    Checked::Reject(rejection) => rejection,
                }
            }
        };
        if limit.allow(Instant::now()) && replies.send(rejected.reply()).await.is_err() {
            return;
        }
    }
}

/// One read from the client.
enum Line {
    /// A line (with its newline, unless it ends the input) is in the buffer.
    Read,
    /// A line longer than rmcp accepts; it was skipped without being kept.
    TooLong,
    End,
}

/// Reads one line into `line` without holding more than rmcp's own line
/// limit in memory: a peer that never sends a newline cannot grow it.
async fn read_line<R: AsyncBufRead + Unpin>(
    input: &mut R,
    line: &mut Vec<u8>,
) -> std::io::Result<Line> {
    line.clear();
    // rmcp's limit counts the newline.
    let cap = DEFAULT_MAX_LINE_LENGTH as u64;
    if (&mut *input).take(cap).read_until(b'\n', line).await? == 0 {
        return Ok(Line::End);
    }
    if line.ends_with(b"\n") || line.len() < DEFAULT_MAX_LINE_LENGTH {
        return Ok(Line::Read);
    }
    // Too long: skip the rest of it, a bounded chunk at a time.
    loop {
        line.clear();
        let read = (&mut *input)
            .take(PIPE_BYTES as u64)
            .read_until(b'\n', line)
            .await?;
        if read == 0 || line.ends_with(b"\n") {
            line.clear();
            return Ok(Line::TooLong);
        }
    }
}

/// What to do with one line.
enum Checked {
    /// Whitespace only: skipped, as rmcp does.
    Blank,
    /// A JSON-RPC 2.0 object: rmcp's to answer.
    Forward,
    Reject(Rejection),
}

/// Why the guard answers a line itself.
enum Rejection {
    /// Not JSON at all (`-32700`).
    Parse(serde_json::Error),
    /// A JSON array: a batch (`-32600`).
    Batch,
    /// JSON, but not a JSON-RPC 2.0 object (`-32600`); the id, when it had a usable one.
    NotJsonRpc(Value),
    /// Longer than rmcp's line limit (`-32600`).
    TooLong,
}

fn check(line: &[u8]) -> Checked {
    // A leading byte order mark is allowed by RFC 8259, and rmcp strips it too.
    let text = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if text.trim_ascii().is_empty() {
        return Checked::Blank;
    }
    let value: Value = match serde_json::from_slice(text) {
        Ok(value) => value,
        Err(e) => return Checked::Reject(Rejection::Parse(e)),
    };
    match value {
        Value::Object(message) if message.get("jsonrpc") == Some(&json!("2.0")) => Checked::Forward,
        Value::Object(message) => {
            // JSON-RPC ids are strings or numbers; anything else cannot be echoed back.
            let id = message
                .get("id")
                .filter(|id| id.is_string() || id.is_number())
                .cloned()
                .unwrap_or(Value::Null);
            Checked::Reject(Rejection::NotJsonRpc(id))
        }
        Value::Array(_) => Checked::Reject(Rejection::Batch),
        _ => Checked::Reject(Rejection::NotJsonRpc(Value::Null)),
    }
}

impl Rejection {
    /// The JSON-RPC error response, as one line.
    fn reply(&self) -> Vec<u8> {
        let (id, code, message) = match self {
            Rejection::Parse(e) => (Value::Null, -32700, format!("parse error: {e}")),
            Rejection::Batch => (
                Value::Null,
                -32600,
                "invalid request: batches are not supported; send one JSON-RPC message per line"
                    .to_string(),
            ),
            Rejection::NotJsonRpc(id) => (
                id.clone(),
                -32600,
                "invalid request: expected a JSON-RPC 2.0 object with \"jsonrpc\": \"2.0\""
                    .to_string(),
            ),
            Rejection::TooLong => (
                Value::Null,
                -32600,
                format!("invalid request: the line is longer than {DEFAULT_MAX_LINE_LENGTH} bytes"),
            ),
        };
        let reply =
            json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
        let mut line = reply.to_string().into_bytes();
        line.push(b'\n');
        line
    }
}

/// At most [`REPLIES_PER_SECOND`] error replies per one-second window.
#[derive(Debug, Default)]
struct ReplyLimit {
    window: Option<Instant>,
    sent: u32,
    dropped: u64,
}

impl ReplyLimit {
    /// Whether a reply may go out at `now`; says on stderr when replies start being dropped.
    fn allow(&mut self, now: Instant) -> bool {
        let expired = self
            .window
            .is_none_or(|start| now.duration_since(start) >= Duration::from_secs(1));
        if expired {
            if self.dropped > 0 {
                tracing::warn!("{} malformed line(s) were not answered", self.dropped);
            }
            *self = Self {
                window: Some(now),
                sent: 0,
                dropped: 0,
            };
        }
        if self.sent < REPLIES_PER_SECOND {
            self.sent += 1;
            return true;
        }
        if self.dropped == 0 {
            tracing::warn!(
                "more than {REPLIES_PER_SECOND} malformed lines in a second on stdin: not answering the rest of them"
            );
        }
        self.dropped += 1;
        false
    }
}

/// The one writer of the output: copies rmcp's lines and writes the guard's
/// error replies between them, until rmcp closes its pipe.
async fn pump<W: AsyncWrite + Unpin>(
    from_rmcp: DuplexStream,
    mut queued: mpsc::Receiver<Vec<u8>>,
    mut out: W,
) -> std::io::Result<()> {
    let mut from_rmcp = BufReader::new(from_rmcp);
    let mut line = Vec::new();
    let mut guard_open = true;
    loop {
        tokio::select! {
            // `read_until` may be cancelled when a reply is ready first: the
            // bytes it read stay in `line` and the next call goes on from
            // there. Nothing of a line reaches the output before its newline.
            read = from_rmcp.read_until(b'\n', &mut line) => {
                if read? == 0 {
                    break;
                }
                out.write_all(&line).await?;
                out.flush().await?;
                line.clear();
            }
            reply = queued.recv(), if guard_open => match reply {
                Some(reply) => {
                    out.write_all(&reply).await?;
                    out.flush().await?;
                }
                None => guard_open = false,
            },
        }
    }
    // rmcp closed its output. Replies queued before the end of input still go out.
    out.write_all(&line).await?;
    while let Ok(reply) = queued.try_recv() {
        out.write_all(&reply).await?;
    }
    out.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(line: &str) -> Option<Value> {
        match check(line.as_bytes()) {
            Checked::Reject(rejection) => Some(serde_json::from_slice(&rejection.reply()).unwrap()),
            Checked::Forward | Checked::Blank => None,
        }
    }

    #[test]
    fn lines_are_forwarded_or_answered() {
        for forwarded in [
            r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
            "\u{feff}{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\r\n",
            // Bad content for rmcp to judge, with the id it can read.
            r#"{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}"#,
        ] {
            assert!(
                matches!(check(forwarded.as_bytes()), Checked::Forward),
                "{forwarded}"
            );
        }
        assert!(matches!(check(b"  \r\n"), Checked::Blank));
        for (line, code, id) in [
            ("hello", -32700, json!(null)),
            ("{not json", -32700, json!(null)),
            ("[]", -32600, json!(null)),
            (
                r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
                -32600,
                json!(null),
            ),
            ("42", -32600, json!(null)),
            (r#"{"id":7,"method":"ping"}"#, -32600, json!(7)),
            (
                r#"{"jsonrpc":"1.0","id":"a","method":"ping"}"#,
                -32600,
                json!("a"),
            ),
            (r#"{"id":{"x":1},"method":"ping"}"#, -32600, json!(null)),
        ] {
            let reply = reply(line).unwrap_or_else(|| panic!("{line} should be answered"));
            assert_eq!(reply["jsonrpc"], "2.0", "{line}");
            assert_eq!(reply["id"], id, "{line}: {reply}");
            assert_eq!(reply["error"]["code"], code, "{line}: {reply}");
        }
        let parse = reply("hello").unwrap();
        assert!(
            parse["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("parse error: "),
            "{parse}"
        );
    }

    #[test]
    fn replies_are_rate_limited_per_second() {
        let mut limit = ReplyLimit::default();
        let start = Instant::now();
        let allowed = (0..100).filter(|_| limit.allow(start)).count();
        assert_eq!(allowed, REPLIES_PER_SECOND as usize);
        let later = start + Duration::from_millis(999);
        assert!(!limit.allow(later));
        assert!(limit.allow(start + Duration::from_secs(1)));
    }

    #[tokio::test]
    async fn long_lines_are_skipped_whole() {
        let mut input = Vec::new();
        input.extend(std::iter::repeat_n(b'x', DEFAULT_MAX_LINE_LENGTH + 10));
        input.extend_from_slice(b"\nnext\nlast");
        let mut input = BufReader::new(&input[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line(&mut input, &mut line).await.unwrap(),
            Line::TooLong
        ));
        assert!(matches!(
            read_line(&mut input, &mut line).await.unwrap(),
            Line::Read
        ));
        assert_eq!(line, b"next\n");
        assert!(matches!(
            read_line(&mut input, &mut line).await.unwrap(),
            Line::Read
        ));
        assert_eq!(line, b"last");
        assert!(matches!(
            read_line(&mut input, &mut line).await.unwrap(),
            Line::End
        ));
    }
}
