/**
 * Avalon `estats`: the "MM ID0" value is one string of `Key[value]` tokens, e.g.
 * `Ver[nano3-...] Temp[38] TMax[87] Fan1[3030] FanR[41%] PS[0 0 0 3 2792 89 324] GHSavg[2474.77]`.
 * Space-separated values become arrays, as pyasic's parse_estats does.
 */
export type EstatsValue = string | string[];

// A match may only start where a run of word characters starts: trying every letter inside a long
// run without a `[` made the scan quadratic (a 1 MiB string held the event loop for minutes).
// Leading digits and underscores of a run are skipped, so keys read exactly as before.
const TOKEN = /(?<!\w)[0-9_]*([A-Za-z]\w*)\[([^\]]*)\]/g;

export function parseEstats(text: string): Record<string, EstatsValue> {
  const out: Record<string, EstatsValue> = {};
  for (const match of text.matchAll(TOKEN)) {
    const key = match[1] as string;
    const value = (match[2] as string).trim();
    out[key] = /\s/.test(value) ? value.split(/\s+/) : value;
  }
  return out;
}

/** A number from an estats value ("87", "41%", "2474.77"); the first of a list when asked. */
export function estatsNumber(value: EstatsValue | undefined): number | null {
  if (value === undefined) return null;
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  const parsed = Number.parseFloat(text.replace(/%$/, ''));
  return Number.isFinite(parsed) ? parsed : null;
}

/** Every number of a multi-value ("PS[0 0 0 3 2792 89 324]"); unreadable items are NaN-free-skipped. */
export function estatsNumbers(value: EstatsValue | undefined): number[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => Number.parseFloat(item)).filter((n) => Number.isFinite(n));
}
