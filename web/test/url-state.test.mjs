// decodeUrlState: the engine's reading of a shared link equals the browser's URLSearchParams (the
// oracle, Node's own WHATWG implementation) on generated fragments, and hostile links only lose
// their bad parts, each named, never throwing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './engine.mjs';

let M;
before(async () => {
  M = await loadEngine();
});

// Deterministic generator (mulberry32), so a failure names a reproducible fragment.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const PIECES = ['%', '+', '&', '=', '%2', '%zz', '%41', '%2B', '%26', '%3D', '%25', '%C3%A9', '%E4%B8%AD', '%F0%9F%98%80', '%C3', '%FF',
  '%ED%A0%80', 'é', '中', '😀', ' ', 'a', 'Z', '0', '.', '-', '_', ',', 'q_proj', 'training', '.loraTargets', 'tr%61ining', '%2EloraTargets',
  'units', 'lang', 'tab', 'GB', 'zh-CN', 'serving', '#'];

function fragment(r) {
  const n = 1 + Math.floor(r() * 12);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

// Node 20's URLSearchParams mis-decodes a '%' followed by a raw non-ASCII character when a percent
// sequence follows ("a=%é😀%41" → "%\uFFFD=\u0000A"; Chromium gives "%é😀A"). The standard parses
// the UTF-8 bytes of the input, and hex digits are ASCII, so percent-encoding the non-ASCII
// characters first is the same parse, and one Node gets right.
const asciiOnly = (s) => s.replace(/[^\x00-\x7f]+/gu, (c) => encodeURIComponent(c));

// What the page would see, from URLSearchParams: U+FFFD marks bytes that were not UTF-8 (the
// generator writes no literal U+FFFD), which the engine drops with an ignored entry instead.
function expected(frag) {
  const q = new URLSearchParams(asciiOnly(frag.replace(/^[#?]/, '')));
  const bad = (s) => s.includes('\uFFFD');
  const firstAny = (name) => {
    for (const [k, v] of q) if (k === name) return v;
    return undefined;
  };
  let lora;
  for (const [k, v] of q) if (k === 'training.loraTargets' && !bad(v) && v !== '' && new TextEncoder().encode(v).length <= 256) lora = v;
  const short = (name) => {
    const v = firstAny(name);
    return v !== undefined && /^[A-Za-z-]{1,16}$/.test(v) ? v : '';
  };
  return { lora, units: short('units'), lang: short('lang'), tab: ['inference', 'serving', 'finetune', 'training'].includes(firstAny('tab')) ? firstAny('tab') : '' };
}

test('decoding equals URLSearchParams on 600 generated fragments', () => {
  const r = rng(7);
  let withLora = 0;
  for (let i = 0; i < 600; i++) {
    // Half of them carry a lora-targets knob with a random value: an option that passes text through.
    const frag = (r() < 0.5 ? 'training.loraTargets=' : '') + fragment(r);
    const res = M.decodeUrlState(frag);
    assert.equal(res.ok, true, frag);
    const v = res.value;
    const e = expected(frag);
    const lora = v.knobs.find((k) => k.tab === 'training' && k.key === 'loraTargets');
    assert.equal(lora?.value, e.lora, `loraTargets of ${JSON.stringify(frag)}`);
    if (lora) withLora++;
    assert.equal(v.units, e.units, `units of ${JSON.stringify(frag)}`);
    assert.equal(v.lang, e.lang, `lang of ${JSON.stringify(frag)}`);
    assert.equal(v.tab, e.tab, `tab of ${JSON.stringify(frag)}`);
    for (const x of v.ignored) assert.ok(x.field && x.message.includes(x.field), JSON.stringify(x));
  }
  assert.ok(withLora > 100, `${withLora} fragments kept a loraTargets value`);
});

test('a value of every byte, percent-encoded, comes back as URLSearchParams reads it', () => {
  for (let b = 0; b < 256; b++) {
    const enc = `%${b.toString(16).padStart(2, '0')}`;
    const frag = `training.loraTargets=x${enc}y`;
    const got = M.decodeUrlState(frag).value;
    const want = new URLSearchParams(frag).get('training.loraTargets');
    if (want.includes('\uFFFD')) assert.deepEqual(got.ignored.map((x) => x.field), ['training.loraTargets'], frag);
    else assert.equal(got.knobs[0]?.value, want, frag);
  }
});

test('links the page writes decode to the state they came from', () => {
  const q = new URLSearchParams();
  q.set('manual', JSON.stringify({ hidden_size: 4096, num_hidden_layers: '16', tie_word_embeddings: true }));
  q.set('tab', 'finetune');
  q.set('finetune.loraTargets', 'q_proj,k_proj,v_proj');
  q.set('finetune.dora', 'true');
  q.set('units', 'GB');
  q.set('lang', 'zh-CN');
  const { value: v } = M.decodeUrlState(`#${q}`);
  assert.deepEqual(v.ignored, []);
  assert.equal(v.source, 'manual');
  assert.deepEqual(JSON.parse(v.manual), { hidden_size: 4096, num_hidden_layers: '16', tie_word_embeddings: true });
  assert.deepEqual(v.knobs, [
    { tab: 'finetune', key: 'loraTargets', value: 'q_proj,k_proj,v_proj' },
    { tab: 'finetune', key: 'dora', value: 'true' },
  ]);
  const text = '{"model_type": "llama", "name": "中文 ✓"}';
  const b64 = Buffer.from(text).toString('base64url');
  assert.equal(M.decodeUrlState(`config=${b64}`).value.config, text);
});

test('hostile links: ignored entries naming each parameter, never a throw', () => {
  const v = M.decodeUrlState('#tab=nope&inference.context=abc&gpus=-1&config=%%%&model=x/y').value;
  assert.deepEqual(v.ignored.map((x) => x.field).sort(), ['config', 'gpus', 'inference.context', 'model', 'tab']);
  const hostile = [
    'manual=%7B%22__proto__%22%3A%7B%22x%22%3A1%7D%7D',
    'manual=' + '%5B'.repeat(5000),
    'hub=..%2F..%2Fetc&hub=a',
    'gpu=%00&units=%0A&lang=%3Cimg%3E',
    'training.loraTargets=' + 'x'.repeat(3000),
    'inference.context=1e999&inference.gpuUtil=NaN&inference.batch=99999999999999999999999',
    'config=' + 'A'.repeat(20000),
    '%'.repeat(60000),
    '&'.repeat(60000),
    'tab=' + '\uD83D\uDE00'.repeat(100),
  ];
  for (const h of hostile) {
    const r = M.decodeUrlState(h);
    assert.equal(r.ok, true, h.slice(0, 60));
    for (const x of r.value.ignored) assert.ok(typeof x.field === 'string' && x.field.length > 0);
  }
  const big = M.decodeUrlState('a=' + 'b'.repeat(70000));
  assert.equal(big.ok, false);
  assert.equal(big.error.field, 'fragment');
  // The module is still alive after all of that.
  assert.equal(M.decodeUrlState('tab=training').value.tab, 'training');
});
