import { describe, expect, it } from 'vitest';
import { FakeClock } from './testing.js';

describe('FakeClock', () => {
  it('starts where told and moves only when advanced', async () => {
    const clock = new FakeClock(1000);
    expect(clock.now()).toBe(1000);
    await clock.advance(250);
    expect(clock.now()).toBe(1250);
  });

  it('resolves sleeps in wake-up order when time passes them', async () => {
    const clock = new FakeClock();
    const order: string[] = [];
    void clock.sleep(300).then(() => order.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => order.push(`a@${clock.now()}`));
    expect(clock.pendingSleeps).toBe(2);
    await clock.advance(99);
    expect(order).toEqual([]);
    await clock.advance(1);
    expect(order).toEqual(['a@100']);
    await clock.advance(1000);
    expect(order).toEqual(['a@100', 'b@300']);
    expect(clock.now()).toBe(1100);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('runs a chain of sleeps started within the advanced window', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    const chain = (async () => {
      for (let i = 0; i < 3; i += 1) {
        await clock.sleep(10);
        seen.push(clock.now());
      }
    })();
    await clock.advance(30);
    await chain;
    expect(seen).toEqual([10, 20, 30]);
  });

  it('runAll wakes everything, however far', async () => {
    const clock = new FakeClock();
    let done = false;
    void clock.sleep(1e9).then(() => {
      done = true;
    });
    await clock.runAll();
    expect(done).toBe(true);
    expect(clock.now()).toBe(1e9);
  });

  it('honours abort before and during a sleep', async () => {
    const clock = new FakeClock();
    const reason = new Error('stop');
    await expect(clock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    expect(clock.pendingSleeps).toBe(1);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('sleepSync moves time at once and wakes due sleeps', async () => {
    const clock = new FakeClock(5);
    let woke = false;
    void clock.sleep(10).then(() => {
      woke = true;
    });
    clock.sleepSync(10);
    expect(clock.now()).toBe(15);
    await Promise.resolve();
    expect(woke).toBe(true);
  });

  it('set jumps the time, backwards too, and advance rejects negative steps', async () => {
    const clock = new FakeClock(100);
    clock.set(40);
    expect(clock.now()).toBe(40);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});
