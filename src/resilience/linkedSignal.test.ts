import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { linkSignals } from './linkedSignal.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('linkSignals', () => {
  it('aborts with the reason of whichever source aborts first', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals(a.signal, undefined, b.signal);
    expect(linked.signal.aborted).toBe(false);
    b.abort(new Error('b went'));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('b went');
    a.abort(new Error('a went later'));
    expect((linked.signal.reason as Error).message).toBe('b went');
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once by a source already aborted', () => {
    const live = new AbortController();
    const linked = linkSignals(live.signal, AbortSignal.abort('gone'));
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('gone');
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0);
  });

  it('lets go of its sources on release: a later abort no longer reaches it', () => {
    const source = new AbortController();
    {
      using linked = linkSignals(source.signal);
      expect(getEventListeners(source.signal, 'abort')).toHaveLength(1);
      void linked;
    }
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(0);
    const kept = linkSignals(source.signal);
    kept.release();
    source.abort();
    expect(kept.signal.aborted).toBe(false);
  });

  it('leaves a process-long signal no bigger after 5,000 calls (AbortSignal.any grows it)', () => {
    const processLong = new AbortController();
    const callSignal = () => new AbortController().signal;
    // Warmed up first, so compiled code is not counted as growth.
    for (let i = 0; i < 1000; i += 1) linkSignals(callSignal(), processLong.signal).release();
    const before = heapAfterGc();
    for (let i = 0; i < 5000; i += 1) linkSignals(callSignal(), processLong.signal).release();
    const grown = heapAfterGc() - before;
    expect(grown).toBeLessThan(300_000);

    // The same loop through AbortSignal.any, so the test shows it measures what it claims.
    const anyBefore = heapAfterGc();
    for (let i = 0; i < 5000; i += 1) AbortSignal.any([callSignal(), processLong.signal]);
    const anyGrown = heapAfterGc() - anyBefore;
    expect(anyGrown).toBeGreaterThan(1_000_000);
  });
});
