/**
 * 10,000 hostile /api/system/info answers (every AxeOS release and NerdQAxe as the base) fed
 * through the real drivers over a real local HTTP server: no crash, no unhandled rejection, and
 * every outcome a well-typed sample or a clear per-miner error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CgminerClient } from '../../src/miners/cgminer/CgminerClient.js';
import { createAxeosDriver } from '../../src/miners/drivers/axeos.js';
import type { DriverContext } from '../../src/miners/drivers/DriverContext.js';
import type { EspMinerDriver } from '../../src/miners/drivers/EspMinerDriver.js';
import { createNerdQaxeDriver } from '../../src/miners/drivers/nerdqaxe.js';
import { HttpClient } from '../../src/miners/http/HttpClient.js';
import type { MinerEndpoint } from '../../src/miners/MinerDriver.js';
import { systemClock } from '../../src/resilience/index.js';
import { AXEOS_RELEASES } from '../../src/simulator/index.js';
import {
  applyObjectMutations,
  applyTextMutation,
  objectMutations,
  textMutation,
  wrongShapeBody,
} from './support/hostileJson.js';
import { fuzzRuns, judge, newTally, type OutcomeTally } from './support/outcome.js';
import { collectHttpSeeds, type HttpSeed } from './support/seedReplies.js';
import { trackUnhandled } from './support/unhandled.js';

const RUNS = fuzzRuns(1_000);

let seeds: HttpSeed[] = [];
let server: Server;
let endpoint: MinerEndpoint;
let current = '';
let http: HttpClient;
let cgminer: CgminerClient;
let drivers: EspMinerDriver[];
const unhandled = trackUnhandled();

beforeAll(async () => {
  seeds = await collectHttpSeeds();
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(current);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = { host: '127.0.0.1', port: (server.address() as AddressInfo).port, id: 'fuzz' };
  http = new HttpClient({ session: { retry: { maxAttempts: 1 }, timeoutMs: 5_000 } });
  cgminer = new CgminerClient();
  const context: DriverContext = { http, cgminer, clock: systemClock };
  drivers = [createAxeosDriver(context), createNerdQaxeDriver(context)];
});

afterAll(async () => {
  await http?.close();
  await cgminer?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  unhandled.stop();
});

async function feed(body: string, tally: OutcomeTally): Promise<string | null> {
  current = body;
  for (const driver of drivers) {
    const problem = await judge(() => driver.readSample(endpoint, { maxAttempts: 1 }), tally);
    if (problem !== null) return `${driver.kind}: ${problem}`;
  }
  return null;
}

describe('hostile AxeOS / NerdQAxe answers', () => {
  it('seeds cover every release and read cleanly before mutation', async () => {
    expect(seeds.map((s) => s.label)).toEqual([...AXEOS_RELEASES.map((r) => `axeos ${r}`), 'nerdqaxe']);
    const tally = newTally();
    for (const seed of seeds) expect(await feed(JSON.stringify(seed.body), tally), seed.label).toBeNull();
    expect(tally.samples).toBe(seeds.length * drivers.length);
  });

  it(
    `${RUNS} mutated bodies: a typed sample or a known per-miner error, never a crash`,
    async () => {
      const tally = newTally();
      const keys = [...new Set(seeds.flatMap((s) => Object.keys(s.body)))];
      const mutated = fc
        .tuple(fc.nat({ max: seeds.length - 1 }), objectMutations(keys), textMutation())
        .map(([i, mutations, text]) => {
          const seed = seeds[i] as HttpSeed;
          return applyTextMutation(JSON.stringify(applyObjectMutations(seed.body, mutations)), text);
        });
      const body = fc.oneof({ weight: 12, arbitrary: mutated }, { weight: 1, arbitrary: wrongShapeBody() });
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const problem = await feed(text, tally);
          if (problem !== null) throw new Error(problem);
        }),
        { numRuns: RUNS, seed: 20261129, endOnFailure: true },
      );
      // The mix must exercise both outcomes, or the property proves little.
      expect(tally.samples).toBeGreaterThan(RUNS / 4);
      expect([...tally.errors.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(RUNS / 10);
      expect(unhandled.count()).toBe(0);
    },
    60_000 + RUNS * 60,
  );
});
