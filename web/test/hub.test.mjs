// Hub loading (src/lib/hub.js) against a fake Hub: globalThis.fetch replaced by a table of
// responses, so the limits, the timeout, the host rule and the token's destinations are checked
// exactly, with the real @huggingface/hub in between. The browser suite (e2e/websec.mjs) repeats
// the important ones through Chromium.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { loadFromHub, isHubHost, LIMITS, HubLoadError, parseRepoId, isValidRepoId } from '../src/lib/hub.js';

const TOKEN = 'hf_FAKEtoken123nodeTest';
const CONFIG = JSON.stringify({ model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, vocab_size: 1000 });
const realFetch = globalThis.fetch;
let log = [];
afterEach(() => {
  globalThis.fetch = realFetch;
  delete globalThis.__vramcalcHubTimeoutMs;
  log = [];
});

/** A safetensors file: 8-byte length + JSON header; `size` is what the server claims in total. */
function safetensors(headerLength, header = '{"__metadata__":{}}') {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerLength));
  return Buffer.concat([len, Buffer.from(header)]);
}
const stFile = safetensors(19);

/** A fetch serving `files` (path → Buffer | string | function(init) → Response) from huggingface.co. */
function fakeHub(files, { cdn = false } = {}) {
  globalThis.fetch = async (url, init = {}) => {
    const u = new URL(url);
    const h = new Headers(init.headers);
    log.push({ url: u.href, auth: h.get('authorization') });
    if (init.signal?.aborted) throw init.signal.reason;
    const path = u.pathname.replace(/^\/[^/]+\/[^/]+\/resolve\/main\//, '').replace(/^\/repos\/ab\/cd\//, '');
    if (u.pathname.startsWith('/api/models/')) return Response.json({ id: 'x' });
    let body = files[path];
    if (typeof body === 'function') return body(init, u);
    if (body === undefined) return new Response('{"error":"Entry not found"}', { status: 404, headers: { 'x-error-code': 'EntryNotFound' } });
    body = Buffer.from(body);
    const m = /bytes=(\d+)-(\d+)/.exec(h.get('range') ?? '');
    const headers = { etag: '"e"', ...(cdn ? { 'x-cache': 'Hit from cloudfront' } : {}) };
    const res = m
      ? new Response(body.subarray(Number(m[1]), Number(m[2]) + 1), { status: 206, headers: { ...headers, 'content-range': `bytes ${m[1]}-${m[2]}/${body.length}` } })
      : new Response(body, { status: 200, headers: { ...headers, 'content-length': String(body.length) } });
    if (cdn && u.hostname === 'huggingface.co') Object.defineProperty(res, 'url', { value: `https://cdn-lfs-us-1.hf.co/repos/ab/cd/${path}?X-Amz-Signature=s`, configurable: true });
    else Object.defineProperty(res, 'url', { value: u.href, configurable: true });
    return res;
  };
}

async function error(p) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

test('a plain load: config text, headers read by Range, token only to huggingface.co', async () => {
  fakeHub({ 'config.json': CONFIG, 'model.safetensors': stFile });
  const r = await loadFromHub('org/model', { token: TOKEN });
  assert.equal(r.configText, CONFIG);
  assert.deepEqual(r.headers, ['{"__metadata__":{}}']);
  for (const l of log) {
    assert.equal(new URL(l.url).origin, 'https://huggingface.co');
    assert.equal(l.auth, `Bearer ${TOKEN}`);
    assert.ok(!l.url.includes(TOKEN));
  }
});

test('Hub hosts: huggingface.co and its CDN subdomains over https, nothing else', () => {
  for (const ok of ['https://huggingface.co/x', 'https://cdn-lfs.huggingface.co/x', 'https://cdn-lfs-us-1.hf.co/x', 'https://cas-bridge.xethub.hf.co/x']) assert.ok(isHubHost(ok), ok);
  for (const no of ['http://huggingface.co/x', 'https://huggingface.co.evil.com/x', 'https://evilhf.co/x', 'https://evil.com/huggingface.co', 'https://huggingface.co:444/x', 'https://u:p@huggingface.co/x'])
    assert.ok(!isHubHost(no), no);
});

test('a CDN that @huggingface/hub re-requests directly gets no Authorization header', async () => {
  fakeHub({ 'config.json': CONFIG, 'model.safetensors': stFile }, { cdn: true });
  const r = await loadFromHub('org/model', { token: TOKEN });
  assert.deepEqual(r.headers, ['{"__metadata__":{}}']);
  const cdn = log.filter((l) => new URL(l.url).hostname.endsWith('.hf.co'));
  assert.ok(cdn.length > 0, 'the CDN was asked');
  for (const l of cdn) assert.equal(l.auth, null, l.url);
  for (const l of log.filter((l) => new URL(l.url).hostname === 'huggingface.co')) assert.equal(l.auth, `Bearer ${TOKEN}`);
});

test('config.json over 5 MB: too_large by Content-Length, nothing read', async () => {
  let cancelled = false;
  const big = 6_000_000;
  fakeHub({
    'config.json': () => {
      const body = new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(65536)), cancel: () => void (cancelled = true) });
      return new Response(body, { status: 200, headers: { 'content-length': String(big), etag: '"e"' } });
    },
  });
  const e = await error(loadFromHub('org/model'));
  assert.ok(e instanceof HubLoadError);
  assert.equal(e.kind, 'too_large');
  assert.deepEqual(e.vars, { file: 'config.json', size: '6.0 MB', limit: '5.0 MB' });
  assert.ok(cancelled, 'the body was cancelled, not downloaded');
});

