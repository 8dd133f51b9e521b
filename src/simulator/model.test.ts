import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinerModel, RESET_REASON_POWER_ON, RESET_REASON_SOFTWARE } from './model.js';
import { bestOfShares, seededRandom } from './random.js';
import { ManualClock } from './testClients.js';

function model(clock: ManualClock, extra: Partial<ConstructorParameters<typeof MinerModel>[0]> = {}) {
  return new MinerModel({
    clock,
    random: seededRandom(7),
    mac: 'AA:BB:CC:DD:EE:FF',
    hostname: 'bitaxe-test',
    initialUptimeSeconds: 0,
    firstJobDelayMs: 0,
    ...extra,
  });
}

describe('Pareto law of share difficulty', () => {
  it('one share exceeds d with probability poolDiff / d', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 1.5, max: 100, noNaN: true }),
        (seed, poolDiff, ratio) => {
          const random = seededRandom(seed);
          const n = 4000;
          let above = 0;
          for (let i = 0; i < n; i += 1) if (bestOfShares(random, poolDiff, 1) > poolDiff * ratio) above += 1;
          const p = 1 / ratio;
          // Five standard deviations of a binomial proportion: a real bug moves it far more.
          expect(Math.abs(above / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-9);
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });

  it('the best of n shares exceeds d with probability 1 - (1 - poolDiff/d)^n', () => {
    const random = seededRandom(3);
    const poolDiff = 1000;
    const n = 500;
    const d = poolDiff * n; // median-ish: P = 1 - (1 - 1/n)^n ~ 0.632
    const trials = 5000;
    let above = 0;
    for (let i = 0; i < trials; i += 1) if (bestOfShares(random, poolDiff, n) > d) above += 1;
    const p = 1 - (1 - poolDiff / d) ** n;
    expect(Math.abs(above / trials - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / trials));
  });

  it('never reports a best share below the pool difficulty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (seed, shares) => {
        expect(bestOfShares(seededRandom(seed), 512, shares)).toBeGreaterThanOrEqual(512);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('MinerModel', () => {
  it('expects frequency x small cores x chips / 1000 GH/s', () => {
    const m = model(new ManualClock(), { frequencyMhz: 500, smallCoreCount: 1000, asicCount: 4 });
    expect(m.expectedHashrateGh).toBe(2000);
  });

  it('finds shares at hashrate / (poolDiff x 2^32) per second', () => {
    const clock = new ManualClock();
    const m = model(clock, { poolDifficulty: 256 });
    const hours = 2;
    clock.advance(hours * 3600_000);
    const s = m.snapshot();
    const expected = m.sharesPerSecond * hours * 3600;
    expect(m.sharesPerSecond).toBeCloseTo((m.expectedHashrateGh * 1e9) / (256 * 2 ** 32), 9);
    // Poisson: five standard deviations.
    expect(Math.abs(s.sharesAccepted + s.sharesRejected - expected)).toBeLessThan(5 * Math.sqrt(expected));
  });

  it('a zombie keeps reporting hashrate but finds nothing; a reboot heals it', () => {
    const clock = new ManualClock();
    const m = model(clock, { poolDifficulty: 256 });
    clock.advance(600_000);
    const before = m.snapshot();
    m.setMiningFault('zombie');
    clock.advance(3_600_000);
    const during = m.snapshot();
    expect(during.sharesAccepted).toBe(before.sharesAccepted);
    expect(during.bestSessionDiff).toBe(before.bestSessionDiff);
    expect(during.hashrateGh).toBeGreaterThan(0.8 * m.expectedHashrateGh);
    m.rebootNow();
    expect(m.miningFault).toBeNull();
    clock.advance(600_000);
    expect(m.snapshot().sharesAccepted).toBeGreaterThan(0);
  });

  it('a stuck share counter stops counting while the device still mines (its best still moves)', () => {
    const clock = new ManualClock();
    const m = model(clock, { poolDifficulty: 256 });
    clock.advance(600_000);
    const before = m.snapshot();
    m.setMiningFault('stuck_share_counter');
    clock.advance(6 * 3_600_000);
    const during = m.snapshot();
    expect(during.sharesAccepted).toBe(before.sharesAccepted);
    expect(during.bestSessionDiff).toBeGreaterThan(before.bestSessionDiff);
  });

  it('grows the best difficulty only upward and keeps it at least the pool difficulty', () => {
    const clock = new ManualClock();
    const m = model(clock, { poolDifficulty: 1000 });
    let last = 0;
    for (let i = 0; i < 50; i += 1) {
      clock.advance(60_000);
      const s = m.snapshot();
      expect(s.bestSessionDiff).toBeGreaterThanOrEqual(last);
      last = s.bestSessionDiff;
    }
    expect(last).toBeGreaterThanOrEqual(1000);
  });

  it('warms up after boot: temperatures follow uptime and load', () => {
    const clock = new ManualClock();
    const m = model(clock, { ambientC: 20, temperatureRiseC: 40, hashrateNoise: 0 });
    const cold = m.snapshot().chipTempC;
    clock.advance(30 * 60_000);
    const warm = m.snapshot().chipTempC;
    expect(cold).toBeLessThan(23);
    expect(warm).toBeGreaterThan(55);
    const idle = model(new ManualClock(), { ambientC: 20, frequencyMhz: 0, initialUptimeSeconds: 3600 });
    expect(idle.snapshot().chipTempC).toBeLessThan(23);
  });

  it('a reboot resets uptime, session counters and resetReason, but not the all-time best', () => {
    const clock = new ManualClock();
    const m = model(clock, { initialUptimeSeconds: 3600, initialBestDiff: 5e9 });
    const before = m.snapshot();
    expect(before.uptimeSeconds).toBe(3600);
    expect(before.resetReason).toBe(RESET_REASON_POWER_ON);
    m.scheduleReboot(1000);
    clock.advance(999);
    expect(m.snapshot().uptimeSeconds).toBe(3600);
    clock.advance(1);
    const after = m.snapshot();
    expect(after.uptimeSeconds).toBe(0);
    expect(after.sharesAccepted).toBe(0);
    expect(after.bestSessionDiff).toBe(0);
    expect(after.bestDiff).toBeGreaterThanOrEqual(5e9);
    expect(after.resetReason).toBe(RESET_REASON_SOFTWARE);
    expect(after.bootCount).toBe(1);
  });

  it('answers nothing while booting, and network data only once a job arrived', () => {
    const clock = new ManualClock();
    const m = model(clock, { bootTimeMs: 5000, firstJobDelayMs: 2000 });
    m.rebootNow();
    expect(m.isUp()).toBe(false);
    clock.advance(5000);
    expect(m.isUp()).toBe(true);
    expect(m.snapshot().jobArrived).toBe(false);
    clock.advance(2000);
    expect(m.snapshot().jobArrived).toBe(true);
  });

  it('names the option it refuses', () => {
    expect(() => model(new ManualClock(), { poolDifficulty: -1 })).toThrow(/poolDifficulty/);
  });
});
