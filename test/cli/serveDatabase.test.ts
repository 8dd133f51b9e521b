/**
 * `solowatch serve` with a SOLOWATCH_DATABASE_URL that cannot work: it exits non-zero with a
 * message that names the server and never the password, before listening.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resetCircuitBreaker } from '../../src/resilience/index.js';
import { serverName } from '../../src/storage/postgres/index.js';
import { postgresRequired, serverAnswers, TEST_DATABASE_URL } from '../storage/backends.js';
import { cli } from './harness.js';

const server = postgresRequired() || (await serverAnswers());
if (!server) console.info(`skipped: no PostgreSQL server answers at ${serverName(TEST_DATABASE_URL)}`);

function serve(databaseUrl: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-pgcli-'));
  return cli(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'], {
    env: { SOLOWATCH_DATABASE_URL: databaseUrl },
  });
}

/** A port where nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('serve with a PostgreSQL URL that cannot work', { timeout: 60_000 }, () => {
  // In-process runs share the global breaker registry that a real process has to itself.
  afterEach(() => {
    resetCircuitBreaker('database');
  });

  it('exits 2 for a URL that is not a PostgreSQL URL, naming the variable, not the password', async () => {
    const r = await serve('mysql://solo:hunter2@db.lan/farm');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SOLOWATCH_DATABASE_URL must be a URL like postgres:\/\//);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stdout).toBe('');
  });

  it('exits 1 when nothing listens at the address, after its retries', async () => {
    const port = await closedPort();
    const r = await serve(`postgres://solo:hunter2@127.0.0.1:${port}/farm`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`PostgreSQL postgres://solo@127.0.0.1:${port}/farm refuses connections`);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stdout).not.toMatch(/listening/i);
  });

  it.skipIf(!server)('exits 1 for a database the server does not have, saying what to do', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/no_such_solowatch_db';
    url.password = 'hunter2';
    const r = await serve(url.href);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${url.hostname}:${url.port || 5432}/no_such_solowatch_db`);
    expect(r.stderr).toMatch(/createdb|fix the storage URL|refused the login/);
    expect(r.stderr).not.toContain('hunter2');
  });
});
