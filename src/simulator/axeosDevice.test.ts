import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAxeosDevice } from './axeosDevice.js';
import { AXEOS_RELEASES, axeosRelease, type FirmwareType, SEEN_IN_REAL_REPLIES } from './axeosReleases.js';
import { httpRequest, ManualClock } from './testClients.js';
import type { SimulatedDevice } from './types.js';

// Entry counts of the reference key lists (keys-v*.txt), pinned so that an edit to the table shows.
const REFERENCE_ENTRY_COUNTS: Record<string, number> = {
  '2.0': 25,
  '2.2': 34,
  '2.4': 39,
  '2.6': 50,
  '2.8': 58,
  '2.9': 63,
  '2.10': 65,
  '2.11': 78,
  '2.12': 82,
  '2.13': 93,
  '2.14': 110,
  '2.15': 138,
};

const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function device(options: Parameters<typeof startAxeosDevice>[0]) {
  const d = await startAxeosDevice(options);
  open.push(d);
  return d;
}

function jsonType(value: unknown, type: FirmwareType): boolean {
  switch (type) {
    case 'Number':
    case 'Float':
      return typeof value === 'number';
    case 'String':
      return typeof value === 'string';
    case 'Bool':
      return typeof value === 'boolean';
    case 'Null':
      return value === null;
    case 'Array':
      return Array.isArray(value);
    case 'Item':
      return typeof value === 'object' && value !== null;
  }
}

describe('AxeOS release table', () => {
  it('holds every release from 2.0 to 2.15 with the reference entry counts', () => {
    expect(AXEOS_RELEASES).toEqual(Object.keys(REFERENCE_ENTRY_COUNTS));
    for (const release of AXEOS_RELEASES) {
      const entries = axeosRelease(release).keys.reduce(
        (n, k) => n + (k.key === 'version' ? 1 : k.types.length),
        0,
      );
      const nullableVersion = release === '2.15' ? 1 : 0;
      const notInReference = SEEN_IN_REAL_REPLIES[release]?.trim().split(/\s+/).length ?? 0;
      expect(entries + nullableVersion - notInReference, release).toBe(REFERENCE_ENTRY_COUNTS[release]);
    }
  });

  it('refuses an unknown firmware, naming the known ones', () => {
    expect(() => axeosRelease('2.7')).toThrow(/known releases: 2\.0, 2\.2/);
    expect(axeosRelease('v2.10.0').release).toBe('2.10');
  });
});

describe.each(AXEOS_RELEASES)('AxeOS %s GET /api/system/info', (release) => {
  it('sends exactly the release key set with its JSON types', async () => {
    const d = await device({
      firmware: release,
      powerFault: 'VR fault',
      hardwareFault: 'fan',
      initialBestDiff: 2.56e9,
    });
    const res = await httpRequest(d.port, '/api/system/info');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    const table = axeosRelease(release).keys.filter((k) => ['info', 'job', 'fault'].includes(k.role));
    expect(Object.keys(body).sort()).toEqual(table.map((k) => k.key).sort());
    for (const { key, types } of table) {
      expect(
        types.some((t) => jsonType(body[key], t)),
        `${key} should be ${types.join('|')}`,
      ).toBe(true);
    }
    const minor = Number(release.split('.')[1]);
    if (minor === 0) expect(body.fanSpeed).toEqual(expect.any(Number));
    else expect(body.fanspeed).toEqual(expect.any(Number));
    const formatted = {
      0: '2.56G',
      2: '2.56G',
      4: '2.56G',
      6: '2.56G',
      8: '2.56G',
      9: '2.56G',
      10: '2.56 G',
    }[minor];
    expect(body.bestDiff).toBe(formatted ?? 2_560_000_000);
    expect(body.uptimeSeconds).toBe(3600);
    expect(body.voltage).toBeGreaterThan(4000); // mV
  });
});

