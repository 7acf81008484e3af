// One calculator instance = one createAppState(). Signals hold the inputs; computed() values call
// the engine. Nothing here derives a number: every byte and parameter count comes from the WASM.
import { signal, computed } from '@preact/signals';
import { features } from './engine/loader.js';
import { detectLang, loadLang } from './i18n/index.js';
import { loadFromHub, parseRepoId, HubLoadError } from './lib/hub.js';

const TOKEN_KEY = 'vramcalc.hfToken';

export const DEFAULT_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
export const SOURCES = ['catalog', 'hub', 'paste', 'manual'];
export const TABS = ['inference', 'serving', 'finetune', 'training'];
/** Which engine entry point a tab uses. */
export const TAB_MODE = { inference: 'inference', serving: 'inference', finetune: 'train', training: 'train' };
export { UNITS } from './i18n/index.js';

/** Manual dimensions form: the config.json fields a llama-style decoder needs (names are HF's). */
export const MANUAL_FIELDS = [
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'num_key_value_heads',
  'intermediate_size',
  'vocab_size',
  'max_position_embeddings',
  'head_dim',
];

/** Bindings return {ok, value} | {ok:false, error}; a few return bare values. */
export const unwrap = (r) => (r && typeof r === 'object' && 'ok' in r ? (r.ok ? r.value : null) : r);

/** The config.json object the manual form stands for (values are the user's, not defaults). */
export function manualConfig(fields) {
  const cfg = { model_type: 'llama', architectures: ['LlamaForCausalLM'] };
  for (const k of MANUAL_FIELDS) {
    const v = fields[k];
    if (v !== '' && v !== undefined && v !== null) cfg[k] = Number(v);
  }
  cfg.tie_word_embeddings = !!fields.tie_word_embeddings;
  return cfg;
}

/** Manual form values read from an existing config.json text (to start from the current model). */
export function manualFromConfig(text) {
  const out = { tie_word_embeddings: false };
  let cfg;
  try {
    cfg = JSON.parse(text);
  } catch {
    return out;
  }
  const c = cfg && typeof cfg === 'object' ? (cfg.text_config ?? cfg) : {};
  for (const k of MANUAL_FIELDS) out[k] = c[k] ?? '';
  out.tie_word_embeddings = !!c.tie_word_embeddings;
  return out;
}

