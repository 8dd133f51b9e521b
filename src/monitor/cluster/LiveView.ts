/**
 * The part of a miner's view that only the instance polling it knows (status, last sample,
 * restart, breaker), as written to `miner_live` for the other instances. The record's own
 * fields (name, interval, enabled) are in the shared `miners` table and are not repeated here.
 */
import type { MinerSample } from '../../miners/MinerSample.js';
import { MINER_STATUSES, type MinerView } from '../types.js';

export type LiveView = Pick<
  MinerView,
  | 'status'
  | 'statusReason'
  | 'lastSeenAt'
  | 'lastPollAt'
  | 'lastError'
  | 'lastSample'
  | 'breaker'
  | 'bestDifficulty'
  | 'restart'
>;

const STATUSES: ReadonlySet<string> = new Set(MINER_STATUSES);

/** The live part of a view; the device's raw replies stay with the poller (GET /api/miners/:id there). */
export function liveViewOf(view: MinerView): LiveView {
  const sample = view.lastSample;
  return {
    status: view.status,
    statusReason: view.statusReason,
    lastSeenAt: view.lastSeenAt,
    lastPollAt: view.lastPollAt,
    lastError: view.lastError,
    lastSample: sample === null ? null : ({ ...sample, raw: {} } satisfies MinerSample),
    breaker: view.breaker,
    bestDifficulty: view.bestDifficulty,
    restart: view.restart,
  };
}

/**
 * A view read back from the database, or null when it is not one (a row written by a newer or
 * broken instance is skipped rather than shown half-read).
 */
export function parseLiveView(value: unknown): LiveView | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<Record<keyof LiveView, unknown>>;
  if (typeof v.status !== 'string' || !STATUSES.has(v.status)) return null;
  const sample = v.lastSample;
  if (
    sample !== null &&
    (typeof sample !== 'object' || typeof (sample as MinerSample).timestamp !== 'number')
  )
    return null;
  return {
    status: v.status as LiveView['status'],
    statusReason: typeof v.statusReason === 'string' ? v.statusReason : null,
    lastSeenAt: typeof v.lastSeenAt === 'number' ? v.lastSeenAt : null,
    lastPollAt: typeof v.lastPollAt === 'number' ? v.lastPollAt : null,
    lastError: typeof v.lastError === 'string' ? v.lastError : null,
    lastSample: (sample ?? null) as MinerSample | null,
    breaker: (typeof v.breaker === 'object' ? v.breaker : null) as LiveView['breaker'],
    bestDifficulty: typeof v.bestDifficulty === 'number' ? v.bestDifficulty : null,
    restart: (typeof v.restart === 'object' ? v.restart : null) as LiveView['restart'],
  };
}
