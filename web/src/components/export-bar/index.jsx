// Permalink and exports (Markdown table, JSON, CSV): copy or download.
import { useSignal } from '@preact/signals';
import { useApp, useI18n } from '../../app-context.js';
import { toMarkdown, toJSON, toCSV, permalink } from '../../lib/export.js';
import { EmbedDialog } from '../embed-dialog/index.jsx';
import './export-bar.css';

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportBar() {
  const app = useApp();
  const f = useI18n();
  const { t } = f;
  const status = useSignal('');
  if (!app.ready.value) return null;
  const done = (ok) => (status.value = ok ? 'export.copied' : 'export.copyFailed');
  const formats = {
    md: { label: 'Markdown', type: 'text/markdown', text: () => toMarkdown(app, f, location.href) },
    json: { label: 'JSON', type: 'application/json', text: () => toJSON(app, location.href) },
    csv: { label: 'CSV', type: 'text/csv', text: () => toCSV(app) },
  };
  return (
    <section class="export-bar card" aria-labelledby="export-h">
      <h2 id="export-h" class="visually-hidden">
        {t('export.heading')}
      </h2>
      <div class="buttons">
        <button type="button" data-testid="copy-link" onClick={async () => done(await copy(permalink(app, location.href)))}>
          {t('export.copyLink')}
        </button>
        {Object.entries(formats).map(([id, fm]) => (
          <span class="group" key={id}>
            <button type="button" data-testid={`copy-${id}`} onClick={async () => done(await copy(fm.text()))}>
              {t('export.copy', { fmt: fm.label })}
            </button>
            <button type="button" data-testid={`download-${id}`} onClick={() => download(`vramcalc.${id}`, fm.type, fm.text())} aria-label={t('export.download', { fmt: fm.label })}>
              ⤓
            </button>
          </span>
        ))}
        <EmbedDialog />
      </div>
      <p class="status" aria-live="polite" data-testid="export-status">
        {status.value ? t(status.value) : ''}
      </p>
    </section>
  );
}
