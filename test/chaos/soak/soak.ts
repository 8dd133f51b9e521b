/**
 * Chaos soak: the app (soakApp.ts, wired as main.ts wires it) against a simulated fleet in another
 * process (fleetProcess.ts), 30 % of it faulty across every fault kind, on loopback only and
 * bounded in time and count. Records and checks: no crash, no unhandled rejection, heap and RSS
 * growth after warm-up, every sample storage accepted in the database (and the file sound),
 * healthy miners' poll lateness, per-miner breakers opening during an outage and recovering after
 * it, and the API answering throughout. Writes soak.json and soak.md; exits 1 if a check fails.
 *
 *   npm run soak          10 minutes, 1,000 miners, 10 s interval (production defaults)
 *   npm run soak:ci       60 seconds, 1,000 miners, 5 s interval, 5 s breaker recovery
 *   npm run soak -- --long
 *                         40 minutes, 200 miners, 2 s interval, retention shortened to minutes:
 *                         240,000 polls, what a home fleet of 10 miners polled every 10 s makes
 *                         in 2.8 days (a day in 14 minutes), the database through 40 retention runs
 *   options: --duration-s N --count N --faulty R --interval-ms N --out DIR --seed N
 *            --snapshot-at S,S,... (heap snapshots of the app at these seconds, for heapDiff.ts)
 *
 * Memory is judged by its trend (trend.ts): the least-squares slope of heap after gc over the run
 * after warm-up and of RSS over its last half, with 95 % confidence intervals; the database by
 * its file and WAL sizes over the last half.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../support/childProcess.js';
import { LineLog } from '../support/lineLog.js';
import type { FleetDevice, FleetProcessOptions } from './fleetProcess.js';
import { type Check, renderMarkdown, type SoakReport } from './report.js';
import type { SoakAppOptions } from './soakApp.js';
import { describeTrend, fitTrend, type Trend } from './trend.js';

const { values: args } = parseArgs({
  options: {
    ci: { type: 'boolean', default: false },
    long: { type: 'boolean', default: false },
    'duration-s': { type: 'string' },
    count: { type: 'string' },
    faulty: { type: 'string' },
    'interval-ms': { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    'snapshot-at': { type: 'string' },
  },
});

const ci = args.ci === true;
const long = args.long === true && !ci;
const durationMs = Number(args['duration-s'] ?? (ci ? 60 : long ? 2400 : 600)) * 1000;
const count = Number(args.count ?? (long ? 200 : 1000));
const faultyRatio = Number(args.faulty ?? 0.3);
const intervalMs = Number(args['interval-ms'] ?? (ci ? 5000 : long ? 2000 : 10_000));
const seed = Number(args.seed ?? 20261129);
const breakerRecoveryMs = ci ? 5_000 : 60_000;
// A minute is too short for five 5 s failures and a recovery: the CI run opens breakers after 3.
const breakerFailures = ci ? 3 : 5;
// The long run's warm-up covers the outage, the first retention runs and SQLite's cache filling.
const warmupMs = Math.round(durationMs * (ci ? 0.33 : long ? 0.25 : 0.2));
const outageFromMs = ci ? 3_000 : 60_000;
const outageToMs = ci ? Math.round(durationMs * 0.55) : long ? 300_000 : Math.round(durationMs * 0.45);
const tickMs = ci ? 2_000 : 5_000;
/**
 * The long run keeps raw samples 5 minutes, minute rollups, events and cleared alerts 10 (hour
 * rollups forever, as in production), deleting every minute: the file must stop growing once the
 * first deletions ran.
 */
const retention = long ? { rawMs: 300_000, minuteMs: 600_000, eventsMs: 600_000 } : undefined;
const retentionIntervalMs = long ? 60_000 : undefined;
/**
 * Memory bounds on the fitted slopes (MB per hour; trend.ts). The long run holds the issue's
 * target: under 1 MB of heap an hour. Shorter runs show less, so their bounds only catch bigger
 * leaks: 10 MB/h over 10 minutes; in the CI minute, whose 40 s after warm-up still carry JIT and
 * cache growth, 2,000 MB/h, about 3 KB kept per poll at its 200 polls/s (a sample, an event or a
 * closure per poll would cross it; the AbortSignal.any leak of issue 19, ~0.1 KB, would not).
 */
