/**
 * Interleaved rounds: every candidate runs one batch per round, in an order that rotates from
 * round to round, and each candidate's figure is the median over rounds. Running side by side in
 * one process means CPU frequency, other tenants of the machine and GC pressure hit every
 * candidate alike, which sequential runs (all of A, then all of B) do not.
 */
import { median } from './stats.js';

export interface Candidate {
  readonly name: string;
  /** One operation; awaited when it returns a promise. */
  readonly op: () => unknown;
}

export interface RoundsOptions {
  readonly rounds: number;
  /** Wall time each batch aims for; the batch size is calibrated per candidate. */
  readonly batchMs: number;
  /** Called between rounds (for example a GC, so no candidate pays for another's garbage). */
  readonly betweenRounds?: () => void;
  /**
   * What a batch is timed with: `wall` (hrtime) or `cpu` (the process's user + system CPU time,
   * microsecond resolution). On a machine shared with other work, wall time also counts the
   * time the process waited for a core; CPU time counts only the work done. @default 'wall'
   */
  readonly time?: 'wall' | 'cpu';
}

export interface CandidateResult {
  readonly name: string;
  /** Median over rounds of the per-op time in a batch. */
  readonly nsPerOp: number;
  readonly samples: readonly number[];
  readonly opsPerBatch: number;
}

type BatchRunner = (op: () => unknown, count: number) => Promise<number>;

const AsyncFunction = (async () => undefined).constructor as new (...source: string[]) => BatchRunner;

/**
 * A batch loop compiled afresh for one candidate. Sharing one loop would make its `op()` call
 * site see every library and go megamorphic, so whichever candidate ran first would be measured
 * inlined and the rest not; a loop of its own keeps every candidate's call site monomorphic.
 */
function batchRunner(time: 'wall' | 'cpu'): BatchRunner {
  const [start, elapsed] =
    time === 'wall'
      ? ['process.hrtime.bigint()', 'Number(process.hrtime.bigint() - start)']
      : ['process.cpuUsage()', '((used) => (used.user + used.system) * 1000)(process.cpuUsage(start))'];
  return new AsyncFunction(
    'op',
    'count',
    `const start = ${start};
    for (let i = 0; i < count; i += 1) {
      const result = op();
      if (result instanceof Promise) await result;
    }
    return ${elapsed};`,
  );
}

/** Grows the batch until it takes `batchMs`; doubles as the JIT warm-up. */
async function calibrate(run: BatchRunner, op: () => unknown, batchMs: number): Promise<number> {
  let count = 1;
  for (;;) {
    const elapsedNs = await run(op, count);
    if (elapsedNs >= batchMs * 1e6 || count >= 1 << 26) {
      return Math.max(1, Math.round((count * batchMs * 1e6) / Math.max(1, elapsedNs)));
    }
    count *= elapsedNs < batchMs * 1e5 ? 8 : 2;
  }
}

export async function interleavedRounds(
  candidates: readonly Candidate[],
  options: RoundsOptions,
): Promise<CandidateResult[]> {
  const runners = candidates.map(() => batchRunner(options.time ?? 'wall'));
  const counts: number[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const run = runners[index] as BatchRunner;
    await calibrate(run, candidate.op, options.batchMs);
    counts.push(await calibrate(run, candidate.op, options.batchMs));
  }
  const samples: number[][] = candidates.map(() => []);
  for (let round = 0; round < options.rounds; round += 1) {
    options.betweenRounds?.();
    for (let offset = 0; offset < candidates.length; offset += 1) {
      const index = (round + offset) % candidates.length;
      const candidate = candidates[index] as Candidate;
      const count = counts[index] as number;
      const elapsedNs = await (runners[index] as BatchRunner)(candidate.op, count);
      (samples[index] as number[]).push(elapsedNs / count);
    }
  }
  return candidates.map((candidate, index) => ({
    name: candidate.name,
    nsPerOp: median(samples[index] as number[]),
    samples: samples[index] as number[],
    opsPerBatch: counts[index] as number,
  }));
}