export function createAppState(M, { language } = {}) {
  const feat = features(M);
  const catalog = M.catalogModels();
  const options = feat.options ? unwrap(M.options()) : null;
  const gpus = feat.gpus ? (unwrap(M.gpus()) ?? []) : [];
  const defaults = options?.defaults ?? {};

  /** Knob defaults per tab, from the engine's options().defaults. */
  const tabDefaults = {
    inference: { ...(defaults.inference ?? {}) },
    // Serving and Fine-tune: the engine's own overrides (options().defaults.serving / .finetune).
    serving: { ...(defaults.inference ?? {}), ...(defaults.serving ?? {}) },
    finetune: {
      ...(defaults.train ?? {}),
      ...(defaults.finetune ?? {}),
    },
    training: { ...(defaults.train ?? {}), ...(defaults.training ?? {}) },
  };

  // ---- model input ----
  const source = signal('catalog');
  const catalogId = signal(DEFAULT_MODEL);
  const pasteText = signal('');
  const manual = signal(manualFromConfig(unwrap(M.catalogConfig(DEFAULT_MODEL)) ?? '{}'));
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
    switch (source.value) {
      case 'catalog':
        return M.catalogConfig(catalogId.value);
      case 'hub':
        return hub.config.value ? { ok: true, value: hub.config.value } : null;
      case 'paste':
        return pasteText.value.trim() ? { ok: true, value: pasteText.value } : null;
      case 'manual':
        return { ok: true, value: JSON.stringify(manualConfig(manual.value)) };
      default:
        return null;
    }
  });
  const configText = computed(() => (config.value?.ok ? config.value.value : ''));

  const params = computed(() => {
    const c = config.value;
    if (!c) return null;
    if (!c.ok) return c;
    return M.params(c.value);
  });
  const ready = computed(() => !!params.value?.ok);

  // Exact stored bytes from the checkpoint's safetensors headers (Hub models), by the engine.
  const stored = computed(() => {
    if (source.value !== 'hub' || !hub.headers.value || !ready.value || typeof M.safetensors !== 'function') return null;
    return M.safetensors(configText.value, hub.headers.value);
  });

  const hfTable = computed(() => (feat.hfTable && ready.value ? M.hfTable(configText.value) : null));

  // ---- workload ----
  const tab = signal('inference');
  const knobs = {};
  for (const t of TABS) knobs[t] = signal({ ...tabDefaults[t] });
  const mode = computed(() => TAB_MODE[tab.value]);
  const opts = computed(() => knobs[tab.value].value);
  const available = computed(() => feat[mode.value] && !!options);

  // ---- fits on / the GPU the workload runs on ----
  const defaultGpu = defaults.gpu ?? (gpus.find((g) => g.id === 'rtx-4090') ?? gpus[0])?.id ?? '';
  const gpuId = signal(defaultGpu);
  const gpuCount = signal(1);
  const gpu = computed(() => gpus.find((g) => g.id === gpuId.value) ?? null);

  // What goes to the engine: the knobs, plus the chosen card's usable memory where the runtime sizes
  // itself from the GPU (vLLM's KV pool), as the CLI's --gpu does.
  const engineOpts = computed(() => {
    let o = opts.value;
    if (mode.value === 'inference' && o.runtime === 'vllm' && gpu.value && o.gpuMemoryBytes === undefined)
      o = { ...o, gpuMemoryBytes: gpu.value.usableBytes };
    // The checkpoint as stored: the engine says which inference options its headers fix.
    const st = stored.value?.ok ? stored.value.value : null;
    if (mode.value === 'inference' && st?.options && o.dtype === 'auto') o = { ...o, ...st.options };
    return o;
  });

  const report = computed(() => {
    if (!ready.value || !available.value) return null;
    return M[mode.value](configText.value, engineOpts.value);
  });

  // Memory vs context (inference) or sequence length (training), up to the model's maximum (to = 0).
  const sweepAxis = computed(() => (mode.value === 'inference' ? 'context' : 'seq'));
  const sweep = computed(() => {
    if (!ready.value || !available.value) return null;
    if (mode.value === 'inference') return feat.sweepContext ? M.sweepContext(configText.value, engineOpts.value, 512, 0, 32) : null;
    return typeof M.sweepSeq === 'function' ? M.sweepSeq(configText.value, engineOpts.value, 128, 0, 32) : null;
  });

  // Training already says how many GPUs (the `gpus` knob): Fits on uses that one number.
  const fitCount = computed(() => (mode.value === 'train' && typeof opts.value.gpus === 'number' ? opts.value.gpus : gpuCount.value));
  function setFitCount(n) {
    if (mode.peek() === 'train' && typeof opts.peek().gpus === 'number') setKnob('gpus', n);
    else gpuCount.value = n;
  }
  const fit = computed(() => {
    if (!ready.value || !available.value || !feat.fit || !gpuId.value) return null;
    return M.fit(configText.value, mode.value, engineOpts.value, gpuId.value, fitCount.value);
  });

  // ---- presentation ----
  const units = signal('GiB');
  /** Parameters of the last applied link (or widget attributes) that were dropped: [{code, field, message}]. */
  const linkIgnored = signal([]);
  const lang = signal(language ?? detectLang(globalThis.navigator?.languages ?? []));

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
  async function loadHub(input) {
    const id = parseRepoId(input);
    hub.input.value = input;
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

  /** Switch language once its catalog is loaded (so the page never flashes untranslated keys). */
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
    feat,
    catalog,
    options,
    gpus,
    defaultGpu,
    tabDefaults,
    source,
    catalogId,
    pasteText,
    manual,
    hub,
    config,
    configText,
    params,
    ready,
    stored,
    hfTable,
    tab,
    knobs,
    mode,
    opts,
    engineOpts,
    gpu,
    available,
    report,
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
