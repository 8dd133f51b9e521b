/**
 * Storage bench (`node --import tsx bench/storage.bench.ts [--quick]`), side by side in one run:
 *
 * 1. Sustained `saveMetrics` throughput, 1,000 miners x 1,000 ticks (quick: 100 ticks), through
 *    the write-behind queue with write-time minute/hour rollups, against raw better-sqlite3
 *    batched inserts into the same schema (same batch size, same pragmas, no rollups).
 * 2. A 30-day, 500-point chart of one miner on a database holding 40 miners x 30 days at 10 s
 *    (quick: at 60 s), served by `querySeries` (hour rollups) against a GROUP BY over raw rows
 *    through a covering (series, ts, ...) index, the best an index can do for that query.
 *
 * The last stdout line is `SUMMARY <json>` (see bench/lib/summary.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { RetryManager } from '../src/resilience/index.js';
import { FIELD_COLUMNS } from '../src/storage/columns.js';
import {
  DEFAULT_OPTIONS,
  METRIC_FIELDS,
  type MetricRecord,
  migrate,
  SqliteStorage,
} from '../src/storage/index.js';
import { isQuick } from './lib/args.js';
import { benchMetric } from './lib/metrics.js';
import { median } from './lib/stats.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const quick = isQuick();
const MINERS = 1000;
const TICKS = quick ? 100 : 1000;
const BATCH = DEFAULT_OPTIONS.batchSize;
const CHART_MINERS = 40;
const CHART_DAYS = 30;
const CHART_INTERVAL_MS = quick ? 60_000 : 10_000;
const CHART_RUNS = quick ? 30 : 100;
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'solowatch-storage-bench-'));

function sample(miner: number, tick: number, intervalMs: number): MetricRecord {
  return benchMetric(miner, tick, T0 + tick * intervalMs);
}

function tickOf(tick: number, intervalMs: number): MetricRecord[] {
  const out: MetricRecord[] = new Array(MINERS);
  for (let m = 0; m < MINERS; m += 1) out[m] = sample(m, tick, intervalMs);
  return out;
}

interface Rate {
  /** Samples per wall-clock second. */
  readonly wall: number;
  /** Samples per second of this process's CPU time: what the code costs on a machine shared with other loads. */
  readonly cpu: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function ingestOurs(): Promise<Rate> {
  const path = join(dir, 'ours.db');
  const storage = new SqliteStorage({
    path,
    batchSize: BATCH,
    retentionIntervalMs: 0,
    manager: new RetryManager(),
  });
  await storage.initialize();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let t = 0; t < TICKS; t += 1) await storage.saveMetrics(tickOf(t, 10_000));
  await storage.flush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(cpu0);
  const { written, dropped } = storage.stats();
  await storage.close();
  if (written !== MINERS * TICKS || dropped !== 0) throw new Error(`wrote ${written}, dropped ${dropped}`);
  return { wall: (MINERS * TICKS) / seconds, cpu: (MINERS * TICKS) / cpu };
}

function openRaw(path: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  return db;
}

const COLUMNS = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);
const INSERT_SQL = `INSERT INTO metrics (series, ts, ${COLUMNS.join(', ')}, backfilled)
  VALUES (${new Array(COLUMNS.length + 3).fill('?').join(', ')})`;

function rowOf(series: number, r: MetricRecord): (number | null)[] {
  return [series, r.timestamp, ...METRIC_FIELDS.map((field) => r[field]), r.backfilled ? 1 : 0];
}

function ingestRaw(): Rate {
  const db = openRaw(join(dir, 'raw.db'));
  migrate(db);
  const addSeries = db.prepare('INSERT INTO metric_series (key, miner_id) VALUES (?, ?)');
  for (let m = 0; m < MINERS; m += 1) addSeries.run(m + 1, `miner-${m}`);
  const insert = db.prepare(INSERT_SQL);
  const write = db.transaction((rows: readonly MetricRecord[]) => {
    for (const r of rows) insert.run(rowOf(Number(r.minerId.slice(6)) + 1, r));
  });
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let pending: MetricRecord[] = [];
  for (let t = 0; t < TICKS; t += 1) {
    pending = pending.concat(tickOf(t, 10_000));
    if (pending.length >= BATCH) {
      write(pending);
      pending = [];
    }
  }
  if (pending.length > 0) write(pending);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(cpu0);
  db.close();
  return { wall: (MINERS * TICKS) / seconds, cpu: (MINERS * TICKS) / cpu };
}

/** 40 miners x 30 days of raw rows, then migration 2 builds the rollups as an upgrade would. */
function buildChartDatabase(path: string): number {
  const db = openRaw(path);
  migrate(db, 1);
  const addSeries = db.prepare('INSERT INTO metric_series (key, miner_id) VALUES (?, ?)');
  for (let m = 0; m < CHART_MINERS; m += 1) addSeries.run(m + 1, `miner-${m}`);
  const insert = db.prepare(INSERT_SQL);
  const ticks = (CHART_DAYS * DAY) / CHART_INTERVAL_MS;
  const write = db.transaction((from: number, to: number) => {
    for (let t = from; t < to; t += 1) {
      for (let m = 0; m < CHART_MINERS; m += 1) insert.run(rowOf(m + 1, sample(m, t, CHART_INTERVAL_MS)));
    }
  });
  for (let t = 0; t < ticks; t += 2000) write(t, Math.min(ticks, t + 2000));
  migrate(db);
  // The anchor's best case: a covering index that holds every aggregated column in (series, ts) order.
  db.exec(`CREATE INDEX bench_by_series ON metrics (series, ts, ${COLUMNS.join(', ')})`);
  db.exec('ANALYZE');
  db.close();
  return ticks * CHART_MINERS;
}

