/**
 * The protocol between each bench and `bench/run.ts`: a bench prints, as its LAST stdout line,
 * `SUMMARY <json array of SummaryRow>`. Anything before that line is the bench's own report.
 */

export interface SummaryRow {
  /** The bench that measured it, for example `resilience`. */
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** What the value is held against: a label, a number, or null when there is no anchor. */
  readonly anchor: string | number | null;
  /** `value / anchor value`, or null when there is no anchor. */
  readonly ratio: number | null;
  /** The target in words or as a number, or null when the row is informational. */
  readonly target: string | number | null;
  /** Whether the target is met; null when there is no target. */
  readonly pass: boolean | null;
}

export const SUMMARY_PREFIX = 'SUMMARY ';

/** A row reported for information: no anchor, no target. */
export function infoRow(bench: string, metric: string, value: number, unit: string): SummaryRow {
  return { bench, metric, value, unit, anchor: null, ratio: null, target: null, pass: null };
}

/** Prints the summary line; call it last, after every other line the bench writes. */
export function printSummary(rows: readonly SummaryRow[]): void {
  process.stdout.write(`${SUMMARY_PREFIX}${JSON.stringify(rows)}\n`);
}

function isCell(value: unknown): value is string | number | null {
  return value === null || typeof value === 'string' || typeof value === 'number';
}

/**
 * Reads the summary from a bench's whole stdout: the last non-empty line must be the summary.
 * Throws an error naming what is wrong, so a broken bench is reported rather than skipped.
 */
export function parseSummary(stdout: string): SummaryRow[] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  const last = lines.at(-1);
  if (last === undefined || !last.startsWith(SUMMARY_PREFIX)) {
    throw new Error('its last stdout line is not `SUMMARY <json>`');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(last.slice(SUMMARY_PREFIX.length));
  } catch (error) {
    throw new Error(`its SUMMARY line is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new Error('its SUMMARY line is not a JSON array');
  return parsed.map((item: unknown, index): SummaryRow => {
    const row = item as Record<string, unknown>;
    const bad = (field: string): never => {
      throw new Error(`SUMMARY row ${index} has a bad \`${field}\`: ${JSON.stringify(row?.[field])}`);
    };
    if (typeof row !== 'object' || row === null) throw new Error(`SUMMARY row ${index} is not an object`);
    if (typeof row.bench !== 'string') bad('bench');
    if (typeof row.metric !== 'string') bad('metric');
    if (typeof row.value !== 'number') bad('value');
    if (typeof row.unit !== 'string') bad('unit');
    if (row.anchor !== undefined && !isCell(row.anchor)) bad('anchor');
    if (row.ratio !== undefined && row.ratio !== null && typeof row.ratio !== 'number') bad('ratio');
    if (row.target !== undefined && !isCell(row.target)) bad('target');
    if (row.pass !== undefined && row.pass !== null && typeof row.pass !== 'boolean') bad('pass');
    return {
      bench: row.bench as string,
      metric: row.metric as string,
      value: row.value as number,
      unit: row.unit as string,
      anchor: (row.anchor ?? null) as string | number | null,
      ratio: (row.ratio ?? null) as number | null,
      target: (row.target ?? null) as string | number | null,
      pass: (row.pass ?? null) as boolean | null,
    };
  });
}
