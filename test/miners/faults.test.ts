/**
 * Every fault the simulator can play, seen through the drivers: the right error class, the right
 * retry behaviour, and no breaker in the transports (each miner's one breaker is the monitor's).
 */
import { describe, expect, it } from 'vitest';
import {
  createDriverRegistry,
  type DriverRegistry,
  MinerResponseError,
  ResponseTooLargeError,
} from '../../src/miners/index.js';
import { HttpStatusError, MinerConnectionError, MinerTimeoutError } from '../../src/resilience/index.js';
import {
  type FaultKind,
  type SimulatedDevice,
  startAxeosDevice,
  startCgminerDevice,
  startFleet,
} from '../../src/simulator/index.js';
import { cleanupsAfterEach, rejectionOf, SteppingClock } from './helpers.js';

const cleanups = cleanupsAfterEach();

function registry(): { registry: DriverRegistry; clock: SteppingClock } {
  const clock = new SteppingClock();
  const r = createDriverRegistry({
    clock,
    random: () => 0.5,
    http: { timeoutMs: 400 },
    cgminer: { timeoutMs: 400 },
  });
  cleanups.push(() => r.close());
  return { registry: r, clock };
}

async function track<T extends { close(): Promise<void> }>(resource: Promise<T>): Promise<T> {
  const value = await resource;
  cleanups.push(() => value.close());
  return value;
}

type Expectation = { error: new (...args: never[]) => Error; attempts: number } | 'ok' | 'ok-with-warnings';

const HTTP_FAULTS: Record<
  Exclude<
    FaultKind,
    'missingNul' | 'joinedSections' | 'trailingComma' | 'infNan' | 'statusError' | 'statusFatal'
  >,
  Expectation
> = {
  refuse: { error: MinerConnectionError, attempts: 3 },
  reset: { error: MinerConnectionError, attempts: 3 },
  hang: { error: MinerTimeoutError, attempts: 3 },
  slow: { error: MinerTimeoutError, attempts: 3 },
  http500: { error: HttpStatusError, attempts: 3 },
  http503: { error: HttpStatusError, attempts: 3 },
  malformed: { error: MinerResponseError, attempts: 1 },
  oversized: { error: ResponseTooLargeError, attempts: 1 },
  wrongTypes: 'ok-with-warnings',
  restart: { error: MinerConnectionError, attempts: 1 },
};

describe('HTTP faults (AxeOS)', () => {
  it.each(Object.entries(HTTP_FAULTS))('%s', async (fault, expected) => {
    const device = await track(
      startAxeosDevice({
        firmware: '2.15',
        faults: { rates: { [fault]: 1 }, retryAfterSeconds: 2, slowDelayMs: 100 },
      }),
    );
    const { registry: r, clock } = registry();
    const driver = r.get('axeos');
    const read = driver?.readSample(
      { host: device.host, port: device.port },
      {
        maxAttempts: fault === 'restart' ? 1 : 3,
      },
    ) as Promise<unknown>;
    if (expected === 'ok' || expected === 'ok-with-warnings') {
      const sample = (await read) as { warnings: string[]; hashrateGhs: number | null };
      expect(sample.warnings.length > 0).toBe(expected === 'ok-with-warnings');
      return;
    }
    const error = await rejectionOf(read);
    expect(error).toBeInstanceOf(expected.error);
    expect(device.requestCount).toBe(expected.attempts);
    expect(clock.sleeps).toHaveLength(expected.attempts - 1);
    if (fault === 'http503') {
      expect((error as HttpStatusError).retryAfterMs).toBe(2000);
      expect(clock.sleeps).toEqual([2000, 2000]);
    }
  });

  it('recovers within one call when a fault passes (two refusals, then an answer)', async () => {
    const device = await track(
      startAxeosDevice({ firmware: '2.12', faults: { script: [{ fault: 'refuse', count: 2 }] } }),
    );
    const { registry: r, clock } = registry();
    const sample = await r.get('axeos')?.readSample({ host: device.host, port: device.port });
    expect(sample?.hashrateGhs).toBeGreaterThan(0);
    expect(clock.sleeps).toHaveLength(2);
  });
});

const CGMINER_FAULTS: Partial<Record<FaultKind, Expectation>> = {
  refuse: { error: MinerConnectionError, attempts: 3 },
  reset: { error: MinerConnectionError, attempts: 3 },
  hang: { error: MinerTimeoutError, attempts: 3 },
  malformed: { error: MinerResponseError, attempts: 1 },
  oversized: { error: ResponseTooLargeError, attempts: 1 },
  statusError: { error: MinerResponseError, attempts: 1 },
  statusFatal: { error: MinerResponseError, attempts: 1 },
  missingNul: 'ok',
  joinedSections: 'ok-with-warnings',
  trailingComma: 'ok-with-warnings',
  infNan: 'ok-with-warnings',
};

describe('cgminer faults', () => {
  it.each(Object.entries(CGMINER_FAULTS))('%s', async (fault, expected) => {
    const device = await track(startCgminerDevice({ variant: 'cgminer', faults: { rates: { [fault]: 1 } } }));
    const { registry: r, clock } = registry();
    const read = r.get('cgminer')?.readSample({ host: device.host, port: device.port }) as Promise<unknown>;
    if (expected === 'ok' || expected === 'ok-with-warnings') {
      const sample = (await read) as { warnings: string[]; hashrateGhs: number | null };
      expect(sample.hashrateGhs).toBeGreaterThan(0);
      if (expected === 'ok-with-warnings') expect(sample.warnings.join(' ')).toMatch(/repaired/);
      else expect(sample.warnings).toEqual([]);
      return;
    }
    const error = await rejectionOf(read);
    expect(error).toBeInstanceOf((expected as { error: new () => Error }).error);
    expect(device.requestCount).toBe((expected as { attempts: number }).attempts);
    expect(clock.sleeps).toHaveLength((expected as { attempts: number }).attempts - 1);
  });
});

describe('no breakers in the transports', () => {
  // Each miner's one breaker is the monitor's `miner_operations:<id>` (DESIGN.md): the drivers'
  // transports ask a dead device every time they are told to, and leave nothing in a registry.
  it('a dead HTTP miner is asked at every call; the others are untouched', async () => {
    const fleet = await track(startFleet({ count: 2, kind: 'axeos', firmware: '2.15' }));
    const [dead, alive] = fleet.devices as [SimulatedDevice, SimulatedDevice];
    const { registry: r } = registry();
    const driver = r.get('axeos');
    dead.setFaults({ rates: { refuse: 1 } });
    for (let poll = 1; poll <= 8; poll += 1) {
      expect(
        await rejectionOf(driver?.readSample(dead, { maxAttempts: 1 }) as Promise<unknown>),
      ).toBeInstanceOf(MinerConnectionError);
      expect(dead.requestCount).toBe(poll);
      expect((await driver?.readSample(alive))?.hashrateGhs).toBeGreaterThan(0);
    }
    dead.setFaults(null);
    expect((await driver?.readSample(dead))?.hashrateGhs).toBeGreaterThan(0);
  });

  it('a dead cgminer endpoint is asked at every call', async () => {
    const device = await track(startCgminerDevice({ faults: { rates: { refuse: 1 } } }));
    const { registry: r } = registry();
    for (let poll = 1; poll <= 8; poll += 1) {
      expect(
        await rejectionOf(r.get('cgminer')?.readSample(device, { maxAttempts: 1 }) as Promise<unknown>),
      ).toBeInstanceOf(MinerConnectionError);
    }
    expect(device.requestCount).toBeGreaterThanOrEqual(8);
  });
});
