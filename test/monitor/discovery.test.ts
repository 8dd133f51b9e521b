/** Discovery on loopback addresses: finds the simulator's miners, and nothing else that answers. */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { isMonitorError } from '../../src/monitor/index.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, freePort, type Rig } from './helpers.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;
let other: Server | undefined;

afterEach(async () => {
  await rig?.close();
  await fleet?.close();
  if (other !== undefined) await new Promise((resolve) => other?.close(resolve));
});

describe('monitor discovery (simulator on 127.0.0.x)', () => {
  it('finds simulator devices only, and knows the one already added by its MAC', async () => {
    const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
    const port = await freePort(hosts);
    fleet = await startFleet({
      count: 2,
      kind: 'axeos',
      seed: 31,
      host: ['127.0.0.2', '127.0.0.3'],
      basePort: port,
    });
    other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>printer</html>');
    });
    await new Promise<void>((resolve) => other?.listen(port, '127.0.0.4', resolve));
    rig = await createRig({ discovery: { ports: [port], timeoutMs: 500, concurrency: 4 } });
    const known = await rig.manager.addMiner({ host: '127.0.0.3', port });
    const progress: number[] = [];
    const found = await rig.manager.discover('127.0.0.1-6', { onProgress: (p) => progress.push(p.scanned) });
    expect(found.map((m) => m.host)).toEqual(['127.0.0.2', '127.0.0.3']);
    expect(found.every((m) => m.kind === 'axeos' && m.port === port && m.mac !== null)).toBe(true);
    expect(found.find((m) => m.host === '127.0.0.3')?.knownMinerId).toBe(known.id);
    expect(found.find((m) => m.host === '127.0.0.2')?.knownMinerId).toBeNull();
    expect(progress.at(-1)).toBe(6);
    expect(rig.manager.listMiners()).toHaveLength(1);
  });

  it('refuses a range larger than a /16 with a clear error', async () => {
    rig = await createRig();
    try {
      await rig.manager.discover('10.0.0.0/8');
      expect.unreachable();
    } catch (error) {
      expect(isMonitorError(error) && error.code).toBe('INVALID_INPUT');
      expect((error as Error).message).toMatch(/\/16/);
    }
  });
});

describe('identity by MAC (simulator)', () => {
  it('a known miner answering at a new address is moved there and keeps its history', async () => {
    const hosts = ['127.0.0.7', '127.0.0.8'];
    const port = await freePort(hosts);
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 41, host: '127.0.0.7', basePort: port });
    const mac = fleet.devices[0]?.mac;
    rig = await createRig({ discovery: { ports: [port], timeoutMs: 500 } });
    const view = await rig.manager.addMiner({ host: '127.0.0.7', port });
    await rig.manager.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await rig.storage.flush();
    expect(await rig.storage.latestMetric(view.id)).not.toBeNull();
    await fleet.close();
    // The same device (same seed, same MAC) after a DHCP change.
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 41, host: '127.0.0.8', basePort: port });
    expect(fleet.devices[0]?.mac).toBe(mac);
    const found = await rig.manager.discover('127.0.0.8');
    expect(found.map((m) => m.knownMinerId)).toEqual([view.id]);
    expect(rig.manager.getMiner(view.id)?.host).toBe('127.0.0.8');
    expect(rig.manager.listMiners()).toHaveLength(1);
    expect((await rig.storage.getMinerConfig(view.id))?.host).toBe('127.0.0.8');
    expect(await rig.storage.latestMetric(view.id)).not.toBeNull();
    const events = (await rig.storage.listEvents({ minerId: view.id })).map((e) => e.type);
    expect(events).toContain('address_changed');
  });
});
