import { describe, expect, it } from 'vitest';
import { runSimulator } from './cli.js';
import { startFleet } from './fleet.js';
import { httpRequest, ManualClock, tcpAsk } from './testClients.js';

function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

describe('startFleet', () => {
  it('starts 200 devices and closes them quickly', async () => {
    const started = performance.now();
    const fleet = await startFleet({ count: 200, kind: 'mixed', firmware: 'mixed', seed: 3 });
    expect(fleet.devices).toHaveLength(200);
    expect(new Set(fleet.devices.map((d) => d.port)).size).toBe(200);
    expect(new Set(fleet.devices.map((d) => d.kind))).toEqual(
      new Set(['axeos', 'nerdqaxe', 'cgminer', 'avalon', 'whatsminer']),
    );
    expect(new Set(fleet.devices.map((d) => d.mac)).size).toBe(200);
    await fleet.close();
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('gives each device its identity and name, and spreads AxeOS releases when asked', async () => {
    await using fleet = await startFleet({
      count: 12,
      kind: 'axeos',
      firmware: 'mixed',
      names: ['garage'],
      clock: new ManualClock(),
    });
    const first = fleet.devices[0];
    expect(first?.hostname).toBe('garage');
    expect(new Set(fleet.devices.map((d) => d.firmware)).size).toBe(12);
    const body = JSON.parse((await httpRequest(first?.port ?? 0, '/api/system/info')).body);
    expect(body.version).toBe('v2.0.0');
  });

  it('binds several loopback addresses', async () => {
    await using fleet = await startFleet({ count: 4, kind: 'cgminer', host: ['127.0.0.1', '127.0.0.2'] });
    expect(fleet.devices.map((d) => d.host)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.1', '127.0.0.2']);
    const reply = await tcpAsk(fleet.devices[0]?.port ?? 0, '{"command":"version"}');
    expect(reply).toContain('"VERSION"');
  });

  it('refuses a bad count or kind', async () => {
    await expect(startFleet({ count: -1 })).rejects.toThrow(/count/);
    await expect(startFleet({ count: 1, kind: 'toaster' as never })).rejects.toThrow(/toaster/);
  });

  it('close leaves no socket or timer behind, even mid-fault and mid-restart', async () => {
    const before = handles();
    const fleet = await startFleet({
      count: 6,
      kind: 'mixed',
      restartDelayMs: 60_000,
      faults: { script: [{ fault: 'hang' }, { fault: 'slow' }], slowDelayMs: 10_000 },
    });
    const http = fleet.devices.filter((d) => d.kind === 'axeos' || d.kind === 'nerdqaxe');
    const pending = http.flatMap((d) => [
      httpRequest(d.port, '/api/system/info').catch(() => null),
      httpRequest(d.port, '/api/system/info').catch(() => null),
    ]);
    const [axeos] = fleet.devices;
    await new Promise((resolve) => setTimeout(resolve, 50));
    axeos?.setFaults(null);
    await httpRequest(axeos?.port ?? 0, '/api/system/restart', { method: 'POST' });
    await fleet.close();
    await Promise.all(pending);
    await new Promise((resolve) => setImmediate(resolve));
    const after = handles();
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'])
      expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
  });
});

describe('runSimulator', () => {
  it('prints a table of addresses and stops on abort', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    let ports: number[] = [];
    const done = runSimulator({
      count: 3,
      kind: 'mixed',
      write: (text) => lines.push(text),
      signal: controller.signal,
      onReady: (fleet) => {
        ports = fleet.devices.map((d) => d.port);
        controller.abort();
      },
    });
    await done;
    const table = lines.join('');
    expect(table.split('\n')[0]).toMatch(/^id\s+kind\s+address\s+firmware\s+hostname\s+mac$/);
    for (const port of ports) expect(table).toContain(`127.0.0.1:${port}`);
    await expect(httpRequest(ports[0] ?? 0, '/api/system/info')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('reads argv-like options and names a bad one', async () => {
    const { parseSimulatorArgs } = await import('./cli.js');
    expect(parseSimulatorArgs(['--count', '5', '--kind=axeos', '--fault-rate', '0.1'])).toEqual({
      count: 5,
      kind: 'axeos',
      faultRate: 0.1,
    });
    expect(() => parseSimulatorArgs(['--colour', 'red'])).toThrow(/--colour/);
    expect(() => parseSimulatorArgs(['--count', 'many'])).toThrow(/--count expects a number/);
    expect(parseSimulatorArgs(['--latency-ms', '120'])).toEqual({ latencyMs: 120 });
    expect(() => parseSimulatorArgs(['--latency-ms', 'slow'])).toThrow(/--latency-ms expects a number/);
  });
});
