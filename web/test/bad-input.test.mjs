// The bad-input corpus (tests/data/bad/cases.json) through the WebAssembly bindings, as the page
// calls them. Oracle: the same manifest tests/bad_input_test.cpp runs natively — every case gives
// the expected error (same code and field, message substring) or a sane result (finite,
// non-negative, `approximate` and the warning when the case says so), never an abort: after every
// case the module must still answer.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, REPO } from './engine.mjs';

const DIR = `${REPO}tests/data/bad/`;
const { cases } = JSON.parse(readFileSync(`${DIR}cases.json`, 'utf8'));
// See kAbsurdBytes in tests/bad_input_test.cpp.
const ABSURD = 2 ** 62;

let M;
before(async () => {
  M = await loadEngine();
});

// Files go in as bytes (a Uint8Array becomes a std::string byte for byte), so invalid UTF-8 reaches
// the engine exactly as natively.
const file = (name) => new Uint8Array(readFileSync(DIR + name));

function catalogConfig(id) {
  const r = M.catalogConfig(id);
  assert.equal(r.ok, true, `catalog model ${id}`);
  return r.value;
}

// Inputs too big or too deep to commit; tests/bad_input_test.cpp builds the same bytes.
function generate(g) {
  switch (g.name) {
    case 'open_brackets':
      return '['.repeat(g.depth);
    case 'nested_objects':
      return '{"a":'.repeat(g.depth) + '1' + '}'.repeat(g.depth);
    case 'padded_config': {
      const base = catalogConfig(g.base);
      const head = '{"_padding":"';
      const s = head + 'x'.repeat(g.bytes - head.length - 2 - (Buffer.byteLength(base) - 1)) + '",' + base.slice(1);
      assert.equal(Buffer.byteLength(s), g.bytes);
      return s;
    }
    case 'config_with_nested_field':
      return '{"_deep":' + '['.repeat(g.depth) + ']'.repeat(g.depth) + ',' + catalogConfig(g.base).slice(1);
    case 'flat_array': {
      const n = Math.floor((g.bytes - 1) / 2);
      return '[' + '0,'.repeat(n - 1) + '0]';
    }
    case 'padded_header': {
      const head = '{"__metadata__":{"p":"', tail = '"}}';
      return head + 'x'.repeat(g.bytes - head.length - tail.length) + tail;
    }
    default:
      throw new Error(`unknown generator ${g.name}`);
  }
}

function checkReport(v) {
  assert.ok(Number.isFinite(v.totalBytes) && v.totalBytes > 0 && v.totalBytes < ABSURD, `totalBytes ${v.totalBytes}`);
  assert.ok(Number.isFinite(v.cpuBytes) && v.cpuBytes >= 0 && v.cpuBytes < ABSURD, `cpuBytes ${v.cpuBytes}`);
  for (const i of v.items) {
    assert.ok(Number.isFinite(i.bytes) && i.bytes >= 0 && i.bytes < ABSURD, `item ${i.id}: ${i.bytes}`);
    assert.doesNotMatch(i.explain, /nan|inf/, `item ${i.id}: ${i.explain}`);
  }
  for (const f of v.facts) assert.ok(Number.isFinite(f.value), `fact ${f.id}: ${f.value}`);
  return { approximate: v.approximate, warnings: [...v.warnings, ...v.approximateReasons] };
}

/** The case's inputs, made before the clock starts (a 50 MB generator is not the engine's time). */
function inputs(c) {
  if (c.kind === 'gguf') return { parts: c.parts.map(file), names: c.parts };
  const config = c.config ? file(c.config) : c.kind !== 'safetensors' && c.generator ? generate(c.generator) : catalogConfig(c.model);
  const headers = c.kind === 'safetensors' ? [...(c.generator ? [generate(c.generator)] : []), ...(c.headers ?? []).map(file)] : [];
  return { config, headers };
}

function run(c, { config, headers, parts, names }) {
  if (c.kind === 'gguf') {
    const g = M.gguf(parts, names);
    if (!g.ok) return g;
    if (g.value.needBytes !== undefined) return { ok: true, value: { approximate: false, warnings: ['need_bytes'] } };
    const r = M.inference(g.value.config, { runtime: 'llama.cpp' });
    return r.ok ? { ok: true, value: checkReport(r.value) } : r;
  }
  if (c.kind === 'safetensors') {
    const r = M.safetensors(config, headers);
    if (!r.ok) return r;
    assert.ok(r.value.bytes >= 0 && r.value.bytes < ABSURD && r.value.logicalParams < ABSURD);
    return { ok: true, value: { approximate: false, warnings: r.value.notes } };
  }
  const mode = c.mode ?? 'inference';
  if (mode === 'params') {
    const r = M.params(config);
    return r.ok ? { ok: true, value: { approximate: r.value.approximate, warnings: r.value.warnings } } : r;
  }
  const opts = {};
  for (const [k, v] of Object.entries(c.options ?? {})) opts[k] = c.numeric?.includes(k) ? Number(v) : v;
  const r = mode === 'train' ? M.train(config, opts) : M.inference(config, opts);
  return r.ok ? { ok: true, value: checkReport(r.value) } : r;
}

test('the corpus has at least 60 cases with unique ids', () => {
  assert.ok(cases.length >= 60, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
});

for (const c of cases) {
  test(`bad input ${c.id}: ${c.description}`, () => {
    // A guard against hangs and runaway work, not a performance target (the benchmarks measure and
    // report those): CPU time, generous enough for a loaded 2-core machine.
    const input = inputs(c);
    const t0 = process.cpuUsage();
    const r = run(c, input);
    const { user, system } = process.cpuUsage(t0);
    assert.ok(user + system < 20e6, `${((user + system) / 1000).toFixed(0)} ms of CPU`);
    if (c.expect.error) {
      const e = c.expect.error;
      assert.equal(r.ok, false, `expected ${JSON.stringify(e)}, got a result`);
      assert.deepEqual([r.error.code, r.error.field], [e.code, e.field], r.error.message);
      assert.ok(r.error.message.includes(e.message), `"${r.error.message}" contains "${e.message}"`);
    } else {
      assert.equal(r.ok, true, JSON.stringify(r.error));
      const ok = c.expect.ok;
      if ('approximate' in ok) assert.equal(r.value.approximate, ok.approximate);
      if (ok.warning) assert.ok(r.value.warnings.some((w) => w.includes(ok.warning)), `warning "${ok.warning}" in ${JSON.stringify(r.value.warnings)}`);
    }
    // The module survived: it still answers a plain call.
    assert.equal(M.params(catalogConfig('Qwen/Qwen3-0.6B')).ok, true);
  });
}

// Binding-only hostility (no native counterpart): the headers argument of safetensors() is a JS
// value; before the fix a non-array or a non-string element threw out of the module.
test('safetensors(): headers that are not an array of texts are a named error, not a JS exception', () => {
  const config = catalogConfig('Qwen/Qwen3-0.6B');
  for (const headers of [null, undefined, 'x', 42, {}, [42], ['{}', null], [{}]]) {
    const r = M.safetensors(config, headers);
    assert.equal(r.ok, false, JSON.stringify(headers));
    assert.deepEqual([r.error.code, r.error.field], ['invalid_value', 'headers']);
  }
  assert.equal(M.params(config).ok, true);
});
