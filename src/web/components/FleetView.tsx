/**
 * A farm at a glance: every miner as one cell of a temperature heatmap (hot against its own
 * limit, not one global figure), and hashrate summed by kind and by tag. The heatmap is one
 * canvas, so 10,000 miners cost one drawing, not 10,000 elements.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { formatHashrate, formatWatts } from '../format.js';
import { naturalCompare, tagsOf } from '../minerQuery.js';
import { minerHref } from '../route.js';
import type { ListedMiner } from '../types.js';

const CELL_PX = 12;
const GAP_PX = 2;
/** The limit used for a miner that states none and whose model has no default. */
const FALLBACK_LIMIT_C = 70;

/** Where a miner's hottest chip sits against its limit, 0 (cold) to 1 (at the limit) and past. */
export function heat(miner: ListedMiner): number | null {
  const s = miner.lastSample;
  if (s === null || miner.status === 'offline' || miner.status === 'breaker_open') return null;
  const chip = s.maxChipTemperatureC ?? s.temperatureC;
  if (chip === null) return null;
  return chip / (s.chipTempLimitC ?? FALLBACK_LIMIT_C);
}

/** Cold blue, comfortable green, warm amber, at or past the limit red; grey when unknown. */
export function heatColour(h: number | null): string {
  if (h === null) return '#3a4656';
  if (h >= 1) return '#ef5350';
  if (h >= 0.92) return '#ffb300';
  if (h >= 0.6) return '#4caf50';
  return '#4fc3f7';
}

export interface GroupTotal {
  readonly group: string;
  readonly miners: number;
  readonly hashrateGhs: number;
  readonly expectedHashrateGhs: number;
  readonly powerW: number;
}

/** Hashrate, expected hashrate and power summed per group (a miner with two tags counts in both). */
export function totalsBy(
  miners: readonly ListedMiner[],
  groupsOf: (miner: ListedMiner) => readonly string[],
): GroupTotal[] {
  const totals = new Map<
    string,
    { miners: number; hashrateGhs: number; expectedHashrateGhs: number; powerW: number }
  >();
  for (const m of miners) {
    for (const group of groupsOf(m)) {
      const t = totals.get(group) ?? { miners: 0, hashrateGhs: 0, expectedHashrateGhs: 0, powerW: 0 };
      t.miners += 1;
      t.hashrateGhs += m.lastSample?.hashrateGhs ?? 0;
      t.expectedHashrateGhs += m.lastSample?.expectedHashrateGhs ?? 0;
      t.powerW += m.lastSample?.powerW ?? 0;
      totals.set(group, t);
    }
  }
  return [...totals.entries()]
    .map(([group, t]) => ({ group, ...t }))
    .sort((a, b) => b.hashrateGhs - a.hashrateGhs || naturalCompare(a.group, b.group));
}

function Heatmap({ miners }: { miners: readonly ListedMiner[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const ordered = useMemo(() => [...miners].sort((a, b) => naturalCompare(a.name, b.name)), [miners]);
  const columns = Math.max(
    1,
    Math.floor((canvas.current?.parentElement?.clientWidth ?? 600) / (CELL_PX + GAP_PX)),
  );
  const rows = Math.ceil(ordered.length / columns);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx === null || ctx === undefined) return;
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ordered.forEach((m, i) => {
      ctx.fillStyle = heatColour(heat(m));
      ctx.fillRect(
        (i % columns) * (CELL_PX + GAP_PX),
        Math.floor(i / columns) * (CELL_PX + GAP_PX),
        CELL_PX,
        CELL_PX,
      );
    });
  }, [ordered, columns]);
  const minerAt = (event: MouseEvent): ListedMiner | undefined => {
    const box = (event.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const col = Math.floor((event.clientX - box.left) / (CELL_PX + GAP_PX));
    const row = Math.floor((event.clientY - box.top) / (CELL_PX + GAP_PX));
    return col < columns ? ordered[row * columns + col] : undefined;
  };
  return (
    <canvas
      ref={canvas}
      class="heatmap"
      role="img"
      aria-label={`Chip temperature against each miner's limit, ${ordered.length} miners`}
      width={columns * (CELL_PX + GAP_PX)}
      height={Math.max(1, rows) * (CELL_PX + GAP_PX)}
      onMouseMove={(e) => {
        const m = minerAt(e);
        const s = m?.lastSample;
        const chip = s?.maxChipTemperatureC ?? s?.temperatureC;
        (e.currentTarget as HTMLCanvasElement).title =
          m === undefined
            ? ''
            : `${m.name}: ${typeof chip === 'number' ? `${chip.toFixed(1)} °C` : m.status}`;
      }}
      onClick={(e) => {
        const m = minerAt(e);
        if (m !== undefined) location.hash = minerHref(m.id);
      }}
    />
  );
}

function GroupTable({ title, totals }: { title: string; totals: readonly GroupTotal[] }) {
  return (
    <table class="groups" aria-label={title}>
      <thead>
        <tr>
          <th>{title}</th>
          <th class="num">Miners</th>
          <th class="num">Hashrate</th>
          <th class="num">Expected</th>
          <th class="num">Power</th>
        </tr>
      </thead>
      <tbody>
        {totals.map((t) => (
          <tr key={t.group} data-group={t.group}>
            <td>{t.group}</td>
            <td class="num">{t.miners}</td>
            <td class="num">{formatHashrate(t.hashrateGhs)}</td>
            <td class="num">{formatHashrate(t.expectedHashrateGhs)}</td>
            <td class="num">{formatWatts(t.powerW)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FleetView({ miners }: { miners: readonly ListedMiner[] }) {
  const byKind = useMemo(() => totalsBy(miners, (m) => [m.kind]), [miners]);
  const byTag = useMemo(() => totalsBy(miners, tagsOf), [miners]);
  if (miners.length === 0) return null;
  return (
    <section class="panel fleet-view" aria-labelledby="fleet-view-title">
      <h2 id="fleet-view-title">Fleet</h2>
      <Heatmap miners={miners} />
      <p class="muted legend">
        <span class="swatch" style={{ background: heatColour(0.5) }} /> cool{' '}
        <span class="swatch" style={{ background: heatColour(0.8) }} /> normal{' '}
        <span class="swatch" style={{ background: heatColour(0.95) }} /> near its limit{' '}
        <span class="swatch" style={{ background: heatColour(1) }} /> at or past it{' '}
        <span class="swatch" style={{ background: heatColour(null) }} /> offline or unknown
      </p>
      <div class="columns">
        <GroupTable title="Kind" totals={byKind} />
        {byTag.length === 0 ? null : <GroupTable title="Tag" totals={byTag} />}
      </div>
    </section>
  );
}
