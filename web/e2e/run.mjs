// Browser tests: real Chromium against `vite preview` of dist/ (build first: npx vite build).
// Oracle for numbers: the native CLI (`vramcalc params --model ID --json`), same engine natively.
// Prints a closing line "N passed, N failed"; exit code 1 on any failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPreview, launch, WEB_DIR, lowestContrast, qwen3SmallSafetensors } from './lib.mjs';
import { runWidgetTests } from './widget.mjs';
import { runAccuracyTests } from './accuracy.mjs';
import { runWebsecTests } from './websec.mjs';

const CLI = process.env.VRAMCALC_CLI ?? join(WEB_DIR, '../build/native/tools/cli/vramcalc');
const ART = join(WEB_DIR, 'e2e-artifacts');
mkdirSync(ART, { recursive: true });
const TOKEN = 'hf_e2eSecretToken0123456789';
const DEFAULT_ID = 'meta-llama/Llama-3.1-8B-Instruct';

let passed = 0;
let failed = 0;
const screenshots = [];
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n  ')}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function eq(a, b, msg) {
  if (a !== b) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}
async function shot(page, name, opts = {}) {
  const path = join(ART, `${name}.png`);
  // bring lazily drawn panels (the uPlot chart) into view once, so the full-page shot shows them
  await page.evaluate(() => document.querySelector('[data-testid=sweep-chart]')?.scrollIntoView());
  await page.waitForTimeout(250);
  await page.screenshot({ path, fullPage: true, ...opts });
  screenshots.push(path);
}

function cli(args) {
  assert(existsSync(CLI), `native CLI missing at ${CLI} (cmake --preset release && cmake --build build/native)`);
  return execFileSync(CLI, args, { encoding: 'utf8' });
}
/** The CLI's human "xx.xx GiB" strings and its JSON, for one catalog model. */
function oracle(id) {
  const json = JSON.parse(cli(['params', '--model', id, '--json']));
  const text = cli(['params', '--model', id]);
  const gib = [...text.matchAll(/(\d+\.\d\d) GiB/g)].map((m) => m[1]);
  return { json, totalGiB: `${gib[0]} GiB`, largestGiB: `${gib[1]} GiB` };
}

/** The page URL once the permalink has caught up with the state (it is written ~120 ms later). */
async function settled(p) {
  await p.waitForTimeout(200);
  return p.url();
}
async function attr(page, testid, name) {
  return page.getByTestId(testid).getAttribute(name);
}
async function text(page, testid) {
  return (await page.getByTestId(testid).textContent()).trim();
}

/** Fulfil Hub requests from a table: (url, request) → {status, headers, body} */
function hubRoute(page, handler) {
  return page.route('https://huggingface.co/**', async (route) => {
    const req = route.request();
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization, range, accept, content-type',
      'access-control-expose-headers': 'content-range, etag, x-error-code, x-linked-size, x-linked-etag, x-request-id',
    };
    if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    const r = await handler(req.url(), req);
    if (r === 'abort') return route.abort('failed');
    return route.fulfill({ status: r.status, headers: { ...cors, ...(r.headers ?? {}) }, body: r.body ?? '' });
  });
}

