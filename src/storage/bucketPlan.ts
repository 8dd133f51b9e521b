/**
 * Which table answers a chart query and how its rows fall into buckets. Pure, so its laws
 * (never more buckets than asked, buckets a whole number of source rows) are property-tested.
 */
import { ValidationError } from '../resilience/index.js';
import { HOUR_MS, MINUTE_MS } from './columns.js';
import type { RetentionPolicy } from './options.js';
import type { Series, SeriesQuery } from './Storage.js';

/** Most buckets a query may ask for; a chart wider than this has no use for more. */
export const MAX_POINTS = 10_000;

export interface BucketPlan {
  readonly source: Series['source'];
  /** Granularity of the source rows: 1 ms for raw rows. */
  readonly resolutionMs: number;
  /** A whole multiple of `resolutionMs`. */
  readonly bucketMs: number;
  /** Start of bucket 0: `from` rounded down to the resolution. */
  readonly origin: number;
  /** Buckets the range spans, at most `points`. */
  readonly buckets: number;
}

const RESOLUTION: Readonly<Record<Series['source'], number>> = { raw: 1, minute: MINUTE_MS, hour: HOUR_MS };

export function checkQuery(query: SeriesQuery): void {
  if (typeof query !== 'object' || query === null) throw new ValidationError('series query is not an object');
  const { from, to, points } = query;
  if (!Number.isSafeInteger(from) || from < 0) {
    throw new ValidationError(`\`from\` must be epoch milliseconds (an integer >= 0), got ${String(from)}`, {
      field: 'from',
    });
  }
  if (!Number.isSafeInteger(to) || to < from) {
    throw new ValidationError(`\`to\` must be epoch milliseconds >= \`from\` (${from}), got ${String(to)}`, {
      field: 'to',
    });
  }
  if (!Number.isSafeInteger(points) || points < 1 || points > MAX_POINTS) {
    throw new ValidationError(
      `\`points\` must be an integer from 1 to ${MAX_POINTS}, got ${String(points)}`,
      {
        field: 'points',
      },
    );
  }
}

/** Exact for safe integers: `x - x % y` is a multiple of `y`, so the division has no rounding. */
function floorDiv(x: number, y: number): number {
  return (x - (x % y)) / y;
}

function ceilDiv(x: number, y: number): number {
  return floorDiv(x + y - 1, y);
}

function pickSource(
  idealMs: number,
  from: number,
  nowMs: number,
  retention: RetentionPolicy,
): Series['source'] {
  let source: Series['source'] = idealMs >= HOUR_MS ? 'hour' : idealMs >= MINUTE_MS ? 'minute' : 'raw';
  // Where retention has already thinned a table out, read the next coarser one rather than
  // return a chart with a hole at its start.
  if (source === 'raw' && retention.rawMs !== null && from < nowMs - retention.rawMs) source = 'minute';
  if (source === 'minute' && retention.minuteMs !== null && from < nowMs - retention.minuteMs)
    source = 'hour';
  return source;
}

/**
 * Plans a query over [from, to] (both inclusive). The source is the coarsest table whose rows
 * are no wider than the ideal bucket `(to - from + 1) / points`; each bucket is a whole number
 * of source rows, so a bucket's aggregates are exact merges of stored ones.
 */
export function planBuckets(query: SeriesQuery, nowMs: number, retention: RetentionPolicy): BucketPlan {
  checkQuery(query);
  const { from, to, points } = query;
  const idealMs = (to - from + 1) / points;
  const source = pickSource(idealMs, from, nowMs, retention);
  const resolutionMs = RESOLUTION[source];
  const origin = from - (from % resolutionMs);
  // With bucketMs >= (to - origin + 1) / points, (to - origin) / bucketMs < points, so the
  // bucket index of `to` is at most points - 1.
  const bucketMs = Math.max(1, ceilDiv(to - origin + 1, points * resolutionMs)) * resolutionMs;
  const buckets = floorDiv(to - origin, bucketMs) + 1;
  return { source, resolutionMs, bucketMs, origin, buckets };
}
