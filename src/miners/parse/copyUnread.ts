/**
 * Copies the fields of a device's answer that nobody read (a sample's `raw` part) in one
 * allocation, by remembering the shapes (key lists) seen before.
 *
 * Why: a monitor does this on every poll of every miner. Built key by key, a 99-key object
 * allocates ~11 KB (~19 KB through `Object.fromEntries`) while its backing store grows step by
 * step; a spread of an earlier object of the same keys allocates ~1.1 KB, the object itself, and
 * gives every copy the same hidden class (docs/bench/monitor.md). A fleet runs a handful of
 * firmware releases, so a handful of shapes covers it; a device that invents keys on every
 * answer only cycles the small cache and gets the key-by-key copy.
 */

type Json = Record<string, unknown>;

interface Shape {
  readonly keys: readonly string[];
  /** An object with exactly `keys`, in that order: spread to get a copy with the same layout. */
  readonly like: Json;
}

/** Distinct key sets kept; the oldest goes first. */
const MAX_SHAPES = 32;
const shapes: Shape[] = [];

/** The own keys of `data` that are not in `used`, in order, in a new object; `data` is left as it was. */
export function copyUnread(data: Json, used: ReadonlySet<string>): Json {
  for (const shape of shapes) {
    if (!hasShape(data, used, shape.keys)) continue;
    const out: Json = { ...shape.like };
    for (const key of shape.keys) out[key] = data[key];
    return out;
  }
  const keys = Object.keys(data).filter((key) => !used.has(key));
  // Object.fromEntries defines own properties, so a "__proto__" key stays data and never sets
  // the prototype; such a shape is not cached, because the copy above assigns.
  const out: Json = Object.fromEntries(keys.map((key) => [key, data[key]]));
  if (!keys.includes('__proto__')) {
    if (shapes.length === MAX_SHAPES) shapes.shift();
    // A copy of its own: the caller may change what it was given.
    shapes.push({ keys, like: { ...out } });
  }
  return out;
}

/** True when the unread keys of `data` are exactly `keys`, in order. */
function hasShape(data: Json, used: ReadonlySet<string>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in data) {
    if (used.has(key)) continue;
    if (i === keys.length || keys[i] !== key) return false;
    i += 1;
  }
  return i === keys.length;
}

/** Tests: start from an empty cache. */
export function forgetShapes(): void {
  shapes.length = 0;
}
