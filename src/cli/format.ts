/** Plain-text output for the client commands: tables, units, a progress bar. */
import type { DiscoverProgress, MinerView } from '../monitor/types.js';

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

export function formatHashrate(ghs: number | null | undefined): string {
  if (ghs === null || ghs === undefined) return '-';
  if (ghs >= 1000) return `${(ghs / 1000).toFixed(2)} TH/s`;
  return `${ghs.toFixed(1)} GH/s`;
}

function orDash(value: number | null | undefined, unit: string, digits = 0): string {
  return value === null || value === undefined ? '-' : `${value.toFixed(digits)}${unit}`;
}

export function minersTable(miners: readonly MinerView[]): string {
  if (miners.length === 0) return 'No miners yet. Add one with `solowatch add <host>`.\n';
  const rows = miners.map((m) => [
    m.id,
    m.name,
    `${m.host}:${m.port}`,
    m.kind,
    m.status,
    formatHashrate(m.lastSample?.hashrateGhs),
    orDash(m.lastSample?.temperatureC, ' °C'),
    orDash(m.lastSample?.powerW, ' W', 1),
    m.breaker?.state ?? '-',
    m.tags.length === 0 ? '-' : m.tags.join(','),
  ]);
  return table(
    ['id', 'name', 'address', 'kind', 'status', 'hashrate', 'temp', 'power', 'breaker', 'tags'],
    rows,
  );
}

export interface BreakerRow {
  readonly name: string;
  readonly state: string;
  readonly failureCount: number;
  readonly calls?: number;
  readonly refusals?: number;
  readonly retries?: number;
  readonly nextAttemptAt?: number | null;
}

export function breakersTable(stats: Readonly<Record<string, BreakerRow>>, now: number): string {
  const all = Object.values(stats);
  if (all.length === 0) return 'No circuit breakers yet: they appear once solowatch has called something.\n';
  const rows = all
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => [
      s.name,
      s.state,
      String(s.failureCount),
      String(s.calls ?? '-'),
      String(s.refusals ?? '-'),
      String(s.retries ?? '-'),
      s.nextAttemptAt === null || s.nextAttemptAt === undefined
        ? '-'
        : `in ${Math.max(0, Math.ceil((s.nextAttemptAt - now) / 1000))} s`,
    ]);
  return table(['breaker', 'state', 'failures', 'calls', 'refusals', 'retries', 'next try'], rows);
}

/** `[########------------]  40/100 scanned, 2 found` */
export function progressBar(progress: DiscoverProgress, width = 30): string {
  const ratio = progress.total > 0 ? Math.min(1, progress.scanned / progress.total) : 0;
  const filled = Math.round(ratio * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  return `[${bar}] ${String(progress.scanned).padStart(String(progress.total).length)}/${progress.total} scanned, ${progress.found} found`;
}
