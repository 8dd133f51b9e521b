/**
 * Hostile answers found by the fuzz runs, each pinned on its own so that the random mix can keep
 * looking for new ones. Each test says what breaks and where.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CgminerClient } from '../../src/miners/cgminer/CgminerClient.js';
import { parseEstats } from '../../src/miners/cgminer/estats.js';
import { createAxeosDriver } from '../../src/miners/drivers/axeos.js';
import { createCgminerDriver } from '../../src/miners/drivers/cgminer.js';
import type { DriverContext } from '../../src/miners/drivers/DriverContext.js';
import { createNerdQaxeDriver } from '../../src/miners/drivers/nerdqaxe.js';
import { HttpClient } from '../../src/miners/http/HttpClient.js';
import type { MinerEndpoint } from '../../src/miners/MinerDriver.js';
import { systemClock } from '../../src/resilience/index.js';
import { setOwn } from './support/hostileJson.js';
import { errorProblem, sampleProblems } from './support/outcome.js';
import {
  CGMINER_COMMANDS,
  collectCgminerSeeds,
  collectHttpSeeds,
  type HttpSeed,
} from './support/seedReplies.js';

let seeds: HttpSeed[] = [];
let server: Server;
let endpoint: MinerEndpoint;
let current = '';
let context: DriverContext;

beforeAll(async () => {
  seeds = await collectHttpSeeds();
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(current);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = { host: '127.0.0.1', port: (server.address() as AddressInfo).port, id: 'edges' };
  context = {
    http: new HttpClient({ session: { retry: { maxAttempts: 1 } } }),
    cgminer: new CgminerClient(),
    clock: systemClock,
  };
});

afterAll(async () => {
  await context?.http.close();
  await context?.cgminer.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

function seed(kind: 'axeos' | 'nerdqaxe', release = '2.12'): Record<string, unknown> {
  const found = seeds.find((s) => s.kind === kind && (kind === 'nerdqaxe' || s.label === `axeos ${release}`));
  const body = found?.body ?? seeds.find((s) => s.kind === kind)?.body;
  if (body === undefined) throw new Error(`no ${kind} seed`);
  return { ...body };
}

describe('hostile miner answers, one at a time', () => {
  // Found here: nerdqaxe.ts and espMinerSample.ts took `Math.max(...chips)`; a spread of more
  // than ~120,000 arguments overflows V8's stack, so a 400 kB answer (under the 1 MiB cap) threw
  // RangeError out of readSample. Fixed in 8bc4899.
  it('a NerdQAxe answer with 200,000 chip temperatures gives a sample or a clear error, not a RangeError', async () => {
    const body = seed('nerdqaxe');
    body.asicTemps = new Array<number>(200_000).fill(61.5);
    current = JSON.stringify(body);
    expect(current.length).toBeLessThan(1024 * 1024);
    let outcome: string | null;
    try {
      const sample = await createNerdQaxeDriver(context).readSample(endpoint, { maxAttempts: 1 });
      outcome = sampleProblems(sample).join('; ') || null;
      expect(sample.maxChipTemperatureC).toBe(61.5);
    } catch (error) {
      outcome = errorProblem(error);
    }
    expect(outcome).toBeNull();
  });

  // Found here: FieldReader.rest() once did `out[key] = value`, and with the key "__proto__"
  // (which JSON.parse makes an own key) that set the prototype of `raw`: the field vanished from
  // what is stored and `raw` inherited whatever the device sent. Fixed in src/miners since.
  it('a "__proto__" key never becomes the prototype of raw', async () => {
    const body = seed('axeos');
    setOwn(body, '__proto__', { hashRate: 1e12, polluted: true });
    current = JSON.stringify(body);
    const sample = await createAxeosDriver(context).readSample(endpoint, { maxAttempts: 1 });
    expect(Object.getPrototypeOf(sample.raw)).toBe(Object.prototype);
    expect((sample.raw as { polluted?: unknown }).polluted).toBeUndefined();
    // Kept as data or dropped (a JSON parser that strips it is fine); never the prototype.
    expect(Object.hasOwn(sample.raw, '__proto__') || !JSON.stringify(sample.raw).includes('polluted')).toBe(
      true,
    );
  });

  // Found here (10,000-case run, case 7,186): the expected hashrate derived as
  // frequency x smallCoreCount x asicCount / 1000 was not checked, so a frequency of -1e308 gave
  // -Infinity, summed into the fleet's expected hashrate. Fixed in 8bc4899.
  it('an absurd frequency never yields a non-finite or negative expected hashrate', async () => {
    // v2.6 reports no expectedHashrate, so the driver derives it.
    const body = seed('axeos', '2.6');
    expect(body).toHaveProperty('smallCoreCount');
    body.frequency = -1e308;
    current = JSON.stringify(body);
    const sample = await createAxeosDriver(context).readSample(endpoint, { maxAttempts: 1 });
    expect(sampleProblems(sample)).toEqual([]);
    expect(sample.expectedHashrateGhs === null || sample.expectedHashrateGhs > 0).toBe(true);
  });

  // Found here: src/miners/drivers/cgminerSample.ts called Number() on device values (`Network
  // Difficulty`, `Priority`): Number({"toString": 1}) throws "Cannot convert object to primitive
  // value", a TypeError out of readSample. Fixed in e1e5dd4.
  it('a cgminer coin section whose difficulty is an object gives a sample, not a TypeError', async () => {
    const seeds = await collectCgminerSeeds();
    const joined = seeds.find((s) => s.label === `cgminer ${CGMINER_COMMANDS[CGMINER_COMMANDS.length - 1]}`);
    if (joined === undefined) throw new Error('no joined cgminer seed');
    const reply = JSON.parse(joined.text) as { coin: [{ COIN: [Record<string, unknown>] }] };
    reply.coin[0].COIN[0]['Network Difficulty'] = { toString: 1 };
    const tcp = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end(`${JSON.stringify(reply)}\u0000`));
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tcp.address() as AddressInfo).port;
      const driver = createCgminerDriver(context);
      let outcome: string | null;
      try {
        const sample = await driver.readSample({ host: '127.0.0.1', port }, { maxAttempts: 1 });
        outcome = sampleProblems(sample).join('; ') || null;
      } catch (error) {
        outcome = errorProblem(error);
      }
      expect(outcome).toBeNull();
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  it('a body of 1 MiB + 1 byte is refused with ResponseTooLargeError naming the limit', async () => {
    current = `{"ASICModel":"BM1370","pad":"${'x'.repeat(1024 * 1024)}"}`;
    const error = await createAxeosDriver(context)
      .readSample(endpoint, { maxAttempts: 1 })
      .catch((e: unknown) => e);
    expect(errorProblem(error)).toBeNull();
    expect((error as Error).message).toMatch(/larger than 1048576 bytes/);
  });

  it('a router page that answers 200 with HTML is a clear "not JSON" error naming the URL', async () => {
    current = '<html><body>Login</body></html>';
    const error = await createAxeosDriver(context)
      .readSample(endpoint, { maxAttempts: 1 })
      .catch((e: unknown) => e);
    expect(errorProblem(error)).toBeNull();
    expect((error as Error).message).toContain('/api/system/info');
    expect((error as Error).message).toMatch(/not JSON/);
  });

  // Found here: the estats Key[value] regex backtracked quadratically over a run of word characters
  // with no `[`: 40,000 letters took ~1.7 s, a 1 MiB estats string about 17 minutes of a blocked
  // event loop (no polls, no API). Fixed in e1e5dd4: matches start only where a word run starts.
  it('an Avalon estats string of 30,000 letters is read in well under a second', () => {
    const started = performance.now();
    const parsed = parseEstats(`Temp[38] ${'a'.repeat(30_000)} TMax[87]`);
    const took = performance.now() - started;
    expect(parsed.TMax).toBe('87');
    expect(took).toBeLessThan(100);
  });
});
