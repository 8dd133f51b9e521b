/** Fleet actions end to end: the real app over HTTP against simulated miners. */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../waitFor.js';
import { AUTH, appOverSimulatorPerTest, untilEveryMinerReported } from './appOverSimulator.js';

const startApp = appOverSimulatorPerTest();

describe('fleet actions over HTTP', () => {
  it('restarts three simulated miners, a canary then a batch, each confirmed by its uptime', async () => {
    const app = await startApp({ fleet: { count: 3, seed: 7, restartDelayMs: 200 } });
    const { fleet, url } = app;
    await untilEveryMinerReported(app);
    const boots = fleet.devices.map((d) => d.model.bootCount);

    const posted = await fetch(`${url}/api/actions`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({
        action: 'restart',
        target: { all: true },
        rollout: { canary: 1, batchSize: 2 },
      }),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };

    const done = await waitFor('the action to finish', async () => {
      const view = (await (await fetch(`${url}/api/actions/${id}`)).json()) as {
        state: string;
        counts: Record<string, number>;
        miners: { batch: number; state: string; error: string | null }[];
      };
      return view.state === 'running' ? null : view;
    });
    expect(done.state, JSON.stringify(done)).toBe('completed');
    expect(done.counts.verified).toBe(3);
    expect(done.miners.map((m) => m.batch)).toEqual([0, 1, 1]);
    // Every device really rebooted.
    expect(fleet.devices.map((d) => d.model.bootCount)).toEqual(boots.map((n) => n + 1));

    const events = (await (
      await fetch(
        `${url}/api/miners/${(await (await fetch(`${url}/api/miners`)).json()).miners[0].id}/events`,
      )
    ).json()) as { events: { type: string }[] };
    expect(events.events.map((e) => e.type)).toContain('restart_confirmed');
  }, 30_000);
});
