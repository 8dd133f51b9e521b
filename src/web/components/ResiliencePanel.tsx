/**
 * The app's circuit breakers, with their counters and a way to close one by hand. A farm has one
 * breaker per miner: the panel leads with the ones that are not closed and the app's own (database,
 * notifiers), and finds any other by name, rather than drawing thousands of closed rows.
 */
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

/** The one breaker each miner has (DESIGN.md); its name ends with the miner's id. */
const MINER_BREAKER = 'miner_operations:';
/** Rows drawn at most; the search finds the rest. */
const MAX_ROWS = 100;
/** Up to this many breakers, every one has its row and there is no search box. */
const ALL_UP_TO = 25;

/**
 * Breakers worth a row: those whose name matches a search; else, in a small fleet, all of them;
 * else every one not closed and the app's own.
 */
export function breakersToShow(
  breakers: readonly BreakerStatsView[],
  search: string,
): readonly BreakerStatsView[] {
  const needle = search.trim().toLowerCase();
  if (needle !== '') return breakers.filter((b) => b.name.toLowerCase().includes(needle));
  if (breakers.length <= ALL_UP_TO) return breakers;
  return breakers.filter((b) => b.state !== 'closed' || !b.name.startsWith(MINER_BREAKER));
}

export function ResiliencePanel({ breakers, now }: { breakers: readonly BreakerStatsView[]; now: number }) {
  const [search, setSearch] = useState('');
  const open = breakers.filter((b) => b.state !== 'closed').length;
  const matching = breakersToShow(breakers, search);
  const shown = matching.slice(0, MAX_ROWS);
  const hidden = breakers.length - shown.length;
  return (
    <section class="panel" id="resilience" aria-labelledby="resilience-title">
      <h2 id="resilience-title">
        Resilience{' '}
        <span class="muted count">
          {breakers.length} breakers{open > 0 ? `, ${open} not closed` : ''}
        </span>
      </h2>
      {breakers.length > ALL_UP_TO ? (
        <div class="table-tools">
          <input
            type="search"
            name="breaker-search"
            placeholder="Find a breaker by name or miner id"
            aria-label="Find a breaker"
            value={search}
            onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)}
          />
          {hidden > 0 ? (
            <span class="muted shown-count">
              {formatCount(hidden)} {search === '' ? 'closed miner breakers not shown' : 'not shown'}
            </span>
          ) : null}
        </div>
      ) : null}
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
            {shown.map((b) => (
              <BreakerRow key={b.name} breaker={b} now={now} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
