// The four ways in, as in the HF Model Memory Calculator and beyond: catalog, Hub, config.json, manual.
import { useApp, useI18n } from '../../app-context.js';
import { TabList, TabPanel } from '../tab-list/index.jsx';
import { CatalogPicker } from '../catalog-picker/index.jsx';
import { HubLoader } from '../hub-loader/index.jsx';
import { ConfigPaste } from '../config-paste/index.jsx';
import { ManualForm } from '../manual-form/index.jsx';
import { ModelSummary } from '../model-summary/index.jsx';
import './model-input.css';

const PANELS = { catalog: CatalogPicker, hub: HubLoader, paste: ConfigPaste, manual: ManualForm };

export function ModelInput() {
  const app = useApp();
  const { t } = useI18n();
  const Panel = PANELS[app.source.value];
  return (
    <section class="model-input card" aria-labelledby="model-input-h">
      <h2 id="model-input-h">{t('model.heading')}</h2>
      <TabList
        label={t('model.source')}
        idPrefix="source"
        tabs={app.sources.map((s) => ({ id: s, label: t(`source.${s}`) }))}
        selected={app.source.value}
        onSelect={(s) => (app.source.value = s)}
      />
      <TabPanel idPrefix="source" selected={app.source.value}>
        <Panel />
      </TabPanel>
      <ModelSummary />
    </section>
  );
}
