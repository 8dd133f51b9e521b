import { afterEach, describe, expect, it } from 'vitest';
import { startCgminerDevice } from './cgminerDevice.js';
import { ManualClock, tcpAsk } from './testClients.js';
import type { SimulatedDevice } from './types.js';

const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function device(options: Parameters<typeof startCgminerDevice>[0] = {}) {
  const d = await startCgminerDevice(options);
  open.push(d);
  return d;
}

/** Walks parsed JSON; a wrong path gives undefined, which fails the assertion that reads it. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let here = value;
  for (const step of path)
    here = here !== null && typeof here === 'object' ? (here as Record<string, unknown>)[step] : undefined;
  return here;
}

function parse(reply: string): unknown {
  expect(reply.endsWith('\u0000')).toBe(true);
  return JSON.parse(reply.slice(0, -1));
}

describe('cgminer device', () => {
  it('answers summary in JSON with a STATUS envelope, MH/s and a trailing NUL', async () => {
    const d = await device();
    const body = parse(await tcpAsk(d.port, '{"command":"summary"}'));
    expect(at(body, 'STATUS', 0)).toMatchObject({
      STATUS: 'S',
      Code: 11,
      Msg: 'Summary',
      Description: 'cgminer 4.11.1',
    });
    expect(at(body, 'SUMMARY', 0, 'MHS av')).toBeGreaterThan(900_000);
    expect(at(body, 'SUMMARY', 0)).not.toHaveProperty('GHS av');
    expect(at(body, 'id')).toBe(1);
  });

  it('speaks GH/s in the ghs variant', async () => {
    const d = await device({ variant: 'ghs' });
    const body = parse(await tcpAsk(d.port, '{"command":"summary"}'));
    expect(at(body, 'SUMMARY', 0, 'GHS av')).toBeGreaterThan(900);
    expect(at(body, 'SUMMARY', 0)).not.toHaveProperty('MHS av');
  });

  it('answers pools, devs, version and coin', async () => {
    const d = await device({ poolUrl: 'solo.example', poolPort: 3333 });
    expect(at(parse(await tcpAsk(d.port, '{"command":"pools"}')), 'POOLS', 0, 'URL')).toBe(
      'stratum+tcp://solo.example:3333',
    );
    expect(at(parse(await tcpAsk(d.port, '{"command":"devs"}')), 'DEVS', 0)).toHaveProperty('Temperature');
    expect(at(parse(await tcpAsk(d.port, '{"command":"version"}')), 'VERSION', 0)).toMatchObject({
      CGMiner: '4.11.1',
      API: '3.7',
    });
    expect(
      at(parse(await tcpAsk(d.port, '{"command":"coin"}')), 'COIN', 0, 'Network Difficulty'),
    ).toBeGreaterThan(1e12);
  });

  it('joins summary+pools as head_join does, each section an array', async () => {
    const d = await device();
    const body = parse(await tcpAsk(d.port, '{"command":"summary+pools"}'));
    expect(Object.keys(body as object)).toEqual(['summary', 'pools', 'id']);
    expect(at(body, 'summary', 0, 'SUMMARY', 0)).toHaveProperty('Accepted');
    expect(at(body, 'pools', 0, 'POOLS', 0)).toHaveProperty('URL');
  });

  it('can reject joined commands as some Antminer firmwares do', async () => {
    const d = await device({ rejectJoinedCommands: true });
    const body = parse(await tcpAsk(d.port, '{"command":"summary+pools"}'));
    expect(at(body, 'STATUS', 0)).toMatchObject({ STATUS: 'E', Code: 14 });
  });

  it('denies privileged commands with code 45 unless allowed', async () => {
    const d = await device();
    const body = parse(await tcpAsk(d.port, '{"command":"restart"}'));
    expect(at(body, 'STATUS', 0)).toMatchObject({
      STATUS: 'E',
      Code: 45,
      Msg: "Access denied to 'restart' command",
    });
  });

  it('restarts when privileged: STATUS is the string RESTART, then Elapsed starts again', async () => {
    const clock = new ManualClock();
    const d = await device({ allowPrivileged: true, clock, restartDelayMs: 60_000 });
    expect(parse(await tcpAsk(d.port, '{"command":"restart"}'))).toEqual({ STATUS: 'RESTART', id: 1 });
    clock.advance(60_000);
    expect(at(parse(await tcpAsk(d.port, '{"command":"summary"}')), 'SUMMARY', 0, 'Elapsed')).toBe(0);
  });

  it('answers text mode with | separated sections', async () => {
    const d = await device();
    const reply = await tcpAsk(d.port, 'summary');
    expect(reply).toMatch(
      /^STATUS=S,When=\d+,Code=11,Msg=Summary,Description=cgminer 4\.11\.1\|SUMMARY,Elapsed=\d+,MHS av=/,
    );
    expect(reply.endsWith('|\u0000')).toBe(true);
  });

  it('says so when the JSON is bad or the command unknown', async () => {
    const d = await device();
    expect(at(parse(await tcpAsk(d.port, '{"command":')), 'STATUS', 0)).toMatchObject({
      STATUS: 'E',
      Code: 23,
    });
    expect(at(parse(await tcpAsk(d.port, '{"command":"frobnicate"}')), 'STATUS', 0)).toMatchObject({
      STATUS: 'E',
      Code: 14,
    });
  });
});

describe('Avalon Nano 3', () => {
  it('reports estats with an MM ID0 Key[value] string', async () => {
    const d = await device({ variant: 'avalon' });
    const body = parse(await tcpAsk(d.port, '{"command":"estats"}'));
    const mm = String(at(body, 'STATS', 1, 'MM ID0'));
    const fields = Object.fromEntries([...mm.matchAll(/(\w+)\[([^\]]*)\]/g)].map((m) => [m[1], m[2]]));
    expect(Number(fields.GHSavg)).toBeGreaterThan(3000);
    expect(Number(fields.TMax)).toBeGreaterThanOrEqual(Number(fields.TAvg));
    expect(fields.PS?.split(' ')).toHaveLength(7);
    expect(Number(fields.Elapsed)).toBe(7200);
  });

  it('reboots on ascset 0,reboot,0: uptime starts again', async () => {
    const clock = new ManualClock();
    const d = await device({ variant: 'avalon', clock, restartDelayMs: 60_000 });
    const body = parse(await tcpAsk(d.port, '{"command":"ascset","parameter":"0,reboot,0"}'));
    expect(at(body, 'STATUS', 0, 'STATUS')).toBe('I');
    clock.advance(60_000);
    expect(at(parse(await tcpAsk(d.port, '{"command":"summary"}')), 'SUMMARY', 0, 'Elapsed')).toBe(0);
  });
});
