import { describe, expect, it } from 'vitest';
import { FakeDriver, FakeRegistry, makeSample } from './testing/FakeDriver.js';
import { createHarness } from './testing/harness.js';

const MAC = 'AA:BB:CC:00:00:01';

/** A monitor that speaks AxeOS on port 80 and cgminer on 4028, both scripted per host. */
function rig() {
  const axeos = new FakeDriver('axeos', 80);
  const cgminer = new FakeDriver('cgminer', 4028);
  const h = createHarness({ drivers: new FakeRegistry(axeos, cgminer) });
  axeos.now = () => h.clock.now();
  cgminer.now = () => h.clock.now();
  return { ...h, axeos, cgminer };
}

const avalon = () => makeSample({ kind: 'cgminer', mac: MAC, deviceModel: 'Avalon Nano3s' });
const bitaxe = () => makeSample({ kind: 'axeos', mac: MAC, deviceModel: 'Gamma' });

describe('identity by MAC', () => {
  it("adds a Bitaxe that shares an Avalon's MAC as a miner of its own; the Avalon stays", async () => {
    const r = rig();
    r.cgminer.on('10.0.0.1', avalon);
    await r.manager.addMiner({ host: '10.0.0.1', port: 4028 });
    r.cgminer.behaviours.delete('10.0.0.1'); // even with the Avalon silent
    r.axeos.on('10.0.0.2', bitaxe);
    const added = await r.manager.addMiner({ host: '10.0.0.2', port: 80 });
    expect(added).toMatchObject({ id: 'm2', kind: 'axeos', host: '10.0.0.2' });
    expect(r.manager.getMiner('m1')).toMatchObject({ kind: 'cgminer', host: '10.0.0.1', port: 4028 });
  });

  it('moves a miner whose old address is silent to where the same kind answers with its MAC', async () => {
    const r = rig();
    r.axeos.on('10.0.0.1', bitaxe);
    await r.manager.addMiner({ host: '10.0.0.1', port: 80 });
    r.axeos.behaviours.delete('10.0.0.1');
    r.axeos.on('10.0.0.5', bitaxe);
    await expect(r.manager.addMiner({ host: '10.0.0.5', port: 80 })).rejects.toMatchObject({
      code: 'MINER_EXISTS',
      message: expect.stringContaining('its address is now 10.0.0.5:80'),
    });
    expect(r.manager.getMiner('m1')).toMatchObject({ host: '10.0.0.5', port: 80 });
  });

  it('moves nothing while the old address still answers with the MAC', async () => {
    const r = rig();
    r.axeos.on('10.0.0.1', bitaxe);
    await r.manager.addMiner({ host: '10.0.0.1', port: 80 });
    r.axeos.on('10.0.0.5', bitaxe);
    await expect(r.manager.addMiner({ host: '10.0.0.5', port: 80 })).rejects.toMatchObject({
      code: 'MINER_EXISTS',
      message: expect.stringContaining('10.0.0.1:80 still answers with it'),
    });
    expect(r.manager.getMiner('m1')).toMatchObject({ host: '10.0.0.1' });
    // Discovery finds both: neither is moved.
    const found = await r.manager.discover('10.0.0.5');
    expect(found.map((m) => [m.host, m.knownMinerId])).toEqual([['10.0.0.5', 'm1']]);
    expect(r.manager.getMiner('m1')).toMatchObject({ host: '10.0.0.1' });
  });

  it('discovery never moves an Avalon entry onto a Bitaxe that shares its MAC', async () => {
    const r = rig();
    r.cgminer.on('10.0.0.1', avalon);
    await r.manager.addMiner({ host: '10.0.0.1', port: 4028 });
    r.cgminer.behaviours.delete('10.0.0.1');
    r.axeos.on('10.0.0.2', bitaxe);
    const found = await r.manager.discover('10.0.0.2');
    expect(found).toEqual([expect.objectContaining({ host: '10.0.0.2', kind: 'axeos', knownMinerId: null })]);
    expect(r.manager.getMiner('m1')).toMatchObject({ host: '10.0.0.1', port: 4028 });
    // The Avalon itself, found at a new address with its old one silent, does move.
    r.cgminer.on('10.0.0.3', avalon);
    await r.manager.discover('10.0.0.3');
    expect(r.manager.getMiner('m1')).toMatchObject({ host: '10.0.0.3', kind: 'cgminer' });
  });
});
