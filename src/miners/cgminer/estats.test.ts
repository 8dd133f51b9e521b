import { describe, expect, it } from 'vitest';
import { estatsNumber, estatsNumbers, parseEstats } from './estats.js';

const NANO3 =
  'Ver[nano3-24071801_42c628d] Elapsed[512943] HW[182] DH[17.306%] Temp[38] OTemp[41] TMax[87] TAvg[85] ' +
  'TarT[85] Fan1[3030] FanR[41%] PS[0 0 0 3 2792 89 324] GHSspd[2630.98] GHSmm[3203.56] GHSavg[2474.77] ' +
  'Freq[0.00] MTmax[87] MTavg[85] NETFAIL[] WORKLEVEL[1]';

describe('Avalon estats Key[value] strings', () => {
  it('parses single values as strings and space-separated ones as arrays', () => {
    const parsed = parseEstats(NANO3);
    expect(parsed.Ver).toBe('nano3-24071801_42c628d');
    expect(parsed.TMax).toBe('87');
    expect(parsed.PS).toEqual(['0', '0', '0', '3', '2792', '89', '324']);
    expect(parsed.NETFAIL).toBe('');
    expect(Object.keys(parsed)).toHaveLength(20);
  });

  it('reads numbers, percentages and lists', () => {
    const parsed = parseEstats(NANO3);
    expect(estatsNumber(parsed.FanR)).toBe(41);
    expect(estatsNumber(parsed.GHSspd)).toBe(2630.98);
    expect(estatsNumber(parsed.DH)).toBe(17.306);
    expect(estatsNumber(parsed.Missing)).toBeNull();
    expect(estatsNumber(parsed.NETFAIL)).toBeNull();
    expect(estatsNumbers(parsed.PS).at(-2)).toBe(89);
  });

  it('ignores text that is not a token', () => {
    expect(parseEstats('no tokens here ] [')).toEqual({});
  });
});
