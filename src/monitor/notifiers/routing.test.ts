import { describe, expect, it } from 'vitest';
import { RetryManager } from '../../resilience/index.js';
import type { AlertRecord, Severity } from '../../storage/Storage.js';
import { NotificationDispatcher } from './NotificationDispatcher.js';
import type { HttpRequestSpec, Notification } from './Notifier.js';
import { createChannels } from './registry.js';
import { accepts, isQuiet, resolveQuietHours, resolveRoute } from './routing.js';

function note(condition: string, severity: Severity): Notification {
  const alert: AlertRecord = {
    key: `${condition}:m1`,
    minerId: 'm1',
    condition,
    severity,
    message: 'm1: something',
    openedAt: 0,
    lastNotifiedAt: 0,
    notifications: 1,
    clearedAt: null,
  };
  return { action: 'opened', alert, minerName: 'm1' };
}

/** 2026-01-15 at hh:mm UTC. */
const at = (hh: number, mm = 0) => Date.UTC(2026, 0, 15, hh, mm);

describe('notification routing', () => {
  it('a channel takes only the alert kinds and severities it names', () => {
    const blocks = resolveRoute({ alerts: ['block_found', 'best_difficulty_all_time'] });
    expect(accepts(blocks, null, note('block_found', 'critical'), 0)).toBe(true);
    expect(accepts(blocks, null, note('offline', 'critical'), 0)).toBe(false);
    const urgent = resolveRoute({ minSeverity: 'critical' });
    expect(accepts(urgent, null, note('offline', 'critical'), 0)).toBe(true);
    expect(accepts(urgent, null, note('hashrate_low', 'warning'), 0)).toBe(false);
    expect(accepts(resolveRoute({}), null, note('restart_confirmed', 'info'), 0)).toBe(true);
  });

  it('quiet hours hold back all but critical alerts, across midnight and in a time zone', () => {
    const quiet = resolveQuietHours({ from: '22:00', to: '07:00', timeZone: 'UTC' });
    expect(isQuiet(quiet, at(23))).toBe(true);
    expect(isQuiet(quiet, at(3))).toBe(true);
    expect(isQuiet(quiet, at(7))).toBe(false);
    expect(isQuiet(quiet, at(12))).toBe(false);
    const all = resolveRoute({});
    expect(accepts(all, quiet, note('restart_confirmed', 'info'), at(23))).toBe(false);
    expect(accepts(all, quiet, note('not_hashing', 'critical'), at(23))).toBe(true);
    expect(accepts(all, quiet, note('restart_confirmed', 'info'), at(12))).toBe(true);
    // 22:00-07:00 in New York is 03:00-12:00 UTC in January.
    const ny = resolveQuietHours({ from: '22:00', to: '07:00', timeZone: 'America/New_York' });
    expect(isQuiet(ny, at(4))).toBe(true);
    expect(isQuiet(ny, at(13))).toBe(false);
  });

  it('refuses bad routing and quiet hours by name', () => {
    expect(() => resolveRoute({ minSeverity: 'loud' as Severity })).toThrow(/minSeverity/);
    expect(() => resolveRoute({ alerts: 'offline' as never })).toThrow(/alerts/);
    expect(() => resolveQuietHours({ from: '25:00', to: '07:00' })).toThrow(/quietHours.from/);
    expect(() => resolveQuietHours({ from: '22:00', to: '07:00', timeZone: 'Mars/Olympus' })).toThrow(
      /timeZone/,
    );
    expect(() =>
      createChannels([{ kind: 'webhook', url: 'http://127.0.0.1/x', minSeverity: 'nope' as Severity }]),
    ).toThrow(/webhook.*minSeverity/);
  });

  it('the dispatcher sends each alert only to the channels that take it, and counts the rest', async () => {
    const sent: HttpRequestSpec[] = [];
    const { notifiers, routes } = createChannels([
      { kind: 'webhook', name: 'blocks', url: 'http://127.0.0.1/blocks', alerts: ['block_found'] },
      { kind: 'webhook', name: 'ops', url: 'http://127.0.0.1/ops', minSeverity: 'warning' },
    ]);
    const dispatcher = new NotificationDispatcher({
      notifiers,
      routes,
      quietHours: null,
      manager: new RetryManager(),
      send: async (request) => {
        sent.push(request);
      },
    });
    dispatcher.dispatch(note('block_found', 'critical'));
    dispatcher.dispatch(note('restart_confirmed', 'info'));
    await dispatcher.drain();
    expect(sent.map((r) => r.url).sort()).toEqual(['http://127.0.0.1/blocks', 'http://127.0.0.1/ops']);
    expect(dispatcher.stats().blocks).toMatchObject({ sent: 1, skipped: 1 });
    expect(dispatcher.stats().ops).toMatchObject({ sent: 1, skipped: 1 });
  });
});
