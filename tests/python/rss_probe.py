"""Measure `verbatim serve`'s memory over stdio (raw JSON-RPC, no SDK needed):
VmRSS/VmHWM from /proc after open, then after a mix of 177 tool calls
(searches, reads around the hits, episodes, chapters, quote checks).
Linux only. Usage: python3 rss_probe.py BINARY CORPUS_DIR INDEX_DIR
(see BENCHMARKS.md, "Memory while serving")."""
import json, subprocess, sys, time

binary, corpus, index_dir = sys.argv[1:4]
t0 = time.time()
p = subprocess.Popen([binary, "--corpus", corpus, "--index-dir", index_dir, "serve"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
ident = 0
def call(method, params=None, notify=False):
    global ident
    msg = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        msg["params"] = params
    if not notify:
        ident += 1
        msg["id"] = ident
    p.stdin.write((json.dumps(msg) + "\n").encode()); p.stdin.flush()
    if notify:
        return None
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("server closed")
        r = json.loads(line)
        if r.get("id") == ident:
            return r

def mem():
    out = {}
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith(("VmRSS", "VmHWM", "RssAnon", "RssFile")):
            k, v = line.split(":")
            out[k] = int(v.split()[0]) // 1024
    return out

def tool(name, args):
    t = time.time()
    r = call("tools/call", {"name": name, "arguments": args})
    dt = (time.time() - t) * 1000
    res = r.get("result", {})
    return res.get("structuredContent"), res.get("isError"), dt

call("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                    "clientInfo": {"name": "rss", "version": "0"}})
call("notifications/initialized", notify=True)
opened = time.time() - t0
print(f"open+initialize: {opened:.2f} s; after open (MB): {mem()}")

queries = ["souveraineté", "Mistral", "cloud", "intelligence artificielle Europe",
           "securite des donnees", "\"je ne sais pas\"", "\"logiciel libre\"", "\"de la\"",
           "Arthur Mensch", "Jean-Baptiste Kempf", "modèle", "données", "européen", "question"]
lat = {}
hits = []
for q in queries:
    s, err, dt = tool("search_quotes", {"query": q, "limit": 10})
    lat[q] = round(dt, 1)
    if s:
        hits.extend(s.get("hits", []))
print("search ms (first call, over stdio):", lat)
lists = tool("list_episodes", {"limit": 50})[0]
ids = [e["episode_id"] for e in lists["episodes"]]
for h in hits[:60]:
    tool("read_transcript", {"episode_id": h["episode_id"], "around_passage": h["passage_id"]})
for i in ids[:40]:
    tool("get_episode", {"episode_id": i})
    tool("read_chapter", {"episode_id": i, "chapter": 0})
vt = []
for h in hits[:20]:
    s, err, dt = tool("verify_quote", {"quote": h["quote"][:200]})
    vt.append(round(dt))
s, err, dt = tool("verify_quote", {"quote": "la souveraineté numérique européenne passe par le logiciel libre et les données"})
vt.append(round(dt))
print("verify ms:", vt)
print(f"after {ident} requests (MB): {mem()}")
if len(sys.argv) > 4:
    s, err, dt = tool("summarize_speakers", {"episode_id": ids[0]})
    print(f"summarize one episode: {dt:.0f} ms; (MB): {mem()}")
p.stdin.close()
p.wait(timeout=60)
