import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../resilience/testing.js';
import type { ActionChange, ActionStep } from './Action.js';
import { ActionEngine, type ActionEngineOptions } from './ActionEngine.js';
import { ActionError } from './ActionError.js';
import type { StepRunner } from './StepRunner.js';

type Behaviour = 'ok' | 'refuse' | 'differs' | 'hang' | 'cannot-say';

/** Miners that answer as told, recording every command in the order it reached them. */
class FakeMiners implements StepRunner {
  readonly behaviour = new Map<string, Behaviour>();
  readonly applied: string[] = [];
  readonly steps: ActionStep[] = [];
  inFlight = 0;
  maxInFlight = 0;

  async apply(minerId: string, step: ActionStep): Promise<unknown> {
    this.applied.push(minerId);
    this.steps.push(step);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const behaviour = this.behaviour.get(minerId) ?? 'ok';
      if (behaviour === 'refuse') throw new Error(`${minerId} refused the write (HTTP 500)`);
      if (behaviour === 'hang') await new Promise(() => {});
      return { readBack: behaviour === 'differs' ? 400 : 525 };
    } finally {
      this.inFlight -= 1;
    }
  }

  async verify(minerId: string, _step: ActionStep, applied: unknown): Promise<boolean> {
    const { readBack } = applied as { readBack: number };
    if (readBack !== 525) throw new Error(`frequencyMhz read back ${readBack}, asked 525`);
    return this.behaviour.get(minerId) !== 'cannot-say';
  }
}

