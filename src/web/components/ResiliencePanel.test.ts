import { describe, expect, it } from 'vitest';
import type { BreakerStatsView } from '../types.js';
import { breakersToShow } from './ResiliencePanel.js';

const breaker = (name: string, state: BreakerStatsView['state'] = 'closed'): BreakerStatsView => ({
  name,
  state,
  failureCount: 0,
});

describe('breakersToShow', () => {
  it('shows every breaker of a small fleet', () => {
    const few = [breaker('database'), breaker('miner_operations:a'), breaker('miner_operations:b', 'open')];
    expect(breakersToShow(few, '')).toEqual(few);
  });

  it("leads a farm's panel with what is not closed and the app's own, and finds any other by name", () => {
    const farm = [
      breaker('database'),
      breaker('http_requests:https://ntfy.sh'),
      ...Array.from({ length: 1000 }, (_, i) =>
        breaker(`miner_operations:m${i}`, i === 7 ? 'open' : 'closed'),
      ),
    ];
    expect(breakersToShow(farm, '').map((b) => b.name)).toEqual([
      'database',
      'http_requests:https://ntfy.sh',
      'miner_operations:m7',
    ]);
    expect(breakersToShow(farm, 'M999').map((b) => b.name)).toEqual(['miner_operations:m999']);
  });
});
