import { useEffect } from 'preact/hooks';
import { AppContext, useI18n } from '../../app-context.js';
import { HeaderBar } from '../header-bar/index.jsx';
import { ModelInput } from '../model-input/index.jsx';
import { HfTable } from '../hf-table/index.jsx';
import { Workload } from '../workload/index.jsx';
import { ExportBar } from '../export-bar/index.jsx';
import { LinkNotice } from '../link-notice/index.jsx';
import './app.css';

function Footer({ app }) {
  const { t } = useI18n();
  return (
    <footer class="footer">
      <p>
        {t('footer.engine', { version: app.M.version() })} · {t('footer.privacy')}
      </p>
      <p>
        {/* A page of its own: the calculator's fragment (its permalink) stays as it is. */}
        <a href={`accuracy.html#${new URLSearchParams({ units: app.units.value, lang: app.lang.value })}`} data-testid="accuracy-link">
          {t('footer.accuracy')}
        </a>
      </p>
    </footer>
  );
}

function Lang({ app }) {
  // <html lang> follows the chosen language (screen readers, CJK font selection).
  const lang = app.lang.value;
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return null;
}

export function App({ app }) {
  return (
    <AppContext.Provider value={app}>
      <Lang app={app} />
      <div class="app">
        <HeaderBar />
        <main>
          <LinkNotice app={app} />
          {/* The reader's question first: model → GPU(s) → does it fit, by how much, why; then the
              other calculators' views of the same model, then sharing. */}
          <ModelInput />
          <Workload />
          <HfTable />
          <ExportBar />
        </main>
        <Footer app={app} />
      </div>
    </AppContext.Provider>
  );
}
