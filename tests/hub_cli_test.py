#!/usr/bin/env python3
"""vramcalc --model org/name against a mock Hub on loopback (issue 20). Standard library only; the
server runs in this process on 127.0.0.1 (port 0), the cache is a temp dir, no real network.
Oracle: the CLI's answers for a Hub repo equal its answers for the same config from the catalog
(engine/catalog/models), and stored bytes equal the data_offsets written into the mock headers.
usage: hub_cli_test.py VRAMCALC SRC_DIR"""
import json, os, struct, subprocess, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLI, SRC = sys.argv[1], sys.argv[2]
TOKEN = "hf_secretTOKEN0123456789abcdef"
GPT2 = open(os.path.join(SRC, "engine/catalog/models/openai-community--gpt2.json"), "rb").read()
LLAMA = open(os.path.join(SRC, "engine/catalog/models/meta-llama--Llama-3.1-8B-Instruct.json"), "rb").read()


def gpt2_tensors():
    c = json.loads(GPT2)
    d, v, n, L = c["n_embd"], c["vocab_size"], c["n_positions"], c["n_layer"]
    t = {"wte.weight": [v, d], "wpe.weight": [n, d], "ln_f.weight": [d], "ln_f.bias": [d]}
    for i in range(L):
        p = f"h.{i}."
        t.update({p + "ln_1.weight": [d], p + "ln_1.bias": [d], p + "ln_2.weight": [d], p + "ln_2.bias": [d],
                  p + "attn.c_attn.weight": [d, 3 * d], p + "attn.c_attn.bias": [3 * d],
                  p + "attn.c_proj.weight": [d, d], p + "attn.c_proj.bias": [d],
                  p + "mlp.c_fc.weight": [d, 4 * d], p + "mlp.c_fc.bias": [4 * d],
                  p + "mlp.c_proj.weight": [4 * d, d], p + "mlp.c_proj.bias": [d]})
    return t


def safetensors_file(tensors):
    """8-byte length + header (F32, data_offsets back to back); the data itself is never read."""
    h, off = {}, 0
    for name, shape in tensors.items():
        size = 4
        for s in shape: size *= s
        h[name] = {"dtype": "F32", "shape": shape, "data_offsets": [off, off + size]}
        off += size
    text = json.dumps(h).encode()
    return struct.pack("<Q", len(text)) + text, off


TENSORS = gpt2_tensors()
names = list(TENSORS)
half = len(names) // 2
SHARDS = {"model-00001-of-00002.safetensors": {k: TENSORS[k] for k in names[:half]},
          "model-00002-of-00002.safetensors": {k: TENSORS[k] for k in names[half:]}}
FILES = {}  # repo -> {path: bytes}
one, STORED = safetensors_file(TENSORS)
FILES["mock/gpt2"] = {"config.json": GPT2, "model.safetensors": one}
FILES["norange/gpt2"] = FILES["mock/gpt2"]
sh = {}
index = {"metadata": {}, "weight_map": {}}
stored_sharded = 0
for fname, ts in SHARDS.items():
    sh[fname], n = safetensors_file(ts)
    stored_sharded += n
    for k in ts: index["weight_map"][k] = fname
sh["config.json"] = GPT2
sh["model.safetensors.index.json"] = json.dumps(index).encode()
FILES["sharded/gpt2"] = sh
FILES["mock/llama"] = {"config.json": LLAMA}  # config only: no safetensors in the repo
FILES["badjson/x"] = {"config.json": b'{"model_type": "llama", '}
FILES["hugeheader/x"] = {"config.json": GPT2, "model.safetensors": struct.pack("<Q", 1 << 40) + b"{}"}
FILES["badindex/x"] = {"config.json": GPT2, "model.safetensors.index.json": json.dumps({"weight_map": {"a": "../../etc/passwd.safetensors"}}).encode()}
FILES["cdn/gpt2"] = FILES["mock/gpt2"]
AUTH_LOG = []  # (path, authorization) of every request


