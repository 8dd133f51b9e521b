/**
 * Jitter laws under contention, in the style of the AWS Architecture Blog's "Exponential Backoff
 * and Jitter": N clients race to update one row under optimistic concurrency, and each law is
 * judged by the work it costs the row (calls) and the time until every client is done. The
 * delays come from the library's own `computeDelay`, so this measures our backoff. The study's
 * conclusion to reproduce: exponential backoff without jitter is the slowest by far, and full
 * jitter does the least work.
 *
 *   node --import tsx bench/contention.bench.ts [--quick]
 */
import type { JitterMode } from '../src/resilience/index.js';
import { isQuick } from './lib/args.js';
import { simulateContention } from './lib/contention.js';
import { seededRandom } from './lib/stats.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const BENCH = 'contention';
const CLIENTS = [10, 50, 100] as const;
const LAWS: readonly JitterMode[] = ['none', 'full', 'equal', 'decorrelated'];
/** The study averaged 100 runs per point. */
const TRIALS = isQuick() ? 20 : 100;

interface Point {
  readonly clients: number;
  readonly law: JitterMode;
  readonly calls: number;
  readonly completionMs: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function run(clients: number, law: JitterMode): Point {
  const results = Array.from({ length: TRIALS }, (_, trial) =>
    // Each (clients, trial) pair has its own seed, shared by every law: the laws race the same
    // network.
    simulateContention({ clients, jitter: law, random: seededRandom(clients * 1_000 + trial + 1) }),
  );
  return {
    clients,
    law,
    calls: mean(results.map((result) => result.calls)),
    completionMs: mean(results.map((result) => result.completionMs)),
  };
}

function main(): void {
  const points = CLIENTS.flatMap((clients) => LAWS.map((law) => run(clients, law)));
  const at = (clients: number, law: JitterMode): Point =>
    points.find((point) => point.clients === clients && point.law === law) as Point;
  process.stdout.write(
    `contention: OCC on one row, network |N(10 ms, 2 ms)| per message, base 5 ms, cap 2 s, ` +
      `mean of ${TRIALS} seeded runs per cell\n\n`,
  );
  process.stdout.write(
    `${renderTable(
      ['clients', 'law', 'calls', 'completion ms', 'calls vs full', 'time vs none'],
      points.map((point) => [
        point.clients,
        point.law,
        point.calls,
        point.completionMs,
        point.calls / at(point.clients, 'full').calls,
        point.completionMs / at(point.clients, 'none').completionMs,
      ]),
    )}\n`,
  );

  const rows: SummaryRow[] = [];
  for (const clients of CLIENTS) {
    const jittered = LAWS.filter((law) => law !== 'none').map((law) => at(clients, law));
    const slowest = jittered.reduce((a, b) => (b.completionMs > a.completionMs ? b : a));
    const none = at(clients, 'none');
    rows.push({
      bench: BENCH,
      metric: `completion time, no jitter, ${clients} clients`,
      value: none.completionMs,
      unit: 'ms',
      anchor: `slowest jittered (${slowest.law}): ${formatNumber(slowest.completionMs)} ms`,
      ratio: none.completionMs / slowest.completionMs,
      target: '> 1x (no jitter slowest)',
      pass: none.completionMs > slowest.completionMs,
    });
    const others = LAWS.filter((law) => law !== 'full').map((law) => at(clients, law));
    const leanest = others.reduce((a, b) => (b.calls < a.calls ? b : a));
    const full = at(clients, 'full');
    rows.push({
      bench: BENCH,
      metric: `calls, full jitter, ${clients} clients`,
      value: full.calls,
      unit: 'calls',
      anchor: `fewest other (${leanest.law}): ${formatNumber(leanest.calls)}`,
      ratio: full.calls / leanest.calls,
      target: '<= 1x (full fewest)',
      pass: full.calls <= leanest.calls,
    });
  }
  printSummary(rows);
}

main();
