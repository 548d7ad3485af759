//! Transports: MCP over stdio (what desktop clients launch; rmcp behind a
//! guard that answers malformed lines, see [`serve_stdio`]) and streamable
//! HTTP at `/mcp` (axum), with the protections an HTTP server needs:
//! loopback by default, a bearer token required on any other address (and
//! optional on loopback), Host and Origin checked against DNS rebinding, and
//! a graceful stop. A session ended with `DELETE /mcp` is answered `204`.

mod stdio;

pub use stdio::{REPLIES_PER_SECOND, serve_lines, serve_stdio};

use super::VerbatimServer;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Why serving stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The client closed stdin before sending anything (not a crash: nothing was asked).
    #[error(
        "stdin closed before any MCP message arrived; verbatim serve expects an MCP client on stdin/stdout"
    )]
    ClosedBeforeStart,
    #[error("MCP session failed to start: {0}")]
    Start(String),
    #[error("MCP session ended with an error: {0}")]
    Session(String),
    /// Anyone on the network could read the corpus: refuse rather than expose it.
    #[error(
        "refusing to serve {addr} without a token: it is reachable from other machines. \
         Pass --token <TOKEN> (or set VERBATIM_TOKEN), or bind a loopback address such as 127.0.0.1:{port}",
        port = addr.port()
    )]
    TokenRequired { addr: SocketAddr },
    /// An `--allow-host` value that is not a host name or address.
    #[error(
        "--allow-host {0:?} is not a host name or IP address (give e.g. `transcripts.example.org`, `192.168.1.20`, or `*` for any Host)"
    )]
    BadAllowedHost(String),
    #[error("--allow-host '*' turns off the Host check: it needs --token (or VERBATIM_TOKEN) too")]
    AnyHostWithoutToken,
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("HTTP server error: {0}")]
    Http(#[from] std::io::Error),
}

/// What a person who started `verbatim serve` in a terminal sees on stderr:
/// what is running and how to connect a client to it.
/// `corpus` names what is served (its index opens in the background, so
/// its episodes are not counted yet).
pub fn banner(corpus: &str, http: Option<(SocketAddr, bool)>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let head = format!(
        "verbatim {version}: an MCP server over the transcripts of {corpus}, with citable, verifiable quotes.\n\
         Its index opens in the background; \"verbatim: ready\" follows when the tools can answer.\n"
    );
    match http {
        Some((addr, token)) => {
            let auth = if token {
                " with header `Authorization: Bearer <token>`"
            } else {
                ""
            };
            let reach = if addr.ip().is_loopback() {
                ""
            } else {
                "Reachable from other machines: clients must name this machine by the bound address \
                 or a host given with --allow-host.\n"
            };
            format!(
                "{head}Serving streamable HTTP at http://{addr}/mcp{auth}.\n{reach}\
                 Connect: claude mcp add --transport http verbatim http://{addr}/mcp\n\
                 Inspect: npx @modelcontextprotocol/inspector (transport: Streamable HTTP, URL above)\n\
                 Stop with Ctrl-C.\n"
            )
        }
        None => format!(
            "{head}It speaks MCP on stdin/stdout: an MCP client should start it, not a person.\n\
             Claude Code:    claude mcp add verbatim -- verbatim serve\n\
             Claude Desktop: add to claude_desktop_config.json: \
             {{\"mcpServers\": {{\"verbatim\": {{\"command\": \"verbatim\", \"args\": [\"serve\"]}}}}}}\n\
             Inspector:      npx @modelcontextprotocol/inspector verbatim serve\n\
             Over HTTP:      verbatim serve --http 127.0.0.1:8700\n\
             Waiting for an MCP client on stdin (Ctrl-D or Ctrl-C to quit).\n"
        ),
    }
}

/// Serves HTTP until Ctrl-C, then stops gracefully.
pub async fn serve_http_until_ctrl_c(
    server: VerbatimServer,
    http: HttpServer,
) -> Result<(), ServeError> {
    let stop = CancellationToken::new();
    let on_signal = stop.clone();
    tokio::spawn(async move {
        match tokio::signal::ctrl_c().await {
            Ok(()) => {
                tracing::info!("Ctrl-C: stopping");
                on_signal.cancel();
            }
            // Without a signal handler the server still runs; it just cannot be stopped by Ctrl-C.
            Err(e) => tracing::warn!("cannot listen for Ctrl-C: {e}"),
        }
    });
    http.run(server, stop).await
}

/// How to serve over HTTP.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Where to listen; loopback unless the person chose otherwise.
    pub addr: SocketAddr,
    /// When set, every request must carry `Authorization: Bearer <token>`.
    /// Required when `addr` is not a loopback address.
    pub token: Option<String>,
    /// Host names (or addresses) clients may use to reach the server, beyond
    /// loopback and the bound address: the `Host` header must name one of
    /// them, and browser pages from them may call it. `*` accepts any Host
    /// (allowed only with a token, e.g. behind a reverse proxy).
    pub allowed_hosts: Vec<String>,
}

/// A bound HTTP listener, ready to serve.
#[derive(Debug)]
pub struct HttpServer {
    listener: tokio::net::TcpListener,
    token: Option<String>,
    allowed_hosts: Vec<String>,
}

/// [`HttpOptions`] that passed [`HttpOptions::check`]: the token (an empty
/// one is none) and the allowed hosts, trimmed.
#[derive(Debug, Clone)]
pub struct CheckedHttp {
    addr: SocketAddr,
    token: Option<String>,
    allowed_hosts: Vec<String>,
}

