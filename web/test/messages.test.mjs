// Every language is first-class: each catalog has every message of English, in English's order
// (the engine takes a catalog by position, engine/messages/en.json's), with the same placeholders,
// and a text of its own. Oracle: engine/messages/en.json and web/src/i18n/en.json themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { REPO } from './engine.mjs';

const placeholders = (s) => [...String(s).replace(/\{\{|\}\}/g, '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

async function catalogs(dir) {
  const out = {};
  for (const f of await readdir(dir)) if (f.endsWith('.json')) out[f.slice(0, -5)] = JSON.parse(await readFile(`${dir}/${f}`, 'utf8'));
  return out;
}

for (const [where, dir] of [
  ['engine', `${REPO}engine/messages`],
  ['page', `${REPO}web/src/i18n`],
]) {
  test(`${where} catalogs: every language has every English message, same order, same placeholders`, async () => {
    const all = await catalogs(dir);
    const en = all.en;
    assert.ok(en && Object.keys(all).length >= 2, `${dir}: en and at least one other language`);
    for (const [lang, cat] of Object.entries(all)) {
      if (lang === 'en') continue;
      assert.deepEqual(Object.keys(cat), Object.keys(en), `${lang}: the ids of en.json, in its order`);
      for (const [id, text] of Object.entries(en)) {
        assert.deepEqual(placeholders(cat[id]), placeholders(text), `${lang} ${id}: placeholders`);
        if (text !== '') assert.ok(cat[id] !== '', `${lang} ${id}: translated`);
      }
    }
  });
}
