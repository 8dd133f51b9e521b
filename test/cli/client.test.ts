import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/format.js';
import { MonitorError } from '../../src/monitor/errors.js';
import { type Harness, harness, TOKEN } from '../server/harness.js';
import { cli } from './harness.js';

let h: Harness;
let url: string;
const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-client-'));
writeFileSync(join(dataDir, 'token'), `${TOKEN}\n`, { mode: 0o600 });

beforeAll(async () => {
  h = await harness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h.app.close();
});

describe('client commands against a running server', () => {
  it('list prints a table, --json the raw views', async () => {
    const r = await cli(['list', '--url', url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^id\s+name\s+address/);
    expect(r.stdout).toContain('m1');
    expect(r.stdout).toContain('1.20 TH/s');
    const j = await cli(['list', '--url', url, '--json']);
    expect(JSON.parse(j.stdout)[0].id).toBe('m1');
  });

  it('add sends the miner with the token read from the data directory', async () => {
    const r = await cli([
      'add',
      '10.0.0.77',
      '--port',
      '4028',
      '--kind',
      'cgminer',
      '--name',
      'avalon',
      '--url',
      url,
      '--data-dir',
      dataDir,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added avalon (cgminer at 10.0.0.77:4028)');
    expect(h.monitor.calls.find((c) => c.method === 'addMiner')?.args[0]).toEqual({
      host: '10.0.0.77',
      port: 4028,
      kind: 'cgminer',
      name: 'avalon',
      verify: true,
    });
  });

  it('add without a token explains where to get one', async () => {
    const r = await cli(['add', '10.0.0.78', '--url', url, '--data-dir', join(dataDir, 'none')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('(UNAUTHORIZED)');
    expect(r.stderr).toContain('set SOLOWATCH_TOKEN, or pass --data-dir');
  });

  it('a wrong SOLOWATCH_TOKEN is reported as refused', async () => {
    const r = await cli(['restart', 'm1', '--url', url], {
      env: { SOLOWATCH_TOKEN: 'wrong-token-wrong-token' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the API token was refused');
  });

  it('restart reports what happened, and the API error with what to do', async () => {
    const env = { SOLOWATCH_TOKEN: TOKEN };
    const ok = await cli(['restart', 'm1', '--url', url], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Restart of m1 sent');
    h.monitor.failNext.set(
      'restartMiner',
      new MonitorError('BREAKER_OPEN', 'breaker open', { retryAfterMs: 30_000 }),
    );
    const open = await cli(['restart', 'm1', '--url', url], { env });
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('breaker open (BREAKER_OPEN); try again in 30 s; wait for the breaker');
    const missing = await cli(['restart', 'zz', '--url', url], { env });
    expect(missing.stderr).toContain('`solowatch list`');
  });

  it('stats lists breakers and reset-breaker resets one by its full name', async () => {
    const stats = await cli(['stats', '--url', url]);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/miner_operations:m1\s+open\s+5/);
    const r = await cli(['reset-breaker', 'http_requests:http://10.0.0.5', '--url', url], {
      env: { SOLOWATCH_TOKEN: TOKEN },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Breaker http_requests:http://10.0.0.5 reset: now closed.');
  });

  it('discover draws progress and lists what it found', async () => {
    const r = await cli(['discover', '10.0.0.0/30', '--url', url], { env: { SOLOWATCH_TOKEN: TOKEN } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\r[###############---------------] 1/2 scanned, 1 found');
    expect(r.stdout).toContain('10.0.0.9:80');
    expect(r.stdout).toContain('new: solowatch add 10.0.0.9 --port 80');
  });

  it('discover reports a failed scan', async () => {
    h.monitor.failNext.set('discover', new MonitorError('INVALID_INPUT', 'target is not a range'));
    const r = await cli(['discover', 'nonsense', '--url', url], { env: { SOLOWATCH_TOKEN: TOKEN } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('discovery failed: target is not a range (INVALID_INPUT)');
  });
});

describe('when no server answers', () => {
  it('says how to start one', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const r = await cli(['list', '--url', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot reach solowatch at http://127.0.0.1:${port} (ECONNREFUSED): is \`solowatch serve\` running?\n`,
    );
  });

  it('refuses a URL that is not one', async () => {
    const r = await cli(['list', '--url', 'not a url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a URL');
  });
});

describe('progressBar', () => {
  it('fills in proportion and never overflows', () => {
    expect(progressBar({ scanned: 0, total: 10, found: 0 }, 10)).toBe('[----------]  0/10 scanned, 0 found');
    expect(progressBar({ scanned: 5, total: 10, found: 1 }, 10)).toBe('[#####-----]  5/10 scanned, 1 found');
    expect(progressBar({ scanned: 12, total: 10, found: 1 }, 10)).toContain('[##########]');
    expect(progressBar({ scanned: 0, total: 0, found: 0 }, 4)).toBe('[----] 0/0 scanned, 0 found');
  });
});
