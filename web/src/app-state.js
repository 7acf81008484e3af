// One calculator instance = one createAppState(). Signals hold the inputs; computed() values call
// the engine. Nothing here derives a number or restates an engine fact: tabs, knobs, defaults, the
// default GPU, the manual form's fields and every limit come from M.options(); every byte and
// parameter count from the engine's entry points.
import { signal, computed } from '@preact/signals';
import { detectLang, loadLang, speakTo } from './i18n/index.js';
import { loadFromHub, parseRepoId, HubLoadError } from './lib/hub.js';

const TOKEN_KEY = 'vramcalc.hfToken';

export const DEFAULT_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
export { UNITS } from './i18n/index.js';

/** Manual form values read from an existing config.json text (to start from the current model). */
export function manualFromConfig(fields, text) {
  const out = { tie_word_embeddings: false };
  let cfg;
  try {
    cfg = JSON.parse(text);
  } catch {
    cfg = null;
  }
  const c = cfg && typeof cfg === 'object' ? (cfg.text_config ?? cfg) : {};
  for (const k of fields) out[k] = typeof c[k] === 'number' ? c[k] : '';
  out.tie_word_embeddings = c.tie_word_embeddings === true;
  return out;
}

/** The engine's description of the page: option tables, tabs, default GPU, manual fields, limits. */
function engineLayout(M) {
  const options = M.options();
  const tabs = options.tabs;
  const defs = { inference: new Map(options.inference.map((d) => [d.id, d])), train: new Map(options.train.map((d) => [d.id, d])) };
  return { options, tabs, tabIds: tabs.map((t) => t.id), defs, tabDefaults: Object.fromEntries(tabs.map((t) => [t.id, { ...t.defaults }])) };
}

/** The model being estimated: where it comes from (catalog, Hub, pasted text, manual form). */
function modelInput(M, layout, lang) {
  const source = signal('catalog');
  const catalogId = signal(DEFAULT_MODEL);
  const pasteText = signal('');
  const fields = layout.options.manualFields;
  const first = M.catalogConfig(DEFAULT_MODEL);
  const manual = signal(manualFromConfig(fields, first.ok ? first.value : '{}'));
  const hub = {
    input: signal(''), // what the user typed (id or URL)
    id: signal(''), // the repo id that was loaded
    status: signal('idle'), // idle | loading | done | error
    step: signal(''), // progress message key
    error: signal(null), // {kind, status, detail}
    config: signal(''), // config.json text
    summary: signal(null), // Hub API safetensors summary {total, parameters:{dtype:n}}
    headers: signal(null), // raw safetensors header JSON texts (one per shard), or null
    headersError: signal(''),
    token: signal(''), // kept in memory only (sessionStorage when remember is ticked)
    remember: signal(false),
  };

  /** {ok:true, value:text} | {ok:false, error} | null when the source has nothing yet. */
  const config = computed(() => {
    speakTo(M, lang.value);
    switch (source.value) {
      case 'catalog':
        return M.catalogConfig(catalogId.value);
      case 'hub':
        return hub.config.value ? { ok: true, value: hub.config.value } : null;
      case 'paste':
        return pasteText.value.trim() ? { ok: true, value: pasteText.value } : null;
      case 'manual':
        return M.manualConfig(JSON.stringify(manual.value));
      default:
        return null;
    }
  });
  const configText = computed(() => (config.value?.ok ? config.value.value : ''));
  return { source, catalogId, pasteText, manual, manualFields: fields, hub, config, configText };
}

