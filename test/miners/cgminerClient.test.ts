import { getEventListeners } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import {
  CgminerClient,
  MinerAccessDeniedError,
  MinerResponseError,
  ResponseTooLargeError,
} from '../../src/miners/index.js';
import { MinerConnectionError, MinerTimeoutError } from '../../src/resilience/index.js';
import { cleanupsAfterEach, deadPort, rejectionOf, SteppingClock, tcpServer } from './helpers.js';

const cleanups = cleanupsAfterEach();

const status = (letter: string, code: number, msg: string) => [
  { STATUS: letter, When: 1, Code: code, Msg: msg, Description: 'cgminer 4.11.1' },
];
const SUMMARY = { STATUS: status('S', 11, 'Summary'), SUMMARY: [{ Elapsed: 10, 'MHS av': 1000 }], id: 1 };
const POOLS = {
  STATUS: status('S', 7, '1 Pool(s)'),
  POOLS: [{ POOL: 0, URL: 'stratum+tcp://p:3333' }],
  id: 1,
};

interface Device {
  readonly port: number;
  readonly commands: string[];
  maxConcurrent: number;
}

/** A cgminer stand-in: answers each request with `reply(command)` (a string is sent as is). */
async function device(
  reply: (request: { command: string; parameter?: string }, socket: Socket) => unknown,
): Promise<Device> {
  let open = 0;
  const state: Device = { port: 0, commands: [], maxConcurrent: 0 };
  const local = await tcpServer((socket) => {
    socket.once('data', (chunk) => {
      // Counted from the request to the answer: the span in which a second command must not arrive.
      open += 1;
      state.maxConcurrent = Math.max(state.maxConcurrent, open);
      const request = JSON.parse(chunk.toString()) as { command: string; parameter?: string };
      state.commands.push(
        request.parameter === undefined ? request.command : `${request.command}|${request.parameter}`,
      );
      const answer = reply(request, socket);
      if (answer === undefined) return;
      // A little delay so concurrent commands would overlap if they were not queued.
      setTimeout(() => {
        open -= 1;
        socket.end(typeof answer === 'string' ? answer : `${JSON.stringify(answer)}\u0000`);
      }, 5);
    });
  });
  cleanups.push(local.close);
  return Object.assign(state, { port: local.port });
}

function client(options: ConstructorParameters<typeof CgminerClient>[0] = {}): {
  client: CgminerClient;
  clock: SteppingClock;
} {
  const clock = new SteppingClock();
  const c = new CgminerClient({ clock, ...options });
  cleanups.push(() => c.close());
  return { client: c, clock };
}

