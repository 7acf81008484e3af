// The full state in the URL fragment: model (catalog id, Hub id, manual fields or pasted config),
// tab, every knob that differs from the engine's default, GPU, units and language.
// Never the access token: it is not part of what this module reads.
import { LANGS, UNITS } from '../i18n/index.js';

const b64url = {
  enc: (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  dec: (s) => new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))),
};

export function serialize(app) {
  const q = new URLSearchParams();
  const src = app.source.value;
  if (src === 'catalog') q.set('model', app.catalogId.value);
  else if (src === 'hub' && app.hub.id.value) q.set('hub', app.hub.id.value);
  else if (src === 'manual') q.set('manual', JSON.stringify(app.manual.value));
  // A pasted config travels in the link up to the engine's limit (it refuses longer ones when the
  // link is opened).
  else if (src === 'paste' && new TextEncoder().encode(app.pasteText.value).length <= app.options.limits.urlConfigBytes) q.set('config', b64url.enc(app.pasteText.value));
  else q.set('source', src);
  q.set('tab', app.tab.value);
  for (const t of app.tabIds) {
    const v = app.knobs[t].value;
    const d = app.tabDefaults[t];
    for (const k of Object.keys(v)) if (v[k] !== d[k]) q.set(`${t}.${k}`, String(v[k]));
  }
  if (app.gpuId.value && app.gpuId.value !== app.defaultGpu) q.set('gpu', app.gpuId.value);
  if (app.gpuCount.value !== 1) q.set('gpus', String(app.gpuCount.value));
  q.set('units', app.units.value);
  q.set('lang', app.lang.value);
  return q.toString();
}

const coerce = (raw, like) => (typeof like === 'number' ? Number(raw) : typeof like === 'boolean' ? raw === 'true' : raw);

/**
 * Apply a fragment to the state. The engine decodes and checks it (M.decodeUrlState): a bad
 * parameter is dropped and listed in app.linkIgnored ([{code, field, message}]) for the page to
 * show. Returns the Hub id to load, if the link names one.
 */
export function apply(app, fragment) {
  const r = app.M.decodeUrlState(String(fragment ?? ''));
  if (!r.ok) {
    app.linkIgnored.value = [r.error];
    return null;
  }
  const v = r.value;
  const ignored = [...v.ignored];
  let hubId = null;
  if (v.source === 'catalog') {
    app.catalogId.value = v.model;
    app.source.value = 'catalog';
  } else if (v.source === 'hub' && v.hub) {
    hubId = v.hub;
  } else if (v.source === 'manual' && v.manual) {
    app.manual.value = { ...app.manual.peek(), ...JSON.parse(v.manual) };
    app.source.value = 'manual';
  } else if (v.source === 'paste' && v.config) {
    app.pasteText.value = v.config;
    app.source.value = 'paste';
  } else if (app.sources.includes(v.source)) app.source.value = v.source;
  if (app.tabIds.includes(v.tab)) app.tab.value = v.tab;
  for (const t of app.tabIds) {
    const d = app.tabDefaults[t];
    const next = { ...d };
    for (const k of v.knobs) if (k.tab === t) next[k.key] = coerce(k.value, d[k.key]);
    app.knobs[t].value = next;
  }
  if (v.gpu) app.gpuId.value = v.gpu;
  if (v.gpus) app.gpuCount.value = v.gpus;
  // The page's own lists: a name the engine let through that this page does not offer is dropped too.
  for (const [name, list, sig] of [
    ['units', UNITS, app.units],
    ['lang', LANGS, app.lang],
  ]) {
    if (!v[name]) continue;
    if (list.includes(v[name])) sig.value = v[name];
    else ignored.push({ code: 'UnknownName', field: name, message: `${name} must be one of ${list.join(', ')}, got "${v[name]}"` });
  }
  app.linkIgnored.value = ignored;
  return hubId;
}
