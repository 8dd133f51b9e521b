/** Small unit and format conversions shared by the drivers. */

/** AxeOS sends many booleans as 0/1 numbers (and some releases as real booleans). */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === '0' || value === 'false' || value === 'N' || value === 'n') return false;
  if (value === 1 || value === '1' || value === 'true' || value === 'Y' || value === 'y') return true;
  return undefined;
}

/** Millivolts to volts (AxeOS `voltage`). */
export function millivoltsToVolts(mv: number): number {
  return mv / 1000;
}

/** Milliamps to amps (AxeOS `current`). */
export function milliampsToAmps(ma: number): number {
  return ma / 1000;
}

const HEX12 = /^[0-9a-f]{12}$/;

/**
 * A MAC address in the one form we store, "AA:BB:CC:DD:EE:FF", from colon, dash, dot (Cisco) or
 * bare hex forms; `null` when it is not a MAC.
 */
export function normalizeMac(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const hex = value
    .trim()
    .toLowerCase()
    .replace(/[:\-.\s]/g, '');
  if (!HEX12.test(hex)) return null;
  return (hex.match(/../g) ?? []).join(':').toUpperCase();
}

/**
 * The largest of `values` (-Infinity when empty). `Math.max(...values)` passes each value as an
 * argument and overflows V8's stack past ~120,000 of them: a hostile answer well under the size
 * cap would then throw RangeError out of the parse.
 */
export function maxOf(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  return max;
}
