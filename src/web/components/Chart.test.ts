import { describe, expect, it } from 'vitest';
import { xScale } from './Chart.js';

describe('xScale', () => {
  const asked = [0, 3600] as const;
  it('ends at the end of the asked range even when data stops earlier', () => {
    expect(xScale(asked, 0, 1800)).toEqual([0, 3600]);
  });
  it('starts at the first point of a young series', () => {
    expect(xScale(asked, 3000, 3590)).toEqual([3000, 3600]);
  });
  it('keeps at least a minute visible, and the whole range without data', () => {
    expect(xScale(asked, 3599, 3599)).toEqual([3540, 3600]);
    expect(xScale(asked, null, null)).toEqual([0, 3600]);
    expect(xScale(null, 5, 9)).toEqual([5, 9]);
  });
});
