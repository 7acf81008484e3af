// One look per line-item id (lib/item-colors.js + components/stacked-bar/item-colors.css), legible
// and colour-blind safe. Oracles: WCAG 2.1 relative luminance / contrast ratio (1.4.11: graphics
// ≥ 3:1 against their background), Machado, Oliveira & Fernandes 2009 (severity 1.0) for
// protanopia, deuteranopia and tritanopia, CIE76 ΔE in CIELAB; the item ids are the engine's
// (every b.add("<id>") in engine/src) and the page's item labels (web/src/i18n/en.json item.*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { REPO } from './engine.mjs';
import { ITEM_LOOK, itemClass } from '../src/lib/item-colors.js';

const css = await readFile(`${REPO}web/src/components/stacked-bar/item-colors.css`, 'utf8');
const app = await readFile(`${REPO}web/src/components/app/app.css`, 'utf8');
const widget = await readFile(`${REPO}web/src/widget/widget.css`, 'utf8');

/** The --f-* values of the first rule whose selector contains `sel`. */
function families(sel) {
  const at = css.indexOf(sel);
  const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
  return Object.fromEntries([...body.matchAll(/--f-(\w+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
}
const cardOf = (text, marker) => text.slice(text.indexOf(marker)).match(/--card:\s*(#[0-9a-f]{6})/i)[1];

const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (h) => rgb(h).map(lin).reduce((s, c, i) => s + [0.2126, 0.7152, 0.0722][i] * c, 0);
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const CVD = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
};
function lab([r, g, b]) {
  const f = (t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, Y = 0.2126 * r + 0.7152 * g + 0.0722 * b, Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}
const seen = (h, m) => lab(CVD[m].map((row) => Math.min(1, Math.max(0, row.reduce((s, k, i) => s + k * lin(rgb(h)[i]), 0)))));
const dE = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

const themes = [
  ['light', families(':root, .vc'), cardOf(app, ':root'), cardOf(widget, '.vc {')],
  ['dark', families(':host([theme='), cardOf(app, '@media (prefers-color-scheme: dark)'), cardOf(widget, "@media (prefers-color-scheme: dark)")],
];

test('every family colour reaches 3:1 against the page and widget cards, light and dark', () => {
  for (const [name, fam, pageCard, widgetCard] of themes) {
    assert.equal(Object.keys(fam).length, 8, `${name}: eight families`);
    for (const [f, c] of Object.entries(fam))
      for (const bg of [pageCard, widgetCard]) assert.ok(contrast(c, bg) >= 3, `${name} ${f} ${c} on ${bg}: ${contrast(c, bg).toFixed(2)}:1`);
  }
});

test('families stay apart for protanopia, deuteranopia and tritanopia (ΔE ≥ 12)', () => {
  for (const [name, fam] of themes) {
    const ids = Object.keys(fam);
    for (const m of Object.keys(CVD))
      for (let i = 0; i < ids.length; i++)
        for (let j = i + 1; j < ids.length; j++) {
          const d = dE(seen(fam[ids[i]], m), seen(fam[ids[j]], m));
          assert.ok(d >= 12, `${name} ${m}: ${ids[i]} vs ${ids[j]} only ΔE ${d.toFixed(1)}`);
        }
  }
});

test('the dark values in the media query and under theme="dark" are the same', () => {
  const media = css.slice(css.indexOf('@media'));
  const inMedia = Object.fromEntries([...media.slice(0, media.indexOf('}')).matchAll(/--f-(\w+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
  assert.deepEqual(inMedia, themes[1][1]);
});

test('every item id the engine reports has its own look; the page labels every one', async () => {
  const ids = new Set();
  async function walk(dir) {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) await walk(p);
      else if (p.endsWith('.cpp')) for (const m of (await readFile(p, 'utf8')).matchAll(/b\.add\((pre \+ )?"(\w+)"/g)) ids.add(m[2]) && m[1] && ids.add(`lora_${m[2]}`);
    }
  }
  await walk(`${REPO}engine/src`);
  const labels = JSON.parse(await readFile(`${REPO}web/src/i18n/en.json`, 'utf8'));
  for (const id of ids) {
    assert.ok(ITEM_LOOK[id], `${id}: a look in lib/item-colors.js`);
    assert.ok(labels[`item.${id}`], `${id}: a label item.${id}`);
  }
  const looks = Object.values(ITEM_LOOK).map(String);
  assert.equal(new Set(looks).size, looks.length, 'no two ids share family and pattern');
  for (const [f, p] of Object.values(ITEM_LOOK)) {
    assert.ok(themes[0][1][f], `family ${f} has a colour`);
    assert.ok(p === 0 || css.includes(`.ip${p} {`), `pattern ${p} is drawn`);
  }
  assert.equal(itemClass('weights'), 'ic-w ip0');
  assert.equal(itemClass('no_such_item'), 'ic-r ip4');
});
