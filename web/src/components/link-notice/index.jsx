// The parameters a shared link (or a widget's attributes) had that could not be used: named, each
// with the engine's reason as a tooltip, and dismissible. Nothing is shown for a clean link.
import { useI18n } from '../../app-context.js';
import './link-notice.css';

const MAX_SHOWN = 12; // a hostile link can drop thousands

export function LinkNotice({ app, compact = false }) {
  const { t } = useI18n();
  const list = app.linkIgnored.value;
  if (!list.length) return null;
  return (
    <div class={`link-notice${compact ? ' compact' : ''}`} role="status" data-testid="link-notice">
      <span>{t(compact ? 'link.ignored.short' : 'link.ignored', { n: list.length })}</span>{' '}
      {list.slice(0, MAX_SHOWN).map((e, i) => (
        <span key={i}>
          {i ? ', ' : ''}
          <code title={e.message} data-testid="link-ignored">
            {e.field.length > 60 ? `${e.field.slice(0, 60)}…` : e.field}
          </code>
        </span>
      ))}
      {list.length > MAX_SHOWN ? ` ${t('link.more', { n: list.length - MAX_SHOWN })}` : null}
      <button type="button" class="dismiss" aria-label={t('link.dismiss')} title={t('link.dismiss')} onClick={() => (app.linkIgnored.value = [])} data-testid="link-notice-dismiss">
        ×
      </button>
    </div>
  );
}
