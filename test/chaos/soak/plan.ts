/**
 * Who is faulty in a soak and how: 30 % of the fleet, spread over every fault kind the simulator
 * has (the cgminer-only ones on cgminer devices), in three groups:
 *   - flaky: one fault kind at a steady per-request rate (breakers may open and close on their own);
 *   - outage: hard down (offline, refuse, hang or reset every request) between `outageFrom` and
 *     `outageTo`, healthy otherwise, so their breakers must open and then recover;
 *   - the rest (70 %) healthy, whose poll timeliness is what the soak judges.
 */
import type { FaultKind, FaultPlan } from '../../../src/simulator/faults.js';
import { FAULT_KINDS } from '../../../src/simulator/index.js';
import type { DeviceKind } from '../../../src/simulator/types.js';

export type Group = 'healthy' | 'flaky' | 'outage';

export interface DeviceRole {
  readonly group: Group;
  /** The fault kind (flaky) or how it is down (outage: offline, refuse, hang, reset). */
  readonly fault: FaultKind | 'offline' | null;
}

const CGMINER_ONLY: readonly FaultKind[] = [
  'missingNul',
  'joinedSections',
  'trailingComma',
  'infNan',
  'statusError',
  'statusFatal',
];
const HTTP_KINDS = FAULT_KINDS.filter((k) => !CGMINER_ONLY.includes(k));
/**
 * cgminer devices take the kinds only they can play first: a small fleet (the long run's 200) has
 * few faulty cgminer devices, and the HTTP devices cover every other kind anyway.
 */
const CGMINER_FIRST = [...CGMINER_ONLY, ...HTTP_KINDS];
const OUTAGE_MODES = ['offline', 'refuse', 'hang', 'reset'] as const;

/** Flaky rate per request: high enough that a breaker sometimes opens, low enough to recover. */
export const FLAKY_RATE = 0.5;

export function isCgminer(kind: DeviceKind): boolean {
  return kind === 'cgminer' || kind === 'avalon';
}

/** Roles by device index; deterministic so a run can be repeated. */
export function assignRoles(kinds: readonly DeviceKind[], faultyRatio: number): DeviceRole[] {
  const faulty = Math.round(kinds.length * faultyRatio);
  const outageCount = Math.round(faulty / 3);
  const roles: DeviceRole[] = kinds.map(() => ({ group: 'healthy', fault: null }));
  // Every 1/faultyRatio-th device, so faults are spread over kinds and addresses.
  const stride = kinds.length / Math.max(1, faulty);
  const picked = Array.from({ length: faulty }, (_, i) => Math.min(kinds.length - 1, Math.floor(i * stride)));
  let httpTurn = 0;
  let cgTurn = 0;
  picked.forEach((index, i) => {
    const kind = kinds[index] as DeviceKind;
    if (i % 3 === 0 && i / 3 < outageCount) {
      roles[index] = {
        group: 'outage',
        fault: OUTAGE_MODES[(i / 3) % OUTAGE_MODES.length] as DeviceRole['fault'],
      };
      return;
    }
    const pool = isCgminer(kind) ? CGMINER_FIRST : HTTP_KINDS;
    const turn = isCgminer(kind) ? cgTurn++ : httpTurn++;
    roles[index] = { group: 'flaky', fault: pool[turn % pool.length] as FaultKind };
  });
  return roles;
}

export function flakyPlan(fault: FaultKind): FaultPlan {
  return { rates: { [fault]: FLAKY_RATE }, retryAfterSeconds: 3, slowDelayMs: 40, slowChunkBytes: 64 };
}

export function outagePlan(mode: DeviceRole['fault']): FaultPlan {
  if (mode === 'offline') return { offline: true };
  return { rates: { [mode as FaultKind]: 1 } };
}
