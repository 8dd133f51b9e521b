import { afterEach, describe, expect, it } from 'vitest';
import { startNerdQaxeDevice } from './nerdqaxeDevice.js';
import { NERDQAXE_KEYS } from './nerdqaxeInfo.js';
import { httpRequest, ManualClock } from './testClients.js';
import type { SimulatedDevice } from './types.js';

const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

describe('NerdQAxe device', () => {
  it('sends its own field set, temp as the hottest chip, bestDiff as a number, and closes every connection', async () => {
    const d = await startNerdQaxeDevice({ seed: 5 });
    open.push(d);
    const res = await httpRequest(d.port, '/api/system/info?ts=0&limit=5');
    expect(res.headers.connection).toBe('close');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([...NERDQAXE_KEYS].sort());
    const temps = body.asicTemps as number[];
    expect(temps).toHaveLength(4);
    expect(body.temp).toBe(Math.max(...temps));
    expect(typeof body.bestDiff).toBe('number');
    for (const renamed of ['fanrpm2', 'hostip', 'lastResetReason', 'freeHeapInt', 'stratumEnonceSubscribe']) {
      expect(body).toHaveProperty(renamed);
    }
    for (const axeosName of [
      'fan2rpm',
      'ipv4',
      'resetReason',
      'freeHeapInternal',
      'stratumExtranonceSubscribe',
    ]) {
      expect(body).not.toHaveProperty(axeosName);
    }
    const history = body.history as { timestamps: number[] };
    expect(history.timestamps).toHaveLength(5);
  });

  it('leaves history out without ts, and has no statistics endpoint', async () => {
    const d = await startNerdQaxeDevice();
    open.push(d);
    expect(JSON.parse((await httpRequest(d.port, '/api/system/info')).body)).not.toHaveProperty('history');
    // The fork answers every unknown path with the captive portal's redirect.
    const statistics = await httpRequest(d.port, '/api/system/statistics');
    expect(statistics.status).toBe(302);
    expect(statistics.headers.location).toBe('/');
  });

  it('answers restart in plain text and comes back with uptime reset', async () => {
    const clock = new ManualClock();
    const d = await startNerdQaxeDevice({ clock, restartDelayMs: 60_000, initialUptimeSeconds: 99 });
    open.push(d);
    const res = await httpRequest(d.port, '/api/system/restart', { method: 'POST' });
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.body).toBe('System will restart shortly.');
    clock.advance(60_000);
    const info = JSON.parse((await httpRequest(d.port, '/api/system/info')).body);
    expect(info.uptimeSeconds).toBe(0);
    expect(info.lastResetReason).toBe('Software reset via esp_restart');
  });
});
