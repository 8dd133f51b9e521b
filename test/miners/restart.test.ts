import { describe, expect, it } from 'vitest';
import { createDriverRegistry, type DriverRegistry, MinerAccessDeniedError } from '../../src/miners/index.js';
import { MinerConnectionError } from '../../src/resilience/index.js';
import { startCgminerDevice } from '../../src/simulator/index.js';
import { cleanupsAfterEach, deadPort, httpServer, rejectionOf, SteppingClock, tcpServer } from './helpers.js';

const cleanups = cleanupsAfterEach();

function registry(): DriverRegistry {
  const clock = new SteppingClock();
  const r = createDriverRegistry({ clock, http: { timeoutMs: 500 } });
  cleanups.push(() => r.close());
  return r;
}

describe('restart', () => {
  it('counts a connection dropped after the POST went out as accepted, and sends it once', async () => {
    let posts = 0;
    const device = await httpServer((req) => {
      posts += 1;
      req.socket.destroy();
    });
    cleanups.push(device.close);
    const result = await registry().get('axeos')?.restart({ host: '127.0.0.1', port: device.port });
    expect(result).toEqual({
      accepted: true,
      detail: expect.stringMatching(/dropped after the restart was sent/),
    });
    expect(posts).toBe(1);
  });

  it('reports the device message, JSON (AxeOS) or plain text (NerdQAxe)', async () => {
    const axeos = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"message":"System will restart shortly."}');
    });
    const nerd = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('System will restart shortly.');
    });
    cleanups.push(axeos.close, nerd.close);
    const r = registry();
    expect(await r.get('axeos')?.restart({ host: '127.0.0.1', port: axeos.port })).toEqual({
      accepted: true,
      detail: 'System will restart shortly.',
    });
    expect((await r.get('nerdqaxe')?.restart({ host: '127.0.0.1', port: nerd.port }))?.detail).toBe(
      'System will restart shortly.',
    );
  });

  it('fails when the request never left (refused)', async () => {
    const port = await deadPort();
    expect(
      await rejectionOf(registry().get('axeos')?.restart({ host: '127.0.0.1', port }) as Promise<unknown>),
    ).toBeInstanceOf(MinerConnectionError);
  });

  it('fails on an HTTP error answer', async () => {
    const device = await httpServer((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    cleanups.push(device.close);
    const error = await rejectionOf(
      registry().get('axeos')?.restart({ host: '127.0.0.1', port: device.port }) as Promise<unknown>,
    );
    expect((error as { status?: number }).status).toBe(401);
  });

  it('reboots an Avalon with ascset|0,reboot,0 and other cgminer with restart', async () => {
    const commands: string[] = [];
    const avalon = await tcpServer((socket) => {
      socket.once('data', (chunk) => {
        const request = JSON.parse(chunk.toString()) as { command: string; parameter?: string };
        commands.push(
          request.parameter === undefined ? request.command : `${request.command}|${request.parameter}`,
        );
        const status = [{ STATUS: 'S', Code: 22, Msg: 'ok', Description: 'cgminer 4.11.1' }];
        const reply =
          request.command === 'version'
            ? {
                STATUS: status,
                VERSION: [{ CGMiner: '4.11.1', PROD: 'Avalon Nano3', MODEL: 'Nano3' }],
                id: 1,
              }
            : { STATUS: [{ STATUS: 'I', Code: 118, Msg: 'ASC 0 set info: success' }], id: 1 };
        socket.end(`${JSON.stringify(reply)}\u0000`);
      });
    });
    cleanups.push(avalon.close);
    const result = await registry().get('cgminer')?.restart({ host: '127.0.0.1', port: avalon.port });
    expect(result?.accepted).toBe(true);
    expect(commands).toEqual(['version', 'ascset|0,reboot,0']);
  });

  it('says access denied when cgminer refuses the privileged restart', async () => {
    const device = await startCgminerDevice({ variant: 'cgminer', allowPrivileged: false });
    cleanups.push(() => device.close());
    const error = await rejectionOf(registry().get('cgminer')?.restart(device) as Promise<unknown>);
    expect(error).toBeInstanceOf(MinerAccessDeniedError);
    expect((error as MinerAccessDeniedError).retryable).toBe(false);
  });
});
