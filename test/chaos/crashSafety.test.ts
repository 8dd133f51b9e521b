/**
 * kill -9 of the whole app (loadConfig + startSolowatch in a child process, as `solowatch serve`)
 * while it ingests from a simulated fleet, then a restart on the same data directory:
 * `PRAGMA integrity_check` is ok, no sample the app had committed is lost, open alerts are not
 * sent again, and miner breakers come back as they were (the monitor writes breaker state a
 * second after it changes; before commit cfc1d93 it did so only on a graceful stop, which this
 * test caught).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { exited, spawnTsx } from './support/childProcess.js';
import { LineLog } from './support/lineLog.js';

const DEAD = 4;
let fleet: Fleet;
let hook: Server;
const notifications: { action: string; key: string }[] = [];

beforeAll(async () => {
  fleet = await startFleet({ count: 20, kind: 'mixed', seed: 11 });
  for (const device of fleet.devices.slice(0, DEAD)) device.setFaults({ offline: true });
  hook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const parsed = JSON.parse(body) as { action: string; alert: { key: string } };
      notifications.push({ action: parsed.action, key: parsed.alert.key });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await fleet?.close();
  await new Promise<void>((resolve) => hook?.close(() => resolve()));
});

function writeConfig(dataDir: string): string {
  const path = join(dataDir, 'solowatch.json');
  const config = {
    port: 0,
    dataDir,
    logLevel: 'silent',
    pollIntervalMs: 1000,
    notifiers: [{ kind: 'webhook', url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` }],
    miners: fleet.devices.map((d) => ({
      host: d.host,
      port: d.port,
      kind: d.kind === 'avalon' ? 'cgminer' : d.kind,
      name: d.id,
    })),
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const openedOffline = () =>
  new Set(
    notifications.filter((n) => n.action === 'opened' && n.key.startsWith('offline:')).map((n) => n.key),
  );

describe('kill -9 during ingest, then restart', () => {
  it('keeps the file sound, every committed sample, alert de-duplication and breaker states', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-chaos-crash-'));
    const configPath = writeConfig(dataDir);

    const first = spawnTsx('test/chaos/support/appProcess.ts', [configPath, '100']);
    const log1 = new LineLog(first);
    await log1.waitFor('the app to start', () => log1.values('ready').length > 0, 30_000);
    await log1.waitFor('offline alerts for the dead miners', () => openedOffline().size >= DEAD, 20_000);
    const openBreakers = (log: LineLog): string[] => {
      const last = log.last('breakers');
      if (last === undefined) return [];
      return Object.entries(JSON.parse(last) as Record<string, string>)
        .filter(([, state]) => state === 'open')
        .map(([id]) => id);
    };
    await log1.waitFor('the dead miners breakers to open', () => openBreakers(log1).length >= DEAD, 20_000);
    // Breaker state is written behind, a second after it changes (as samples are flushed behind):
    // what changed in the last second before a crash may be lost, like an unflushed sample.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const acks = () => log1.values('ack').map(Number);
    const ackAtKillStart = acks().at(-1) ?? 0;
    await log1.waitFor('more samples committed', () => (acks().at(-1) ?? 0) > ackAtKillStart, 10_000);
    const breakersBefore = openBreakers(log1).sort();
    const lastAck = acks().at(-1) ?? 0;
    first.kill('SIGKILL');
    await exited(first);
    expect(log1.values('unhandled')).toEqual([]);
    expect(lastAck).toBeGreaterThan(0);

    const db = new Database(join(dataDir, 'solowatch.db'));
    const integrity = db.pragma('integrity_check', { simple: true });
    const rows = (db.prepare('SELECT count(*) AS n FROM metrics').get() as { n: number }).n;
    const savedBreakers = (
      db
        .prepare("SELECT count(*) AS n FROM breaker_snapshots WHERE name LIKE 'miner_operations:%'")
        .get() as { n: number }
    ).n;
    const storedOpen = (
      db
        .prepare("SELECT count(*) AS n FROM alerts WHERE cleared_at IS NULL AND key LIKE 'offline:%'")
        .get() as { n: number }
    ).n;
    db.close();
    expect(integrity).toBe('ok');
    expect(rows).toBeGreaterThanOrEqual(lastAck);
    expect(storedOpen).toBe(DEAD);
    expect(savedBreakers).toBeGreaterThanOrEqual(DEAD);

    const sentBefore = notifications.length;
    const second = spawnTsx('test/chaos/support/appProcess.ts', [configPath, '100']);
    const log2 = new LineLog(second);
    try {
      await log2.waitFor('the app to restart', () => log2.values('breakers').length > 0, 30_000);
      // Restored before the first poll of the dead miners could reopen them.
      expect(openBreakers(log2).sort(), 'breakers restored after the crash').toEqual(breakersBefore);
      // Several poll rounds with the dead miners still dead: their alerts are already open.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const resent = notifications
        .slice(sentBefore)
        .filter((n) => n.action === 'opened' && n.key.startsWith('offline:'));
      expect(resent).toEqual([]);
      expect(log2.values('alert').filter((line) => line.startsWith('opened offline:'))).toEqual([]);
      expect(log2.values('unhandled')).toEqual([]);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
  }, 90_000);
});
