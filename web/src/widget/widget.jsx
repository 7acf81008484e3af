// <vramcalc-widget>: the calculator for a blog post. One createAppState() per element over the
// page's one engine instance; its attributes are the permalink's state (attrs.js). Rendered into
// a shadow root with its own stylesheet, so the host page's CSS and the widget's stay apart.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { AppContext, useApp, useI18n } from '../app-context.js';
import { createAppState } from '../app-state.js';
import { loadEngine } from '../engine/loader.js';
import { apply, serialize } from '../lib/permalink.js';
import { LANGS, detectLang, loadLang } from '../i18n/index.js';
import { TabList, TabPanel } from '../components/tab-list/index.jsx';
import { Knobs } from '../components/knobs/index.jsx';
import { StackedBar } from '../components/stacked-bar/index.jsx';
import { GpuPicker } from '../components/verdict/index.jsx';
import { ErrorMessage } from '../components/error-message/index.jsx';
import { LinkNotice } from '../components/link-notice/index.jsx';
import { attrsToFragment, attrOf } from './attrs.js';
import css from './widget.css?inline';
import tabCss from '../components/tab-list/tab-list.css?inline';
import knobsCss from '../components/knobs/knobs.css?inline';
import barCss from '../components/stacked-bar/stacked-bar.css?inline';
import colorCss from '../components/stacked-bar/item-colors.css?inline';
import noticeCss from '../components/link-notice/link-notice.css?inline';
import verdictCss from '../components/verdict/verdict.css?inline';

const STYLE = [css, tabCss, knobsCss, colorCss, barCss, noticeCss, verdictCss].join('\n');
// One constructed stylesheet adopted by every widget's shadow root: no inline <style>, so the widget
// runs under a Content-Security-Policy without style-src 'unsafe-inline' (the demo post's). A
// browser without constructable stylesheets gets a <style> element instead.
let sheet = null;
try {
  sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
} catch {
  sheet = null;
}
const adopts = (root) => !!sheet && root instanceof ShadowRoot && Array.isArray(root.adoptedStyleSheets);

// The few strings that exist only in the widget.
const STRINGS = {
  en: { loading: 'Loading the calculator…', failed: 'The calculator failed to load', open: 'Open in vramcalc', item: 'Item', bytes: 'Memory' },
  'zh-CN': { loading: '正在加载计算器…', failed: '计算器加载失败', open: '在 vramcalc 中打开', item: '项目', bytes: '显存' },
};
const strings = (lang) => STRINGS[lang] ?? STRINGS.en;

/** Where the built widget script lives: its .wasm sits beside it, the full page one level up. */
export const SCRIPT_URL = import.meta.url;

/** The host element's attributes (+ the inline config from a child JSON script). */
function readHost(host) {
  const attrs = {};
  for (const a of host.attributes) attrs[a.name] = a.value;
  if (!attrs.config) {
    const s = host.querySelector('script[type="application/json"]');
    if (s && s.textContent.trim()) attrs.config = s.textContent;
  }
  return attrs;
}

function applyAttrs(app, attrs) {
  apply(app, attrsToFragment(attrs, app.tabDefaults));
  // Dropped parameters are named as the host page wrote them: attributes, not link parameters.
  app.linkIgnored.value = app.linkIgnored.peek().map((e) => ({ ...e, field: attrOf(e.field, attrs, app.tabIds) }));
  if (attrs.config) {
    app.pasteText.value = attrs.config;
    app.source.value = 'paste';
  }
}

export function VramcalcWidget(props) {
  const ref = useRef(null);
  const [app, setApp] = useState(null);
  const [error, setError] = useState(null);
  // Language: the lang attribute, else the host page's <html lang>, else the browser's.
  const lang0 = LANGS.includes(props.lang) ? props.lang : detectLang([document.documentElement.lang, ...(navigator.languages ?? [])].filter(Boolean));

  // The stylesheet, before the first paint.
  const [inline, setInline] = useState(false);
  useLayoutEffect(() => {
    const root = ref.current.getRootNode();
    if (!adopts(root)) return setInline(true);
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }, []);

  // The engine (shared by every widget on the page) and this element's own state.
  useEffect(() => {
    const host = ref.current.getRootNode().host;
    const wasmUrl = host?.getAttribute('wasm-url');
    let alive = true;
    loadEngine(wasmUrl ? { wasmUrl: new URL(wasmUrl, document.baseURI).href } : {})
      .then((M) => {
        if (!alive) return;
        const a = createAppState(M, { language: lang0 });
        const init = async () => {
          applyAttrs(a, readHost(host));
          await loadLang(a.lang.peek()); // catalogs other than English are loaded on demand
          if (alive) setApp(a);
        };
        // A script in <head> upgrades the element before its children (the JSON config) are parsed.
        if (document.readyState === 'loading' && !host.hasAttribute('config') && !host.firstElementChild)
          document.addEventListener('DOMContentLoaded', init, { once: true });
        else init();
      })
      .catch((e) => alive && setError(String(e?.message ?? e)));
    return () => {
      alive = false;
    };
  }, []);

  // Attribute changes after the first render: re-apply them. A MutationObserver, not props:
  // preact-custom-element reserves the prop name `context` for Preact's context.
  const [compactAttr, setCompact] = useState(props.compact);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!app) return;
    const host = ref.current.getRootNode().host;
    const mo = new MutationObserver(() => {
      setCompact(host.getAttribute('compact') ?? undefined);
      applyAttrs(app, readHost(host));
      loadLang(app.lang.peek()).then(() => setTick((n) => n + 1));
    });
    mo.observe(host, { attributes: true, childList: true, subtree: true, characterData: true });
    return () => mo.disconnect();
  }, [app]);

  const compact = compactAttr !== undefined && compactAttr !== null && compactAttr !== 'false';
  // expanded: the settings and the full table open from the start (otherwise one click away).
  const expanded = props.expanded !== undefined && props.expanded !== null && props.expanded !== 'false';
  return (
    <>
      {inline ? <style>{STYLE}</style> : null}
      <div ref={ref} class={`vc ${compact ? 'compact' : 'full'}`} data-testid="widget" data-state={app ? 'ready' : error ? 'error' : 'loading'}>
        {app ? (
          <AppContext.Provider value={app}>
            <View compact={compact} expanded={expanded} />
          </AppContext.Provider>
        ) : error ? (
          <p class="error-message" role="alert">
            <strong>{strings(lang0).failed}</strong> <span>{error}</span>
          </p>
        ) : (
          <p class="loading">{strings(lang0).loading}</p>
        )}
      </div>
    </>
  );
}

