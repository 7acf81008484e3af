// Native and WebAssembly give identical estimates for random workloads, not only the defaults that
// estimate-parity.test.mjs compares. Oracle: the native CLI (`vramcalc inference|train --model ID
// … --json`, the same engine built by g++), as in native-parity.test.mjs. Workloads come from a
// fixed-seed splitmix64 stream (SEED below; a failure names the model and the flags, so it
// reproduces with the CLI directly). Every number must be identical: bytes, phases, facts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadEngine, CLI, hasCli } from './engine.mjs';

const run = promisify(execFile);
const SEED = 0x5eed0007badc0ffen; // the seed of tests/property_test.cpp (the streams differ: other draws)
const PAIRS = 240;

// splitmix64 over BigInt.
function rng(seed) {
  let s = seed;
  const M = (1n << 64n) - 1n;
  const next = () => {
    s = (s + 0x9e3779b97f4a7c15n) & M;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    return z ^ (z >> 31n);
  };
  const below = (n) => Number(next() % BigInt(n));
  return { below, pick: (a) => a[below(a.length)], chance: (p) => below(100) < p, pow2: (lo, hi) => 2 ** (lo + below(hi - lo + 1)) };
}

// One workload as camelCase binding options; booleans are CLI switches.
function inferenceOptions(r) {
  const runtime = r.pick(['transformers', 'transformers', 'vllm', 'llama.cpp']);
  const o = { runtime };
  o.dtype = r.pick(['auto', 'bf16', 'fp16', 'fp32', 'int8', 'nf4', 'fp8', 'gptq-4', 'awq-4', 'gguf:Q4_K_M', 'gguf:Q8_0']);
  o.kvDtype = runtime === 'llama.cpp' ? r.pick(['auto', 'fp16', 'q8_0', 'q4_0']) : r.pick(['auto', 'fp16', 'fp8']);
  o.batch = r.pow2(0, 6);
  o.context = r.pow2(8, 17);
  if (r.chance(30)) o.prompt = 1 + r.below(o.context);
  o.attn = r.pick(['eager', 'sdpa', 'flash']);
  if (runtime !== 'llama.cpp' && r.chance(30)) o.tp = r.pow2(1, 3);
  if (runtime === 'vllm') {
    o.gpuMemoryBytes = 80 * 2 ** 30;
    o.gpuUtil = r.pick([0.5, 0.9, 0.95]);
  }
  if (runtime === 'llama.cpp' && r.chance(40)) o.ngl = r.below(40);
  return o;
}

function trainOptions(r) {
  const o = { method: r.pick(['full', 'lora', 'lora', 'qlora']) };
  o.optimizer = r.pick(['adamw', 'adamw8bit', 'paged_adamw8bit', 'sgd', 'adafactor', 'lion']);
  o.precision = r.pick(['amp_bf16', 'mixed_bf16', 'bf16', 'fp32', 'amp_fp16']);
  o.batch = r.pow2(0, 4);
  o.seq = r.pow2(7, 13);
  o.checkpointing = r.pick(['none', 'selective', 'full']);
  o.attn = r.pick(['eager', 'sdpa', 'flash']);
  if (o.method !== 'full') {
    o.loraRank = r.pow2(2, 8);
    o.loraTargets = r.pick(['q_proj,v_proj', 'attention', 'all-linear']);
  }
  let mp = 1;
  if (r.chance(20)) mp *= o.tp = r.pow2(1, 2);
  if (r.chance(15)) mp *= o.pp = r.pow2(1, 2);
  o.gpus = mp * 2 ** r.below(4);
  if (r.chance(50)) o.zero = r.below(4);
  else if (r.chance(40)) o.fsdp = r.pick(['full_shard', 'shard_grad_op']);
  if ((o.zero > 0 || o.fsdp) && r.chance(30)) o.offloadOptimizer = 'cpu';
  if ((o.zero === 3 || o.fsdp === 'full_shard') && r.chance(30)) o.offloadParams = 'cpu';
  if (r.chance(20)) o.dropout = true;
  if (o.loraRank && r.chance(20)) o.dora = true;
  return o;
}

