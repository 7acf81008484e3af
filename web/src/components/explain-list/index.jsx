// How each number is computed: per line item the engine's formula (the expression with its values
// substituted, item.formula), its result in the page's unit with the exact bytes, and the source,
// each on its own labelled row, aligned across items. Facts (counts and compatibility views, e.g.
// DeepSpeed's own estimator) the same way, named by their note.
import { useI18n } from '../../app-context.js';
import { itemClass } from '../../lib/item-colors.js';
import '../stacked-bar/item-colors.css';
import './explain-list.css';

function Terms({ formula, result, source, testid }) {
  const { t } = useI18n();
  return (
    <dl class="terms">
      {formula ? (
        <>
          <dt>{t('explain.formula')}</dt>
          <dd>
            <code data-part="formula" data-testid={testid}>{formula}</code>
          </dd>
        </>
      ) : null}
      <dt>{t('explain.result')}</dt>
      <dd data-part="result">{result}</dd>
      {source ? (
        <>
          <dt>{t('explain.source')}</dt>
          <dd data-part="source" class="source">{source}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** A fact's value: bytes for the *_bytes facts (the engine's ids say so), else a count. */
const factValue = (f, { bytes, int }) => (f.id.endsWith('_bytes') ? bytes(f.value) : int(f.value));

export function ExplainList({ items, facts = [] }) {
  const { t, bytes, int, label } = useI18n();
  const fmt = { bytes, int };
  return (
    <details class="explain-list" data-testid="explain">
      <summary>{t('explain.heading')}</summary>
      <ol class="items">
        {items.map((it) => (
          <li key={it.id} data-item={it.id} data-result={it.result}>
            <p class="name">
              <span class={`swatch ${itemClass(it.id)}`} aria-hidden="true" />
              <strong>{label('item', it.id)}</strong>
              {it.cpu ? <small class="where"> · {t('explain.cpu')}</small> : null}
              {it.phases?.length ? <small class="phases">{it.phases.map((p) => label('phase', p)).join(' · ')}</small> : null}
              <span class="num" data-bytes={it.bytes} title={`${int(it.bytes)} B`}>
                {bytes(it.bytes)}
              </span>
            </p>
            <Terms formula={it.formula} result={`= ${bytes(it.bytes)} (${int(it.bytes)} B)`} source={it.source} />
          </li>
        ))}
      </ol>
      {facts.length ? (
        <>
          <h4>{t('explain.facts')}</h4>
          <ol class="items facts">
            {facts.map((f) => (
              <li key={f.id} data-fact={f.id}>
                <p class="name">
                  <strong>{f.note || label('fact', f.id)}</strong>
                  <span class="num" data-value={f.value}>{factValue(f, fmt)}</span>
                </p>
                <Terms formula={f.formula} result={`= ${factValue(f, fmt)}`} />
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </details>
  );
}
