// Message catalogs and every number format (Intl). Formatting only: byte counts arrive from the
// engine and are shown in the chosen unit; GiB = 2^30 bytes, GB = 10^9 bytes.
// Two catalogs per language: the page's own strings (./<lang>.json) and the engine's
// (engine/messages/<lang>.json), which the engine renders its explanations, labels and errors from.
import en from './en.json';
import engineEn from '@messages/en.json';

// English is in the main bundle; other catalogs are chunks loaded before they are shown.
const CATALOGS = { en };
const ENGINE_CATALOGS = { en: engineEn };
const LOADERS = {
  'zh-CN': () => Promise.all([import('./zh-CN.json'), import('@messages/zh-CN.json')]),
};
export const LANGS = ['en', ...Object.keys(LOADERS)];

/** Load a language's catalogs (no-op for English or one already loaded). */
export async function loadLang(lang) {
  if (!CATALOGS[lang] && LOADERS[lang]) {
    const [page, engine] = await LOADERS[lang]();
    ENGINE_CATALOGS[lang] = engine.default;
    CATALOGS[lang] = page.default;
  }
}

/** The engine's templates of a language, in engine/messages/en.json's order (what setMessages takes). */
export function engineMessages(lang) {
  const c = ENGINE_CATALOGS[lang] ?? engineEn;
  return Object.keys(engineEn).map((id) => c[id] ?? engineEn[id]);
}

// The language the engine module renders in now: one module serves every calculator on the page.
const spoken = new WeakMap();
/** Make the engine render its messages in `lang` (a loaded language, else English) from now on. */
export function speakTo(M, lang) {
  const l = ENGINE_CATALOGS[lang] ? lang : 'en';
  if (spoken.get(M) === l) return;
  M.setMessages(engineMessages(l));
  spoken.set(M, l);
}

/** First supported language in the browser's preference list (navigator.languages). */
export function detectLang(preferred) {
  for (const l of preferred) {
    const low = String(l).toLowerCase();
    if (low.startsWith('zh')) return 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'en';
}

export const UNITS = ['GiB', 'GB'];
/** Bytes per display unit. */
export const UNIT_BYTES = { GiB: 1024 ** 3, GB: 1e9 };
const cache = new Map();

/** t(key, vars) + number formatters for one language and unit. */
export function i18n(lang, units = 'GiB') {
  const id = `${lang}|${units}`;
  if (cache.has(id)) return cache.get(id);
  const cat = CATALOGS[lang] ?? en;
  const loaded = !!CATALOGS[lang];
  const fixed2 = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const int = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const signedPct = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'always' });
  const t = (key, vars) => {
    let s = cat[key] ?? en[key] ?? key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
  };
  const api = {
    lang,
    units,
    t,
    /** "15.00 GiB" — the displayed unit is always labelled. */
    bytes: (b) => (b === null || b === undefined ? '—' : `${fixed2.format(b / UNIT_BYTES[units])} ${t(`unit.${units}`)}`),
    /** Number only, for table cells whose header carries the unit. */
    bytesNum: (b) => (b === null || b === undefined ? '—' : fixed2.format(b / UNIT_BYTES[units])),
    int: (n) => (n === null || n === undefined ? '—' : int.format(n)),
    /** A percentage given in percent (12.4 → "12.4 %"); signed: "+8.9 %" / "-2.4 %". */
    pct: (x, signed = false) => (x === null || x === undefined ? '—' : `${(signed ? signedPct : pct).format(x)} %`),
    compact: (n) => (n === null || n === undefined ? '—' : compact.format(n)),
    /** Label of an engine identifier (group, item, phase, segment): catalog entry or the id itself. */
    label: (prefix, id) => cat[`${prefix}.${id}`] ?? en[`${prefix}.${id}`] ?? String(id).replace(/_/g, ' '),
    /** Label of an option's choice (an engine id such as "bf16" or "vllm"); falls back to the id. */
    choice: (id) => cat[`option.${id}`] ?? en[`option.${id}`] ?? String(id),
  };
  if (loaded) cache.set(id, api);
  return api;
}
