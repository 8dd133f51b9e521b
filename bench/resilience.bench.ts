/**
 * solowatch retry + breaker against cockatiel 3.2.1, opossum 9 and p-retry 7, and a bare call:
 * per-call cost on the success path and the fail-once path (delay 0), measured side by side in
 * interleaved rounds in this process. Ours is measured the way users write it, options written
 * inline at the call site (a new object every call), and also with the options object hoisted and
 * as a wrapper built once (`retryWithBackoff`, the library's "policy"); cockatiel's policy is
 * built once, as its docs show. Then bytes per breaker for 10,000 breakers and the CPU an idle
 * process burns with them alive, each library in a child process of its own.
 *
 *   node --import tsx --expose-gc bench/resilience.bench.ts [--quick]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  circuitBreaker,
  retry as cockatielRetry,
  handleAll,
  wrap,
} from 'cockatiel';
import Opossum from 'opossum';
import pRetry from 'p-retry';
import {
  CircuitBreaker,
  RetryManager,
  type RetryOptions,
  retry,
  retryWithBackoff,
} from '../src/resilience/index.js';
import { isQuick, requireGc } from './lib/args.js';
import type { Footprint } from './lib/breakerFootprint.js';
import { runTsChild } from './lib/child.js';
import { type Candidate, type CandidateResult, interleavedRounds } from './lib/rounds.js';
import { printSummary, type SummaryRow } from './lib/summary.js';
import { formatNumber, renderTable } from './lib/table.js';

const BENCH = 'resilience';
const quick = isQuick();
const ROUNDS = quick ? 7 : 31;
const BATCH_MS = quick ? 10 : 25;
const BREAKERS = 10_000;
const IDLE_MS = quick ? 1000 : 3000;
/** Total calls allowed, the first included (cockatiel and p-retry count retries: one less). */
const MAX_ATTEMPTS = 3;
const HERE = dirname(fileURLToPath(import.meta.url));

const OURS = 'solowatch retry+breaker, options inline';
const HOISTED = 'solowatch, options object hoisted';
const POLICY = 'solowatch, retryWithBackoff built once';
const DEFAULTS_NAME = 'solowatch, default retry config';

const ok = async (): Promise<number> => 1;

/** A call that fails, then succeeds, then fails...: each operation fails once and retries once. */
function failOnce(): () => Promise<number> {
  // One error object for the whole run: building an Error (stack capture) would cost every
  // library the same microsecond and hide the differences under it.
  const error = new Error('transient');
  let fail = true;
  return async () => {
    fail = !fail;
    if (!fail) throw error;
    return 1;
  };
}

interface Subject {
  readonly name: string;
  readonly op: () => Promise<number>;
  /** True while the subject's breaker is closed (so no path measured a refusal). */
  readonly closed: () => boolean;
}

function subjects(fn: () => Promise<number>, path: 'success' | 'fail-once'): Subject[] {
  const breaker = new CircuitBreaker('bench', { failureThreshold: 5, recoveryTimeoutMs: 60_000 });
  const options: RetryOptions = { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 0, circuitBreaker: breaker };
  // The wrapper resolves its breaker by name at each call, in its own registry here.
  const manager = new RetryManager();
  const policy = retryWithBackoff(
    { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 0, failureThreshold: 5, recoveryTimeoutMs: 60_000 },
    { circuitBreakerName: 'bench', manager },
  )(fn);

  const cockatielBreaker = circuitBreaker(handleAll, {
    halfOpenAfter: 60_000,
    breaker: new ConsecutiveBreaker(5),
  });
  const cockatiel = wrap(
    cockatielRetry(handleAll, { maxAttempts: MAX_ATTEMPTS - 1, backoff: new ConstantBackoff(0) }),
    cockatielBreaker,
  );

  // opossum has no retry of its own: the loop below is the least a caller would write. Its
  // per-call timeout is off (ours has none) and it may open only past 75% errors over 10 calls,
  // since the fail-once path fails half its calls by design.
  const opossum = new Opossum(fn, {
    timeout: false,
    resetTimeout: 60_000,
    errorThresholdPercentage: 75,
    volumeThreshold: 10,
  });
  const opossumRetry = async (): Promise<number> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await opossum.fire();
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  };
  const pRetryOptions = {
    retries: MAX_ATTEMPTS - 1,
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
  };

  const bare = async (): Promise<number> => {
    try {
      return await fn();
    } catch {
      return fn();
    }
  };
  // Informational: the same breaker with every retry setting left at its default, which a caller
  // that only names a breaker gets (delays are not used on the success path, so only it can run).
  const defaults: RetryOptions = { circuitBreaker: breaker };
  const extra: Subject[] =
    path === 'success'
      ? [{ name: DEFAULTS_NAME, op: () => retry(fn, defaults), closed: () => breaker.state === 'closed' }]
      : [];
  return [
    { name: 'bare call', op: bare, closed: () => true },
    {
      name: OURS,
      op: () => retry(fn, { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 0, circuitBreaker: breaker }),
      closed: () => breaker.state === 'closed',
    },
    { name: HOISTED, op: () => retry(fn, options), closed: () => breaker.state === 'closed' },
    { name: POLICY, op: policy, closed: () => manager.getCircuitBreaker('bench').state === 'closed' },
    ...extra,
    {
      name: 'cockatiel 3.2.1',
      op: () => cockatiel.execute(fn),
      closed: () => cockatielBreaker.state === CircuitState.Closed,
    },
    { name: 'opossum 9', op: opossumRetry, closed: () => opossum.closed },
    { name: 'p-retry 7', op: () => pRetry(fn, pRetryOptions), closed: () => true },
  ];
}

