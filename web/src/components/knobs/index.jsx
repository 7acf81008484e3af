// The knobs of a workload tab, as the engine describes them (M.options(): each tab's knobs, each
// option's type, range, choices, label, help and when it is shown). Nothing here decides a knob.
import { useApp, useI18n } from '../../app-context.js';
import './knobs.css';

function Knob({ d, tab, value, set }) {
  const { choice } = useI18n();
  const id = `knob-${tab}-${d.id}`;
  // A text option with presets (LoRA targets) offers them, and keeps a value of the user's own
  // (from a link or widget attribute) as one more entry.
  const choices = d.type === 'text' && d.choices && !d.choices.includes(value) ? [...d.choices, value] : d.choices;
  if (choices)
    return (
      <label for={id} title={d.help}>
        <span>{d.label}</span>
        <select id={id} value={String(value)} data-testid={id} onChange={(e) => set(e.currentTarget.value)}>
          {choices.map((c) => (
            <option key={c} value={c}>
              {choice(c)}
            </option>
          ))}
        </select>
      </label>
    );
  if (d.type === 'bool')
    return (
      <label class="inline" for={id} title={d.help}>
        <input id={id} type="checkbox" checked={!!value} data-testid={id} onChange={(e) => set(e.currentTarget.checked)} />
        <span>{d.label}</span>
      </label>
    );
  if (d.type === 'text')
    return (
      <label for={id} title={d.help}>
        <span>{d.label}</span>
        <input id={id} type="text" value={value} data-testid={id} onChange={(e) => set(e.currentTarget.value)} />
      </label>
    );
  return (
    <label for={id} title={d.help}>
      <span>{d.label}</span>
      <input
        id={id}
        type="number"
        inputMode={d.type === 'number' ? 'decimal' : 'numeric'}
        min={d.min}
        max={d.max}
        step={d.step}
        value={value}
        data-testid={id}
        onInput={(e) => {
          const n = e.currentTarget.valueAsNumber;
          if (Number.isFinite(n)) set(n);
        }}
      />
    </label>
  );
}

export function Knobs() {
  const app = useApp();
  const { t } = useI18n();
  const tab = app.tab.value;
  const values = app.opts.value;
  return (
    <form class="knobs" onSubmit={(e) => e.preventDefault()} data-testid="knobs">
      {app.knobDefs.value.map((d) => (
        <Knob key={d.id} d={d} tab={tab} value={values[d.id]} set={(v) => app.setKnob(d.id, v)} />
      ))}
      {values.runtime === 'vllm' && app.gpu.value ? (
        <p class="hint knob-note" data-testid="vllm-gpu-note">
          {t('knob.vllmGpu', { gpu: app.gpu.value.name })}
        </p>
      ) : null}
    </form>
  );
}
