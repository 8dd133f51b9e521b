/**
 * The contract every driver passes, against the simulator (written from the device references,
 * not from the drivers). One suite, run for each device kind and for AxeOS releases old and new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriverRegistry, type DriverRegistry, type MinerEndpoint } from '../../src/miners/index.js';
import {
  type SimulatedDevice,
  startAxeosDevice,
  startCgminerDevice,
  startNerdQaxeDevice,
} from '../../src/simulator/index.js';
import { SteppingClock } from './helpers.js';

interface Case {
  readonly name: string;
  readonly kind: 'axeos' | 'nerdqaxe' | 'cgminer' | 'whatsminer';
  readonly start: () => Promise<SimulatedDevice>;
  /** The firmware reports a MAC. */
  readonly mac: boolean;
  /** The device keeps its own history (AxeOS v2.8+). */
  readonly history: 'none' | 'empty' | 'points';
  /** The firmware reports a chip temperature (LuxOS and Braiins on these boards do not). @default true */
  readonly chipTemperature?: boolean;
  /** solowatch can restart it (a Whatsminer needs its admin password). @default true */
  readonly restarts?: boolean;
}

const RESTART_DELAY_MS = 30;
const axeos = (firmware: string, mac: boolean, history: Case['history']): Case => ({
  name: `AxeOS v${firmware}`,
  kind: 'axeos',
  start: () => startAxeosDevice({ firmware, restartDelayMs: RESTART_DELAY_MS, seed: 7 }),
  mac,
  history,
});

const CASES: readonly Case[] = [
  axeos('2.0', false, 'empty'),
  axeos('2.4', true, 'empty'),
  axeos('2.8', true, 'points'),
  axeos('2.10', true, 'points'),
  axeos('2.12', true, 'points'),
  axeos('2.15', true, 'points'),
  {
    name: 'NerdQAxe++',
    kind: 'nerdqaxe',
    start: () => startNerdQaxeDevice({ restartDelayMs: RESTART_DELAY_MS, seed: 8 }),
    mac: true,
    history: 'none',
  },
  {
    name: 'cgminer (Antminer-like, MHS)',
    kind: 'cgminer',
    start: () =>
      startCgminerDevice({
        variant: 'cgminer',
        allowPrivileged: true,
        restartDelayMs: RESTART_DELAY_MS,
        seed: 9,
      }),
    mac: false,
    history: 'none',
  },
  {
    name: 'cgminer fork (GHS, refuses joined commands)',
    kind: 'cgminer',
    start: () =>
      startCgminerDevice({
        variant: 'ghs',
        rejectJoinedCommands: true,
        allowPrivileged: true,
        restartDelayMs: RESTART_DELAY_MS,
        seed: 10,
      }),
    mac: false,
    history: 'none',
  },
  {
    name: 'Avalon Nano 3',
    kind: 'cgminer',
    start: () => startCgminerDevice({ variant: 'avalon', restartDelayMs: RESTART_DELAY_MS, seed: 11 }),
    mac: true,
    history: 'none',
  },
  ...(
    [
      ['Avalon Nano 3s', 'avalon-nano3s', true, true],
      ['Avalon Q (MM ID0:Summary)', 'avalon-q', true, true],
      ['AvalonMiner A1246', 'avalon-a1246', true, true],
      ['AvalonMiner A1566 (A15)', 'avalon-a15', true, true],
      ['Antminer S19 Pro, stock bmminer', 'antminer', false, true],
      ['Antminer S19k Pro, LuxOS', 'luxos', false, false],
      ['Antminer S9, Braiins OS+', 'braiins', false, false],
    ] as const
  ).map(
    ([name, variant, mac, chipTemperature], i): Case => ({
      name,
      kind: 'cgminer',
      start: () =>
        startCgminerDevice({
          variant,
          allowPrivileged: true,
          restartDelayMs: RESTART_DELAY_MS,
          seed: 20 + i,
        }),
      mac,
      history: 'none',
      chipTemperature,
    }),
  ),
  {
    name: 'Whatsminer (btminer API)',
    kind: 'whatsminer',
    start: () => startCgminerDevice({ variant: 'whatsminer', restartDelayMs: RESTART_DELAY_MS, seed: 30 }),
    mac: true,
    history: 'none',
    restarts: false,
  },
];

