/**
 * The monitor at fleet scale: N simulated AxeOS miners (10,000; 1,000 with --quick), each polled
 * every 10 s over real HTTP on loopback, the simulator in a child process of its own so its CPU
 * is not ours. Measures how late polls start against their schedule (p50/p99), the monitor's CPU
 * and RSS, and the simulator's CPU, after one warm-up interval.
 *
 *   node --import tsx bench/monitor.bench.ts [--quick] [--keep-alive] [--no-db] [--v8-defaults]
 *                                            [--latency-ms N] [--max-in-flight N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDriverRegistry } from '../src/miners/index.js';
import { createMonitor, tuneHeapForPolling } from '../src/monitor/index.js';
import { MemoryStorage } from '../src/monitor/testing/MemoryStorage.js';
import { RetryManager } from '../src/resilience/index.js';
import { type MetricRecord, type SaveResult, SqliteStorage } from '../src/storage/index.js';
import { isQuick } from './lib/args.js';
import { profileWindow, type WindowProfile } from './lib/profile.js';
import { startSimulatedFleet } from './lib/simulatorFleet.js';
import { infoRow, printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const BENCH = 'monitor';
const quick = isQuick();
const COUNT = Number(process.env.MONITOR_BENCH_COUNT ?? (quick ? 1000 : 10_000));
const INTERVAL_MS = 10_000;
const WARMUP_MS = quick ? 12_000 : 15_000;
/** `MONITOR_BENCH_MEASURE_S`: a longer window, to see memory settle (e.g. 600). */
const MEASURE_MS = Number(process.env.MONITOR_BENCH_MEASURE_S ?? (quick ? 20 : 60)) * 1000;
/** Keep connections between polls (devices that allow it) instead of one connection per poll. */
const KEEP_ALIVE = process.argv.includes('--keep-alive');
const NO_DB = process.argv.includes('--no-db');
/**
 * The service (`startSolowatch`) applies the monitor's V8 settings at start-up; so does the
 * bench, before anything is allocated, unless `--v8-defaults` asks for V8's own (to compare).
 */
const V8_DEFAULTS = process.argv.includes('--v8-defaults');
/** `--latency-ms N`: every device takes N ms to answer, as devices on Wi-Fi do (loopback: ~1 ms). */
const LATENCY_MS = numberArg('--latency-ms', 0);
/** `--max-in-flight N`: the monitor's cap on polls in flight (its default is 256). */
const MAX_IN_FLIGHT = numberArg('--max-in-flight', 0);
const HEAP_FLAGS = V8_DEFAULTS ? [] : tuneHeapForPolling();
const TARGET_P99_MS = 1000;
const TARGET_RSS_MB = 300;

/** `--no-db`: storage that keeps nothing, to see the monitor without the database's share. */
class DiscardingStorage extends MemoryStorage {
  override async saveMetrics(samples: readonly MetricRecord[]): Promise<SaveResult> {
    return { accepted: samples.length, dropped: 0 };
  }
}

/**
 * `MONITOR_BENCH_CPU_PROFILE=f.cpuprofile`, or `MONITOR_BENCH_HEAP_PROFILE=f.heapprofile` (what
 * was promoted; with `MONITOR_BENCH_HEAP_PROFILE_ALL=1` everything allocated): a profile of the
 * measured window only.
 */
function windowProfile(): Promise<WindowProfile> | null {
  const cpu = process.env.MONITOR_BENCH_CPU_PROFILE;
  if (cpu !== undefined && cpu !== '') return profileWindow('cpu', cpu);
  const heap = process.env.MONITOR_BENCH_HEAP_PROFILE;
  if (heap === undefined || heap === '') return null;
  return profileWindow(process.env.MONITOR_BENCH_HEAP_PROFILE_ALL === '1' ? 'allocated' : 'promoted', heap);
}

