/** Every circuit breaker the app keeps, with its counters and a way to close it by hand. */
import { useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { DASH, formatAgo, formatCount, formatIn } from '../format.js';
import { store } from '../store.js';
import type { BreakerStatsView } from '../types.js';
import { BreakerBadge } from './Badge.js';

function BreakerRow({ breaker, now }: { breaker: BreakerStatsView; now: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.resetBreaker(breaker.name);
      await store.refresh('breakers');
      store.schedule('miners');
    } catch (e) {
      setError(isApiFailure(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const threshold = breaker.config?.failureThreshold;
  return (
    <tr data-breaker-name={breaker.name}>
      <td data-label="Breaker" class="breaker-name">
        {breaker.name}
      </td>
      <td data-label="State">
        <BreakerBadge state={breaker.state} />
      </td>
      <td data-label="Failures" class="num">
        {breaker.failureCount}
        {threshold === undefined ? '' : `/${threshold}`}
      </td>
      <td data-label="Calls" class="wide-only num">
        {formatCount(breaker.calls)}
      </td>
      <td data-label="Refused" class="wide-only num">
        {formatCount(breaker.refusals)}
      </td>
      <td data-label="Retries" class="wide-only num">
        {formatCount(breaker.retries)}
      </td>
      <td data-label="Last failure" class="wide-only">
        {formatAgo(breaker.lastFailureTime, now)}
      </td>
      <td data-label="Next attempt">
        {breaker.state === 'open' ? formatIn(breaker.nextAttemptAt, now) : DASH}
      </td>
      <td class="actions">
        <button type="button" class="small" onClick={reset} disabled={busy} data-action="reset-breaker">
          {busy ? 'Resetting…' : 'Reset'}
        </button>
        {error === null ? null : (
          <div class="error" role="alert">
            {error}
          </div>
        )}
      </td>
    </tr>
  );
}

export function ResiliencePanel({ breakers, now }: { breakers: readonly BreakerStatsView[]; now: number }) {
  const open = breakers.filter((b) => b.state !== 'closed').length;
  return (
    <section class="panel" id="resilience" aria-labelledby="resilience-title">
      <h2 id="resilience-title">
        Resilience{' '}
        <span class="muted count">
          {breakers.length} breakers{open > 0 ? `, ${open} not closed` : ''}
        </span>
      </h2>
      {breakers.length === 0 ? (
        <p class="empty">No breakers yet: they appear with the first call to a miner or the database.</p>
      ) : (
        <table class="breakers cards">
          <thead>
            <tr>
              <th>Breaker</th>
              <th>State</th>
              <th class="num">Failures</th>
              <th class="num">Calls</th>
              <th class="num">Refused</th>
              <th class="num">Retries</th>
              <th>Last failure</th>
              <th>Next attempt</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {breakers.map((b) => (
              <BreakerRow key={b.name} breaker={b} now={now} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
