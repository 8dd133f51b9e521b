/**
 * The config's schedules: when each runs next (in its own time zone and the browser's), what it
 * does to which miners, and how its last run went. Read-only: schedules are edited in the config
 * file (docs/CONFIG.md).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { DASH, formatAgo } from '../format.js';
import type { ActionTarget, ScheduleView } from '../types.js';

function targetText(target: ActionTarget): string {
  if (target.all) return 'all miners';
  const parts: string[] = [];
  if (target.tags !== undefined && target.tags.length > 0) parts.push(`tagged ${target.tags.join(' or ')}`);
  if (target.ids !== undefined && target.ids.length > 0) parts.push(`${target.ids.length} named miners`);
  return parts.join(' and ') || DASH;
}

function when(at: number | null, zone: string): string {
  if (at === null) return DASH;
  const there = new Date(at).toLocaleString(undefined, {
    timeZone: zone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return there;
}

export function SchedulesPanel({ now }: { now: number }) {
  const [schedules, setSchedules] = useState<readonly ScheduleView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.schedules(controller.signal).then(setSchedules, (failure: unknown) => {
      if (!controller.signal.aborted) setError(isApiFailure(failure) ? failure.message : String(failure));
    });
    return () => controller.abort();
  }, []);

  return (
    <section class="panel schedules" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      {schedules === null ? (
        <p class={error === null ? 'muted' : 'error'}>{error ?? 'Loading…'}</p>
      ) : schedules.length === 0 ? (
        <p class="muted">No schedules. Add them to the config file's schedules: (docs/CONFIG.md).</p>
      ) : (
        <table class="schedule-list" aria-label="Schedules">
          <thead>
            <tr>
              <th>Name</th>
              <th>At</th>
              <th>Does</th>
              <th>To</th>
              <th>Next run</th>
              <th>Last run</th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.name} data-schedule={s.name}>
                <td>{s.name}</td>
                <td>
                  {s.at} {s.days === undefined ? 'every day' : s.days.join(', ')}{' '}
                  <span class="muted">{s.timeZone}</span>
                </td>
                <td>{s.action === 'settings' ? `apply profile ${s.profile ?? DASH}` : s.action}</td>
                <td>{targetText(s.target)}</td>
                <td data-testid="next-run">
                  {when(s.nextRunAt, s.timeZone)}{' '}
                  <span class="muted">
                    {s.nextRunAt === null
                      ? ''
                      : `(${when(s.nextRunAt, Intl.DateTimeFormat().resolvedOptions().timeZone)} here)`}
                  </span>
                </td>
                <td>
                  {s.lastRun === null
                    ? 'never'
                    : `${formatAgo(s.lastRun.at, now)}${s.lastRun.error === null ? '' : `: ${s.lastRun.error}`}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
