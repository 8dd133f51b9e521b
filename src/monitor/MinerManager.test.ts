import { describe, expect, it } from 'vitest';
import { MinerConnectionError, MinerTimeoutError } from '../resilience/index.js';
import { isMonitorError } from './errors.js';
import { makeSample, NotAMinerError } from './testing/FakeDriver.js';
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

describe('MinerManager: adding miners', () => {
  it('detects, stores and schedules a miner, named after its hostname', async () => {
    const h = createHarness();
    h.driver.on('10.0.0.5', () => makeSample({ mac: 'AA:00:00:00:00:05', hostname: 'gamma-5' }));
    const view = await h.manager.addMiner({ host: '10.0.0.5' });
    expect(view).toMatchObject({
      id: 'm1',
      name: 'gamma-5',
      host: '10.0.0.5',
      port: 80,
      kind: 'axeos',
      mac: 'AA:00:00:00:00:05',
      status: 'unknown',
    });
    expect(h.storage.miners.get('m1')?.mac).toBe('AA:00:00:00:00:05');
    expect(h.events.some((e) => e.type === 'miner' && e.action === 'added')).toBe(true);
  });

  it('refuses duplicates by address and by MAC; a MAC at a new address moves the miner', async () => {
    const h = createHarness();
    h.driver.on('10.0.0.5', () => makeSample({ mac: 'AA:00:00:00:00:05' }));
    h.driver.on('10.0.0.9', () => makeSample({ mac: 'AA:00:00:00:00:05' }));
    await h.manager.addMiner({ host: '10.0.0.5' });
    const byAddress = await expectCode(h.manager.addMiner({ host: '10.0.0.5', port: 80 }), 'MINER_EXISTS');
    expect(byAddress.message).toContain('10.0.0.5:80');
    // The device left its old address (DESIGN: only then does identity by MAC move it).
    h.driver.behaviours.delete('10.0.0.5');
    const byMac = await expectCode(h.manager.addMiner({ host: '10.0.0.9' }), 'MINER_EXISTS');
    expect(byMac.message).toContain('AA:00:00:00:00:05');
    expect(h.manager.getMiner('m1')?.host).toBe('10.0.0.9');
    expect(h.storage.miners.get('m1')?.host).toBe('10.0.0.9');
    expect(h.manager.listMiners()).toHaveLength(1);
  });

  it('says NOT_A_MINER when something answers that is not a miner, without retrying', async () => {
    const h = createHarness();
    let calls = 0;
    h.driver.on('10.0.0.7', () => {
      calls += 1;
      throw new NotAMinerError('GET /api/system/info answered 404');
    });
    const error = await expectCode(h.manager.addMiner({ host: '10.0.0.7' }), 'NOT_A_MINER');
    expect(error.message).toContain('404');
    expect(calls).toBe(1);
  });

  it('says MINER_UNREACHABLE after retrying through the per-miner breaker, and drops that breaker', async () => {
    const h = createHarness({ verify: { maxAttempts: 3, baseDelayMs: 1000 } });
    const breakersSeen = new Set<string>();
    h.driver.on('10.0.0.8', (endpoint) => {
      breakersSeen.add(endpoint.id ?? '');
      throw new MinerTimeoutError('timed out', { target: endpoint.host });
    });
    const adding = h.manager.addMiner({ host: '10.0.0.8', kind: 'axeos' });
    const outcome = expectCode(adding, 'MINER_UNREACHABLE');
    await h.clock.runAll();
    await outcome;
    expect(h.driver.calls).toHaveLength(3);
    expect(breakersSeen).toEqual(new Set(['m1']));
    expect(h.retryManager.has('miner_operations:m1')).toBe(false);
    expect(h.manager.listMiners()).toEqual([]);
  });

  it('refuses bad input with INVALID_INPUT naming the field', async () => {
    const h = createHarness();
    expect((await expectCode(h.manager.addMiner({ host: 'http://x' }), 'INVALID_INPUT')).message).toContain(
      'scheme',
    );
    expect(
      (await expectCode(h.manager.addMiner({ host: '10.0.0.1', port: 70_000 }), 'INVALID_INPUT')).message,
    ).toContain('port');
    expect(
      (await expectCode(h.manager.addMiner({ host: '10.0.0.1', kind: 'antminer' as never }), 'INVALID_INPUT'))
        .message,
    ).toContain('kind');
    expect((await expectCode(h.manager.addMiner({ host: '999.1.1.1' }), 'INVALID_INPUT')).message).toContain(
      'IPv4',
    );
  });

  it('without verification and without a kind, looks once and says how to add it anyway', async () => {
    const h = createHarness();
    const error = await expectCode(
      h.manager.addMiner({ host: '10.0.0.1', verify: false }),
      'MINER_UNREACHABLE',
    );
    expect(error.message).toContain('give `kind`');
    expect(h.driver.calls).toHaveLength(1);
    h.driver.on('10.0.0.1', () => makeSample());
    expect((await h.manager.addMiner({ host: '10.0.0.1', verify: false })).kind).toBe('axeos');
  });

  it('adds without verifying when asked, learning the MAC from the first poll', async () => {
    const h = createHarness();
    const view = await h.manager.addMiner({ host: '10.0.0.5', kind: 'axeos', verify: false, name: 'shed' });
    expect(view).toMatchObject({ name: 'shed', port: 80, mac: null });
    expect(h.driver.calls).toHaveLength(0);
    h.driver.on('10.0.0.5', () => makeSample({ mac: 'AA:00:00:00:00:05' }));
    await h.manager.start();
    await h.clock.advance(10_000);
    expect(h.manager.getMiner('m1')?.mac).toBe('AA:00:00:00:00:05');
    await stopWithClock(h);
  });

  it('updates name, interval and enabled, and removes', async () => {
    const h = createHarness();
    h.driver.on('10.0.0.5', () => makeSample());
    await h.manager.addMiner({ host: '10.0.0.5' });
    const updated = await h.manager.updateMiner('m1', {
      name: 'renamed',
      intervalMs: 30_000,
      enabled: false,
    });
    expect(updated).toMatchObject({
      name: 'renamed',
      intervalMs: 30_000,
      enabled: false,
      status: 'disabled',
    });
    expect((await h.manager.updateMiner('m1', { intervalMs: null })).intervalMs).toBe(10_000);
    await expectCode(h.manager.updateMiner('m1', { intervalMs: 5 }), 'INVALID_INPUT');
    await expectCode(h.manager.updateMiner('nope', { name: 'x' }), 'MINER_NOT_FOUND');
    expect(await h.manager.removeMiner('m1')).toBe(true);
    expect(await h.manager.removeMiner('m1')).toBe(false);
    expect(h.storage.miners.size).toBe(0);
  });
});