test('config.json over 5 MB by its size on the Hub (Content-Range of the probe): too_large before the download', async () => {
  fakeHub({ 'config.json': 'x'.repeat(LIMITS.config + 1) });
  const e = await error(loadFromHub('org/model'));
  assert.equal(e.kind, 'too_large');
  assert.equal(e.vars.file, 'config.json');
  assert.equal(log.length, 1, 'only the 1-byte probe was sent');
});

test('a body without Content-Length is cut off at the limit while it streams', async () => {
  let sent = 0;
  fakeHub({
    'config.json': (init) => {
      // The probe says 100 bytes; the download then never ends and names no length.
      if (new Headers(init.headers).get('range')) return new Response('{', { status: 206, headers: { etag: '"e"', 'content-range': 'bytes 0-0/100' } });
      const body = new ReadableStream({
        pull: (c) => {
          sent += 1 << 20;
          c.enqueue(new Uint8Array(1 << 20));
        },
      });
      return new Response(body, { status: 200, headers: { etag: '"e"' } });
    },
  });
  const e = await error(loadFromHub('org/model'));
  assert.equal(e.kind, 'too_large');
  assert.equal(e.vars.file, 'config.json');
  assert.ok(sent <= LIMITS.config + 3 * (1 << 20), `stopped after ${sent} bytes`);
});

// Node's AbortSignal.timeout does not keep the process alive (browsers have no such notion).
const alive = (ms) => {
  const t = setTimeout(() => {}, ms);
  return () => clearTimeout(t);
};

test('a Hub that never answers: timeout (shortened for the test; it can only be shortened)', async () => {
  globalThis.__vramcalcHubTimeoutMs = 150;
  fakeHub({
    'config.json': (init) =>
      new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason))),
  });
  const t0 = Date.now();
  const done = alive(5000);
  const e = await error(loadFromHub('org/model', { token: TOKEN }));
  done();
  assert.equal(e.kind, 'timeout');
  assert.ok(Date.now() - t0 < 5000);
  assert.ok(!String(e.message).includes(TOKEN));
  globalThis.__vramcalcHubTimeoutMs = 10 ** 9;
  const { hubTimeoutMs } = await import('../src/lib/hub.js');
  assert.equal(hubTimeoutMs(), 20_000, 'a longer setting is ignored');
});

test('a body that stalls after the headers: timeout', async () => {
  globalThis.__vramcalcHubTimeoutMs = 150;
  fakeHub({
    'config.json': (init) => {
      if (new Headers(init.headers).get('range')) return new Response('{', { status: 206, headers: { etag: '"e"', 'content-range': 'bytes 0-0/100' } });
      const body = new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([123])) }); // never closes
      init.signal.addEventListener('abort', () => body.cancel().catch(() => {}));
      return new Response(body, { status: 200, headers: { etag: '"e"' } });
    },
  });
  const done = alive(5000);
  const e = await error(loadFromHub('org/model'));
  done();
  assert.equal(e.kind, 'timeout');
});

test('a safetensors header length over 25 MB is refused by name; the config still loads', async () => {
  fakeHub({ 'config.json': CONFIG, 'model.safetensors': safetensors(200_000_000) });
  const r = await loadFromHub('org/model');
  assert.equal(r.configText, CONFIG);
  assert.equal(r.headers, null);
  assert.match(r.headersError, /^too_large: model\.safetensors header: 200\.0 MB, more than 25\.0 MB/);
  assert.ok(!log.some((l) => /bytes=8-/.test(l.url)), 'the header itself was not requested');
});

test('headers over 64 MiB in all (each under 25 MB) are refused before the one that crosses the budget is read', async () => {
  // The engine's budget across shards (safetensors.hpp kMaxSafetensorsTotalBytes); each length is
  // read from its 8-byte prefix, so no header past the budget is downloaded.
  const shards = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`model-0000${i + 1}-of-00003.safetensors`, safetensors(24_000_000)]));
  const index = JSON.stringify({ weight_map: Object.fromEntries(Object.keys(shards).map((f, i) => [`t${i}`, f])) });
  fakeHub({ 'config.json': CONFIG, 'model.safetensors.index.json': index, ...shards });
  const r = await loadFromHub('org/model');
  assert.equal(r.configText, CONFIG);
  assert.equal(r.headers, null);
  assert.match(r.headersError, /^too_large: safetensors headers: 72\.0 MB, more than 67\.1 MB/);
  assert.equal(LIMITS.headers, 64 * 1024 * 1024);
});