class Hub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers: self.send_header(k, v)
        if not any(k.lower() == "content-length" for k, _ in headers): self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body: self.wfile.write(body)

    def do_GET(self):
        AUTH_LOG.append((self.path, self.headers.get("Authorization", "")))
        parts = self.path.split("/")
        if parts[1] == "cdnfiles":  # where cdn/* redirects: serves mock/gpt2's files by name
            return self.serve(FILES["mock/gpt2"].get(parts[2]), True, "cdn")
        if len(parts) < 6 or parts[3] != "resolve":
            return self.send(404)
        repo, rev, path = parts[1] + "/" + parts[2], parts[4], "/".join(parts[5:])
        org = parts[1]
        if org == "gated": return self.send(401 if parts[2] == "a" else 403, b'{"error":"gated"}', [("X-Error-Code", "GatedRepo")])
        if org == "limited": return self.send(429, b"slow down", [("Retry-After", "7")])
        if org == "server": return self.send(500, b"oops")
        if org == "loop": return self.send(302, b"", [("Location", self.path)])
        if org == "away": return self.send(302, b"", [("Location", "https://example.com/steal")])
        if org == "plainhttp": return self.send(302, b"", [("Location", "http://huggingface.co/x")])
        if org == "huge": return self.send(200, b"", [("Content-Length", "1000000000000")])
        if org == "slow":
            self.send_response(200); self.send_header("Content-Length", "100000"); self.end_headers()
            for _ in range(100):
                try:
                    self.wfile.write(b" "); self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            return
        if org == "cdn": return self.send(302, b"", [("Location", "/cdnfiles/" + path)])
        if rev not in ("main", "v1.0"): return self.send(404, b"", [("X-Error-Code", "RevisionNotFound")])
        files = FILES.get(repo)
        if files is None: return self.send(404, b'{"error":"Repository not found"}', [("X-Error-Code", "RepoNotFound")])
        return self.serve(files.get(path), org != "norange", repo)

    def serve(self, body, ranges, tag):
        if body is None: return self.send(404, b"", [("X-Error-Code", "EntryNotFound")])
        etag = '"%x"' % (hash(body) & 0xffffffff)
        r = self.headers.get("Range")
        if ranges and r and r.startswith("bytes="):
            a, b = r[6:].split("-")
            a, b = int(a), min(int(b), len(body) - 1)
            return self.send(206, body[a:b + 1], [("ETag", etag), ("Content-Range", f"bytes {a}-{b}/{len(body)}")])
        return self.send(200, body, [("ETag", etag)])


srv = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
threading.Thread(target=srv.serve_forever, daemon=True).start()
EP = f"http://127.0.0.1:{srv.server_address[1]}"
cache = tempfile.mkdtemp(prefix="vramcalc-hub-cache-")
home = tempfile.mkdtemp(prefix="vramcalc-hub-home-")
ENV = {"PATH": os.environ.get("PATH", ""), "XDG_CACHE_HOME": cache, "HOME": home, "VRAMCALC_HUB_TIMEOUT_MS": "1500"}
failures = []


def run(*args, env=None):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env={**ENV, **(env or {})}, timeout=60)
    if TOKEN in p.stdout or TOKEN in p.stderr: failures.append(f"token printed by {args}")
    return p


def expect(rc, pattern, *args, env=None):
    p = run(*args, env=env)
    out = p.stdout + p.stderr
    if p.returncode != rc or (pattern and pattern not in out):
        failures.append(f"vramcalc {' '.join(args)}: exit {p.returncode} (want {rc}), want {pattern!r}\n{out[:600]}")
    elif rc == 2 and len(p.stderr.strip().splitlines()) != 1:
        failures.append(f"vramcalc {' '.join(args)}: not one line: {p.stderr!r}")
    return p


def js(*args, env=None):
    p = expect(0, "", *args, "--json", env=env)
    try:
        return json.loads(p.stdout)
    except ValueError:
        failures.append(f"{args}: not JSON: {p.stdout[:200]}")
        return {}


hub = ["--endpoint", EP]
# The same answers as the catalog for the same config, for every model command.
for cmd, extra in (("params", []), ("inference", ["--context", "4096"]), ("train", ["--batch", "2", "--seq", "512"]), ("fit", ["--gpu", "rtx-4090"])):
    for repo in ("mock/gpt2", "sharded/gpt2", "norange/gpt2", "cdn/gpt2"):
        a = js(cmd, "--model", repo, *hub, *extra)
        b = js(cmd, "--model", "openai-community/gpt2", *extra)
        for k in ("total_params", "total_bytes"):
            if a.get(k) != b.get(k): failures.append(f"{cmd} {repo}: {k} {a.get(k)} != catalog {b.get(k)}")
    a = js(cmd, "--model", "mock/llama", *hub, *extra)
    b = js(cmd, "--model", "meta-llama/Llama-3.1-8B-Instruct", *extra)
    if a.get("total_bytes") != b.get("total_bytes") or a.get("total_params") != b.get("total_params"):
        failures.append(f"{cmd} mock/llama differs from the catalog")
