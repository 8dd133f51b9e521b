import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, DEFAULT_RETENTION, resolveOptions } from './options.js';

describe('resolveOptions', () => {
  it('fills the defaults', () => {
    const resolved = resolveOptions({ path: 'x.db' });
    expect(resolved).toMatchObject({ ...DEFAULT_OPTIONS, path: 'x.db', retention: DEFAULT_RETENTION });
  });

  it('names the option at fault', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ path: '' }, /`path`/],
      [{ path: 'x', batchSize: 0 }, /`batchSize`/],
      [{ path: 'x', flushIntervalMs: 1.5 }, /`flushIntervalMs`/],
      [{ path: 'x', maxQueued: 10, batchSize: 100 }, /`maxQueued`.*`batchSize`/],
      [{ path: 'x', retention: { rawMs: -1 } }, /`retention.rawMs`/],
      [{ path: 'x', retention: { rawMs: 10, minuteMs: 5 } }, /`retention`/],
      [{ path: 'x', synchronous: 'OFF' }, /`synchronous`/],
      [{ path: 'x', cacheSizeKiB: 0 }, /`cacheSizeKiB`/],
      [{ path: 'x', cacheSizeKiB: '64M' }, /`cacheSizeKiB`/],
      [{ path: 'x', onDrop: 'log' }, /`onDrop`/],
      [{ path: 'x', clock: { now: () => 0 } }, /`clock`/],
    ];
    for (const [options, message] of cases) {
      expect(() => resolveOptions(options as never)).toThrow(message);
    }
  });

  it('keeps a table forever with null', () => {
    expect(resolveOptions({ path: 'x', retention: { minuteMs: null } }).retention).toEqual({
      rawMs: DEFAULT_RETENTION.rawMs,
      minuteMs: null,
      hourMs: null,
      eventsMs: DEFAULT_RETENTION.eventsMs,
    });
  });
});
