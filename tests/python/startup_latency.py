"""Start-up of `verbatim serve` as a client sees it, in plain JSON-RPC lines
over stdio: from process start to the `initialize` answer, and to the first
`search_quotes` answer (10 hits).

Usage: python startup_latency.py BINARY CORPUS_DIR INDEX_DIR [QUERY]
(see BENCHMARKS.md, "Start-up and live updates at 1 GB").
"""
import json, subprocess, sys, time
binary, corpus, index = sys.argv[1:4]
query = sys.argv[4] if len(sys.argv) > 4 else "souveraineté"
t0 = time.perf_counter()
p = subprocess.Popen([binary, "--corpus", corpus, "--index-dir", index, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
def send(o):
    p.stdin.write((json.dumps(o) + "\n").encode()); p.stdin.flush()
def recv(i):
    while True:
        m = json.loads(p.stdout.readline())
        if m.get("id") == i: return m
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})
recv(1); t1 = time.perf_counter()
send({"jsonrpc":"2.0","method":"notifications/initialized"})
send({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search_quotes","arguments":{"query":query,"limit":10}}})
r = recv(2); t2 = time.perf_counter()
hits = r["result"].get("structuredContent",{}).get("hits",[])
print(f"initialize {1000*(t1-t0):.0f} ms, first search {1000*(t2-t0):.0f} ms, {len(hits)} hits, error={r['result'].get('isError')}")
p.stdin.close(); p.wait()
