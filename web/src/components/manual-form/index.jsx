// Manual dimensions: the fields the engine names (options().manualFields); the engine turns them
// into a config (M.manualConfig) of the architecture the form stands for.
import { useApp, useI18n } from '../../app-context.js';
import { manualFromConfig } from '../../app-state.js';
import './manual-form.css';

export function ManualForm() {
  const app = useApp();
  const { t } = useI18n();
  const f = app.manual.value;
  const set = (k, v) => {
    app.manual.value = { ...app.manual.peek(), [k]: v };
    app.source.value = 'manual';
  };
  return (
    <form class="manual-form" onSubmit={(e) => e.preventDefault()} data-testid="manual-form">
      <p class="hint">{t('manual.hint')}</p>
      <div class="grid">
        {app.manualFields.map((k) => (
          <label key={k}>
            <span>{t(`manual.${k}`)}</span>
            <code>{k}</code>
            <input
              type="number"
              min="1"
              step="1"
              inputMode="numeric"
              value={f[k]}
              onInput={(e) => set(k, e.currentTarget.value)}
              data-testid={`manual-${k}`}
            />
          </label>
        ))}
        <label class="inline">
          <input type="checkbox" checked={!!f.tie_word_embeddings} onChange={(e) => set('tie_word_embeddings', e.currentTarget.checked)} />
          <span>{t('manual.tie_word_embeddings')}</span>
        </label>
      </div>
      <button
        type="button"
        onClick={() => {
          app.manual.value = manualFromConfig(app.manualFields, app.configText.peek() || '{}');
          app.source.value = 'manual';
        }}
      >
        {t('manual.fromCurrent')}
      </button>
    </form>
  );
}
