import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAxeosDevice } from './axeosDevice.js';
import { startCgminerDevice } from './cgminerDevice.js';
import { FaultInjector, FaultPlanError } from './faults.js';
import { startNerdQaxeDevice } from './nerdqaxeDevice.js';
import { seededRandom } from './random.js';
import { httpRequest, ManualClock, tcpAsk } from './testClients.js';
import type { SimulatedDevice } from './types.js';

const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function axeos(options: Parameters<typeof startAxeosDevice>[0] = {}) {
  const d = await startAxeosDevice(options);
  open.push(d);
  return d;
}
async function cgminer(options: Parameters<typeof startCgminerDevice>[0] = {}) {
  const d = await startCgminerDevice(options);
  open.push(d);
  return d;
}
const info = '/api/system/info';

describe('FaultInjector', () => {
  it('plays an array script in order, then the rates', () => {
    const f = new FaultInjector(seededRandom(1), {
      script: [{ fault: 'hang', count: 2 }, { fault: null }, { fault: 'reset' }],
      rates: { http500: 1 },
    });
    expect([f.next(), f.next(), f.next(), f.next(), f.next()]).toEqual([
      'hang',
      'hang',
      null,
      'reset',
      'http500',
    ]);
  });
  it('asks a script function with the request number', () => {
    const f = new FaultInjector(seededRandom(1), { script: (n) => (n % 2 === 0 ? 'http503' : null) });
    expect([f.next(), f.next(), f.next(), f.next()]).toEqual([null, 'http503', null, 'http503']);
  });
  it('draws rates with about their probability', () => {
    const f = new FaultInjector(seededRandom(9), { rates: { http500: 0.3, reset: 0.2 } });
    const seen = Array.from({ length: 4000 }, () => f.next());
    expect(seen.filter((x) => x === 'http500').length / 4000).toBeCloseTo(0.3, 1);
    expect(seen.filter((x) => x === 'reset').length / 4000).toBeCloseTo(0.2, 1);
  });
  it('refuses a bad plan with a clear error', () => {
    expect(() => new FaultInjector(Math.random, { rates: { http500: 0.7, reset: 0.6 } })).toThrow(
      FaultPlanError,
    );
    expect(() => new FaultInjector(Math.random, { script: [{ fault: 'explode' as never }] })).toThrow(
      /Unknown fault "explode"/,
    );
    expect(() => new FaultInjector(Math.random, { rates: { hang: 2 } })).toThrow(/rates\.hang/);
  });
});

