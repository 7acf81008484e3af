// The answer first: the GPU(s) the workload runs on, whether it fits (the engine's M.fit), the
// total and the headroom. Every number is the engine's; the meter only draws needed / usable.
import { useComputed } from '@preact/signals';
import { useApp, useI18n } from '../../app-context.js';
import './verdict.css';

export function GpuPicker() {
  const app = useApp();
  const { t, bytes, label } = useI18n();
  const bySegment = useComputed(() => {
    const m = new Map();
    for (const g of app.gpus) {
      if (!m.has(g.segment)) m.set(g.segment, []);
      m.get(g.segment).push(g);
    }
    return [...m];
  });
  if (!app.gpus.length) return null;
  return (
    <div class="gpu-picker">
      <label class="gpu">
        <span>{t('fit.gpu')}</span>
        <select value={app.gpuId.value} onChange={(e) => (app.gpuId.value = e.currentTarget.value)} data-testid="fit-gpu">
          {bySegment.value.map(([seg, gs]) => (
            <optgroup key={seg} label={label('segment', seg)}>
              {gs.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name} ({bytes(g.memoryBytes)})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label class="count">
        <span>{t('fit.count')}</span>
        <input
          type="number"
          min="1"
          step="1"
          inputMode="numeric"
          value={app.fitCount.value}
          data-testid="fit-count"
          onInput={(e) => Number.isFinite(e.currentTarget.valueAsNumber) && app.setFitCount(e.currentTarget.valueAsNumber)}
        />
      </label>
    </div>
  );
}

/** Verdict + total + headroom, in one block at the top of the estimate. */
export function Verdict({ rep }) {
  const app = useApp();
  const { t, bytes, int, label } = useI18n();
  const r = app.fit.value;
  const f = r?.ok ? r.value : null;
  const gpu = app.gpu.value;
  const n = app.fitCount.value;
  return (
    <div class={`verdict ${f ? (f.fits ? 'yes' : 'no') : ''}`} data-testid="verdict">
      {f ? (
        <p class="answer" data-testid="fit-verdict" data-fits={String(f.fits)}>
          <strong class="word">{f.fits ? t('fit.yes') : t('fit.no')}</strong>{' '}
          <span>{t('fit.on', { n: int(n), gpu: gpu?.name ?? '' })}</span>
        </p>
      ) : null}
      {r && !r.ok ? <p role="alert">{r.error.message}</p> : null}
      <p class="headline">
        <span class="what">{rep.gpus > 1 ? t('report.totalPerGpu', { n: int(rep.gpus) }) : t('report.total')}</span>{' '}
        <strong class="total" data-testid="report-total" data-bytes={rep.totalBytes} title={`${int(rep.totalBytes)} B`}>
          {bytes(rep.totalBytes)}
        </strong>
        {f ? (
          <span class="of">
            {t('fit.ofUsable', { usable: bytes(f.usableBytes) })} ·{' '}
            <span class="headroom">
              {t(f.fits ? 'fit.headroomIs' : 'fit.shortBy', { b: bytes(Math.abs(f.headroomBytes)) })}
            </span>
          </span>
        ) : null}
      </p>
      {f ? (
        /* Green up to 80 % of the card, amber to 95 %, red beyond (and when it does not fit). */
        <meter min="0" max={f.usableBytes} low={f.usableBytes * 0.8} high={f.usableBytes * 0.95} optimum={0} value={f.neededBytes} aria-label={t('fit.usage')} data-testid="fit-meter" />
      ) : null}
      <p class="sub">
        {rep.cpuBytes ? (
          <span>
            {t('report.cpu')} <strong data-bytes={rep.cpuBytes} data-testid="report-cpu">{bytes(rep.cpuBytes)}</strong>
          </span>
        ) : null}
        {rep.peakPhase ? <span>{t('report.peak', { phase: label('phase', rep.peakPhase) })}</span> : null}
      </p>
    </div>
  );
}

/** The engine's inverse solves for the chosen GPU: max context / batch, fewest GPUs, best quant. */
export function FitSolves() {
  const app = useApp();
  const { t, int, choice } = useI18n();
  const r = app.fit.value;
  const f = r?.ok ? r.value : null;
  if (!f) return null;
  const train = app.mode.value === 'train';
  return (
    <dl class="fit-solves" data-testid="fits-on" aria-label={t('fit.solves')}>
      {train ? (
        <div><dt>{t('fit.maxSeq')}</dt><dd data-testid="fit-max-seq">{f.maxSeq ? int(f.maxSeq) : t('fit.none')}</dd></div>
      ) : (
        <div><dt>{t('fit.maxContext')}</dt><dd data-testid="fit-max-context">{f.maxContext ? int(f.maxContext) : t('fit.none')}</dd></div>
      )}
      <div><dt>{train ? t('fit.maxMicroBatch') : t('fit.maxBatch')}</dt><dd data-testid="fit-max-batch">{f.maxBatch ? int(f.maxBatch) : t('fit.none')}</dd></div>
      <div><dt>{t('fit.minGpus')}</dt><dd data-testid="fit-min-gpus">{f.minGpus ? int(f.minGpus) : t('fit.noneUpTo')}</dd></div>
      {train ? null : (
        <div><dt>{t('fit.bestDtype')}</dt><dd data-testid="fit-best-dtype">{f.bestWeights ? choice(f.bestWeights) : t('fit.none')}</dd></div>
      )}
    </dl>
  );
}