function numberArg(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${flag} needs a number`);
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  process.stdout.write(
    `monitor bench: ${COUNT} miners every ${INTERVAL_MS / 1000} s, warm-up ${WARMUP_MS / 1000} s, measured ${MEASURE_MS / 1000} s${quick ? ' (--quick)' : ''}\n`,
  );
  const startedSim = performance.now();
  const fleet = await startSimulatedFleet(COUNT, LATENCY_MS);
  const simulators = fleet.processes;
  const addresses = fleet.addresses;
  const simCpu = (): number => fleet.cpuMs();
  process.stdout.write(
    `${simulators.length} simulator process(es) ready in ${((performance.now() - startedSim) / 1000).toFixed(1)} s; ${KEEP_ALIVE ? 'connections kept between polls' : 'one connection per poll'}; ${NO_DB ? 'no database' : 'SQLite in a temp dir'}; ${LATENCY_MS > 0 ? `devices answer after ${LATENCY_MS} ms` : 'devices answer at once'}; V8 ${HEAP_FLAGS.length === 0 ? 'defaults' : HEAP_FLAGS.join(' ')}\n`,
  );

  const retryManager = new RetryManager();
  const registry = createDriverRegistry({
    ...(KEEP_ALIVE ? { http: { keepAliveTimeoutMs: INTERVAL_MS * 1.5, connectionsPerOrigin: 1 } } : {}),
  });
  const dbDir = await mkdtemp(join(tmpdir(), 'solowatch-bench-'));
  const storage = NO_DB
    ? new DiscardingStorage()
    : new SqliteStorage({ path: join(dbDir, 'bench.db'), manager: retryManager, retentionIntervalMs: 0 });
  await storage.initialize();
  const manager = createMonitor({
    storage,
    drivers: registry,
    retryManager,
    defaultIntervalMs: INTERVAL_MS,
    pollTimeoutMs: 5000,
    ...(MAX_IN_FLIGHT > 0 ? { maxConcurrentPolls: MAX_IN_FLIGHT } : {}),
  });
  let samples = 0;
  manager.subscribe((event) => {
    if (event.type === 'sample') samples += 1;
  });
  for (const address of addresses) {
    await manager.addMiner({ host: address.host, port: address.port, kind: 'axeos', verify: false });
  }
  await manager.start();
  await sleep(WARMUP_MS);

  // Analysis only: a full GC here makes the old generation's growth in the window its own.
  if (process.env.MONITOR_BENCH_GC_AT_START === '1') (globalThis as { gc?: () => void }).gc?.();
  manager.scheduler.lateness.reset();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const polls0 = manager.scheduler.stats().polls;
  const samples0 = samples;
  const cpu0 = process.cpuUsage();
  const simCpu0 = simCpu();
  const wall0 = performance.now();
  let maxRss = process.memoryUsage().rss;
  let ticks = 0;
  const rssTimer = setInterval(() => {
    const memory = process.memoryUsage();
    maxRss = Math.max(maxRss, memory.rss);
    ticks += 1;
    // A long window (MONITOR_BENCH_MEASURE_S) shows whether memory settles: a line a minute.
    if (process.env.MONITOR_BENCH_DEBUG === '1' && ticks % 120 === 0) {
      process.stdout.write(
        `${ticks / 2} s: rss ${(memory.rss / 2 ** 20).toFixed(0)} MB (max ${(maxRss / 2 ** 20).toFixed(0)}), heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB\n`,
      );
    }
  }, 500);
  const profiler = await windowProfile();
  await sleep(MEASURE_MS);
  await profiler?.stop();
  clearInterval(rssTimer);
  if (process.env.MONITOR_BENCH_DEBUG === '1') {
    // With --trace-gc-nvp, the GC lines between these two times are the measured window's.
    process.stdout.write(`measured window: ${Math.round(wall0)}..${Math.round(performance.now())} ms\n`);
    const spaces = (await import('node:v8'))
      .getHeapSpaceStatistics()
      .map(
        (s) =>
          `${s.space_name} ${(s.space_used_size / 2 ** 20).toFixed(0)}/${(s.space_size / 2 ** 20).toFixed(0)}`,
      )
      .join(', ');
    process.stdout.write(`heap spaces before gc (used/size MB): ${spaces}\n`);
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    process.stdout.write(
      `${process.env.MONITOR_BENCH_SNAPSHOT === '1' ? `snapshot ${(await import('node:v8')).writeHeapSnapshot('/tmp/prof/monitor.heapsnapshot')}\n` : ''}memory: rss ${(m.rss / 2 ** 20).toFixed(0)} MB, heap ${(m.heapUsed / 2 ** 20).toFixed(0)}/${(m.heapTotal / 2 ** 20).toFixed(0)} MB, external ${(m.external / 2 ** 20).toFixed(0)} MB; breakers ${retryManager.size}; scheduler ${JSON.stringify(manager.scheduler.stats())}\n`,
    );
  }
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const simCpuMs = simCpu() - simCpu0;
  loopDelay.disable();
  const stats = manager.scheduler.stats();
  const polls = stats.polls - polls0;
  const answered = samples - samples0;
  const statuses = manager.listMiners().reduce<Record<string, number>>((tally, miner) => {
    tally[miner.status] = (tally[miner.status] ?? 0) + 1;
    return tally;
  }, {});

  await manager.stop();
  await registry.close();
  await storage.close();
  await rm(dbDir, { recursive: true, force: true });
  await Promise.all(
    simulators.map((sim) => {
      const exited = new Promise((resolve) => sim.child.once('exit', resolve));
      sim.child.kill('SIGTERM');
      return exited;
    }),
  );

  const expectedPolls = (COUNT * wallMs) / INTERVAL_MS;
  const monitorCpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  const simCpuPct = (simCpuMs / wallMs) * 100;
  const rssMb = maxRss / 1024 / 1024;
  const l = stats.lateness;
  const rows: SummaryRow[] = [
    infoRow(BENCH, 'poll lateness p50', l.p50Ms, 'ms'),
    {
      bench: BENCH,
      metric: 'poll lateness p99',
      value: l.p99Ms,
      unit: 'ms',
      anchor: TARGET_P99_MS,
      ratio: l.p99Ms / TARGET_P99_MS,
      target: `< ${TARGET_P99_MS} ms`,
      pass: l.p99Ms < TARGET_P99_MS,
    },
    infoRow(BENCH, 'poll lateness max', l.maxMs, 'ms'),
    {
      bench: BENCH,
      metric: 'monitor RSS (max)',
      value: rssMb,
      unit: 'MB',
      anchor: TARGET_RSS_MB,
      ratio: rssMb / TARGET_RSS_MB,
      target: `< ${TARGET_RSS_MB} MB`,
      pass: rssMb < TARGET_RSS_MB,
    },
    infoRow(BENCH, 'monitor CPU', monitorCpuPct, '% of a core'),
    infoRow(BENCH, 'monitor CPU per poll', polls === 0 ? 0 : (cpu.user + cpu.system) / 1000 / polls, 'ms'),
    infoRow(BENCH, 'simulator CPU per poll', polls === 0 ? 0 : simCpuMs / polls, 'ms'),
    infoRow(BENCH, 'simulator CPU (child)', simCpuPct, '% of a core'),
    {
      bench: BENCH,
      metric: 'polls done / scheduled',
      value: polls,
      unit: 'polls',
      anchor: Math.round(expectedPolls),
      ratio: polls / expectedPolls,
      target: null,
      pass: null,
    },
    infoRow(BENCH, 'polls answered', polls === 0 ? 0 : (answered / polls) * 100, '%'),
    infoRow(BENCH, 'event loop delay p99', loopDelay.percentile(99) / 1e6, 'ms'),
  ];
  process.stdout.write(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}\n`,
  );
  process.stdout.write(
    `load average during the run (1/5/15 min, all tenants of this machine): ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}\n`,
  );
  process.stdout.write(`statuses at the end: ${JSON.stringify(statuses)}\n\n`);
  process.stdout.write(
    `${renderTable(
      ['metric', 'value', 'unit', 'target', 'pass'],
      rows.map((row) => [
        row.metric,
        formatNumber(row.value),
        row.unit,
        row.target === null ? '-' : String(row.target),
        row.pass === null ? 'info' : row.pass ? 'yes' : 'NO',
      ]),
    )}\n`,
  );
  printSummary(rows);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
