/** The 1h ... 30d buttons above a chart. */
import type { ComponentChildren } from 'preact';
import { RANGES, type RangeKey } from '../range.js';

export function RangePicker(props: {
  value: RangeKey;
  onChange: (key: RangeKey) => void;
  note?: ComponentChildren;
}) {
  return (
    <fieldset class="range">
      <legend class="sr-only">Chart range</legend>
      {RANGES.map((r) => (
        <button
          key={r.key}
          type="button"
          class={r.key === props.value ? 'small selected' : 'small'}
          aria-pressed={r.key === props.value}
          onClick={() => props.onChange(r.key)}
        >
          {r.key}
        </button>
      ))}
      {props.note === undefined || props.note === null ? null : (
        <span class="muted range-note">{props.note}</span>
      )}
    </fieldset>
  );
}
