/**
 * 10,000 hostile cgminer API replies (cgminer, GH/s fork and Avalon Nano as the base) fed through
 * the real CgminerDriver and CgminerClient over a real local TCP server: truncation, a missing or
 * doubled NUL, `}{`, `,}`, inf/nan, bad STATUS envelopes, broken estats strings, wrong types
 * anywhere in the tree. No crash, no unhandled rejection, no blocked event loop; every outcome a
 * well-typed sample or a clear per-miner error.
 */

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CgminerClient } from '../../src/miners/cgminer/CgminerClient.js';
import { CgminerDriver } from '../../src/miners/drivers/cgminer.js';
import type { ProbeOptions } from '../../src/miners/drivers/DriverContext.js';
import { HttpClient } from '../../src/miners/http/HttpClient.js';
import type { MinerEndpoint } from '../../src/miners/MinerDriver.js';
import { systemClock } from '../../src/resilience/index.js';
import {
  applyCgminerTextFault,
  type CgminerWire,
  cgminerTextFault,
  estatsString,
  replaceEstats,
  wireEnding,
} from './support/cgminerText.js';
import { applyDeepMutations, deepMutations } from './support/deepMutation.js';
import { wrongShapeBody } from './support/hostileJson.js';
import { fuzzRuns, judge, newTally, type OutcomeTally } from './support/outcome.js';
import { type CgminerSeed, collectCgminerSeeds } from './support/seedReplies.js';
import { trackUnhandled } from './support/unhandled.js';

const RUNS = fuzzRuns(1_000);
/** One case may not hold the event loop longer than this (a poll of 1,000 miners shares it). */
const MAX_CASE_MS = 1_000;

let seeds: CgminerSeed[] = [];
let joined: CgminerSeed[] = [];
let server: Server;
let endpoint: MinerEndpoint;
let current: CgminerWire = { text: '', nul: true, afterNul: '' };
let http: HttpClient;
const sockets = new Set<Socket>();
const unhandled = trackUnhandled();
const CALL: ProbeOptions = { maxAttempts: 1, timeoutMs: 2_000 };

beforeAll(async () => {
  seeds = await collectCgminerSeeds();
  joined = seeds.filter((s) => s.command.includes('+'));
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', () => {
      const reply = current;
      socket.end(reply.nul ? `${reply.text}\u0000${reply.afterNul}` : reply.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = { host: '127.0.0.1', port: (server.address() as AddressInfo).port, id: 'fuzz' };
  http = new HttpClient();
});

afterAll(async () => {
  await http?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  unhandled.stop();
});

/** A fresh client per case: the client remembers devices that refused a join. */
async function feed(wire: CgminerWire, tally: OutcomeTally): Promise<string | null> {
  current = wire;
  const cgminer = new CgminerClient({ timeoutMs: 2_000 });
  const driver = new CgminerDriver({ http, cgminer, clock: systemClock });
  const started = performance.now();
  try {
    const problem = await judge(() => driver.readSample(endpoint, CALL), tally);
    const took = performance.now() - started;
    if (problem === null && took > MAX_CASE_MS) return `one reply took ${Math.round(took)} ms to read`;
    return problem;
  } finally {
    await cgminer.close();
  }
}

describe('hostile cgminer replies', () => {
  it('seeds of every variant read cleanly before mutation', async () => {
    expect(joined.map((s) => s.label.split(' ')[0])).toEqual(['cgminer', 'ghs', 'avalon']);
    const tally = newTally();
    for (const seed of joined) {
      expect(await feed({ text: seed.text, nul: true, afterNul: '' }, tally), seed.label).toBeNull();
    }
    expect(tally.samples).toBe(joined.length);
  });

  it(
    `${RUNS} mutated replies: a typed sample or a known per-miner error, never a crash`,
    async () => {
      const tally = newTally();
      const mutated = fc
        .record({
          seed: fc.nat({ max: joined.length - 1 }),
          tree: fc.option(deepMutations(5_000), { freq: 3, nil: null }),
          estats: fc.option(estatsString(), { freq: 3, nil: null }),
          text: cgminerTextFault(),
          ending: wireEnding(),
        })
        .map(({ seed, tree, estats, text, ending }): CgminerWire => {
          let value: unknown = JSON.parse((joined[seed] as CgminerSeed).text);
          if (tree !== null) value = applyDeepMutations(value, tree);
          if (estats !== null) replaceEstats(value, estats);
          return { text: applyCgminerTextFault(JSON.stringify(value) ?? '', text), ...ending };
        });
      const wrong = fc
        .tuple(wrongShapeBody(), wireEnding())
        .map(([text, ending]): CgminerWire => ({ text, ...ending }));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ weight: 12, arbitrary: mutated }, { weight: 1, arbitrary: wrong }),
          async (wire) => {
            const problem = await feed(wire, tally);
            if (problem !== null) throw new Error(problem);
          },
        ),
        { numRuns: RUNS, seed: 20261129, endOnFailure: true },
      );
      expect(tally.samples).toBeGreaterThan(RUNS / 4);
      expect([...tally.errors.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(RUNS / 10);
      expect(unhandled.count()).toBe(0);
    },
    60_000 + RUNS * 60,
  );
});
