// Browser tests of the embeddable widget (real Chromium over dist/, build first: npx vite build).
// Oracle for numbers: the native CLI (`vramcalc inference|train … --json`), spawned; where the CLI
// has no such subcommand yet, the same engine's WASM build called from node (test/engine.mjs).
// A small static server plays the blog and a CDN: dist/ at / and again at /cdn/x/.
// Run alone (`node e2e/widget.mjs`, closing line "N passed, N failed") or from e2e/run.mjs.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launch, WEB_DIR } from './lib.mjs';

const DIST = join(WEB_DIR, 'dist');
const ART = join(WEB_DIR, 'e2e-artifacts');
const CLI = process.env.VRAMCALC_CLI ?? join(WEB_DIR, '../build/native/tools/cli/vramcalc');
const TOKEN = 'hf_widgetSecretToken0123456789';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' };

/** Host pages the tests load, by path. */
const HOST_PAGES = {
  '/blog/classic.html': `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>classic</title>
<p>A post on another path, the widget from a "CDN" path.</p>
<vramcalc-widget id="w" model="meta-llama/Llama-3.1-8B" mode="inference" dtype="int4" context="8192" lang="en"></vramcalc-widget>
<script src="/cdn/x/widget/vramcalc-widget.js"></script>`,
  '/blog/module.html': `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>module</title>
<script type="module" src="/cdn/x/widget/vramcalc-widget.mjs"></script>
<vramcalc-widget id="w" model="meta-llama/Llama-3.1-8B" mode="inference" dtype="int4" context="8192" lang="en" compact></vramcalc-widget>`,
  '/blog/override.html': `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>override</title>
<vramcalc-widget id="w" wasm-url="/elsewhere/engine.wasm" model="meta-llama/Llama-3.1-8B" dtype="int4" context="8192"></vramcalc-widget>
<script src="/cdn/x/widget/vramcalc-widget.js"></script>`,
  '/blog/head.html': `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>head</title>
<script src="/cdn/x/widget/vramcalc-widget.js"></script>
<vramcalc-widget id="w" mode="inference" dtype="bf16" context="16384" batch="4" units="GB"><script type="application/json">${'{'}"model_type":"llama","architectures":["LlamaForCausalLM"],"hidden_size":2048,"intermediate_size":5632,"num_hidden_layers":22,"num_attention_heads":32,"num_key_value_heads":4,"vocab_size":32000,"max_position_embeddings":16384,"tie_word_embeddings":false,"torch_dtype":"bfloat16"}</script></vramcalc-widget>`,
  '/blog/bad.html': `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bad</title>
<vramcalc-widget id="w" model="x/y" mode="inference" context="abc" batch="-1" gpus="0" lang="en" compact></vramcalc-widget>
<script src="/cdn/x/widget/vramcalc-widget.js"></script>`,
  // A blog's stylesheet at its worst (a file: the demo post's CSP allows no injected inline CSS).
  '/blog/aggressive.css': '* { all: unset } table { display: none } div { color: red !important } p { font-size: 40px !important }',
  '/blog/iframe.html': `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>iframe</title>
<iframe id="f" src="/index.html?embed=1#model=meta-llama%2FLlama-3.1-8B&tab=inference&inference.dtype=int4&inference.context=8192&units=GiB&lang=en" style="width:100%;height:900px;border:0"></iframe>`,
};

