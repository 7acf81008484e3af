// "Fits on": the workload against a GPU from the engine's catalog (M.gpus()), with the engine's
// inverse solves (M.fit): max context, max batch, fewest GPUs, best quant.
import { useComputed } from '@preact/signals';
import { useApp, useI18n } from '../../app-context.js';
import './fits-on.css';

export function FitsOn() {
  const app = useApp();
  const { t, bytes, int, choice, label } = useI18n();
  const bySegment = useComputed(() => {
    const m = new Map();
    for (const g of app.gpus) {
      if (!m.has(g.segment)) m.set(g.segment, []);
      m.get(g.segment).push(g);
    }
    return [...m];
  });
  if (!app.gpus.length) return null;
  const r = app.fit.value;
  const f = r?.ok ? r.value : null;
  const train = app.mode.value === 'train';
  return (
    <section class="fits-on" aria-labelledby="fits-h" data-testid="fits-on">
      <h3 id="fits-h">{t('fit.heading')}</h3>
      <div class="row">
        <label>
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
        <label>
          <span>{t('fit.count')}</span>
          <input type="number" min="1" step="1" value={app.fitCount.value} data-testid="fit-count" onInput={(e) => Number.isFinite(e.currentTarget.valueAsNumber) && app.setFitCount(e.currentTarget.valueAsNumber)} />
        </label>
      </div>
      {r && !r.ok ? <p role="alert">{r.error.message}</p> : null}
      {f ? (
        <div class={`verdict ${f.fits ? 'yes' : 'no'}`} data-testid="fit-verdict" data-fits={String(f.fits)}>
          <p>
            <strong>{f.fits ? t('fit.yes') : t('fit.no')}</strong>{' '}
            {t('fit.headroom')} <span data-bytes={f.headroomBytes}>{bytes(f.headroomBytes)}</span>
          </p>
          <p class="need">
            {t('fit.need', { need: bytes(f.neededBytes), usable: bytes(f.usableBytes) })}
          </p>
          {/* Green up to 80 % of the card, amber to 95 %, red beyond (and when it does not fit). */}
          <meter min="0" max={f.usableBytes} low={f.usableBytes * 0.8} high={f.usableBytes * 0.95} optimum={0} value={f.neededBytes} aria-label={t('fit.usage')} />
          <dl>
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
        </div>
      ) : null}
    </section>
  );
}
