import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRollout } from './planRollout.js';

const rollouts = fc.record({ canary: fc.nat({ max: 20 }), batchSize: fc.integer({ min: 1, max: 20 }) });
const ids = fc.array(fc.string(), { maxLength: 200 });

describe('planRollout', () => {
  it('keeps every miner once, in the order given', () => {
    fc.assert(
      fc.property(ids, rollouts, (items, rollout) => {
        expect(planRollout(items, rollout).flat()).toEqual(items);
      }),
    );
  });

  it('puts min(canary, n) miners first, alone', () => {
    fc.assert(
      fc.property(ids, rollouts, (items, rollout) => {
        const batches = planRollout(items, rollout);
        const canary = Math.min(rollout.canary, items.length);
        if (canary > 0) expect(batches[0]).toHaveLength(canary);
        const rest = canary > 0 ? batches.slice(1) : batches;
        // Every later batch is full but the last, and none is empty.
        rest.forEach((batch, i) => {
          expect(batch.length).toBeGreaterThan(0);
          if (i < rest.length - 1) expect(batch).toHaveLength(rollout.batchSize);
          else expect(batch.length).toBeLessThanOrEqual(rollout.batchSize);
        });
        expect(rest.length).toBe(Math.ceil((items.length - canary) / rollout.batchSize));
      }),
    );
  });

  it('plans nothing for no miners', () => {
    expect(planRollout([], { canary: 1, batchSize: 5 })).toEqual([]);
  });

  it('gives 1 + 5 + 5 + 1 for twelve miners by default', () => {
    const plan = planRollout([...'abcdefghijkl'], { canary: 1, batchSize: 5 });
    expect(plan.map((b) => b.join(''))).toEqual(['a', 'bcdef', 'ghijk', 'l']);
  });

  it('names a bad option', () => {
    expect(() => planRollout([1], { canary: -1, batchSize: 5 })).toThrow(/`canary`/);
    expect(() => planRollout([1], { canary: 1, batchSize: 0 })).toThrow(/`batchSize`/);
    expect(() => planRollout([1], { canary: 1.5, batchSize: 2 })).toThrow(/`canary`/);
  });
});
