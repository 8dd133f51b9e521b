/** The page shell: header with the connection state, then the dashboard or a miner page. */
import { useEffect } from 'preact/hooks';
import type { LiveConnection } from '../live.js';
import { useRoute } from '../route.js';
import { store, useNow, useStore } from '../store.js';
import type { ListedMiner } from '../types.js';
import { AddMinerForm } from './AddMinerForm.js';
import { AlertsList } from './AlertsList.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { FleetActionsPanel } from './FleetActionsPanel.js';
import { FleetChart } from './FleetChart.js';
import { FleetTotals } from './FleetTotals.js';
import { FleetView } from './FleetView.js';
import { MinerPage } from './MinerPage.js';
import { MinerTable } from './MinerTable.js';
import { ProfilesPanel } from './ProfilesPanel.js';
import { ResiliencePanel } from './ResiliencePanel.js';
import { SchedulesPanel } from './SchedulesPanel.js';
import { TokenPrompt } from './TokenPrompt.js';
import { WatchdogPanel } from './WatchdogPanel.js';

function oldestCreatedAt(miners: readonly ListedMiner[]): number | null {
  let oldest: number | null = null;
  for (const m of miners) if (oldest === null || m.createdAt < oldest) oldest = m.createdAt;
  return oldest;
}

/**
 * A slow full re-read as a safety net under the live stream. The stream is whole on its own (each
 * new stream resends every field, and the list is read when it connects), and at 10,000 miners a
 * re-read parses megabytes on the main thread, so it is rare.
 */
const RESYNC_MS = 300_000;

export function App({ live }: { live: LiveConnection }) {
  const state = useStore();
  const route = useRoute();
  const now = useNow(1000);

  useEffect(() => {
    const timer = setInterval(() => void store.refreshAll(), RESYNC_MS);
    return () => clearInterval(timer);
  }, []);

  const openAlerts = state.alerts.filter((a) => a.clearedAt === null).length;
  const title =
    state.fleet === null
      ? 'solowatch'
      : `solowatch · ${state.fleet.miners.online}/${state.fleet.miners.total}`;
  useEffect(() => {
    document.title = openAlerts > 0 ? `(${openAlerts}) ${title}` : title;
  }, [title, openAlerts]);

  return (
    <>
      <header class="top">
        <a href="#/" class="brand">
          solowatch
        </a>
        {state.health === null ? null : (
          <span
            class={`db ${state.health.database.ok ? 'muted' : 'text-bad'}`}
            title={state.health.database.detail}
          >
            db {state.health.database.ok ? 'ok' : 'degraded'}
            {state.health.database.queued > 0 ? `, ${state.health.database.queued} queued` : ''}
            {state.health.database.dropped > 0 ? `, ${state.health.database.dropped} dropped` : ''}
          </span>
        )}
        {state.health?.mqtt ? (
          <span
            class={`mqtt ${state.health.mqtt.connected ? 'muted' : 'text-bad'}`}
            title={state.health.mqtt.lastError ?? state.health.mqtt.broker}
          >
            mqtt {state.health.mqtt.connected ? 'connected' : 'disconnected'}
            {!state.health.mqtt.connected && state.health.mqtt.lastError
              ? `: ${state.health.mqtt.lastError}`
              : ''}
          </span>
        ) : null}
        <span class="spacer" />
        <ConnectionIndicator connection={state.connection} lastEventAt={state.lastEventAt} now={now} />
      </header>
      {state.needsToken ? (
        <TokenPrompt
          onSaved={() => {
            live.reconnect();
            void store.refreshAll();
          }}
        />
      ) : null}
      {state.loadError === null ? null : (
        <p class="banner error" role="alert">
          {state.loadError}
        </p>
      )}
      {route.page === 'miner' ? (
        <MinerPage id={route.id} miners={state.miners} alerts={state.alerts} now={now} />
      ) : (
        <main class="page dashboard">
          <FleetTotals fleet={state.fleet} miners={state.miners} efficiency={state.efficiency} now={now} />
          <FleetChart oldestMinerAt={oldestCreatedAt(state.miners)} />
          <section class="panel" aria-labelledby="miners-title">
            <h2 id="miners-title">
              Miners <span class="muted count">{state.miners.length}</span>
            </h2>
            <MinerTable
              miners={state.miners}
              sparks={state.sparks}
              loaded={state.minersLoaded}
              now={now}
              energy={state.fleet?.energy ?? null}
            />
          </section>
          <FleetView miners={state.miners} />
          <FleetActionsPanel now={now} />
          <ProfilesPanel />
          <SchedulesPanel now={now} />
          <div class="columns">
            <AlertsList alerts={state.alerts} miners={state.miners} now={now} />
            <AddMinerForm />
          </div>
          <ResiliencePanel breakers={state.breakers} now={now} />
          <WatchdogPanel />
        </main>
      )}
      <footer class="muted">
        solowatch {state.health?.version ?? ''} · <a href="metrics">/metrics</a>
      </footer>
    </>
  );
}
