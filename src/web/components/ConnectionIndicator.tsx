/** Whether the page is live: a stale dashboard must never look like a healthy one. */

import { formatAgo } from '../format.js';
import type { Connection } from '../store.js';

const LABEL: Readonly<Record<Connection, string>> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  offline: 'offline',
};

export function ConnectionIndicator(props: {
  connection: Connection;
  lastEventAt: number | null;
  now: number;
}) {
  const { connection, lastEventAt, now } = props;
  const title = lastEventAt === null ? 'no update yet' : `last update ${formatAgo(lastEventAt, now)}`;
  return (
    <span class={`conn conn-${connection}`} data-connection={connection} title={title} role="status">
      <span class="dot" aria-hidden="true" />
      {LABEL[connection]}
    </span>
  );
}
