import { describe, expect, it } from 'vitest';
import { applyLive, fromView, rowsToShow } from './actionProgress.js';
import type { ActionView } from './types.js';

const view = (
  states: Record<string, ActionView['miners'][number]['state']>,
  state: ActionView['state'] = 'running',
): ActionView => {
  const miners = Object.entries(states).map(([minerId, s], i) => ({
    minerId,
    batch: i,
    state: s,
    error: s === 'failed' ? 'boom' : null,
    updatedAt: 0,
  }));
  const counts = { pending: 0, applied: 0, verified: 0, failed: 0, skipped: 0 };
  for (const m of miners) counts[m.state] += 1;
  return {
    id: 'act-1',
    action: 'pause',
    state,
    halted: state === 'halted',
    haltReason: null,
    counts,
    createdAt: 0,
    finishedAt: null,
    actor: 'api',
    target: { all: true },
    settings: null,
    profile: null,
    rollout: { canary: 1, batchSize: 5, haltOnFailure: true },
    miners,
  };
};

const ids = ['a', 'b', 'c'];
const idOf = (n: number) => ids[n] ?? null;

describe('action progress', () => {
  it('moves miners by the stream and counts from the whole list', () => {
    const held = fromView(undefined, view({ a: 'pending', b: 'pending', c: 'pending' }));
    const next = applyLive(
      held,
      {
        id: 'act-1',
        state: 'running',
        halted: false,
        haltReason: null,
        counts: held.counts,
        m: { 0: 'verified', 1: ['failed', 'no'] },
      },
      idOf,
    );
    expect(next.counts).toEqual({ pending: 1, applied: 0, verified: 1, failed: 1, skipped: 0 });
    expect(next.miners.get('b')).toEqual({ state: 'failed', error: 'no', batch: 1 });
  });

  it('never moves a miner back when an older report arrives after a newer one', () => {
    const live = applyLive(
      undefined,
      {
        id: 'act-1',
        state: 'running',
        halted: false,
        haltReason: null,
        counts: { pending: 2, applied: 0, verified: 1, failed: 0, skipped: 0 },
        m: { 0: 'verified' },
      },
      idOf,
    );
    expect(live.whole).toBe(false);
    const merged = fromView(live, view({ a: 'applied', b: 'pending', c: 'pending' }));
    expect(merged.miners.get('a')?.state).toBe('verified');
    expect(merged.miners.get('a')?.batch).toBe(0);
  });

  it('keeps a finished action finished', () => {
    const done = fromView(undefined, view({ a: 'verified', b: 'failed', c: 'skipped' }, 'halted'));
    const late = applyLive(
      done,
      { id: 'act-1', state: 'running', halted: false, haltReason: null, counts: done.counts },
      idOf,
    );
    expect(late.state).toBe('halted');
    expect(late.halted).toBe(true);
  });

  it('skips the miners still waiting when the action halts, as the server does without listing them', () => {
    const held = fromView(undefined, view({ a: 'failed', b: 'pending', c: 'pending' }));
    const halted = applyLive(
      held,
      {
        id: 'act-1',
        state: 'halted',
        halted: true,
        haltReason: 'a failed in the canary',
        counts: held.counts,
      },
      idOf,
    );
    expect(halted.counts).toEqual({ pending: 0, applied: 0, verified: 0, failed: 1, skipped: 2 });
    expect(halted.haltReason).toBe('a failed in the canary');
  });

  it('lists failures first and counts what it leaves out', () => {
    const states: Record<string, 'verified' | 'failed' | 'pending'> = {};
    for (let i = 0; i < 10_000; i += 1)
      states[`m${i}`] = i === 9_999 ? 'failed' : i % 2 === 0 ? 'verified' : 'pending';
    const { rows, hidden } = rowsToShow(fromView(undefined, view(states)), 50);
    expect(rows).toHaveLength(50);
    expect(rows[0]?.[0]).toBe('m9999');
    expect(rows[1]?.[1].state).toBe('pending');
    expect(hidden).toBe(9_950);
  });
});
