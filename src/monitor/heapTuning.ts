/**
 * V8 garbage-collector settings for a process whose work is polling: a steady live set (one
 * entry, breaker and last sample per miner) and a stream of small objects that live for one
 * poll. Measured at 10,000 miners (docs/bench/monitor.md, "V8 heap settings"):
 *
 * - `--no-allocation-site-pretenuring`: V8 watches which object literals survive a young
 *   collection and, once a site's objects mostly do (the last sample of every miner lives one
 *   interval), allocates them straight in the old generation. A poll's objects then fill the
 *   old generation without ever being young: it grew twice as fast with the setting on.
 * - `--heap-growing-percent=30`: after each full collection V8 lets the old generation grow to
 *   up to 4x what survived before the next one; a fast-growing old generation gets the 4x. Here
 *   that was ~320 MB of mostly garbage for ~85 MB alive. 1.3x keeps RSS near what is alive,
 *   with a short (5-20 ms, mostly concurrent) full collection every few seconds.
 *
 * Neither caps the heap: a larger fleet still gets all the memory it needs. Both are read by V8
 * at every collection, so setting them at start-up, before polling begins, takes effect.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_TUNING_FLAGS: readonly string[] = [
  '--no-allocation-site-pretenuring',
  '--heap-growing-percent=30',
];

export interface HeapTuningOptions {
  /** Flags node was started with. @default process.execArgv */
  readonly execArgv?: readonly string[];
  /** @default process.env.NODE_OPTIONS */
  readonly nodeOptions?: string | undefined;
  /** @default v8.setFlagsFromString */
  readonly setFlags?: (flag: string) => void;
}

/** `--no-allocation-site-pretenuring` -> `allocation_site_pretenuring`: how V8 compares names. */
function flagName(flag: string): string {
  return flag
    .replace(/^--(no-)?/, '')
    .replace(/=.*$/, '')
    .replaceAll('-', '_');
}

/**
 * Applies HEAP_TUNING_FLAGS, except any the user already set on the command line or in
 * NODE_OPTIONS (theirs win). Returns the flags applied. Call once, before polling starts.
 */
export function tuneHeapForPolling(options: HeapTuningOptions = {}): string[] {
  const given = [
    ...(options.execArgv ?? process.execArgv),
    ...(options.nodeOptions ?? process.env.NODE_OPTIONS ?? '').split(/\s+/),
  ]
    .filter((arg) => arg.startsWith('--'))
    .map(flagName);
  const setFlags = options.setFlags ?? setFlagsFromString;
  const applied: string[] = [];
  for (const flag of HEAP_TUNING_FLAGS) {
    if (given.includes(flagName(flag))) continue;
    setFlags(flag);
    applied.push(flag);
  }
  return applied;
}