const heapSlopeLimitMbPerHour = long ? 1 : ci ? 2000 : 10;
/** RSS over the last half may not rise faster than this unless its 95 % interval holds zero. */
const rssSlopeLimitMbPerHour = long ? 5 : ci ? 2000 : 20;
const outDir = resolve(args.out ?? mkdtempSync(join(tmpdir(), 'solowatch-soak-')));
const TOKEN = 'soak-token-0123456789abcdef';
const SOAK_DIR = join(REPO_ROOT, 'test', 'chaos', 'soak');

for (const [name, value] of Object.entries({ durationMs, count, faultyRatio, intervalMs, seed })) {
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`soak: --${name} must be a non-negative number\n`);
    process.exit(2);
  }
}

function child(script: string, json: object, nodeArgs: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(SOAK_DIR, script), JSON.stringify(json)],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tick {
  readonly t: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly dbBytes: number;
  readonly walBytes: number;
  readonly samples: number;
  readonly unhandled: number;
  readonly polls: number;
  readonly pollErrors: number;
  readonly inFlight: number;
  readonly lateness: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  readonly storage: {
    queued: number;
    accepted: number;
    written: number;
    dropped: number;
    available: boolean;
  };
  readonly breakers: { open: string[]; half_open: string[] };
  readonly registry: number;
  readonly otherBreakers: string[];
}

