// GGUF headers through the WebAssembly binding gguf() as the page will call it (growing Blob
// slices), against the native CLI on the same file (vramcalc gguf --gguf FILE --json, vramcalc
// inference --gguf FILE). Oracle: the same engine in two builds; the header is built here the way
// gguf-py's GGUFWriter lays it out (ggml docs/gguf.md), so its exact bytes are known.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine, CLI, hasCli, camelKeys } from './engine.mjs';

const run = promisify(execFile);

// A little-endian GGUF v3 writer: keys, then tensor infos with offsets padded to 32 bytes.
function gguf({ arch = 'llama', layers = 2, tied = false } = {}) {
  const parts = [];
  const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
  const str = (s) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  let nkv = 0, nt = 0, off = 0;
  const kv = [], ti = [];
  const key = (k, type, payload) => { kv.push(str(k), u32(type), payload); nkv++; };
  const tensor = (name, dims, type, block, bytes) => {
    const n = dims.reduce((a, b) => a * b, 1);
    ti.push(str(name), u32(dims.length), ...dims.map(u64), u32(type), u64(off));
    off += Math.ceil((n / block) * bytes / 32) * 32;
    nt++;
  };
  key('general.architecture', 8, str(arch));
  for (const [k, v] of [['block_count', layers], ['embedding_length', 256], ['feed_forward_length', 512], ['attention.head_count', 4],
    ['attention.head_count_kv', 2], ['context_length', 2048]]) key(`${arch}.${k}`, 4, u32(v));
  key('general.file_type', 4, u32(7));
  key('tokenizer.ggml.tokens', 9, Buffer.concat([u32(8), u64(300), ...Array.from({ length: 300 }, (_, i) => str(`tok${i}`))]));
  const q8 = (name, dims) => tensor(name, dims, 8, 32, 34);
  const f32 = (name, dims) => tensor(name, dims, 0, 1, 4);
  q8('token_embd.weight', [256, 300]);
  for (let i = 0; i < layers; i++) {
    const b = `blk.${i}.`;
    f32(`${b}attn_norm.weight`, [256]); q8(`${b}attn_q.weight`, [256, 256]); q8(`${b}attn_k.weight`, [256, 128]);
    q8(`${b}attn_v.weight`, [256, 128]); q8(`${b}attn_output.weight`, [256, 256]); f32(`${b}ffn_norm.weight`, [256]);
    q8(`${b}ffn_gate.weight`, [256, 512]); q8(`${b}ffn_up.weight`, [256, 512]); q8(`${b}ffn_down.weight`, [512, 256]);
  }
  f32('output_norm.weight', [256]);
  if (!tied) q8('output.weight', [256, 300]);
  parts.push(Buffer.from('GGUF'), u32(3), u64(nt), u64(nkv), ...kv, ...ti);
  const header = Buffer.concat(parts);
  // The file: header, padding to 32, then the data section (zeros).
  const data = Math.ceil(header.length / 32) * 32 + off;
  return { header, file: Buffer.concat([header, Buffer.alloc(data - header.length)]) };
}

let M, dir;
before(async () => {
  M = await loadEngine();
  dir = mkdtempSync(join(tmpdir(), 'vramcalc-gguf-'));
});

test('gguf(): a prefix asks for more bytes; growing slices reach the whole header', (t) => {
  if (typeof M.gguf !== 'function') return t.skip('gguf binding not in this build');
  const { header, file } = gguf();
  let have = 64, steps = 0, r;
  for (;;) {
    r = M.gguf(new Uint8Array(file.subarray(0, have)), ['tiny.gguf']);
    assert.equal(r.ok, true, JSON.stringify(r.error));
    if (r.value.needBytes === undefined) break;
    assert.ok(r.value.needBytes > have && r.value.needBytes <= header.length, `needBytes ${r.value.needBytes}`);
    have = Math.max(r.value.needBytes, 2 * have);
    steps++;
  }
  assert.ok(steps >= 1 && steps < 10);
  assert.equal(r.value.architecture, 'llama');
  assert.equal(r.value.tensors, 2 * 9 + 3);
  // Q8_0: 34 bytes per 32 elements; f32 norms.
  const q8 = (n) => (n / 32) * 34;
  const layer = 2 * 256 * 4 + q8(256 * 256) * 2 + q8(256 * 128) * 2 + q8(256 * 512) * 3;
  assert.deepEqual(r.value.layerBytes, [layer, layer]);
  assert.equal(r.value.inputBytes, q8(256 * 300));
  assert.equal(r.value.outputBytes, 256 * 4 + q8(256 * 300));
});

test('gguf() errors are named values, never an abort', (t) => {
  if (typeof M.gguf !== 'function') return t.skip('gguf binding not in this build');
  const bad = M.gguf(new Uint8Array(Buffer.from('GGML not a gguf')), ['x.gguf']);
  assert.equal(bad.ok, false);
  assert.match(bad.error.message, /x\.gguf: not a GGUF file/);
  assert.equal(M.gguf('text', []).ok, false);
  assert.equal(M.gguf([new Uint8Array(4), 'x'], []).ok, false);
  assert.equal(M.version().length > 0, true);  // still answering
});

for (const tied of [false, true]) {
  test(`gguf() and an inference from its config = native CLI --gguf (tied ${tied})`, { skip: !hasCli() && `no native CLI at ${CLI}` }, async (t) => {
    if (typeof M.gguf !== 'function') return t.skip('gguf binding not in this build');
    const { file } = gguf({ tied });
    const path = join(dir, `tiny-${tied}.gguf`);
    writeFileSync(path, file);
    const w = M.gguf(new Uint8Array(file), [`tiny-${tied}.gguf`]);
    assert.equal(w.ok, true, JSON.stringify(w.error));
    const { source, ...view } = JSON.parse((await run(CLI, ['gguf', '--gguf', path, '--json'])).stdout);
    assert.equal(source, path);
    assert.deepEqual(w.value, camelKeys(view));
    const iw = M.inference(w.value.config, { runtime: 'llama.cpp', ngl: 2, context: 1024 });
    assert.equal(iw.ok, true, JSON.stringify(iw.error));
    const { source: s2, ...n } = JSON.parse((await run(CLI, ['inference', '--gguf', path, '--runtime', 'llama.cpp', '--ngl', '2', '--context', '1024', '--json'])).stdout);
    assert.ok(s2);
    assert.deepEqual(iw.value, camelKeys(n));
  });
}
