import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../resilience/testing.js';
import { difficultyApiUrl, NetworkDifficulty, parseDifficultyResponse } from './NetworkDifficulty.js';
import {
  computeSoloOdds,
  expectedSecondsToBlock,
  HASHES_PER_DIFFICULTY,
  probabilityOfBlock,
  SECONDS_PER_DAY,
} from './soloOdds.js';

const hashrate = fc.double({ min: 1, max: 1e21, noNaN: true });
const difficulty = fc.double({ min: 1, max: 1e16, noNaN: true });
const seconds = fc.double({ min: 0, max: 1e10, noNaN: true });

describe('solo odds', () => {
  it('is a probability in [0, 1]', () => {
    fc.assert(
      fc.property(hashrate, difficulty, seconds, (h, d, t) => {
        const p = probabilityOfBlock(h, d, t);
        return p >= 0 && p <= 1;
      }),
    );
  });

  it('never falls as hashrate or time grows', () => {
    fc.assert(
      fc.property(hashrate, hashrate, difficulty, seconds, seconds, (h1, h2, d, t1, t2) => {
        const [hLow, hHigh] = h1 <= h2 ? [h1, h2] : [h2, h1];
        const [tLow, tHigh] = t1 <= t2 ? [t1, t2] : [t2, t1];
        return (
          probabilityOfBlock(hLow, d, tHigh) <= probabilityOfBlock(hHigh, d, tHigh) &&
          probabilityOfBlock(hHigh, d, tLow) <= probabilityOfBlock(hHigh, d, tHigh)
        );
      }),
    );
  });

  it('matches the expected time: over one expected time, P = 1 - 1/e', () => {
    fc.assert(
      fc.property(hashrate, difficulty, (h, d) => {
        const t = expectedSecondsToBlock(h, d);
        fc.pre(Number.isFinite(t) && t < 1e300);
        return Math.abs(probabilityOfBlock(h, d, t) - (1 - Math.exp(-1))) < 1e-9;
      }),
    );
  });

  it('expected time is D x 2^32 / H', () => {
    fc.assert(
      fc.property(hashrate, difficulty, (h, d) => {
        const t = expectedSecondsToBlock(h, d);
        return Math.abs(t - (d * HASHES_PER_DIFFICULTY) / h) <= 1e-9 * t;
      }),
    );
  });

  it('keeps tiny probabilities instead of rounding them to zero', () => {
    // A 1 TH/s miner at difficulty 1.2e14 over a day.
    const p = probabilityOfBlock(1e12, 1.2e14, SECONDS_PER_DAY);
    const linear = (1e12 * SECONDS_PER_DAY) / (1.2e14 * 2 ** 32);
    expect(p).toBeGreaterThan(1e-7);
    expect(Math.abs(p - linear) / linear).toBeLessThan(1e-6);
  });

  it('computes the fleet view with source and age, and a sane zero', () => {
    const odds = computeSoloOdds(1000, { value: 1.2e14, source: 'miner', updatedAt: 42 });
    expect(odds.difficultySource).toBe('miner');
    expect(odds.difficultyUpdatedAt).toBe(42);
    expect(odds.probabilityDay).toBeLessThan(odds.probabilityMonth);
    expect(odds.probabilityMonth).toBeLessThan(odds.probabilityYear);
    expect(odds.expectedSecondsToBlock).toBeCloseTo((1.2e14 * 2 ** 32) / 1e12, -3);
    const none = computeSoloOdds(0, { value: 1e14, source: 'config', updatedAt: 0 });
    expect(none.expectedSecondsToBlock).toBe(Number.POSITIVE_INFINITY);
    expect(none.probabilityYear).toBe(0);
  });

  it('rejects nonsense inputs', () => {
    expect(() => probabilityOfBlock(1, 0, 1)).toThrow(/difficulty/);
    expect(() => probabilityOfBlock(-1, 1, 1)).toThrow(/hashrate/);
    expect(() => probabilityOfBlock(1, 1, Number.NaN)).toThrow(/seconds/);
  });
});

describe('network difficulty sources', () => {
  it('prefers a fresh miner value, then configuration, then the API', async () => {
    const clock = new FakeClock(1_000_000);
    const calls: string[] = [];
    const nd = new NetworkDifficulty({
      clock,
      configured: 5e13,
      api: {
        baseUrl: 'http://x/',
        getJson: async (url) => {
          calls.push(url);
          return { currentDifficulty: 9e13 };
        },
      },
      minerMaxAgeMs: 60_000,
    });
    expect(nd.current()?.source).toBe('config');
    nd.observe(1.2e14, clock.now());
    expect(nd.current()).toEqual({ value: 1.2e14, source: 'miner', updatedAt: 1_000_000 });
    await clock.advance(61_000);
    expect(nd.current()?.source).toBe('config');
    await nd.refresh();
    expect(calls).toEqual([]);
  });

  it('asks the API only when nothing better is known, and survives it being down', async () => {
    const clock = new FakeClock(0);
    let up = false;
    const nd = new NetworkDifficulty({
      clock,
      api: {
        baseUrl: 'http://mempool.local',
        refreshMs: 1000,
        getJson: async () => {
          if (!up) throw new Error('offline');
          return { currentDifficulty: 8e13 };
        },
      },
    });
    await nd.refresh();
    expect(nd.current()).toBeNull();
    expect(nd.stats().apiFailures).toBe(1);
    up = true;
    await nd.refresh();
    expect(nd.stats().apiFailures).toBe(1);
    await clock.advance(1000);
    await nd.refresh();
    expect(nd.current()).toMatchObject({ value: 8e13, source: 'api' });
  });

  it('reads the documented endpoint and refuses answers without a difficulty', () => {
    expect(difficultyApiUrl('https://mempool.space/')).toBe(
      'https://mempool.space/api/v1/mining/hashrate/3d',
    );
    expect(parseDifficultyResponse({ currentDifficulty: 1.5e14, currentHashrate: 1 })).toBe(1.5e14);
    expect(() => parseDifficultyResponse({ progressPercent: 3 })).toThrow(/currentDifficulty/);
  });
});
