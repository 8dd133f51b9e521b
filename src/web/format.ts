/**
 * Number and time formatting for a page read at a glance: short units, few digits, and an
 * explicit dash where a device does not report a value (null is "unknown", never 0).
 */
export const DASH = '—';

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z'] as const;

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Three significant digits with an SI suffix: 950 -> "950", 1234 -> "1.23k", 4.2e12 -> "4.20T". */
export function formatSi(value: number | null | undefined): string {
  if (!finite(value)) return DASH;
  const sign = value < 0 ? '-' : '';
  let v = Math.abs(value);
  let i = 0;
  while (v >= 999.5 && i < SI.length - 1) {
    v /= 1000;
    i += 1;
  }
  const digits = i === 0 && Number.isInteger(v) ? 0 : v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2;
  return `${sign}${v.toFixed(digits)}${SI[i]}`;
}

/** Share difficulty, e.g. 4.29G; devices send it raw or pre-formatted, we always show it one way. */
export function formatDifficulty(value: number | null | undefined): string {
  return formatSi(value);
}

const HASH_UNITS = ['GH/s', 'TH/s', 'PH/s', 'EH/s'] as const;

/** Hashrate given in GH/s, shown in the largest unit that keeps at least 1: 1234 -> "1.23 TH/s". */
export function formatHashrate(ghs: number | null | undefined): string {
  if (!finite(ghs)) return DASH;
  let v = ghs;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < HASH_UNITS.length - 1) {
    v /= 1000;
    i += 1;
  }
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${HASH_UNITS[i]}`;
}

export function formatWatts(w: number | null | undefined): string {
  if (!finite(w)) return DASH;
  if (w >= 1000) return `${(w / 1000).toFixed(2)} kW`;
  return `${w.toFixed(w >= 100 ? 0 : 1)} W`;
}

export function formatTemp(c: number | null | undefined): string {
  return finite(c) ? `${c.toFixed(0)}°C` : DASH;
}

export function formatEfficiency(jth: number | null | undefined): string {
  return finite(jth) ? `${jth.toFixed(jth >= 100 ? 0 : 1)} J/TH` : DASH;
}

/** Percent with precision that grows as the value shrinks, so tiny solo odds do not read as 0%. */
export function formatPercent(fraction: number | null | undefined): string {
  if (!finite(fraction)) return DASH;
  const p = fraction * 100;
  if (p === 0) return '0%';
  if (p >= 10) return `${p.toFixed(1)}%`;
  if (p >= 0.1) return `${p.toFixed(2)}%`;
  return `${Number(p.toPrecision(2))}%`;
}

/** "1 in 1,234" for a probability, the way people think about long odds. */
export function formatOneIn(probability: number | null | undefined): string {
  if (!finite(probability) || probability <= 0) return DASH;
  if (probability >= 0.5) return formatPercent(probability);
  return `1 in ${Math.round(1 / probability).toLocaleString('en-US')}`;
}

/** Reject share of all shares; null when there are no shares yet. */
export function rejectFraction(accepted: number | null, rejected: number | null): number | null {
  if (!finite(accepted) || !finite(rejected)) return null;
  const total = accepted + rejected;
  return total > 0 ? rejected / total : null;
}

const SECOND = 1;
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
const YEAR = 365 * DAY;

/** A duration in seconds as its two largest units: "3d 4h", "5m 12s", "412 years". */
export function formatDuration(seconds: number | null | undefined): string {
  if (!finite(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  if (s >= 1e6 * YEAR) return `${formatSi(s / YEAR)} years`;
  if (s >= 100 * YEAR) return `${Math.round(s / YEAR).toLocaleString('en-US')} years`;
  if (s >= YEAR) {
    const y = Math.floor(s / YEAR);
    const d = Math.floor((s % YEAR) / DAY);
    return d > 0 ? `${y}y ${d}d` : `${y}y`;
  }
  const parts: [number, string][] = [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
    [SECOND, 's'],
  ];
  for (let i = 0; i < parts.length; i += 1) {
    const [size, unit] = parts[i]!;
    if (s >= size || size === SECOND) {
      const major = Math.floor(s / size);
      const next = parts[i + 1];
      if (next === undefined) return `${major}${unit}`;
      const minor = Math.floor((s % size) / next[0]);
      return minor > 0 ? `${major}${unit} ${minor}${next[1]}` : `${major}${unit}`;
    }
  }
  return `${s}s`;
}

/** How long ago an epoch-ms time was, relative to `now`: "just now", "12m ago", "3h 5m ago". */
export function formatAgo(at: number | null | undefined, now: number): string {
  if (!finite(at)) return DASH;
  const seconds = (now - at) / 1000;
  if (seconds < 5) return 'just now';
  return `${formatDuration(seconds)} ago`;
}

/** How long until an epoch-ms time: "in 42s", "now" once passed. */
export function formatIn(at: number | null | undefined, now: number): string {
  if (!finite(at)) return DASH;
  const seconds = (at - now) / 1000;
  if (seconds <= 0) return 'now';
  return `in ${formatDuration(Math.ceil(seconds))}`;
}

/** Local wall-clock time, for tables of events. */
export function formatClock(at: number | null | undefined): string {
  if (!finite(at)) return DASH;
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * One formatter for every count on the page: `toLocaleString` builds a new one at each call,
 * which a table redrawn every second at fleet scale pays for thousands of times.
 */
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number | null | undefined): string {
  return finite(n) ? COUNT_FORMAT.format(Math.round(n)) : DASH;
}

/** A unit ladder: [size, label], smallest first, e.g. [[1, 'GH/s'], [1000, 'TH/s']]. */
export type UnitLadder = readonly (readonly [number, string])[];

export const HASH_UNITS_LADDER: UnitLadder = [
  [1, 'GH/s'],
  [1e3, 'TH/s'],
  [1e6, 'PH/s'],
];
export const WATT_LADDER: UnitLadder = [
  [1, 'W'],
  [1e3, 'kW'],
];
export const CELSIUS_LADDER: UnitLadder = [[1, '°C']];

/**
 * Axis labels: one unit for the whole axis (from its largest tick) and just enough decimals
 * that neighbouring ticks never read the same ("12.55 TH/s", "12.60 TH/s").
 */
export function formatTicks(splits: readonly number[], ladder: UnitLadder): string[] {
  const finiteSplits = splits.filter((v) => Number.isFinite(v));
  if (finiteSplits.length === 0 || ladder.length === 0) return splits.map(() => '');
  const top = Math.max(...finiteSplits.map((v) => Math.abs(v)));
  let unit = ladder[0]!;
  for (const step of ladder) if (top >= step[0]) unit = step;
  const [size, label] = unit;
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < splits.length; i += 1) {
    const d = Math.abs(splits[i]! - splits[i - 1]!);
    if (d > 0) step = Math.min(step, d);
  }
  const scaled = step / size;
  // The fewest decimals that show the step exactly (2.5 needs one, 0.05 needs two).
  let decimals = 0;
  if (Number.isFinite(scaled)) {
    while (decimals < 4) {
      const shifted = scaled * 10 ** decimals;
      if (Math.abs(shifted - Math.round(shifted)) < 1e-6 * Math.max(1, shifted)) break;
      decimals += 1;
    }
  }
  return splits.map((v) => (Number.isFinite(v) ? `${(v / size).toFixed(decimals)} ${label}` : ''));
}

/** Money with the configured currency: "1.23 EUR", "12,345 EUR" (no cents past 1,000). */
export function formatMoney(value: number | null | undefined, currency: string): string {
  if (!finite(value)) return DASH;
  const digits = Math.abs(value) >= 1000 ? 0 : 2;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${currency}`;
}
