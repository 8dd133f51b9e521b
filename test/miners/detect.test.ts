import { describe, expect, it } from 'vitest';
import { createDriverRegistry, type DriverRegistry, NotAMinerError } from '../../src/miners/index.js';
import { MinerConnectionError, ValidationError } from '../../src/resilience/index.js';
import { startFleet } from '../../src/simulator/index.js';
import { cleanupsAfterEach, deadPort, httpServer, rejectionOf, SteppingClock, tcpServer } from './helpers.js';

const cleanups = cleanupsAfterEach();

function registry(): { registry: DriverRegistry } {
  const clock = new SteppingClock();
  const r = createDriverRegistry({
    clock,
    http: { timeoutMs: 1000 },
    cgminer: { timeoutMs: 1000 },
  });
  cleanups.push(() => r.close());
  return { registry: r };
}

describe('detection', () => {
  it('tells every kind of a mixed fleet apart, every cgminer firmware and Whatsminer included', async () => {
    // 28 = four rounds of the mixed cycle: each cgminer and Avalon firmware the simulator plays.
    const fleet = await startFleet({ count: 28, kind: 'mixed', firmware: 'mixed' });
    cleanups.push(() => fleet.close());
    const { registry: r } = registry();
    const expected = {
      axeos: 'axeos',
      nerdqaxe: 'nerdqaxe',
      cgminer: 'cgminer',
      avalon: 'cgminer',
      whatsminer: 'whatsminer',
    } as const;
    for (const device of fleet.devices) {
      const { driver, identity } = await r.detect({ host: device.host, port: device.port });
      expect(driver.kind).toBe(expected[device.kind]);
      expect(identity.kind).toBe(driver.kind);
    }
  });

  it('refuses a router page as not a miner', async () => {
    const router = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Router login</title>');
    });
    cleanups.push(router.close);
    const error = await rejectionOf(registry().registry.detect({ host: '127.0.0.1', port: router.port }));
    expect(error).toBeInstanceOf(NotAMinerError);
    expect((error as NotAMinerError).code).toBe('NOT_A_MINER');
    expect((error as NotAMinerError).retryable).toBe(false);
  });

  it('refuses JSON that is not an ESP-Miner (a Hue bridge)', async () => {
    const hue = await httpServer((req, res) => {
      res.writeHead(req.url === '/api/system/info' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'Philips hue', bridgeid: '001788FFFE000000', modelid: 'BSB002' }));
    });
    cleanups.push(hue.close);
    expect(
      await rejectionOf(registry().registry.detect({ host: '127.0.0.1', port: hue.port })),
    ).toBeInstanceOf(NotAMinerError);
  });

  it('refuses a TCP service that is not cgminer', async () => {
    const echo = await tcpServer((socket) => socket.end('220 smtp.example ESMTP ready\r\n'));
    cleanups.push(echo.close);
    const error = await rejectionOf(
      registry().registry.detect({ host: '127.0.0.1', port: echo.port }, { kind: 'cgminer' }),
    );
    expect(error).toBeInstanceOf(NotAMinerError);
  });

  it('says "nothing answered" with a connection error, not NotAMinerError', async () => {
    const port = await deadPort();
    const error = await rejectionOf(
      registry().registry.detect({ host: '127.0.0.1', port }, { maxAttempts: 1 }),
    );
    expect(error).toBeInstanceOf(MinerConnectionError);
    const onlyHttp = await rejectionOf(
      registry().registry.detect({ host: '127.0.0.1', port }, { kind: 'axeos', maxAttempts: 1 }),
    );
    expect(onlyHttp).toBeInstanceOf(MinerConnectionError);
  });

  it('checks a stated kind with that driver only', async () => {
    const fleet = await startFleet({ count: 1, kind: 'nerdqaxe' });
    cleanups.push(() => fleet.close());
    const device = fleet.devices[0];
    if (device === undefined) throw new Error('no device');
    const { registry: r } = registry();
    expect((await r.detect(device, { kind: 'nerdqaxe' })).driver.kind).toBe('nerdqaxe');
    expect(await rejectionOf(r.detect(device, { kind: 'axeos' }))).toBeInstanceOf(NotAMinerError);
  });

  it('refuses bad endpoints', async () => {
    const { registry: r } = registry();
    await expect(r.detect({ host: '', port: 80 })).rejects.toBeInstanceOf(ValidationError);
    await expect(r.detect({ host: 'h', port: 70000 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists its drivers and finds them by kind', () => {
    const { registry: r } = registry();
    expect(r.list().map((driver) => [driver.kind, driver.defaultPort])).toEqual([
      ['axeos', 80],
      ['nerdqaxe', 80],
      ['cgminer', 4028],
      ['whatsminer', 4028],
    ]);
    expect(r.get('cgminer')?.kind).toBe('cgminer');
    expect(r.get('whatsminer')?.kind).toBe('whatsminer');
  });
});
