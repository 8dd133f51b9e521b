/**
 * An Avalon's work mode, fan and soft off, end to end: the API over real HTTP, the real monitor
 * and drivers, simulated Avalons over real TCP answering `ascset` as Canaan's firmware does.
 * Every write is read back from `estats`; what the device lacks or refuses is named.
 */
import { describe, expect, it } from 'vitest';
import type { CgminerVariant } from '../../src/simulator/index.js';
import { type SimulatedDevice, startCgminerDevice } from '../../src/simulator/index.js';
import { controlRigPerTest } from './harness.js';

const rig = controlRigPerTest();

function avalon(
  variant: CgminerVariant,
  allowPrivileged?: boolean,
): Promise<{ id: string; device: SimulatedDevice }> {
  const start = () =>
    startCgminerDevice({ variant, seed: 7, ...(allowPrivileged === undefined ? {} : { allowPrivileged }) });
  return rig.watch(start, 'cgminer');
}

const sent = (device: SimulatedDevice) => device.model.commandsSeen.map((c) => `${c.command} ${c.detail}`);
const patch = (id: string, body: unknown) => rig.call('PATCH', `/api/miners/${id}/settings`, body);
const read = async (id: string) => (await rig.call('GET', `/api/miners/${id}/settings`)).json;

/** A refusal: its status, its code and the words that name the problem. */
function expectRefused(
  res: Awaited<ReturnType<typeof patch>>,
  status: number,
  code: string,
  ...words: string[]
): void {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.error.code).toBe(code);
  for (const word of words) expect(res.json.error.message).toContain(word);
}

describe('Avalon work mode', () => {
  it('Nano 3s: shows its menu and mode, switches it with ascset workmode,set and reads it back', async () => {
    const { id, device } = await avalon('avalon-nano3s');
    const before = await read(id);
    expect(before.settings).toMatchObject({ workMode: 2, paused: false, fan: null });
    expect(before.capabilities.workModes).toEqual([
      { value: 0, name: 'Low' },
      { value: 1, name: 'Medium' },
      { value: 2, name: 'High' },
    ]);

    const res = await patch(id, { workMode: 0 });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    // Canaan's handler passes the mode to the hash board at once: no restart asked for.
    expect(res.json).toMatchObject({ applied: ['workMode'], mismatches: [], restartRequired: false });
    expect(res.json.readBack.workMode).toBe(0);
    expect(sent(device)).toEqual(['ascset workmode 0,workmode,set,0']);
  });

  it('Avalon Q names its modes Eco, Standard, Super', async () => {
    const { id } = await avalon('avalon-q');
    const caps = (await read(id)).capabilities;
    expect(caps.workModes.map((m: { name: string }) => m.name)).toEqual(['Eco', 'Standard', 'Super']);
  });

  it('a mode outside the menu is 400 naming workMode and the menu; nothing is sent', async () => {
    const { id, device } = await avalon('avalon-nano3s');
    expectRefused(
      await patch(id, { workMode: 3 }),
      400,
      'INVALID_INPUT',
      'workMode',
      '0 (Low), 1 (Medium), 2 (High)',
    );
    expect(device.model.commandsSeen).toEqual([]);
  });

  it('an Avalon without work modes (A1246, no WORKMODE) is 422 UNSUPPORTED naming workMode', async () => {
    const { id, device } = await avalon('avalon-a1246');
    expect((await read(id)).capabilities.workModes).toBeNull();
    expectRefused(await patch(id, { workMode: 1 }), 422, 'UNSUPPORTED', 'workMode');
    expect(device.model.commandsSeen).toEqual([]);
  });

  it("a mode above the firmware's max_mode: the device's refusal, named, and the mode unchanged", async () => {
    const { id, device } = await avalon('avalon-a15');
    const caps = (await read(id)).capabilities;
    // The A-series' names are not confirmed: three unnamed modes, the firmware says which it takes.
    expect(caps.workModes).toEqual([0, 1, 2].map((value) => ({ value, name: null })));
    const res = await patch(id, { workMode: 2 });
    expectRefused(res, 422, 'MINER_REFUSED', 'not support set workmode max_mode[1]');
    expect((await read(id)).settings.workMode).toBe(1);
    expect(device.model.commandsSeen).toEqual([]);
  });

  it('an answer lost after the device took the write: not sent again, the read-back decides', async () => {
    const { id, device } = await avalon('avalon-q');
    await rig.rig.manager.poll(id, new AbortController().signal);
    // The PATCH reads version, pools and estats, then sends ascset: its answer is cut off.
    device.setFaults({ script: (n) => (n === 4 ? 'reset' : null) });
    const res = await patch(id, { workMode: 1 });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ applied: ['workMode'], mismatches: [] });
    expect(sent(device)).toEqual(['ascset workmode 0,workmode,set,1']);
    await rig.rig.manager.drainBackground();
    const events = await rig.rig.manager.listEvents({ minerId: id });
    expect(String(events.find((e) => e.type === 'settings_changed')?.data?.detail)).toContain(
      'no clear answer',
    );
  });

  it('without privileged access: 422 MINER_REFUSED naming --api-allow; nothing changes', async () => {
    const { id } = await avalon('avalon-nano3s', false);
    expectRefused(await patch(id, { workMode: 1 }), 422, 'MINER_REFUSED', '--api-allow');
    expect((await read(id)).settings.workMode).toBe(2);
  });
});

