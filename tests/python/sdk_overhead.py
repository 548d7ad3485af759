"""Where a `search_quotes` call's time goes through the official MCP Python
SDK over stdio: the SDK's `ping`, the search with and without the client's
check of the answer against the tool's output schema, and the same calls
as plain JSON-RPC lines, sent back to back and after a pause (a server that
has just been idle answers more slowly).

Usage: python sdk_overhead.py BINARY CORPUS_DIR INDEX_DIR [QUERY] [ROUNDS]
(see BENCHMARKS.md, "Where issue 14 ends").
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

import mcp.client.session as session
from mcp import Client, StdioServerParameters


def median(samples: list[float]) -> float:
    samples.sort()
    return samples[len(samples) // 2]


async def through_sdk(binary: str, corpus: str, index: str, query: str, rounds: int) -> None:
    params = StdioServerParameters(command=binary, args=["--corpus", corpus, "--index-dir", index, "serve"])
    search = {"query": query, "limit": 10}

    async def timed(call) -> float:
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            await call()
            samples.append((time.perf_counter() - started) * 1000)
        return median(samples)

    async with Client(params, mode="legacy") as client:
        await client.call_tool("search_quotes", search)
        print(f"SDK ping: {await timed(client.send_ping):.2f} ms")
        print(f"SDK search_quotes: {await timed(lambda: client.call_tool('search_quotes', search)):.2f} ms")
        checked = session.ClientSession.validate_tool_result

        async def unchecked(self, name, result):
            return None

        session.ClientSession.validate_tool_result = unchecked
        try:
            ms = await timed(lambda: client.call_tool("search_quotes", search))
        finally:
            session.ClientSession.validate_tool_result = checked
        print(f"SDK search_quotes, answer not checked against the output schema: {ms:.2f} ms")


def as_json_rpc(binary: str, corpus: str, index: str, query: str, rounds: int) -> None:
    server = subprocess.Popen(
        [binary, "--corpus", corpus, "--index-dir", index, "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert server.stdin and server.stdout
    next_id = 0

    def call(method: str, params: dict) -> None:
        nonlocal next_id
        next_id += 1
        server.stdin.write((json.dumps({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params}) + "\n").encode())
        server.stdin.flush()
        while json.loads(server.stdout.readline()).get("id") != next_id:
            pass

    call("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "sdk_overhead", "version": "0"}})
    server.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    server.stdin.flush()
    search = {"name": "search_quotes", "arguments": {"query": query, "limit": 10}}
    call("tools/call", search)
    for pause in (0.0, 0.005, 0.02):
        pings, searches = [], []
        for _ in range(rounds):
            time.sleep(pause)
            started = time.perf_counter()
            call("ping", {})
            pings.append((time.perf_counter() - started) * 1000)
            time.sleep(pause)
            started = time.perf_counter()
            call("tools/call", search)
            searches.append((time.perf_counter() - started) * 1000)
        print(f"plain JSON-RPC, {pause * 1000:.0f} ms pause before each call: ping {median(pings):.2f} ms, search_quotes {median(searches):.2f} ms")
    server.stdin.close()
    server.wait()


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    query = sys.argv[4] if len(sys.argv) > 4 else "cloud"
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 60
    asyncio.run(through_sdk(sys.argv[1], sys.argv[2], sys.argv[3], query, rounds))
    as_json_rpc(sys.argv[1], sys.argv[2], sys.argv[3], query, rounds)
