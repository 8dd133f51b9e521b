/**
 * The miner table, usable at 10,000 miners: filters, search and sort run over the data (pure, in
 * minerQuery.ts), and only the rows in view (plus a margin) are in the page. Every string a device
 * sends (name, hostname) goes through JSX text nodes, which Preact sets with textContent: markup
 * in a hostname shows as the characters it is.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { costOf } from '../../monitor/energyCost.js';
import {
  DASH,
  formatAgo,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatMoney,
  formatPercent,
  formatTemp,
  formatWatts,
  rejectFraction,
} from '../format.js';
import {
  DEFAULT_QUERY,
  filterChoices,
  type MinerQuery,
  queryMiners,
  type SortColumn,
  type SortDirection,
} from '../minerQuery.js';
import { minerHref } from '../route.js';
import { type SparkPoint, store, useSelection } from '../store.js';
import type { EnergyCost, ListedMiner } from '../types.js';
import { BreakerBadge, STATUS_LABEL, StatusBadge } from './Badge.js';
import { TagChips } from './MinerTags.js';
import { Sparkline } from './Sparkline.js';

/** Rows drawn above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 8;
/** A row's height before one is measured (px); the desktop row is about this tall. */
const DEFAULT_ROW_PX = 58;

function hashTone(miner: ListedMiner): string {
  const s = miner.lastSample;
  if (s === null || s.hashrateGhs === null || s.expectedHashrateGhs === null || s.expectedHashrateGhs <= 0)
    return '';
  const r = s.hashrateGhs / s.expectedHashrateGhs;
  return r >= 0.9 ? '' : r >= 0.7 ? 'text-warn' : 'text-bad';
}

function tempTone(c: number | null, limit: number | null): string {
  if (c === null) return '';
  const max = limit ?? 70;
  return c >= max ? 'text-bad' : c >= max - 8 ? 'text-warn' : '';
}

function MinerRow(props: {
  miner: ListedMiner;
  spark: readonly SparkPoint[] | undefined;
  now: number;
  selected: boolean;
  onSelect: (id: string, selected: boolean) => void;
  energy: EnergyCost | null;
}) {
  const { miner, spark, now, selected, onSelect, energy } = props;
  const s = miner.lastSample;
  const stale = miner.status === 'offline' || miner.status === 'breaker_open';
  const reject = s === null ? null : rejectFraction(s.sharesAccepted, s.sharesRejected);
  const chip = s?.maxChipTemperatureC ?? s?.temperatureC ?? null;
  const limit = s?.chipTempLimitC ?? null;
  const best = miner.bestDifficulty ?? s?.bestDifficulty ?? null;
  return (
    <tr data-miner-id={miner.id} class={`${stale ? 'stale' : ''}${selected ? ' selected' : ''}`}>
      <td class="select">
        <input
          type="checkbox"
          checked={selected}
          aria-label={`Select ${miner.name}`}
          onChange={(e) => onSelect(miner.id, (e.currentTarget as HTMLInputElement).checked)}
        />
      </td>
      <td data-label="Status">
        <StatusBadge status={miner.status} reason={miner.statusReason} />
      </td>
      <td data-label="Miner" class="miner-name">
        <a href={minerHref(miner.id)} class="name">
          {miner.name}
        </a>
        <div class="sub muted">
          {miner.hostname ?? miner.host}
          {miner.hostname !== null && miner.hostname !== miner.host ? ` · ${miner.host}` : ''}
        </div>
        {miner.tags.length === 0 ? null : <TagChips tags={miner.tags} />}
      </td>
      <td data-label="Hashrate" class="num">
        <div class={`hashrate ${hashTone(miner)}`} data-field="hashrate">
          {formatHashrate(s?.hashrateGhs)}
        </div>
        <Sparkline points={spark} />
        <div class="sub muted">of {formatHashrate(s?.expectedHashrateGhs)}</div>
      </td>
      <td data-label="Temp" class="num">
        <span class={tempTone(chip, limit)}>{formatTemp(chip)}</span>
        {s?.vrTemperatureC === null || s?.vrTemperatureC === undefined ? null : (
          <div class="sub muted">VR {formatTemp(s.vrTemperatureC)}</div>
        )}
      </td>
      <td data-label="Power" class="num">
        {formatWatts(s?.powerW)}
        {energy === null || typeof s?.powerW !== 'number' ? null : (
          <div class="sub muted" data-field="cost">
            {formatMoney(costOf(s.powerW, 24, energy.pricePerKwh), energy.currency)}/day,{' '}
            {formatMoney(costOf(s.powerW, 24 * 30, energy.pricePerKwh), energy.currency)}/month
          </div>
        )}
      </td>
      <td data-label="Shares" class="num">
        {formatCount(s?.sharesAccepted)}
        <div class={`sub ${reject !== null && reject > 0.02 ? 'text-warn' : 'muted'}`}>
          {s?.sharesRejected ?? DASH} rej ({formatPercent(reject ?? 0)})
        </div>
      </td>
      <td data-label="Best diff" class="num">
        {formatDifficulty(best)}
      </td>
      <td data-label="Uptime" class="num">
        {formatDuration(s?.uptimeS === null || s?.uptimeS === undefined ? null : Math.floor(s.uptimeS))}
        {stale ? <div class="sub muted">seen {formatAgo(miner.lastSeenAt, now)}</div> : null}
      </td>
      <td data-label="Breaker">
        <BreakerBadge state={miner.breaker?.state} />
      </td>
    </tr>
  );
}

