// What the engine made of the config: parameters by group, warnings, or the named error.
import { useApp, useI18n } from '../../app-context.js';
import { ErrorMessage } from '../error-message/index.jsx';
import { manualFromConfig } from '../../app-state.js';
import './model-summary.css';

export function ModelSummary() {
  const app = useApp();
  const { t, int, compact, label } = useI18n();
  const r = app.params.value;
  if (!r) return <p class="hint" data-testid="model-empty">{t(`model.empty.${app.source.value}`)}</p>;
  if (!r.ok)
    return (
      <ErrorMessage error={r.error}>
        {r.error.code === 'unsupported' || r.error.code === 'missing_field' ? (
          <button type="button" onClick={() => useManual(app)} data-testid="use-manual">
            {t('hub.useManual')}
          </button>
        ) : null}
      </ErrorMessage>
    );
  const p = r.value;
  const summary = app.source.value === 'hub' ? app.hub.summary.value : null;
  return (
    <div class="model-summary" data-testid="model-summary">
      <dl class="facts">
        <div>
          <dt>{t('model.type')}</dt>
          <dd data-testid="model-type">
            {p.modelType}
            {p.architecture ? <small> · {p.architecture}</small> : null}
          </dd>
        </div>
        <div>
          <dt>{t('model.params')}</dt>
          <dd>
            <span class="big" data-testid="total-params" data-value={p.totalParams} title={int(p.totalParams)}>
              {compact(p.totalParams)}
            </span>{' '}
            <small>({int(p.totalParams)})</small>
          </dd>
        </div>
        {p.activeParams !== p.totalParams ? (
          <div>
            <dt>{t('model.active')}</dt>
            <dd data-testid="active-params" data-value={p.activeParams}>
              {compact(p.activeParams)} <small>({int(p.activeParams)})</small>
            </dd>
          </div>
        ) : null}
      </dl>
      <details>
        <summary>{t('model.groups')}</summary>
        <table class="groups">
          <tbody>
            {p.groups.map((g) => (
              <tr key={g.name}>
                <th scope="row">{label('group', g.name)}</th>
                <td class="num" data-value={g.params}>
                  {int(g.params)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <StoredBytes />
      {summary ? (
        <p class="crosscheck" data-testid="hub-crosscheck">
          {t('hub.crosscheck', { n: int(summary.total) })}{' '}
          {Object.entries(summary.parameters ?? {})
            .map(([dt, n]) => `${dt} ${int(n)}`)
            .join(', ')}
        </p>
      ) : null}
      {p.approximate ? <p class="badge warn">{t('model.approximate')}</p> : null}
      {p.warnings.length ? (
        <ul class="warnings" data-testid="model-warnings">
          {p.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Switch to manual dimensions, keeping whatever fields the rejected config did have. */
function useManual(app) {
  const known = Object.entries(manualFromConfig(app.manualFields, app.configText.peek() || '{}')).filter(([, v]) => v !== '' && v !== false);
  if (known.length) app.manual.value = { ...app.manual.peek(), ...Object.fromEntries(known) };
  app.source.value = 'manual';
}

/** Exact stored bytes of a Hub checkpoint, from its safetensors headers (engine: M.safetensors). */
function StoredBytes() {
  const app = useApp();
  const { t, bytes, int } = useI18n();
  if (app.source.value !== 'hub') return null;
  const err = app.hub.headersError.value;
  const r = app.stored.value;
  if (!r) return err ? <p class="hint" data-testid="stored-error">{t('stored.unread', { why: err })}</p> : null;
  if (!r.ok) return <ErrorMessage error={r.error} testid="stored-error" />;
  const s = r.value;
  return (
    <div class="stored" data-testid="stored">
      <p>
        {t('stored.heading', { files: int(s.files), tensors: int(s.tensors) })}{' '}
        <strong data-testid="stored-bytes" data-bytes={s.bytes} title={`${int(s.bytes)} B`}>
          {bytes(s.bytes)}
        </strong>
        {s.estimatedBytes !== null && s.estimatedBytes !== undefined ? (
          <span class="hint"> · {t('stored.estimate', { b: bytes(s.estimatedBytes) })}</span>
        ) : null}
      </p>
      <p class="hint">
        {s.byDtype.map((d) => `${d.dtype} ${bytes(d.bytes)}`).join(' · ')}
        {s.quantMetadataBytes ? ` · ${t('stored.quant', { b: bytes(s.quantMetadataBytes) })}` : ''}
      </p>
      {s.notes?.length ? (
        <ul class="warnings">
          {s.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
