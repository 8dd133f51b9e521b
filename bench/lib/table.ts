/** Plain-text tables for benchmark output: readable in a terminal and pasteable into Markdown. */

export type Cell = string | number;

/** Formats a number with `digits` significant digits, without exponent notation for sane sizes. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
}

function text(cell: Cell): string {
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

/**
 * A Markdown table padded to line up in a monospace terminal. Columns of numbers (and '-' for
 * none) are right-aligned.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((row) => headers.map((_, column) => text(row[column] ?? '')));
  const numeric = headers.map(
    (_, column) =>
      rows.some((row) => typeof row[column] === 'number') &&
      rows.every((row) => typeof row[column] === 'number' || row[column] === '-'),
  );
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...cells.map((row) => (row[column] as string).length)),
  );
  const pad = (value: string, column: number): string =>
    numeric[column] ? value.padStart(widths[column] as number) : value.padEnd(widths[column] as number);
  const line = (values: readonly string[]): string => `| ${values.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}