interface Column {
  readonly sort: SortColumn;
  readonly label: string;
  readonly numeric: boolean;
  /** The direction of a first click: biggest first for figures, A-Z for names. */
  readonly first: SortDirection;
}

const COLUMNS: readonly Column[] = [
  { sort: 'status', label: 'Status', numeric: false, first: 'asc' },
  { sort: 'name', label: 'Miner', numeric: false, first: 'asc' },
  { sort: 'hashrate', label: 'Hashrate', numeric: true, first: 'desc' },
  { sort: 'temperature', label: 'Temp', numeric: true, first: 'desc' },
  { sort: 'power', label: 'Power', numeric: true, first: 'desc' },
  { sort: 'shares', label: 'Shares', numeric: true, first: 'desc' },
  { sort: 'bestDifficulty', label: 'Best diff', numeric: true, first: 'desc' },
  { sort: 'uptime', label: 'Uptime', numeric: true, first: 'desc' },
  { sort: 'breaker', label: 'Breaker', numeric: false, first: 'asc' },
];

/** "All", "Problems only", then each status, in the order the monitor declares them. */
const STATUS_FILTERS: readonly { value: MinerQuery['status']; label: string }[] = [
  { value: 'all', label: 'All statuses' },
  { value: 'problems', label: 'Problems only' },
  ...Object.entries(STATUS_LABEL).map(([value, label]) => ({
    value: value as MinerQuery['status'],
    label: label.charAt(0).toUpperCase() + label.slice(1),
  })),
];

