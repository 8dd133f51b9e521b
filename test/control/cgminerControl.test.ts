/**
 * Per-miner control over cgminer's API, end to end: the API over real HTTP, the real monitor and
 * drivers, simulated cgminer-family devices over real TCP. Pools change through the privileged
 * commands; a device that refuses privileged access says so and keeps its pools; Avalon pauses
 * with its soft off.
 */
import { describe, expect, it } from 'vitest';
import type { CgminerVariant } from '../../src/simulator/index.js';
import { startCgminerDevice } from '../../src/simulator/index.js';
import { controlRigPerTest } from './harness.js';

const rig = controlRigPerTest();

function cgminer(variant: CgminerVariant, allowPrivileged?: boolean) {
  return rig.watch(
    () =>
      startCgminerDevice({
        variant,
        seed: 5,
        ...(allowPrivileged === undefined ? {} : { allowPrivileged }),
      }),
    'cgminer',
  );
}

const POOLS = [
  { url: 'stratum+tcp://solo.example.org:3333', user: 'bc1qshed.one', password: 'p,w\\1' },
  { url: 'stratum+tcp://backup.example.org:4444', user: 'bc1qshed.two' },
];

describe('cgminer family: pools', () => {
  it.each([
    ['cgminer', true],
    ['antminer', true],
    ['luxos', true],
    ['avalon-nano3s', undefined],
  ] as const)('%s: replaces the pool list, primary first, and reads it back', async (variant, allow) => {
    const { id, device } = await cgminer(variant, allow);
    const before = await rig.call('GET', `/api/miners/${id}/settings`);
    expect(before.status, JSON.stringify(before.json)).toBe(200);
    expect(before.json.settings.pools).toHaveLength(1);
    expect(before.json.capabilities).toMatchObject({ frequencyMhz: null, hostname: null });

    const res = await rig.call('PATCH', `/api/miners/${id}/settings`, { pools: POOLS });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ applied: ['pools'], mismatches: [], restartRequired: false });
    expect(res.json.readBack.pools.map((p: { url: string; user: string }) => [p.url, p.user])).toEqual(
      POOLS.map((p) => [p.url, p.user]),
    );
    const sent = device.model.commandsSeen.map((c) => c.command);
    expect(sent).toEqual(['addpool', 'addpool', 'poolpriority', 'removepool']);
    // Commas and backslashes in a value are escaped as API-README says, and arrive intact.
    expect(device.model.commandsSeen[0]?.detail).toBe(
      'stratum+tcp://solo.example.org:3333,bc1qshed.one,p\\,w\\\\1',
    );
    expect(JSON.stringify(res.json)).not.toContain('p,w');
  });

  it('a device that refuses privileged access: 422 MINER_REFUSED naming --api-allow; nothing changes', async () => {
    const { id, device } = await cgminer('cgminer', false);
    const res = await rig.call('PATCH', `/api/miners/${id}/settings`, { pools: POOLS });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('MINER_REFUSED');
    expect(res.json.error.message).toContain('--api-allow');
    expect(device.model.commandsSeen).toEqual([]);
    await rig.rig.manager.drainBackground();
    const events = await rig.rig.manager.listEvents({ minerId: id });
    expect(events.find((e) => e.type === 'control_failed')?.data).toMatchObject({ actor: 'api:tests' });
  });

  it('settings the family cannot set are 422 UNSUPPORTED before anything is sent', async () => {
    const { id, device } = await cgminer('antminer', true);
    for (const [body, name] of [
      [{ frequencyMhz: 500 }, 'frequencyMhz'],
      [{ fan: { mode: 'manual', percent: 50 } }, 'fan'],
      [{ hostname: 'x1' }, 'hostname'],
    ] as const) {
      const res = await rig.call('PATCH', `/api/miners/${id}/settings`, body);
      expect(res.status).toBe(422);
      expect(res.json.error.message).toContain(name);
    }
    expect((await rig.call('POST', `/api/miners/${id}/pause`)).status).toBe(422);
    expect((await rig.call('POST', `/api/miners/${id}/identify`)).status).toBe(422);
    expect(device.model.commandsSeen).toEqual([]);
  });
});

describe('Avalon: soft off and on', () => {
  it('pauses and resumes hashing through ascset softoff/softon', async () => {
    const { id, device } = await cgminer('avalon-nano3s');
    const caps = (await rig.call('GET', `/api/miners/${id}/settings`)).json.capabilities;
    expect(caps.commands).toMatchObject({ pause: true, resume: true, identify: false });
    expect(caps.pools).toEqual({ max: 3 });

    const pause = await rig.call('POST', `/api/miners/${id}/pause`);
    expect(pause.status, JSON.stringify(pause.json)).toBe(202);
    expect(device.model.paused).toBe(true);
    expect((await rig.call('POST', `/api/miners/${id}/resume`)).status).toBe(202);
    expect(device.model.paused).toBe(false);
    expect(device.model.commandsSeen.map((c) => c.command)).toEqual(['ascset softoff', 'ascset softon']);
    expect(device.model.commandsSeen[0]?.detail).toMatch(/^0,softoff,1:\d+$/);
  });
});