async function measure(
  label: 'success' | 'fail-once',
  fn: () => () => Promise<number>,
): Promise<CandidateResult[]> {
  const list = subjects(fn(), label);
  for (const subject of list) {
    for (let i = 0; i < 4; i += 1) {
      const value = await subject.op();
      if (value !== 1) throw new Error(`${subject.name} answered ${value} on the ${label} path`);
    }
  }
  const gc = requireGc();
  const candidates: Candidate[] = list.map((subject) => ({ name: subject.name, op: subject.op }));
  const results = await interleavedRounds(candidates, {
    rounds: ROUNDS,
    batchMs: BATCH_MS,
    betweenRounds: gc,
    // CPU time, not wall time: on a shared machine a batch that waits for a core would be
    // charged the wait. Every candidate is timed the same way, side by side.
    time: 'cpu',
  });
  for (const subject of list) {
    if (!subject.closed())
      throw new Error(`${subject.name}'s breaker opened on the ${label} path: figures invalid`);
  }
  return results;
}

async function footprint(library: string): Promise<Footprint> {
  const child = await runTsChild(join(HERE, 'lib', 'breakerFootprint.ts'), [
    library,
    String(BREAKERS),
    String(IDLE_MS),
  ]);
  if (child.code !== 0)
    throw new Error(`footprint child for ${library} exited with ${child.code ?? child.signal}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as Footprint;
}

function byName(results: readonly CandidateResult[], name: string): number {
  const found = results.find((result) => result.name === name);
  if (found === undefined) throw new Error(`no result for ${name}`);
  return found.nsPerOp;
}

async function main(): Promise<void> {
  process.stdout.write(
    `resilience: ${ROUNDS} interleaved rounds of ~${BATCH_MS} ms CPU per candidate, medians of CPU time per op; node ${process.version}\n`,
  );
  const success = await measure('success', () => ok);
  const failing = await measure('fail-once', failOnce);
  const bare = { success: byName(success, 'bare call'), fail: byName(failing, 'bare call') };
  const timing = success.map((result) => {
    const fail = failing.find((other) => other.name === result.name)?.nsPerOp;
    return fail === undefined
      ? [result.name, result.nsPerOp, result.nsPerOp / bare.success, '-', '-']
      : [result.name, result.nsPerOp, result.nsPerOp / bare.success, fail, fail / bare.fail];
  });
  process.stdout.write(
    `\nPer call (CPU ns/op, median; fail-once = one failure then one success, delay 0)\n${renderTable(
      ['library', 'success ns/op', 'x bare', 'fail-once ns/op', 'x bare'],
      timing,
    )}\n`,
  );

  // Children run one after another: two at once would share the two cores with this process.
  const floor = await footprint('none');
  const prints: Footprint[] = [];
  for (const library of ['solowatch', 'solowatch-registry', 'cockatiel', 'opossum'])
    prints.push(await footprint(library));
  process.stdout.write(
    `\n${BREAKERS.toLocaleString('en-US')} breakers, one library per child process, ${IDLE_MS} ms idle window\n${renderTable(
      ['library', 'bytes/breaker', 'timers created', 'idle CPU us/s'],
      [
        ['(empty process)', 0, floor.timersCreated, floor.idleCpuUsPerSec],
        ...prints.map((p) => [p.library, p.bytesPerBreaker, p.timersCreated, p.idleCpuUsPerSec]),
      ],
    )}\n`,
  );

  const rows: SummaryRow[] = [];
  const ours = {
    success: byName(success, OURS),
    fail: byName(failing, OURS),
  };
  for (const anchor of ['cockatiel 3.2.1', 'opossum 9', 'p-retry 7']) {
    const theirs = byName(success, anchor);
    const targeted = anchor === 'cockatiel 3.2.1';
    rows.push({
      bench: BENCH,
      metric: 'success path, retry+breaker, options inline',
      value: ours.success,
      unit: 'ns/op',
      anchor: `${anchor}: ${formatNumber(theirs)} ns/op`,
      ratio: ours.success / theirs,
      target: targeted ? '<= 0.5x' : null,
      pass: targeted ? ours.success / theirs <= 0.5 : null,
    });
  }
  const cockatielSuccess = byName(success, 'cockatiel 3.2.1');
  /** A success-path row of ours against cockatiel's prebuilt policy; `limit` is a target ratio. */
  const againstCockatiel = (metric: string, name: string, limit: number | null): SummaryRow => {
    const value = byName(success, name);
    return {
      bench: BENCH,
      metric,
      value,
      unit: 'ns/op',
      anchor: `cockatiel 3.2.1: ${formatNumber(cockatielSuccess)} ns/op`,
      ratio: value / cockatielSuccess,
      target: limit === null ? null : `<= ${limit}x`,
      pass: limit === null ? null : value / cockatielSuccess <= limit,
    };
  };
  rows.push(
    againstCockatiel('success path, retryWithBackoff wrapper built once', POLICY, 0.4),
    againstCockatiel('success path, options object hoisted', HOISTED, null),
    againstCockatiel('success path, breaker + default retry config', DEFAULTS_NAME, null),
  );
  for (const anchor of ['cockatiel 3.2.1', 'opossum 9', 'p-retry 7']) {
    const theirs = byName(failing, anchor);
    rows.push({
      bench: BENCH,
      metric: 'fail-once path (delay 0)',
      value: ours.fail,
      unit: 'ns/op',
      anchor: `${anchor}: ${formatNumber(theirs)} ns/op`,
      ratio: ours.fail / theirs,
      target: null,
      pass: null,
    });
  }
  const get = (library: string): Footprint => prints.find((p) => p.library === library) as Footprint;
  const cockatiel = get('cockatiel');
  for (const library of ['solowatch', 'solowatch-registry']) {
    const mine = get(library);
    const targeted = library === 'solowatch';
    rows.push({
      bench: BENCH,
      metric: targeted ? 'bytes per breaker (10,000)' : 'bytes per breaker in the registry (10,000)',
      value: mine.bytesPerBreaker,
      unit: 'B',
      anchor: `cockatiel 3.2.1: ${formatNumber(cockatiel.bytesPerBreaker)} B`,
      ratio: mine.bytesPerBreaker / cockatiel.bytesPerBreaker,
      target: targeted ? '<= 0.25x' : null,
      pass: targeted ? mine.bytesPerBreaker / cockatiel.bytesPerBreaker <= 0.25 : null,
    });
  }
  const opossum = get('opossum');
  rows.push({
    bench: BENCH,
    metric: 'bytes per breaker (10,000), opossum',
    value: get('solowatch').bytesPerBreaker,
    unit: 'B',
    anchor: `opossum 9: ${formatNumber(opossum.bytesPerBreaker)} B`,
    ratio: get('solowatch').bytesPerBreaker / opossum.bytesPerBreaker,
    target: null,
    pass: null,
  });
  const mine = get('solowatch-registry');
  // "Zero" means: no timer exists, so nothing can wake; the CPU left is the process's own floor,
  // which wobbles by about a millisecond per second on a shared machine.
  const noise = Math.max(1000, floor.idleCpuUsPerSec);
  rows.push({
    bench: BENCH,
    metric: `idle CPU with ${BREAKERS.toLocaleString('en-US')} breakers (timers: ${mine.timersCreated})`,
    value: mine.idleCpuUsPerSec,
    unit: 'us/s',
    anchor: `empty process: ${formatNumber(floor.idleCpuUsPerSec)} us/s`,
    ratio: null,
    target: '0 timers, CPU within noise of empty',
    pass: mine.timersCreated === 0 && mine.idleCpuUsPerSec - floor.idleCpuUsPerSec <= noise,
  });
  for (const other of [cockatiel, opossum]) {
    rows.push({
      bench: BENCH,
      metric: `idle CPU with ${BREAKERS.toLocaleString('en-US')} breakers, ${other.library} (timers: ${other.timersCreated})`,
      value: other.idleCpuUsPerSec,
      unit: 'us/s',
      anchor: `empty process: ${formatNumber(floor.idleCpuUsPerSec)} us/s`,
      ratio: null,
      target: null,
      pass: null,
    });
  }
  process.stdout.write(
    `\nsolowatch vs cockatiel: success ${formatNumber(ours.success / byName(success, 'cockatiel 3.2.1'))}x (target <= 0.5x), ` +
      `bytes ${formatNumber(get('solowatch').bytesPerBreaker / cockatiel.bytesPerBreaker)}x (target <= 0.25x), ` +
      `idle timers ${mine.timersCreated} (target 0)\n`,
  );
  printSummary(rows);
  // opossum's bucket intervals are unref'd but its breakers are live objects: do not wait on them.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