// The compact view's legend: the largest items (every item is in the expanded table).
const TOP_ITEMS = 4;

function View({ compact, expanded }) {
  const app = useApp();
  const f = useI18n();
  const { t, bytes, int, choice, label } = f;
  const s = strings(f.lang);
  const tab = app.tab.value;
  const knobs = app.opts.value;
  const p = app.params.value;
  const r = app.report.value;
  const rep = r?.ok ? r.value : null;
  const fr = app.fit.value;
  const fit = fr?.ok ? fr.value : null;
  const entry = app.source.value === 'catalog' ? app.catalog.find((m) => m.id === app.catalogId.value) : null;
  const name = entry?.name ?? entry?.id ?? (p?.ok ? p.value.architecture || p.value.modelType : 'config.json');
  const tabs = app.tabLabels.value;
  const shown = new Map(app.knobDefs.value.map((d) => [d.id, d]));
  const labelOf = (id) => shown.get(id)?.label ?? id;
  const meta = [
    tabs.find((x) => x.id === tab)?.label,
    knobs.method && shown.has('method') ? choice(knobs.method) : null,
    knobs.dtype ? choice(knobs.dtype) : null,
    knobs.context ? `${labelOf('context')} ${int(knobs.context)}` : knobs.seq ? `${labelOf('seq')} ${int(knobs.seq)}` : null,
    knobs.batch > 1 ? `${labelOf('batch')} ${int(knobs.batch)}` : null,
  ].filter(Boolean);
  const page = new URL('../', SCRIPT_URL);
  page.hash = serialize(app);
  return (
    <div lang={f.lang}>
      <p class="title">
        <strong class="model" data-testid="widget-model">
          {name}
        </strong>
        <span class="meta" data-testid="widget-meta">
          {meta.join(' · ')}
        </span>
      </p>
      <LinkNotice app={app} compact />
      {p && !p.ok ? <ErrorMessage error={p.error} testid="widget-error" /> : null}
      {r && !r.ok ? <ErrorMessage error={r.error} testid="widget-error" /> : null}
      {rep ? (
        <>
          {/* The answer first, as on the page: the verdict for the GPU, the total, the largest items. */}
          {fit ? (
            <p class={`verdict-line ${fit.fits ? 'yes' : 'no'}`} data-testid="widget-verdict" data-fits={String(fit.fits)}>
              <strong>{fit.fits ? t('fit.yes') : t('fit.no')}</strong> {t('fit.on', { n: int(app.fitCount.value), gpu: app.gpu.value?.name ?? '' })} ·{' '}
              {t(fit.fits ? 'fit.headroomIs' : 'fit.shortBy', { b: bytes(Math.abs(fit.headroomBytes)) })}
            </p>
          ) : null}
          <p class="headline">
            <span>{rep.gpus > 1 ? t('report.totalPerGpu', { n: int(rep.gpus) }) : t('report.total')}</span>{' '}
            <strong data-testid="widget-total" data-bytes={rep.totalBytes} title={`${int(rep.totalBytes)} B`}>
              {bytes(rep.totalBytes)}
            </strong>
            {fit ? <span class="sub">{t('fit.ofUsable', { usable: bytes(fit.usableBytes) })}</span> : null}
          </p>
          <StackedBar items={rep.items} top={TOP_ITEMS} />
        </>
      ) : null}
      {!compact ? (
        <details class="more" data-testid="widget-more" open={expanded}>
          <summary>{t('widget.more')}</summary>
          <GpuPicker />
          <TabList label={t('workload.task')} idPrefix="w" tabs={tabs} selected={tab} onSelect={(id) => (app.tab.value = id)} />
          <TabPanel idPrefix="w" selected={tab}>
            <Knobs />
          </TabPanel>
          {rep ? (
            <table class="items" data-testid="widget-items">
              <thead>
                <tr>
                  <th scope="col">{s.item}</th>
                  <th scope="col" class="num">
                    {s.bytes} ({t(`unit.${f.units}`)})
                  </th>
                </tr>
              </thead>
              <tbody>
                {rep.items
                  .filter((it) => it.bytes > 0)
                  .map((it) => (
                    <tr key={it.id} data-item={it.id}>
                      <th scope="row" title={it.explain}>
                        {label('item', it.id)}
                        {it.cpu ? <small> · {t('explain.cpu')}</small> : null}
                      </th>
                      <td class="num" data-bytes={it.bytes}>
                        {f.bytesNum(it.bytes)}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          ) : null}
        </details>
      ) : null}
      <p class="foot">
        <a href={page.href} target="_blank" rel="noopener" data-testid="widget-open">
          {s.open} ↗
        </a>
      </p>
    </div>
  );
}

