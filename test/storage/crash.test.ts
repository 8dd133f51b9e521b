import { spawn } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const BASE = 1_767_225_600_000;

/** Runs the writer until it has acknowledged `acks` flushes, then SIGKILLs it; returns the last ack. */
function runAndKill(path: string, acks: number): Promise<number> {
  const writer = new URL('./crashWriter.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
    cwd: new URL('../..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lastAck = -1;
  let seen = 0;
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ACK (\d+)$/.exec(line);
        if (match === null) continue;
        lastAck = Number(match[1]);
        seen += 1;
        // Killed while it keeps ingesting: the next rounds are queued or mid-transaction.
        if (seen === acks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastAck);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged sample and a consistent file after SIGKILL mid-ingest', async () => {
    const path = tmp.file('crash.db');
    const acknowledged = await runAndKill(path, 25);
    expect(acknowledged).toBeGreaterThan(0);

    const db = new BetterSqlite3(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = db
      .prepare('SELECT count(*) FROM metrics WHERE ts < ?')
      .pluck()
      .get(BASE + acknowledged) as number;
    expect(present).toBe(acknowledged);
    // Raw rows and rollups were committed together: no transaction half-applied.
    const raw = db.prepare('SELECT count(*) FROM metrics').pluck().get() as number;
    const minute = db.prepare('SELECT total(samples) FROM metrics_minute').pluck().get() as number;
    const hour = db.prepare('SELECT total(samples) FROM metrics_hour').pluck().get() as number;
    expect(minute).toBe(raw);
    expect(hour).toBe(raw);
    db.close();

    const { storage } = harness(path);
    await storage.initialize();
    expect((await storage.latestMetric('crash-0'))?.timestamp).toBeGreaterThanOrEqual(
      BASE + acknowledged - 7,
    );
    await storage.close();
  }, 60_000);
});
