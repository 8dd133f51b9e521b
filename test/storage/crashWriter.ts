/**
 * The writer of the crash test, run in a child process: ingests without pause and prints
 * `ACK <n>` each time flush() resolves, n being the number of samples acknowledged so far.
 * Sample k (from 0) has timestamp BASE + k.
 */
import { SqliteStorage } from '../../src/storage/index.js';

const [path] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: crashWriter.ts <database file>');
const BASE = 1_767_225_600_000;
const PER_ROUND = 400;

const storage = new SqliteStorage({ path, batchSize: 1000, flushIntervalMs: 20, retentionIntervalMs: 0 });
await storage.initialize();
let next = 0;
for (;;) {
  const round = [];
  for (let i = 0; i < PER_ROUND; i += 1, next += 1) {
    round.push({
      minerId: `crash-${next % 7}`,
      timestamp: BASE + next,
      hashrateGhs: next,
      expectedHashrateGhs: 500,
      temperatureC: 50,
      vrTemperatureC: null,
      powerW: 15,
      inputVoltageV: 5,
      fanRpm: 3000,
      sharesAccepted: next,
      sharesRejected: 0,
      bestDifficulty: 1e6,
      sessionBestDifficulty: 1e5,
      uptimeS: next,
      backfilled: false,
    });
  }
  await storage.saveMetrics(round);
  // Every other round is acknowledged; in between, samples sit in the queue unacknowledged.
  if ((next / PER_ROUND) % 2 === 0) {
    await storage.flush();
    process.stdout.write(`ACK ${next}\n`);
  }
}
