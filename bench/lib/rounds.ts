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
}

export interface CandidateResult {
  readonly name: string;
  /** Median over rounds of the per-op time in a batch. */
  readonly nsPerOp: number;
  readonly samples: readonly number[];
  readonly opsPerBatch: number;
}

async function runBatch(op: () => unknown, count: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) {
    const result = op();
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - start);
}

/** Grows the batch until it takes `batchMs`; doubles as the JIT warm-up. */
async function calibrate(op: () => unknown, batchMs: number): Promise<number> {
  let count = 1;
  for (;;) {
    const elapsedNs = await runBatch(op, count);
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
  const counts: number[] = [];
  for (const candidate of candidates) {
    await calibrate(candidate.op, options.batchMs);
    counts.push(await calibrate(candidate.op, options.batchMs));
  }
  const samples: number[][] = candidates.map(() => []);
  for (let round = 0; round < options.rounds; round += 1) {
    options.betweenRounds?.();
    for (let offset = 0; offset < candidates.length; offset += 1) {
      const index = (round + offset) % candidates.length;
      const candidate = candidates[index] as Candidate;
      const count = counts[index] as number;
      const elapsedNs = await runBatch(candidate.op, count);
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
