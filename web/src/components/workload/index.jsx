// vramcalc's own view: Inference / Serving / Fine-tune / Full training, live from the engine.
import { useApp, useI18n } from '../../app-context.js';
import { TabList, TabPanel } from '../tab-list/index.jsx';
import { Knobs } from '../knobs/index.jsx';
import { StackedBar } from '../stacked-bar/index.jsx';
import { PhaseTimeline } from '../phase-timeline/index.jsx';
import { ExplainList } from '../explain-list/index.jsx';
import { SweepChart } from '../sweep-chart/index.jsx';
import { FitsOn } from '../fits-on/index.jsx';
import { ErrorMessage } from '../error-message/index.jsx';
import { useAfterFirstPaint } from '../../lib/deferred.js';
import './workload.css';

export function Workload() {
  const app = useApp();
  const { t, bytes, int, label } = useI18n();
  const later = useAfterFirstPaint();
  if (!app.ready.value) return null;
  const tab = app.tab.value;
  const r = app.report.value;
  const rep = r?.ok ? r.value : null;
  return (
    <section class="workload card" aria-labelledby="workload-h">
      <h2 id="workload-h">{t('workload.heading')}</h2>
      <TabList
        label={t('workload.heading')}
        idPrefix="mode"
        tabs={app.tabLabels.value}
        selected={tab}
        onSelect={(id) => (app.tab.value = id)}
      />
      <TabPanel idPrefix="mode" selected={tab}>
        <>
            <Knobs />
            {r && !r.ok ? <ErrorMessage error={r.error} testid="report-error" /> : null}
            {rep ? (
              <div class="report" data-testid="report">
                <p class="headline">
                  <span>{rep.gpus > 1 ? t('report.totalPerGpu', { n: int(rep.gpus) }) : t('report.total')}</span>{' '}
                  <strong data-testid="report-total" data-bytes={rep.totalBytes} title={`${int(rep.totalBytes)} B`}>
                    {bytes(rep.totalBytes)}
                  </strong>
                  {rep.cpuBytes ? (
                    <span class="sub">
                      {t('report.cpu')} <strong data-bytes={rep.cpuBytes}>{bytes(rep.cpuBytes)}</strong>
                    </span>
                  ) : null}
                  {rep.peakPhase ? <span class="sub">{t('report.peak', { phase: label('phase', rep.peakPhase) })}</span> : null}
                </p>
                {rep.approximate ? (
                  <details class="approx">
                    <summary class="badge warn">{t('report.approximate')}</summary>
                    <ul>
                      {rep.approximateReasons.map((r) => (
                        <li key={r}>{r}</li>
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
                <StackedBar items={rep.items} />
                {rep.phases?.length > 1 ? <PhaseTimeline phases={rep.phases} peak={rep.peakPhase} /> : null}
                {later ? (
                  <>
                    <SweepChart />
                    <FitsOn />
                    <ExplainList items={rep.items} facts={rep.facts ?? []} />
                  </>
                ) : null}
              </div>
            ) : null}
          </>
      </TabPanel>
    </section>
  );
}