describe('CgminerClient', () => {
  it('sends one JSON command per connection and checks the envelope', async () => {
    const d = await device(() => SUMMARY);
    const { client: c } = client();
    const reply = await c.command({ host: '127.0.0.1', port: d.port }, 'summary');
    expect(reply.status.status).toBe('S');
    expect(reply.data.SUMMARY).toEqual([{ Elapsed: 10, 'MHS av': 1000 }]);
    expect(d.commands).toEqual(['summary']);
  });

  it('repairs replies on the wire and says so in warnings', async () => {
    const d = await device(
      () => '{"STATUS":[{"STATUS":"S","Code":70,"Msg":"x",}],"STATS":[{"a":inf}{"b":nan}],"id":1}\u0000',
    );
    const reply = await client().client.command({ host: '127.0.0.1', port: d.port }, 'stats');
    expect(reply.data.STATS).toEqual([{ a: null }, { b: null }]);
    expect(reply.warnings.join(' ')).toMatch(/joined sections/);
  });

  it('reads a reply that ends with the connection instead of a NUL', async () => {
    const d = await device(() => JSON.stringify(SUMMARY));
    expect((await client().client.command({ host: '127.0.0.1', port: d.port }, 'summary')).status.code).toBe(
      11,
    );
  });

  it('joins summary+pools, and falls back for good when the device refuses the join', async () => {
    const joined = await device(({ command }) =>
      command === 'summary+pools' ? { summary: [SUMMARY], pools: [POOLS], id: 1 } : SUMMARY,
    );
    const { client: c } = client();
    const replies = await c.commands({ host: '127.0.0.1', port: joined.port }, ['summary', 'pools']);
    expect([...replies.keys()]).toEqual(['summary', 'pools']);
    expect(joined.commands).toEqual(['summary+pools']);

    const refusing = await device(({ command }) =>
      command.includes('+')
        ? { STATUS: status('E', 14, 'Invalid command'), id: 1 }
        : command === 'summary'
          ? SUMMARY
          : POOLS,
    );
    const endpoint = { host: '127.0.0.1', port: refusing.port };
    await c.commands(endpoint, ['summary', 'pools']);
    await c.commands(endpoint, ['summary', 'pools']);
    expect(refusing.commands).toEqual(['summary+pools', 'summary', 'pools', 'summary', 'pools']);
    expect(c.joinRefused(endpoint)).toBe(true);
  });

  it('returns a rejected section as its error and keeps the others', async () => {
    const d = await device(() => ({
      summary: [SUMMARY],
      estats: [{ STATUS: status('E', 14, 'Invalid command'), id: 1 }],
      id: 1,
    }));
    const replies = await client().client.commands({ host: '127.0.0.1', port: d.port }, [
      'summary',
      'estats',
    ]);
    expect(replies.get('estats')).toBeInstanceOf(MinerResponseError);
    expect((replies.get('summary') as { status: { status: string } }).status.status).toBe('S');
  });

  it('sends commands to one device one at a time', async () => {
    const d = await device(() => SUMMARY);
    const { client: c } = client();
    const endpoint = { host: '127.0.0.1', port: d.port };
    await Promise.all(Array.from({ length: 6 }, () => c.command(endpoint, 'summary')));
    expect(d.commands).toHaveLength(6);
    expect(d.maxConcurrent).toBe(1);
  });

  it('does not retry an E status, and says access denied for code 45', async () => {
    const d = await device(({ command }) =>
      command === 'restart'
        ? { STATUS: status('E', 45, "Access denied to 'restart' command"), id: 1 }
        : { STATUS: status('E', 14, 'Invalid command'), id: 1 },
    );
    const { client: c } = client();
    const endpoint = { host: '127.0.0.1', port: d.port };
    const invalid = await rejectionOf(c.command(endpoint, 'summary'));
    expect(invalid).toBeInstanceOf(MinerResponseError);
    expect((invalid as MinerResponseError).statusCode).toBe(14);
    const denied = await rejectionOf(c.command(endpoint, 'restart'));
    expect(denied).toBeInstanceOf(MinerAccessDeniedError);
    expect((denied as Error).message).toMatch(/--api-allow W:/);
    expect(d.commands).toEqual(['summary', 'restart']);
  });

  it('retries refused connections', async () => {
    const port = await deadPort();
    const { client: c, clock } = client();
    expect(await rejectionOf(c.command({ host: '127.0.0.1', port }, 'summary'))).toBeInstanceOf(
      MinerConnectionError,
    );
    expect(clock.sleeps).toHaveLength(2);
  });

  it('times out a silent device, and caps the reply size', async () => {
    const silent = await device(() => undefined);
    const { client: c } = client({ timeoutMs: 100, maxResponseBytes: 1000 });
    const error = await rejectionOf(
      c.command({ host: '127.0.0.1', port: silent.port }, 'summary', undefined, { maxAttempts: 1 }),
    );
    expect(error).toBeInstanceOf(MinerTimeoutError);
    const big = await device(() => ({ ...SUMMARY, pad: 'x'.repeat(5000) }));
    expect(await rejectionOf(c.command({ host: '127.0.0.1', port: big.port }, 'summary'))).toBeInstanceOf(
      ResponseTooLargeError,
    );
    expect(big.commands).toHaveLength(1);
  });

  it('treats a JSON reply cut off by a closing connection as a dropped connection', async () => {
    const d = await device(() => '{"STATUS":[{"STATUS":"S"');
    const error = await rejectionOf(
      client().client.command({ host: '127.0.0.1', port: d.port }, 'summary', undefined, { maxAttempts: 1 }),
    );
    expect(error).toBeInstanceOf(MinerConnectionError);
  });

  it("holds nothing on a caller's long-lived signal once a command is over, and still obeys it", async () => {
    // The poll scheduler passes one signal for the life of the process. AbortSignal.any on it
    // left an entry per command on that signal for good (issue 19: the soak's heap rose ~2.5 MB/h).
    const any = vi.spyOn(AbortSignal, 'any');
    cleanups.push(async () => any.mockRestore());
    const scheduler = new AbortController();
    const d = await device(() => SUMMARY);
    const { client: c } = client();
    for (let i = 0; i < 3; i += 1) {
      await c.command({ host: '127.0.0.1', port: d.port }, 'summary', undefined, {
        signal: scheduler.signal,
      });
    }
    expect(getEventListeners(scheduler.signal, 'abort')).toHaveLength(0);
    expect(any).not.toHaveBeenCalled();

    const silent = await device(() => undefined);
    const pending = rejectionOf(
      c.command({ host: '127.0.0.1', port: silent.port }, 'summary', undefined, { signal: scheduler.signal }),
    );
    await vi.waitFor(() => expect(silent.commands).toHaveLength(1));
    scheduler.abort(new Error('stopping'));
    expect(((await pending) as Error).message).toBe('stopping');
    expect(getEventListeners(scheduler.signal, 'abort')).toHaveLength(0);
  });

  it('runs many commands at once without a listener-leak warning on its closing signal', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    cleanups.push(async () => {
      process.off('warning', onWarning);
    });
    const devices = await Promise.all(Array.from({ length: 12 }, () => device(() => SUMMARY)));
    const { client: c } = client();
    await Promise.all(devices.map((d) => c.command({ host: '127.0.0.1', port: d.port }, 'summary')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('refuses what is not a command', async () => {
    const { client: c } = client();
    await expect(c.command({ host: '127.0.0.1', port: 1 }, 'summary"}')).rejects.toThrow(
      /Not a cgminer command/,
    );
    await expect(c.commands({ host: '127.0.0.1', port: 1 }, ['summary', 'restart'])).rejects.toThrow(
      /report commands/,
    );
  });
});
