/**
 * The simulator's cgminer-family variants against the real replies they were written from
 * (test/fixtures/devices): every key and MM token a variant sends for its hardware exists in the
 * capture of that firmware, so a simulated shape cannot drift into an invented one.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCgminerDevice } from './cgminerDevice.js';
import type { CgminerVariant } from './cgminerReplies.js';
import { tcpAsk } from './testClients.js';
import type { SimulatedDevice } from './types.js';

const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

const FIXTURES = new URL('../../test/fixtures/devices/', import.meta.url);

function capture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as Record<string, unknown>;
}

async function ask(variant: CgminerVariant, command: string): Promise<Record<string, unknown>> {
  const device = await startCgminerDevice({ variant, seed: 3 });
  open.push(device);
  const reply = await tcpAsk(device.port, JSON.stringify({ command }));
  return JSON.parse(reply.endsWith('\u0000') ? reply.slice(0, -1) : reply) as Record<string, unknown>;
}

function item(reply: Record<string, unknown>, section: string, index = 0): Record<string, unknown> {
  return ((reply[section] as Record<string, unknown>[] | undefined) ?? [])[index] ?? {};
}

function mmTokens(reply: Record<string, unknown>): string[] {
  const stats = item(reply, 'STATS');
  const key = Object.keys(stats).find((k) => /^MM ID\d+/.test(k));
  // Token names only (`Key[`), read here without the drivers' parser.
  return key === undefined
    ? []
    : [...String(stats[key]).matchAll(/(?<!\w)([A-Za-z]\w*)\[/g)].map((m) => m[1] as string);
}

describe('cgminer-family variants are shaped as the real replies', () => {
  it.each([
    ['avalon-nano3s', 'avalon-nano3s/miner-sentinel-25021401/estats.txt'],
    ['avalon-q', 'avalon-q/asic-rs-q-25052801/stats.txt'],
    ['avalon-a1246', 'avalon-a1x/asic-rs-a1246-21072802/stats.txt'],
    ['avalon-a15', 'avalon-a1x/pyasic-a1566-24102401/stats.txt'],
  ] as const)('%s: MM tokens and key as captured', async (variant, path) => {
    const real = capture(path);
    const simulated = await ask(variant, 'stats');
    const realTokens = new Set(mmTokens(real));
    expect(mmTokens(simulated).length).toBeGreaterThan(10);
    for (const token of mmTokens(simulated)) expect(realTokens, token).toContain(token);
    const mmKey = (reply: Record<string, unknown>) =>
      Object.keys(item(reply, 'STATS')).find((k) => k.startsWith('MM ID'));
    expect(mmKey(simulated)).toBe(mmKey(real));
  });

  it.each([
    ['antminer', 'antminer-s19/asic-rs-s19pro-49.0.1.3/stats.txt'],
    ['luxos', 'luxos/asic-rs-s19kpro-2025.4.8/stats.txt'],
  ] as const)('%s: the board item of stats as captured', async (variant, path) => {
    const realKeys = new Set(Object.keys(item(capture(path), 'STATS', 1)));
    for (const key of Object.keys(item(await ask(variant, 'stats'), 'STATS', 1)))
      expect(realKeys, key).toContain(key);
  });

  it('luxos: temp_chipN repeats temp_pcbN, as the S19k Pro capture does', async () => {
    const boards = item(await ask('luxos', 'stats'), 'STATS', 1);
    expect(boards.temp_chip1).toBe(boards.temp_pcb1);
  });

  it('braiins: temps and fans as captured', async () => {
    for (const [command, section] of [
      ['temps', 'TEMPS'],
      ['fans', 'FANS'],
    ] as const) {
      const real = new Set(
        Object.keys(item(capture(`braiins/foreman-apps-bosplus-0.2.0/${command}.txt`), section)),
      );
      for (const key of Object.keys(item(await ask('braiins', command), section)))
        expect(real, key).toContain(key);
    }
  });

  it('whatsminer: no version command, btminer keys in summary and devs, get_version at the top level', async () => {
    const real = capture('whatsminer/asic-rs-v1-20210322/summary.txt');
    const realKeys = new Set(Object.keys(item(real, 'SUMMARY')));
    for (const key of Object.keys(item(await ask('whatsminer', 'summary'), 'SUMMARY')))
      expect(realKeys, key).toContain(key);
    const realDevs = new Set(Object.keys(item(capture('whatsminer/asic-rs-v1-20210322/devs.txt'), 'DEVS')));
    for (const key of Object.keys(item(await ask('whatsminer', 'devs'), 'DEVS')))
      expect(realDevs, key).toContain(key);
    const realDetails = capture('whatsminer/asic-rs-devdetails-m30splus-ve40/devdetails.txt');
    const details = await ask('whatsminer', 'devdetails');
    expect(item(details, 'DEVDETAILS')).toEqual(item(realDetails, 'DEVDETAILS'));
    expect(item(details, 'STATUS')).toMatchObject(item(realDetails, 'STATUS'));
    expect(await ask('whatsminer', 'version')).toMatchObject({ STATUS: 'E', Code: 14, Msg: 'invalid cmd' });
    expect(await ask('whatsminer', 'get_version')).toMatchObject({
      STATUS: 'S',
      Code: 131,
      Msg: { fw_ver: '20210322.22.REL' },
    });
  });
});
