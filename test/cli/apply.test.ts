import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionStep } from '../../src/monitor/actions/Action.js';
import { ActionEngine } from '../../src/monitor/actions/ActionEngine.js';
import type { StepRunner } from '../../src/monitor/actions/StepRunner.js';
import { systemClock } from '../../src/resilience/clock.js';
import { minerView } from '../server/fakes.js';
import { type Harness, harness, TOKEN } from '../server/harness.js';
import { cli } from './harness.js';

const sent: [string, ActionStep][] = [];
const refuse = new Set<string>();
const runner: StepRunner = {
  async apply(minerId, step) {
    sent.push([minerId, step]);
    if (refuse.has(minerId)) throw new Error(`${minerId} said no`);
    return null;
  },
  async verify() {
    return true;
  },
};

let h: Harness;
let url: string;
let engine: ActionEngine;
const env = { SOLOWATCH_TOKEN: TOKEN };

beforeAll(async () => {
  let monitor: Harness['monitor'] | undefined;
  engine = new ActionEngine({ runner, miners: () => monitor!.listMiners(), clock: systemClock });
  h = await harness({ actions: engine });
  monitor = h.monitor;
  h.monitor.miners.set('m2', minerView('m2'));
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h.app.close();
  await engine.close();
});

describe('solowatch apply', () => {
  it('has --help with examples', async () => {
    const r = await cli(['apply', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: solowatch apply');
    expect(r.stdout).toContain('--batch-size');
    expect(r.stdout).toContain('restart, pause, resume, settings'.split(', ')[0]);
  });

  it('sends the action, waits for it and prints each miner', async () => {
    sent.length = 0;
    const r = await cli(
      ['apply', 'settings', '--all', '--settings', '{"frequencyMhz":525}', '--canary', '0', '--url', url],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/m1\s+1\s+verified/);
    expect(r.stdout).toContain('completed. 2 verified, 0 applied (not read back), 0 failed, 0 skipped');
    expect(sent.map(([id, step]) => [id, step.settings])).toEqual([
      ['m1', { frequencyMhz: 525 }],
      ['m2', { frequencyMhz: 525 }],
    ]);
  });

  it('exits 1 and says why when the action halts', async () => {
    refuse.add('m1');
    const r = await cli(['apply', 'restart', '--id', 'm1,m2', '--url', url], { env });
    refuse.clear();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/m1\s+canary\s+failed\s+m1 said no/);
    expect(r.stdout).toMatch(/m2\s+1\s+skipped/);
    expect(r.stderr).toContain('halted');
  });

  it('refuses bad input with a clear message', async () => {
    expect((await cli(['apply', 'explode', '--all', '--url', url], { env })).stderr).toContain(
      "value 'explode' is invalid for argument 'action'",
    );
    const none = await cli(['apply', 'restart', '--url', url], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--id, --tag or --all');
    const badJson = await cli(['apply', 'settings', '--all', '--settings', '{', '--url', url], { env });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('is not JSON');
    const server = await cli(['apply', 'settings', '--all', '--url', url], { env });
    expect(server.code).toBe(1);
    expect(server.stderr).toContain('needs settings or a profile');
  });
});
