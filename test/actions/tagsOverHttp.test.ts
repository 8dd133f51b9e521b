/**
 * Tags end to end: set through the real app's API on simulated miners, kept across a restart, and
 * read by what acts on them (a fleet action's `target.tags`, a desired-state rule's `match.tags`).
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../waitFor.js';
import {
  AUTH,
  appOverSimulatorPerTest,
  type ListedMiner,
  listMiners,
  untilEveryMinerReported,
} from './appOverSimulator.js';

const startApp = appOverSimulatorPerTest();

function patch(url: string, id: string, body: unknown): Promise<Response> {
  return fetch(`${url}/api/miners/${id}`, { method: 'PATCH', headers: AUTH, body: JSON.stringify(body) });
}

describe('tags over HTTP', () => {
  it('are set by PATCH, refused when bad, kept across a restart, and a tag target hits exactly its miners', async () => {
    const app = await startApp({ fleet: { count: 3, seed: 11, restartDelayMs: 200 } });
    const { fleet } = app;
    let url = app.url;
    const listed = await untilEveryMinerReported(app);
    expect(listed.map((m) => m.tags)).toEqual([[], [], []]);
    const [first, second, third] = listed as [ListedMiner, ListedMiner, ListedMiner];

    const tagged = await patch(url, first.id, { tags: ['garage', 'rack:1'] });
    expect(tagged.status).toBe(200);
    expect(((await tagged.json()) as ListedMiner).tags).toEqual(['garage', 'rack:1']);
    expect((await patch(url, third.id, { tags: ['garage'] })).status).toBe(200);

    for (const [tags, problem] of [
      [['has space'], /body\.tags\[0\] must be a tag of 1 to 32 letters, digits/],
      [['x', 'x'], /body\.tags must be a list of at most 20 different tags/],
      [[''], /body\.tags\[0\] must be a tag/],
    ] as const) {
      const refused = await patch(url, second.id, { tags });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(problem);
    }
    const one = (await (await fetch(`${url}/api/miners/${first.id}`)).json()) as ListedMiner;
    expect(one.tags).toEqual(['garage', 'rack:1']);

    // Stored, not held in memory: a restart on the same data directory still has them.
    await app.restart();
    url = app.url;
    // Miners added in the same millisecond may list in either order: compare by id.
    expect(Object.fromEntries((await listMiners(url)).map((m) => [m.id, m.tags]))).toEqual({
      [first.id]: ['garage', 'rack:1'],
      [second.id]: [],
      [third.id]: ['garage'],
    });
    await waitFor('the miners polled again', async () =>
      (await listMiners(url)).every((m) => m.lastSample !== null) ? true : null,
    );

    const boots = fleet.devices.map((d) => d.model.bootCount);
    const posted = await fetch(`${url}/api/actions`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ action: 'restart', target: { tags: ['garage'] }, rollout: { canary: 0 } }),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    const done = await waitFor('the action to finish', async () => {
      const view = (await (await fetch(`${url}/api/actions/${id}`)).json()) as {
        state: string;
        miners: { minerId: string }[];
      };
      return view.state === 'running' ? null : view;
    });
    expect(done.state, JSON.stringify(done)).toBe('completed');
    expect(done.miners.map((m) => m.minerId).sort()).toEqual([first.id, third.id].sort());
    const byHost = new Map(listed.map((m) => [`${m.host}:${m.port}`, m.id]));
    const rebooted = fleet.devices
      .filter((d, i) => d.model.bootCount > (boots[i] ?? 0))
      .map((d) => byHost.get(`${d.host}:${d.port}`));
    expect(rebooted.sort()).toEqual([first.id, third.id].sort());
  }, 60_000);

  it('a desired-state rule on a tag raises drift for the miner once it carries the tag', async () => {
    const pools = [{ url: 'stratum+tcp://pool.example:3333', user: 'bc1qexpected.garage' }];
    const app = await startApp({
      fleet: { count: 2, seed: 12 },
      config: { fleet: [{ match: { tags: ['garage'] }, settings: { pools } }] },
    });
    const url = app.url;
    const [first, second] = (await untilEveryMinerReported(app)) as [ListedMiner, ListedMiner];
    const driftOf = async (minerId: string) =>
      (
        (await (await fetch(`${url}/api/miners/${minerId}/events`)).json()) as {
          events: { type: string }[];
        }
      ).events.filter((e) => e.type === 'settings_drift');
    // Untagged, nothing is expected of it.
    expect(await driftOf(first.id)).toEqual([]);

    expect((await patch(url, first.id, { tags: ['garage'] })).status).toBe(200);
    const drift = await waitFor('drift on the tagged miner', async () => {
      const events = await driftOf(first.id);
      return events.length > 0 ? events : null;
    });
    expect(drift[0]?.type).toBe('settings_drift');
    expect(await driftOf(second.id)).toEqual([]);
  }, 60_000);
});