const kebab = (k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
function flags(opts) {
  const out = [];
  for (const [k, v] of Object.entries(opts)) {
    if (v === true) out.push(`--${kebab(k)}`);
    else out.push(`--${kebab(k)}`, String(v));
  }
  return out;
}

let M;
let models;
before(async () => {
  M = await loadEngine();
  models = M.catalogModels().map((m) => m.id);
});

test(`${PAIRS} random (model, workload) pairs: WASM = native CLI`, { skip: !hasCli() && `no native CLI at ${CLI}` }, async () => {
  const r = rng(SEED);
  const jobs = [];
  for (let i = 0; i < PAIRS; i++) {
    const model = r.pick(models);
    const mode = i % 2 ? 'train' : 'inference';
    const opts = mode === 'train' ? trainOptions(r) : inferenceOptions(r);
    jobs.push({ model, mode, opts });
  }
  let compared = 0, refused = 0;
  // Four CLI processes at a time.
  for (let i = 0; i < jobs.length; i += 4) {
    await Promise.all(jobs.slice(i, i + 4).map(async ({ model, mode, opts }) => {
      const args = [mode, '--model', model, ...flags(opts), '--json'];
      const what = `vramcalc ${args.join(' ')}`;
      const config = M.catalogConfig(model).value;
      const w = mode === 'train' ? M.train(config, opts) : M.inference(config, opts);
      let n;
      try {
        n = JSON.parse((await run(CLI, args, { maxBuffer: 16 << 20 })).stdout);
      } catch (e) {
        assert.equal(e.code, 2, `${what}: exit ${e.code} ${e.stderr}`);
        assert.equal(w.ok, false, `${what}: native refused (${e.stderr.trim()}), WASM did not`);
        refused++;
        return;
      }
      assert.equal(w.ok, true, `${what}: WASM refused: ${JSON.stringify(w.error)}`);
      const v = w.value;
      assert.deepEqual(
        [v.totalBytes, v.peakPhase, v.cpuBytes, v.phases, v.approximate, v.warnings, v.approximateReasons],
        [n.total_bytes, n.peak_phase, n.cpu_bytes, n.phases, n.approximate, n.warnings, n.approximate_reasons],
        what,
      );
      assert.deepEqual(
        v.items.map((x) => [x.id, x.bytes, x.explain, x.source, x.phases, x.approximate, x.cpu]),
        n.items.map((x) => [x.id, x.bytes, x.explain, x.source, x.phases, x.approximate, x.cpu]),
        `${what}: items`,
      );
      assert.deepEqual(v.facts.map((f) => [f.id, f.value, f.explain]), n.facts.map((f) => [f.id, f.value, f.explain]), `${what}: facts`);
      for (const x of v.items) assert.ok(Number.isSafeInteger(x.bytes) && x.bytes >= 0, `${what}: ${x.id} ${x.bytes}`);
      compared++;
    }));
  }
  assert.ok(compared >= PAIRS * 0.8, `${compared} compared, ${refused} refused`);
});

// Hostile configs (issue 17): catalog configs with one or two numeric fields (nested ones included)
// set to values at and past the engine's limits. Native and WebAssembly must agree on each: the
// same error code and field, or identical items, every one below 2^62 bytes.
const HOSTILE_VALUES = [2 ** 16, 2 ** 20, 2 ** 31, 2 ** 32, 2 ** 40, 1e12, 2 ** 53];
const HOSTILE_CONFIGS = 80;

function numericPaths(obj, prefix = []) {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) out.push([...prefix, k]);
    else if (v && typeof v === 'object' && !Array.isArray(v) && prefix.length < 2) out.push(...numericPaths(v, [...prefix, k]));
  }
  return out;
}

test(`${HOSTILE_CONFIGS} hostile configs: WASM = native CLI, items < 2^62`, { skip: !hasCli() && `no native CLI at ${CLI}` }, async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'vramcalc-hostile-'));
  const r = rng(SEED ^ 0x17n);
  let agreed = 0;
  try {
    for (let i = 0; i < HOSTILE_CONFIGS; i++) {
      const model = r.pick(models);
      const cfg = JSON.parse(M.catalogConfig(model).value);
      const paths = numericPaths(cfg);
      const changed = [];
      for (let n = 0; n < 1 + r.below(2) && paths.length; n++) {
        const p = r.pick(paths);
        const v = r.pick(HOSTILE_VALUES);
        let o = cfg;
        for (const k of p.slice(0, -1)) o = o[k];
        o[p[p.length - 1]] = v;
        changed.push(`${p.join('.')}=${v}`);
      }
      const text = JSON.stringify(cfg);
      const file = join(dir, `c${i}.json`);
      writeFileSync(file, text);
      const what = `${model} with ${changed.join(', ')}`;
      const w = M.inference(text, {});
      let n = null, err = '';
      try {
        n = JSON.parse((await run(CLI, ['inference', '--config', file, '--json'], { maxBuffer: 16 << 20 })).stdout);
      } catch (e) {
        assert.equal(e.code, 2, `${what}: exit ${e.code} ${e.stderr}`);
        err = e.stderr;
      }
      if (!n) {
        assert.equal(w.ok, false, `${what}: native refused (${err.trim()}), WASM did not`);
        assert.ok(w.error.field && err.includes(w.error.field.split('.').pop()), `${what}: WASM field ${w.error.field}, native: ${err.trim()}`);
      } else {
        assert.equal(w.ok, true, `${what}: WASM refused: ${JSON.stringify(w.error)}`);
        assert.equal(w.value.totalBytes, n.total_bytes, what);
        assert.deepEqual(w.value.items.map((x) => [x.id, x.bytes]), n.items.map((x) => [x.id, x.bytes]), what);
        for (const x of w.value.items) assert.ok(x.bytes >= 0 && x.bytes < 2 ** 62, `${what}: ${x.id} ${x.bytes}`);
      }
      agreed++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(agreed, HOSTILE_CONFIGS);
});
