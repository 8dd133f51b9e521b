/**
 * A fleet action's progress as the dashboard holds it: the whole list from GET /api/actions/:id,
 * patched by the live stream's `action` messages. The two race (a message may carry a change the
 * list already had, or an older one), so a miner only ever moves forward: pending, then applied,
 * then an outcome.
 */
import type {
  ActionCounts,
  ActionKind,
  ActionState,
  ActionView,
  LiveAction,
  MinerActionState,
} from './types.js';

export interface MinerStep {
  readonly state: MinerActionState;
  readonly error: string | null;
  /** 0 is the canary; null until the action's list has been read. */
  readonly batch: number | null;
}

export interface ActionProgress {
  readonly id: string;
  /** Null until the action's list has been read. */
  readonly action: ActionKind | null;
  readonly state: ActionState;
  readonly halted: boolean;
  readonly haltReason: string | null;
  readonly counts: ActionCounts;
  readonly miners: ReadonlyMap<string, MinerStep>;
  /** True once GET /api/actions/:id gave every miner, so the counts can be taken from the list. */
  readonly whole: boolean;
}

const RANK: Readonly<Record<MinerActionState, number>> = {
  pending: 0,
  applied: 1,
  verified: 2,
  failed: 2,
  skipped: 2,
};

/** The order rows are listed in: what went wrong first, then what is under way. */
export const LIST_ORDER: readonly MinerActionState[] = [
  'failed',
  'applied',
  'pending',
  'verified',
  'skipped',
];

function forward(held: MinerStep | undefined, next: MinerStep): MinerStep {
  if (held === undefined) return next;
  // The held state is newer, but the list still knows the batch the stream never sends.
  if (RANK[next.state] < RANK[held.state]) return held.batch === null ? { ...held, batch: next.batch } : held;
  return { ...next, batch: next.batch ?? held.batch };
}

function countsOf(miners: ReadonlyMap<string, MinerStep>): ActionCounts {
  const counts = { pending: 0, applied: 0, verified: 0, failed: 0, skipped: 0 };
  for (const step of miners.values()) counts[step.state] += 1;
  return counts;
}

/** A finished action never goes back to running, whichever report arrives last. */
function summaryOf(
  held: ActionProgress | undefined,
  next: { state: ActionState; halted: boolean; haltReason: string | null },
): Pick<ActionProgress, 'state' | 'halted' | 'haltReason'> {
  if (held !== undefined && held.state !== 'running' && next.state === 'running') {
    return { state: held.state, halted: held.halted, haltReason: held.haltReason };
  }
  return { state: next.state, halted: next.halted, haltReason: next.haltReason };
}

/** The action's whole list, merged with what the stream already told. */
export function fromView(held: ActionProgress | undefined, view: ActionView): ActionProgress {
  const miners = new Map<string, MinerStep>();
  for (const m of view.miners) {
    miners.set(
      m.minerId,
      forward(held?.miners.get(m.minerId), { state: m.state, error: m.error, batch: m.batch }),
    );
  }
  return {
    id: view.id,
    action: view.action,
    ...summaryOf(held, view),
    counts: countsOf(miners),
    miners,
    whole: true,
  };
}

/** One `action` message; `idOf` turns the stream's miner numbers into ids (null when unknown). */
export function applyLive(
  held: ActionProgress | undefined,
  message: LiveAction,
  idOf: (n: number) => string | null,
): ActionProgress {
  const miners = new Map(held?.miners ?? []);
  for (const [n, value] of Object.entries(message.m ?? {})) {
    const id = idOf(Number(n));
    if (id === null) continue;
    const step: MinerStep =
      typeof value === 'string'
        ? { state: value, error: null, batch: null }
        : { state: value[0], error: value[1], batch: null };
    miners.set(id, forward(miners.get(id), step));
  }
  const whole = held?.whole ?? false;
  const summary = summaryOf(held, message);
  // The server skips every miner still waiting when an action halts or is cancelled, and tells
  // only the action's summary: do the same here so the list agrees with the counts.
  if (summary.state !== 'running') {
    for (const [id, step] of miners)
      if (step.state === 'pending') miners.set(id, { ...step, state: 'skipped' });
  }
  return {
    id: message.id,
    action: held?.action ?? null,
    ...summary,
    counts: whole ? countsOf(miners) : message.counts,
    miners,
    whole,
  };
}

/**
 * The rows worth listing, at most `limit`: failures first, then in flight, waiting, verified and
 * skipped. At 10,000 miners the list stays short; the counts say the rest.
 */
export function rowsToShow(
  progress: ActionProgress,
  limit: number,
): { rows: [string, MinerStep][]; hidden: number } {
  const buckets = new Map<MinerActionState, [string, MinerStep][]>(LIST_ORDER.map((s) => [s, []]));
  for (const entry of progress.miners) buckets.get(entry[1].state)?.push(entry);
  const rows: [string, MinerStep][] = [];
  for (const state of LIST_ORDER) {
    for (const entry of buckets.get(state) ?? []) {
      if (rows.length >= limit) break;
      rows.push(entry);
    }
  }
  return { rows, hidden: progress.miners.size - rows.length };
}
