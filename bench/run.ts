/**
 * `npm run bench [-- --quick] [name ...]`: runs every bench/*.bench.ts in its own process, one
 * after the other (benches must not share the machine's two cores), then prints one table of
 * every bench's SUMMARY rows. A missed target is reported, not fatal: the exit code is non-zero
 * only when a bench crashes or breaks the SUMMARY protocol.
 */
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTsChild } from './lib/child.js';
import { parseSummary, SUMMARY_PREFIX, type SummaryRow } from './lib/summary.js';
import { type Cell, formatNumber, renderTable } from './lib/table.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';
const USAGE = `Usage: npm run bench -- [--quick] [--timeout-min N] [name ...]
  --quick          shorter runs of every bench (passed through to each)
  --timeout-min N  kill a bench that runs longer than N minutes (default 30)
  name             run only benches whose file name contains it (e.g. resilience)`;

interface Options {
  readonly quick: boolean;
  readonly timeoutMs: number;
  readonly filters: readonly string[];
}

function parseArgs(argv: readonly string[]): Options {
  let quick = false;
  let timeoutMs = 30 * 60_000;
  const filters: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--quick') quick = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg === '--timeout-min') {
      i += 1;
      const minutes = Number(argv[i]);
      if (!(minutes > 0))
        throw new Error('Expected `--timeout-min` to be followed by a number of minutes > 0');
      timeoutMs = minutes * 60_000;
    } else if (arg.startsWith('-')) throw new Error(`Unknown option ${arg}\n${USAGE}`);
    else filters.push(arg);
  }
  return { quick, timeoutMs, filters };
}

interface Outcome {
  readonly name: string;
  readonly durationMs: number;
  readonly rows: readonly SummaryRow[];
  /** Why the bench counts as crashed, or null. */
  readonly failure: string | null;
}

async function runBench(file: string, options: Options): Promise<Outcome> {
  const name = basename(file, SUFFIX);
  process.stdout.write(`\n=== ${name} (${basename(file)}${options.quick ? ', --quick' : ''}) ===\n`);
  const args = options.quick ? ['--quick'] : [];
  // The SUMMARY line is for this runner; its rows appear in the table at the end.
  const result = await runTsChild(file, args, {
    echo: true,
    hideLine: (line) => line.startsWith(SUMMARY_PREFIX),
    timeoutMs: options.timeoutMs,
  });
  const durationMs = result.durationMs;
  if (result.signal !== null) {
    return { name, durationMs, rows: [], failure: `killed by ${result.signal}` };
  }
  if (result.code !== 0) return { name, durationMs, rows: [], failure: `exited with code ${result.code}` };
  try {
    return { name, durationMs, rows: parseSummary(result.stdout), failure: null };
  } catch (error) {
    return { name, durationMs, rows: [], failure: (error as Error).message };
  }
}

function cell(value: string | number | null): Cell {
  if (value === null) return '-';
  return typeof value === 'number' ? formatNumber(value) : value;
}

function verdict(pass: boolean | null): string {
  if (pass === null) return 'info';
  return pass ? 'pass' : 'MISS';
}

function report(outcomes: readonly Outcome[]): string {
  const rows = outcomes.flatMap((outcome) =>
    outcome.rows.map((row): Cell[] => [
      row.bench,
      row.metric,
      `${formatNumber(row.value)} ${row.unit}`.trim(),
      cell(row.anchor),
      row.ratio === null ? '-' : `${formatNumber(row.ratio)}x`,
      cell(row.target),
      verdict(row.pass),
    ]),
  );
  const all = outcomes.flatMap((outcome) => outcome.rows);
  const met = all.filter((row) => row.pass === true).length;
  const missed = all.filter((row) => row.pass === false).length;
  const crashed = outcomes.filter((outcome) => outcome.failure !== null);
  const lines = [
    renderTable(['bench', 'metric', 'value', 'anchor', 'ratio', 'target', 'result'], rows),
    '',
    `targets met: ${met}, missed: ${missed}, informational: ${all.length - met - missed}; ` +
      `benches run: ${outcomes.length}, crashed: ${crashed.length}`,
    ...outcomes.map(
      (outcome) =>
        `  ${outcome.name}: ${(outcome.durationMs / 1000).toFixed(1)} s${outcome.failure === null ? '' : `, CRASHED: ${outcome.failure}`}`,
    ),
  ];
  return lines.join('\n');
}

/** What the figures depend on, load included: the machine is shared, and ratios are what hold. */
function machine(): string {
  const cores = cpus();
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `node ${process.version}, ${process.platform}/${process.arch}, ${cores.length} x ${cores[0]?.model.trim() ?? 'cpu'}, load average ${load}`;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const files = readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith(SUFFIX))
    .filter((file) => options.filters.length === 0 || options.filters.some((filter) => file.includes(filter)))
    .sort()
    .map((file) => join(BENCH_DIR, file));
  if (files.length === 0) {
    const wanted = options.filters.length === 0 ? '' : ` matching ${options.filters.join(' or ')}`;
    process.stderr.write(`No *${SUFFIX} file${wanted} in ${BENCH_DIR}\n`);
    return 2;
  }
  process.stdout.write(`${machine()}, benches: ${files.length}\n`);
  const outcomes: Outcome[] = [];
  for (const file of files) outcomes.push(await runBench(file, options));
  process.stdout.write(`\n=== summary: ratios against anchors ===\n${machine()}\n${report(outcomes)}\n`);
  return outcomes.some((outcome) => outcome.failure !== null) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
