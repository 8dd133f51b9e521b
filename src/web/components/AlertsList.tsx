/** Open alerts first, then the recently cleared ones, newest first. */
import { formatAgo } from '../format.js';
import { minerHref } from '../route.js';
import type { AlertRecord, ListedMiner } from '../types.js';
import { SeverityBadge } from './Badge.js';

const SHOWN = 20;

export function sortAlerts(alerts: readonly AlertRecord[]): AlertRecord[] {
  return alerts.slice().sort((a, b) => {
    const openA = a.clearedAt === null ? 0 : 1;
    const openB = b.clearedAt === null ? 0 : 1;
    return openA - openB || b.openedAt - a.openedAt;
  });
}

export function AlertsList(props: {
  alerts: readonly AlertRecord[];
  miners: readonly ListedMiner[];
  now: number;
  minerId?: string;
}) {
  const { miners, now, minerId } = props;
  const names = new Map(miners.map((m) => [m.id, m.name]));
  const alerts = sortAlerts(
    minerId === undefined ? props.alerts : props.alerts.filter((a) => a.minerId === minerId),
  );
  const open = alerts.filter((a) => a.clearedAt === null).length;
  return (
    <section class="panel" id="alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">
        Alerts <span class="muted count">{open} open</span>
      </h2>
      {alerts.length === 0 ? (
        <p class="empty">No alerts. All quiet.</p>
      ) : (
        <ul class="alerts">
          {alerts.slice(0, SHOWN).map((a) => (
            <li key={`${a.key}@${a.openedAt}`} class={a.clearedAt === null ? 'open' : 'cleared'}>
              <SeverityBadge severity={a.severity} />
              <span class="alert-message">{a.message}</span>
              <span class="muted alert-meta">
                {a.minerId !== null && minerId === undefined ? (
                  <>
                    <a href={minerHref(a.minerId)}>{names.get(a.minerId) ?? a.minerId}</a>
                    {' · '}
                  </>
                ) : null}
                {a.clearedAt === null
                  ? `since ${formatAgo(a.openedAt, now)}`
                  : `cleared ${formatAgo(a.clearedAt, now)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
