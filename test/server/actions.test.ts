import { afterEach, describe, expect, it } from 'vitest';
import type { ActionStep } from '../../src/monitor/actions/Action.js';
import { ActionEngine } from '../../src/monitor/actions/ActionEngine.js';
import type { StepRunner } from '../../src/monitor/actions/StepRunner.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { minerView } from './fakes.js';
import { AUTH, type Harness, harness } from './harness.js';

/** Miners that take every command; the ones in `refuse` say no. */
class Runner implements StepRunner {
  readonly refuse = new Set<string>();
  readonly sent: [string, ActionStep][] = [];
  async apply(minerId: string, step: ActionStep): Promise<unknown> {
    this.sent.push([minerId, step]);
    if (this.refuse.has(minerId)) throw new Error(`${minerId}: HTTP 500 from PATCH /api/system`);
    return null;
  }
  async verify(): Promise<boolean> {
    return true;
  }
}

let h: Harness | undefined;
let engine: ActionEngine | undefined;
afterEach(async () => {
  await h?.app.close();
  await engine?.close();
  h = undefined;
  engine = undefined;
});

async function setup(options: { liveFlushMs?: number } = {}) {
  const runner = new Runner();
  let monitorRef: Harness['monitor'] | undefined;
  engine = new ActionEngine({
    runner,
    miners: () => monitorRef!.listMiners(),
    clock: new FakeClock(5),
    newId: () => 'a1',
  });
  h = await harness({ actions: engine, ...options });
  monitorRef = h.monitor;
  for (const id of ['m2', 'm3', 'm4']) h.monitor.miners.set(id, minerView(id));
  return { runner, engine, h };
}

describe('POST /api/actions', () => {
  it('answers 202 with the id, and GET /api/actions/:id shows each miner', async () => {
    const { runner, engine, h } = await setup();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/actions',
      headers: AUTH,
      payload: {
        action: 'settings',
        target: { ids: ['m1', 'm3'] },
        settings: { fan: { mode: 'manual', percent: 80 } },
      },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: 'a1' });
    expect(res.headers.location).toBe('/api/actions/a1');
    await engine.settled('a1');
    const got = await h.app.inject({ url: '/api/actions/a1' });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({
      id: 'a1',
      action: 'settings',
      state: 'completed',
      halted: false,
      actor: 'api',
      rollout: { canary: 1, batchSize: 5, haltOnFailure: true },
      counts: { verified: 2 },
      miners: [
        { minerId: 'm1', batch: 0, state: 'verified', error: null },
        { minerId: 'm3', batch: 1, state: 'verified', error: null },
      ],
    });
    expect(runner.sent.map(([id]) => id)).toEqual(['m1', 'm3']);
    const list = await h.app.inject({ url: '/api/actions' });
    expect(list.json().actions).toMatchObject([{ id: 'a1', state: 'completed' }]);
  });

  it('shows a halted action with the failure and the skipped miners', async () => {
    const { runner, engine, h } = await setup();
    runner.refuse.add('m1');
    await h.app.inject({
      method: 'POST',
      url: '/api/actions',
      headers: AUTH,
      payload: { action: 'restart', target: { all: true } },
    });
    await engine.settled('a1');
    const body = (await h.app.inject({ url: '/api/actions/a1' })).json();
    expect(body).toMatchObject({
      state: 'halted',
      halted: true,
      haltReason: 'miner m1 failed in the canary',
    });
    expect(body.miners.map((m: { state: string }) => m.state)).toEqual([
      'failed',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(body.miners[0].error).toBe('m1: HTTP 500 from PATCH /api/system');
  });

  it.each([
    [{ action: 'reboot', target: { all: true } }, /body.action must be one of/],
    [{ action: 'restart' }, /body.target is missing: expected an object/],
    [{ action: 'restart', target: { all: true }, extra: 1 }, /body.extra is not a known key/],
    [{ action: 'restart', target: { ids: ['nope'] } }, /target.ids names no miner: 'nope'/],
    [{ action: 'restart', target: {} }, /target must name/],
    [{ action: 'settings', target: { all: true } }, /needs settings or a profile/],
    [{ action: 'settings', target: { all: true }, settings: { frequencyMhz: -5 } }, /frequencyMhz/],
    [
      { action: 'settings', target: { all: true }, settings: { hostname: 'x' } },
      /body.settings.hostname is not a known key/,
    ],
    [
      { action: 'restart', target: { all: true }, rollout: { batchSize: 0 } },
      /body.rollout.batchSize must be a whole number (from 1|>= 1)/,
    ],
  ])('answers 400 naming the problem for %j, sending nothing', async (payload, message) => {
    const { runner, h } = await setup();
    const res = await h.app.inject({ method: 'POST', url: '/api/actions', headers: AUTH, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_INPUT');
    expect(res.json().error.message).toMatch(message);
    expect(runner.sent).toEqual([]);
  });

  it('needs the token and answers 404 for an unknown action', async () => {
    const { h } = await setup();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/actions',
      payload: { action: 'restart', target: { all: true } },
    });
    expect(res.statusCode).toBe(401);
    const missing = await h.app.inject({ url: '/api/actions/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ACTION_NOT_FOUND');
  });

  it('streams compact action messages on /api/events', async () => {
    const { runner, engine, h } = await setup({ liveFlushMs: 20 });
    runner.refuse.add('m2');
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/api/events`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: hello')) text += decoder.decode((await reader.read()).value);
    engine.start({ action: 'pause', target: { all: true }, rollout: { haltOnFailure: false } }, 'api');
    await engine.settled('a1');
    while (!text.includes('"state":"completed"')) text += decoder.decode((await reader.read()).value);
    await reader.cancel();
    const changes = [...text.matchAll(/event: changes\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!));
    const ids: Record<string, string> = Object.assign({}, ...changes.map((c) => c.ids ?? {}));
    const messages = [...text.matchAll(/event: action\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!));
    const last = messages.at(-1);
    expect(last).toMatchObject({
      id: 'a1',
      state: 'completed',
      halted: false,
      counts: { verified: 3, failed: 1 },
    });
    // Miners are named by their stream number; a failure carries its error.
    const states = Object.assign({}, ...messages.map((m) => m.m ?? {}));
    const byId = Object.fromEntries(Object.entries(states).map(([n, s]) => [ids[n], s]));
    expect(byId).toEqual({
      m1: 'verified',
      m2: ['failed', 'm2: HTTP 500 from PATCH /api/system'],
      m3: 'verified',
      m4: 'verified',
    });
  });
});
