/**
 * PostgreSQL storage bench (`node --import tsx bench/storage-postgres.bench.ts [--quick]`), side
 * by side with SQLite in one run, on the same samples through the same `Storage` interface:
 *
 * 1. Sustained `saveMetrics` + `flush` throughput, 1,000 miners x 500 ticks (quick: 100), with
 *    write-time minute/hour rollups, through the real write path (write-behind queue, retries,
 *    PgMetricWriter: each 20,000-sample batch split by miner into two transactions on two
 *    connections, each a binary COPY plus one rollup statement) on PostgreSQL, and on SQLite
 *    (`SqliteStorage`). For PostgreSQL also the CPU its connections' server processes used.
 * 2. A 30-day, 500-point chart of one miner on a database holding 40 miners x 30 days (at 60 s;
 *    the chart reads the hour rollups, 720 rows per miner, however dense the raw rows are).
 *
 * Needs a PostgreSQL server: SOLOWATCH_BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test. Tables go into a schema of their own, dropped at the end.
 * The last stdout line is `SUMMARY <json>` (see bench/lib/summary.ts).
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { RetryManager, systemClock } from '../src/resilience/index.js';
import { type MetricRecord, SqliteStorage, type Storage } from '../src/storage/index.js';
import { PostgresStorage, serverName } from '../src/storage/postgres/index.js';
import { isQuick } from './lib/args.js';
import { benchMetric } from './lib/metrics.js';
import { median } from './lib/stats.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const quick = isQuick();
const URL_ = process.env.SOLOWATCH_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MINERS = 1000;
const TICKS = quick ? 100 : 500;
const CHART_MINERS = 40;
const CHART_DAYS = 30;
const CHART_INTERVAL_MS = 60_000;
const CHART_RUNS = quick ? 30 : 100;
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'solowatch-pg-bench-'));
const schemas: string[] = [];

function tickOf(tick: number, intervalMs: number, miners: number): MetricRecord[] {
  const out: MetricRecord[] = new Array(miners);
  for (let m = 0; m < miners; m += 1) out[m] = benchMetric(m, tick, T0 + tick * intervalMs);
  return out;
}

type Kind = 'postgres' | 'sqlite';

/** The URL of a storage whose connections carry `appName`, so that its server processes can be found. */
function namedUrl(appName: string): string {
  const url = new URL(URL_);
  url.searchParams.set('application_name', appName);
  return url.href;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/**
 * CPU seconds that the server processes of `appName`'s open connections have used since they
 * started (user + system, from /proc); null when they cannot be read here (a server on another
 * machine). The server's shared processes (WAL writer, checkpointer) are not in it.
 */
async function serverCpuSeconds(appName: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    if (rows.length === 0) return null;
    let ticks = 0;
    for (const { pid } of rows) {
      // Fields after the command name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / CLOCK_TICKS;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

function open(kind: Kind, name: string, now?: number, appName?: string): Storage {
  const common = {
    retentionIntervalMs: 0,
    // The whole run fits in the write-behind buffer: the bench measures how fast the writer
    // drains it, not the drop policy (the default 200,000 dropped most of a 500-tick run).
    maxQueued: MINERS * TICKS,
    manager: new RetryManager(),
    // A fixed `now` for the chart's bucket plan; the background jobs still wait on real timers.
    ...(now === undefined ? {} : { clock: { now: () => now, sleep: systemClock.sleep.bind(systemClock) } }),
  };
  if (kind === 'sqlite') return new SqliteStorage({ path: join(dir, `${name}.db`), ...common });
  const schema = `bench_${name}_${randomBytes(3).toString('hex')}`;
  schemas.push(schema);
  return new PostgresStorage({ url: appName === undefined ? URL_ : namedUrl(appName), schema, ...common });
}

interface Rate {
  readonly wall: number;
  readonly cpu: number;
  /** Samples per CPU second of the server's processes serving this storage; null for SQLite or a remote server. */
  readonly serverCpu: number | null;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function ingest(kind: Kind): Promise<Rate> {
  const appName = `solowatch_bench_${randomBytes(4).toString('hex')}`;
  const storage = open(kind, 'ingest', undefined, appName);
  await storage.initialize();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let t = 0; t < TICKS; t += 1) await storage.saveMetrics(tickOf(t, 10_000, MINERS));
  await storage.flush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(cpu0);
  // Read before close: the pool's connections (and their processes) end with it.
  const server = kind === 'postgres' ? await serverCpuSeconds(appName) : null;
  const { written, dropped } = storage.stats();
  await storage.close();
  if (written !== MINERS * TICKS || dropped !== 0)
    throw new Error(`${kind}: wrote ${written}, dropped ${dropped}`);
  const samples = MINERS * TICKS;
  return {
    wall: samples / seconds,
    cpu: samples / cpu,
    serverCpu: server === null ? null : samples / server,
  };
}

async function chart(kind: Kind): Promise<{ wallMs: number; points: number; rows: number }> {
  const to = T0 + CHART_DAYS * DAY - 1;
  const storage = open(kind, 'chart', to);
  await storage.initialize();
  const ticks = (CHART_DAYS * DAY) / CHART_INTERVAL_MS;
  for (let t = 0; t < ticks; t += 500) {
    const batch: MetricRecord[] = [];
    for (let k = t; k < Math.min(ticks, t + 500); k += 1)
      batch.push(...tickOf(k, CHART_INTERVAL_MS, CHART_MINERS));
    await storage.saveMetrics(batch);
    await storage.flush();
  }
  const query = { from: T0, to, points: 500 };
  let points = 0;
  const run = async (): Promise<void> => {
    points = (await storage.querySeries('miner-7', query)).points.length;
  };
  await run();
  const times: number[] = [];
  for (let i = 0; i < CHART_RUNS; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  await storage.close();
  return { wallMs: median(times), points, rows: ticks * CHART_MINERS };
}

async function dropSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

/** The machine is shared: a figure means little without the load it was measured under. */
function loadNow(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

async function main(): Promise<void> {
  const load = loadNow();
  process.stdout.write(
    `storage-postgres bench${quick ? ' (--quick)' : ''}: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${load} at start, server ${serverName(URL_)}\n`,
  );
  try {
    const pgIngest = await ingest('postgres');
    const liteIngest = await ingest('sqlite');
    const pgChart = await chart('postgres');
    const liteChart = await chart('sqlite');
    const ingestLabel = `saveMetrics + flush, ${MINERS} miners x ${TICKS} ticks, rollups at write time`;
    const chartLabel = `30-day chart, 500 points, ${CHART_MINERS} miners x ${CHART_DAYS} d at ${CHART_INTERVAL_MS / 1000} s (${formatNumber(pgChart.rows)} raw rows)`;
    process.stdout.write(
      `\n${renderTable(
        ['measure', 'unit', 'PostgreSQL', 'SQLite', 'ratio'],
        [
          [
            `${ingestLabel}, wall clock`,
            'samples/s',
            Math.round(pgIngest.wall),
            Math.round(liteIngest.wall),
            pgIngest.wall / liteIngest.wall,
          ],
          [
            `${ingestLabel}, per CPU second of solowatch`,
            'samples/s',
            Math.round(pgIngest.cpu),
            Math.round(liteIngest.cpu),
            pgIngest.cpu / liteIngest.cpu,
          ],
          [
            `${ingestLabel}, per CPU second of the server's connections`,
            'samples/s',
            pgIngest.serverCpu === null ? '-' : Math.round(pgIngest.serverCpu),
            '-',
            '-',
          ],
          [
            `${chartLabel}, wall median`,
            'ms',
            pgChart.wallMs,
            liteChart.wallMs,
            pgChart.wallMs / liteChart.wallMs,
          ],
        ],
      )}\n\nchart: ${pgChart.points} points (PostgreSQL), ${liteChart.points} (SQLite), from the hour rollups. PostgreSQL's CPU is in the server row only (its connections' processes, not the WAL writer or checkpointer). Load average at the end: ${loadNow()}.\n`,
    );
    const rows: SummaryRow[] = [
      {
        bench: 'storage-postgres',
        metric: `PostgreSQL ${ingestLabel} (wall clock)`,
        value: Math.round(pgIngest.wall),
        unit: 'samples/s',
        anchor: `SQLite, same run: ${formatNumber(liteIngest.wall)} samples/s`,
        ratio: pgIngest.wall / liteIngest.wall,
        target: '>= 100000',
        pass: pgIngest.wall >= 100_000,
      },
      {
        bench: 'storage-postgres',
        metric: `PostgreSQL ${chartLabel} (wall median)`,
        value: pgChart.wallMs,
        unit: 'ms',
        anchor: `SQLite, same run: ${liteChart.wallMs.toFixed(2)} ms`,
        ratio: pgChart.wallMs / liteChart.wallMs,
        target: '<= 10',
        pass: pgChart.wallMs <= 10,
      },
    ];
    printSummary(rows);
  } finally {
    await dropSchemas();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
