// The other calculators' view of the same model: the Hugging Face Model Memory Calculator's table
// per dtype, exactly as it computes it (the engine's hfTable()), and one line saying how it relates
// to the estimate above. Numbers in the page's unit; the Space's own text (binary units labelled
// "GB") is quoted only in GiB mode, where it reads the same.
import { useApp, useI18n } from '../../app-context.js';
import { hfRows } from '../../lib/views.js';
import './hf-table.css';

/** "float16/bfloat16" may break after the slash on a phone. */
const dtypeName = (d) => d.split('/').flatMap((part, i) => (i ? [<wbr key={i} />, `/${part}`] : [part]));

export function HfTable() {
  const app = useApp();
  const { t, bytes, int } = useI18n();
  const p = app.params.value;
  if (!p?.ok) return null;
  const hf = p.value.hfCalculator;
  const rows = hfRows(app);
  const staged = rows.filter((r) => r.stages);
  const quote = app.units.value === 'GiB';
  const rep = app.report.value?.ok ? app.report.value.value : null;
  const weights = rep?.items.find((it) => it.id === 'weights');
  // DeepSpeed's own estimator for the training tab's ZeRO stage (the engine's deepspeed_* facts).
  const ds = (rep?.facts ?? []).filter((f) => f.id.startsWith('deepspeed_'));
  return (
    <section class="hf-table card" aria-labelledby="hf-h" data-testid="compat">
      <h2 id="hf-h">{t('hf.heading')}</h2>
      <p class="hint">{t('hf.note', { cls: hf.className })}</p>
      <div class="scroll">
        <table data-testid="hf-table">
          <thead>
            <tr>
              <th scope="col">{t('hf.dtype')}</th>
              <th scope="col" class="num">{t('hf.largest')}</th>
              <th scope="col" class="num">{t('hf.total')}</th>
              <th scope="col" class="num">{t('hf.training')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.dtype} data-dtype={r.dtype}>
                <th scope="row">{dtypeName(r.dtype)}</th>
                <td class="num">
                  <span data-testid={`hf-largest-${r.dtype}`} data-bytes={r.largestLayerBytes} title={`${int(r.largestLayerBytes)} B`}>
                    {bytes(r.largestLayerBytes)}
                  </span>
                  {quote ? <small class="space" data-testid={`hf-space-largest-${r.dtype}`}>“{r.text.largest}”</small> : null}
                </td>
                <td class="num">
                  <span data-testid={`hf-total-${r.dtype}`} data-bytes={r.totalBytes} title={`${int(r.totalBytes)} B`}>
                    {bytes(r.totalBytes)}
                  </span>
                  {quote ? <small class="space" data-testid={`hf-space-total-${r.dtype}`}>“{r.text.total}”</small> : null}
                </td>
                <td class="num">
                  <span data-testid={`hf-training-${r.dtype}`} data-bytes={r.trainingBytes ?? ''}>
                    {r.trainingBytes === null ? t('hf.na') : bytes(r.trainingBytes)}
                  </span>
                  {quote && r.trainingBytes !== null ? <small class="space">“{r.text.training}”</small> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        {t('hf.largestName', { name: hf.largestLayerName })} {t(quote ? 'hf.spaceText' : 'hf.spaceTextGB')}
      </p>
      <p class="relation" data-testid="hf-relation">
        {t('hf.relation', { cls: hf.className, hfParams: int(hf.params), arch: p.value.architecture || p.value.modelType, params: int(p.value.totalParams) })}
        {weights && rep.gpus === 1 ? ` ${t('hf.relationWeights', { b: bytes(weights.bytes) })}` : ''}
      </p>
      {ds.length ? (
        <div class="deepspeed" data-testid="compat-deepspeed">
          <h3>{t('compat.deepspeed')}</h3>
          <dl>
            {ds.map((f) => (
              <div key={f.id} data-fact={f.id}>
                <dt>{f.note}</dt>
                <dd>
                  <strong data-bytes={f.value}>{bytes(f.value)}</strong> <code>{f.formula}</code>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      {staged.length ? (
        <details>
          <summary>{t('hf.explained')}</summary>
          <div class="scroll">
            <table data-testid="hf-stages">
              <thead>
                <tr>
                  <th scope="col">{t('hf.dtype')}</th>
                  <th scope="col" class="num">{t('hf.stage.model')}</th>
                  <th scope="col" class="num">{t('hf.stage.gradients')}</th>
                  <th scope="col" class="num">{t('hf.stage.optimizer')}</th>
                  <th scope="col" class="num">{t('hf.stage.step')}</th>
                </tr>
              </thead>
              <tbody>
                {staged.map((r) => (
                  <tr key={r.dtype}>
                    <th scope="row">{dtypeName(r.dtype)}</th>
                    {['model', 'gradients', 'optimizer', 'step'].map((k) => (
                      <td class="num" key={k} data-bytes={r.stages[k]}>
                        {bytes(r.stages[k])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </section>
  );
}
