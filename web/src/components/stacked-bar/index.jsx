// The report's line items as bars: one for GPU memory and, apart from it, one for CPU RAM (items
// the engine marks cpu). Segment widths are the engine's byte counts used as flex-grow weights:
// the browser lays them out, no share is computed in JS. Each id has one look (lib/item-colors.js).
import { useI18n } from '../../app-context.js';
import { itemClass } from '../../lib/item-colors.js';
import './item-colors.css';
import './stacked-bar.css';

function Bar({ items, name, testid }) {
  const { bytes, label } = useI18n();
  return (
    <div class="bar-row" data-testid={testid}>
      <span class="bar-name">{name}</span>
      <div class="bar" role="img" aria-label={`${name}: ${items.map((it) => `${label('item', it.id)} ${bytes(it.bytes)}`).join(', ')}`}>
        {items.map((it) => (
          <span key={it.id} class={`seg ${itemClass(it.id)}`} data-item={it.id} style={{ flexGrow: it.bytes }} title={`${label('item', it.id)}: ${bytes(it.bytes)}`} />
        ))}
      </div>
    </div>
  );
}

export function StackedBar({ items, top = 0 }) {
  const { t, bytes, label } = useI18n();
  const shown = items.filter((it) => it.bytes > 0);
  const gpu = shown.filter((it) => !it.cpu);
  const cpu = shown.filter((it) => it.cpu);
  // top > 0: only the largest items in the legend (the widget's compact view), largest first.
  const legend = top ? [...shown].sort((a, b) => b.bytes - a.bytes).slice(0, top) : [...gpu, ...cpu];
  return (
    <figure class="stacked-bar" data-testid="stacked-bar">
      {gpu.length ? <Bar items={gpu} name={t('bar.gpu')} testid="bar-gpu" /> : null}
      {cpu.length ? <Bar items={cpu} name={t('report.cpu')} testid="bar-cpu" /> : null}
      <figcaption>
        <ul class="legend">
          {legend.map((it) => (
            <li key={it.id} data-item={it.id}>
              <span class={`swatch ${itemClass(it.id)}`} aria-hidden="true" />
              {label('item', it.id)} <strong data-bytes={it.bytes}>{bytes(it.bytes)}</strong>
              {it.cpu && cpu.length ? <small class="where"> {t('explain.cpu')}</small> : null}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
