import { describe, expect, it } from 'vitest';
import { createHarness } from './testing/harness.js';

describe('createMonitor', () => {
  it('with `owns`, polls only the miners it holds and leaves the others alone', async () => {
    // Instance-sharing passes the lease check here: m1 is this instance's, m2 another's.
    const h = createHarness({ owns: (id) => id === 'm1', defaultIntervalMs: 1000 });
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    await h.manager.addMiner({ host: '10.0.0.2', kind: 'axeos', verify: false });
    await h.manager.start();
    await h.clock.advance(10_000);
    const hosts = new Set(h.driver.calls.map((call) => call.endpoint.host));
    expect(hosts).toEqual(new Set(['10.0.0.1']));
    expect(h.driver.calls.length).toBeGreaterThanOrEqual(5);
    await h.manager.stop();
  });
});