const srv = await startPreview(4174);
const browser = await launch({ locale: 'en-US' });
const { ctx } = browser;
const problems = [];
const foreign = [];
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  // Simulated Hub failures are logged by Chromium as failed resource loads: expected, not problems.
  page.on('console', (m) => m.type() === 'error' && !m.location().url?.startsWith('https://huggingface.co/') && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => !r.url().startsWith(srv.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && foreign.push(r.url()));

  await page.goto(srv.url);
  await page.getByTestId('hf-table').waitFor({ timeout: 10000 });

  await check('default catalog model is preselected and its numbers equal the native CLI', async () => {
    const o = oracle(DEFAULT_ID);
    eq(await page.getByTestId('catalog-list').inputValue(), DEFAULT_ID, 'selected catalog model');
    eq(Number(await attr(page, 'total-params', 'data-value')), o.json.total_params, 'total params');
    eq(Number(await attr(page, 'hf-total-float32', 'data-bytes')), o.json.hf_calculator.total_bytes, 'HF total bytes');
    eq(Number(await attr(page, 'hf-largest-float32', 'data-bytes')), o.json.hf_calculator.largest_layer_bytes, 'HF largest layer bytes');
    eq(await text(page, 'hf-total-float32'), o.totalGiB, 'HF total as shown');
    eq(await text(page, 'hf-largest-float32'), o.largestGiB, 'HF largest layer as shown');
  });
  await shot(page, 'default-catalog');

  await check('pick another catalog model by search: numbers follow, equal the CLI', async () => {
    await page.getByTestId('catalog-search').fill('qwen2.5 7b instruct');
    await page.getByTestId('catalog-list').selectOption('Qwen/Qwen2.5-7B-Instruct');
    const o = oracle('Qwen/Qwen2.5-7B-Instruct');
    eq(Number(await attr(page, 'total-params', 'data-value')), o.json.total_params, 'total params');
    eq(Number(await attr(page, 'hf-total-float32', 'data-bytes')), o.json.hf_calculator.total_bytes, 'HF total bytes');
    eq(await text(page, 'hf-total-float32'), o.totalGiB, 'HF total as shown');
    assert((await settled(page)).includes(encodeURIComponent('Qwen/Qwen2.5-7B-Instruct')), 'permalink names the model');
  });

  await check('units: GB shows bytes/10^9 and says GB; GiB says GiB', async () => {
    const bytes = Number(await attr(page, 'hf-total-float32', 'data-bytes'));
    await page.getByTestId('units-GB').check();
    eq(await text(page, 'hf-total-float32'), `${(bytes / 1e9).toFixed(2)} GB`, 'GB text');
    assert((await settled(page)).includes('units=GB'), 'units in permalink');
    eq(await page.getByTestId('hf-space-total-float32').count(), 0, 'GB mode: no binary "GB" text of the Space beside GB numbers');
    await page.getByTestId('units-GiB').check();
    eq(await text(page, 'hf-total-float32'), `${(bytes / 2 ** 30).toFixed(2)} GiB`, 'GiB text');
    eq(await text(page, 'hf-space-total-float32'), `“${(bytes / 2 ** 30).toFixed(2)} GB”`, "GiB mode: the Space's own text, quoted");
    const rel = await text(page, 'hf-relation');
    const o = oracle('Qwen/Qwen2.5-7B-Instruct');
    assert(rel.includes(o.json.hf_calculator.class_name) && rel.includes(o.json.hf_calculator.params.toLocaleString('en')) && rel.includes(o.json.total_params.toLocaleString('en')), `relation line names both counts: ${rel}`);
  });

  const ID = DEFAULT_ID;
  const total = async () => Number(await attr(page, 'report-total', 'data-bytes'));
  const knob = (tab, key) => page.getByTestId(`knob-${tab}-${key}`);

  {
    await page.getByTestId('catalog-search').fill('');
    await page.getByTestId('catalog-list').selectOption(ID);

    await check('HF calculator table: every dtype row equals the CLI hf-table', async () => {
      const n = JSON.parse(cli(['hf-table', '--model', ID, '--json']));
      for (const r of n.rows) {
        eq(Number(await attr(page, `hf-total-${r.dtype}`, 'data-bytes')), r.total_bytes, `${r.dtype} total`);
        eq(Number(await attr(page, `hf-largest-${r.dtype}`, 'data-bytes')), r.largest_layer_bytes, `${r.dtype} largest`);
        const tr = await attr(page, `hf-training-${r.dtype}`, 'data-bytes');
        eq(tr === '' ? null : Number(tr), r.training?.peak_bytes ?? null, `${r.dtype} training`);
      }
    });

    await check('Inference: default and changed knobs equal the CLI', async () => {
      await page.getByTestId('mode-tab-inference').click();
      eq(await total(), JSON.parse(cli(['inference', '--model', ID, '--json'])).total_bytes, 'default');
      await knob('inference', 'batch').fill('4');
      await knob('inference', 'context').fill('8192');
      await knob('inference', 'kvDtype').selectOption('fp8');
      eq(await total(), JSON.parse(cli(['inference', '--model', ID, '--batch', '4', '--context', '8192', '--kv-dtype', 'fp8', '--json'])).total_bytes, 'batch 4, ctx 8192, fp8 KV');
      await knob('inference', 'dtype').selectOption('gguf:Q4_K_M');
      await knob('inference', 'runtime').selectOption('llama.cpp');
      eq(await total(), JSON.parse(cli(['inference', '--model', ID, '--batch', '4', '--context', '8192', '--kv-dtype', 'fp8', '--dtype', 'gguf:Q4_K_M', '--runtime', 'llama.cpp', '--json'])).total_bytes, 'Q4_K_M on llama.cpp');
      assert(await knob('inference', 'ngl').isVisible(), 'llama.cpp shows its GPU-layers knob');
      assert((await settled(page)).includes('inference.dtype=gguf%3AQ4_K_M'), 'knobs in the permalink');
      await page.getByTestId('sweep-chart').locator('canvas').first().waitFor({ timeout: 5000 });
      await shot(page, 'inference');
    });

    await check('CPU-RAM items drawn apart from the GPU bar; one look per item id in bar, legend and explanations', async () => {
      const n = JSON.parse(cli(['inference', '--model', ID, '--batch', '4', '--context', '8192', '--kv-dtype', 'fp8', '--dtype', 'gguf:Q4_K_M', '--runtime', 'llama.cpp', '--json']));
      const cpuIds = n.items.filter((i) => i.cpu && i.bytes > 0).map((i) => i.id);
      assert(cpuIds.length > 0, 'llama.cpp keeps something in CPU RAM');
      const inBar = (bar) => page.getByTestId(bar).locator('.seg').evaluateAll((ss) => ss.map((x) => x.dataset.item));
      eq(JSON.stringify((await inBar('bar-cpu')).sort()), JSON.stringify(cpuIds.sort()), 'CPU bar = the cpu items');
      assert((await inBar('bar-gpu')).every((id) => !cpuIds.includes(id)), 'no CPU item in the GPU bar');
      const look = (sel) => page.locator(sel).evaluateAll((els) => els.map((e) => [e.closest('[data-item]').dataset.item, getComputedStyle(e).backgroundColor + ' ' + getComputedStyle(e).backgroundImage]));
      const seg = new Map(await look('[data-testid=stacked-bar] .seg'));
      const sw = new Map(await look('[data-testid=stacked-bar] .legend .swatch'));
      for (const [id, l] of seg) eq(sw.get(id), l, `${id}: legend swatch = bar segment`);
      eq(new Set(seg.values()).size, seg.size, 'every id looks different');
    });

    await check('Explain view: each line item with the engine formula and bytes', async () => {
      const n = JSON.parse(cli(['inference', '--model', ID, '--batch', '4', '--context', '8192', '--kv-dtype', 'fp8', '--dtype', 'gguf:Q4_K_M', '--runtime', 'llama.cpp', '--json']));
      await page.getByTestId('explain').locator('summary').click();
      // formula, result and source each in its own labelled place, from the engine's separate fields
      const rows = await page.getByTestId('explain').locator('ol.items:not(.facts) > li').evaluateAll((lis) =>
        lis.map((li) => [li.dataset.item, li.querySelector('[data-part=formula]')?.textContent ?? '', li.dataset.result, li.querySelector('[data-part=source]')?.textContent ?? '', Number(li.querySelector('[data-bytes]').dataset.bytes)]),
      );
      eq(JSON.stringify(rows), JSON.stringify(n.items.map((i) => [i.id, i.formula, i.result, i.source, i.bytes])), 'explain rows');
      // the labels line up: every item's formula starts at the same x
      const xs = await page.getByTestId('explain').locator('[data-part=formula]').evaluateAll((cs) => cs.map((c) => Math.round(c.getBoundingClientRect().left)));
      eq(new Set(xs).size, 1, `formula column starts at one x (${[...new Set(xs)].join(', ')})`);
      await shot(page, 'explain');
      await page.getByTestId('explain').locator('summary').click();
    });

    await check('Fits on: verdict and inverse solves equal the CLI fit', async () => {
      await page.getByTestId('fit-gpu').selectOption('h100-sxm');
      const n = JSON.parse(cli(['fit', '--model', ID, '--gpu', 'h100-sxm', '--batch', '4', '--context', '8192', '--kv-dtype', 'fp8', '--dtype', 'gguf:Q4_K_M', '--runtime', 'llama.cpp', '--json']));
      eq(await page.getByTestId('fit-verdict').getAttribute('data-fits'), String(n.fits), 'fits');
      eq(await text(page, 'fit-max-context'), n.max_context ? n.max_context.toLocaleString('en') : 'none fits', 'max context');
      eq(await text(page, 'fit-max-batch'), n.max_batch ? n.max_batch.toLocaleString('en') : 'none fits', 'max batch');
      assert((await settled(page)).includes('gpu=h100-sxm'), 'GPU in the permalink');
    });

    await check('Serving: vLLM profile equals the CLI', async () => {
      await page.getByTestId('mode-tab-serving').click();
      eq(await knob('serving', 'runtime').inputValue(), 'vllm', 'serving starts on vLLM');
      eq(await total(), JSON.parse(cli(['inference', '--model', ID, '--runtime', 'vllm', '--gpu', 'h100-sxm', '--json'])).total_bytes, 'vllm on the chosen H100');
      assert((await text(page, 'vllm-gpu-note')).includes('H100'), 'says which GPU sizes the pool');
      await shot(page, 'serving');
    });

    await check('Fine-tune: LoRA/QLoRA knobs equal the CLI', async () => {
      await page.getByTestId('mode-tab-finetune').click();
      eq(await total(), JSON.parse(cli(['train', '--model', ID, '--method', 'lora', '--json'])).total_bytes, 'LoRA default');
      await knob('finetune', 'method').selectOption('qlora');
      await knob('finetune', 'loraRank').fill('64');
      await knob('finetune', 'loraTargets').selectOption('all-linear');
      await knob('finetune', 'checkpointing').selectOption('full');
      eq(await total(), JSON.parse(cli(['train', '--model', ID, '--method', 'qlora', '--lora-rank', '64', '--lora-targets', 'all-linear', '--checkpointing', 'full', '--json'])).total_bytes, 'QLoRA r64 all-linear, checkpointing');
      await page.getByTestId('phase-timeline').waitFor();
      await shot(page, 'finetune');
    });

    await check('Full training: ZeRO stage and GPUs equal the CLI; phase timeline shows the peak', async () => {
      await page.getByTestId('mode-tab-training').click();
      await knob('training', 'zero').fill('3');
      await knob('training', 'gpus').fill('8');
      await knob('training', 'optimizer').selectOption('adamw8bit');
      const n = JSON.parse(cli(['train', '--model', ID, '--method', 'full', '--zero', '3', '--gpus', '8', '--optimizer', 'adamw8bit', '--json']));
      eq(await total(), n.total_bytes, 'ZeRO-3 × 8, AdamW 8-bit');
      eq(await page.getByTestId('fit-count').inputValue(), '8', 'Fits on uses the training GPU count');
      const f = JSON.parse(cli(['fit', '--model', ID, '--gpu', 'h100-sxm', '--mode', 'train', '--method', 'full', '--zero', '3', '--gpus', '8', '--optimizer', 'adamw8bit', '--json']));
      eq(await page.getByTestId('fit-verdict').getAttribute('data-fits'), String(f.fits), 'fits on 8 × H100');
      eq(await text(page, 'fit-max-seq'), f.max_seq.toLocaleString('en'), 'max sequence length');
      const peak = await page.getByTestId('phase-timeline').locator('li.peak .name').textContent();
      assert(peak.length > 0, 'a peak phase is marked');
      await shot(page, 'training');
    });

    await check('ZeRO-3 explanations read correctly: weights and autocast name their shards, DeepSpeed estimator lines equal the CLI and are well formed', async () => {
      const n = JSON.parse(cli(['train', '--model', ID, '--method', 'full', '--zero', '3', '--gpus', '8', '--optimizer', 'adamw8bit', '--json']));
      await page.getByTestId('explain').locator('summary').click();
      const formula = async (id) => (await page.getByTestId('explain').locator(`li[data-item=${id}] [data-part=formula]`).textContent()).trim();
      const w = await formula('weights');
      assert(/^⌈[\d,]+ params × \d B \(\w+\) ÷ 8 shards⌉$/.test(w), `weights formula has its left side: ${w}`);
      eq(w, n.items.find((i) => i.id === 'weights').formula, 'weights formula = CLI');
      const ac = n.items.find((i) => i.id === 'autocast_weight_copies');
      if (ac) assert((await formula('autocast_weight_copies')).includes('÷ 8 shards'), 'autocast copies say they are divided over 8 shards');
      for (const f of n.facts.filter((x) => x.id.startsWith('deepspeed_'))) {
        const shown = (await page.getByTestId('explain').locator(`li[data-fact=${f.id}] [data-part=formula]`).textContent()).trim();
        eq(shown, f.formula, `${f.id} formula = CLI`);
        assert(!/factor − 1$/.test(shown) && !/B per parameter × additional/.test(shown), `${f.id} well formed: ${shown}`);
      }
      const all = await page.getByTestId('explain').textContent();
      assert(!/--[a-z]/.test(all), 'no CLI flag in the page explanations');
      await shot(page, 'training-explain');
      await page.getByTestId('explain').locator('summary').click();
    });
    await page.getByTestId('mode-tab-inference').click();
  }

  await check('workload tabs: knobs change the engine estimate live', async () => {
    const before = Number(await attr(page, 'report-total', 'data-bytes'));
    const batch = page.getByTestId('knob-inference-batch');
    await batch.fill(String(Number(await batch.inputValue()) * 4));
    const after = Number(await attr(page, 'report-total', 'data-bytes'));
    assert(after > before, `batch ×4 raises the total (${before} → ${after})`);
  });

  await check('exports: copy Markdown / CSV / link put the engine numbers on the clipboard', async () => {
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    const clip = () => page.evaluate(() => navigator.clipboard.readText());
    await page.getByTestId('copy-md').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=export-status]').textContent.length > 0);
    const md = await clip();
    const hfTotal = await text(page, 'hf-total-float32');
    assert(md.includes('| float32 |') && md.includes(hfTotal), `markdown has the HF row with ${hfTotal}:\n${md.slice(0, 300)}`);
    const verdictWord = (await page.getByTestId('fit-verdict').getAttribute('data-fits')) === 'true' ? '**Fits**' : '**Does not fit**';
    assert(md.includes(verdictWord) && md.includes(await text(page, 'report-total')), `markdown has the verdict and total:\n${md.slice(0, 400)}`);
    assert(/Batch [\d,]+ · Context [\d,]+/.test(md), 'markdown has the workload by its labels');
    const mdLink = md.match(/\]\((http[^)]+)\)/)?.[1] ?? '';
    assert(mdLink.startsWith(srv.url) && mdLink.includes("model=") && mdLink.includes("tab=inference"), `markdown has the permalink: ${mdLink}`);
    await page.getByTestId('copy-csv').click();
    await page.waitForTimeout(100);
    const csv = await clip();
    assert(csv.startsWith('section,name,bytes,detail') && csv.includes(`hf_total,float32,${await attr(page, 'hf-total-float32', 'data-bytes')}`), 'CSV has exact bytes');
    await page.getByTestId('copy-link').click();
    await page.waitForTimeout(100);
    const link = await clip();
    assert(link.startsWith(srv.url) && link.includes('model='), `link: ${link}`);
    writeFileSync(join(ART, 'export.md'), md);
    writeFileSync(join(ART, 'export.csv'), csv);
  });

  await check('accessibility: every control has a label; text contrast ≥ 4.5:1 in light and dark', async () => {
    for (const tab of ['source-tab-catalog', 'source-tab-hub', 'source-tab-paste', 'source-tab-manual']) {
      await page.getByTestId(tab).click();
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea, button')]
          .filter((el) => el.offsetParent !== null)
          .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      eq(unlabelled.length, 0, `unlabelled controls on ${tab}: ${unlabelled.join(' | ')}`);
    }
    await page.getByTestId('source-tab-catalog').click();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const worst = await lowestContrast(page, 'p, span, strong, small, th, td, label, legend, dt, dd, h1, h2, h3, summary, button, li');
      assert(worst.min >= 4.5, `${scheme}: lowest contrast ${worst.min.toFixed(2)} at ${worst.where}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await check('keyboard: arrow keys move between tabs', async () => {
    await page.getByTestId('source-tab-catalog').focus();
    await page.keyboard.press('ArrowRight');
    eq(await page.getByTestId('source-tab-hub').getAttribute('aria-selected'), 'true', 'hub tab selected');
    eq(await page.evaluate(() => document.activeElement?.dataset.testid), 'source-tab-hub', 'focus follows');
    await page.keyboard.press('ArrowLeft');
    eq(await page.getByTestId('source-tab-catalog').getAttribute('aria-selected'), 'true', 'back to catalog');
  });

  await check('language: switch to 简体中文 and back; <html lang> follows', async () => {
    await page.getByTestId('lang').selectOption('zh-CN');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN'); // catalog chunk loaded
    eq(await page.locator('h1').textContent(), 'vramcalc — GPU 显存计算器', 'Chinese title');
    eq(await page.evaluate(() => document.documentElement.lang), 'zh-CN', 'html lang');
    assert((await settled(page)).includes('lang=zh-CN'), 'language in permalink');
    await shot(page, 'zh-CN');
    await page.getByTestId('lang').selectOption('en');
    eq(await page.locator('h1').textContent(), 'vramcalc — GPU memory calculator', 'English title');
  });

  await check('permalink: reopening the URL restores model, tab, units and language', async () => {
    await page.getByTestId('catalog-search').fill('');
    await page.getByTestId('catalog-list').selectOption('mistralai/Mixtral-8x7B-v0.1');
    await page.getByTestId('units-GB').check();
    await page.getByTestId('lang').selectOption('zh-CN');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.getByTestId('mode-tab-finetune').click();
    const url = (await settled(page));
    const expect = { total: await text(page, 'hf-total-float32'), params: await attr(page, 'total-params', 'data-value') };
    const p2 = await ctx.newPage();
    await p2.goto(url);
    await p2.getByTestId('hf-table').waitFor();
    eq(await p2.getByTestId('catalog-list').inputValue(), 'mistralai/Mixtral-8x7B-v0.1', 'model');
    eq(await p2.getByTestId('lang').inputValue(), 'zh-CN', 'language');
    assert(await p2.getByTestId('units-GB').isChecked(), 'units GB');
    eq(await p2.getByTestId('mode-tab-finetune').getAttribute('aria-selected'), 'true', 'tab');
    eq(await text(p2, 'hf-total-float32'), expect.total, 'same number');
    eq(await attr(p2, 'total-params', 'data-value'), expect.params, 'same params');
    eq(await settled(p2), url, 'same URL after load');
    await p2.close();
    await page.getByTestId('lang').selectOption('en');
    await page.getByTestId('units-GiB').check();
    await page.getByTestId('mode-tab-inference').click();
  });

  await check('hostile link: opens, names every dropped parameter, still estimates; dismissible', async () => {
    const p2 = await ctx.newPage();
    const errs = [];
    p2.on('pageerror', (e) => errs.push(e.message));
    await p2.goto(`${srv.url}#tab=nope&inference.context=abc&gpus=-1&config=%%%&model=x/y`);
    await p2.getByTestId('link-notice').waitFor();
    const names = await p2.getByTestId('link-ignored').allTextContents();
    eq(names.slice().sort().join(' '), 'config gpus inference.context model tab', 'dropped parameters');
    const total = Number(await attr(p2, 'report-total', 'data-bytes'));
    assert(total > 0, `an estimate is shown (${total})`);
    eq(await p2.getByTestId('catalog-list').inputValue(), DEFAULT_ID, 'default model kept');
    await shot(p2, 'link-notice');
    await p2.getByTestId('link-notice-dismiss').click();
    eq(await p2.getByTestId('link-notice').count(), 0, 'dismissed');
    eq(errs.length, 0, `page errors: ${errs.join(' | ')}`);
    await p2.close();
  });

  await check('paste a bad config: the named error (code and field)', async () => {
    await page.getByTestId('source-tab-paste').click();
    await page.getByTestId('paste-text').fill('{"model_type":"llama","hidden_size":4096,"num_hidden_layers":2,"num_attention_heads":32,"intermediate_size":11008}');
    const err = page.getByTestId('error');
    eq(await err.getAttribute('data-code'), 'missing_field', 'error code');
    eq(await text(page, 'error-field'), 'vocab_size', 'error field');
    assert((await err.textContent()).includes('vocab_size'), 'message names the field');
    await shot(page, 'paste-error');
    await page.getByTestId('paste-text').fill('{"model_type": "llama", oops');
    eq(await err.getAttribute('data-code'), 'invalid_json', 'invalid JSON code');
  });

  await check('paste a good config: numbers equal the CLI on the same file', async () => {
    const cfg = execFileSync('cat', [join(WEB_DIR, '../engine/catalog/models/openai-community--gpt2.json')], { encoding: 'utf8' });
    await page.getByTestId('paste-text').fill(cfg);
    const o = oracle('openai-community/gpt2');
    eq(Number(await attr(page, 'hf-total-float32', 'data-bytes')), o.json.hf_calculator.total_bytes, 'HF total bytes');
    assert((await settled(page)).includes('config='), 'pasted config travels in the permalink');
  });

  await check('manual dimensions: a llama config from the fields; edits update live', async () => {
    await page.getByTestId('source-tab-manual').click();
    const before = Number(await attr(page, 'total-params', 'data-value'));
    await page.getByTestId('manual-num_hidden_layers').fill('16');
    const after = Number(await attr(page, 'total-params', 'data-value'));
    assert(after > 0 && after < before, `fewer layers → fewer params (${before} → ${after})`);
    await page.getByTestId('manual-num_attention_heads').fill('0');
    assert((await page.getByTestId('error').textContent()).includes('num_attention_heads'), 'bad field named');
    await page.getByTestId('manual-num_attention_heads').fill('32');
    const over = await page.getByTestId('manual-form').evaluate((f) => [...f.querySelectorAll('label')].filter((l) => [...l.querySelectorAll('input')].some((i) => i.getBoundingClientRect().right > l.getBoundingClientRect().right + 0.5)).length);
    eq(over, 0, 'manual inputs stay inside their fields');
    await shot(page, 'manual');
  });

  assert(foreign.length === 0, `no requests left 127.0.0.1 before the Hub was asked: ${foreign.join(', ')}`);
  await check('no network requests except to 127.0.0.1 until the Hub is asked', async () => eq(foreign.length, 0, 'foreign requests'));

  // ---- Hub: simulated responses ----
  const cfgText = execFileSync('cat', [join(WEB_DIR, '../engine/catalog/models/Qwen--Qwen3-0.6B.json')], { encoding: 'utf8' });
  const seen = [];
  let mode = 'ok';
  await hubRoute(page, (url, req) => {
    seen.push({ url, auth: req.headers()['authorization'] ?? null });
    if (mode === 'abort') return 'abort';
    if (mode === 'gated') return { status: 401, headers: { 'x-error-code': 'GatedRepo' }, body: '{"error":"Access to model is restricted"}' };
    if (mode === 'forbidden') return { status: 403, body: '{"error":"forbidden"}' };
    if (mode === 'missing') return { status: 404, headers: { 'x-error-code': 'RepoNotFound' }, body: '{"error":"Repository not found"}' };
    if (mode === 'noconfig') return { status: 404, headers: { 'x-error-code': 'EntryNotFound' }, body: '{"error":"Entry not found"}' };
    if (mode === 'ratelimit') return { status: 429, body: '{"error":"rate limited"}' };
    if (mode === 'mamba' && url.endsWith('/config.json')) {
      const body = '{"model_type":"mamba","hidden_size":768,"num_hidden_layers":24,"vocab_size":50280}';
      if (req.headers()['range'] === 'bytes=0-0') return { status: 206, headers: { 'content-range': `bytes 0-0/${body.length}`, etag: '"m"' }, body: '{' };
      return { status: 200, headers: { etag: '"m"' }, body };
    }
    if (url.includes('/api/models/'))
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _id: 'x', id: 'Qwen/Qwen3-0.6B', safetensors: { total: 751632384, parameters: { BF16: 751632384 } } }) };
    if (url.endsWith('/model.safetensors.index.json')) return { status: 404, headers: { 'x-error-code': 'EntryNotFound' }, body: '{"error":"Entry not found"}' };
    if (url.endsWith('/model.safetensors')) return rangeOf(SAFETENSORS, req.headers()['range']);
    if (url.endsWith('/config.json')) {
      const range = req.headers()['range'];
      const len = Buffer.byteLength(cfgText);
      if (range === 'bytes=0-0')
        return { status: 206, headers: { 'content-range': `bytes 0-0/${len}`, etag: '"abc"', 'content-type': 'application/json' }, body: cfgText.slice(0, 1) };
      return { status: range ? 206 : 200, headers: { 'content-type': 'application/json', etag: '"abc"', ...(range ? { 'content-range': `bytes 0-${len - 1}/${len}` } : {}) }, body: cfgText };
    }
    return { status: 404, body: '' };
  });

  // Qwen3-0.6B's model.safetensors header (its data is never read: Range requests only).
  const SAFETENSORS = qwen3SmallSafetensors();
  function rangeOf(file, range) {
    const m = /bytes=(\d+)-(\d+)?/.exec(range ?? '');
    if (!m) return { status: 200, headers: { etag: '"st"' }, body: file.head };
    const a = Number(m[1]);
    const b = Math.min(m[2] === undefined ? file.size - 1 : Number(m[2]), file.size - 1);
    return { status: 206, headers: { etag: '"st"', 'content-range': `bytes ${a}-${b}/${file.size}` }, body: file.head.subarray(a, Math.min(b + 1, file.head.length)) };
  }

  async function hubLoad(id) {
    await page.getByTestId('source-tab-hub').click();
    await page.getByTestId('hub-id').fill(id);
    await page.getByTestId('hub-load').click();
  }
  const hubCases = [
    ['gated', 'gated', 'gated or private'],
    ['forbidden', 'gated', 'Accept the model'],
    ['missing', 'not_found', 'was not found'],
    ['noconfig', 'no_config', 'has no config.json'],
    ['ratelimit', 'rate_limited', 'rate-limiting'],
    ['abort', 'network', 'Could not reach huggingface.co'],
  ];
  for (const [m, kind, words] of hubCases) {
    await check(`Hub ${m}: the specific message (${kind})`, async () => {
      mode = m;
      await hubLoad('some-org/some-model');
      const err = page.getByTestId('hub-error');
      await page.waitForFunction((k) => document.querySelector('[data-testid=hub-error]')?.dataset.kind === k, kind, { timeout: 10000 });
      assert((await err.textContent()).includes(words), `message mentions "${words}": ${await err.textContent()}`);
      if (m === 'gated') await shot(page, 'hub-gated');
    });
  }
  await check('Hub config of an unsupported architecture: named error, then manual dimensions keep its fields', async () => {
    mode = 'mamba';
    await hubLoad('state-spaces/mamba-130m-hf');
    const err = page.getByTestId('error');
    await err.waitFor({ timeout: 10000 });
    eq(await err.getAttribute('data-code'), 'unsupported', 'error code');
    eq(await text(page, 'error-field'), 'model_type', 'field');
    await shot(page, 'hub-unsupported');
    await page.getByTestId('use-manual').click();
    eq(await page.getByTestId('source-tab-manual').getAttribute('aria-selected'), 'true', 'manual tab');
    eq(await page.getByTestId('manual-hidden_size').inputValue(), '768', 'hidden_size carried over');
    eq(await page.getByTestId('manual-num_hidden_layers').inputValue(), '24', 'layers carried over');
  });

  await check('Hub offline: the offline message, no request sent', async () => {
    mode = 'ok';
    const n = seen.length;
    await ctx.setOffline(true);
    await hubLoad('some-org/some-model');
    await page.waitForFunction(() => document.querySelector('[data-testid=hub-error]')?.dataset.kind === 'offline', null, { timeout: 10000 });
    assert((await page.getByTestId('hub-error').textContent()).includes('offline'), 'offline text');
    eq(seen.length, n, 'no Hub request while offline');
    await ctx.setOffline(false);
  });

  await check('Hub success with a token: config parsed by the engine, token only in the Authorization header to huggingface.co', async () => {
    mode = 'ok';
    seen.length = 0;
    await page.locator('details.token summary').click();
    await page.getByTestId('hub-token').fill(TOKEN);
    await hubLoad('https://huggingface.co/Qwen/Qwen3-0.6B/tree/main');
    await page.getByTestId('hub-crosscheck').waitFor({ timeout: 10000 });
    const o = oracle('Qwen/Qwen3-0.6B');
    eq(Number(await attr(page, 'total-params', 'data-value')), o.json.total_params, 'params from the Hub config');
    eq(Number(await attr(page, 'hf-total-float32', 'data-bytes')), o.json.hf_calculator.total_bytes, 'HF total');
    assert(seen.length >= 2, 'config.json and model info were requested');
    eq(Number(await attr(page, 'stored-bytes', 'data-bytes')), SAFETENSORS.bytes, 'stored bytes from the safetensors header (engine)');
    eq(SAFETENSORS.bytes, 596049920 * 2, 'the mock header holds every parameter transformers builds, in BF16');
    assert(seen.some((x) => x.url.endsWith('/model.safetensors')), 'the header was read from model.safetensors');
    for (const s of seen) {
      assert(new URL(s.url).origin === 'https://huggingface.co', `only huggingface.co: ${s.url}`);
      eq(s.auth, `Bearer ${TOKEN}`, 'token sent as Authorization header');
      assert(!s.url.includes(TOKEN), 'token not in a request URL');
    }
    assert((await settled(page)).includes('hub=Qwen%2FQwen3-0.6B'), 'the Hub id is in the permalink');
    await shot(page, 'hub-loaded');
  });

  await check('the token never appears in the URL, DOM attributes, exports or storage (unless remembered)', async () => {
    assert(!(await settled(page)).includes(TOKEN), 'URL');
    const inAttrs = await page.evaluate((tok) => [...document.querySelectorAll('*')].some((el) => [...el.attributes].some((a) => a.value.includes(tok))), TOKEN);
    assert(!inAttrs, 'DOM attributes');
    const html = await page.content();
    assert(!html.includes(TOKEN), 'serialized HTML');
    const ss = await page.evaluate(() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage));
    assert(!ss.includes(TOKEN), 'storage without remember');
    await page.getByTestId('hub-remember').check();
    const ss2 = await page.evaluate(() => JSON.stringify(sessionStorage));
    assert(ss2.includes(TOKEN), 'sessionStorage when remember is ticked');
    await page.getByTestId('hub-remember').uncheck();
    assert(!(await page.evaluate(() => JSON.stringify(sessionStorage))).includes(TOKEN), 'removed when unticked');
    // exports: trigger the JSON download and read it
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
    const body = await (await dl.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
    assert(body.includes('"totalParams"') && !body.includes(TOKEN), 'JSON export has numbers, no token');
    const j = JSON.parse(body);
    assert(j.permalink.includes('hub=') && j.fit && typeof j.fit.fits === 'boolean' && j.gpu?.id && j.options && j.report?.totalBytes > 0, 'JSON export has the permalink, verdict, GPU, workload and report');
  });

  await check('reopening a Hub permalink fetches the model again (token not in the link)', async () => {
    const p2 = await ctx.newPage();
    await hubRoute(p2, (url, req) => {
      seen.push({ url, auth: req.headers()['authorization'] ?? null });
      if (url.includes('/api/models/')) return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"Qwen/Qwen3-0.6B"}' };
      const len = Buffer.byteLength(cfgText);
      if (req.headers()['range'] === 'bytes=0-0') return { status: 206, headers: { 'content-range': `bytes 0-0/${len}`, etag: '"abc"' }, body: '{' };
      return { status: 200, headers: { etag: '"abc"' }, body: cfgText };
    });
    seen.length = 0;
    await p2.goto((await settled(page)));
    await p2.getByTestId('total-params').waitFor({ timeout: 10000 });
    eq(await attr(p2, 'total-params', 'data-value'), await attr(page, 'total-params', 'data-value'), 'same model');
    assert(seen.every((s) => s.auth === null), 'a fresh page has no token');
    await p2.close();
  });

  await check('360 px wide: no horizontal scrolling, controls reachable', async () => {
    const p3 = await ctx.newPage();
    await p3.setViewportSize({ width: 360, height: 800 });
    await p3.goto(srv.url);
    await p3.getByTestId('hf-table').waitFor();
    const w = await p3.evaluate(() => document.documentElement.scrollWidth);
    assert(w <= 360, `page is ${w}px wide`);
    const hf = await p3.getByTestId('hf-table').evaluate((t) => [t.scrollWidth, t.parentElement.clientWidth]);
    assert(hf[0] <= hf[1], `HF table not cropped: ${hf[0]} px in ${hf[1]} px`);
    await p3.getByTestId('mode-tab-finetune').click();
    const meters = await p3.getByTestId('phase-timeline').locator('meter').evaluateAll((ms) => ms.map((m) => m.getBoundingClientRect().width));
    assert(meters.length > 1 && meters.every((x) => x >= 200), `phase bars legible: ${meters.map(Math.round).join(', ')} px`);
    await shot(p3, 'mobile-360');
    for (const lang of ['en', 'zh-CN']) {
      await p3.goto('about:blank');
      await p3.goto(`${srv.url}#lang=${lang}&tab=training`);
      await p3.getByTestId('report-total').waitFor();
      await shot(p3, `mobile-360-${lang}-training`);
    }
    await p3.getByTestId('source-tab-manual').click();
    const over = await p3.getByTestId('manual-form').evaluate((f) => {
      const r = f.getBoundingClientRect();
      return [...f.querySelectorAll('input')].filter((i) => i.getBoundingClientRect().right > r.right + 0.5).length;
    });
    eq(over, 0, 'manual inputs stay inside their card');
    await p3.close();
  });

  await check('first screen answers "does it fit": verdict and total above the fold at 1280×900 and 360×800, en and zh-CN', async () => {
    const p5 = await ctx.newPage();
    for (const [w, h] of [[1280, 900], [360, 800]])
      for (const lang of ['en', 'zh-CN']) {
        await p5.setViewportSize({ width: w, height: h });
        await p5.goto('about:blank');
        await p5.goto(`${srv.url}#lang=${lang}`);
        await p5.getByTestId('fit-verdict').waitFor({ timeout: 15000 });
        for (const id of ['fit-verdict', 'report-total', 'fit-gpu']) {
          const box = await p5.getByTestId(id).boundingBox();
          assert(box && box.y >= 0 && box.y + box.height <= h, `${w}×${h} ${lang}: ${id} ends at ${box && Math.round(box.y + box.height)} px`);
        }
        eq(await p5.getByTestId('catalog-list').inputValue(), DEFAULT_ID, `${w} ${lang}: the preselected model`);
        eq(await p5.evaluate(() => document.documentElement.scrollWidth), w, `${w} ${lang}: no horizontal scrolling`);
        await p5.screenshot({ path: join(ART, `fold-${w}-${lang}.png`) });
      }
    await p5.close();
  });

  await check('dark colour scheme renders', async () => {
    const p4 = await ctx.newPage();
    await p4.emulateMedia({ colorScheme: 'dark' });
    await p4.goto(srv.url);
    await p4.getByTestId('hf-table').waitFor();
    const bg = await p4.evaluate(() => getComputedStyle(document.body).backgroundColor);
    eq(bg, 'rgb(21, 23, 27)', 'dark background');
    await shot(p4, 'dark');
    await p4.close();
  });

  await check('no console errors or page errors', async () => eq(problems.length, 0, `problems: ${problems.join(' | ')}`));
} catch (e) {
  failed++;
  console.log(`not ok - harness: ${e?.stack ?? e}`);
} finally {
  await browser.close();
  srv.stop();
}

