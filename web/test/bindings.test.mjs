// The WASM binding contract (notes/contract.md) as the page uses it: names, camelCase keys,
// units (integer bytes as Numbers), errors as {ok:false, error:{code, field, message}}.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, EN_MESSAGES, tabDefaults } from './engine.mjs';

let M;
before(async () => {
  M = await loadEngine();
});

const isCamel = (k) => /^[a-z][A-Za-z0-9]*$/.test(k);
function assertCamelKeys(v, path = '') {
  if (Array.isArray(v)) return v.forEach((x, i) => assertCamelKeys(x, `${path}[${i}]`));
  if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      assert.ok(isCamel(k), `key ${path}.${k} is camelCase`);
      assertCamelKeys(x, `${path}.${k}`);
    }
}
const isByteCount = (n) => Number.isSafeInteger(n) && n >= 0;

test('exports the contract functions that exist, and nothing throws on plain calls', () => {
  for (const name of ['version', 'catalogModels', 'catalogConfig', 'params']) assert.equal(typeof M[name], 'function', name);
  assert.match(M.version(), /^vramcalc \d+\.\d+\.\d+/);
});

test('catalog listing: ids, names, families, published parameter counts', () => {
  const list = M.catalogModels();
  assert.ok(Array.isArray(list) && list.length >= 20, `catalog has ${list.length} models`);
  assertCamelKeys(list);
  const ids = new Set();
  for (const m of list) {
    assert.deepEqual(Object.keys(m).sort(), ['family', 'id', 'name', 'publishedParams']);
    assert.match(m.id, /^[\w.-]+\/[\w.-]+$/);
    assert.ok(m.name && m.family);
    assert.ok(m.publishedParams === null || isByteCount(m.publishedParams));
    assert.ok(!ids.has(m.id), `duplicate ${m.id}`);
    ids.add(m.id);
  }
  assert.ok(ids.has('meta-llama/Llama-3.1-8B-Instruct'), 'the page default is in the catalog');
});

test('catalogConfig: the config.json text, or unknown_name', () => {
  const r = M.catalogConfig('meta-llama/Llama-3.1-8B-Instruct');
  assert.equal(r.ok, true);
  assert.equal(JSON.parse(r.value).model_type, 'llama');
  const bad = M.catalogConfig('nobody/nothing');
  assert.equal(bad.ok, false);
  assert.deepEqual(Object.keys(bad.error).sort(), ['code', 'field', 'message']);
  assert.equal(bad.error.code, 'unknown_name');
});

test('params: camelCase keys, integer counts and byte counts', () => {
  const r = M.params(M.catalogConfig('meta-llama/Llama-3.1-8B-Instruct').value);
  assert.equal(r.ok, true);
  const p = r.value;
  assertCamelKeys(p);
  // Oracle: transformers 4.57 counts 8,030,261,248 for Llama-3.1-8B (tests/data/reference_params.json).
  assert.equal(p.totalParams, 8030261248);
  for (const k of ['totalParams', 'activeParams']) assert.ok(isByteCount(p[k]), k);
  for (const k of ['totalBytes', 'largestLayerBytes']) assert.ok(isByteCount(p.hfCalculator[k]), `hfCalculator.${k}`);
  assert.equal(typeof p.hfCalculator.largestLayerName, 'string');
  assert.equal(typeof p.hfCalculator.className, 'string');
  assert.ok(Array.isArray(p.groups) && p.groups.every((g) => typeof g.name === 'string' && isByteCount(g.params)));
  assert.ok(Array.isArray(p.warnings));
  assert.equal(typeof p.approximate, 'boolean');
});

const badConfigs = [
  ['not JSON', '{oops', 'invalid_json', 'config.json'],
  ['empty', '', 'invalid_json', 'config.json'],
  ['missing vocab_size', '{"model_type":"llama","hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":128}', 'missing_field', 'vocab_size'],
  ['zero heads', '{"model_type":"llama","hidden_size":64,"num_hidden_layers":2,"num_attention_heads":0,"intermediate_size":128,"vocab_size":100}', null, 'num_attention_heads'],
  ['string where a number goes', '{"model_type":"llama","hidden_size":"big","num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":128,"vocab_size":100}', null, 'hidden_size'],
  ['an array', '[1,2,3]', null, null],
];
for (const [name, text, code, field] of badConfigs) {
  test(`params on a bad config (${name}) → {ok:false, error:{code, field, message}}`, () => {
    const r = M.params(text);
    assert.equal(r.ok, false);
    assert.deepEqual(Object.keys(r).sort(), ['error', 'ok']);
    assert.deepEqual(Object.keys(r.error).sort(), ['code', 'field', 'message']);
    assert.match(r.error.code, /^[a-z_]+$/);
    if (code) assert.equal(r.error.code, code);
    if (field) assert.equal(r.error.field, field);
    assert.ok(r.error.message.length > 10, 'the message says what is expected');
    // the module survives: a good call still works afterwards
    assert.equal(M.params(M.catalogConfig('openai-community/gpt2').value).ok, true);
  });
}

