/**
 * Per-miner control of ESP-Miner devices, end to end: the API over real HTTP, the real monitor,
 * drivers and breakers, and simulated AxeOS releases (one per group of behaviour) and NerdQAxe
 * over real HTTP. Bad input never reaches the device: its log of control commands stays empty.
 */
import { describe, expect, it } from 'vitest';
import { type SimulatedDevice, startAxeosDevice, startNerdQaxeDevice } from '../../src/simulator/index.js';
import { controlRigPerTest } from './harness.js';

const rig = controlRigPerTest();

function axeos(firmware: string, asicModel = 'BM1370') {
  return rig.watch(() => startAxeosDevice({ firmware, asicModel, seed: 7 }), 'axeos');
}

function sentBodies(device: SimulatedDevice): Record<string, unknown>[] {
  return device.model.commandsSeen
    .filter((c) => c.command === 'PATCH /api/system')
    .map((c) => JSON.parse(c.detail) as Record<string, unknown>);
}

describe('AxeOS settings, release by release', () => {
  it('v2.0: frequency and voltage from the chip table; no fan, hostname, fallback or commands', async () => {
    const { id, device } = await axeos('2.0', 'BM1397');
    const read = await rig.call('GET', `/api/miners/${id}/settings`);
    expect(read.status, JSON.stringify(read.json)).toBe(200);
    const { settings, capabilities } = read.json;
    expect(settings.frequencyMhz).toBe(device.model.frequencyMhz);
    expect(settings.fan).toBeNull();
    expect(settings.pools).toHaveLength(1);
    expect(capabilities).toMatchObject({
      source: 'table:BM1397',
      fan: null,
      hostname: null,
      pools: { max: 1 },
      commands: { pause: false, resume: false, identify: false, restart: true },
    });
    expect(capabilities.frequencyMhz).toMatchObject({ min: 400, max: 600, default: 425 });

    const fan = await rig.call('PATCH', `/api/miners/${id}/settings`, { fan: { mode: 'auto' } });
    expect(fan.status).toBe(422);
    expect(fan.json.error).toMatchObject({ code: 'UNSUPPORTED' });
    expect(fan.json.error.message).toContain('(fan)');
    const identify = await rig.call('POST', `/api/miners/${id}/identify`);
    expect(identify.status).toBe(422);
    expect(identify.json.error.message).toContain('identify');
    expect(device.model.commandsSeen).toEqual([]);

    const ok = await rig.call('PATCH', `/api/miners/${id}/settings`, { frequencyMhz: 450 });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json).toMatchObject({ applied: ['frequencyMhz'], mismatches: [], restartRequired: true });
    expect(ok.json.readBack.frequencyMhz).toBe(450);
    expect(device.model.frequencyMhz).toBe(450);
    expect(sentBodies(device)).toEqual([{ frequency: 450 }]);
  });

  it('v2.4: fallback pool and manual fan as `fanspeed`; pools written, read back, passwords never shown', async () => {
    const { id, device } = await axeos('2.4');
    const caps = (await rig.call('GET', `/api/miners/${id}/settings`)).json.capabilities;
    expect(caps.pools).toEqual({ max: 2 });
    expect(caps.fan).toMatchObject({ auto: true, targetTempC: null });
    expect(caps.source).toBe('table:BM1370');

    const patch = {
      fan: { mode: 'manual', percent: 70 },
      pools: [
        { url: 'stratum+tcp://solo.example.org:3333', user: 'bc1qgarage.one', password: 'hunter2-secret' },
        { url: 'stratum+tcp://backup.example.org:4444', user: 'bc1qgarage.two' },
      ],
    };
    const res = await rig.call('PATCH', `/api/miners/${id}/settings`, patch);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.applied.sort()).toEqual(['fan', 'pools']);
    expect(res.json.readBack.fan).toEqual({ mode: 'manual', percent: 70 });
    expect(res.json.readBack.pools).toEqual([
      { url: 'stratum+tcp://solo.example.org:3333', user: 'bc1qgarage.one', status: null },
      { url: 'stratum+tcp://backup.example.org:4444', user: 'bc1qgarage.two', status: null },
    ]);
    const [body] = sentBodies(device);
    expect(body).toMatchObject({
      autofanspeed: 0,
      fanspeed: 70,
      stratumURL: 'solo.example.org',
      stratumPort: 3333,
    });
    expect(body).toMatchObject({ stratumPassword: 'hunter2-secret', fallbackStratumPort: 4444 });
    expect(body).not.toHaveProperty('manualFanSpeed');

    // The password reached the device and nowhere else: not in the answer, not in the events.
    expect(JSON.stringify(res.json)).not.toContain('hunter2');
    await rig.rig.manager.drainBackground();
    const events = await rig.rig.manager.listEvents({ minerId: id });
    const changed = events.find((e) => e.type === 'settings_changed');
    expect(changed?.data).toMatchObject({ actor: 'api:tests', applied: expect.arrayContaining(['pools']) });
    expect(changed?.data.before).toBeDefined();
    expect(JSON.stringify(events)).not.toContain('hunter2');
    const apiEvents = await rig.call('GET', `/api/miners/${id}/events`);
    expect(JSON.stringify(apiEvents.json)).not.toContain('hunter2');
  });

  it('v2.8: /api/system/asic menus, `temptarget` for auto fan', async () => {
    const { id, device } = await axeos('2.8', 'BM1368');
    const caps = (await rig.call('GET', `/api/miners/${id}/settings`)).json.capabilities;
    expect(caps.source).toBe('/api/system/asic');
    expect(caps.frequencyMhz).toMatchObject({ min: 400, max: 575, default: 490 });
    expect(caps.coreVoltageMv.options).toContain(1166);
    expect(caps.fan.targetTempC).toMatchObject({ min: 35, max: 66 });

    const res = await rig.call('PATCH', `/api/miners/${id}/settings`, {
      fan: { mode: 'auto', targetTempC: 58 },
      coreVoltageMv: 1200,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.readBack.fan).toEqual({ mode: 'auto', targetTempC: 58 });
    expect(res.json.readBack.coreVoltageMv).toBe(1200);
    expect(sentBodies(device)).toEqual([{ coreVoltage: 1200, autofanspeed: 1, temptarget: 58 }]);
  });

  it('v2.12: `manualFanSpeed`, identify toggles, no pause', async () => {
    const { id, device } = await axeos('2.12');
    const res = await rig.call('PATCH', `/api/miners/${id}/settings`, {
      fan: { mode: 'manual', percent: 55 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(sentBodies(device)).toEqual([{ autofanspeed: 0, manualFanSpeed: 55 }]);

    const hi = await rig.call('POST', `/api/miners/${id}/identify`);
    expect(hi.status).toBe(202);
    expect(hi.json).toEqual({ command: 'identify', detail: 'The device says "Hi!" for 30 seconds.' });
    const pause = await rig.call('POST', `/api/miners/${id}/pause`);
    expect(pause.status).toBe(422);
    expect(pause.json.error).toMatchObject({ code: 'UNSUPPORTED' });
    expect(pause.json.error.message).toContain('pause');
    expect(device.model.commandsSeen.map((c) => c.command)).toEqual(['PATCH /api/system', 'identify']);
  });

  it('v2.15: pause and resume stop and start hashing; hostname applies without a restart', async () => {
    const { id, device } = await axeos('2.15');
    const paused = await rig.call('POST', `/api/miners/${id}/pause`);
    expect(paused.status, JSON.stringify(paused.json)).toBe(202);
    expect(paused.json.detail).toBe('Mining paused');
    expect(device.model.paused).toBe(true);
    expect((await rig.call('GET', `/api/miners/${id}/settings`)).json.settings.paused).toBe(true);
    expect((await rig.call('POST', `/api/miners/${id}/resume`)).status).toBe(202);
    expect(device.model.paused).toBe(false);

    const named = await rig.call('PATCH', `/api/miners/${id}/settings`, { hostname: 'garage-7' });
    expect(named.status).toBe(200);
    expect(named.json).toMatchObject({ applied: ['hostname'], restartRequired: false });
    expect(device.model.hostname).toBe('garage-7');

    await rig.rig.manager.drainBackground();
    const types = (await rig.rig.manager.listEvents({ minerId: id })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['miner_paused', 'miner_resumed', 'settings_changed']));
  });
});

describe('bad input reaches nothing', () => {
  it('out of range is 400 naming the field and the range; bad types and unknown fields are 400', async () => {
    const { id, device } = await axeos('2.15');
    const high = await rig.call('PATCH', `/api/miners/${id}/settings`, { frequencyMhz: 900 });
    expect(high.status).toBe(400);
    expect(high.json.error.code).toBe('INVALID_INPUT');
    expect(high.json.error.message).toContain('frequencyMhz');
    expect(high.json.error.message).toContain('400-625 MHz');
    const fan = await rig.call('PATCH', `/api/miners/${id}/settings`, {
      fan: { mode: 'auto', targetTempC: 80 },
    });
    expect(fan.status).toBe(400);
    expect(fan.json.error.message).toContain('fan.targetTempC');
    const host = await rig.call('PATCH', `/api/miners/${id}/settings`, { hostname: 'no spaces' });
    expect(host.status).toBe(400);
    expect(host.json.error.message).toContain('hostname');
    const url = await rig.call('PATCH', `/api/miners/${id}/settings`, {
      pools: [{ url: 'pool.example', user: 'x' }],
    });
    expect(url.status).toBe(400);
    expect(url.json.error.message).toContain('pools[0].url');
    const three = await rig.call('PATCH', `/api/miners/${id}/settings`, {
      pools: [1, 2, 3].map((n) => ({ url: `stratum+tcp://p${n}.example:3333`, user: 'u' })),
    });
    expect(three.status).toBe(400);
    expect(three.json.error.message).toContain('1-2 pools');
    for (const body of [{ frequencyMhz: 'fast' }, { volts: 1 }, {}, { fan: { mode: 'manual' } }]) {
      const res = await rig.call('PATCH', `/api/miners/${id}/settings`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('INVALID_INPUT');
    }
    expect(device.model.commandsSeen).toEqual([]);
    expect(device.model.frequencyMhz).toBe(525);
  });

  it('needs the token, and answers 404 for an unknown miner', async () => {
    const { id, device } = await axeos('2.15');
    const anonymous = await fetch(`${rig.url}/api/miners/${id}/pause`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect((await rig.call('POST', '/api/miners/nope/identify')).status).toBe(404);
    expect((await rig.call('GET', '/api/miners/nope/settings')).status).toBe(404);
    expect(device.model.commandsSeen).toEqual([]);
  });

  it('a miner whose breaker is open answers 503 with retryAfterMs, and nothing is sent', async () => {
    const { id, device } = await axeos('2.15');
    const breaker = rig.rig.manager.minerBreaker(id);
    for (let i = 0; i < 10 && breaker.stats().state !== 'open'; i += 1) {
      await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    }
    expect(breaker.stats().state).toBe('open');
    const res = await rig.call('PATCH', `/api/miners/${id}/settings`, { frequencyMhz: 490 });
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('BREAKER_OPEN');
    expect(res.json.error.retryAfterMs).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(device.model.commandsSeen).toEqual([]);
  });
});

describe('NerdQAxe', () => {
  it('limits from absMax*, manual fan as `manualFanSpeed`, target as `pidTargetTemp`; no pause or identify', async () => {
    const { id, device } = await rig.watch(() => startNerdQaxeDevice({ seed: 3 }), 'nerdqaxe');
    const caps = (await rig.call('GET', `/api/miners/${id}/settings`)).json.capabilities;
    expect(caps.source).toContain('absMaxFrequency');
    expect(caps.frequencyMhz.max).toBe(800);
    expect(caps.commands).toMatchObject({ pause: false, identify: false, restart: true });

    const res = await rig.call('PATCH', `/api/miners/${id}/settings`, {
      fan: { mode: 'auto', targetTempC: 52 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.readBack.fan).toEqual({ mode: 'auto', targetTempC: 52 });
    const manual = await rig.call('PATCH', `/api/miners/${id}/settings`, {
      fan: { mode: 'manual', percent: 80 },
    });
    expect(manual.status).toBe(200);
    expect(sentBodies(device)).toEqual([
      { autofanspeed: 1, pidTargetTemp: 52 },
      { autofanspeed: 0, manualFanSpeed: 80 },
    ]);
    expect((await rig.call('POST', `/api/miners/${id}/pause`)).status).toBe(422);
  });
});
