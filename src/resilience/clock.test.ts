import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock', () => {
  it('now() is epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('sleep rejects at once with the reason of an already aborted signal', async () => {
    const reason = new Error('stop');
    await expect(systemClock.sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  // The one test that waits on real time: it proves that an abort cuts a real timer short.
  it('an abort cuts a real wait short and rejects with signal.reason', async () => {
    const controller = new AbortController();
    const reason = new Error('shutdown');
    const started = performance.now();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(reason), 20);
    await expect(sleeping).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('sleep(0) resolves and leaves no abort listener behind', async () => {
    const controller = new AbortController();
    await systemClock.sleep(0, controller.signal);
    // Aborting after the sleep resolved must not reject anything (no unhandled rejection).
    controller.abort();
  });

  it('sleepSync returns at once for non-positive values', () => {
    const started = performance.now();
    systemClock.sleepSync?.(0);
    systemClock.sleepSync?.(-5);
    systemClock.sleepSync?.(Number.NaN);
    expect(performance.now() - started).toBeLessThan(50);
    expect(typeof systemClock.sleepSync).toBe('function');
  });

  it('a delay beyond setTimeout range does not fire at once', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const sleeping = systemClock.sleep(1e12, controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(systemClock)).toBe(true);
  });
});
