import type { Random } from './random.js';

/** Faults any device can show. */
export type CommonFault =
  | 'refuse' // connection reset at accept, before a byte is read
  | 'reset' // reply starts, then the connection is reset
  | 'hang' // never answers; the connection stays open until the client gives up
  | 'slow' // the whole reply, dripped a few bytes at a time
  | 'http500'
  | 'http503' // with Retry-After in seconds
  | 'malformed' // a truncated, unparseable JSON body
  | 'oversized' // a valid JSON body larger than 1 MiB
  | 'wrongTypes' // numbers as strings, nulls, arrays where objects
  | 'restart'; // the device reboots while answering

/** Faults only the cgminer API shows (the HTTP ones map to these on TCP where they make sense). */
export type CgminerFault =
  | 'missingNul' // reply without its trailing NUL
  | 'joinedSections' // `}{` between sections, as some forks write
  | 'trailingComma' // `,}` before a closing brace
  | 'infNan' // bare inf / nan literals in numbers
  | 'statusError' // STATUS "E"
  | 'statusFatal'; // STATUS "F"

export type FaultKind = CommonFault | CgminerFault;

/**
 * Faults of the mining itself rather than of the API: the device answers normally.
 * - `zombie`: reports its hashrate but finds nothing (no shares, no new best), as a hung ASIC or
 *   a dead stratum connection would; a reboot heals it.
 * - `stuck_share_counter`: mines, but its accepted-shares counter stops moving; a reboot heals it.
 */
export type MiningFault = 'zombie' | 'stuck_share_counter';

export const MINING_FAULTS: readonly MiningFault[] = Object.freeze(['zombie', 'stuck_share_counter']);

export const FAULT_KINDS: readonly FaultKind[] = Object.freeze([
  'refuse',
  'reset',
  'hang',
  'slow',
  'http500',
  'http503',
  'malformed',
  'oversized',
  'wrongTypes',
  'restart',
  'missingNul',
  'joinedSections',
  'trailingComma',
  'infNan',
  'statusError',
  'statusFatal',
]);

export interface ScriptStep {
  /** `null` plays a healthy request. */
  fault: FaultKind | null;
  /** How many requests in a row show it. @default 1 */
  count?: number;
}

/** Decides the fault for request n (counted from 1 since the plan was set). */
export type FaultScript = readonly ScriptStep[] | ((requestNumber: number) => FaultKind | null);

export interface FaultPlan {
  /** Probability per request of each fault; their sum must not exceed 1. */
  rates?: Partial<Record<FaultKind, number>>;
  /** Scripted faults; once an array script is used up, `rates` (if any) take over. */
  script?: FaultScript;
  /** While true the device listens nowhere: connections are refused (ECONNREFUSED). */
  offline?: boolean;
  /** A fault of the mining (see MiningFault), set on the device's model; cleared by a reboot. */
  mining?: MiningFault | null;
  /** Retry-After of `http503`, in seconds. @default 5 */
  retryAfterSeconds?: number;
  /** Bytes per write of `slow`. @default 16 */
  slowChunkBytes?: number;
  /** Pause between writes of `slow`, in ms. @default 50 */
  slowDelayMs?: number;
  /** Body size of `oversized`, in bytes. @default 1.5 MiB */
  oversizedBytes?: number;
}

export class FaultPlanError extends Error {
  readonly code = 'SIM_BAD_FAULT_PLAN';
}

function checkKind(kind: unknown, where: string): void {
  if (kind !== null && !FAULT_KINDS.includes(kind as FaultKind)) {
    throw new FaultPlanError(`Unknown fault ${JSON.stringify(kind)} in ${where}`);
  }
}

export function validateFaultPlan(plan: FaultPlan): void {
  let sum = 0;
  for (const [kind, rate] of Object.entries(plan.rates ?? {})) {
    checkKind(kind, '`rates`');
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new FaultPlanError(`Expected \`rates.${kind}\` to be a number in [0, 1], got ${rate}`);
    }
    sum += rate;
  }
  if (sum > 1 + 1e-9) throw new FaultPlanError(`Fault rates add up to ${sum}, more than 1`);
  if (Array.isArray(plan.script)) {
    for (const [i, step] of plan.script.entries()) {
      checkKind(step.fault, `\`script[${i}]\``);
      if (step.count !== undefined && !(Number.isInteger(step.count) && step.count >= 0)) {
        throw new FaultPlanError(`Expected \`script[${i}].count\` to be a non-negative integer`);
      }
    }
  } else if (plan.script !== undefined && typeof plan.script !== 'function') {
    throw new FaultPlanError('Expected `script` to be an array of steps or a function');
  }
  if (plan.mining != null && !MINING_FAULTS.includes(plan.mining)) {
    throw new FaultPlanError(
      `Unknown mining fault ${JSON.stringify(plan.mining)}; expected one of ${MINING_FAULTS.join(', ')}`,
    );
  }
  for (const key of ['retryAfterSeconds', 'slowChunkBytes', 'slowDelayMs', 'oversizedBytes'] as const) {
    const value = plan[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new FaultPlanError(`Expected \`${key}\` to be a non-negative number, got ${value}`);
    }
  }
}

/** Turns a plan into one decision per request; changeable at run time. */
export class FaultInjector {
  #plan: FaultPlan = {};
  #requestNumber = 0;
  readonly #random: Random;

  constructor(random: Random, plan?: FaultPlan | null) {
    this.#random = random;
    if (plan) this.set(plan);
  }

  get plan(): Readonly<FaultPlan> {
    return this.#plan;
  }

  /** Replaces the plan; the request count of scripts starts again from 1. */
  set(plan: FaultPlan | null): void {
    const next = plan ?? {};
    validateFaultPlan(next);
    this.#plan = { ...next };
    this.#requestNumber = 0;
  }

  /** The fault for the next request, or null for a healthy one. */
  next(): FaultKind | null {
    this.#requestNumber += 1;
    const n = this.#requestNumber;
    const { script, rates } = this.#plan;
    if (typeof script === 'function') return script(n);
    if (script) {
      let seen = 0;
      for (const step of script) {
        seen += step.count ?? 1;
        if (n <= seen) return step.fault;
      }
    }
    if (!rates) return null;
    let u = this.#random();
    for (const [kind, rate] of Object.entries(rates)) {
      if (u < rate) return kind as FaultKind;
      u -= rate;
    }
    return null;
  }
}
