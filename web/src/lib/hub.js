// Loading a model from the Hugging Face Hub in the browser. @huggingface/hub is imported on demand
// (its own chunk), so nothing of it loads until the user asks for a Hub model.
// The access token is sent only to https://huggingface.co, only as an Authorization header.

export const HUB_ORIGIN = 'https://huggingface.co';

/**
 * A repo id as the Hub accepts it (huggingface_hub utils/_validators.py validate_repo_id, which
 * mirrors the Hub's own Names.ts): "name" or "namespace/name"; letters, digits, "_", "-", ".";
 * each part starts and ends with a letter, digit or "_" (so "." and ".." segments never pass);
 * the name at most 96 characters; no "--" or ".." anywhere; not ending in ".git".
 */
const REPO_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
export function isValidRepoId(id) {
  if (typeof id !== 'string') return false;
  const parts = id.split('/');
  if (parts.length > 2 || !parts.every((p) => REPO_PART.test(p))) return false;
  if (parts[parts.length - 1].length > 96) return false;
  return !id.includes('--') && !id.includes('..') && !id.endsWith('.git');
}

/** "org/name" from an id or a Hub URL (https://huggingface.co/org/name/tree/main/...), or null. */
export function parseRepoId(input) {
  let s = String(input ?? '').trim();
  if (!s) return null;
  const m = s.match(/^(?:https?:\/\/)?(?:www\.)?(?:hf\.co|huggingface\.co)\/(.*)$/i);
  if (m) s = m[1];
  s = s.replace(/^models\//, '').split(/[?#]/)[0];
  // Every segment counts: "org/../x" is not "org/.." plus a path, it is no repo id at all.
  const parts = s.split('/');
  while (parts.length && parts[parts.length - 1] === '') parts.pop(); // a trailing slash
  if (parts.length === 0) return null;
  // A Hub URL may go on past the repo (/tree/main/…, /blob/…, /resolve/…); a bare id may not.
  const head = parts.length > 2 && (m || ['tree', 'blob', 'resolve', 'raw'].includes(parts[2])) ? parts.slice(0, 2) : parts;
  if (parts.slice(head.length).some((p) => p === '.' || p === '..')) return null;
  const id = head.join('/');
  return isValidRepoId(id) ? id : null;
}

// What a Hub response may weigh. config.json files are 1–50 KB; an index lists one line per tensor
// (DeepSeek-V3's, ~92,000 tensors, is under 10 MB); safetensors caps a header at 100 MB itself, real
// ones stay under a few MB (a line per tensor, ~100 bytes each), so 25 MB leaves room for ~250,000
// tensors while refusing a bogus length long before it costs the user a download.
export const LIMITS = {
  config: 5_000_000,
  index: 32_000_000,
  header: 25_000_000,
  headers: 67_108_864, // all headers of a repo together: the engine's budget (safetensors.hpp kMaxSafetensorsTotalBytes)
  shards: 256,
  info: 32_000_000, // the model-info API answer (JSON, usually a few KB)
};
// Every request gives up after this long (connect and body), so a stalled Hub never hangs the page.
export const TIMEOUT_MS = 20_000;

/**
 * The per-request timeout: TIMEOUT_MS, or a shorter one set by a test through
 * globalThis.__vramcalcHubTimeoutMs (only ever shorter: a page cannot lengthen it).
 */
export function hubTimeoutMs() {
  const t = Number(globalThis.__vramcalcHubTimeoutMs);
  return Number.isFinite(t) && t > 0 ? Math.min(t, TIMEOUT_MS) : TIMEOUT_MS;
}

/**
 * The hosts a Hub request may reach: huggingface.co (our requests, with the token) and the Hub's
 * own CDN hosts its resolve URLs redirect to (cdn-lfs*.huggingface.co, cdn-lfs*.hf.co,
 * cas-bridge.xethub.hf.co), which @huggingface/hub re-requests directly (never with the token).
 * The page's Content-Security-Policy allows the same hosts (connect-src, vite.config.js).
 */
export function isHubHost(url) {
  const u = url instanceof URL ? url : new URL(String(url));
  if (u.protocol !== 'https:' || u.port || u.username || u.password) return false;
  const h = u.hostname;
  return h === 'huggingface.co' || h.endsWith('.huggingface.co') || h.endsWith('.hf.co');
}

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

export class HubLoadError extends Error {
  /**
   * kind: bad_id | gated | not_found | rate_limited | offline | network | timeout | too_large | no_config |
   * bad_index | http. vars: message values (too_large: {file, size, limit} as "6.0 MB" strings).
   */
  constructor(kind, status = 0, detail = '', vars = {}) {
    super(`${kind}${status ? ` (${status})` : ''}${detail ? `: ${detail}` : ''}`);
    this.kind = kind;
    this.status = status;
    this.detail = detail;
    this.vars = vars;
  }
}

/** The named error for a file over its limit (size in bytes, as announced or as read so far). */
export function tooLarge(file, size, limit) {
  return new HubLoadError('too_large', 0, `${file}: ${mb(size)}, more than ${mb(limit)}`, { file, size: mb(size), limit: mb(limit) });
}

const timedOut = (ms) => new HubLoadError('timeout', 0, '', { seconds: Math.round(ms / 100) / 10 });

/**
 * The response with a body that errors with too_large once more than `limit` bytes have arrived
 * (Content-Length can be absent, or count compressed bytes), or with timeout when the request's
 * timer fires mid-body. Either error is also kept in record.error: @huggingface/hub may wrap it.
 */
function capped(res, { file, limit, timeout, ms, record }) {
  if (!res.body) return res;
  const reader = res.body.getReader();
  let n = 0;
  let done = false;
  const fail = (ctrl, err) => {
    done = true;
    record.error = err;
    reader.cancel().catch(() => {});
    ctrl.error(err);
  };
  const body = new ReadableStream({
    start(ctrl) {
      timeout.addEventListener('abort', () => done || fail(ctrl, timedOut(ms)), { once: true });
    },
    async pull(ctrl) {
      let r;
      try {
        r = await reader.read();
      } catch (e) {
        if (!done) timeout.aborted ? fail(ctrl, timedOut(ms)) : ((done = true), ctrl.error(e));
        return;
      }
      if (done) return;
      if (r.done) {
        done = true;
        return ctrl.close();
      }
      n += r.value.byteLength;
      if (n > limit) return fail(ctrl, tooLarge(file, n, limit));
      ctrl.enqueue(r.value);
    },
    cancel(why) {
      done = true;
      return reader.cancel(why);
    },
  });
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  Object.defineProperty(out, 'url', { value: res.url }); // @huggingface/hub reads where redirects ended
  return out;
}

/**
 * fetch for @huggingface/hub: only Hub hosts (the token only to huggingface.co), a timeout on
 * every request (headers and body), bodies capped at `limit` bytes (by Content-Length before any
 * download, and while reading), and the Hub's X-Error-Code recorded for classify().
 */
function guardedFetch(record, { file = 'response', limit = LIMITS.info } = {}) {
  return async (url, init = {}) => {
    const u = new URL(url instanceof Request ? url.url : String(url));
    if (!isHubHost(u)) throw new HubLoadError('network', 0, `refused to contact ${u.host}: not a Hub host`);
    if (u.origin !== HUB_ORIGIN) {
      // The token must never leave for another host, not even the Hub's CDN: drop it.
      const headers = new Headers(init.headers);
      headers.delete('Authorization');
      init = { ...init, headers };
    }
    const ms = hubTimeoutMs();
    const timeout = AbortSignal.timeout(ms);
    const signal = init.signal && AbortSignal.any ? AbortSignal.any([init.signal, timeout]) : timeout;
    let res;
    try {
      res = await fetch(url, { ...init, signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
    } catch (e) {
      if (timeout.aborted) throw (record.error = timedOut(ms));
      const offline = globalThis.navigator?.onLine === false;
      throw new HubLoadError(offline ? 'offline' : 'network', 0, offline ? '' : String(e?.message ?? e));
    }
    if (!res.ok) record.code = res.headers.get('X-Error-Code') ?? '';
    const announced = Number(res.headers.get('Content-Length'));
    if (announced > limit) {
      res.body?.cancel().catch(() => {});
      throw (record.error = tooLarge(file, announced, limit));
    }
    return capped(res, { file, limit, timeout, ms, record });
  };
}


function classify(e, record) {
  if (record.error) return record.error; // too_large or timeout while a body was read
  if (e instanceof HubLoadError) return e;
  if (e?.name === 'TimeoutError') return timedOut(record.ms);
  const status = e?.statusCode ?? 0;
  const code = record.code ?? '';
  if (code === 'GatedRepo' || status === 403) return new HubLoadError('gated', status);
  if (code === 'RepoNotFound' || status === 404) return new HubLoadError('not_found', status);
  if (status === 401) return new HubLoadError('gated', status); // Hub answers 401 to private/gated repos without a token
  if (status === 429) return new HubLoadError('rate_limited', status);
  if (status) return new HubLoadError('http', status, String(e?.message ?? ''));
  return new HubLoadError('network', 0, String(e?.message ?? e));
}

/** Read a Hub blob's text with the size checked first (the blob's size is the file's, from the probe). */
async function readText(blob, file, limit, record) {
  if (blob.size > limit) throw tooLarge(file, blob.size, limit);
  try {
    return await blob.text();
  } catch (e) {
    throw classify(e, record);
  }
}

/**
 * Fetch config.json (required) and the Hub API safetensors summary (optional cross-check).
 * onStep(key) reports progress: hub.step.lib, hub.step.config, hub.step.info.
 * @returns {Promise<{id, configText, summary}>}
 */
export async function loadFromHub(id, { token, onStep = () => {} } = {}) {
  // Never build a request path from anything but a valid repo id (the token goes with it).
  if (!isValidRepoId(id)) throw new HubLoadError('bad_id');
  if (globalThis.navigator?.onLine === false) throw new HubLoadError('offline');
  onStep('hub.step.lib');
  let hubLib;
  try {
    hubLib = await import('@huggingface/hub');
  } catch (e) {
    throw new HubLoadError('network', 0, String(e?.message ?? e));
  }
  const creds = token ? { accessToken: token } : {};
  const record = { ms: hubTimeoutMs() };
  const fetchFor = (file, limit) => guardedFetch(record, { file, limit });
  onStep('hub.step.config');
  let blob;
  try {
    blob = await hubLib.downloadFile({ repo: { type: 'model', name: id }, path: 'config.json', xet: false, fetch: fetchFor('config.json', LIMITS.config), hubUrl: HUB_ORIGIN, ...creds });
  } catch (e) {
    throw classify(e, record);
  }
  if (!blob) throw new HubLoadError('no_config', 404);
  const configText = await readText(blob, 'config.json', LIMITS.config, record);
  onStep('hub.step.headers');
  let headers = null;
  let headersError = '';
  try {
    headers = await readSafetensorsHeaders(hubLib, id, { fetchFor, record, hubUrl: HUB_ORIGIN, ...creds });
  } catch (e) {
    headersError = classify(e, record).message; // exact stored bytes are a bonus: the config is enough
    record.error = null;
  }
  onStep('hub.step.info');
  let summary = null;
  try {
    const info = await hubLib.modelInfo({ name: id, additionalFields: ['safetensors'], fetch: fetchFor('model info', LIMITS.info), hubUrl: HUB_ORIGIN, ...creds });
    summary = info?.safetensors ?? null;
  } catch {
    summary = null; // the cross-check is optional
  }
  return { id, configText, summary, headers, headersError };
}

/** A shard name from an index's weight_map: a plain relative .safetensors path in the repo. */
const SHARD_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.\/-]{1,200}\.safetensors$/;

/**
 * The JSON header of every .safetensors file of the repo (model.safetensors, or the shards named by
 * model.safetensors.index.json), each read with two HTTP Range requests: the 8-byte little-endian
 * header length, then the header itself. The engine turns them into exact stored bytes.
 * opts: {fetchFor(file, limit), record, hubUrl, accessToken}
 * @returns {Promise<string[] | null>} null when the repo has no safetensors weights
 */
export async function readSafetensorsHeaders(hubLib, id, { fetchFor, record, ...opts }) {
  const repo = { type: 'model', name: id };
  const INDEX = 'model.safetensors.index.json';
  const index = await hubLib.downloadFile({ repo, path: INDEX, xet: false, fetch: fetchFor(INDEX, LIMITS.index), ...opts });
  let files = ['model.safetensors'];
  if (index) {
    let map;
    try {
      map = JSON.parse(await readText(index, INDEX, LIMITS.index, record)).weight_map;
    } catch (e) {
      throw e instanceof HubLoadError ? e : new HubLoadError('bad_index', 0, `${INDEX}: ${e?.message ?? e}`);
    }
    files = [...new Set(Object.values(map && typeof map === 'object' ? map : {}))];
    const bad = files.find((f) => typeof f !== 'string' || !SHARD_NAME.test(f));
    if (bad !== undefined) throw new HubLoadError('bad_index', 0, `${INDEX}: ${JSON.stringify(bad).slice(0, 80)} is not a .safetensors file name`);
  }
  if (files.length > LIMITS.shards) throw new HubLoadError('too_large', 0, `${INDEX}: ${files.length} shards, more than ${LIMITS.shards}`, { file: INDEX, size: `${files.length} shards`, limit: `${LIMITS.shards} shards` });
  let total = 0;
  const one = async (path) => {
    const blob = await hubLib.downloadFile({ repo, path, xet: false, fetch: fetchFor(path, 8 + LIMITS.header), ...opts });
    if (!blob) return null;
    if (blob.size < 8) throw new HubLoadError('bad_index', 0, `${path}: ${blob.size} bytes, shorter than a safetensors header`);
    const length = new DataView(await blob.slice(0, 8).arrayBuffer()).getBigUint64(0, true);
    if (length > BigInt(LIMITS.header)) throw tooLarge(`${path} header`, Number(length), LIMITS.header);
    // The budget across shards, counted before each header is downloaded.
    total += Number(length);
    if (total > LIMITS.headers) throw tooLarge('safetensors headers', total, LIMITS.headers);
    return readText(blob.slice(8, 8 + Number(length)), `${path} header`, LIMITS.header, record);
  };
  const out = [];
  for (let i = 0; i < files.length; i += 6) out.push(...(await Promise.all(files.slice(i, i + 6).map(one))));
  if (out.every((h) => h === null)) return null;
  if (out.some((h) => h === null)) throw new Error('a shard named in model.safetensors.index.json is missing');
  return out;
}
