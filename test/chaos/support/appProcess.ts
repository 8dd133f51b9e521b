/**
 * Run as a separate process: `tsx appProcess.ts <config file>`. Starts the whole app the way
 * `solowatch serve` does (loadConfig + startSolowatch) and reports on stdout, one line each:
 *   ready <url> <token>
 *   ack <written>          samples committed to the database (written counts only after COMMIT)
 *   alert <action> <key>   every alert the monitor raises
 *   breakers <json>        miner breakers and their states
 * The chaos tests kill it with SIGKILL at any point.
 */
import { loadConfig } from '../../../src/config/loadConfig.js';
import { startSolowatch } from '../../../src/main.js';

const [configPath, reportMsText] = process.argv.slice(2);
if (configPath === undefined) throw new Error('usage: appProcess.ts <config file> [report ms]');
const reportMs = Number(reportMsText ?? '200');

process.on('unhandledRejection', (reason) => {
  process.stdout.write(`unhandled ${String(reason)}\n`);
});

const config = await loadConfig({
  flags: { config: configPath },
  env: { SOLOWATCH_TOKEN: 'chaos-token-0123456789abcdef' },
});
const handle = await startSolowatch(config, { webRoot: null });
handle.monitor.subscribe((event) => {
  if (event.type === 'alert') process.stdout.write(`alert ${event.action} ${event.alert.key}\n`);
});
process.stdout.write(`ready ${handle.url} ${handle.token}\n`);

const report = async (): Promise<void> => {
  const health = await handle.monitor.health();
  process.stdout.write(`ack ${health.stats.written}\n`);
  const breakers: Record<string, string> = {};
  for (const miner of handle.monitor.listMiners()) breakers[miner.id] = miner.breaker?.state ?? 'none';
  process.stdout.write(`breakers ${JSON.stringify(breakers)}\n`);
};
setInterval(() => void report(), reportMs);

const stop = async (): Promise<void> => {
  await handle.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
