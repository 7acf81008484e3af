// Memory against context length, batch (inference) or sequence length (training): the engine's
// sweep (M.sweep), drawn with uPlot, which is loaded only when the chart comes near the viewport.
import { useEffect, useRef } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { useApp, useI18n } from '../../app-context.js';
import { loadUplot } from '../../lib/uplot.js';
import { UNIT_BYTES } from '../../i18n/index.js';
import './sweep-chart.css';

export function SweepChart() {
  const app = useApp();
  const { t, int, bytes } = useI18n();
  const host = useRef(null);
  const plot = useRef(null);
  // uPlot (≈23 KB gzip) loads only when the chart comes near the viewport, not on the cold view.
  const near = useSignal(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (near.peek() || !host.current) return;
    const io = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && ((near.value = true), io.disconnect()), { rootMargin: '200px' });
    io.observe(host.current);
    return () => io.disconnect();
  }, [host.current]);
  // The sweep is computed (and recomputed) only once the chart is near the viewport.
  const sweep = near.value ? app.sweep.value : null;
  const axis = sweep?.axis ?? app.sweepAxes.value[0];
  const result = sweep?.result ?? null;
  const d = result?.ok ? result.value : null;
  const units = app.units.value;

  useEffect(() => {
    if (!d || !host.current) return;
    let cancelled = false;
    loadUplot().then((uPlot) => {
      if (cancelled || !host.current) return;
      plot.current?.destroy();
      const width = Math.max(280, host.current.clientWidth);
      // Canvas cannot resolve CSS variables: read the theme's colours.
      const css = getComputedStyle(host.current);
      const fg = css.color;
      const accent = css.getPropertyValue('--accent').trim() || fg;
      const grid = css.getPropertyValue('--line').trim() || fg;
      plot.current = new uPlot(
        {
          width,
          height: 220,
          scales: { x: { time: false } },
          series: [
            { label: t(`sweep.${axis}`), value: (u, v) => (v === null ? '—' : int(v)) },
            { label: t('report.total'), stroke: accent, width: 2, value: (u, v) => (v === null ? '—' : bytes(v * UNIT_BYTES[units])) },
          ],
          axes: [
            { label: t(`sweep.${axis}`), stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, values: (u, vs) => vs.map(int) },
            { label: t(`unit.${units}`), stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid } },
          ],
        },
        // uPlot draws numbers; the engine's byte counts are only rescaled into the display unit.
        [d.x, d.totalBytes.map((b) => b / UNIT_BYTES[units])],
        host.current,
      );
    });
    return () => {
      cancelled = true;
    };
  }, [d, units, app.lang.value]);
  useEffect(() => () => plot.current?.destroy(), []);

  const axes = app.sweepAxes.value;
  return (
    <figure class="sweep-chart" data-testid="sweep-chart">
      <figcaption>
        {t('sweep.heading')}{' '}
        {axes.length > 1 ? (
          <select value={axis} onChange={(e) => (app.sweepAxis.value = e.currentTarget.value)} aria-label={t('sweep.axis')} data-testid="sweep-axis">
            {axes.map((a) => (
              <option key={a} value={a}>
                {t(`sweep.${a}`)}
              </option>
            ))}
          </select>
        ) : (
          t(`sweep.${axis}`)
        )}
      </figcaption>
      {result && !result.ok ? <p role="alert">{result.error.message}</p> : null}
      <div ref={host} class="plot" data-testid="sweep-plot" />
    </figure>
  );
}
