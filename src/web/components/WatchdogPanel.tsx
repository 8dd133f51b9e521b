/**
 * The watchdog on the dashboard: whether it restarts unwell miners, how often it may, and where
 * that choice comes from. A change here is applied at once and kept by the server (watchdog.json in
 * the data directory), winning over the config file until "Use the config file" is pressed.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import type { WatchdogSettings, WatchdogView } from '../types.js';

const MINUTE_MS = 60_000;

function describe(settings: WatchdogSettings): string {
  if (!settings.enabled) return 'Off: unwell miners are reported, never restarted.';
  const minutes = Math.round(settings.cooldownMs / MINUTE_MS);
  return (
    `On: restarts a miner that is not hashing, stalled or too hot, at most ${settings.maxRestartsPerHour} ` +
    `times an hour and ${minutes} min apart; past that it gives up and alerts.`
  );
}

export function WatchdogPanel() {
  const [view, setView] = useState<WatchdogView | null>(null);
  const [missing, setMissing] = useState(false);
  const [perHour, setPerHour] = useState('');
  const [cooldown, setCooldown] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const show = (next: WatchdogView) => {
    setView(next);
    setPerHour(String(next.settings.maxRestartsPerHour));
    setCooldown(String(Math.round(next.settings.cooldownMs / MINUTE_MS)));
  };

  useEffect(() => {
    const controller = new AbortController();
    api.settings(controller.signal).then(
      (settings) => show(settings.watchdog),
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiFailure(failure) && failure.status === 404) setMissing(true);
        else setError(isApiFailure(failure) ? failure.message : String(failure));
      },
    );
    return () => controller.abort();
  }, []);

  if (missing) return null;

  const change = async (body: Partial<WatchdogSettings> | { useConfig: true }) => {
    setBusy(true);
    setError(null);
    try {
      show(await api.updateWatchdog(body));
    } catch (failure) {
      setError(isApiFailure(failure) ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: Event) => {
    event.preventDefault();
    const maxRestartsPerHour = Number(perHour);
    const minutes = Number(cooldown);
    if (!Number.isInteger(maxRestartsPerHour) || maxRestartsPerHour < 1) {
      setError('restarts per hour: a whole number, 1 or more');
      return;
    }
    if (!Number.isFinite(minutes) || minutes < 0) {
      setError('minutes between restarts: a number, 0 or more');
      return;
    }
    void change({ maxRestartsPerHour, cooldownMs: Math.round(minutes * MINUTE_MS) });
  };

  return (
    <section class="panel watchdog" aria-labelledby="watchdog-title">
      <h2 id="watchdog-title">Watchdog</h2>
      {view === null ? (
        <p class="muted">{error ?? 'Loading…'}</p>
      ) : (
        <>
          <p data-testid="watchdog-state">{describe(view.settings)}</p>
          <form class="inline" onSubmit={save} noValidate>
            <button
              type="button"
              disabled={busy}
              onClick={() => void change({ enabled: !view.settings.enabled })}
            >
              {view.settings.enabled ? 'Turn off' : 'Turn on'}
            </button>
            <label>
              Restarts per hour{' '}
              <input
                name="maxRestartsPerHour"
                type="number"
                min={1}
                step={1}
                value={perHour}
                onInput={(e) => setPerHour((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <label>
              Minutes apart{' '}
              <input
                name="cooldownMinutes"
                type="number"
                min={0}
                value={cooldown}
                onInput={(e) => setCooldown((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              Save
            </button>
          </form>
          <p class="muted" data-testid="watchdog-source">
            {view.source === 'config' ? (
              'From the config file (watchdog:).'
            ) : (
              <>
                Set here; kept by the server and used instead of the config file.{' '}
                <button
                  type="button"
                  class="link"
                  disabled={busy}
                  onClick={() => void change({ useConfig: true })}
                >
                  Use the config file
                </button>
              </>
            )}
          </p>
          {error === null ? null : (
            <p class="text-bad" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
