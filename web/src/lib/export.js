// Export the current view as Markdown, JSON or CSV. The bytes are the engine's; the text columns
// are formatted with the page's unit and language.
import { hfRows } from './views.js';

function modelName(app) {
  const s = app.source.value;
  if (s === 'catalog') return app.catalogId.value;
  if (s === 'hub') return app.hub.id.value;
  return s === 'manual' ? 'manual dimensions' : 'pasted config.json';
}

/** Plain data of what is on screen: model, HF table rows, the tab's knobs and report. */
export function snapshot(app) {
  const p = app.params.value;
  const r = app.report.value;
  return {
    engine: app.M.version(),
    model: modelName(app),
    units: app.units.value,
    params: p?.ok ? p.value : null,
    hfTable: hfRows(app),
    tab: app.tab.value,
    options: app.opts.value,
    report: r?.ok ? r.value : null,
  };
}

export function toJSON(app) {
  return JSON.stringify(snapshot(app), null, 2);
}

const cell = (s) => String(s).replace(/\|/g, '\\|');

export function toMarkdown(app, f) {
  const s = snapshot(app);
  const { t, bytes, int, label } = f;
  const lines = [`### ${t('export.mdTitle', { model: s.model })}`, ''];
  if (s.params) lines.push(`${t('model.params')}: ${int(s.params.totalParams)}`, '');
  lines.push(`| ${t('hf.dtype')} | ${t('hf.largest')} | ${t('hf.total')} | ${t('hf.training')} |`, '|---|---:|---:|---:|');
  for (const r of s.hfTable)
    lines.push(`| ${r.dtype} | ${bytes(r.largestLayerBytes)} | ${bytes(r.totalBytes)} | ${r.trainingBytes === null ? t('hf.na') : bytes(r.trainingBytes)} |`);
  if (s.report) {
    lines.push('', `#### ${app.tabLabels.value.find((x) => x.id === s.tab)?.label ?? s.tab}: ${bytes(s.report.totalBytes)}`, '', `| ${t('explain.item')} | ${t('explain.bytes')} | ${t('explain.formula')} |`, '|---|---:|---|');
    for (const it of s.report.items) lines.push(`| ${cell(label('item', it.id))} | ${bytes(it.bytes)} | ${cell(it.explain ?? '')} |`);
  }
  lines.push('', `<sub>${s.engine}</sub>`);
  return lines.join('\n');
}

const csvCell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function toCSV(app) {
  const s = snapshot(app);
  const rows = [['section', 'name', 'bytes', 'detail']];
  for (const r of s.hfTable) {
    rows.push(['hf_total', r.dtype, r.totalBytes, '']);
    rows.push(['hf_largest_layer', r.dtype, r.largestLayerBytes, '']);
    rows.push(['hf_training_adam', r.dtype, r.trainingBytes ?? '', '']);
  }
  if (s.report) {
    rows.push([`${s.tab}_total`, 'total', s.report.totalBytes, s.report.peakPhase ?? '']);
    for (const it of s.report.items) rows.push([`${s.tab}_item`, it.id, it.bytes, it.explain ?? '']);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