test('index: bad shard names, too many shards, too large, not JSON: named errors, no request outside the repo', async () => {
  const index = (map) => JSON.stringify({ weight_map: map });
  const cases = [
    [index({ a: '../../other/repo/resolve/main/model.safetensors' }), /^bad_index: .*is not a \.safetensors file name/],
    [index({ a: 'https://evil.example/x.safetensors' }), /^bad_index/],
    [index({ a: 'model.bin' }), /^bad_index/],
    [index(Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`t${i}`, `model-${i}.safetensors`]))), /^too_large: model\.safetensors\.index\.json: 257 shards/],
    ['{"weight_map": ', /^bad_index: model\.safetensors\.index\.json: /],
    ['x'.repeat(LIMITS.index + 1), /^too_large: model\.safetensors\.index\.json: 32\.0 MB/],
  ];
  for (const [text, re] of cases) {
    fakeHub({ 'config.json': CONFIG, 'model.safetensors.index.json': text });
    const r = await loadFromHub('org/model');
    assert.equal(r.configText, CONFIG);
    assert.match(r.headersError, re);
    for (const l of log) assert.ok(l.url.startsWith('https://huggingface.co/org/model/resolve/main/') || l.url.includes('/api/models/'), l.url);
  }
});

test('a non-Hub host is refused before any request', async () => {
  // A resolve URL "redirected" to a foreign host that says it is a CDN: @huggingface/hub would
  // re-request it directly; the guard refuses it (no request, a named error).
  fakeHub({ 'config.json': CONFIG }, { cdn: true });
  const base = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const res = await base(url, init);
    if (new URL(url).hostname === 'huggingface.co') Object.defineProperty(res, 'url', { value: 'https://evil.example/config.json' });
    return res;
  };
  const e = await error(loadFromHub('org/model', { token: TOKEN }));
  assert.equal(e.kind, 'network');
  assert.match(e.detail, /refused to contact evil\.example/);
  assert.ok(!log.some((l) => l.url.includes('evil.example')), 'no request to evil.example');
});

// Oracle: huggingface_hub utils/_validators.py validate_repo_id (REPO_ID_REGEX, "--"/".." and
// ".git" rules) and its docstring's examples: valid "foo", "foo/bar", "123", "Foo-BAR_foo.bar123";
// not valid "datasets/foo/bar", ".repo_id", "foo--bar", "foo.git".
test('repo ids are validated as the Hub validates them', () => {
  for (const ok of ['foo', 'foo/bar', '123', 'Foo-BAR_foo.bar123', 'meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-0.5B', 'gpt2', `a/${'x'.repeat(96)}`])
    assert.equal(isValidRepoId(ok), true, ok);
  for (const bad of ['datasets/foo/bar', '.repo_id', 'foo--bar', 'foo.git', '.', '..', 'org/..', '../x', 'org/.', './x', 'a..b/c',
    'org/-x', 'org/x-', 'org/.x', 'org/x.', '/x', 'x/', '', 'org/na me', 'org/na%2e', 'org/ünï', `a/${'x'.repeat(97)}`, 'org//x'])
    assert.equal(isValidRepoId(bad), false, JSON.stringify(bad));
});

test('parseRepoId takes ids and Hub URLs, never a path with . or .. segments', () => {
  assert.equal(parseRepoId('meta-llama/Llama-3.1-8B'), 'meta-llama/Llama-3.1-8B');
  assert.equal(parseRepoId('https://huggingface.co/meta-llama/Llama-3.1-8B/tree/main/original'), 'meta-llama/Llama-3.1-8B');
  assert.equal(parseRepoId('https://hf.co/models/Qwen/Qwen3-8B?x=1#y'), 'Qwen/Qwen3-8B');
  assert.equal(parseRepoId('org/name/tree/main'), 'org/name');
  assert.equal(parseRepoId('gpt2'), 'gpt2');
  assert.equal(parseRepoId('org/name/'), 'org/name');
  for (const bad of ['../..', '../../api/whoami-v2', 'org/..', '..', '.', './x', 'org/../x', 'https://huggingface.co/../../api',
    'https://huggingface.co/org/name/tree/../../x', 'org/name/extra', 'org//name', '/org/name', 'foo--bar/x', 'org/x.git'])
    assert.equal(parseRepoId(bad), null, bad);
});

test('loadFromHub refuses an invalid repo id before any request', async () => {
  let requests = 0;
  globalThis.fetch = async () => {
    requests++;
    return new Response('{}');
  };
  for (const bad of ['..', 'org/..', '../api', 'a/b/c']) {
    const e = await error(loadFromHub(bad, { token: TOKEN }));
    assert.ok(e instanceof HubLoadError);
    assert.equal(e.kind, 'bad_id');
  }
  assert.equal(requests, 0);
});
