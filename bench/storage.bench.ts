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
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { RetryManager } from '../src/resilience/index.js';
import { FIELD_COLUMNS } from '../src/storage/columns.js';
import { METRIC_FIELDS, type MetricRecord, migrate, SqliteStorage } from '../src/storage/index.js';
import { isQuick } from './lib/args.js';
import { median } from './lib/stats.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const quick = isQuick();
const MINERS = 1000;
const TICKS = quick ? 100 : 1000;
const BATCH = 5000;
const CHART_MINERS = 40;
const CHART_DAYS = 30;
const CHART_INTERVAL_MS = quick ? 60_000 : 10_000;
const CHART_RUNS = quick ? 30 : 100;
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'solowatch-storage-bench-'));

function sample(miner: number, tick: number, intervalMs: number): MetricRecord {
  return {
    minerId: `miner-${miner}`,
    timestamp: T0 + tick * intervalMs,
    hashrateGhs: 480 + ((miner * 7 + tick * 13) % 50),
    expectedHashrateGhs: 500,
    temperatureC: 50 + ((miner + tick) % 15),
    vrTemperatureC: 55 + (tick % 10),
    powerW: 14 + (miner % 5),
    inputVoltageV: 5.1,
    fanRpm: 3000 + (tick % 400),
    sharesAccepted: tick,
    sharesRejected: tick >> 6,
    bestDifficulty: 1e9 + miner,
    sessionBestDifficulty: 1e6 + tick,
    uptimeS: tick * 10,
    backfilled: false,
  };
}

function tickOf(tick: number, intervalMs: number): MetricRecord[] {
  const out: MetricRecord[] = new Array(MINERS);
  for (let m = 0; m < MINERS; m += 1) out[m] = sample(m, tick, intervalMs);
  return out;
}

async function ingestOurs(): Promise<number> {
  const path = join(dir, 'ours.db');
  const storage = new SqliteStorage({
    path,
    batchSize: BATCH,
    retentionIntervalMs: 0,
    manager: new RetryManager(),
  });
  await storage.initialize();
  const started = performance.now();
  for (let t = 0; t < TICKS; t += 1) await storage.saveMetrics(tickOf(t, 10_000));
  await storage.flush();
  const seconds = (performance.now() - started) / 1000;
  const { written, dropped } = storage.stats();
  await storage.close();
  if (written !== MINERS * TICKS || dropped !== 0) throw new Error(`wrote ${written}, dropped ${dropped}`);
  return (MINERS * TICKS) / seconds;
}

function openRaw(path: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  return db;
}

const COLUMNS = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);
const INSERT_SQL = `INSERT INTO metrics (series, ts, ${COLUMNS.join(', ')}, backfilled)
  VALUES (${new Array(COLUMNS.length + 3).fill('?').join(', ')})`;

function rowOf(series: number, r: MetricRecord): (number | null)[] {
  return [series, r.timestamp, ...METRIC_FIELDS.map((field) => r[field]), r.backfilled ? 1 : 0];
}

function ingestRaw(): number {
  const db = openRaw(join(dir, 'raw.db'));
  migrate(db);
  const addSeries = db.prepare('INSERT INTO metric_series (key, miner_id) VALUES (?, ?)');
  for (let m = 0; m < MINERS; m += 1) addSeries.run(m + 1, `miner-${m}`);
  const insert = db.prepare(INSERT_SQL);
  const write = db.transaction((rows: readonly MetricRecord[]) => {
    for (const r of rows) insert.run(rowOf(Number(r.minerId.slice(6)) + 1, r));
  });
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
  db.close();
  return (MINERS * TICKS) / seconds;
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

function timeMs(fn: () => unknown, runs: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function chart(): Promise<{ ours: number; anchor: number; rows: number; points: number }> {
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
  // querySeries is async only for the interface; time it end to end, awaited.
  const oursTimes: number[] = [];
  for (let i = 0; i <= CHART_RUNS; i += 1) {
    const started = performance.now();
    const series = await storage.querySeries('miner-7', query);
    if (i > 0) oursTimes.push(performance.now() - started);
    points = series.points.length;
  }
  await storage.close();

  const db = new BetterSqlite3(path, { readonly: true });
  const bucketMs = Math.ceil((to - T0 + 1) / query.points);
  const aggregates = COLUMNS.map((c) => `avg(${c}), min(${c}), max(${c})`).join(', ');
  const statement = db.prepare(`SELECT (ts - ?) / ? AS idx, count(*), ${aggregates}
    FROM metrics INDEXED BY bench_by_series WHERE series = 8 AND ts >= ? AND ts <= ? GROUP BY idx ORDER BY idx`);
  const anchor = timeMs(() => statement.all(BigInt(T0), BigInt(bucketMs), T0, to), CHART_RUNS);
  db.close();
  return { ours: median(oursTimes), anchor, rows, points };
}

async function main(): Promise<void> {
  process.stdout.write(
    `storage bench${quick ? ' (--quick)' : ''}: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}\n`,
  );
  const ours = await ingestOurs();
  const raw = ingestRaw();
  const c = await chart();
  process.stdout.write(
    `\n${renderTable(
      ['measure', 'solowatch', 'anchor', 'anchor is', 'ratio'],
      [
        [
          `saveMetrics, ${MINERS} miners x ${TICKS} ticks (samples/s)`,
          Math.round(ours),
          Math.round(raw),
          'raw batched inserts, same schema, no rollups',
          ours / raw,
        ],
        [
          `30-day chart, 500 points, ${CHART_MINERS} miners x ${CHART_DAYS} d at ${CHART_INTERVAL_MS / 1000} s = ${formatNumber(c.rows)} rows (ms, median)`,
          c.ours,
          c.anchor,
          'GROUP BY over raw rows, covering index',
          c.ours / c.anchor,
        ],
      ],
    )}\n\nchart returned ${c.points} points from the hour rollups\n`,
  );
  const rows: SummaryRow[] = [
    {
      bench: 'storage',
      metric: `saveMetrics sustained, ${MINERS} miners x ${TICKS} ticks`,
      value: Math.round(ours),
      unit: 'samples/s',
      anchor: `raw better-sqlite3 batched inserts: ${formatNumber(raw)} samples/s`,
      ratio: ours / raw,
      target: '>= 100000',
      pass: ours >= 100_000,
    },
    {
      bench: 'storage',
      metric: `30-day chart at 500 points, ${CHART_MINERS} miners x ${CHART_DAYS} d at ${CHART_INTERVAL_MS / 1000} s`,
      value: Number(c.ours.toFixed(3)),
      unit: 'ms',
      anchor: `GROUP BY over raw rows (covering index): ${formatNumber(c.anchor)} ms`,
      ratio: c.ours / c.anchor,
      target: '<= 10',
      pass: c.ours <= 10,
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
