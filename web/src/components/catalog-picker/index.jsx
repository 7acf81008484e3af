// Offline catalog (compiled into the engine): a search box filtering one drop-down grouped by
// family. The chosen model stays listed whatever the filter, so the drop-down never shows another
// model than the one estimated.
import { useSignal, useComputed } from '@preact/signals';
import { useApp, useI18n } from '../../app-context.js';
import './catalog-picker.css';

export function CatalogPicker() {
  const app = useApp();
  const { t } = useI18n();
  const query = useSignal('');
  const groups = useComputed(() => {
    const q = query.value.trim().toLowerCase();
    const out = new Map();
    for (const m of app.catalog) {
      const hay = `${m.id} ${m.name} ${m.family}`.toLowerCase();
      if (q && m.id !== app.catalogId.value && !q.split(/\s+/).every((w) => hay.includes(w))) continue;
      if (!out.has(m.family)) out.set(m.family, []);
      out.get(m.family).push(m);
    }
    return [...out];
  });
  const count = groups.value.reduce((n, [, ms]) => n + ms.length, 0);
  return (
    <div class="catalog-picker">
      <label class="search">
        <span>{t('catalog.search')}</span>
        <input
          type="search"
          value={query.value}
          onInput={(e) => (query.value = e.currentTarget.value)}
          placeholder={t('catalog.placeholder')}
          data-testid="catalog-search"
        />
      </label>
      <label class="pick">
        <span>{t('catalog.list')}</span>
        <select
          value={app.catalogId.value}
          onChange={(e) => {
            app.catalogId.value = e.currentTarget.value;
            app.source.value = 'catalog';
          }}
          data-testid="catalog-list"
        >
          {groups.value.map(([family, ms]) => (
            <optgroup key={family} label={family}>
              {ms.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} — {m.id}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <p class="hint count" aria-live="polite">
        {t('catalog.count', { n: count, total: app.catalog.length })}
      </p>
    </div>
  );
}
