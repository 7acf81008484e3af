// Shared e2e plumbing: vite preview on 127.0.0.1 + Debian Chromium via playwright-core
// (shared/toolchain.md §5b), a fresh profile per browser, every non-local request blocked.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function startPreview(port = 4173) {
  const server = spawn(process.execPath, [join(WEB_DIR, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: WEB_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 600; i++) { // up to 60 s: a loaded machine starts vite slowly
    try {
      if ((await fetch(url)).ok) return { url, stop: () => server.kill() };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error('vite preview did not start');
}

export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'vramcalc-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Lowest WCAG contrast ratio among visible elements matching `selector` that hold text directly,
 * against the first opaque background up their ancestors: {min, where}.
 */
export async function lowestContrast(page, selector) {
  return page.evaluate((sel) => {
    const lum = (c) => {
      const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const bgOf = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    let min = 99, where = '';
    for (const el of document.querySelectorAll(sel)) {
      if (!el.offsetParent || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const a = lum(getComputedStyle(el).color), b = lum(bgOf(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < min) (min = ratio), (where = el.outerHTML.slice(0, 60));
    }
    return { min, where };
  }, selector);
}

/**
 * The model.safetensors of Qwen/Qwen3-0.6B as the Hub serves it: its 8-byte length and JSON header
 * listing every tensor of Qwen3ForCausalLM (tied head, BF16), with `size` the whole file's length
 * (the data is never read: Range requests only). Oracle: transformers 4.57.6 builds 596,049,920
 * parameters (shared/reference/params.json), so `bytes` = 1,192,099,840.
 */
export function qwen3SmallSafetensors() {
  const [h, layers, heads, kv, d, ff, vocab] = [1024, 28, 16, 8, 128, 3072, 151936];
  const header = { __metadata__: { format: 'pt' } };
  let at = 0;
  const tensor = (name, shape) => {
    const n = shape.reduce((a, b) => a * b, 1) * 2;
    header[name] = { dtype: 'BF16', shape, data_offsets: [at, at + n] };
    at += n;
  };
  tensor('model.embed_tokens.weight', [vocab, h]);
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}.`;
    tensor(`${p}self_attn.q_proj.weight`, [heads * d, h]);
    tensor(`${p}self_attn.k_proj.weight`, [kv * d, h]);
    tensor(`${p}self_attn.v_proj.weight`, [kv * d, h]);
    tensor(`${p}self_attn.o_proj.weight`, [h, heads * d]);
    tensor(`${p}self_attn.q_norm.weight`, [d]);
    tensor(`${p}self_attn.k_norm.weight`, [d]);
    tensor(`${p}mlp.gate_proj.weight`, [ff, h]);
    tensor(`${p}mlp.up_proj.weight`, [ff, h]);
    tensor(`${p}mlp.down_proj.weight`, [h, ff]);
    tensor(`${p}input_layernorm.weight`, [h]);
    tensor(`${p}post_attention_layernorm.weight`, [h]);
  }
  tensor('model.norm.weight', [h]);
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return { head: Buffer.concat([len, json]), size: 8 + json.length + at, bytes: at };
}
