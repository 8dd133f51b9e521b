/**
 * What the miner table shows: which miners pass the filters and search, in which order. Pure, so
 * the same rules are tested without a browser and run once per change of the inputs, however many
 * rows are on screen.
 */
import type { ListedMiner, MinerStatus } from './types.js';

/** Names in the order people count: `sim-2` before `sim-10`, case and accents aside. */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b);

export type SortColumn =
  | 'problems'
  | 'status'
  | 'name'
  | 'hashrate'
  | 'temperature'
  | 'power'
  | 'shares'
  | 'bestDifficulty'
  | 'uptime'
  | 'breaker';

export type SortDirection = 'asc' | 'desc';

export interface MinerQuery {
  /** Free text matched against name, hostname, address and MAC. */
  readonly search: string;
  /** 'problems' keeps every miner that is not online (or whose breaker is not closed). */
  readonly status: MinerStatus | 'all' | 'problems';
  readonly kind: string;
  readonly tag: string;
  readonly firmware: string;
  readonly sort: SortColumn;
  readonly direction: SortDirection;
}

export const DEFAULT_QUERY: MinerQuery = {
  search: '',
  status: 'all',
  kind: 'all',
  tag: 'all',
  firmware: 'all',
  sort: 'problems',
  direction: 'asc',
};

/** Worst first: what needs a look leads the table. */
const STATUS_RANK: Readonly<Record<MinerStatus, number>> = {
  offline: 0,
  not_hashing: 1,
  breaker_open: 2,
  degraded: 3,
  restarting: 4,
  unknown: 5,
  online: 6,
  paused: 7,
  disabled: 8,
};

const BREAKER_RANK: Readonly<Record<string, number>> = { open: 0, half_open: 1, closed: 2 };

export function isProblem(miner: ListedMiner): boolean {
  return (
    // Paused and disabled are someone's choice, not a problem to look at.
    (miner.status !== 'online' && miner.status !== 'paused' && miner.status !== 'disabled') ||
    (miner.breaker?.state ?? 'closed') !== 'closed'
  );
}

export function tagsOf(miner: ListedMiner): readonly string[] {
  return miner.tags ?? [];
}

function matches(miner: ListedMiner, query: MinerQuery, needle: string): boolean {
  if (
    query.status === 'problems' ? !isProblem(miner) : query.status !== 'all' && miner.status !== query.status
  ) {
    return false;
  }
  if (query.kind !== 'all' && miner.kind !== query.kind) return false;
  if (query.tag !== 'all' && !tagsOf(miner).includes(query.tag)) return false;
  if (query.firmware !== 'all' && (miner.lastSample?.firmware ?? '') !== query.firmware) return false;
  if (needle === '') return true;
  return (
    miner.name.toLowerCase().includes(needle) ||
    miner.host.toLowerCase().includes(needle) ||
    (miner.hostname?.toLowerCase().includes(needle) ?? false) ||
    // A MAC is matched without separators, so "aabbcc", "AA:BB:CC" and "aa-bb-cc" all find it.
    (miner.mac !== null &&
      withoutSeparators(needle) !== '' &&
      withoutSeparators(miner.mac).includes(withoutSeparators(needle)))
  );
}

function withoutSeparators(text: string): string {
  return text.toLowerCase().replaceAll(/[:.-]/g, '');
}

type Key = (miner: ListedMiner) => number | null;

const NUMERIC_KEYS: Readonly<Partial<Record<SortColumn, Key>>> = {
  status: (m) => STATUS_RANK[m.status] ?? 9,
  hashrate: (m) => m.lastSample?.hashrateGhs ?? null,
  temperature: (m) => m.lastSample?.maxChipTemperatureC ?? m.lastSample?.temperatureC ?? null,
  power: (m) => m.lastSample?.powerW ?? null,
  shares: (m) => m.lastSample?.sharesAccepted ?? null,
  bestDifficulty: (m) => m.bestDifficulty ?? m.lastSample?.bestDifficulty ?? null,
  uptime: (m) => m.lastSample?.uptimeS ?? null,
  breaker: (m) => BREAKER_RANK[m.breaker?.state ?? 'closed'] ?? 2,
};

function byName(a: ListedMiner, b: ListedMiner): number {
  return naturalCompare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Orders by one column; miners without a value go last whichever the direction, ties by name. */
function comparator(sort: SortColumn, direction: SortDirection): (a: ListedMiner, b: ListedMiner) => number {
  const sign = direction === 'asc' ? 1 : -1;
  if (sort === 'name') return (a, b) => sign * byName(a, b);
  if (sort === 'problems') {
    const rank = (m: ListedMiner) => (isProblem(m) ? (STATUS_RANK[m.status] ?? 9) : 10);
    return (a, b) => sign * (rank(a) - rank(b)) || byName(a, b);
  }
  const key = NUMERIC_KEYS[sort]!;
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || byName(a, b);
  };
}

/** The miners to show, in order. */
export function queryMiners(miners: readonly ListedMiner[], query: MinerQuery): ListedMiner[] {
  const needle = query.search.trim().toLowerCase();
  const shown = miners.filter((m) => matches(m, query, needle));
  return shown.sort(comparator(query.sort, query.direction));
}

/** The values each filter offers, from the fleet as it is. */
export function filterChoices(miners: readonly ListedMiner[]): {
  kinds: string[];
  tags: string[];
  firmwares: string[];
} {
  const kinds = new Set<string>();
  const tags = new Set<string>();
  const firmwares = new Set<string>();
  for (const m of miners) {
    kinds.add(m.kind);
    for (const t of tagsOf(m)) tags.add(t);
    const fw = m.lastSample?.firmware;
    if (typeof fw === 'string' && fw !== '') firmwares.add(fw);
  }
  return {
    kinds: [...kinds].sort(naturalCompare),
    tags: [...tags].sort(naturalCompare),
    firmwares: [...firmwares].sort(naturalCompare),
  };
}