interface Timing {
  /** Median wall-clock ms per query. */
  readonly wallMs: number;
  /** Mean CPU ms per query of this process. */
  readonly cpuMs: number;
}

async function timeQuery(fn: () => unknown, runs: number): Promise<Timing> {
  await fn();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { wallMs: median(times), cpuMs: (cpuSeconds(cpu0) * 1000) / runs };
}

async function chart(): Promise<{ ours: Timing; anchor: Timing; rows: number; points: number }> {
  const path = join(dir, 'chart.db');
  const rows = buildChartDatabase(path);
  const to = T0 + CHART_DAYS * DAY - 1;
  const query = { from: T0, to, points: 500 };
  const storage = new SqliteStorage({
    path,
    retentionIntervalMs: 0,
    manager: new RetryManager(),
    clock: { now: () => to, sleep: () => Promise.resolve() },
  });
  await storage.initialize();
  let points = 0;
  // End to end through the async interface, as the server calls it.
  const ours = await timeQuery(async () => {
    points = (await storage.querySeries('miner-7', query)).points.length;
  }, CHART_RUNS);
  await storage.close();

  const db = new BetterSqlite3(path, { readonly: true });
  const bucketMs = Math.ceil((to - T0 + 1) / query.points);
  const aggregates = COLUMNS.map((c) => `avg(${c}), min(${c}), max(${c})`).join(', ');
  const statement = db.prepare(`SELECT (ts - ?) / ? AS idx, count(*), ${aggregates}
    FROM metrics INDEXED BY bench_by_series WHERE series = 8 AND ts >= ? AND ts <= ? GROUP BY idx ORDER BY idx`);
  const anchor = await timeQuery(() => statement.all(BigInt(T0), BigInt(bucketMs), T0, to), CHART_RUNS);
  db.close();
  return { ours, anchor, rows, points };
}

async function main(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  process.stdout.write(
    `storage bench${quick ? ' (--quick)' : ''}: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${load} at start\n`,
  );
  const ours = await ingestOurs();
  const raw = ingestRaw();
  const c = await chart();
  const ingestLabel = `saveMetrics, ${MINERS} miners x ${TICKS} ticks`;
  const chartLabel = `30-day chart, 500 points, ${CHART_MINERS} miners x ${CHART_DAYS} d at ${CHART_INTERVAL_MS / 1000} s (${formatNumber(c.rows)} raw rows)`;
  process.stdout.write(
    `\n${renderTable(
      ['measure', 'unit', 'solowatch', 'anchor', 'ratio', 'anchor is'],
      [
        [
          `${ingestLabel}, wall clock`,
          'samples/s',
          Math.round(ours.wall),
          Math.round(raw.wall),
          ours.wall / raw.wall,
          'raw batched inserts, same schema, no rollups',
        ],
        [
          `${ingestLabel}, per CPU second`,
          'samples/s',
          Math.round(ours.cpu),
          Math.round(raw.cpu),
          ours.cpu / raw.cpu,
          'same',
        ],
        [
          `${chartLabel}, wall median`,
          'ms',
          c.ours.wallMs,
          c.anchor.wallMs,
          c.ours.wallMs / c.anchor.wallMs,
          'GROUP BY over raw rows, covering (series, ts, ...) index',
        ],
        [
          `${chartLabel}, CPU mean`,
          'ms',
          c.ours.cpuMs,
          c.anchor.cpuMs,
          c.ours.cpuMs / c.anchor.cpuMs,
          'same',
        ],
      ],
    )}\n\nchart: ${c.points} points from the hour rollups; CPU rows show the cost without other processes' share of the cores\n`,
  );
  const rows: SummaryRow[] = [
    {
      bench: 'storage',
      metric: `${ingestLabel} (wall clock)`,
      value: Math.round(ours.wall),
      unit: 'samples/s',
      anchor: `raw better-sqlite3 batched inserts: ${formatNumber(raw.wall)} samples/s`,
      ratio: ours.wall / raw.wall,
      target: '>= 100000',
      pass: ours.wall >= 100_000,
    },
    {
      bench: 'storage',
      metric: `${ingestLabel} (per CPU second)`,
      value: Math.round(ours.cpu),
      unit: 'samples/s',
      anchor: `raw better-sqlite3 batched inserts: ${formatNumber(raw.cpu)} samples/s`,
      ratio: ours.cpu / raw.cpu,
      target: null,
      pass: null,
    },
    {
      bench: 'storage',
      metric: `${chartLabel} (wall median)`,
      value: Number(c.ours.wallMs.toFixed(3)),
      unit: 'ms',
      anchor: `GROUP BY over raw rows (covering index): ${formatNumber(c.anchor.wallMs)} ms`,
      ratio: c.ours.wallMs / c.anchor.wallMs,
      target: '<= 10',
      pass: c.ours.wallMs <= 10,
    },
    {
      bench: 'storage',
      metric: `${chartLabel} (CPU mean)`,
      value: Number(c.ours.cpuMs.toFixed(3)),
      unit: 'ms',
      anchor: `GROUP BY over raw rows (covering index): ${formatNumber(c.anchor.cpuMs)} ms`,
      ratio: c.ours.cpuMs / c.anchor.cpuMs,
      target: null,
      pass: null,
    },
  ];
  rmSync(dir, { recursive: true, force: true });
  printSummary(rows);
}

main().catch((error: unknown) => {
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