# Stored bytes from the headers: the data_offsets spans written above.
for repo, want in (("mock/gpt2", STORED), ("sharded/gpt2", stored_sharded)):
    st = js("params", "--model", repo, *hub).get("safetensors", {})
    if st.get("bytes") != want: failures.append(f"{repo}: stored bytes {st.get('bytes')} != {want}")
expect(0, "stored tensors", "params", "--model", "sharded/gpt2", *hub)
expect(0, "total", "params", "--model", "mock/gpt2", "--revision", "v1.0", *hub)
expect(0, "total", "params", "--model", "mock/gpt2", env={"HF_ENDPOINT": EP})

# The cache makes a second run work offline (same answer), and offline never touches the network.
before = len(AUTH_LOG)
a = js("inference", "--model", "sharded/gpt2", *hub, "--offline")
if a.get("total_bytes") != js("inference", "--model", "openai-community/gpt2").get("total_bytes"): failures.append("offline answer differs")
if len(AUTH_LOG) != before: failures.append("--offline made requests")
expect(2, "not in the cache", "params", "--model", "never/fetched", *hub, "--offline")
expect(0, "total", "params", "--model", "openai-community/gpt2", "--offline")

# Errors: one line, exit 2.
expect(2, "gated or private", "params", "--model", "gated/a", *hub)
expect(2, "HTTP 403", "params", "--model", "gated/b", *hub)
expect(2, "no config.json", "params", "--model", "nobody/nothing", *hub)
expect(2, "no config.json", "params", "--model", "mock/gpt2", "--revision", "nope", *hub)
expect(2, "retry after 7 s", "params", "--model", "limited/x", *hub)
expect(2, "HTTP 500", "params", "--model", "server/x", *hub)
expect(2, "timeout", "params", "--model", "slow/x", *hub)
expect(2, "more than 5000000 bytes", "params", "--model", "huge/x", *hub)
expect(2, "invalid JSON", "params", "--model", "badjson/x", *hub)
expect(2, "too many redirects", "params", "--model", "loop/x", *hub)
expect(2, "refused to contact example.com", "params", "--model", "away/x", *hub)
expect(2, "refused to contact huggingface.co", "params", "--model", "plainhttp/x", *hub)
expect(2, "more than 25000000", "params", "--model", "hugeheader/x", *hub)
expect(2, "is not a .safetensors file name", "params", "--model", "badindex/x", *hub)
expect(2, "--endpoint must be https", "params", "--model", "mock/gpt2", "--endpoint", "http://example.com")
expect(2, "--revision must be", "params", "--model", "mock/gpt2", "--revision", "../x", *hub)
expect(2, "cannot reach", "params", "--model", "mock/gpt2", "--endpoint", "http://127.0.0.1:9")

# The token: --token-file, then HF_TOKEN, then $HF_HOME/token; only on the endpoint's own
# requests, never printed, never on the redirect target of another origin path.
tf = os.path.join(home, "tok")
open(tf, "w").write(TOKEN + "\n")
os.makedirs(os.path.join(home, ".cache/huggingface"), exist_ok=True)
open(os.path.join(home, ".cache/huggingface/token"), "w").write(TOKEN + "3\n")
AUTH_LOG.clear()
expect(0, "total", "params", "--model", "mock/gpt2", "--token-file", tf, *hub)
if not AUTH_LOG or any(a != "Bearer " + TOKEN for _, a in AUTH_LOG): failures.append(f"--token-file not sent: {AUTH_LOG[:2]}")
AUTH_LOG.clear()
expect(0, "total", "params", "--model", "mock/gpt2", *hub, env={"HF_TOKEN": TOKEN + "2"})
if any(a != "Bearer " + TOKEN + "2" for _, a in AUTH_LOG): failures.append("HF_TOKEN not sent")
AUTH_LOG.clear()
expect(0, "total", "params", "--model", "mock/gpt2", *hub)
if any(a != "Bearer " + TOKEN + "3" for _, a in AUTH_LOG): failures.append("~/.cache/huggingface/token not sent")
AUTH_LOG.clear()
expect(2, "gated or private", "params", "--model", "gated/a", *hub, "--token-file", tf)
expect(2, "no config.json", "params", "--model", "nobody/nothing", *hub, "--token-file", tf)
for f in os.listdir(cache) if os.path.isdir(cache) else []:
    pass
for root, _, fs in os.walk(cache):
    for f in fs:
        if TOKEN.encode() in open(os.path.join(root, f), "rb").read(): failures.append(f"token in the cache file {f}")

srv.shutdown()
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("hub CLI: all checks passed")
