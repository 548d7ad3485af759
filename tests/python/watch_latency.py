"""`verbatim serve --watch` at scale, in plain JSON-RPC lines over stdio: the
time from appending a sentence with a new word to one corpus file to that
word being found by `search_quotes` (polled every 50 ms). The file is put
back as it was afterwards.

Usage: python watch_latency.py BINARY CORPUS_DIR INDEX_DIR FILE_IN_CORPUS
(see BENCHMARKS.md, "Start-up and live updates at 1 GB").
"""
import json, subprocess, sys, time
binary, corpus, index, path = sys.argv[1:5]
p = subprocess.Popen([binary, "--corpus", corpus, "--index-dir", index, "serve", "--watch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
n = [0]
def call(method, params):
    n[0] += 1
    p.stdin.write((json.dumps({"jsonrpc":"2.0","id":n[0],"method":method,"params":params}) + "\n").encode()); p.stdin.flush()
    while True:
        m = json.loads(p.stdout.readline())
        if m.get("id") == n[0]: return m
call("initialize", {"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}})
p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'); p.stdin.flush()
def hits(q):
    r = call("tools/call", {"name":"search_quotes","arguments":{"query":q,"limit":1}})
    return len(r["result"].get("structuredContent",{}).get("hits",[]))
assert hits("souveraineté") > 0
time.sleep(2)
word = "zorglubien%d" % int(time.time())
original = open(path, encoding="utf-8").read()
t0 = time.perf_counter()
with open(path, "a", encoding="utf-8") as f: f.write("\nLe %s traverse la Manche.\n" % word)
while hits(word) == 0: time.sleep(0.05)
t1 = time.perf_counter()
print(f"one file changed -> searchable in {1000*(t1-t0):.0f} ms (folder quiet after the write; debounce 400 ms included)")
open(path, "w", encoding="utf-8").write(original)
time.sleep(3)
p.stdin.close(); p.wait()
