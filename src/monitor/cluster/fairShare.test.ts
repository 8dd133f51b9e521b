import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fairShare } from './fairShare.js';

describe('fairShare', () => {
  it('splits 10 miners over three instances as 4, 3, 3 by id order', () => {
    const live = ['c', 'a', 'b'];
    expect(['a', 'b', 'c'].map((me) => fairShare(10, live, me))).toEqual([4, 3, 3]);
  });

  it('counts an instance not yet in the list (its own heartbeat not seen yet)', () => {
    expect(fairShare(10, ['a'], 'b')).toBe(5);
  });

  it('gives shares that add up to the fleet and differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.nat(100_000),
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 20 }),
        (n, ids) => {
          const shares = ids.map((id) => fairShare(n, ids, id));
          expect(shares.reduce((a, b) => a + b, 0)).toBe(n);
          expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