export function createAppState(M, { language } = {}) {
  const lang = signal(language ?? detectLang(globalThis.navigator?.languages ?? []));
  speakTo(M, lang.peek());
  const layout = engineLayout(M);
  const { tabs, tabIds, tabDefaults } = layout;
  const catalog = M.catalogModels();
  const gpus = M.gpus();
  const defaultGpu = layout.options.defaultGpu;
  // Every engine call renders its messages in the page's language.
  const call = (f) => {
    speakTo(M, lang.value);
    return f();
  };
  const input = modelInput(M, layout, lang);
  const { source, hub, config, configText } = input;

  const params = computed(() => {
    const c = config.value;
    if (!c) return null;
    if (!c.ok) return c;
    return call(() => M.params(c.value));
  });
  const ready = computed(() => !!params.value?.ok);

  // Exact stored bytes from the checkpoint's safetensors headers (Hub models), by the engine.
  const stored = computed(() => {
    if (source.value !== 'hub' || !hub.headers.value || !ready.value) return null;
    return call(() => M.safetensors(configText.value, hub.headers.value));
  });

  const hfTable = computed(() => (ready.value ? call(() => M.hfTable(configText.value)) : null));

  // ---- workload ----
  const tab = signal(tabIds[0]);
  const knobs = {};
  for (const t of tabIds) knobs[t] = signal({ ...tabDefaults[t] });
  const tabOf = computed(() => tabs.find((t) => t.id === tab.value) ?? tabs[0]);
  const mode = computed(() => tabOf.value.mode);
  const opts = computed(() => knobs[tab.value].value);
  /** The option definitions of the current tab's knobs, in the engine's order, as shown now. */
  const knobDefs = computed(() => {
    lang.value; // labels are rendered in the page's language
    const fresh = call(() => M.options());
    const defs = new Map(fresh[mode.value].map((d) => [d.id, d]));
    const v = opts.value;
    return tabOf.value.knobs.map((k) => defs.get(k)).filter((d) => d && (!d.shownWhen || v[d.shownWhen.option] === d.shownWhen.value));
  });
  const tabLabels = computed(() => {
    lang.value;
    return call(() => M.options()).tabs.map((t) => ({ id: t.id, label: t.label }));
  });

  // ---- fits on / the GPU the workload runs on ----
  const gpuId = signal(defaultGpu);
  const gpuCount = signal(1);
  const gpu = computed(() => gpus.find((g) => g.id === gpuId.value) ?? null);

  // What goes to the engine: the knobs, the card the workload runs on (vLLM sizes its KV pool from
  // it, as the CLI's --gpu), and the checkpoint's stored bytes when its own format is asked for.
  const engineOpts = computed(() => {
    let o = { ...opts.value, gpu: gpuId.value };
    const st = stored.value?.ok ? stored.value.value : null;
    if (mode.value === 'inference' && st?.options && o.dtype === 'auto') o = { ...o, ...st.options };
    return o;
  });

  const report = computed(() => {
    if (!ready.value) return null;
    const o = engineOpts.value;
    return call(() => M[mode.value](configText.value, o));
  });

  // Memory against context (inference) or sequence length (training), up to the model's maximum
  // (to = 0), or against batch.
  const sweepAxes = computed(() => (mode.value === 'inference' ? ['context', 'batch'] : ['seq']));
  const sweepAxis = signal('context');
  const sweep = computed(() => {
    if (!ready.value) return null;
    const axes = sweepAxes.value;
    const axis = axes.includes(sweepAxis.value) ? sweepAxis.value : axes[0];
    const [from, to, points] = axis === 'batch' ? [1, 64, 64] : axis === 'seq' ? [128, 0, 32] : [512, 0, 32];
    const o = engineOpts.value;
    return { axis, result: call(() => M.sweep(configText.value, axis, o, from, to, points)) };
  });

  // Training already says how many GPUs (the `gpus` knob): Fits on uses that one number.
  const fitCount = computed(() => (mode.value === 'train' && typeof opts.value.gpus === 'number' ? opts.value.gpus : gpuCount.value));
  function setFitCount(n) {
    if (mode.peek() === 'train' && typeof opts.peek().gpus === 'number') setKnob('gpus', n);
    else gpuCount.value = n;
  }
  const fit = computed(() => {
    if (!ready.value || !gpuId.value) return null;
    const o = engineOpts.value;
    return call(() => M.fit(configText.value, mode.value, o, gpuId.value, fitCount.value));
  });

  // ---- presentation ----
  const units = signal('GiB');
  /** Parameters of the last applied link (or widget attributes) that were dropped: [{code, field, message}]. */
  const linkIgnored = signal([]);

  // The token lives in this signal; sessionStorage only while "remember" is ticked.
  try {
    const saved = globalThis.sessionStorage?.getItem(TOKEN_KEY);
    if (saved) {
      hub.token.value = saved;
      hub.remember.value = true;
    }
  } catch {
    /* storage disabled */
  }
  function setToken(token, remember) {
    hub.token.value = token;
    hub.remember.value = remember;
    try {
      if (remember && token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      /* storage disabled */
    }
  }

  let hubRequest = 0;
  /** Load config.json (+ safetensors summary) of a Hub repo; progress and errors in app.hub. */
  async function loadHub(text) {
    const id = parseRepoId(text);
    hub.input.value = text;
    source.value = 'hub';
    if (!id) {
      hub.status.value = 'error';
      hub.error.value = { kind: 'bad_id' };
      return;
    }
    const req = ++hubRequest;
    hub.status.value = 'loading';
    hub.error.value = null;
    hub.step.value = 'hub.step.lib';
    try {
      const r = await loadFromHub(id, { token: hub.token.value, onStep: (k) => req === hubRequest && (hub.step.value = k) });
      if (req !== hubRequest) return;
      hub.id.value = r.id;
      hub.summary.value = r.summary;
      hub.headers.value = r.headers;
      hub.headersError.value = r.headersError;
      hub.config.value = r.configText;
      hub.status.value = 'done';
    } catch (e) {
      if (req !== hubRequest) return;
      hub.id.value = id;
      hub.config.value = '';
      hub.summary.value = null;
      hub.headers.value = null;
      hub.status.value = 'error';
      hub.error.value = e instanceof HubLoadError ? { kind: e.kind, status: e.status, detail: e.detail, vars: e.vars } : { kind: 'network', detail: String(e?.message ?? e) };
    }
  }

  /** Switch language once its catalogs are loaded (so the page never flashes untranslated keys). */
  async function setLang(l) {
    await loadLang(l);
    lang.value = l;
  }

  function setKnob(key, value) {
    const s = knobs[tab.value];
    s.value = { ...s.value, [key]: value };
  }

  return {
    M,
    catalog,
    options: layout.options,
    tabIds,
    tabLabels,
    sources: layout.options.sources,
    gpus,
    defaultGpu,
    tabDefaults,
    ...input,
    params,
    ready,
    stored,
    hfTable,
    tab,
    knobs,
    knobDefs,
    mode,
    opts,
    engineOpts,
    gpu,
    report,
    sweepAxes,
    sweepAxis,
    sweep,
    gpuId,
    gpuCount,
    fitCount,
    setFitCount,
    fit,
    units,
    lang,
    linkIgnored,
    setKnob,
    setLang,
    setToken,
    loadHub,
  };
}
