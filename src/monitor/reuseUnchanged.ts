/**
 * Makes a new sample share what did not change since the miner's previous one: equal strings,
 * equal arrays, and `raw` when no field in it changed.
 *
 * Why: the monitor keeps each miner's last sample for one interval, so everything in it outlives
 * a young collection and is copied into V8's old generation, where only a full collection frees
 * it. Most of a device's strings (firmware, pool, MAC, hostname, SSID) are the same every poll;
 * pointing at the copy already in the old generation leaves the new one to die young. At 10,000
 * miners this is most of what a poll promotes (docs/bench/monitor.md).
 *
 * Only for a sample nobody else has seen yet: it is changed in place.
 */
import type { MinerSample } from '../miners/MinerSample.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const STRING_FIELDS = [
  'firmware',
  'asicModel',
  'deviceModel',
  'hostname',
  'mac',
  'poolUrl',
  'poolUser',
  'resetReason',
] as const satisfies readonly (keyof MinerSample)[];

const NUMBER_LIST_FIELDS = ['chipTemperaturesC', 'fanRpm'] as const satisfies readonly (keyof MinerSample)[];

export function reuseUnchanged(prev: MinerSample | null, next: MinerSample): MinerSample {
  if (prev === null) return next;
  const out = next as Mutable<MinerSample>;
  for (const field of STRING_FIELDS) {
    if (out[field] === prev[field]) out[field] = prev[field];
  }
  for (const field of NUMBER_LIST_FIELDS) {
    if (sameItems(out[field], prev[field])) out[field] = prev[field];
  }
  if (out.rejectReasons.length === 0 && prev.rejectReasons.length === 0)
    out.rejectReasons = prev.rejectReasons;
  if (sameItems(out.warnings, prev.warnings)) out.warnings = prev.warnings;
  out.raw = shareRaw(prev.raw, out.raw);
  return out;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `prev` when every field is the same; else `next` with the strings of `prev` that are equal. */
function shareRaw(
  prev: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  let same = true;
  let count = 0;
  const out = next as Record<string, unknown>;
  for (const key in next) {
    if (!Object.hasOwn(next, key)) continue;
    count += 1;
    const value = next[key];
    const before = prev[key];
    if (value === before && Object.hasOwn(prev, key)) {
      // Equal strings are two copies until one is dropped: keep the older one.
      if (typeof value === 'string') out[key] = before;
    } else {
      same = false;
    }
  }
  return same && count === ownKeyCount(prev) ? prev : next;
}

/** Object.keys(o).length without the array (this runs on every poll). */
function ownKeyCount(o: Readonly<Record<string, unknown>>): number {
  let count = 0;
  for (const key in o) if (Object.hasOwn(o, key)) count += 1;
  return count;
}
