import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minerView, sample } from '../../test/server/fakes.js';
import { DEFAULT_QUERY, filterChoices, type MinerQuery, naturalCompare, queryMiners } from './minerQuery.js';
import type { ListedMiner } from './types.js';

function miner(id: string, overrides: Partial<ListedMiner> = {}): ListedMiner {
  return { ...minerView(id), name: id, ...overrides } as ListedMiner;
}

const names = (miners: readonly ListedMiner[]) => miners.map((m) => m.name);
const query = (patch: Partial<MinerQuery>): MinerQuery => ({ ...DEFAULT_QUERY, ...patch });

describe('naturalCompare', () => {
  it('counts numbers in names as numbers', () => {
    expect(['sim-10', 'sim-2', 'sim-1000', 'sim-1', 'sim-100'].sort(naturalCompare)).toEqual([
      'sim-1',
      'sim-2',
      'sim-10',
      'sim-100',
      'sim-1000',
    ]);
  });
  it('is a total order over names (antisymmetric and transitive)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        expect(Math.sign(naturalCompare(a, b))).toBe(-Math.sign(naturalCompare(b, a)) || 0);
        if (naturalCompare(a, b) <= 0 && naturalCompare(b, c) <= 0) {
          expect(naturalCompare(a, c)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});

describe('queryMiners', () => {
  const fleet = [
    miner('sim-10'),
    miner('sim-2', { status: 'offline' }),
    miner('sim-1', { status: 'degraded', kind: 'cgminer', tags: ['garage'] }),
    miner('rack-7', {
      mac: 'AA:BB:CC:00:11:22',
      host: '192.168.1.77',
      hostname: 'gamma-77',
      breaker: { name: 'miner_operations:rack-7', state: 'open', failureCount: 5, nextAttemptAt: 1 },
    }),
    miner('sim-3', { status: 'disabled' }),
  ];

  it('puts problems first by default, worst first, then names in natural order', () => {
    expect(names(queryMiners(fleet, DEFAULT_QUERY))).toEqual(['sim-2', 'sim-1', 'rack-7', 'sim-3', 'sim-10']);
  });

  it('sorts by name both ways in natural order', () => {
    expect(names(queryMiners(fleet, query({ sort: 'name' })))).toEqual([
      'rack-7',
      'sim-1',
      'sim-2',
      'sim-3',
      'sim-10',
    ]);
    expect(names(queryMiners(fleet, query({ sort: 'name', direction: 'desc' })))[0]).toBe('sim-10');
  });

  it('sorts by a figure with miners that lack it last, whichever the direction', () => {
    const miners = [
      miner('a', { lastSample: sample({ hashrateGhs: 500 }) }),
      miner('b', { lastSample: null }),
      miner('c', { lastSample: sample({ hashrateGhs: 900 }) }),
    ];
    expect(names(queryMiners(miners, query({ sort: 'hashrate', direction: 'desc' })))).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(names(queryMiners(miners, query({ sort: 'hashrate', direction: 'asc' })))).toEqual([
      'a',
      'c',
      'b',
    ]);
  });

  it('filters by status, problems, kind, tag and firmware', () => {
    expect(names(queryMiners(fleet, query({ status: 'offline' })))).toEqual(['sim-2']);
    expect(names(queryMiners(fleet, query({ status: 'problems', sort: 'name' })))).toEqual([
      'rack-7',
      'sim-1',
      'sim-2',
    ]);
    expect(names(queryMiners(fleet, query({ kind: 'cgminer' })))).toEqual(['sim-1']);
    expect(names(queryMiners(fleet, query({ tag: 'garage' })))).toEqual(['sim-1']);
    const mixed = [miner('x', { lastSample: sample({ firmware: 'v2.4.0' }) }), miner('y')];
    expect(names(queryMiners(mixed, query({ firmware: 'v2.4.0' })))).toEqual(['x']);
  });

  it('searches name, address, hostname and MAC (with or without separators), ignoring case', () => {
    const found = (search: string) => names(queryMiners(fleet, query({ search })));
    expect(found('RACK')).toEqual(['rack-7']);
    expect(found('192.168.1.77')).toEqual(['rack-7']);
    expect(found('gamma')).toEqual(['rack-7']);
    expect(found('cc:00:11')).toEqual(['rack-7']);
    expect(found('cc0011')).toEqual(['rack-7']);
    expect(found('CC-00-11')).toEqual(['rack-7']);
    expect(found('nothing like it')).toEqual([]);
  });

  it('offers the kinds, tags and firmware the fleet has, in natural order', () => {
    expect(filterChoices(fleet)).toEqual({
      kinds: ['axeos', 'cgminer'],
      tags: ['garage'],
      firmwares: ['v2.12.0'],
    });
  });
});
