// Export the current view as Markdown, JSON or CSV: the model, the workload (every knob shown, by
// its label), the verdict on the chosen GPU(s), the itemised estimate, the HF calculator's table and
// the permalink. The bytes are the engine's; the text columns are formatted with the page's unit
// and language.
import { hfRows } from './views.js';
import { serialize } from './permalink.js';

function modelName(app) {
  const s = app.source.value;
  if (s === 'catalog') return app.catalogId.value;
  if (s === 'hub') return app.hub.id.value;
  return s === 'manual' ? 'manual dimensions' : 'pasted config.json';
}

/** The page's address for this state (the fragment is the permalink). */
export function permalink(app, href = globalThis.location?.href ?? '') {
  return `${href.split('#')[0]}#${serialize(app)}`;
}

/** Plain data of what is on screen: model, workload, verdict, report, HF table rows, permalink. */
export function snapshot(app, href) {
  const p = app.params.value;
  const r = app.report.value;
  const fit = app.fit.value;
  const gpu = app.gpu.value;
  return {
    engine: app.M.version(),
    model: modelName(app),
    permalink: permalink(app, href),
    units: app.units.value,
    tab: app.tab.value,
    mode: app.mode.value,
    options: app.opts.value,
    gpu: gpu ? { id: gpu.id, name: gpu.name, count: app.fitCount.value, memoryBytes: gpu.memoryBytes } : null,
    fit: fit?.ok ? fit.value : null,
    report: r?.ok ? r.value : null,
    params: p?.ok ? p.value : null,
    hfTable: hfRows(app),
  };
}

export function toJSON(app, href) {
  return JSON.stringify(snapshot(app, href), null, 2);
}

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** "Batch 4 · Context 8,192 · …": the knobs the tab shows, with their values, by label. */
export function workloadLine(app, f) {
  const v = app.opts.value;
  const shown = (d) => (d.type === 'bool' ? f.t(v[d.id] ? 'export.yes' : 'export.no') : d.choices ? f.choice(String(v[d.id])) : typeof v[d.id] === 'number' ? f.int(v[d.id]) : String(v[d.id]));
  return app.knobDefs.value.map((d) => `${d.label} ${shown(d)}`).join(' · ');
}

/** "Fits on 1 × RTX 4090: 17.16 GiB of 23.99 GiB usable per GPU · 6.83 GiB headroom". */
export function verdictLine(s, f) {
  if (!s.fit || !s.gpu || !s.report) return '';
  const { t, bytes, int } = f;
  return `**${s.fit.fits ? t('fit.yes') : t('fit.no')}** ${t('fit.on', { n: int(s.gpu.count), gpu: s.gpu.name })}: ${bytes(s.report.totalBytes)} ${t('fit.ofUsable', { usable: bytes(s.fit.usableBytes) })} · ${t(s.fit.fits ? 'fit.headroomIs' : 'fit.shortBy', { b: bytes(Math.abs(s.fit.headroomBytes)) })}`;
}

export function toMarkdown(app, f, href) {
  const s = snapshot(app, href);
  const { t, bytes, int, label } = f;
  const tabLabel = app.tabLabels.value.find((x) => x.id === s.tab)?.label ?? s.tab;
  const lines = [`### ${t('export.mdTitle', { model: s.model })}`, ''];
  lines.push(`**${tabLabel}** · ${workloadLine(app, f)}`, '');
  const verdict = verdictLine(s, f);
  if (verdict) lines.push(verdict, '');
  if (s.report) {
    lines.push(`| ${t('explain.item')} | ${t('explain.bytes')} | ${t('explain.formula')} |`, '|---|---:|---|');
    for (const it of s.report.items)
      lines.push(`| ${cell(label('item', it.id))}${it.cpu ? ` (${t('explain.cpu')})` : ''} | ${bytes(it.bytes)} | ${cell(it.formula || '')} |`);
    const peak = s.report.peakPhase ? t('report.peak', { phase: label('phase', s.report.peakPhase) }) : '';
    lines.push(`| **${s.report.gpus > 1 ? t('report.totalPerGpu', { n: int(s.report.gpus) }) : t('report.total')}** | **${bytes(s.report.totalBytes)}** | ${cell(peak)} |`, '');
  }
  if (s.params) lines.push(`${t('model.params')}: ${int(s.params.totalParams)}`, '');
  if (s.hfTable.length) {
    lines.push(`${t('hf.heading')}:`, '', `| ${t('hf.dtype')} | ${t('hf.largest')} | ${t('hf.total')} | ${t('hf.training')} |`, '|---|---:|---:|---:|');
    for (const r of s.hfTable)
      lines.push(`| ${r.dtype} | ${bytes(r.largestLayerBytes)} | ${bytes(r.totalBytes)} | ${r.trainingBytes === null ? t('hf.na') : bytes(r.trainingBytes)} |`);
    lines.push('');
  }
  lines.push(`[${t('export.open')}](${s.permalink}) · <sub>${s.engine}</sub>`);
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
  if (s.fit && s.gpu) rows.push(['fit', s.gpu.id, s.fit.usableBytes, `fits=${s.fit.fits} gpus=${s.gpu.count} headroom=${s.fit.headroomBytes}`]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