describe('HTTP faults', () => {
  it('refuse: the connection is reset at accept', async () => {
    const d = await axeos({ faults: { script: [{ fault: 'refuse' }] } });
    await expect(httpRequest(d.port, info)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await httpRequest(d.port, info)).status).toBe(200);
  });

  it('offline: nothing listens (ECONNREFUSED) until set back', async () => {
    const d = await axeos();
    d.setFaults({ offline: true });
    await vi.waitFor(() => expect(httpRequest(d.port, info)).rejects.toMatchObject({ code: 'ECONNREFUSED' }));
    d.setFaults(null);
    await vi.waitFor(async () => expect((await httpRequest(d.port, info)).status).toBe(200));
  });

  it('reset: the reply starts, then the connection is reset', async () => {
    const d = await axeos({ faults: { script: [{ fault: 'reset' }] } });
    await expect(httpRequest(d.port, info)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('hang: no answer until the client gives up', async () => {
    const d = await axeos({ faults: { script: [{ fault: 'hang' }] } });
    await expect(httpRequest(d.port, info, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('slow: the whole body arrives, dripped', async () => {
    const d = await axeos({ faults: { script: [{ fault: 'slow' }], slowChunkBytes: 1000, slowDelayMs: 40 } });
    const started = performance.now();
    const res = await httpRequest(d.port, info);
    expect(JSON.parse(res.body)).toHaveProperty('hashRate');
    const writes = Math.ceil(Buffer.byteLength(res.body) / 1000);
    expect(performance.now() - started).toBeGreaterThanOrEqual((writes - 1) * 40 - 5);
  });

  it('http500 and http503 with Retry-After in seconds', async () => {
    const d = await axeos({
      faults: { script: [{ fault: 'http500' }, { fault: 'http503' }], retryAfterSeconds: 7 },
    });
    expect((await httpRequest(d.port, info)).status).toBe(500);
    const res = await httpRequest(d.port, info);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
  });

  it('malformed: 200 with a body no parser finishes', async () => {
    const d = await axeos({ faults: { script: [{ fault: 'malformed' }] } });
    const res = await httpRequest(d.port, info);
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body)).toThrow(SyntaxError);
  });

  it('oversized: valid JSON above 1 MiB', async () => {
    const d = await axeos({ faults: { script: [{ fault: 'oversized' }] } });
    const res = await httpRequest(d.port, info);
    expect(Buffer.byteLength(res.body)).toBeGreaterThan(1024 * 1024);
    expect(JSON.parse(res.body)).toHaveProperty('hashRate');
  });

  it('wrongTypes: numbers as strings, nulls, arrays as objects', async () => {
    const d = await axeos({ firmware: '2.12', faults: { script: [{ fault: 'wrongTypes' }] } });
    const body = JSON.parse((await httpRequest(d.port, info)).body) as Record<string, unknown>;
    const values = Object.values(body);
    expect(values.some((v) => typeof v === 'string' && /^-?\d/.test(v) && Number.isFinite(Number(v)))).toBe(
      true,
    );
    expect(values).toContain(null);
    expect(Array.isArray(body.sharesRejectedReasons)).toBe(false);
  });

  it('restart: the device reboots mid-reply', async () => {
    const d = await axeos({
      clock: new ManualClock(),
      initialUptimeSeconds: 1000,
      faults: { script: [{ fault: 'restart' }] },
    });
    await expect(httpRequest(d.port, info)).rejects.toBeInstanceOf(Error);
    expect(JSON.parse((await httpRequest(d.port, info)).body).uptimeSeconds).toBe(0);
  });

  it('faults change at run time', async () => {
    const d = await startNerdQaxeDevice();
    open.push(d);
    expect((await httpRequest(d.port, info)).status).toBe(200);
    d.setFaults({ rates: { http500: 1 } });
    expect((await httpRequest(d.port, info)).status).toBe(500);
    d.setFaults(null);
    expect((await httpRequest(d.port, info)).status).toBe(200);
  });

  it('a restart drops keep-alive connections', async () => {
    const d = await axeos({ restartDelayMs: 20 });
    const socket = connect(d.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(`GET ${info} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`);
    await new Promise((resolve) => socket.once('data', resolve));
    await httpRequest(d.port, '/api/system/restart', { method: 'POST' });
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});

describe('cgminer faults', () => {
  const ask = (port: number, command = 'summary') => tcpAsk(port, JSON.stringify({ command }));

  it('missingNul: the reply lacks its NUL', async () => {
    const d = await cgminer({ faults: { script: [{ fault: 'missingNul' }] } });
    const reply = await ask(d.port);
    expect(reply.endsWith('\u0000')).toBe(false);
    expect(JSON.parse(reply).SUMMARY).toHaveLength(1);
  });

  it('joinedSections: `}{` between list items, repaired by a comma', async () => {
    const d = await cgminer({ faults: { script: [{ fault: 'joinedSections' }] } });
    const reply = (await ask(d.port, 'stats')).slice(0, -1);
    expect(reply).toContain('}{');
    expect(() => JSON.parse(reply)).toThrow();
    expect(JSON.parse(reply.replaceAll('}{', '},{')).STATS).toHaveLength(2);
  });

  it('trailingComma: `,}` that strict JSON refuses', async () => {
    const d = await cgminer({ faults: { script: [{ fault: 'trailingComma' }] } });
    const reply = (await ask(d.port)).slice(0, -1);
    expect(reply).toContain(',}');
    expect(JSON.parse(reply.replaceAll(',}', '}')).SUMMARY).toHaveLength(1);
  });

  it('infNan: bare inf and nan numbers', async () => {
    const d = await cgminer({ faults: { script: [{ fault: 'infNan' }] } });
    const reply = (await ask(d.port)).slice(0, -1);
    expect(reply).toMatch(/:inf[,}]/);
    expect(reply).toMatch(/:nan[,}]/);
    expect(JSON.parse(reply.replace(/:(inf|nan)(?=[,}])/g, ':0')).SUMMARY).toHaveLength(1);
  });

  it('statusError and statusFatal: E and F envelopes', async () => {
    const d = await cgminer({ faults: { script: [{ fault: 'statusError' }, { fault: 'statusFatal' }] } });
    expect(JSON.parse((await ask(d.port)).slice(0, -1)).STATUS[0].STATUS).toBe('E');
    expect(JSON.parse((await ask(d.port)).slice(0, -1)).STATUS[0].STATUS).toBe('F');
  });

  it('refuse, reset and hang on TCP', async () => {
    const d = await cgminer({
      faults: { script: [{ fault: 'refuse' }, { fault: 'reset' }, { fault: 'hang' }] },
    });
    await expect(ask(d.port)).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(ask(d.port)).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(tcpAsk(d.port, '{"command":"summary"}', 150)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('malformed and oversized replies', async () => {
    const d = await cgminer({ faults: { script: [{ fault: 'malformed' }, { fault: 'oversized' }] } });
    const broken = (await ask(d.port)).slice(0, -1);
    expect(() => JSON.parse(broken)).toThrow(SyntaxError);
    const big = (await ask(d.port)).slice(0, -1);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    expect(JSON.parse(big).SUMMARY).toHaveLength(1);
  });

  it('wrongTypes inside the sections', async () => {
    const d = await cgminer({ faults: { script: [{ fault: 'wrongTypes' }] } });
    const summary = JSON.parse((await ask(d.port)).slice(0, -1)).SUMMARY[0] as Record<string, unknown>;
    expect(typeof summary.Elapsed).toBe('string');
    expect(Object.values(summary)).toContain(null);
  });
});