describe('Avalon fan', () => {
  it('a fixed duty goes as fan-spd,N and reads back from FanR', async () => {
    const { id, device } = await avalon('avalon-q');
    const caps = (await read(id)).capabilities;
    expect(caps.fan).toMatchObject({ auto: true, targetTempC: null, manualPercent: { min: 15, max: 100 } });

    const res = await patch(id, { fan: { mode: 'manual', percent: 42 } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ applied: ['fan'], mismatches: [] });
    expect(res.json.readBack.fanPercent).toBe(42);
    expect(sent(device)).toEqual(['ascset fan-spd 0,fan-spd,42']);
  });

  it('automatic goes as fan-spd,-1; the firmware cannot say it is automatic, so it stays unconfirmed', async () => {
    const { id, device } = await avalon('avalon-nano3s');
    await patch(id, { fan: { mode: 'manual', percent: 90 } });
    const res = await patch(id, { fan: { mode: 'auto' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(sent(device)).toEqual(['ascset fan-spd 0,fan-spd,90', 'ascset fan-spd 0,fan-spd,-1']);
    expect(res.json.applied).toEqual([]);
    expect(res.json.mismatches).toEqual([{ field: 'fan', wanted: { mode: 'auto' }, got: null }]);
    // The firmware's own duty again, not the fixed 90 %.
    expect(res.json.readBack.fanPercent).not.toBe(90);
  });

  it('a duty outside 15-100 is 400 naming fan.percent and the range; nothing is sent', async () => {
    const { id, device } = await avalon('avalon-nano3s');
    for (const percent of [10, 0]) {
      const res = await patch(id, { fan: { mode: 'manual', percent } });
      expectRefused(res, 400, 'INVALID_INPUT', 'fan.percent', '15-100');
    }
    expect(device.model.commandsSeen).toEqual([]);
  });

  it('work mode and fan in one patch: both sent, both read back', async () => {
    const { id, device } = await avalon('avalon-q');
    const res = await patch(id, { workMode: 1, fan: { mode: 'manual', percent: 60 } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.applied).toEqual(['workMode', 'fan']);
    expect(sent(device)).toEqual(['ascset workmode 0,workmode,set,1', 'ascset fan-spd 0,fan-spd,60']);
  });
});

describe('Avalon soft off, read', () => {
  it('settings and the poll read SoftOFF: a soft off from its own screen shows the miner paused', async () => {
    const { id, device } = await avalon('avalon-q');
    const poll = () => rig.rig.manager.poll(id, new AbortController().signal);
    await poll();
    expect(rig.rig.manager.getMiner(id)?.status).not.toBe('paused');

    // Soft off without solowatch: the device says so, and the state machine believes it.
    device.model.setPaused(true);
    expect((await read(id)).settings.paused).toBe(true);
    await poll();
    expect(rig.rig.manager.getMiner(id)?.status).toBe('paused');

    device.model.setPaused(false);
    await poll();
    expect(rig.rig.manager.getMiner(id)?.status).not.toBe('paused');
  });

  it('pause and resume through the API read back as paused true, then false', async () => {
    const { id } = await avalon('avalon-nano3s');
    expect((await rig.call('POST', `/api/miners/${id}/pause`)).status).toBe(202);
    expect((await read(id)).settings.paused).toBe(true);
    expect((await rig.call('POST', `/api/miners/${id}/resume`)).status).toBe(202);
    expect((await read(id)).settings.paused).toBe(false);
  });
});
