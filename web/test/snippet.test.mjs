// The embed snippet's inline JSON (src/widget/snippet.js inlineJson) on hostile config strings:
// nothing in it can end the <script> element early or put the HTML parser into the
// script-data-escaped state, and JSON.parse reads back the same config. Oracle: the HTML Living
// Standard's tokenizer (script data, "<!--" → script data escaped state) as Chromium implements it —
// each snippet is parsed by Chromium followed by blog HTML, which must survive — and JSON.parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { register } from 'node:module';

// snippet.js builds on the page's state modules (attrs.js, permalink.js), which reach the
// WebAssembly engine through vite aliases; here they are stubs, so the snippet is built from a
// state whose config is the hostile text (globalThis.__snippetConfig) and nothing else.
register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(s, c, next) {
      if (c.parentURL?.endsWith('/widget/snippet.js') && (s === './attrs.js' || s === '../lib/permalink.js'))
        return { shortCircuit: true, url: 'data:text/javascript,' + encodeURIComponent(
          'export const stateToAttrs = () => ({ attrs: [["model", "x"]], config: globalThis.__snippetConfig });' +
          'export const serialize = () => "model=x";') };
      return next(s, c);
    }`),
);
const { inlineJson, embedSnippets } = await import('../src/widget/snippet.js');
const snippetFor = (config) => {
  globalThis.__snippetConfig = config;
  return embedSnippets({}, 'https://example.org/vramcalc/').widget;
};

const HOSTILE = [
  '<!--<script>',
  '</script><p id="injected">x</p>',
  '</SCRIPT >',
  '<!--',
  '-->',
  '<script>alert(1)</script>',
  '&lt;&amp;&#x3c;',
  'line\u2028para\u2029end',
  '<\u0000/script>',
  '<!--<script></script>-->',
];
const configOf = (s) => JSON.stringify({ model_type: 'llama', _name_or_path: s, hidden_size: 64 });

test('inline JSON has no <, >, & or U+2028/2029 and reads back unchanged', () => {
  for (const s of HOSTILE) {
    const text = configOf(s);
    const out = inlineJson(text);
    const inline = snippetFor(text).match(/<script type="application\/json">([^]*)<\/script>/)[1];
    assert.equal(inline, out, s);
    assert.doesNotMatch(out, /[<>&\u2028\u2029]/, s);
    assert.deepEqual(JSON.parse(out), JSON.parse(text), s);
  }
  // Text that is not JSON (kept as the user gave it) is made inert the same way.
  assert.equal(inlineJson('<!--<script>'), '\\u003c!--\\u003cscript\\u003e');
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium';

test('Chromium: the blog after a hostile snippet survives, and the widget reads the config back', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    for (const s of HOSTILE) {
      const text = configOf(s);
      // The snippet as the embed dialog gives it (its widget script tag blocked: no network here),
      // pasted into a post that goes on after it.
      const snippet = snippetFor(text);
      assert.match(snippet, /<script type="application\/json">/);
      await page.route('**/*', (r) => r.abort());
      const html = `<!doctype html><body><p>intro</p>${snippet}<p id="after">the rest of the post</p></body>`;
      await page.setContent(html);
      const got = await page.evaluate(() => ({
        after: document.getElementById('after')?.textContent ?? null,
        injected: document.getElementById('injected') !== null,
        scripts: document.querySelectorAll('vramcalc-widget script').length,
        json: document.querySelector('vramcalc-widget > script')?.textContent ?? null,
      }));
      assert.equal(got.after, 'the rest of the post', s);
      assert.equal(got.injected, false, s);
      assert.equal(got.scripts, 1, s);
      assert.deepEqual(JSON.parse(got.json), JSON.parse(text), s);
    }
  } finally {
    await browser.close();
  }
});
