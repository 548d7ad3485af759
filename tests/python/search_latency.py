"""Time `search_quotes` through the official MCP Python SDK over stdio, on
the bench's query mix (src/bench/runner.rs): what a client waits for, the
protocol round trip included. `ping` is timed too, for the protocol's share,
and the same mix is then sent as plain JSON-RPC lines (no SDK), for the
share of the client's own work (parsing, validating against the output
schema) in the SDK's figures.

Usage: python search_latency.py BINARY CORPUS_DIR INDEX_DIR [ROUNDS]
(the index as `verbatim bench --dir DIR` leaves it: CORPUS_DIR is
DIR/corpus-100mb-1, INDEX_DIR is DIR/index; see BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time

from mcp import Client, StdioServerParameters

MIX = [
    ("term", {"query": "souveraineté"}),
    ("term", {"query": "Mistral"}),
    ("term", {"query": "cloud"}),
    ("terms", {"query": "intelligence artificielle Europe"}),
    ("terms", {"query": "securite des donnees"}),
    ("terms", {"query": "base de données corruption"}),
    ("phrase", {"query": '"je ne sais pas"'}),
    ("phrase", {"query": '"logiciel libre"'}),
    ("phrase", {"query": '"de la"'}),
    ("name", {"query": "Arthur Mensch"}),
    ("name", {"query": "Jean-Baptiste Kempf"}),
    ("name", {"query": "Constantin Pavleas"}),
    ("filter", {"query": "modèles", "speaker": "SPEAKER_01"}),
    ("filter", {"query": "IA", "show": "smart tech"}),
    ("filter", {"query": "cloud", "published_after": "2021-01-01", "published_before": "2022-12-31"}),
    ("filter", {"query": "la", "episode_id": None}),
]


def percentile(sorted_ms: list[float], p: float) -> float:
    rank = round(p / 100 * (len(sorted_ms) - 1))
    return sorted_ms[min(rank, len(sorted_ms) - 1)]


async def main(binary: str, corpus: str, index_dir: str, rounds: int) -> str:
    """Runs the mix through the SDK; returns the first episode's id."""
    params = StdioServerParameters(
        command=binary, args=["--corpus", corpus, "--index-dir", index_dir, "serve"]
    )
    started = time.perf_counter()
    # The 2025-11-25 handshake: what most clients speak (and it has `ping`).
    async with Client(params, mode="legacy") as client:
        listing = await client.call_tool("list_episodes", {"limit": 1})
        print(f"open + initialize + first call: {(time.perf_counter() - started) * 1000:.0f} ms")
        first_episode = listing.structured_content["episodes"][0]["episode_id"]
        pings = []
        for _ in range(rounds):
            t = time.perf_counter()
            await client.send_ping()
            pings.append((time.perf_counter() - t) * 1000)
        pings.sort()
        print(f"ping: p50 {percentile(pings, 50):.2f} ms, p99 {percentile(pings, 99):.2f} ms")
        every = []
        print(f"{'class':<7} {'hits':>6} {'p50 ms':>8} {'p99 ms':>8} {'chars':>7}  query")
        for kind, args in MIX:
            args = dict(args, limit=10)
            if "episode_id" in args:
                args["episode_id"] = first_episode
            warm = await client.call_tool("search_quotes", args)
            if warm.is_error:
                raise SystemExit(f"{args}: {warm.content[0].text}")
            samples = []
            for _ in range(rounds):
                t = time.perf_counter()
                await client.call_tool("search_quotes", args)
                samples.append((time.perf_counter() - t) * 1000)
            samples.sort()
            every.extend(samples)
            hits = warm.structured_content["total_hits"]
            size = len(warm.content[0].text)
            print(
                f"{kind:<7} {hits:>6} {percentile(samples, 50):>8.2f} {percentile(samples, 99):>8.2f} "
                f"{size:>7}  {args['query']}"
            )
        every.sort()
        print(
            f"all searches: p50 {percentile(every, 50):.2f} ms, p99 {percentile(every, 99):.2f} ms, "
            f"mean {statistics.mean(every):.2f} ms ({len(every)} calls)"
        )
        return first_episode


def raw_mix(binary: str, corpus: str, index_dir: str, rounds: int, first_episode: str) -> None:
    """The mix as JSON-RPC lines over the server's stdin and stdout."""
    server = subprocess.Popen(
        [binary, "--corpus", corpus, "--index-dir", index_dir, "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert server.stdin and server.stdout
    next_id = 0

    def call(method: str, params: dict | None = None, notify: bool = False) -> None:
        nonlocal next_id
        message: dict = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            next_id += 1
            message["id"] = next_id
        server.stdin.write((json.dumps(message) + "\n").encode())
        server.stdin.flush()
        while not notify:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            if json.loads(line).get("id") == next_id:
                return

    call("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                        "clientInfo": {"name": "search_latency", "version": "0"}})
    call("notifications/initialized", notify=True)
    every = []
    for _, args in MIX:
        args = dict(args, limit=10)
        if "episode_id" in args:
            args["episode_id"] = first_episode
        call("tools/call", {"name": "search_quotes", "arguments": args})
        for _ in range(rounds):
            t = time.perf_counter()
            call("tools/call", {"name": "search_quotes", "arguments": args})
            every.append((time.perf_counter() - t) * 1000)
    server.stdin.close()
    server.wait()
    every.sort()
    print(
        f"the same searches as plain JSON-RPC lines: p50 {percentile(every, 50):.2f} ms, "
        f"p99 {percentile(every, 99):.2f} ms ({len(every)} calls)"
    )


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    first = asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], rounds))
    raw_mix(sys.argv[1], sys.argv[2], sys.argv[3], rounds, first)
