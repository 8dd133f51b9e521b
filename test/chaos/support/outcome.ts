/**
 * What "handled" means for one hostile answer: either a sample whose every field has its declared
 * type (no NaN, no Infinity, no object where a number belongs), or an error of a class the
 * monitor knows how to show for that miner. Anything else (TypeError, RangeError, a string
 * thrown) is a crash waiting to happen in the poll loop.
 */
import { isMinerError } from '../../../src/miners/errors.js';
import type { MinerSample } from '../../../src/miners/MinerSample.js';
import { isMinerConnectionError, isMinerTimeoutError } from '../../../src/resilience/index.js';

const NUMBER_FIELDS = [
  'timestamp',
  'hashrateGhs',
  'expectedHashrateGhs',
  'temperatureC',
  'maxChipTemperatureC',
  'vrTemperatureC',
  'powerW',
  'inputVoltageV',
  'currentA',
  'fanPercent',
  'sharesAccepted',
  'sharesRejected',
  'bestDifficulty',
  'sessionBestDifficulty',
  'uptimeS',
  'poolDifficulty',
  'networkDifficulty',
  'blockHeight',
  'blocksFound',
] as const;

const STRING_FIELDS = [
  'poolUrl',
  'poolUser',
  'firmware',
  'asicModel',
  'deviceModel',
  'hostname',
  'mac',
  'resetReason',
] as const;

/** Problems with a sample's shape; empty when it is well-formed. */
export function sampleProblems(sample: MinerSample): string[] {
  const problems: string[] = [];
  for (const field of NUMBER_FIELDS) {
    const value: unknown = sample[field];
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      problems.push(`${field} is ${String(value)} (${typeof value})`);
    }
  }
  for (const field of STRING_FIELDS) {
    const value: unknown = sample[field];
    if (value !== null && typeof value !== 'string') problems.push(`${field} is a ${typeof value}`);
  }
  for (const field of ['chipTemperaturesC', 'fanRpm'] as const) {
    const list: unknown = sample[field];
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      problems.push(`${field} is not a list of finite numbers`);
    }
  }
  if (!Array.isArray(sample.rejectReasons)) problems.push('rejectReasons is not a list');
  for (const reason of sample.rejectReasons) {
    if (typeof reason.reason !== 'string' || typeof reason.count !== 'number')
      problems.push('a reject reason is malformed');
  }
  if (typeof sample.raw !== 'object' || sample.raw === null || Array.isArray(sample.raw))
    problems.push('raw is not an object');
  else if (Object.getPrototypeOf(sample.raw) !== Object.prototype)
    problems.push('raw has a foreign prototype');
  if (!Array.isArray(sample.warnings) || !sample.warnings.every((w) => typeof w === 'string')) {
    problems.push('warnings is not a list of strings');
  }
  if (typeof sample.backfilled !== 'boolean') problems.push('backfilled is not a boolean');
  // A stored sample must survive JSON: raw goes to the database as text.
  try {
    JSON.stringify(sample);
  } catch (error) {
    problems.push(`not serializable: ${(error as Error).message}`);
  }
  return problems;
}

/** The error classes a per-miner failure may have; the message must say something. */
export function errorProblem(error: unknown): string | null {
  const known = isMinerError(error) || isMinerConnectionError(error) || isMinerTimeoutError(error);
  if (!known) {
    const name = error instanceof Error ? `${error.name}: ${error.message}` : `a thrown ${typeof error}`;
    return `unexpected error class (${name})`;
  }
  const message = (error as Error).message;
  if (message.trim().length < 10) return `error message too vague: ${JSON.stringify(message)}`;
  return null;
}

export interface OutcomeTally {
  samples: number;
  errors: Map<string, number>;
  warnings: number;
}

export function newTally(): OutcomeTally {
  return { samples: 0, errors: new Map(), warnings: 0 };
}

/** Runs one call and returns what is wrong with its outcome (null when handled). */
export async function judge(call: () => Promise<MinerSample>, tally: OutcomeTally): Promise<string | null> {
  let sample: MinerSample;
  try {
    sample = await call();
  } catch (error) {
    const problem = errorProblem(error);
    const name = error instanceof Error ? error.name : typeof error;
    tally.errors.set(name, (tally.errors.get(name) ?? 0) + 1);
    return problem;
  }
  tally.samples += 1;
  tally.warnings += sample.warnings.length;
  const problems = sampleProblems(sample);
  return problems.length === 0 ? null : problems.join('; ');
}

/** Cases per property: 10,000 in soak mode, fewer in the everyday run. */
export function fuzzRuns(everyday: number): number {
  const fromEnv = Number(process.env.SOLOWATCH_FUZZ_RUNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return process.env.SOLOWATCH_SOAK === '1' ? 10_000 : everyday;
}
