// The Hugging Face Model Memory Calculator's table, per dtype, exactly as it shows it — numbers from
// the engine's hfTable().
import { useApp, useI18n } from '../../app-context.js';
import { hfRows } from '../../lib/views.js';
import './hf-table.css';

export function HfTable() {
  const app = useApp();
  const { t, bytes, int } = useI18n();
  const p = app.params.value;
  if (!p?.ok) return null;
  const hf = p.value.hfCalculator;
  const rows = hfRows(app);
  const staged = rows.filter((r) => r.stages);
  return (
    <section class="hf-table card" aria-labelledby="hf-h">
      <h2 id="hf-h">{t('hf.heading')}</h2>
      <p class="hint">{t('hf.note', { cls: hf.className })}</p>
      <div class="scroll">
        <table data-testid="hf-table">
          <thead>
            <tr>
              <th scope="col">{t('hf.dtype')}</th>
              <th scope="col">{t('hf.largest')}</th>
              <th scope="col">{t('hf.total')}</th>
              <th scope="col">{t('hf.training')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.dtype} data-dtype={r.dtype}>
                <th scope="row">{r.dtype}</th>
                <td class="num">
                  <span data-testid={`hf-largest-${r.dtype}`} data-bytes={r.largestLayerBytes} title={`${int(r.largestLayerBytes)} B`}>
                    {bytes(r.largestLayerBytes)}
                  </span>
                  {r.text ? <small class="space" data-testid={`hf-space-largest-${r.dtype}`}>{r.text.largest}</small> : null}
                </td>
                <td class="num">
                  <span data-testid={`hf-total-${r.dtype}`} data-bytes={r.totalBytes} title={`${int(r.totalBytes)} B`}>
                    {bytes(r.totalBytes)}
                  </span>
                  {r.text ? <small class="space" data-testid={`hf-space-total-${r.dtype}`}>{r.text.total}</small> : null}
                </td>
                <td class="num">
                  <span data-testid={`hf-training-${r.dtype}`} data-bytes={r.trainingBytes ?? ''}>
                    {r.trainingBytes === null ? t('hf.na') : bytes(r.trainingBytes)}
                  </span>
                  {r.text && r.trainingBytes !== null ? <small class="space">{r.text.training}</small> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        {t('hf.largestName', { name: hf.largestLayerName })} {t('hf.spaceText')}
      </p>
      {staged.length ? (
        <details>
          <summary>{t('hf.explained')}</summary>
          <div class="scroll">
            <table data-testid="hf-stages">
              <thead>
                <tr>
                  <th scope="col">{t('hf.dtype')}</th>
                  <th scope="col">{t('hf.stage.model')}</th>
                  <th scope="col">{t('hf.stage.gradients')}</th>
                  <th scope="col">{t('hf.stage.optimizer')}</th>
                  <th scope="col">{t('hf.stage.step')}</th>
                </tr>
              </thead>
              <tbody>
                {staged.map((r) => (
                  <tr key={r.dtype}>
                    <th scope="row">{r.dtype}</th>
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
