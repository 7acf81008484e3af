// <vramcalc-widget> attributes ⇄ the page's URL state (lib/permalink.js). The widget does not
// parse knobs itself: its attributes are turned into a permalink fragment and applied with the
// page's own apply(), so names and values are the permalink's (knob keys in kebab-case:
// kvDtype ↔ kv-dtype). The embed snippet is made from the state by the inverse, stateToAttrs().
/** Attributes that are not knobs. */
export const WIDGET_ATTRS = ['model', 'config', 'manual', 'mode', 'tab', 'units', 'lang', 'gpu', 'gpus', 'theme', 'compact', 'wasm-url'];
const TAB_ALIAS = { train: 'training', 'fine-tune': 'finetune' };

export const toKebab = (k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const toCamel = (a) => a.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

/** The tab an attribute set names (`mode` or `tab`, with aliases); the first tab otherwise. */
export function tabOf(attrs, tabIds) {
  const raw = String(attrs.mode ?? attrs.tab ?? '').toLowerCase();
  const t = TAB_ALIAS[raw] ?? raw;
  return tabIds.includes(t) ? t : tabIds[0];
}

/**
 * The permalink fragment an attribute set stands for.
 * @param {Record<string,string>} attrs   attribute name → value ('' for a bare boolean attribute)
 * @param {Record<string,object>} tabDefaults  app.tabDefaults (which keys are knobs, per tab)
 */
export function attrsToFragment(attrs, tabDefaults) {
  const q = new URLSearchParams();
  if (attrs.model) q.set('model', attrs.model);
  else if (attrs.manual) q.set('manual', attrs.manual);
  const tabIds = Object.keys(tabDefaults);
  const tab = tabOf(attrs, tabIds);
  // A mode the widget does not know goes to the engine as it is, to be reported (the knobs then
  // belong to the default tab).
  const raw = String(attrs.mode ?? attrs.tab ?? '').toLowerCase();
  q.set('tab', raw ? (TAB_ALIAS[raw] ?? raw) : tab);
  const knobKeys = Object.keys(tabDefaults[tab] ?? {});
  const value = (v, like) => (v === '' && typeof like === 'boolean' ? 'true' : v);
  for (const [name, v] of Object.entries(attrs)) {
    const dot = name.indexOf('.');
    if (dot > 0) {
      // fully qualified, like the permalink: training.grad-accum="4"
      const t = name.slice(0, dot);
      const k = toCamel(name.slice(dot + 1));
      if (tabIds.includes(t)) q.set(`${t}.${k}`, value(v, tabDefaults[t]?.[k]));
      continue;
    }
    const k = toCamel(name);
    // `gpu` is the card (the page's GPU picker); `gpus` a knob where the tab has one (training),
    // else the number of cards.
    if (name === 'gpu') q.set(name, v);
    else if (knobKeys.includes(k)) q.set(`${tab}.${k}`, value(v, tabDefaults[tab][k]));
    else if (name === 'gpus') q.set(name, v);
  }
  if (attrs.units) q.set('units', attrs.units);
  if (attrs.lang) q.set('lang', attrs.lang);
  return q.toString();
}

/** The attribute a link parameter stands for, for the widget's notice: inference.kvDtype → kv-dtype. */
export function attrOf(field, attrs, tabIds) {
  if (field === 'tab') return 'mode' in attrs || !('tab' in attrs) ? 'mode' : 'tab';
  const dot = field.indexOf('.');
  if (dot < 0) return field;
  const t = field.slice(0, dot);
  const k = toKebab(field.slice(dot + 1));
  return t === tabOf(attrs, tabIds) && !(field in attrs) && !(`${t}.${k}` in attrs) ? k : `${t}.${k}`;
}

/**
 * The widget attributes for an app state, in a stable order: [[name, value], …]. The model goes in
 * as `model` (catalog), `manual` (form fields) or `config` (pasted or Hub config.json text, which
 * the snippet writes as a child <script type="application/json">). Never the access token.
 */
export function stateToAttrs(app) {
  const out = [];
  let config = null;
  const src = app.source.value;
  if (src === 'catalog') out.push(['model', app.catalogId.value]);
  else if (src === 'manual') out.push(['manual', JSON.stringify(app.manual.value)]);
  else if (app.configText.value) config = app.configText.value;
  const tab = app.tab.value;
  out.push(['mode', tab]);
  const v = app.knobs[tab].value;
  const d = app.tabDefaults[tab];
  for (const k of Object.keys(v)) if (v[k] !== d[k]) out.push([toKebab(k), String(v[k])]);
  const knobKeys = Object.keys(d);
  if (app.gpuId.value && app.gpuId.value !== app.defaultGpu) out.push(['gpu', app.gpuId.value]);
  if (app.gpuCount.value !== 1 && !knobKeys.includes('gpus')) out.push(['gpus', String(app.gpuCount.value)]);
  out.push(['units', app.units.value]);
  out.push(['lang', app.lang.value]);
  return { attrs: out, config };
}
