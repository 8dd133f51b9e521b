import { describe, expect, it } from 'vitest';
import { parseRoute } from './route.js';

describe('parseRoute', () => {
  it('reads a miner id, decoded', () => {
    expect(parseRoute('#/miners/abc%3A1')).toEqual({ page: 'miner', id: 'abc:1' });
    expect(parseRoute('#/miners/m1/')).toEqual({ page: 'miner', id: 'm1' });
  });
  it('falls back to the dashboard for anything else', () => {
    expect(parseRoute('')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/miners/')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/miners/%E0%A4%A')).toEqual({ page: 'dashboard' });
  });
});