const fleet = (n: number, tags: (i: number) => string[] = () => []) =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i + 1}`, tags: tags(i + 1) }));

let engine: ActionEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function setup(n: number, overrides: Partial<ActionEngineOptions> = {}) {
  const clock = new FakeClock(1_000);
  const miners = new FakeMiners();
  let next = 0;
  const changes: ActionChange[] = [];
  engine = new ActionEngine({
    runner: miners,
    miners: () => fleet(n, (i) => (i % 2 === 0 ? ['even'] : [])),
    clock,
    newId: () => `act${++next}`,
    ...overrides,
  });
  engine.subscribe((change) => changes.push(change));
  return { engine, clock, miners, changes };
}

describe('ActionEngine', () => {
  it('sends to the canary alone, then batches, each miner read back', async () => {
    const { engine, miners } = setup(12);
    const started = engine.start(
      { action: 'settings', target: { all: true }, settings: { frequencyMhz: 525 } },
      'cli',
    );
    expect(started).toMatchObject({ id: 'act1', state: 'running', counts: { pending: 12 } });
    await engine.settled('act1');
    const view = engine.get('act1')!;
    expect(view.state).toBe('completed');
    expect(view.halted).toBe(false);
    expect(view.counts).toEqual({ pending: 0, applied: 0, verified: 12, failed: 0, skipped: 0 });
    expect(view.miners.map((m) => m.batch)).toEqual([0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3]);
    // Never more than one batch at a time.
    expect(miners.maxInFlight).toBe(5);
    expect(miners.applied).toEqual(fleet(12).map((m) => m.id));
    expect(miners.steps[0]).toEqual({
      action: 'settings',
      settings: { frequencyMhz: 525 },
      actor: 'action:act1',
    });
  });

  it('halts when the canary fails, skipping everyone else, and says so', async () => {
    const { engine, miners } = setup(6);
    miners.behaviour.set('m1', 'refuse');
    engine.start({ action: 'restart', target: { all: true } }, 'api');
    await engine.settled('act1');
    const view = engine.get('act1')!;
    expect(view.state).toBe('halted');
    expect(view.halted).toBe(true);
    expect(view.haltReason).toBe('miner m1 failed in the canary');
    expect(view.miners[0]).toMatchObject({
      minerId: 'm1',
      state: 'failed',
      error: 'm1 refused the write (HTTP 500)',
    });
    expect(view.miners.slice(1).every((m) => m.state === 'skipped')).toBe(true);
    expect(miners.applied).toEqual(['m1']);
  });

  it('halts after a batch in which a read-back differs', async () => {
    const { engine, miners } = setup(12);
    miners.behaviour.set('m4', 'differs');
    engine.start({ action: 'settings', target: { all: true }, settings: { frequencyMhz: 525 } }, 'api');
    await engine.settled('act1');
    const view = engine.get('act1')!;
    expect(view.state).toBe('halted');
    expect(view.haltReason).toBe('miner m4 failed in batch 1');
    expect(view.counts).toEqual({ pending: 0, applied: 0, verified: 5, failed: 1, skipped: 6 });
    const m4 = view.miners.find((m) => m.minerId === 'm4')!;
    expect(m4).toMatchObject({ state: 'failed', error: 'frequencyMhz read back 400, asked 525' });
  });

  it('leaves a miner that cannot say whether it took the command at applied', async () => {
    const { engine, miners } = setup(2);
    miners.behaviour.set('m2', 'cannot-say');
    engine.start({ action: 'pause', target: { all: true } }, 'api');
    await engine.settled('act1');
    expect(engine.get('act1')).toMatchObject({ state: 'completed', counts: { verified: 1, applied: 1 } });
  });

  it('goes on past failures without haltOnFailure', async () => {
    const { engine, miners } = setup(7);
    miners.behaviour.set('m1', 'refuse');
    miners.behaviour.set('m3', 'refuse');
    engine.start(
      { action: 'pause', target: { all: true }, rollout: { haltOnFailure: false, batchSize: 2 } },
      'api',
    );
    await engine.settled('act1');
    expect(engine.get('act1')).toMatchObject({
      state: 'completed',
      halted: false,
      counts: { verified: 5, failed: 2 },
    });
    expect(miners.applied).toHaveLength(7);
  });

  it('a last batch that fails ends the action as completed with its failures shown', async () => {
    const { engine, miners } = setup(2);
    miners.behaviour.set('m2', 'refuse');
    engine.start({ action: 'resume', target: { all: true } }, 'api');
    await engine.settled('act1');
    expect(engine.get('act1')).toMatchObject({ state: 'completed', counts: { verified: 1, failed: 1 } });
  });

  it('fails a miner that does not answer within the step time limit, on the fake clock', async () => {
    const { engine, clock, miners } = setup(3);
    miners.behaviour.set('m1', 'hang');
    engine.start({ action: 'restart', target: { all: true } }, 'api');
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.get('act1')!.miners[0]!.state).toBe('pending');
    await clock.advance(180_000);
    await engine.settled('act1');
    const view = engine.get('act1')!;
    expect(view.miners[0]).toMatchObject({
      state: 'failed',
      error: 'no confirmation within 180 s',
      updatedAt: 181_000,
    });
    expect(view.state).toBe('halted');
  });

  it('tells listeners each move and the end', async () => {
    const { engine, changes } = setup(2);
    engine.start({ action: 'restart', target: { ids: ['m2'] } }, 'api');
    await engine.settled('act1');
    expect(changes.map((c) => c.miner?.state ?? `end:${c.action.state}`)).toEqual([
      'applied',
      'verified',
      'end:completed',
    ]);
  });

  it('targets tags and refuses bad requests before sending anything', async () => {
    const { engine, miners } = setup(6);
    const view = engine.start(
      { action: 'restart', target: { tags: ['even'] }, rollout: { canary: 0 } },
      'api',
    );
    expect(view.miners.map((m) => [m.minerId, m.batch])).toEqual([
      ['m2', 1],
      ['m4', 1],
      ['m6', 1],
    ]);
    const bad = [
      { action: 'settings', target: { all: true } },
      { action: 'restart', target: { all: true }, settings: { frequencyMhz: 500 } },
      { action: 'settings', target: { all: true }, profile: 'nope' },
      { action: 'restart', target: { ids: ['m99'] } },
      { action: 'restart', target: {} },
      { action: 'restart', target: { all: true }, rollout: { batchSize: 0 } },
      { action: 'explode', target: { all: true } },
    ] as const;
    for (const request of bad) {
      expect(() => engine.start(request as never, 'api'), JSON.stringify(request)).toThrow(ActionError);
    }
    await engine.settled('act1');
    expect(miners.applied).toEqual(['m2', 'm4', 'm6']);
  });

  it('applies a saved profile and never shows its pool password', async () => {
    const { engine, miners } = setup(1, {
      profileSettings: (id) =>
        id === 'night'
          ? { pools: [{ url: 'stratum+tcp://p:3333', user: 'bc1q.w', password: 'secret' }] }
          : null,
    });
    const view = engine.start({ action: 'settings', target: { all: true }, profile: 'night' }, 'api');
    expect(JSON.stringify(view)).not.toContain('secret');
    expect(view.profile).toBe('night');
    await engine.settled('act1');
    expect(miners.steps[0]!.settings?.pools?.[0]?.password).toBe('secret');
    expect(JSON.stringify(engine.get('act1'))).not.toContain('secret');
  });

  it('cancels on close: in-flight miners fail, the rest are skipped', async () => {
    const { engine, miners } = setup(4);
    miners.behaviour.set('m1', 'hang');
    engine.start({ action: 'restart', target: { all: true } }, 'api');
    await engine.close();
    expect(engine.get('act1')).toMatchObject({ state: 'cancelled', counts: { failed: 1, skipped: 3 } });
    expect(() => engine.start({ action: 'restart', target: { all: true } }, 'api')).toThrow(/shutting down/);
  });

  it('keeps only the newest finished actions', async () => {
    const { engine } = setup(1, { keepFinished: 2 });
    for (let i = 0; i < 4; i++) {
      const { id } = engine.start({ action: 'restart', target: { all: true } }, 'api');
      await engine.settled(id);
    }
    expect(engine.list().map((a) => a.id)).toEqual(['act4', 'act3']);
    expect(engine.get('act1')).toBeNull();
  });
});
