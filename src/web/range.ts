/** Chart ranges and a hook that loads a series for one and keeps it fresh. */
import { useEffect, useState } from 'preact/hooks';
import { isApiFailure, type SeriesRange } from './api.js';

const HOUR = 3_600_000;

/** Longer ranges change slowly, so they are re-read less often. */
export const RANGES = [
  { key: '1h', ms: HOUR, refreshMs: 15_000 },
  { key: '6h', ms: 6 * HOUR, refreshMs: 60_000 },
  { key: '24h', ms: 24 * HOUR, refreshMs: 120_000 },
  { key: '7d', ms: 7 * 24 * HOUR, refreshMs: 600_000 },
  { key: '30d', ms: 30 * 24 * HOUR, refreshMs: 600_000 },
] as const;

export type ChartRange = (typeof RANGES)[number];
export type RangeKey = ChartRange['key'];

/** Buckets asked of the server: about one per two pixels of a wide chart. */
export const CHART_POINTS = 300;

export function rangeOf(key: RangeKey): ChartRange {
  return RANGES.find((r) => r.key === key) ?? RANGES[0];
}

/**
 * The range shown until the user picks one: a day, or less while the fleet is younger than that,
 * so a new install sees a line instead of a dot at the right edge.
 */
export function autoRange(oldestMinerAt: number | null, now: number): RangeKey {
  if (oldestMinerAt === null) return '1h';
  const age = now - oldestMinerAt;
  return RANGES.find((r) => r.ms >= age && r.ms <= rangeOf('24h').ms)?.key ?? '24h';
}

/**
 * Loads `load(range)` now and every `refreshMs`; a newer range or key cancels the older request,
 * so a slow 30-day answer never overwrites the 1-hour one the user switched to.
 */
export function useRangeData<T>(
  key: string,
  range: ChartRange,
  load: (range: SeriesRange, signal: AbortSignal) => Promise<T>,
): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const run = async () => {
      const to = Date.now();
      try {
        const value = await load({ from: to - range.ms, to, points: CHART_POINTS }, controller.signal);
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(isApiFailure(e) ? e.message : String(e));
      }
    };
    void run();
    const timer = setInterval(run, range.refreshMs);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
    // `load` is a fresh closure each render; what it loads is named by `key` and `range`.
  }, [key, range]);
  return { data, error };
}