impl CheckedHttp {
    /// Where the server will listen.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether clients must send a token.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }
}

impl HttpOptions {
    /// Checks the options before anything is bound or indexed: a token where
    /// one is required, and host names that could match a `Host` header.
    pub fn check(&self) -> Result<CheckedHttp, ServeError> {
        let token = self.token.clone().filter(|t| !t.is_empty());
        if token.is_none() && !self.addr.ip().is_loopback() {
            return Err(ServeError::TokenRequired { addr: self.addr });
        }
        let mut allowed_hosts = Vec::new();
        for host in &self.allowed_hosts {
            let host = host.trim().to_string();
            if !is_host_pattern(&host) {
                return Err(ServeError::BadAllowedHost(host));
            }
            if host == "*" && token.is_none() {
                // Without the Host check and without a token, any web page the
                // person visits could reach the server through DNS rebinding.
                return Err(ServeError::AnyHostWithoutToken);
            }
            allowed_hosts.push(host);
        }
        Ok(CheckedHttp {
            addr: self.addr,
            token,
            allowed_hosts,
        })
    }
}

/// Binds the listener (port 0 picks a free port: see [`HttpServer::local_addr`]).
///
/// Refuses a non-loopback address without a token: such a server is reachable
/// from other machines, and the corpus may be private.
pub async fn bind_http(options: HttpOptions) -> Result<HttpServer, ServeError> {
    bind_checked(options.check()?).await
}

/// Binds the listener of options already checked.
pub async fn bind_checked(options: CheckedHttp) -> Result<HttpServer, ServeError> {
    let CheckedHttp {
        addr,
        token,
        allowed_hosts,
    } = options;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    Ok(HttpServer {
        listener,
        token,
        allowed_hosts,
    })
}

/// A DNS name, an IP address (v6 with or without brackets), or `*`; no
/// scheme, port, path or spaces, which would never match a `Host` header.
fn is_host_pattern(host: &str) -> bool {
    if host == "*" {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

impl HttpServer {
    /// The address actually bound.
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves `/mcp` until `shutdown` is cancelled, then drains open requests.
    pub async fn run(
        self,
        server: VerbatimServer,
        shutdown: CancellationToken,
    ) -> Result<(), ServeError> {
        let addr = self.local_addr()?;
        let any_host = self.allowed_hosts.iter().any(|h| h == "*");
        let mut hosts = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ];
        if !addr.ip().is_loopback() && !addr.ip().is_unspecified() {
            // Bound to a chosen address on purpose: requests naming it are legitimate.
            hosts.push(addr.ip().to_string());
        }
        hosts.extend(self.allowed_hosts.iter().filter(|h| *h != "*").cloned());
        // Browsers send Origin; only pages served from this machine or an
        // allowed host may call us (a foreign page reaching us through DNS
        // rebinding gets 403).
        let origin_hosts = hosts.iter().map(|h| {
            if h.contains(':') && !h.starts_with('[') {
                format!("[{h}]")
            } else {
                h.clone()
            }
        });
        let origins = origin_hosts
            .flat_map(|h| ["http", "https"].map(|scheme| format!("{scheme}://{h}:*")))
            .collect::<Vec<_>>();
        let mut config = StreamableHttpServerConfig::default()
            .with_allowed_origins(origins)
            .enforce_origin_validation()
            .with_cancellation_token(shutdown.child_token());
        config = if any_host {
            // Behind a proxy that rewrites Host, the token is the guard.
            config.disable_allowed_hosts()
        } else {
            config.with_allowed_hosts(hosts)
        };
        let service = StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(LocalSessionManager::default()),
            config,
        );
        let mut router = axum::Router::new()
            .nest_service("/mcp", service)
            .layer(axum::middleware::from_fn(session_end_status));
        if let Some(token) = self.token {
            let expected: Arc<str> = Arc::from(format!("Bearer {token}"));
            router = router.layer(axum::middleware::from_fn(
                move |request: Request, next: Next| {
                    let expected = expected.clone();
                    async move { require_token(&expected, request, next).await }
                },
            ));
        }
        tracing::info!(%addr, "serving MCP over streamable HTTP at /mcp");
        axum::serve(self.listener, router)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await?;
        Ok(())
    }
}

/// 401 unless the request carries the expected `Authorization` header.
async fn require_token(expected: &str, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(HeaderValue::as_bytes)
        .unwrap_or_default();
    if constant_time_eq(given, expected.as_bytes()) {
        return next.run(request).await;
    }
    let mut response = (
        StatusCode::UNAUTHORIZED,
        "verbatim: this server requires `Authorization: Bearer <token>`\n",
    )
        .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"verbatim\""),
    );
    response
}

/// `204 No Content` for a session ended with `DELETE`: rmcp answers `202
/// Accepted`, which the official Python SDK reports as "Session termination
/// failed: 202" at every close (it expects 200 or 204, and the session is
/// already gone when rmcp answers, so 202's "still in progress" is not true).
async fn session_end_status(request: Request, next: Next) -> Response {
    let delete = request.method() == axum::http::Method::DELETE;
    let mut response = next.run(request).await;
    if delete && response.status() == StatusCode::ACCEPTED {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"Bearer abc", b"Bearer abc"));
        assert!(!constant_time_eq(b"Bearer abd", b"Bearer abc"));
        assert!(!constant_time_eq(b"Bearer ab", b"Bearer abc"));
        assert!(!constant_time_eq(b"", b"Bearer abc"));
    }
}