interface Final {
  readonly storage: {
    queued: number;
    accepted: number;
    written: number;
    dropped: number;
    flushFailures: number;
  };
  readonly samples: number;
  readonly unhandled: number;
  readonly healthyLateness: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const median = (values: readonly number[]) => quantile(values, 0.5);

async function main(): Promise<number> {
  mkdirSync(outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-soak-data-'));
  const startedAt = new Date().toISOString();
  process.stdout.write(
    `soak: ${count} miners, ${faultyRatio * 100} % faulty, ${durationMs / 1000} s, interval ${intervalMs} ms; report in ${outDir}\n`,
  );

  const fleetOptions: FleetProcessOptions = { count, faultyRatio, seed, outageFromMs, outageToMs };
  const fleet = child('fleetProcess.ts', fleetOptions);
  const fleetLog = new LineLog(fleet);
  let fleetExit: number | null | 'running' = 'running';
  fleet.on('exit', (code) => {
    fleetExit = code;
  });
  await fleetLog.waitFor('the fleet', () => fleetLog.values('ready').length > 0, 120_000);
  const devices = JSON.parse(fleetLog.values('ready')[0] as string) as FleetDevice[];
  const devicesFile = join(dataDir, 'devices.json');
  writeFileSync(devicesFile, JSON.stringify(devices));

  const appOptions: SoakAppOptions = {
    dataDir,
    devicesFile,
    intervalMs,
    breakerRecoveryMs,
    breakerFailures,
    tickMs,
    token: TOKEN,
    warmupMs,
    snapshotAtMs: (args['snapshot-at'] ?? '')
      .split(',')
      .filter((s) => s !== '')
      .map((s) => Number(s) * 1000),
    snapshotDir: outDir,
    ...(retention === undefined ? {} : { retention }),
    ...(retentionIntervalMs === undefined ? {} : { retentionIntervalMs }),
  };
  const app = child('soakApp.ts', appOptions, ['--expose-gc']);
  const appLog = new LineLog(app);
  let appExit: { code: number | null; signal: string | null } | null = null;
  app.on('exit', (code, signal) => {
    appExit = { code, signal };
  });
  await appLog.waitFor('the app', () => appLog.values('ready').length > 0, 120_000);
  const [url, minersJson] = (appLog.values('ready')[0] as string).split(' ', 2) as [string, string];
  const miners = JSON.parse((appLog.values('ready')[0] as string).slice(url.length + 1)) as {
    id: string;
    host: string;
    port: number;
  }[];
  void minersJson;
  const idOf = new Map(miners.map((m) => [`${m.host}:${m.port}`, m.id]));
  const groupOf = new Map(devices.map((d) => [idOf.get(`${d.host}:${d.port}`) ?? '', d.group]));
  const runStart = Date.now();

  // The API under load: what a dashboard and a Prometheus scrape would ask.
  const api = { requests: 0, failures: [] as string[], latencies: [] as number[] };
  const ask = async (path: string): Promise<void> => {
    const started = performance.now();
    api.requests += 1;
    try {
      const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (response.status !== 200) api.failures.push(`${path} ${response.status}`);
    } catch (error) {
      api.failures.push(`${path} ${(error as Error).message}`);
    }
    api.latencies.push(performance.now() - started);
  };
  let round = 0;
  const prober = setInterval(() => {
    round += 1;
    void ask('/api/health');
    void ask('/api/fleet');
    if (round % 5 === 0) {
      void ask('/api/miners');
      void ask('/metrics');
      void ask('/api/resilience');
    }
  }, 1000);

  while (Date.now() - runStart < durationMs && appExit === null && fleetExit === 'running') {
    await sleep(1000);
    const last = appLog.last('tick');
    if (last !== undefined && round % 10 === 0) {
      const tick = JSON.parse(last) as Tick;
      process.stdout.write(
        `  t=${Math.round(tick.t / 1000)}s polls=${tick.polls} samples=${tick.samples} open=${tick.breakers.open.length} queued=${tick.storage.queued} heap=${mb(tick.heapUsed)}MB rss=${Math.round(tick.rss / 1e6)}MB db=${mb(tick.dbBytes)}+${mb(tick.walBytes)}MB loopP99=${tick.loopP99Ms.toFixed(0)}ms\n`,
      );
    }
  }
  clearInterval(prober);
  const crashedEarly = appExit !== null;
  app.kill('SIGTERM');
  await appLog.waitFor('the app to stop', () => appExit !== null, 120_000).catch(() => app.kill('SIGKILL'));
  fleet.kill('SIGTERM');
  await fleetLog
    .waitFor('the fleet to stop', () => fleetExit !== 'running', 60_000)
    .catch(() => fleet.kill('SIGKILL'));

  const ticks = appLog.values('tick').map((line) => JSON.parse(line) as Tick);
  const finalLine = appLog.last('final');
  const final = finalLine === undefined ? null : (JSON.parse(finalLine) as Final);
  const unhandledLines = appLog.values('unhandled');

  const db = new Database(join(dataDir, 'solowatch.db'), { readonly: true });
  const integrity = String(db.pragma('integrity_check', { simple: true }));
  const rawRows = (db.prepare('SELECT count(*) AS n FROM metrics').get() as { n: number }).n;
  // With retention deleting raw rows, the hour rollups (kept forever) still count every sample.
  const rolledUp = (
    db.prepare('SELECT coalesce(sum(samples), 0) AS n FROM metrics_hour').get() as { n: number }
  ).n;
  const rows = retention === undefined ? rawRows : rolledUp;
  const tables = Object.fromEntries(
    ['metrics', 'metrics_minute', 'metrics_hour', 'events', 'alerts'].map((table) => [
      table,
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    ]),
  );
  db.close();

  const healthy = final?.healthyLateness ?? { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const measured = ticks.filter((t) => t.t >= warmupMs);
  const head = measured.slice(0, 3);
  const tail = measured.slice(-3);
  const heapTrend = fitTrend(measured.map((t) => ({ t: t.t, value: t.heapUsed })));
  const lastHalf = ticks.filter((t) => t.t >= durationMs / 2);
  const rssTrend = fitTrend(lastHalf.map((t) => ({ t: t.t, value: t.rss })));
  // The database file and its WAL together: rows live in the WAL until a checkpoint copies them.
  const fileTrend = fitTrend(lastHalf.map((t) => ({ t: t.t, value: t.dbBytes + t.walBytes })));
  const walMax = Math.max(0, ...ticks.map((t) => t.walBytes));
  const onDisk = (t: Tick | undefined) => (t === undefined ? Number.NaN : t.dbBytes + t.walBytes);
  const fileAtHalf = onDisk(lastHalf[0]);
  const fileAtEnd = onDisk(ticks.at(-1));
  const outageIds = [...groupOf].filter(([, g]) => g === 'outage').map(([id]) => id);
  const everOpen = new Set(ticks.flatMap((t) => [...t.breakers.open, ...t.breakers.half_open]));
  const lastTick = ticks.at(-1);
  const stillOpen = new Set([...(lastTick?.breakers.open ?? []), ...(lastTick?.breakers.half_open ?? [])]);
  const outageOpened = outageIds.filter((id) => everOpen.has(id)).length;
  const outageRecovered = outageIds.filter((id) => !stillOpen.has(id)).length;
  const flakyOpened = [...groupOf].filter(([id, g]) => g === 'flaky' && everOpen.has(id)).length;
  const faultsUsed = [
    ...new Set(devices.filter((d) => d.group !== 'healthy').map((d) => String(d.fault))),
  ].sort();

  const checks: Check[] = [
    {
      name: 'app did not crash',
      ok: !crashedEarly && (appExit as { code: number | null } | null)?.code === 0,
      value: JSON.stringify(appExit),
    },
    {
      name: 'fleet process stayed up',
      ok: [0, null].includes(fleetExit as unknown as number | null),
      value: String(fleetExit as unknown),
    },
    {
      name: 'unhandled rejections',
      ok: unhandledLines.length === 0 && (final?.unhandled ?? 1) === 0,
      value: String(unhandledLines.length),
    },
    {
      name: `heap slope after warm-up < ${heapSlopeLimitMbPerHour} MB/h`,
      ok: heapTrend.slopePerHour < heapSlopeLimitMbPerHour * 1e6,
      value: describeTrend(heapTrend),
    },
    {
      name: `RSS over the last half: not rising (95 % CI holds 0) or < ${rssSlopeLimitMbPerHour} MB/h`,
      ok: rssNotRising(rssTrend, rssSlopeLimitMbPerHour),
      value: describeTrend(rssTrend),
    },
    ...(retention === undefined
      ? []
      : [
          {
            name: 'database file + WAL flat over the last half (< 5 %)',
            ok: fileAtEnd <= fileAtHalf * 1.05,
            value: `${mb(fileAtHalf)} -> ${mb(fileAtEnd)} MB; trend ${describeTrend(fileTrend)}`,
          },
        ]),
    {
      name: 'WAL checkpointed (file < 64 MiB)',
      ok: walMax < 64 * 1024 * 1024,
      value: `largest ${mb(walMax)} MB`,
    },
    { name: 'database integrity_check', ok: integrity === 'ok', value: integrity },
    {
      name: 'every accepted sample is in the database',
      ok:
        final !== null &&
        final.storage.dropped === 0 &&
        final.storage.queued === 0 &&
        rows === final.storage.written &&
        final.storage.written === final.storage.accepted,
      value: `accepted ${final?.storage.accepted}, written ${final?.storage.written}, ${retention === undefined ? 'rows' : 'samples in hour rollups'} ${rows}, dropped ${final?.storage.dropped}`,
    },
    {
      name: 'healthy miners poll lateness p99 < 1 s',
      ok: healthy.count > 0 && healthy.p99Ms < 1000,
      value: `${healthy.p99Ms.toFixed(0)} ms over ${healthy.count} polls`,
    },
    {
      name: 'outage miners breakers opened',
      ok: outageIds.length > 0 && outageOpened >= outageIds.length * 0.95,
      value: `${outageOpened}/${outageIds.length}`,
    },
    {
      name: 'outage miners breakers recovered',
      ok: outageIds.length > 0 && outageRecovered >= outageIds.length * 0.95,
      value: `${outageRecovered}/${outageIds.length}`,
    },
    {
      // Each miner is guarded by exactly one breaker, `miner_operations:<id>`; the transports keep
      // none, so besides the miners' the registry holds only the database's.
      name: 'one breaker per miner',
      ok:
        lastTick !== undefined &&
        lastTick.registry - lastTick.otherBreakers.length <= count &&
        lastTick.otherBreakers.every((name) => name === 'database'),
      value: `${(lastTick?.registry ?? 0) - (lastTick?.otherBreakers.length ?? 0)} miner breakers for ${count} miners; others: ${lastTick?.otherBreakers.join(', ') || 'none'}`,
    },
    {
      name: 'API answered throughout',
      ok: api.failures.length === 0,
      value: `${api.requests - api.failures.length}/${api.requests}`,
    },
    // Every kind the simulator has: 13 on HTTP devices, the six cgminer-only ones on cgminer devices.
    {
      name: 'fault kinds in play (>= 17)',
      ok: faultsUsed.length >= 17,
      value: faultsUsed.join(', '),
    },
  ];

  const report: SoakReport = {
    startedAt,
    command: `npm run ${ci ? 'soak:ci' : 'soak'}${
      process.argv.slice(2).filter((a) => a !== '--ci').length > 0
        ? ` -- ${process.argv
            .slice(2)
            .filter((a) => a !== '--ci')
            .join(' ')}`
        : ''
    }`,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1e9),
      node: process.version,
      platform: process.platform,
    },
    settings: {
      durationMs,
      count,
      faultyRatio,
      intervalMs,
      breakerRecoveryMs,
      breakerFailures,
      warmupMs,
      outageFromMs,
      outageToMs,
      seed,
    },
    groups: {
      healthy: devices.filter((d) => d.group === 'healthy').length,
      flaky: devices.filter((d) => d.group === 'flaky').length,
      outage: devices.filter((d) => d.group === 'outage').length,
    },
    faultsUsed,
    figures: {
      polls: lastTick?.polls ?? 0,
      pollErrors: lastTick?.pollErrors ?? 0,
      samples: final?.samples ?? 0,
      rows,
      tables,
      healthyLatenessMs: {
        p50: healthy.p50Ms,
        p99: healthy.p99Ms,
        max: healthy.maxMs,
        polls: healthy.count,
      },
      schedulerLatenessAllMs: lastTick?.lateness ?? null,
      eventLoopP99MaxMs: Math.max(0, ...measured.map((t) => t.loopP99Ms)),
      eventLoopMaxMs: Math.max(0, ...measured.map((t) => t.loopMaxMs)),
      heapMb: {
        afterWarmup: median(head.map((t) => t.heapUsed)) / 1e6,
        end: median(tail.map((t) => t.heapUsed)) / 1e6,
      },
      rssMb: { afterWarmup: median(head.map((t) => t.rss)) / 1e6, end: median(tail.map((t) => t.rss)) / 1e6 },
      heapSlope: trendFigure(heapTrend),
      rssSlopeLastHalf: trendFigure(rssTrend),
      databaseMb: {
        fileAndWal: { atHalf: fileAtHalf / 1e6, end: fileAtEnd / 1e6, slopeLastHalf: trendFigure(fileTrend) },
        walMax: walMax / 1e6,
        walEnd: (ticks.at(-1)?.walBytes ?? 0) / 1e6,
      },
      breakers: {
        outageOpened,
        outageRecovered,
        outage: outageIds.length,
        outageOpenedByMode: byMode(devices, idOf, everOpen),
        flakyEverOpen: flakyOpened,
        registrySize: lastTick?.registry ?? 0,
      },
      storage: final?.storage ?? null,
      api: {
        requests: api.requests,
        failures: api.failures.slice(0, 20),
        p99Ms: quantile(api.latencies, 0.99),
        maxMs: quantile(api.latencies, 1),
      },
      fleetRequests: Number(fleetLog.last('requests') ?? 0),
    },
    timeline: ticks.map((t) => ({
      t: Math.round(t.t / 1000),
      polls: t.polls,
      inFlight: t.inFlight,
      open: t.breakers.open.length,
      halfOpen: t.breakers.half_open.length,
      queued: t.storage.queued,
      loopP99Ms: Math.round(t.loopP99Ms),
      latenessP99Ms: Math.round(t.lateness.p99Ms),
      heapMb: round1(t.heapUsed / 1e6),
      rssMb: Math.round(t.rss / 1e6),
      dbMb: round1(t.dbBytes / 1e6),
      walMb: round1(t.walBytes / 1e6),
    })),
    checks,
    passed: checks.every((c) => c.ok),
  };
  writeFileSync(join(outDir, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'soak.md'), renderMarkdown(report));
  process.stdout.write(renderMarkdown(report));
  if (unhandledLines.length > 0)
    process.stdout.write(`\nunhandled:\n${unhandledLines.slice(0, 5).join('\n')}\n`);
  if (!report.passed && appLog.stderr !== '')
    process.stdout.write(`\napp stderr (tail):\n${appLog.stderr.slice(-2000)}\n`);
  return report.passed ? 0 : 1;
}

/** Outage devices whose breaker was seen open, per way of being down. */
function byMode(
  devices: readonly FleetDevice[],
  idOf: ReadonlyMap<string, string>,
  open: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, [number, number]> = {};
  for (const d of devices) {
    if (d.group !== 'outage') continue;
    const entry = out[String(d.fault)] ?? [0, 0];
    entry[1] += 1;
    if (open.has(idOf.get(`${d.host}:${d.port}`) ?? '')) entry[0] += 1;
    out[String(d.fault)] = entry;
  }
  return Object.fromEntries(Object.entries(out).map(([mode, [opened, all]]) => [mode, `${opened}/${all}`]));
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** RSS may step (SQLite filling its page cache, a heap page kept) but must not keep rising. */
function rssNotRising(trend: Trend, limitMbPerHour: number): boolean {
  return Number.isFinite(trend.slopePerHour) && (trend.low <= 0 || trend.slopePerHour < limitMbPerHour * 1e6);
}

function trendFigure(trend: Trend): Record<string, number> {
  const mbh = (v: number) => Number((v / 1e6).toFixed(2));
  return {
    mbPerHour: mbh(trend.slopePerHour),
    low95: mbh(trend.low),
    high95: mbh(trend.high),
    points: trend.n,
  };
}

process.exit(await main());