function serve(port) {
  const snippets = new Map(); // path → html, added by tests
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const page = HOST_PAGES[path] ?? snippets.get(path);
    if (page) return res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? TYPES['.html'] }).end(page);
    let rel = path.startsWith('/cdn/x/') ? path.slice(6) : path;
    if (rel === '/elsewhere/engine.wasm') rel = '/widget/vramcalc.wasm';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(DIST, rel));
    if (!file.startsWith(DIST) || !existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${port}`, snippets, stop: () => server.close() })));
}

// ---- oracle: the native CLI on the same model and knobs ----
async function oracle(kind, { model, config, ...flags }) {
  const args = [kind, ...(model ? ['--model', model] : ['--config', config])];
  for (const [k, v] of Object.entries(flags)) args.push(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v));
  if (!existsSync(CLI)) throw new Error(`the native CLI (${CLI}) is the oracle: build it first (tools/build.sh)`);
  const j = JSON.parse(execFileSync(CLI, [...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  return { via: 'cli', total: j.total_bytes, items: Object.fromEntries(j.items.map((i) => [i.id, i.bytes])) };
}

const CUSTOM_CONFIG = {
  model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 22,
  num_attention_heads: 32, num_key_value_heads: 4, vocab_size: 32000, max_position_embeddings: 16384, tie_word_embeddings: false, torch_dtype: 'bfloat16',
};

export async function runWidgetTests({ port = 4190 } = {}) {
  let passed = 0;
  let failed = 0;
  const check = async (name, fn) => {
    try {
      await fn();
      passed++;
      console.log(`ok - widget: ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - widget: ${name}\n  ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n  ')}`);
    }
  };
  const assert = (c, m) => {
    if (!c) throw new Error(m);
  };
  const eq = (a, b, m) => assert(a === b, `${m}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
  mkdirSync(ART, { recursive: true });
  if (!existsSync(join(DIST, 'widget/vramcalc-widget.js')) || !existsSync(join(DIST, 'demo/post.html'))) {
    console.log('not ok - widget: dist/widget or dist/demo missing (run npx vite build)');
    return { passed, failed: failed + 1 };
  }

  const tmp = mkdtempSync(join(tmpdir(), 'vramcalc-widget-'));
  const customPath = join(tmp, 'config.json');
  writeFileSync(customPath, JSON.stringify(CUSTOM_CONFIG));
  const presets = {
    'w-llama': ['inference', { model: 'meta-llama/Llama-3.1-8B', dtype: 'int4', context: 8192 }],
    'w-qwen': ['train', { model: 'Qwen/Qwen2.5-7B', method: 'lora', loraRank: 16, seq: 2048 }],
    'w-custom': ['inference', { config: customPath, dtype: 'bf16', context: 16384, batch: 4 }],
  };

  const srv = await serve(port);
  const browser = await launch({ locale: 'en-US' });
  const { ctx } = browser;
  const problems = [];
  const newPage = async ({ countEngine = true } = {}) => {
    const page = await ctx.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    if (countEngine)
      await page.addInitScript(() => {
        // Count engine instantiations on this page (Emscripten uses instantiateStreaming, or instantiate as fallback).
        window.__wasmInstances = 0;
        for (const fn of ['instantiateStreaming', 'instantiate']) {
          const orig = WebAssembly[fn];
          WebAssembly[fn] = function (...a) {
            window.__wasmInstances++;
            return orig.apply(this, a);
          };
        }
      });
    const wasm = [];
    page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(new URL(r.url()).pathname));
    return { page, wasm };
  };
  const ready = (page, sel) => page.locator(`${sel} [data-testid=widget-total]`).waitFor({ timeout: 15000 });
  const totalOf = async (page, sel) => Number(await page.locator(`${sel} [data-testid=widget-total]`).getAttribute('data-bytes'));

  try {
    const { page, wasm } = await newPage();
    await page.setViewportSize({ width: 1100, height: 1400 });
    await page.goto(`${srv.url}/demo/post.html`);
    for (const id of Object.keys(presets)) await ready(page, `#${id}`);

    for (const [id, [kind, flags]] of Object.entries(presets)) {
      await check(`demo post #${id} equals the engine (${kind} ${JSON.stringify({ ...flags, config: flags.config ? 'inline' : undefined })})`, async () => {
        const want = await oracle(kind, flags);
        eq(await totalOf(page, `#${id}`), want.total, `total bytes (oracle: ${want.via})`);
        const shown = await page.locator(`#${id} .stacked-bar li[data-item]`).evaluateAll((lis) => Object.fromEntries(lis.map((li) => [li.dataset.item, Number(li.querySelector('[data-bytes]').dataset.bytes)])));
        for (const [item, bytes] of Object.entries(shown)) eq(bytes, want.items[item], `item ${item}`);
        assert(Object.keys(shown).length >= 2, 'the breakdown lists the items');
      });
    }
    await check('presets: zh-CN text, units, compact vs full layout', async () => {
      assert((await page.locator('#w-llama [data-testid=widget-meta]').textContent()).includes('推理'), 'zh-CN mode label');
      assert((await page.locator('#w-llama [data-testid=widget-total]').textContent()).trim().endsWith('GiB'), 'GiB');
      assert((await page.locator('#w-custom [data-testid=widget-total]').textContent()).trim().endsWith('GB'), 'GB');
      eq(await page.locator('#w-llama [data-testid=knobs]').count(), 0, 'compact: no knobs');
      eq(await page.locator('#w-qwen [data-testid=knobs]').count(), 1, 'full: knobs');
      eq(await page.locator('#w-qwen [data-testid=widget-items]').count(), 1, 'full: breakdown table');
      eq(await page.locator('#w-qwen [data-testid=knob-finetune-method]').inputValue(), 'lora', 'method knob');
    });
    await check('compact first: verdict, total and the top items in ≤ 400 px; the rest expands', async () => {
      for (const id of Object.keys(presets)) {
        const h = await page.locator(`#${id} [data-testid=widget]`).evaluate((e) => e.getBoundingClientRect().height);
        assert(h <= 400, `#${id} is ${Math.round(h)} px tall`);
        eq(await page.locator(`#${id} [data-testid=widget-verdict]`).count(), 1, `#${id}: a verdict`);
        const n = await page.locator(`#${id} .stacked-bar .legend li`).count();
        assert(n >= 2 && n <= 4, `#${id}: the top items (${n})`);
      }
      assert(!(await page.locator('#w-qwen [data-testid=knob-finetune-loraRank]').isVisible()), 'knobs folded away');
      await page.locator('#w-qwen [data-testid=widget-more] > summary').click();
      assert(await page.locator('#w-qwen [data-testid=knob-finetune-loraRank]').isVisible(), 'knobs after expanding');
      assert(await page.locator('#w-qwen [data-testid=widget-items]').isVisible(), 'every item after expanding');
    });
    await check('full layout is live: changing the LoRA rank recomputes (engine = oracle)', async () => {
      await page.locator('#w-qwen [data-testid=knob-finetune-loraRank]').fill('64');
      const want = await oracle('train', { ...presets['w-qwen'][1], loraRank: 64 });
      await page.waitForFunction(([sel, v]) => document.querySelector(sel)?.shadowRoot?.querySelector('[data-testid=widget-total]')?.dataset.bytes === String(v), ['#w-qwen', want.total], { timeout: 5000 });
      await page.locator('#w-qwen [data-testid=knob-finetune-loraRank]').fill('16');
    });
    await check('three widgets, one engine: one instantiation, one .wasm request', async () => {
      eq(await page.evaluate(() => window.__wasmInstances), 1, 'WebAssembly instantiations');
      eq(wasm.length, 1, `.wasm requests (${wasm.join(', ')})`);
      eq(wasm[0], '/widget/vramcalc.wasm', 'found beside the script');
    });
    await check('the widget leaves the blog alone: no style in the document, the post keeps its fonts', async () => {
      eq(await page.evaluate(() => document.querySelectorAll('style, link[rel=stylesheet]').length), 1, 'the post has only its own <style>');
      const font = await page.locator('article > p').first().evaluate((p) => getComputedStyle(p).fontFamily);
      assert(font.startsWith('Georgia'), `post font ${font}`);
    });
    await shot(page, 'widget-post');
    await check("the blog's aggressive CSS does not reach into the widget", async () => {
      const sel = '#w-qwen';
      const probe = () =>
        page.evaluate((s) => {
          const root = document.querySelector(s).shadowRoot;
          const vc = root.querySelector('.vc');
          const table = root.querySelector('table');
          const bar = root.querySelector('.stacked-bar .bar');
          return {
            color: getComputedStyle(vc).color,
            font: getComputedStyle(vc).fontFamily,
            table: getComputedStyle(table).display,
            barH: Math.round(bar.getBoundingClientRect().height),
            divColors: [...root.querySelectorAll('div')].map((d) => getComputedStyle(d).color).filter((c) => c === 'rgb(255, 0, 0)').length,
          };
        }, sel);
      const before = await probe();
      await page.addStyleTag({ url: '/blog/aggressive.css' });
      const after = await probe();
      eq(after.table, 'table', 'table display');
      eq(after.divColors, 0, 'red divs inside the widget');
      eq(after.color, before.color, 'text colour');
      eq(after.font, before.font, 'font');
      eq(after.barH, before.barH, 'bar height');
      assert(after.barH >= 10, 'bar visible');
      eq(await totalOf(page, sel), (await oracle('train', presets['w-qwen'][1])).total, 'numbers unchanged');
      await shot(page, 'widget-post-hostile-css');
    });
    await page.close();

    await check('fits a 360 px column (no horizontal overflow), light and dark', async () => {
      const { page: p } = await newPage();
      await p.setViewportSize({ width: 360, height: 800 });
      for (const scheme of ['light', 'dark']) {
        await p.emulateMedia({ colorScheme: scheme });
        await p.goto(`${srv.url}/demo/post.html`);
        for (const id of Object.keys(presets)) await ready(p, `#${id}`);
        const r = await p.evaluate(() =>
          [...document.querySelectorAll('vramcalc-widget')].map((w) => {
            const vc = w.shadowRoot.querySelector('.vc');
            const b = vc.getBoundingClientRect();
            return { right: b.right, over: vc.scrollWidth - vc.clientWidth, bg: getComputedStyle(vc).backgroundColor };
          }),
        );
        for (const w of r) {
          assert(w.right <= 360, `widget right edge ${w.right} > 360`);
          assert(w.over <= 0, `horizontal overflow ${w.over}px`);
        }
        const dark = r[0].bg !== 'rgb(246, 247, 249)';
        eq(dark, scheme === 'dark', `${scheme}: widget background ${r[0].bg}`);
        await shot(p, `widget-360-${scheme}`);
      }
      // theme attribute wins over the media query
      await p.evaluate(() => document.querySelector('#w-llama').setAttribute('theme', 'light'));
      eq(await p.evaluate(() => getComputedStyle(document.querySelector('#w-llama').shadowRoot.querySelector('.vc')).backgroundColor), 'rgb(246, 247, 249)', 'theme=light in a dark page');
      await p.close();
    });

    await check('classic script from another path (/cdn/x/): renders, finds its .wasm beside itself', async () => {
      const { page: p, wasm: w } = await newPage();
      await p.goto(`${srv.url}/blog/classic.html`);
      await ready(p, '#w');
      eq(await totalOf(p, '#w'), (await oracle('inference', presets['w-llama'][1])).total, 'total');
      eq(w.join(), '/cdn/x/widget/vramcalc.wasm', '.wasm URL');
      assert((await p.locator('#w [data-testid=widget-open]').getAttribute('href')).startsWith(`${srv.url}/cdn/x/#`), 'link to the full page');
      await p.close();
    });
    await check('ES-module build from /cdn/x/ (import.meta.url)', async () => {
      const { page: p, wasm: w } = await newPage();
      await p.goto(`${srv.url}/blog/module.html`);
      await ready(p, '#w');
      eq(await totalOf(p, '#w'), (await oracle('inference', presets['w-llama'][1])).total, 'total');
      eq(w.join(), '/cdn/x/widget/vramcalc.wasm', '.wasm URL');
      await p.close();
    });
    await check('bad attributes: named in the widget (attribute spelling), the rest still estimates', async () => {
      const { page: p } = await newPage();
      await p.goto(`${srv.url}/blog/bad.html`);
      await ready(p, '#w');
      const names = await p.locator('#w [data-testid=link-ignored]').allTextContents();
      eq(names.slice().sort().join(' '), 'batch context gpus model', 'dropped attributes');
      assert(Number(await p.locator('#w [data-testid=widget-total]').getAttribute('data-bytes')) > 0, 'an estimate is shown');
      await shot(p, 'widget-bad-attrs');
      await p.close();
    });
    await check('wasm-url attribute overrides where the engine comes from', async () => {
      const { page: p, wasm: w } = await newPage();
      await p.goto(`${srv.url}/blog/override.html`);
      await ready(p, '#w');
      eq(w.join(), '/elsewhere/engine.wasm', '.wasm URL');
      await p.close();
    });
    await check('script in <head> before the element: inline JSON config still read; attribute changes re-render', async () => {
      const { page: p } = await newPage();
      await p.goto(`${srv.url}/blog/head.html`);
      await ready(p, '#w');
      eq(await totalOf(p, '#w'), (await oracle('inference', presets['w-custom'][1])).total, 'total');
      await p.evaluate(() => document.querySelector('#w').setAttribute('context', '4096'));
      const want = (await oracle('inference', { ...presets['w-custom'][1], context: 4096 })).total;
      await p.waitForFunction((v) => document.querySelector('#w').shadowRoot.querySelector('[data-testid=widget-total]')?.dataset.bytes === String(v), want, { timeout: 5000 });
      await p.close();
    });
    await check('iframe fallback: ?embed=1 hides the page chrome and shows the preset', async () => {
      const { page: p } = await newPage({ countEngine: false });
      await p.goto(`${srv.url}/blog/iframe.html`);
      const f = p.frameLocator('#f');
      await f.getByTestId('report-total').waitFor({ timeout: 15000 });
      eq(Number(await f.getByTestId('report-total').getAttribute('data-bytes')), (await oracle('inference', presets['w-llama'][1])).total, 'total');
      eq(await f.locator('.header-bar').isVisible(), false, 'header hidden');
      eq(await f.locator('.export-bar').isVisible(), false, 'export bar hidden');
      await shot(p, 'widget-iframe');
      await p.close();
    });
    await check('Embed button: snippet for the current state, no token; the snippet renders the same number', async () => {
      const { page: p } = await newPage({ countEngine: false });
      await p.addInitScript((t) => sessionStorage.setItem('vramcalc.hfToken', t), TOKEN);
      await p.goto(`${srv.url}/index.html#model=meta-llama%2FLlama-3.1-8B&tab=inference&inference.dtype=int4&inference.context=8192&units=GiB&lang=en`);
      await p.getByTestId('report-total').waitFor({ timeout: 15000 });
      const pageBytes = Number(await p.getByTestId('report-total').getAttribute('data-bytes'));
      await p.getByTestId('embed-open').click();
      const widget = await p.getByTestId('embed-widget').inputValue();
      const iframe = await p.getByTestId('embed-iframe').inputValue();
      for (const s of [widget, iframe]) assert(!s.includes(TOKEN) && !s.includes('hf_'), 'token in snippet');
      for (const a of ['model="meta-llama/Llama-3.1-8B"', 'mode="inference"', 'dtype="int4"', 'context="8192"', `src="${srv.url}/widget/vramcalc-widget.js"`])
        assert(widget.includes(a), `snippet lacks ${a}:\n${widget}`);
      assert(iframe.includes(`${srv.url}/?embed=1#`), `iframe URL: ${iframe}`);
      await shot(p, 'widget-embed-dialog');
      srv.snippets.set('/blog/snippet.html', `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>s</title>${widget}`);
      srv.snippets.set('/blog/snippet-iframe.html', `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>s</title>${iframe}`);
      const { page: q } = await newPage();
      await q.goto(`${srv.url}/blog/snippet.html`);
      await ready(q, 'vramcalc-widget');
      eq(await totalOf(q, 'vramcalc-widget'), pageBytes, 'widget from the snippet = the page');
      await q.goto(`${srv.url}/blog/snippet-iframe.html`);
      await q.frameLocator('iframe').getByTestId('report-total').waitFor({ timeout: 15000 });
      eq(Number(await q.frameLocator('iframe').getByTestId('report-total').getAttribute('data-bytes')), pageBytes, 'iframe from the snippet = the page');
      await q.close();
      await p.close();
    });
    await check('no console errors or page errors', async () => eq(problems.length, 0, problems.join(' | ')));
  } catch (e) {
    failed++;
    console.log(`not ok - widget harness: ${e?.stack ?? e}`);
  } finally {
    await browser.close();
    srv.stop();
  }
  return { passed, failed };

  async function shot(page, name) {
    await page.screenshot({ path: join(ART, `${name}.png`), fullPage: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { passed, failed } = await runWidgetTests();
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
