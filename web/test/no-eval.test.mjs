// The built site runs no string as code: every script in web/dist (the page's chunks, the widget's
// two builds, the engine's Emscripten glue, built with -sDYNAMIC_EXECUTION=0) is free of eval(),
// new Function() / Function() and string timers, so the pages' CSP needs no 'unsafe-eval' and
// nothing fetched from the Hub can become code. And each built page carries that CSP (csp.js).
// Needs the build (tools/build.sh); skips when web/dist is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const built = existsSync(join(DIST, 'index.html'));
const files = (dir, ext) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : []));

// String-to-code: eval(…), new Function(…), Function(…) (not isFunction( or .Function), and
// setTimeout/setInterval given a string literal.
const CODE_FROM_STRING = [
  [/(?<![\w$.])eval\s*\(/, 'eval('],
  [/\bnew\s+Function\s*\(/, 'new Function('],
  [/(?<![\w$.])Function\s*\(/, 'Function('],
  [/\bset(?:Timeout|Interval)\s*\(\s*["'`]/, 'setTimeout("…")'],
];

test('no script in dist/ turns a string into code', { skip: !built && 'web/dist missing: run tools/build.sh' }, () => {
  const scripts = files(DIST, /\.(m?js)$/);
  assert.ok(scripts.some((f) => f.includes(`${join('dist', 'widget')}`)), 'the widget build is scanned');
  assert.ok(scripts.length >= 4, `scripts found: ${scripts.length}`);
  const hits = [];
  for (const f of scripts) {
    const code = readFileSync(f, 'utf8');
    for (const [re, name] of CODE_FROM_STRING) {
      const m = re.exec(code);
      if (m) hits.push(`${relative(DIST, f)}: ${name} at ${m.index}: …${code.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
    }
  }
  assert.deepEqual(hits, []);
});

test('the pattern list catches what it should (and not look-alikes)', () => {
  const caught = (s) => CODE_FROM_STRING.some(([re]) => re.test(s));
  for (const bad of ['eval("1")', 'x=eval (s)', 'new Function("a","return a")', 'const f=Function("return this")', 'setTimeout("alert(1)",0)']) assert.ok(caught(bad), bad);
  for (const ok of ['isFunction(x)', 'a.eval(1)', 'typeof f=="function"', 'setTimeout(() => 1, 0)', 'evaluate(x)']) assert.ok(!caught(ok), ok);
});

const PAGES = ['index.html', 'accuracy.html', 'demo/post.html'];
test('every built page carries the strict CSP, its inline scripts and styles allowed by hash only', { skip: !built && 'web/dist missing: run tools/build.sh' }, () => {
  for (const page of PAGES) {
    const html = readFileSync(join(DIST, page), 'utf8');
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    assert.ok(m, `${page}: CSP meta`);
    assert.ok(m.index < html.search(/<script|<style|<link rel="stylesheet"/), `${page}: the policy comes before any script or style`);
    const dir = Object.fromEntries(m[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(dir['default-src'], ["'self'"], page);
    assert.deepEqual(dir['object-src'], ["'none'"], page);
    assert.deepEqual(dir['base-uri'], ["'none'"], page);
    assert.deepEqual(dir['form-action'], ["'none'"], page);
    assert.deepEqual(dir['img-src'], ["'self'", 'data:'], page);
    assert.deepEqual(dir['connect-src'], ["'self'", 'https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'], page);
    for (const k of ['script-src', 'style-src']) {
      assert.ok(!dir[k].some((v) => v === "'unsafe-inline'" || v === "'unsafe-eval'" || v === '*' || v.endsWith(':')), `${page} ${k}: ${dir[k]}`);
    }
    assert.deepEqual(dir['script-src'].slice(0, 2), ["'self'", "'wasm-unsafe-eval'"], page);
    // Each inline script (not JSON data) and <style> has its hash in the policy.
    const hash = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    for (const s of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      if (/src=|application\/json/.test(s[1])) continue;
      assert.ok(dir['script-src'].includes(hash(s[2])), `${page}: inline script hashed: ${s[2].slice(0, 60)}`);
    }
    for (const s of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) assert.ok(dir['style-src'].includes(hash(s[1])), `${page}: <style> hashed`);
  }
});
