import { describe, expect, it } from 'vitest';
import { autoRange } from './range.js';

const HOUR = 3_600_000;

describe('autoRange', () => {
  it('fits a young fleet and caps at a day', () => {
    expect(autoRange(null, 10 * HOUR)).toBe('1h');
    expect(autoRange(10 * HOUR - 60_000, 10 * HOUR)).toBe('1h');
    expect(autoRange(0, 3 * HOUR)).toBe('6h');
    expect(autoRange(0, 20 * HOUR)).toBe('24h');
    expect(autoRange(0, 400 * HOUR)).toBe('24h');
  });
});