function Choice(props: {
  name: string;
  label: string;
  value: string;
  all: string;
  options: readonly string[];
  onChange: (value: string) => void;
  /**
   * Fewer choices than this and the filter is hidden: one kind is every miner's, but one tag
   * still parts the tagged from the rest. @default 2
   */
  min?: number;
}) {
  if (props.options.length < (props.min ?? 2) && props.value === 'all') return null;
  return (
    <select
      name={props.name}
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
    >
      <option value="all">{props.all}</option>
      {props.options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** Stands in for the rows out of view, so the scrollbar shows the whole list. */
function Spacer({ px }: { px: number }) {
  return (
    <tr class="spacer">
      <td colSpan={COLUMNS.length + 1} style={{ height: `${px}px` }} />
    </tr>
  );
}

/** Which rows are in view, from the scroll position; recomputed on scroll and resize. */
function useWindow(count: number) {
  const scroller = useRef<HTMLDivElement>(null);
  const [rowPx, setRowPx] = useState(DEFAULT_ROW_PX);
  const [view, setView] = useState({ top: 0, height: 900 });
  useEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setView({ top: el.scrollTop, height: el.clientHeight || 900 });
    };
    const onScroll = () => {
      if (frame === 0) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      el.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, []);
  // Rows are one height in a layout (a line on a desktop, a card on a phone): measure one when
  // the first rows appear and on resize, never on every render (reading a height forces layout).
  const hasRows = count > 0;
  useLayoutEffect(() => {
    const measure = () => {
      const row = scroller.current?.querySelector<HTMLElement>('tbody tr[data-miner-id]');
      const measured = row?.offsetHeight ?? 0;
      if (measured > 0) setRowPx((px) => (Math.abs(measured - px) > 1 ? measured : px));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [hasRows]);
  const first = Math.max(0, Math.floor(view.top / rowPx) - OVERSCAN);
  const last = Math.min(count, Math.ceil((view.top + view.height) / rowPx) + OVERSCAN);
  return { scroller, first, last, rowPx };
}

export function MinerTable(props: {
  miners: readonly ListedMiner[];
  sparks: Readonly<Record<string, readonly SparkPoint[]>>;
  loaded: boolean;
  now: number;
  /** The configured electricity price, for each miner's cost per day. */
  energy: EnergyCost | null;
}) {
  const { miners, sparks, loaded, now, energy } = props;
  const [query, setQuery] = useState<MinerQuery>(DEFAULT_QUERY);
  const [selected, setSelected] = useSelection();
  const shown = useMemo(() => queryMiners(miners, query), [miners, query]);
  const choices = useMemo(() => filterChoices(miners), [miners]);
  const { scroller, first, last, rowPx } = useWindow(shown.length);
  const visible = shown.slice(first, last);
  const visibleKey = visible.map((m) => m.id).join(',');

  useEffect(() => {
    if (visible.length > 0) store.requestSparks(visible.map((m) => m.id));
  }, [visibleKey]);

  if (loaded && miners.length === 0) {
    return <p class="empty">No miners yet. Add one below by its IP address.</p>;
  }
  const set = (patch: Partial<MinerQuery>) => setQuery({ ...query, ...patch });
  const sortBy = (column: Column) =>
    set(
      query.sort === column.sort
        ? { direction: query.direction === 'asc' ? 'desc' : 'asc' }
        : { sort: column.sort, direction: column.first },
    );
  const onSelect = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allShownSelected = shown.length > 0 && shown.every((m) => selected.has(m.id));

  return (
    <div class="miner-table">
      <div class="table-tools">
        <input
          type="search"
          name="search"
          placeholder="Search name, address or MAC"
          aria-label="Search miners"
          value={query.search}
          onInput={(e) => set({ search: (e.currentTarget as HTMLInputElement).value })}
        />
        <select
          name="status"
          aria-label="Status"
          value={query.status}
          onChange={(e) =>
            set({ status: (e.currentTarget as HTMLSelectElement).value as MinerQuery['status'] })
          }
        >
          {STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <Choice
          name="kind"
          label="Kind"
          value={query.kind}
          all="All kinds"
          options={choices.kinds}
          onChange={(kind) => set({ kind })}
        />
        <Choice
          name="tag"
          label="Tag"
          value={query.tag}
          all="All tags"
          options={choices.tags}
          min={1}
          onChange={(tag) => set({ tag })}
        />
        <Choice
          name="firmware"
          label="Firmware"
          value={query.firmware}
          all="All firmware"
          options={choices.firmwares}
          onChange={(firmware) => set({ firmware })}
        />
        <span class="muted shown-count" data-shown={shown.length}>
          {shown.length === miners.length
            ? `${formatCount(miners.length)} miners`
            : `${formatCount(shown.length)} of ${formatCount(miners.length)}`}
        </span>
        {selected.size === 0 ? null : (
          <span class="selection" data-selected={selected.size}>
            {formatCount(selected.size)} selected{' '}
            <button type="button" class="link" onClick={() => setSelected(new Set())}>
              Clear
            </button>
          </span>
        )}
      </div>
      <div class="table-scroll" ref={scroller}>
        <table class="miners cards" aria-label="Miners" aria-rowcount={shown.length + 1}>
          <thead>
            <tr>
              <th class="select">
                <input
                  type="checkbox"
                  aria-label="Select every miner shown"
                  checked={allShownSelected}
                  onChange={(e) =>
                    setSelected(
                      (e.currentTarget as HTMLInputElement).checked
                        ? new Set(shown.map((m) => m.id))
                        : new Set(),
                    )
                  }
                />
              </th>
              {COLUMNS.map((c) => (
                <th
                  key={c.sort}
                  class={c.numeric ? 'num' : ''}
                  aria-sort={
                    query.sort === c.sort
                      ? query.direction === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : undefined
                  }
                >
                  <button type="button" class="sort" data-sort={c.sort} onClick={() => sortBy(c)}>
                    {c.label}
                    {query.sort === c.sort ? (query.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {first > 0 ? <Spacer px={first * rowPx} /> : null}
            {visible.map((m) => (
              <MinerRow
                key={m.id}
                miner={m}
                spark={sparks[m.id]}
                now={now}
                selected={selected.has(m.id)}
                onSelect={onSelect}
                energy={energy}
              />
            ))}
            {last < shown.length ? <Spacer px={(shown.length - last) * rowPx} /> : null}
          </tbody>
        </table>
        {loaded && shown.length === 0 ? <p class="empty">No miner matches.</p> : null}
      </div>
    </div>
  );
}
