/**
 * The CLI's settings, pause, resume and identify against a real server with control, and a
 * simulated AxeOS v2.15 over real HTTP: flags become the API's patch, the read-back is printed,
 * bad flags are refused before any request, and events name the CLI as who asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatedDevice, startAxeosDevice } from '../../src/simulator/index.js';
import { cli } from '../cli/harness.js';
import { TOKEN } from '../server/harness.js';
import { type ControlRig, controlRig } from './harness.js';

let rig: ControlRig;
let device: SimulatedDevice;
let id: string;
const env = { SOLOWATCH_TOKEN: TOKEN };

beforeAll(async () => {
  rig = await controlRig();
  device = await startAxeosDevice({ firmware: '2.15', seed: 11 });
  id = await rig.add(device, 'axeos');
});
afterAll(async () => {
  await rig.close();
  await device.close();
});

describe('solowatch settings / pause / resume / identify', () => {
  it('settings without flags prints what the device has', async () => {
    const r = await cli(['settings', id, '--url', rig.url], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('frequency  525 MHz');
    expect(r.stdout).toMatch(/pool\s+stratum\+tcp:\/\/public-pool\.io:21496/);
  });

  it('settings with flags writes them, prints what took and says a restart is needed', async () => {
    const r = await cli(
      [
        'settings',
        id,
        '--frequency',
        '550',
        '--fan',
        '65%',
        '--pool',
        'stratum+tcp://solo.example.org:3333,bc1qcli.one,secret-pw',
        '--pool',
        'stratum+tcp://backup.example.org:3333,bc1qcli.two',
        '--url',
        rig.url,
      ],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Applied: frequencyMhz, fan, pools.');
    expect(r.stdout).toContain('Takes effect after a restart');
    expect(r.stdout).toContain('fan        65%');
    expect(r.stdout).not.toContain('secret-pw');
    expect(device.model.frequencyMhz).toBe(550);
    await rig.rig.manager.drainBackground();
    const event = (await rig.rig.manager.listEvents({ minerId: id })).find(
      (e) => e.type === 'settings_changed',
    );
    expect(event?.data.actor).toBe('api:cli');
  });

  it('bad flags are refused before any request; out of range comes back from the API', async () => {
    const before = device.model.commandsSeen.length;
    const fan = await cli(['settings', id, '--fan', 'loud', '--url', rig.url], { env });
    expect(fan.code).not.toBe(0);
    expect(fan.stderr).toContain('--fan');
    const pool = await cli(['settings', id, '--pool', 'stratum+tcp://x:1', '--url', rig.url], { env });
    expect(pool.code).not.toBe(0);
    expect(pool.stderr).toContain('url,user');
    const high = await cli(['settings', id, '--frequency', '5000', '--url', rig.url], { env });
    expect(high.code).toBe(1);
    expect(high.stderr).toContain('400-625 MHz');
    expect(device.model.commandsSeen.length).toBe(before);
  });

  it('pause, resume and identify, each with --help', async () => {
    expect((await cli(['pause', id, '--url', rig.url], { env })).stdout).toContain('Mining paused');
    expect(device.model.paused).toBe(true);
    expect((await cli(['resume', id, '--url', rig.url], { env })).stdout).toContain('Mining resumed');
    expect(device.model.paused).toBe(false);
    expect((await cli(['identify', id, '--url', rig.url], { env })).stdout).toContain('Hi!');
    for (const name of ['settings', 'pause', 'resume', 'identify']) {
      const help = await cli([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`solowatch ${name}`);
    }
    expect((await cli(['settings', '--help'])).stdout).toContain('--pool <url,user[,password]>');
  });
});
