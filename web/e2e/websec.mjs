// Browser tests of safe Hub loading and the Content-Security-Policy (real Chromium over dist/, build
// first: tools/build.sh). The Hub is played by routes; every request, console message
// and CSP violation of the browser is recorded. A fake token must reach huggingface.co only, as an
// Authorization header, and appear nowhere else: URLs, the permalink, the embed snippet, storage
// (sessionStorage only when "remember" is ticked), the console, the page after an error.
// Run alone (`node e2e/websec.mjs`, closing line "N passed, N failed") or from e2e/run.mjs.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPreview, launch, WEB_DIR, qwen3SmallSafetensors } from './lib.mjs';

const TOKEN = 'hf_FAKEtoken123websecDoNotLeak';
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, range, accept, content-type',
  'access-control-expose-headers': 'content-range, content-length, etag, x-error-code, x-linked-size, x-linked-etag, x-cache',
};
const isHub = (h) => h === 'huggingface.co' || h.endsWith('.huggingface.co') || h.endsWith('.hf.co');

export async function runWebsecTests({ port = 4176 } = {}) {
  let passed = 0;
  let failed = 0;
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
  const assert = (cond, msg) => {
    if (!cond) throw new Error(msg);
  };

  const cfgText = execFileSync('cat', [join(WEB_DIR, '../engine/catalog/models/Qwen--Qwen3-0.6B.json')], { encoding: 'utf8' });
  // Qwen3-0.6B's model.safetensors header (lib.mjs); only its first bytes are ever served.
  const ST = qwen3SmallSafetensors();
  const range = (file, r, extra = {}) => {
    const m = /bytes=(\d+)-(\d+)?/.exec(r ?? '');
    if (!m) return { status: 200, headers: { etag: '"st"', ...extra }, body: file.head };
    const a = Number(m[1]);
    const b = Math.min(m[2] === undefined ? file.size - 1 : Number(m[2]), file.size - 1);
    return { status: 206, headers: { etag: '"st"', 'content-range': `bytes ${a}-${b}/${file.size}`, ...extra }, body: file.head.subarray(a, Math.min(b + 1, file.head.length)) };
  };

  let mode = 'ok';
  const requests = []; // {url, host, auth, via}
  /** The Hub: config.json, model.safetensors (by Range) and the model-info API, per `mode`. */
  async function hub(route) {
    const req = route.request();
    if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
    const url = req.url();
    const rng = req.headers()['range'];
    const reply = (r) => route.fulfill({ status: r.status, headers: { ...CORS, ...(r.headers ?? {}) }, body: r.body ?? '' });
    if (mode === 'hang' && url.endsWith('/config.json')) return; // never answers
    if (mode === 'gated') return reply({ status: 401, headers: { 'x-error-code': 'GatedRepo' }, body: '{"error":"Access to model is restricted"}' });
    if (mode === 'missing') return reply({ status: 404, headers: { 'x-error-code': 'RepoNotFound' }, body: '{"error":"Repository not found"}' });
    if (url.includes('/api/models/')) return reply({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"org/model"}' });
    if (url.endsWith('/model.safetensors.index.json')) return reply({ status: 404, headers: { 'x-error-code': 'EntryNotFound' }, body: '{"error":"Entry not found"}' });
    // Served by huggingface.co itself: Playwright routes only the first URL of a redirect, so the
    // CDN hop (no token to the CDN) is checked in test/hub.test.mjs with @huggingface/hub in node.
    if (url.endsWith('/model.safetensors')) return reply(range(ST, rng));
    if (url.endsWith('/config.json')) {
      // too-large: a server that ignores Range and sends 6 MB (Content-Length 6,000,000).
      if (mode === 'big') return reply({ status: 200, headers: { etag: '"big"' }, body: Buffer.alloc(6_000_000, 32) });
      const len = Buffer.byteLength(cfgText);
      if (rng === 'bytes=0-0') return reply({ status: 206, headers: { 'content-range': `bytes 0-0/${len}`, etag: '"abc"' }, body: '{' });
      return reply({ status: 200, headers: { etag: '"abc"', 'content-type': 'application/json' }, body: cfgText });
    }
    return reply({ status: 404, body: '' });
  }

  const srv = await startPreview(port);
  const browser = await launch({ locale: 'en-US' });
  const { ctx } = browser;
  const consoleLines = [];
  const csp = [];
  const problems = [];
  try {
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    await ctx.route('https://huggingface.co/**', hub);
    ctx.on('request', (r) => {
      const u = new URL(r.url());
      if (u.protocol === 'data:' || u.protocol === 'blob:') return;
      requests.push({ url: r.url(), host: u.hostname, auth: r.headers()['authorization'] ?? null });
    });
    const watch = (p) => {
      p.on('console', (m) => {
        consoleLines.push(`${m.type()}: ${m.text()}`);
        if (/Content[- ]Security[- ]Policy/i.test(m.text())) csp.push(`console: ${m.text()}`);
      });
      p.on('pageerror', (e) => problems.push(e.message));
    };
    const violations = async (p) => [...csp, ...((await p.evaluate(() => window.__csp ?? [])) || [])];

    const page = ctx.pages()[0] ?? (await ctx.newPage());
    watch(page);
    await page.goto(srv.url);
    await page.getByTestId('hf-table').waitFor({ timeout: 15000 });
    await page.getByTestId('source-tab-hub').click();
    await page.locator('details.token summary').click();
    await page.getByTestId('hub-token').fill(TOKEN);
    const load = async (id) => {
      await page.getByTestId('hub-id').fill(id);
      await page.getByTestId('hub-load').click();
    };
    const errorKind = (k) => page.waitForFunction((kind) => document.querySelector('[data-testid=hub-error]')?.dataset.kind === kind, k, { timeout: 15000 });
    const noTokenInPage = async (where) => {
      const html = await page.content();
      assert(!html.includes(TOKEN), `${where}: token in the page's HTML`);
      assert(!(await page.evaluate(() => document.body.innerText)).includes(TOKEN), `${where}: token in the page's text`);
      assert(!page.url().includes(TOKEN), `${where}: token in location.href`);
    };

    await check('a Hub model with a token: the token only in Authorization headers to huggingface.co, never in a URL', async () => {
      mode = 'ok';
      requests.length = 0;
      await load('org/model');
      await page.getByTestId('stored-bytes').waitFor({ timeout: 15000 }).catch(async (e) => {
        throw new Error(`${await page.getByTestId('stored-error').textContent().catch(() => '')} | ${e.message}`);
      });
      assert(Number(await page.getByTestId('stored-bytes').getAttribute('data-bytes')) === ST.bytes, 'safetensors header read by Range');
      const hubReqs = requests.filter((r) => r.host === 'huggingface.co');
      assert(hubReqs.length >= 5, `requests: ${requests.map((r) => r.url).join(' ')}`);
      for (const r of hubReqs) assert(r.auth === `Bearer ${TOKEN}`, `huggingface.co without the token: ${r.url}`);
      for (const r of requests) {
        assert(!r.url.includes(TOKEN) && !r.url.includes(encodeURIComponent(TOKEN)), `token in a URL: ${r.url}`);
        if (r.host !== 'huggingface.co') assert(r.auth === null, `Authorization sent to ${r.host}: ${r.url}`);
      }
    });

    await check('the token is not in location.href, the permalink, the embed snippet, the console or localStorage', async () => {
      await page.waitForTimeout(300); // the permalink is written ~120 ms after a change
      await noTokenInPage('loaded');
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
      await page.getByTestId('copy-link').click();
      await page.waitForTimeout(150);
      const link = await page.evaluate(() => navigator.clipboard.readText());
      assert(link.includes('hub=org%2Fmodel') && !link.includes(TOKEN), `permalink: ${link}`);
      await page.getByTestId('embed-open').click();
      const snippets = (await page.getByTestId('embed-widget').inputValue()) + (await page.getByTestId('embed-iframe').inputValue());
      assert(snippets.length > 50 && !snippets.includes(TOKEN), 'embed snippets');
      await page.getByTestId('embed-close').click();
      const stores = await page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
      assert(!stores.local.includes(TOKEN) && !stores.session.includes(TOKEN), 'storage without "remember"');
      assert(!consoleLines.some((l) => l.includes(TOKEN)), 'console');
    });

    await check('"remember" keeps the token in sessionStorage only, never localStorage; unticking removes it', async () => {
      await page.getByTestId('hub-remember').check();
      let s = await page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
      assert(s.session.includes(TOKEN), 'sessionStorage when ticked');
      assert(!s.local.includes(TOKEN), 'never localStorage');
      await page.getByTestId('hub-remember').uncheck();
      s = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
      assert(!s.includes(TOKEN), 'removed when unticked');
    });

    for (const [m, kind, words] of [
      ['gated', 'gated', 'gated or private'],
      ['missing', 'not_found', 'was not found'],
      ['big', 'too_large', 'config.json is too large: 6.0 MB (the limit is 5.0 MB)'],
    ]) {
      await check(`Hub ${m} (with a token): the ${kind} message, the token nowhere on the page`, async () => {
        mode = m;
        await load('org/model');
        await errorKind(kind);
        const text = await page.getByTestId('hub-error').textContent();
        assert(text.includes(words), `message "${words}": ${text}`);
        await noTokenInPage(m);
      });
    }

    await check('every request went to 127.0.0.1 or a Hub host', async () => {
      const foreign = requests.filter((r) => r.host !== '127.0.0.1' && !isHub(r.host));
      assert(foreign.length === 0, `foreign: ${foreign.map((r) => r.url).join(', ')}`);
    });

    await check('no CSP violation on the page through Hub loading, tabs, chart, exports and dialogs', async () => {
      mode = 'ok';
      await load('org/model');
      await page.getByTestId('stored-bytes').waitFor({ timeout: 15000 });
      for (const t of ['inference', 'serving', 'finetune', 'training']) await page.getByTestId(`mode-tab-${t}`).click();
      await page.evaluate(() => document.querySelector('[data-testid=sweep-chart]')?.scrollIntoView());
      await page.waitForTimeout(300);
      await page.getByTestId('lang').selectOption('zh-CN');
      await page.getByTestId('lang').selectOption('en');
      const v = await violations(page);
      assert(v.length === 0, `violations: ${v.join(' | ')}`);
      const meta = await page.evaluate(() => document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content ?? '');
      assert(meta.includes("default-src 'self'") && meta.includes('https://huggingface.co'), `policy in force: ${meta}`);
    });

    // The timeout, shortened for this page only (production reads no such setting but a shorter one).
    const p2 = await ctx.newPage();
    watch(p2);
    await p2.addInitScript(() => {
      window.__vramcalcHubTimeoutMs = 1500;
    });
    await check('a Hub that never answers: the timeout message (en and zh-CN), the token nowhere', async () => {
      mode = 'hang';
      await p2.goto(`${srv.url}#lang=en`);
      await p2.getByTestId('hf-table').waitFor({ timeout: 15000 });
      await p2.getByTestId('source-tab-hub').click();
      await p2.locator('details.token summary').click();
      await p2.getByTestId('hub-token').fill(TOKEN);
      await p2.getByTestId('hub-id').fill('org/slow-model');
      await p2.getByTestId('hub-load').click();
      await p2.waitForFunction(() => document.querySelector('[data-testid=hub-error]')?.dataset.kind === 'timeout', null, { timeout: 15000 });
      const en = await p2.getByTestId('hub-error').textContent();
      assert(en.includes('did not answer within 1.5 s'), `en: ${en}`);
      await p2.getByTestId('lang').selectOption('zh-CN');
      await p2.waitForFunction(() => document.querySelector('[data-testid=hub-error]')?.textContent.includes('秒内没有响应'), null, { timeout: 5000 });
      const html = await p2.content();
      assert(!html.includes(TOKEN) && !p2.url().includes(TOKEN), 'token on the page after the timeout');
      const v = await violations(p2);
      assert(v.length === 0, `violations: ${v.join(' | ')}`);
    });
    await p2.close();

    await check('the accuracy page: no CSP violation', async () => {
      const p = await ctx.newPage();
      watch(p);
      await p.goto(`${srv.url}accuracy.html`);
      await p.locator('table').first().waitFor({ timeout: 15000 });
      await p.waitForTimeout(300);
      const v = await violations(p);
      assert(v.length === 0, `violations: ${v.join(' | ')}`);
      await p.close();
    });

    await check('the demo post: three widgets render styled under the strict policy, no CSP violation', async () => {
      const p = await ctx.newPage();
      watch(p);
      await p.goto(`${srv.url}demo/post.html`);
      for (const id of ['w-llama', 'w-qwen', 'w-custom']) await p.locator(`#${id} [data-testid=widget-total]`).waitFor({ timeout: 15000 });
      const styled = await p.evaluate(() => {
        const root = document.querySelector('#w-qwen').shadowRoot;
        return { sheets: root.adoptedStyleSheets.length, inline: root.querySelectorAll('style').length, display: getComputedStyle(root.querySelector('.vc')).display };
      });
      assert(styled.sheets === 1 && styled.inline === 0, `widget styles adopted, not inline: ${JSON.stringify(styled)}`);
      const v = await violations(p);
      assert(v.length === 0, `violations: ${v.join(' | ')}`);
      const meta = await p.evaluate(() => document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content ?? '');
      assert(meta.includes("style-src 'self' 'sha256-") && !meta.includes('unsafe-inline'), `demo policy: ${meta}`);
      await p.close();
    });

    await check('the token never reached the console; no page errors', async () => {
      assert(!consoleLines.some((l) => l.includes(TOKEN)), 'token in a console message');
      assert(problems.length === 0, `page errors: ${problems.join(' | ')}`);
      const foreign = requests.filter((r) => r.host !== '127.0.0.1' && !isHub(r.host));
      assert(foreign.length === 0, `foreign requests: ${foreign.map((r) => r.url).join(', ')}`);
    });
  } catch (e) {
    failed++;
    console.log(`not ok - websec harness: ${e?.stack ?? e}`);
  } finally {
    await browser.close();
    srv.stop();
  }
  return { passed, failed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { passed, failed } = await runWebsecTests();
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
