/** Coloured labels for miner status and breaker state; colour is never the only signal. */
import type { MinerView } from '../types.js';

export const STATUS_LABEL: Readonly<Record<MinerView['status'], string>> = {
  online: 'online',
  degraded: 'degraded',
  not_hashing: 'not hashing',
  paused: 'paused',
  offline: 'offline',
  restarting: 'restarting',
  breaker_open: 'breaker open',
  disabled: 'disabled',
  unknown: 'unknown',
};

const STATUS_TONE: Readonly<Record<MinerView['status'], string>> = {
  online: 'good',
  degraded: 'warn',
  not_hashing: 'bad',
  paused: 'muted',
  offline: 'bad',
  restarting: 'info',
  breaker_open: 'bad',
  disabled: 'muted',
  unknown: 'muted',
};

export function StatusBadge({ status, reason }: { status: MinerView['status']; reason?: string | null }) {
  return (
    <span
      class={`badge tone-${STATUS_TONE[status] ?? 'muted'}`}
      title={reason ?? undefined}
      data-status={status}
    >
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

const BREAKER_TONE: Readonly<Record<string, string>> = { closed: 'good', half_open: 'warn', open: 'bad' };

export function BreakerBadge({ state }: { state: string | null | undefined }) {
  if (state === null || state === undefined) return <span class="muted">—</span>;
  return (
    <span class={`badge tone-${BREAKER_TONE[state] ?? 'muted'}`} data-breaker={state}>
      {state.replace('_', '-')}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  const tone = severity === 'critical' ? 'bad' : severity === 'warning' ? 'warn' : 'info';
  return <span class={`badge tone-${tone}`}>{severity}</span>;
}
