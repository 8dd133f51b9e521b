/** `solowatch credentials` and `add --user` against the real server routes (over a fake monitor). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, TOKEN } from '../server/harness.js';
import { tempDir } from '../storage/helpers.js';
import { cli } from './harness.js';

let h: Harness;
let url: string;
const dir = tempDir();
const passwordFile = join(dir.dir, 'bitaxe.pass');
const env = { SOLOWATCH_TOKEN: TOKEN };

beforeAll(async () => {
  h = await harness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  writeFileSync(passwordFile, 'from-the-file\nignored second line\n');
});
afterAll(async () => {
  await h.app.close();
  dir.remove();
});

/** The body of the last call of `method` the monitor got. */
const lastCall = (method: string) => h.monitor.calls.filter((c) => c.method === method).at(-1)?.args;

describe('solowatch credentials', () => {
  it('sets the login from a file or the environment, clears it, and never prints the password', async () => {
    const fromFile = await cli(
      ['credentials', 'm1', '--user', 'admin', '--password-file', passwordFile, '--url', url],
      {
        env,
      },
    );
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toMatch(/\(m1\) has a device login\.\n$/);
    expect(lastCall('updateMiner')?.slice(0, 2)).toEqual([
      'm1',
      { credentials: { username: 'admin', password: 'from-the-file' } },
    ]);

    const fromEnv = await cli(['credentials', 'm1', '--user', 'admin', '--url', url, '--json'], {
      env: { ...env, SOLOWATCH_MINER_PASSWORD: 'from-the-env' },
    });
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.stdout).hasCredentials).toBe(true);
    expect(fromEnv.stdout).not.toContain('from-the-env');
    expect(lastCall('updateMiner')?.[1]).toEqual({
      credentials: { username: 'admin', password: 'from-the-env' },
    });

    const cleared = await cli(['credentials', 'm1', '--clear', '--url', url], { env });
    expect(cleared.stdout).toMatch(/has no device login\.\n$/);
    expect(lastCall('updateMiner')?.[1]).toEqual({ credentials: null });
  });

  it('exits 2 naming what is missing, before asking the server', async () => {
    const calls = h.monitor.calls.length;
    const noPassword = await cli(['credentials', 'm1', '--user', 'admin', '--url', url], { env });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('--password-file FILE or SOLOWATCH_MINER_PASSWORD');
    const nothing = await cli(['credentials', 'm1', '--url', url], { env });
    expect(nothing.code).toBe(2);
    const both = await cli(
      ['credentials', 'm1', '--clear', '--user', 'a', '--password-file', passwordFile, '--url', url],
      {
        env,
      },
    );
    expect(both.code).toBe(2);
    const missingFile = await cli(
      ['credentials', 'm1', '--user', 'a', '--password-file', join(dir.dir, 'none'), '--url', url],
      { env },
    );
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain('ENOENT');
    expect(h.monitor.calls.length).toBe(calls);
  });

  it('add --user sends the login with the new miner; --help offers no password flag', async () => {
    const added = await cli(
      ['add', '10.0.0.77', '--user', 'admin', '--password-file', passwordFile, '--url', url],
      { env },
    );
    expect(added.code).toBe(0);
    expect(lastCall('addMiner')?.[0]).toMatchObject({
      host: '10.0.0.77',
      credentials: { username: 'admin', password: 'from-the-file' },
    });
    for (const command of ['add', 'credentials']) {
      const help = await cli([command, '--help']);
      expect(help.stdout).toContain('--password-file');
      expect(help.stdout).not.toMatch(/--password\s/);
    }
  });
});
