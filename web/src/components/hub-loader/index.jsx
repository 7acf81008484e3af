// Hub model id or URL → config.json (+ safetensors summary) fetched in the browser.
// The token input is uncontrolled: its value never becomes a DOM attribute.
import { useApp, useI18n } from '../../app-context.js';
import './hub-loader.css';

export function HubLoader() {
  const app = useApp();
  const { t } = useI18n();
  const { hub } = app;
  const err = hub.error.value;
  const onSubmit = (e) => {
    e.preventDefault();
    const input = e.currentTarget.elements.namedItem('hub-id').value;
    app.loadHub(input);
  };
  return (
    <form class="hub-loader" onSubmit={onSubmit} data-testid="hub-form" autocomplete="off">
      <label>
        <span>{t('hub.id')}</span>
        <input
          name="hub-id"
          type="text"
          inputMode="url"
          spellcheck={false}
          defaultValue={hub.input.peek() || hub.id.peek()}
          placeholder="meta-llama/Llama-3.1-8B-Instruct"
          data-testid="hub-id"
          required
        />
      </label>
      <details class="token" open={!!err && err.kind === 'gated'}>
        <summary>{t('hub.token.summary')}</summary>
        <label>
          <span>{t('hub.token')}</span>
          <input
            type="password"
            autocomplete="off"
            spellcheck={false}
            data-testid="hub-token"
            ref={(el) => {
              if (el && !el.value && hub.token.peek()) el.value = hub.token.peek();
            }}
            onInput={(e) => app.setToken(e.currentTarget.value.trim(), hub.remember.peek())}
          />
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={hub.remember.value}
            onChange={(e) => app.setToken(hub.token.peek(), e.currentTarget.checked)}
            data-testid="hub-remember"
          />
          {t('hub.remember')}
        </label>
        <p class="hint">{t('hub.token.note')}</p>
      </details>
      <button type="submit" disabled={hub.status.value === 'loading'} data-testid="hub-load">
        {t('hub.load')}
      </button>
      <p class="hub-status" aria-live="polite" data-testid="hub-status">
        {hub.status.value === 'loading' ? (
          <span class="progress">
            <progress aria-label={t(hub.step.value)} /> {t(hub.step.value)}
          </span>
        ) : hub.status.value === 'done' ? (
          t('hub.loaded', { id: hub.id.value })
        ) : null}
      </p>
      {err ? (
        <div class="error-message" role="alert" data-testid="hub-error" data-kind={err.kind}>
          <strong>{t(`hub.error.${err.kind}`, { id: hub.id.value, status: err.status, ...err.vars })}</strong>
          <p>{t(`hub.error.${err.kind}.help`, { id: hub.id.value, ...err.vars })}</p>
          {err.detail ? <p class="hint">{err.detail}</p> : null}
          {err.kind === 'no_config' || err.kind === 'network' || err.kind === 'timeout' || err.kind === 'too_large' ? (
            <button type="button" onClick={() => (app.source.value = 'manual')}>
              {t('hub.useManual')}
            </button>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
