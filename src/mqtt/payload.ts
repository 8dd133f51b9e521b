/** Reading command payloads as Home Assistant sends them, and showing them in a reason. */

/** A payload shown in a log line: short, printable. */
export function shown(payload: string): string {
  const text = payload.length > 40 ? `${payload.slice(0, 40)}...` : payload;
  return JSON.stringify(text);
}

/** A plain decimal number (`550`, `550.0`, `-1`); anything else (`5e2`, `0x22`, `NaN`) is null. */
export function numberOf(payload: string): number | null {
  if (!/^-?\d+(\.\d+)?$/.test(payload)) return null;
  const value = Number(payload);
  return Number.isFinite(value) ? value : null;
}
