// The page's estimates equal the native CLI's, config by config (same engine, two builds).
// Oracle: build/native/tools/cli/vramcalc {hf-table, inference, train, fit} --config FILE --json.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync } from 'node:fs';
import { loadEngine, CLI, REPO, hasCli, camelKeys, tabDefaults } from './engine.mjs';

const run = promisify(execFile);
const MODELS = `${REPO}engine/catalog/models`;
const files = readdirSync(MODELS).filter((f) => f.endsWith('.json')).sort();
const cli = async (args) => JSON.parse((await run(CLI, args, { maxBuffer: 16 << 20 })).stdout);

let M;
before(async () => {
  M = await loadEngine();
});

// Both print view_report's fields (the CLI in snake_case, with the source file it read): the whole
// report must be equal, every item with its formula, result, source and phases, every fact.
function sameReport(w, n, what) {
  const { source, ...view } = n;
  assert.ok(source, `${what}: the CLI names its source`);
  assert.equal(w.totalBytes, n.total_bytes, `${what}: totalBytes`);
  assert.deepEqual(
    w.items.map((i) => [i.id, i.bytes, i.explain]),
    n.items.map((i) => [i.id, i.bytes, i.explain]),
    `${what}: items`,
  );
  assert.deepEqual(w, camelKeys(view), `${what}: the whole report`);
}


for (const file of files) {
  test(`hfTable / inference / train / fit = native CLI: ${file}`, { skip: !hasCli() && `no native CLI at ${CLI}` }, async (t) => {
    if (typeof M.inference !== 'function') return t.skip('estimate bindings not in this build');
    const path = `${MODELS}/${file}`;
    const text = readFileSync(path, 'utf8');
    const inference = tabDefaults(M, 'inference');
    const training = tabDefaults(M, 'training');

    const hw = M.hfTable(text);
    const hn = await cli(['hf-table', '--config', path, '--json']);
    assert.equal(hw.ok, true, JSON.stringify(hw.error));
    assert.deepEqual(
      hw.value.rows.map((r) => [r.dtype, r.largestLayerBytes, r.totalBytes, r.training?.peakBytes ?? null]),
      hn.rows.map((r) => [r.dtype, r.largest_layer_bytes, r.total_bytes, r.training?.peak_bytes ?? null]),
    );
    const { source, ...table } = hn;
    assert.deepEqual(hw.value, camelKeys(table), 'the whole HF table');
    for (const r of hw.value.rows) assert.ok(Number.isInteger(r.largestLayerBytes) && Number.isInteger(r.totalBytes), `${r.dtype}: integer bytes`);

    const iw = M.inference(text, inference);
    if (!iw.ok) {
      // the CLI must refuse the same config with exit code 2
      await assert.rejects(run(CLI, ['inference', '--config', path, '--json']), (e) => e.code === 2);
    } else sameReport(iw.value, await cli(['inference', '--config', path, '--json']), 'inference');

    const tw = M.train(text, { ...training, method: 'lora', loraRank: 32 });
    if (!tw.ok) await assert.rejects(run(CLI, ['train', '--config', path, '--method', 'lora', '--lora-rank', '32', '--json']), (e) => e.code === 2);
    else sameReport(tw.value, await cli(['train', '--config', path, '--method', 'lora', '--lora-rank', '32', '--json']), 'train lora');

    if (iw.ok) {
      const fw = M.fit(text, 'inference', inference, 'rtx-4090', 1);
      const fn = await cli(['fit', '--config', path, '--gpu', 'rtx-4090', '--json']);
      assert.equal(fw.ok, true, JSON.stringify(fw.error));
      assert.deepEqual(
        [fw.value.fits, fw.value.headroomBytes, fw.value.maxContext, fw.value.maxBatch, fw.value.minGpus, fw.value.bestWeights],
        [fn.fits, fn.headroom_bytes, fn.max_context, fn.max_batch, fn.min_gpus, fn.best_weights],
      );
      // The CLI's fit JSON is the report followed by view_fit's fields: all of those equal.
      const fields = Object.fromEntries(Object.keys(fw.value).map((k) => [k, camelKeys(fn)[k]]));
      assert.deepEqual(fw.value, fields, 'the whole fit');
    }
  });
}
