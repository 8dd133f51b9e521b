/** How a firmware release prints bestDiff / bestSessionDiff. */
export type DiffFormat = 'g3' | 'f2' | 'f2space' | 'number';

const UNITS: readonly [number, string][] = [
  [1e18, 'E'],
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** C's printf("%.<p>g"): shortest of %e / %f with p significant digits, trailing zeros cut. */
export function formatCg(value: number, precision = 3): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(precision)))));
  if (exponent < -4 || exponent >= precision) {
    const [mantissa = '0', exp = '0'] = value.toExponential(precision - 1).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const n = Number(exp);
    return `${trimmed}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(0, precision - 1 - exponent));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * The firmware's suffix_string: below 1000 plain digits; above, the value scaled to k M G T P E
 * and printed per release ("%.3g%s" up to v2.8, "%.2f%s" v2.9, "%.2f %s" v2.10).
 */
export function formatDifficulty(value: number, format: Exclude<DiffFormat, 'number'>): string {
  const whole = Math.max(0, Math.floor(value));
  const unit = UNITS.find(([size]) => whole >= size);
  if (!unit) return String(whole);
  const [size, suffix] = unit;
  const scaled = whole / size;
  if (format === 'g3') return `${formatCg(scaled, 3)}${suffix}`;
  if (format === 'f2') return `${scaled.toFixed(2)}${suffix}`;
  return `${scaled.toFixed(2)} ${suffix}`;
}
