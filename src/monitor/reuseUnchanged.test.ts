import { describe, expect, it } from 'vitest';
import { parseAxeosInfo } from '../miners/drivers/axeos.js';
import { reuseUnchanged } from './reuseUnchanged.js';
import { makeSample } from './testing/FakeDriver.js';

/** A fresh string with the same text, as JSON.parse makes every poll. */
const copy = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

describe('reuseUnchanged', () => {
  it('keeps a first sample as it is', () => {
    const next = makeSample();
    expect(reuseUnchanged(null, next)).toBe(next);
  });

  it('shares equal strings, arrays and an unchanged raw with the previous sample', () => {
    const prev = makeSample({
      chipTemperaturesC: [60, 61],
      fanRpm: [4000],
      raw: { ssid: 'home-network', n: 1 },
    });
    const next = makeSample({
      chipTemperaturesC: [60, 61],
      fanRpm: [4100],
      raw: { ssid: copy('home-network'), n: 1 },
      hashrateGhs: 1234,
    });
    const out = reuseUnchanged(prev, next);
    expect(out).toBe(next);
    expect(out.chipTemperaturesC).toBe(prev.chipTemperaturesC);
    expect(out.fanRpm).not.toBe(prev.fanRpm);
    expect(out.fanRpm).toEqual([4100]);
    expect(out.raw).toBe(prev.raw);
    expect(out.hashrateGhs).toBe(1234);
    expect(out.warnings).toBe(prev.warnings);
  });

  it('keeps a raw with a changed, added or removed field, sharing its equal strings', () => {
    const prev = makeSample({ raw: { ssid: 'home-network', freeHeap: 100, gone: 1 } });
    const changed = reuseUnchanged(
      prev,
      makeSample({ raw: { ssid: copy('home-network'), freeHeap: 90, gone: 1 } }),
    );
    expect(changed.raw).toEqual({ ssid: 'home-network', freeHeap: 90, gone: 1 });
    expect(changed.raw).not.toBe(prev.raw);
    const removed = reuseUnchanged(prev, makeSample({ raw: { ssid: 'home-network', freeHeap: 100 } }));
    expect(removed.raw).toEqual({ ssid: 'home-network', freeHeap: 100 });
    const added = reuseUnchanged(
      prev,
      makeSample({ raw: { ssid: 'home-network', freeHeap: 100, gone: 1, x: 2 } }),
    );
    expect(added.raw).toEqual({ ssid: 'home-network', freeHeap: 100, gone: 1, x: 2 });
  });

  it('changes no value a reader can see, on real AxeOS answers', () => {
    const info = (uptime: number, pool: string): Record<string, unknown> => ({
      hostname: 'bitaxe-garage',
      macAddr: '24:58:7c:12:ff:ed',
      version: 'v2.15.0',
      ASICModel: 'BM1370',
      hashRate: 1100 + uptime,
      uptimeSeconds: uptime,
      stratumURL: pool,
      stratumPort: 3333,
      stratumUser: 'bc1q9h7garjfk5d3mlvwe8nfgtysp0vnx4a2qz6jkd.garage',
      ssid: 'home-network',
      freeHeap: 200_000 - uptime,
    });
    const prev = parseAxeosInfo(info(10, 'solo.example.org'), 1);
    const next = parseAxeosInfo(info(20, 'solo.example.org'), 2);
    const expected = structuredClone(next);
    const out = reuseUnchanged(prev, next);
    expect(out).toEqual(expected);
    expect(out.poolUser).toBe(prev.poolUser);
    const moved = parseAxeosInfo(info(30, 'other.example.org'), 3);
    expect(reuseUnchanged(out, moved).poolUrl).toBe('stratum+tcp://other.example.org:3333');
  });
});
