// Oracle: the native CLI (`vramcalc params --config FILE --json`, built from the same engine).
// For every catalog config (engine/catalog/models, which holds each reference config of
// tests/data/reference_params.json) the WASM params() must give identical numbers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync } from 'node:fs';
import { loadEngine, CLI, REPO, hasCli, camelKeys } from './engine.mjs';

const run = promisify(execFile);
const MODELS = `${REPO}engine/catalog/models`;
const files = readdirSync(MODELS).filter((f) => f.endsWith('.json')).sort();
const reference = JSON.parse(readFileSync(`${REPO}tests/data/reference_params.json`, 'utf8'));

let M;
before(async () => {
  M = await loadEngine();
});

test('every reference config is among the compared files', () => {
  for (const r of reference) assert.ok(files.includes(r.config.replace(/^configs\//, '')), r.config);
});

for (const file of files) {
  test(`params() = native CLI: ${file}`, { skip: !hasCli() && `no native CLI at ${CLI}` }, async () => {
    const path = `${MODELS}/${file}`;
    const { stdout } = await run(CLI, ['params', '--config', path, '--json'], { maxBuffer: 16 << 20 });
    const n = JSON.parse(stdout);
    const r = M.params(readFileSync(path, 'utf8'));
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const w = r.value;
    assert.equal(w.modelType, n.model_type);
    assert.equal(w.totalParams, n.total_params);
    // The same view (view_params) in both: every field equal, keys in each one's case. The CLI's
    // JSON also names its source file and lists the tensors (the bindings do not).
    const { source, tensors, ...view } = n;
    assert.ok(source && Array.isArray(tensors), 'the CLI JSON names its source and lists tensors');
    assert.deepEqual(w, camelKeys(view));
  });
}
