import { execFileSync } from 'node:child_process';
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { HEAP_TUNING_FLAGS, tuneHeapForPolling } from './heapTuning.js';

describe('tuneHeapForPolling', () => {
  it('applies every flag when the user set none', () => {
    const set: string[] = [];
    const applied = tuneHeapForPolling({ execArgv: [], nodeOptions: '', setFlags: (f) => set.push(f) });
    expect(applied).toEqual([...HEAP_TUNING_FLAGS]);
    expect(set).toEqual([...HEAP_TUNING_FLAGS]);
  });

  it("leaves a flag the user gave on the command line or in NODE_OPTIONS to the user's value", () => {
    const set: string[] = [];
    const applied = tuneHeapForPolling({
      execArgv: ['--allocation-site-pretenuring', '--import', 'tsx'],
      nodeOptions: '--max-old-space-size=512  --heap_growing_percent=20',
      setFlags: (f) => set.push(f),
    });
    expect(applied).toEqual([]);
    expect(set).toEqual([]);
  });

  it("names flags this node's V8 knows (it ignores unknown ones silently)", () => {
    const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of HEAP_TUNING_FLAGS) {
      const name = flag.replace(/^--(no-)?/, '').replace(/=.*$/, '');
      expect(known).toContain(`--${name} (`);
    }
  });

  it('caps nothing: the heap limit stays where it was', () => {
    const limit = getHeapStatistics().heap_size_limit;
    tuneHeapForPolling({ execArgv: [], nodeOptions: '' });
    expect(getHeapStatistics().heap_size_limit).toBe(limit);
  });
});
