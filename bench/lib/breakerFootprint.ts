/**
 * Child process of resilience.bench.ts: builds `count` breakers of one library, then prints one
 * JSON line with the heap they hold and the CPU the process burns while they sit idle. One
 * library per process, so no library's garbage or timers leak into another's figures.
 *
 *   node --import tsx --expose-gc bench/lib/breakerFootprint.ts <library> <count> <idleMs>
 */
import { createHook } from 'node:async_hooks';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import Opossum from 'opossum';
import { CircuitBreaker, RetryManager } from '../../src/resilience/index.js';
import { requireGc } from './args.js';

export const FOOTPRINT_LIBRARIES = [
  'none',
  'solowatch',
  'solowatch-registry',
  'cockatiel',
  'opossum',
] as const;
export type FootprintLibrary = (typeof FOOTPRINT_LIBRARIES)[number];

export interface Footprint {
  readonly library: FootprintLibrary;
  readonly count: number;
  readonly bytesPerBreaker: number;
  /** Timers (setTimeout/setInterval, unref'd ones included) created while building. */
  readonly timersCreated: number;
  /** Process CPU (user + system) per second of idle wall time, in microseconds. */
  readonly idleCpuUsPerSec: number;
  readonly idleMs: number;
}

const action = async (): Promise<number> => 1;

/** Builds the breakers; every library gets the same settings: 5 consecutive failures, 60 s. */
function build(library: FootprintLibrary, names: readonly string[]): unknown[] {
  const held: unknown[] = [];
  switch (library) {
    case 'none':
      break;
    case 'solowatch':
      for (const name of names) {
        held.push(new CircuitBreaker(name, { failureThreshold: 5, recoveryTimeoutMs: 60_000 }));
      }
      break;
    case 'solowatch-registry': {
      // What the app does: one breaker per miner, held by the registry under its key.
      const manager = new RetryManager();
      for (const name of names)
        manager.getCircuitBreaker(name, { failureThreshold: 5, recoveryTimeoutMs: 60_000 });
      held.push(manager);
      break;
    }
    case 'cockatiel':
      for (let i = 0; i < names.length; i += 1) {
        held.push(circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(5) }));
      }
      break;
    case 'opossum':
      for (const name of names) {
        held.push(new Opossum(action, { name, timeout: false, resetTimeout: 60_000 }));
      }
      break;
  }
  return held;
}

/** Counts every timer created while `fn` runs; unref'd timers too, which no handle list shows. */
function countTimers<T>(fn: () => T): { result: T; timers: number } {
  let timers = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'Timeout') timers += 1;
    },
  });
  hook.enable();
  try {
    return { result: fn(), timers };
  } finally {
    hook.disable();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const [library, countText, idleText] = process.argv.slice(2);
  if (!FOOTPRINT_LIBRARIES.includes(library as FootprintLibrary)) {
    throw new Error(`Expected a library among ${FOOTPRINT_LIBRARIES.join(', ')}, got ${library}`);
  }
  const count = Number(countText);
  const idleMs = Number(idleText);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`Expected a count >= 1, got ${countText}`);
  if (!(idleMs > 0)) throw new Error(`Expected idle milliseconds > 0, got ${idleText}`);
  const gc = requireGc();
  // The keys exist before the baseline: the app holds its miner ids anyway, whatever the library.
  const names = Array.from({ length: count }, (_, i) => `miner_operations:m${i.toString().padStart(6, '0')}`);
  // One instance of each kind first, so lazily loaded code and shared singletons are not
  // charged to the 10,000.
  const warm = build(library as FootprintLibrary, ['warm-up']);
  gc();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const { result: held, timers: timersCreated } = countTimers(() =>
    build(library as FootprintLibrary, names),
  );
  gc();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  // GC helper threads finish sweeping in the background; let them, so the idle window measures
  // the breakers and not the collection that measured them.
  await sleep(300);

  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await sleep(idleMs);
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;

  const result: Footprint = {
    library: library as FootprintLibrary,
    count,
    bytesPerBreaker: library === 'none' ? 0 : (heapAfter - heapBefore) / count,
    timersCreated,
    idleCpuUsPerSec: ((cpu.user + cpu.system) * 1000) / wallMs,
    idleMs,
  };
  // Keeps the breakers reachable until after the measurements.
  if (held.length + warm.length < 0) process.stdout.write('unreachable\n');
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // opossum's intervals are unref'd, but exit explicitly so no library can hold the process.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
