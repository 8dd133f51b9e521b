/**
 * The soak's app, in a process of its own: the same objects main.ts builds (SqliteStorage with its
 * defaults, the driver registry, MinerManager, buildApp listening on loopback) and the same V8
 * settings (tuneHeapForPolling), with the poll
 * interval and the miner breakers' recovery time as options so a short run sees whole cycles.
 * `node --expose-gc --import tsx soakApp.ts <options json>`.
 *
 * Prints `ready <url> <miners json>`, a `tick <json>` every `tickMs`, and after SIGTERM (graceful
 * close: polls drained, storage flushed) `final <json>`. Unhandled rejections are counted and
 * printed as `unhandled <reason>`; an uncaught exception is left to crash the process.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { createDriverRegistry } from '../../../src/miners/DriverRegistry.js';
import type { MinerKind } from '../../../src/miners/MinerSample.js';
import { createMonitor } from '../../../src/monitor/createMonitor.js';
import { tuneHeapForPolling } from '../../../src/monitor/heapTuning.js';
import { LatenessHistogram } from '../../../src/monitor/LatenessHistogram.js';
import { RetryManager } from '../../../src/resilience/index.js';
import { buildApp } from '../../../src/server/buildApp.js';
import type { RetentionPolicy } from '../../../src/storage/options.js';
import { SqliteStorage } from '../../../src/storage/SqliteStorage.js';

export interface SoakAppOptions {
  readonly dataDir: string;
  readonly devicesFile: string;
  readonly intervalMs: number;
  readonly breakerRecoveryMs: number;
  /** Consecutive failures that open a miner's breaker; production uses 5. */
  readonly breakerFailures: number;
  readonly tickMs: number;
  readonly token: string;
  /** Sample gaps are recorded only after this long (the first polls are spread on purpose). */
  readonly warmupMs: number;
  /** Heap snapshots (after gc) written into `snapshotDir` at these ms after start; none by default. */
  readonly snapshotAtMs?: readonly number[];
  readonly snapshotDir?: string;
  /** Storage retention, shortened by the long-run mode so it runs many times; defaults otherwise. */
  readonly retention?: Partial<RetentionPolicy>;
  readonly retentionIntervalMs?: number;
}

interface DeviceLine {
  readonly host: string;
  readonly port: number;
  readonly kind: string;
  readonly group: string;
}

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled += 1;
  process.stdout.write(
    `unhandled ${String(reason instanceof Error ? reason.stack : reason).replace(/\n/g, ' | ')}\n`,
  );
});

// As startSolowatch does, before anything is allocated.
tuneHeapForPolling();
const options = JSON.parse(process.argv[2] ?? '{}') as SoakAppOptions;
const devices = JSON.parse(readFileSync(options.devicesFile, 'utf8')) as DeviceLine[];
const retry = new RetryManager();
const databasePath = join(options.dataDir, 'solowatch.db');
const storage = new SqliteStorage({
  path: databasePath,
  manager: retry,
  ...(options.retention === undefined ? {} : { retention: options.retention }),
  ...(options.retentionIntervalMs === undefined ? {} : { retentionIntervalMs: options.retentionIntervalMs }),
});
// Each miner has one breaker, `miner_operations:<id>`; the transports keep none.
const drivers = createDriverRegistry();
const manager = createMonitor({
  storage,
  drivers,
  retryManager: retry,
  defaultIntervalMs: options.intervalMs,
  breaker: { recoveryTimeoutMs: options.breakerRecoveryMs, failureThreshold: options.breakerFailures },
});
await manager.start();
const kindOf = (kind: string): MinerKind => (kind === 'avalon' ? 'cgminer' : (kind as MinerKind));
for (const device of devices) {
  await manager.addMiner({ host: device.host, port: device.port, kind: kindOf(device.kind), verify: false });
}
const app = await buildApp({
  monitor: manager,
  breakers: retry,
  token: options.token,
  listenHost: '127.0.0.1',
  version: 'soak',
  webRoot: null,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;

// Gap between consecutive samples of each healthy miner, beyond the longest the schedule allows
// (interval x 1.1 for the default 10 % jitter): how late that poll was, plus noise of at most one
// response time. Kept in fixed buckets so the measurement itself does not grow the heap.
const healthyIds = new Set(
  manager
    .listMiners()
    .filter((m) => devices.some((d) => d.group === 'healthy' && d.host === m.host && d.port === m.port))
    .map((m) => m.id),
);
const started = Date.now();
const lastSampleAt = new Map<string, number>();
const healthyLateness = new LatenessHistogram();
let samples = 0;
manager.subscribe((event) => {
  if (event.type !== 'sample') return;
  samples += 1;
  if (!healthyIds.has(event.minerId)) return;
  const now = performance.now();
  const previous = lastSampleAt.get(event.minerId);
  lastSampleAt.set(event.minerId, now);
  if (previous === undefined || Date.now() - started < options.warmupMs) return;
  healthyLateness.record(Math.max(0, now - previous - options.intervalMs * 1.1));
});

const loop = monitorEventLoopDelay({ resolution: 20 });
loop.enable();
const gc = (globalThis as { gc?: () => void }).gc;

function breakerStates(): Record<string, string[]> {
  const out: Record<string, string[]> = { open: [], half_open: [] };
  for (const miner of manager.listMiners()) {
    const state = miner.breaker?.state;
    if (state === 'open' || state === 'half_open') out[state]?.push(miner.id);
  }
  return out;
}

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

const ticker = setInterval(() => {
  gc?.();
  const memory = process.memoryUsage();
  const stats = manager.stats();
  process.stdout.write(
    `tick ${JSON.stringify({
      t: Date.now() - started,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      dbBytes: sizeOf(databasePath),
      walBytes: sizeOf(`${databasePath}-wal`),
      samples,
      unhandled,
      polls: stats.scheduler.polls,
      pollErrors: stats.scheduler.errors,
      inFlight: stats.scheduler.inFlight,
      lateness: stats.scheduler.lateness,
      loopP99Ms: loop.percentile(99) / 1e6,
      loopMaxMs: loop.max / 1e6,
      storage: storage.stats(),
      breakers: breakerStates(),
      registry: Object.keys(retry.getStats()).length,
      // One breaker per miner: anything else in the registry must not be a miner's.
      otherBreakers: retry.names().filter((name) => !name.startsWith('miner_operations:')),
    })}\n`,
  );
  loop.reset();
}, options.tickMs);

for (const at of options.snapshotAtMs ?? []) {
  setTimeout(() => {
    gc?.();
    const file = writeHeapSnapshot(join(options.snapshotDir ?? options.dataDir, `heap-${at}.heapsnapshot`));
    process.stdout.write(`snapshot ${file}\n`);
  }, at).unref();
}

process.stdout.write(
  `ready http://127.0.0.1:${port} ${JSON.stringify(manager.listMiners().map((m) => ({ id: m.id, host: m.host, port: m.port })))}\n`,
);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  await app.close();
  await manager.stop();
  const stats = storage.stats();
  await storage.close();
  await drivers.close();
  process.stdout.write(
    `final ${JSON.stringify({ storage: stats, samples, unhandled, healthyLateness: healthyLateness.summary() })}\n`,
  );
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
