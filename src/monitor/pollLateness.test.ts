import { describe, expect, it } from 'vitest';
import { makeSample } from './testing/FakeDriver.js';
import { createHarness } from './testing/harness.js';

describe('MinerManager.onPollLateness', () => {
  it("reports each poll's lateness as the scheduler measures it, queueing included", async () => {
    const h = createHarness({ maxConcurrentPolls: 1 });
    // Each answer takes 3 s, so with one poll slot the second miner's first poll waits for it.
    const slow = async () => {
      await h.clock.sleep(3000);
      return makeSample({ mac: null });
    };
    h.driver.on('10.0.0.1', slow);
    h.driver.on('10.0.0.2', slow);
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    await h.manager.addMiner({ host: '10.0.0.2', kind: 'axeos', verify: false });
    const seen: [number, string][] = [];
    const off = h.manager.onPollLateness((ms, id) => seen.push([ms, id]));
    const failing = h.manager.onPollLateness(() => {
      throw new Error('a broken metrics hook');
    });
    await h.manager.start();
    await h.clock.advance(9000);
    expect(seen).toEqual([
      [0, 'm1'],
      [3000, 'm2'],
    ]);
    const { lateness } = h.manager.stats().scheduler;
    expect(lateness.count).toBe(2);
    expect(lateness.maxMs).toBe(3000);
    // The throwing listener neither stopped the schedule nor the other listener; it is counted.
    expect(h.manager.stats().listenerErrors).toBe(2);
    off();
    failing();
    await h.clock.advance(10_000);
    expect(seen).toHaveLength(2);
    expect(h.manager.stats().scheduler.polls).toBeGreaterThan(2);
    const stopping = h.manager.stop();
    await h.clock.advance(20_000);
    await stopping;
  });
});
