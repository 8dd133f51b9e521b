import { describe, expect, it } from 'vitest';
import { ActionError } from './ActionError.js';
import { resolveTarget } from './resolveTarget.js';

const fleet = [
  { id: 'a', tags: ['garage'] },
  { id: 'b', tags: ['garage', 'solar'] },
  { id: 'c', tags: [] },
  { id: 'd' },
];

describe('resolveTarget', () => {
  it('takes the union of ids and tags, in the fleet order', () => {
    expect(resolveTarget(fleet, { ids: ['d', 'a'], tags: ['solar'] })).toEqual(['a', 'b', 'd']);
  });

  it('takes every miner for all', () => {
    expect(resolveTarget(fleet, { all: true })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('names ids that are not miners', () => {
    expect(() => resolveTarget(fleet, { ids: ['a', 'zz'] })).toThrow(/'zz'/);
  });

  it('refuses an empty target and one that matches nobody', () => {
    expect(() => resolveTarget(fleet, {})).toThrow(ActionError);
    expect(() => resolveTarget(fleet, { all: false, ids: [] })).toThrow(/ids.*tags.*all/);
    expect(() => resolveTarget(fleet, { tags: ['attic'] })).toThrow(/matches no miner.*attic/);
  });
});