test('manualConfig(): the manual form fields become a config the engine counts', () => {
  const fields = { hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 128256, max_position_embeddings: 131072, head_dim: '', tie_word_embeddings: false };
  assert.deepEqual(Object.keys(fields).filter((k) => k !== 'tie_word_embeddings'), M.options().manualFields);
  const c = M.manualConfig(JSON.stringify(fields));
  assert.equal(c.ok, true, JSON.stringify(c.error));
  const r = M.params(c.value);
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.value.totalParams, 8030261248); // Llama-3.1-8B's dimensions → its count (transformers 4.57)
  const bad = M.manualConfig(JSON.stringify({ hidden_size: 64, rope_theta: 1 }));
  assert.equal(bad.ok, false);
  assert.equal(bad.error.field, 'manual');
});

test('options(): the option tables, the tabs, the default GPU, the manual fields and the limits', () => {
  const o = M.options();
  assertCamelKeys(o);
  assert.deepEqual(Object.keys(o).sort(), ['defaultGpu', 'inference', 'limits', 'manualFields', 'sources', 'tabs', 'train']);
  assert.deepEqual(o.sources, ['catalog', 'hub', 'paste', 'manual']);
  const types = ['uint', 'int', 'number', 'bool', 'choice', 'text', 'weight_format'];
  for (const mode of ['inference', 'train']) {
    assert.ok(Array.isArray(o[mode]) && o[mode].length >= 10, `options().${mode}`);
    const ids = new Set();
    for (const d of o[mode]) {
      const what = `${mode}.${d.id}`;
      assert.ok(isCamel(d.id) && !ids.has(d.id), what);
      ids.add(d.id);
      assert.ok(types.includes(d.type), `${what}: type ${d.type}`);
      assert.ok(d.label && typeof d.help === 'string' && d.help.length > 3, `${what}: label and help rendered`);
      assert.equal(typeof d.link, 'boolean', `${what}: link`);
      if (['uint', 'int', 'number'].includes(d.type)) {
        assert.ok(d.min <= d.default && d.default <= d.max && d.step > 0, `${what}: ${d.min} ≤ ${d.default} ≤ ${d.max}, step ${d.step}`);
        if (d.type !== 'number') assert.ok(Number.isInteger(d.min) && Number.isInteger(d.max) && d.step === 1, `${what}: whole numbers`);
      } else assert.ok(!('min' in d) && !('max' in d), `${what}: no range`);
      if (d.type === 'choice' || d.type === 'weight_format') assert.ok(d.choices.includes(d.default), `${what}: default ${d.default} is a choice`);
      if (d.type === 'bool') assert.equal(typeof d.default, 'boolean', what);
      if (d.shownWhen) {
        const on = o[mode].find((x) => x.id === d.shownWhen.option);
        assert.ok(on?.choices?.includes(d.shownWhen.value), `${what}: shown when ${JSON.stringify(d.shownWhen)}`);
      }
    }
  }
  assert.deepEqual(o.tabs.map((t) => t.id), ['inference', 'serving', 'finetune', 'training']);
  for (const t of o.tabs) {
    assert.ok(['inference', 'train'].includes(t.mode) && t.label, t.id);
    const table = o[t.mode];
    // every knob is an option of its mode; the defaults name every option, each one valid
    for (const k of t.knobs) assert.ok(table.some((d) => d.id === k), `tab ${t.id}: knob ${k}`);
    assert.deepEqual(Object.keys(t.defaults).sort(), table.map((d) => d.id).sort(), `tab ${t.id}: defaults`);
    for (const d of table) {
      const v = t.defaults[d.id];
      if (d.choices && d.type !== 'text') assert.ok(d.choices.includes(v), `tab ${t.id}: ${d.id}=${v}`);
      if ('min' in d) assert.ok(d.min <= v && v <= d.max, `tab ${t.id}: ${d.id}=${v}`);
    }
  }
  assert.equal(o.tabs.find((t) => t.id === 'serving').defaults.runtime, 'vllm', 'Serving starts on vLLM');
  assert.equal(o.tabs.find((t) => t.id === 'finetune').defaults.method, 'lora', 'Fine-tune starts on LoRA');
  assert.ok(M.gpus().some((g) => g.id === o.defaultGpu), `defaultGpu ${o.defaultGpu} is a GPU`);
  assert.ok(o.manualFields.includes('hidden_size') && o.manualFields.every((f) => /^[a-z_]+$/.test(f)), 'manual fields are config keys');
  for (const [k, v] of Object.entries(o.limits)) assert.ok(Number.isSafeInteger(v) && v > 0, `limits.${k}`);
});

