import { describe, expect, it } from 'vitest';
import { formatCg, formatDifficulty } from './diffFormat.js';

describe('formatDifficulty', () => {
  it('prints "%.3g%s" as v2.0-2.8 do', () => {
    expect(formatDifficulty(2_560_000_000, 'g3')).toBe('2.56G');
    expect(formatDifficulty(123_456_789, 'g3')).toBe('123M');
    expect(formatDifficulty(4_000, 'g3')).toBe('4k');
    expect(formatDifficulty(999, 'g3')).toBe('999');
    expect(formatDifficulty(1.5e15, 'g3')).toBe('1.5P');
  });
  it('prints "%.2f%s" in v2.9 and "%.2f %s" in v2.10', () => {
    expect(formatDifficulty(2_560_000_000, 'f2')).toBe('2.56G');
    expect(formatDifficulty(4_000, 'f2')).toBe('4.00k');
    expect(formatDifficulty(2_560_000_000, 'f2space')).toBe('2.56 G');
    expect(formatDifficulty(31_400_000_000_000, 'f2space')).toBe('31.40 T');
  });
  it('follows C %g, exponent form included', () => {
    expect(formatCg(999.9, 3)).toBe('1e+03');
    expect(formatCg(0.5, 3)).toBe('0.5');
    expect(formatCg(12.34, 3)).toBe('12.3');
  });
});
