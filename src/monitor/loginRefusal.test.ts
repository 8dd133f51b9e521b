import { describe, expect, it } from 'vitest';
import { HttpStatusError } from '../resilience/index.js';
import { makeSample } from './testing/FakeDriver.js';
import { createHarness } from './testing/harness.js';

const LOGIN = { username: 'admin', password: 'pw-0xC0FFEE' };
const refused = () => new HttpStatusError('GET http://10.0.0.1/api/system/info: HTTP 401', { status: 401 });

async function stopWithClock(h: ReturnType<typeof createHarness>): Promise<void> {
  const stopping = h.manager.stop();
  await h.clock.advance(20_000);
  await stopping;
}

describe('a device that answers 401 to polls', () => {
  it('is named as needing credentials, counted by its breaker and left alone while it is open', async () => {
    const h = createHarness({ breaker: { failureThreshold: 3, recoveryTimeoutMs: 60_000 } });
    h.driver.on('10.0.0.1', () => {
      throw refused();
    });
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false, name: 'gamma' });
    await h.manager.start();
    await h.clock.advance(35_000);
    // One request a poll: the 401 is not retried, and three of them open the breaker.
    expect(h.driver.calls).toHaveLength(3);
    const miner = h.manager.getMiner('m1');
    expect(miner?.breaker?.state).toBe('open');
    expect(miner?.status).toBe('breaker_open');
    // The reason stays the device's refusal while the breaker holds polls back.
    expect(miner?.lastError).toBe('gamma needs credentials (HTTP 401)');
    await h.clock.advance(40_000);
    expect(h.driver.calls).toHaveLength(3);
    await stopWithClock(h);
  });

  it('says the login was refused when one is set, and polls with it once it is right', async () => {
    const h = createHarness();
    h.driver.on('10.0.0.1', (endpoint) => {
      if (endpoint.credentials?.password !== LOGIN.password) throw refused();
      return makeSample();
    });
    await h.manager.addMiner({
      host: '10.0.0.1',
      kind: 'axeos',
      verify: false,
      name: 'gamma',
      credentials: { username: 'admin', password: 'wrong' },
    });
    await h.manager.start();
    await h.clock.advance(10_000);
    expect(h.manager.getMiner('m1')?.lastError).toBe('gamma refused its credentials (HTTP 401)');
    const changed = await h.manager.updateMiner('m1', { credentials: LOGIN }, 'api:tester');
    expect(changed.hasCredentials).toBe(true);
    // Changing the login asks the device at once.
    await h.clock.advance(1);
    expect(h.manager.getMiner('m1')?.status).toBe('online');
    expect(h.driver.calls.at(-1)?.endpoint.credentials).toEqual(LOGIN);
    const event = h.storage.events.find((e) => e.type === 'credentials_changed');
    expect(event).toMatchObject({ minerId: 'm1', data: { actor: 'api:tester', hasCredentials: true } });
    expect(JSON.stringify(h.storage.events)).not.toContain(LOGIN.password);
    await stopWithClock(h);
  });

  it('asks at once when a login is set while refused polls hold the breaker open', async () => {
    const h = createHarness({ breaker: { failureThreshold: 3, recoveryTimeoutMs: 60_000 } });
    h.driver.on('10.0.0.1', (endpoint) => {
      if (endpoint.credentials?.password !== LOGIN.password) throw refused();
      return makeSample();
    });
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false, name: 'gamma' });
    await h.manager.start();
    await h.clock.advance(35_000);
    expect(h.manager.getMiner('m1')?.status).toBe('breaker_open');
    // The refusals were of the old login (or none): the new one deserves its own answer now, not
    // after the breaker's recovery time.
    await h.manager.updateMiner('m1', { credentials: LOGIN }, 'api:tester');
    await h.clock.advance(1);
    expect(h.driver.calls.at(-1)?.endpoint.credentials).toEqual(LOGIN);
    expect(h.manager.getMiner('m1')?.status).toBe('online');
    expect(h.manager.getMiner('m1')?.breaker?.state).not.toBe('open');
    await stopWithClock(h);
  });

  it('refuses to add without verification passing: MINER_REFUSED naming what is missing', async () => {
    const h = createHarness();
    h.driver.on('10.0.0.1', () => {
      throw refused();
    });
    await expect(h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos' })).rejects.toMatchObject({
      code: 'MINER_REFUSED',
      message: expect.stringContaining('10.0.0.1:80 needs credentials (HTTP 401)'),
    });
    expect(h.driver.calls).toHaveLength(1);
  });
});
