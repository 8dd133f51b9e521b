import { describe, expect, it } from 'vitest';
import { CircuitOpenError, MinerConnectionError, MinerTimeoutError } from '../resilience/index.js';
import { isMonitorError } from './errors.js';
import { createHarness, liveDevice } from './testing/harness.js';

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(isMonitorError(error) ? error.code : error).toBe(code);
    return error as Error;
  }
  throw new Error(`expected ${code}, but it resolved`);
}

async function stopWithClock(h: ReturnType<typeof createHarness>): Promise<void> {
  const stopping = h.manager.stop();
  await h.clock.advance(20_000);
  await stopping;
}

describe('MinerManager: restart', () => {
  async function running() {
    const h = createHarness({
      restart: { cooldownMs: 300_000, confirmTimeoutMs: 60_000, confirmPollMs: 2000 },
    });
    const device = liveDevice(h.clock, 'AA:00:00:00:00:01');
    h.driver.on('10.0.0.1', device.behaviour);
    await h.manager.addMiner({ host: '10.0.0.1' });
    await h.manager.start();
    await h.clock.advance(10_000);
    return { h, device };
  }

  it('sends once, confirms by the uptime resetting, and a cooldown refuses a second restart', async () => {
    const { h, device } = await running();
    h.driver.restartBehaviour = async () => {
      device.reboot();
      return { accepted: true, detail: 'System will restart shortly.' };
    };
    const status = await h.manager.restartMiner('m1');
    expect(status.state).toBe('restarting');
    expect(h.driver.restartCalls).toBe(1);
    await h.clock.advance(4000);
    const restarts = h.events
      .filter((e) => e.type === 'restart')
      .map((e) => (e.type === 'restart' ? e.restart.state : ''));
    expect(restarts).toEqual(['restarting', 'confirmed']);
    expect(h.manager.getMiner('m1')?.status).toBe('online');
    expect(h.storage.events.map((e) => e.type)).not.toContain('rebooted');
    const cooldown = await expectCode(h.manager.restartMiner('m1'), 'RESTART_COOLDOWN');
    expect((cooldown as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(290_000);
    expect(h.driver.restartCalls).toBe(1);
    await stopWithClock(h);
  });

  it('reports unconfirmed when the uptime never resets', async () => {
    const { h } = await running();
    const status = await h.manager.restartMiner('m1');
    expect(status.state).toBe('restarting');
    await h.clock.advance(62_000);
    expect(h.manager.getMiner('m1')?.restart?.state).toBe('unconfirmed');
    expect(h.storage.events.map((e) => e.type)).toContain('restart_unconfirmed');
    await stopWithClock(h);
  });

  it('resends only when the connection failed before anything was sent', async () => {
    const { h, device } = await running();
    let attempt = 0;
    h.driver.restartBehaviour = async () => {
      attempt += 1;
      if (attempt === 1)
        throw new MinerConnectionError('refused', {
          cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
        });
      device.reboot();
      return { accepted: true, detail: 'connection dropped after sending' };
    };
    const pending = h.manager.restartMiner('m1');
    await h.clock.advance(1000);
    expect((await pending).state).toBe('restarting');
    expect(attempt).toBe(2);
  });

  it('resends when the refusal comes wrapped (happy-eyeballs AggregateError), as the transport judges it', async () => {
    const { h, device } = await running();
    let attempt = 0;
    h.driver.restartBehaviour = async () => {
      attempt += 1;
      if (attempt === 1) {
        const refused = (address: string) =>
          Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
        throw new MinerConnectionError('refused', {
          cause: new AggregateError([refused('10.0.0.1:80'), refused('[fe80::1]:80')]),
        });
      }
      device.reboot();
      return { accepted: true, detail: 'sent on the second try' };
    };
    const pending = h.manager.restartMiner('m1');
    await h.clock.advance(1000);
    expect((await pending).detail).toBe('sent on the second try');
    expect(attempt).toBe(2);
    await stopWithClock(h);
  });

  it("goes through the miner's one breaker: every send is a call of miner_operations:<id>", async () => {
    const { h, device } = await running();
    const breaker = h.retryManager.getCircuitBreaker('miner_operations:m1');
    const before = breaker.stats().calls;
    let attempt = 0;
    h.driver.restartBehaviour = async () => {
      attempt += 1;
      if (attempt === 1)
        throw new MinerConnectionError('refused', {
          cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
        });
      device.reboot();
      return { accepted: true, detail: 'ok' };
    };
    const pending = h.manager.restartMiner('m1');
    await h.clock.advance(1000);
    await pending;
    expect(breaker.stats().calls - before).toBe(2);
    expect(breaker.stats().lastFailureTime).not.toBeNull();
    await stopWithClock(h);
  });

  it('a timeout after sending is not resent: the uptime decides', async () => {
    const { h, device } = await running();
    h.driver.restartBehaviour = async () => {
      device.reboot();
      throw new MinerTimeoutError('no answer', { timeoutMs: 5000 });
    };
    const status = await h.manager.restartMiner('m1');
    expect(status.detail).toContain('watching the uptime');
    expect(h.driver.restartCalls).toBe(1);
    await h.clock.advance(4000);
    expect(h.manager.getMiner('m1')?.restart?.state).toBe('confirmed');
    await stopWithClock(h);
  });

  it('is BREAKER_OPEN naming the breaker that refused the command', async () => {
    const { h } = await running();
    h.driver.restartBehaviour = async () => {
      throw new CircuitOpenError('refused', {
        breakerName: 'miner_operations:m1',
        retryAfterMs: 42_000,
      });
    };
    const error = await expectCode(h.manager.restartMiner('m1'), 'BREAKER_OPEN');
    expect(error.message).toContain('miner_operations:m1');
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(42_000);
    // Nothing went out: no restart is being watched, and no resend was tried.
    expect(h.driver.restartCalls).toBe(1);
    expect(h.manager.getMiner('m1')?.restart).toBeNull();
    expect(h.manager.getMiner('m1')?.status).toBe('online');
    await stopWithClock(h);
  });

  it('is refused at once while the breaker is open', async () => {
    const h = createHarness({ breaker: { failureThreshold: 1 } });
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    await h.manager.start();
    await h.clock.advance(10_000);
    const error = await expectCode(h.manager.restartMiner('m1'), 'BREAKER_OPEN');
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(0);
    expect(error.message).toContain('miner_operations:m1');
    expect(h.driver.restartCalls).toBe(0);
    await expectCode(h.manager.restartMiner('zzz'), 'MINER_NOT_FOUND');
    await stopWithClock(h);
  });
});