test('gpus(): memory in integer bytes', () => {
  const list = M.gpus();
  assert.ok(list.length > 10);
  for (const x of list) {
    assertCamelKeys(x);
    assert.deepEqual(Object.keys(x).sort(), ['arch', 'bandwidthGbps', 'caps', 'computeCapability', 'id', 'memoryBytes', 'name', 'segment', 'usableBytes', 'vendor']);
    assert.ok(isByteCount(x.memoryBytes) && isByteCount(x.usableBytes) && x.usableBytes <= x.memoryBytes, x.id);
  }
});

test('inference(): a Report with items whose bytes are integers', () => {
  const r = M.inference(M.catalogConfig('meta-llama/Llama-3.1-8B-Instruct').value, tabDefaults(M, 'inference'));
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assertCamelKeys(r.value);
  assert.deepEqual(Object.keys(r.value).sort(), ['approximate', 'approximateReasons', 'cpuBytes', 'facts', 'gpus', 'items', 'peakPhase', 'phases', 'totalBytes', 'warnings']);
  assert.ok(isByteCount(r.value.totalBytes));
  for (const it of r.value.items) {
    assert.ok(isByteCount(it.bytes) && typeof it.explain === 'string', it.id);
    assert.equal(it.explain, it.result ? `${it.formula} = ${it.result}` : it.formula, `${it.id}: explain = "formula = result"`);
  }
});

test('an option error names the engine option id; its message spells the option the JS way', () => {
  const r = M.inference(M.catalogConfig('meta-llama/Llama-3.1-8B-Instruct').value, { kvDtype: 'nope' });
  assert.equal(r.ok, false);
  assert.equal(r.error.field, 'kv_dtype');
  assert.ok(r.error.message.includes('kvDtype') && !r.error.message.includes('kv_dtype'), r.error.message);
});

test('sweep(): context, batch and seq axes; a bad axis or range is a named error', () => {
  const cfg = M.catalogConfig('Qwen/Qwen3-0.6B').value;
  for (const [axis, tab, from, to] of [['context', 'inference', 512, 0], ['batch', 'inference', 1, 64], ['seq', 'training', 128, 0]]) {
    const r = M.sweep(cfg, axis, tabDefaults(M, tab), from, to, 8);
    assert.equal(r.ok, true, `${axis}: ${JSON.stringify(r.error)}`);
    assert.equal(r.value.x.length, 8);
    assert.equal(r.value.x[0], from);
    assert.ok(r.value.totalBytes.every(isByteCount) && r.value.totalBytes.at(-1) > r.value.totalBytes[0], axis);
  }
  for (const [axis, from, to, points] of [['width', 1, 8, 8], ['context', 0, 8, 8], ['context', 8, 4, 8], ['batch', 1, 8, 1]]) {
    const r = M.sweep(cfg, axis, {}, from, to, points);
    assert.equal(r.ok, false, `${axis} ${from}..${to} × ${points}`);
    assert.ok(r.error.message.length > 10, 'the message says what is expected');
  }
});

test('setMessages(): messages render from the catalog handed over, indexed in en.json order', () => {
  const ids = Object.keys(EN_MESSAGES);
  try {
    M.setMessages(ids.map((id) => `<${id}>`)); // every template is its own id
    const o = M.options();
    for (const d of [...o.inference, ...o.train]) assert.match(d.label, /^<option\.[a-z_]+\.label>$/, d.id);
    assert.equal(o.tabs.find((t) => t.id === 'serving').label, '<tab.serving>');
    const bad = M.catalogConfig('nobody/nothing');
    assert.ok(ids.includes(bad.error.message.slice(1, -1)), bad.error.message);
    M.setMessages([]);
    assert.equal(M.catalogConfig('nobody/nothing').error.message, '', 'no catalog: empty messages');
  } finally {
    M.setMessages(Object.values(EN_MESSAGES));
  }
  assert.equal(M.options().tabs[0].label, EN_MESSAGES['tab.inference']);
});