describe('AxeOS device', () => {
  it('answers after its response delay, not before', async () => {
    const d = await device({ responseDelayMs: 250 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let answered = false;
      const reply = httpRequest(d.port, '/api/system/info').then((r) => {
        answered = true;
        return r;
      });
      // The request travels over a real socket: wait until the device has it.
      while (d.requestCount === 0) await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(249);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await reply).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a response delay that is not a duration', async () => {
    await expect(startAxeosDevice({ responseDelayMs: -1 })).rejects.toThrow(/responseDelayMs/);
    await expect(startAxeosDevice({ responseDelayMs: Number.NaN })).rejects.toThrow(/responseDelayMs/);
  });

  it('sends network data only once a pool job arrived', async () => {
    const clock = new ManualClock();
    const d = await device({ clock, initialUptimeSeconds: 0, firstJobDelayMs: 3000 });
    const before = JSON.parse((await httpRequest(d.port, '/api/system/info')).body) as Record<
      string,
      unknown
    >;
    expect(before).not.toHaveProperty('networkDifficulty');
    expect(before).not.toHaveProperty('blockHeight');
    clock.advance(3000);
    const after = JSON.parse((await httpRequest(d.port, '/api/system/info')).body) as Record<string, unknown>;
    expect(after.networkDifficulty).toBeGreaterThan(1e12);
    expect(after.blockHeight).toBeGreaterThan(800_000);
  });

  it('serves the ASIC settings, and a JSON 404 for unknown /api paths from v2.9', async () => {
    const d = await device({ asicModel: 'BM1368' });
    const asic = JSON.parse((await httpRequest(d.port, '/api/system/asic')).body) as Record<string, unknown>;
    expect(asic).toMatchObject({ ASICModel: 'BM1368', deviceModel: 'Supra', asicCount: 1 });
    const unknown = await httpRequest(d.port, '/api/nope');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'unknown route' });
    // Outside /api the catch-all still sends the browser to the portal.
    expect((await httpRequest(d.port, '/nope')).status).toBe(302);
  });

  it('answers unknown paths, /api/system/asic included, with a 302 to "/" up to v2.8', async () => {
    for (const firmware of ['2.0', '2.4', '2.6']) {
      const old = await device({ firmware });
      const asic = await httpRequest(old.port, '/api/system/asic');
      expect(asic.status, firmware).toBe(302);
      expect(asic.headers.location, firmware).toBe('/');
    }
    const v28 = await device({ firmware: '2.8' });
    expect((await httpRequest(v28.port, '/api/system/asic')).status).toBe(200);
    expect((await httpRequest(v28.port, '/api/nope')).status).toBe(302);
  });

  it('sends the exact bestNonceDiff beside the rounded bestDiff on v2.6, as real v2.6.0 builds do', async () => {
    const d = await device({ firmware: '2.6' });
    const info = JSON.parse((await httpRequest(d.port, '/api/system/info')).body) as Record<string, unknown>;
    expect(typeof info.bestDiff).toBe('string');
    expect(info.bestNonceDiff).toBe(d.model.lastSnapshot?.bestDiff);
    const later = await device({ firmware: '2.8' });
    expect(JSON.parse((await httpRequest(later.port, '/api/system/info')).body)).not.toHaveProperty(
      'bestNonceDiff',
    );
  });

  it('reports the tachometer as fanSpeed (RPM) on v2.0', async () => {
    const d = await device({ firmware: '2.0' });
    const info = JSON.parse((await httpRequest(d.port, '/api/system/info')).body) as Record<string, unknown>;
    expect(info.fanSpeed).toBe(d.model.lastSnapshot?.fanRpm);
    expect(info.fanSpeed).toBeGreaterThan(100);
  });

  it('exposes what it served as ground truth for driver tests', async () => {
    const d = await device({ firmware: '2.13' });
    const body = JSON.parse((await httpRequest(d.port, '/api/system/info')).body);
    const truth = d.model.lastSnapshot;
    expect(body.hashRate).toBeCloseTo(truth?.hashrateGh ?? Number.NaN, 2);
    expect(body.sharesAccepted).toBe(truth?.sharesAccepted);
    expect(body.expectedHashrate).toBe(d.model.expectedHashrateGh);
    expect(body.macAddr).toBe(d.mac);
    expect(body.hostname).toBe(d.hostname);
  });

  it('stays silent while it boots after restart()', async () => {
    const clock = new ManualClock();
    const d = await device({ clock, bootTimeMs: 4000 });
    d.restart();
    await expect(httpRequest(d.port, '/api/system/info')).rejects.toMatchObject({ code: 'ECONNRESET' });
    clock.advance(4000);
    const info = JSON.parse((await httpRequest(d.port, '/api/system/info')).body);
    expect(info.uptimeSeconds).toBe(0);
  });

  it('scans wifi from v2.6 on', async () => {
    const d = await device({ firmware: '2.6' });
    const scan = JSON.parse((await httpRequest(d.port, '/api/system/wifi/scan')).body);
    expect(scan.networks[0]).toMatchObject({ ssid: 'miners', authmode: 3 });
    const old = await device({ firmware: '2.4' });
    expect((await httpRequest(old.port, '/api/system/wifi/scan')).status).toBe(302);
  });

  it('keeps statistics from v2.8 on: ms since boot last, at most 720 points', async () => {
    const clock = new ManualClock();
    const d = await device({
      clock,
      firmware: '2.8',
      initialUptimeSeconds: 86_400 * 2,
      statsFrequencySeconds: 60,
    });
    const res = JSON.parse(
      (await httpRequest(d.port, '/api/system/statistics?columns=hashrate,asicTemp,power')).body,
    );
    expect(res.labels).toEqual(['hashrate', 'asicTemp', 'power', 'timestamp']);
    expect(res.statistics).toHaveLength(720);
    expect(res.currentTimestamp).toBe(86_400 * 2 * 1000);
    const last = res.statistics.at(-1);
    expect(last[3]).toBeLessThanOrEqual(res.currentTimestamp);
    expect(last[0]).toBeGreaterThan(900);
    const old = await device({ firmware: '2.6' });
    expect((await httpRequest(old.port, '/api/system/statistics')).status).toBe(302);
  });

  it('restart answers, then drops connections and resets uptime and resetReason', async () => {
    const clock = new ManualClock();
    const d = await device({ clock, restartDelayMs: 60_000, initialUptimeSeconds: 500, firmware: '2.12' });
    const res = await httpRequest(d.port, '/api/system/restart', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ message: 'System will restart shortly.' });
    // Until the delay has passed on the device's clock it still runs its old boot. (The delay is
    // long here so that the real-time connection drop cannot race the requests below.)
    expect(JSON.parse((await httpRequest(d.port, '/api/system/info')).body).uptimeSeconds).toBe(500);
    clock.advance(60_000);
    const info = JSON.parse((await httpRequest(d.port, '/api/system/info')).body);
    expect(info.uptimeSeconds).toBe(0);
    expect(info.resetReason).toBe('Software reset via esp_restart');
    expect(info.sharesAccepted).toBe(0);
  });
});