// Language auto-detection from navigator.language (a fresh browser with a Chinese locale).
{
  const srv2 = await startPreview(4175);
  const b = await launch({ locale: 'zh-CN' });
  try {
    await check('auto language: a zh-CN browser gets Simplified Chinese', async () => {
      const page = b.ctx.pages()[0] ?? (await b.ctx.newPage());
      await page.goto(srv2.url);
      await page.getByTestId('hf-table').waitFor();
      eq(await page.getByTestId('lang').inputValue(), 'zh-CN', 'language select');
      assert((await page.locator('h1').textContent()).includes('显存'), 'Chinese title');
    });
  } finally {
    await b.close();
    srv2.stop();
  }
}

// The embeddable widget, the demo post and the iframe fallback (e2e/widget.mjs).
{
  const w = await runWidgetTests();
  passed += w.passed;
  failed += w.failed;
}

// The Accuracy page (e2e/accuracy.mjs).
{
  const a = await runAccuracyTests();
  passed += a.passed;
  failed += a.failed;
}

// Safe Hub loading, the token's whereabouts and the Content-Security-Policy (e2e/websec.mjs).
{
  const w = await runWebsecTests();
  passed += w.passed;
  failed += w.failed;
}

console.log(`screenshots: ${screenshots.map((p) => p.replace(`${WEB_DIR}/`, '')).join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
