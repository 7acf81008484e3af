// vramcalc's own view, answer first: what to do with the model (Inference / Serving / Fine-tune /
// Full training), on which GPU(s), whether it fits and by how much; then the itemised breakdown,
// the workload's settings, the phases, the chart and how each number is computed.
import { useApp, useI18n } from '../../app-context.js';
import { TabList, TabPanel } from '../tab-list/index.jsx';
import { Knobs } from '../knobs/index.jsx';
import { StackedBar } from '../stacked-bar/index.jsx';
import { PhaseTimeline } from '../phase-timeline/index.jsx';
import { ExplainList } from '../explain-list/index.jsx';
import { SweepChart } from '../sweep-chart/index.jsx';
import { GpuPicker, Verdict, FitSolves } from '../verdict/index.jsx';
import { ErrorMessage } from '../error-message/index.jsx';
import { useAfterFirstPaint } from '../../lib/deferred.js';
import './workload.css';

export function Workload() {
  const app = useApp();
  const { t } = useI18n();
  const later = useAfterFirstPaint();
  if (!app.ready.value) return null;
  const tab = app.tab.value;
  const r = app.report.value;
  const rep = r?.ok ? r.value : null;
  return (
    <section class="workload card" aria-labelledby="workload-h">
      <h2 id="workload-h">{t('workload.heading')}</h2>
      <TabList label={t('workload.task')} idPrefix="mode" tabs={app.tabLabels.value} selected={tab} onSelect={(id) => (app.tab.value = id)} />
      <TabPanel idPrefix="mode" selected={tab}>
        <GpuPicker />
        {r && !r.ok ? <ErrorMessage error={r.error} testid="report-error" /> : null}
        {rep ? (
          <div class="report" data-testid="report">
            <Verdict rep={rep} />
            <StackedBar items={rep.items} />
            {rep.approximate ? (
              <details class="approx">
                <summary class="badge warn">{t('report.approximate')}</summary>
                <ul>
                  {rep.approximateReasons.map((x) => (
                    <li key={x}>{x}</li>
                  ))}
                </ul>
              </details>
            ) : null}
            {rep.warnings.length ? (
              <ul class="warnings">
                {rep.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            <FitSolves />
          </div>
        ) : null}
        <section class="settings" aria-labelledby="settings-h">
          <h3 id="settings-h">{t('workload.settings')}</h3>
          <Knobs />
        </section>
        {rep?.phases?.length > 1 ? <PhaseTimeline phases={rep.phases} peak={rep.peakPhase} /> : null}
        {rep && later ? (
          <>
            <SweepChart />
            <ExplainList items={rep.items} facts={rep.facts ?? []} />
          </>
        ) : null}
      </TabPanel>
    </section>
  );
}