async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(CASES)('driver contract: $name', (c) => {
  let device: SimulatedDevice;
  let registry: DriverRegistry;
  let endpoint: MinerEndpoint;
  const clock = new SteppingClock();

  beforeAll(async () => {
    device = await c.start();
    registry = createDriverRegistry({ clock });
    endpoint = { host: device.host, port: device.port };
  });
  afterAll(async () => {
    await registry.close();
    await device.close();
  });

  it('is detected as its kind, with its identity', async () => {
    const { driver, identity } = await registry.detect(endpoint);
    expect(driver.kind).toBe(c.kind);
    expect(identity.kind).toBe(c.kind);
    expect(identity.mac).toBe(c.mac ? device.mac : null);
    expect(identity.firmware).not.toBeNull();
  });

  it("answers its own driver's detect, and no other driver's", async () => {
    for (const driver of registry.list()) {
      const identity = await driver.detect(endpoint, { maxAttempts: 1, timeoutMs: 1000 });
      if (driver.kind === c.kind) expect(identity?.kind).toBe(c.kind);
      else expect(identity).toBeNull();
    }
  });

  it('reads a complete, warning-free sample', async () => {
    const driver = registry.get(c.kind);
    const sample = await driver?.readSample(endpoint);
    expect(sample).toBeDefined();
    if (sample === undefined) return;
    expect(sample.kind).toBe(c.kind);
    expect(sample.timestamp).toBe(clock.now());
    expect(sample.hashrateGhs).toBeGreaterThan(0);
    expect(sample.sharesAccepted).toBeGreaterThanOrEqual(0);
    expect(sample.sharesRejected).toBeGreaterThanOrEqual(0);
    expect(sample.uptimeS).toBeGreaterThan(0);
    if (c.chipTemperature === false) {
      expect(sample.temperatureC).toBeNull();
      expect(sample.boardTemperaturesC.length).toBeGreaterThan(0);
    } else expect(sample.temperatureC).toBeGreaterThan(0);
    // Every cgminer firmware and btminer report fans (an AxeOS v2.0 board may not).
    if (c.kind === 'cgminer' || c.kind === 'whatsminer') expect(sample.fanRpm.length).toBeGreaterThan(0);
    expect(sample.bestDifficulty).toBeGreaterThan(0);
    expect(sample.firmware).not.toBeNull();
    expect(sample.poolUrl).toMatch(/^stratum\+(tcp|ssl):\/\//);
    expect(sample.mac).toBe(c.mac ? device.mac : null);
    expect(sample.backfilled).toBe(false);
    expect(sample.warnings).toEqual([]);
  });

  it('reads the same identity on its own', async () => {
    const identity = await registry.get(c.kind)?.readIdentity(endpoint);
    expect(identity?.kind).toBe(c.kind);
    expect(identity?.mac).toBe(c.mac ? device.mac : null);
  });

  it('reads its history since boot in epoch ms, when it keeps one', async () => {
    const driver = registry.get(c.kind);
    if (c.history === 'none') {
      expect(driver?.readHistory).toBeUndefined();
      return;
    }
    const points = (await driver?.readHistory?.(endpoint)) ?? [];
    if (c.history === 'empty') {
      expect(points).toEqual([]);
      return;
    }
    expect(points.length).toBeGreaterThan(0);
    const sample = await driver?.readSample(endpoint);
    const bootAt = clock.now() - (sample?.uptimeS ?? 0) * 1000;
    for (const point of points) {
      expect(point.timestamp).toBeLessThanOrEqual(clock.now());
      expect(point.timestamp).toBeGreaterThanOrEqual(bootAt - 2000);
      expect(point.values.hashrate).toBeGreaterThan(0);
    }
  });

  it('restarts: accepted, then the uptime starts again', async () => {
    const driver = registry.get(c.kind);
    if (c.restarts === false) {
      const before = device.requestCount;
      const result = await driver?.restart(endpoint);
      expect(result?.accepted).toBe(false);
      expect(result?.detail).toMatch(/password/);
      expect(device.requestCount).toBe(before);
      return;
    }
    const before = (await driver?.readSample(endpoint))?.uptimeS ?? 0;
    const result = await driver?.restart(endpoint);
    expect(result?.accepted).toBe(true);
    expect(result?.detail).not.toBe('');
    const after = await eventually(
      async () =>
        (await driver?.readSample(endpoint, { maxAttempts: 1, timeoutMs: 1000 }))?.uptimeS ?? Number.NaN,
      (uptime) => uptime < before,
    );
    expect(after).toBeLessThan(before);
  });
});