async function stopWithClock(h: ReturnType<typeof createHarness>): Promise<void> {
  const stopping = h.manager.stop();
  await h.clock.advance(20_000);
  await stopping;
}

describe('MinerManager: polling', () => {
  it('polls, stores samples, and reports status', async () => {
    const h = createHarness();
    const device = liveDevice(h.clock, 'AA:00:00:00:00:01');
    h.driver.on('10.0.0.1', device.behaviour);
    await h.manager.addMiner({ host: '10.0.0.1' });
    await h.manager.start();
    await h.clock.advance(30_000);
    expect(h.manager.getMiner('m1')?.status).toBe('online');
    expect(h.storage.metrics.length).toBeGreaterThanOrEqual(3);
    expect(h.driver.calls.at(-1)?.options).toMatchObject({ maxAttempts: 1, timeoutMs: 5000 });
    const fleet = h.manager.fleet();
    expect(fleet.miners).toEqual({ total: 1, online: 1, degraded: 0, offline: 0 });
    expect(fleet.hashrateGhs).toBe(1000);
    expect(fleet.soloOdds?.difficultySource).toBe('miner');
    expect(fleet.efficiencyJth).toBeCloseTo(15, 5);
    await stopWithClock(h);
  });

  it('backs a dead miner off through its breaker: no device calls while open, a trial after recovery', async () => {
    const h = createHarness({ breaker: { failureThreshold: 3, recoveryTimeoutMs: 60_000 } });
    h.driver.on('10.0.0.1', () => makeSample());
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    h.driver.on('10.0.0.1', (endpoint) => {
      throw new MinerConnectionError('refused', { target: endpoint.host });
    });
    await h.manager.start();
    await h.clock.advance(35_000);
    expect(h.driver.calls).toHaveLength(3);
    expect(h.manager.getMiner('m1')?.status).toBe('breaker_open');
    expect(h.manager.getMiner('m1')?.breaker?.state).toBe('open');
    await h.clock.advance(40_000);
    expect(h.driver.calls).toHaveLength(3);
    h.driver.on('10.0.0.1', () => makeSample());
    // Opened by the third failure at 25 s; the first trial is the poll at 25 + 60 = 85 s.
    await h.clock.advance(9_999);
    expect(h.driver.calls).toHaveLength(3);
    await h.clock.advance(1);
    expect(h.driver.calls).toHaveLength(4);
    expect(h.manager.getMiner('m1')?.status).toBe('online');
    const breakerEvents = h.events
      .filter((e) => e.type === 'breaker')
      .map((e) => (e.type === 'breaker' ? e.to : ''));
    expect(breakerEvents).toEqual(['open', 'half_open', 'closed']);
    await stopWithClock(h);
  });

  it('drops the answer of a miner removed while its poll was in flight', async () => {
    const h = createHarness();
    let answer: (() => void) | undefined;
    h.driver.on(
      '10.0.0.1',
      () =>
        new Promise((resolve) => {
          answer = () => resolve(makeSample());
        }),
    );
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    await h.manager.start();
    await h.clock.advance(10_000);
    expect(answer).toBeDefined();
    await h.manager.removeMiner('m1');
    answer?.();
    await h.clock.advance(1);
    await h.manager.drainBackground();
    expect(h.storage.metrics).toEqual([]);
    expect(h.events.some((e) => e.type === 'sample')).toBe(false);
    await stopWithClock(h);
  });

  it('a hanging miner never delays another miner', async () => {
    const h = createHarness({ maxConcurrentPolls: 4 });
    h.driver.on(
      '10.0.0.1',
      (_e, options) =>
        new Promise((_resolve, reject) => {
          options?.signal?.addEventListener('abort', () => reject(options.signal?.reason));
        }),
    );
    h.driver.on('10.0.0.2', () => makeSample({ mac: 'AA:00:00:00:00:02' }));
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    await h.manager.addMiner({ host: '10.0.0.2', kind: 'axeos', verify: false });
    await h.manager.start();
    await h.clock.advance(60_000);
    const healthy = h.driver.calls.filter((c) => c.endpoint.host === '10.0.0.2').map((c) => c.at);
    expect(healthy.length).toBeGreaterThanOrEqual(6);
    expect(h.manager.scheduler.stats().lateness.maxMs).toBe(0);
    await stopWithClock(h);
  });

  it('raises alerts from events, stores events, and notifies', async () => {
    const sent: unknown[] = [];
    const h = createHarness({
      notifiers: [{ kind: 'webhook', url: 'http://127.0.0.1:1/hook' }],
      notificationSend: async (request) => {
        sent.push(request.body);
      },
    });
    const device = liveDevice(h.clock, 'AA:00:00:00:00:01');
    h.driver.on('10.0.0.1', device.behaviour);
    await h.manager.addMiner({ host: '10.0.0.1' });
    await h.manager.start();
    await h.clock.advance(20_000);
    device.overrides = { maxChipTemperatureC: 80 };
    await h.clock.advance(30_000);
    expect(h.manager.getMiner('m1')?.status).toBe('degraded');
    await h.manager.notifications.drain();
    expect(sent).toHaveLength(1);
    expect(h.storage.events.map((e) => e.type)).toContain('overheating');
    expect([...h.storage.alerts.values()].map((a) => a.key)).toEqual(['overheating:m1']);
    await stopWithClock(h);
  });

  it('start restores breakers and open alerts; stop saves breakers and flushes', async () => {
    const h = createHarness({ breaker: { failureThreshold: 2 } });
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    await h.manager.start();
    await h.clock.advance(25_000);
    expect(h.manager.getMiner('m1')?.breaker?.state).toBe('open');
    await stopWithClock(h);
    expect(h.storage.snapshots.map((s) => s.name)).toEqual(['miner_operations:m1']);
    expect(h.storage.flushes).toBeGreaterThan(0);
    expect(h.clock.pendingSleeps).toBe(0);

    const again = createHarness({}, { storage: h.storage, clock: h.clock });
    await again.manager.start();
    expect(again.manager.getMiner('m1')?.breaker?.state).toBe('open');
    expect(again.manager.alerts.openAlerts().map((a) => a.key)).toEqual(['offline:m1']);
    await stopWithClock(again);
  });

  it('saves breaker state soon after it changes, not only at a clean stop', async () => {
    const h = createHarness({ breaker: { failureThreshold: 2 } });
    await h.manager.addMiner({ host: '10.0.0.1', kind: 'axeos', verify: false });
    await h.manager.start();
    await h.clock.advance(15_000);
    expect(h.manager.getMiner('m1')?.breaker?.state).toBe('open');
    expect(h.storage.snapshots).toEqual([]);
    await h.clock.advance(1000);
    await h.manager.drainBackground();
    expect(h.storage.snapshots.map((s) => s.name)).toEqual(['miner_operations:m1']);
    await stopWithClock(h);
  });

  it('backfills a gap left while the monitor was down, marked as backfilled', async () => {
    const h = createHarness();
    const device = liveDevice(h.clock, 'AA:00:00:00:00:01');
    h.driver.on('10.0.0.1', device.behaviour);
    await h.manager.addMiner({ host: '10.0.0.1' });
    const lastStored = h.clock.now() - 600_000;
    h.storage.metrics.push({ ...baseRecord, minerId: 'm1', timestamp: lastStored, uptimeS: 3000 });
    h.driver.history = [
      { timestamp: lastStored - 1000, values: { hashrate: 1 } },
      { timestamp: lastStored + 60_000, values: { hashrate: 990, asicTemp: 56, power: 15.1 } },
      { timestamp: lastStored + 120_000, values: { hashrate: 995 } },
    ];
    // A restarted monitor: the miner is loaded from storage, not added.
    const restarted = createHarness({}, { storage: h.storage, clock: h.clock });
    restarted.driver.on('10.0.0.1', device.behaviour);
    restarted.driver.history = h.driver.history;
    await restarted.manager.start();
    await restarted.clock.advance(10_000);
    await restarted.manager.drainBackground();
    const backfilled = h.storage.metrics.filter((m) => m.backfilled);
    expect(backfilled.map((m) => m.hashrateGhs)).toEqual([990, 995]);
    expect(backfilled[0]?.temperatureC).toBe(56);
    expect(h.storage.events.some((e) => e.type === 'backfilled')).toBe(true);
    await stopWithClock(restarted);
  });
});

const baseRecord = {
  hashrateGhs: 1000,
  expectedHashrateGhs: 1000,
  temperatureC: 55,
  vrTemperatureC: 60,
  powerW: 15,
  inputVoltageV: 5,
  fanRpm: 4000,
  sharesAccepted: 10,
  sharesRejected: 0,
  bestDifficulty: 1e9,
  sessionBestDifficulty: 1e8,
  backfilled: false,
};
