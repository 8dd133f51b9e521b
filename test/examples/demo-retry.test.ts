import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../examples/demo-retry.js';
import { FakeClock } from '../../src/resilience/testing.js';

const DEMO = fileURLToPath(new URL('../../examples/demo-retry.ts', import.meta.url));

/** Plays the whole demo on a FakeClock: no real waiting, and the same timeline every time. */
async function playOnFakeClock(): Promise<string[]> {
  const lines: string[] = [];
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  let finished = false;
  const demo = runDemo({ clock, write: (line) => lines.push(line), color: false }).finally(() => {
    finished = true;
  });
  for (let turn = 0; !finished && turn < 1_000; turn += 1) {
    await clock.runAll();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await demo;
  return lines;
}

function indexOfLine(lines: readonly string[], pattern: RegExp, from = 0): number {
  const index = lines.findIndex((line, i) => i >= from && pattern.test(line));
  if (index < 0) throw new Error(`no line matching ${pattern} after line ${from}:\n${lines.join('\n')}`);
  return index;
}

describe('demo:retry', () => {
  it('tells every scenario in order, with the outcomes the library guarantees', async () => {
    const lines = await playOnFakeClock();

    // 1. Two refusals, each followed by a growing wait, then success on the third call.
    const recovered = indexOfLine(lines, /recovered on attempt 3: 1\.21 TH\/s/);
    expect(
      lines.filter((line) => /attempt \d failed: MinerConnectionError: connect ECONNREFUSED/.test(line)),
    ).toHaveLength(2);
    const waits = lines
      .map((line) => /retrying in (\d+) ms/.exec(line)?.[1])
      .filter((ms) => ms !== undefined)
      .map(Number);
    expect(waits).toHaveLength(2);
    // Equal jitter: the first wait is in [100, 200], the second in [200, 400].
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[0]).toBeLessThanOrEqual(200);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    expect(waits[1]).toBeLessThanOrEqual(400);

    // 2. Open after three failures, refusals without calling the miner, half-open after 1 s, closed.
    const opened = indexOfLine(
      lines,
      /\+(\d+\.\d+)s {2}breaker miner_operations:bitaxe-7: closed -> open \(failure_threshold\)/,
      recovered,
    );
    const refused = indexOfLine(lines, /refused at once \(miner not called\), next try in \d+ ms/, opened);
    const halfOpen = indexOfLine(lines, /bitaxe-7: open -> half_open \(recovery_timeout\)/, refused);
    const openedAt = Number(/\+(\d+\.\d+)s/.exec(lines[opened] as string)?.[1]);
    const halfOpenAt = Number(/\+(\d+\.\d+)s/.exec(lines[halfOpen] as string)?.[1]);
    expect(halfOpenAt - openedAt).toBeGreaterThanOrEqual(1);
    const closed = indexOfLine(lines, /bitaxe-7: half_open -> closed \(success_threshold\)/, halfOpen);
    // The transition is told during the poll that caused it, so that poll's failure follows it;
    // from there to half-open, every poll is refused without reaching the miner.
    expect(lines[opened + 1]).toMatch(/poll: failed: MinerConnectionError/);
    const whileOpen = lines.slice(opened + 2, halfOpen).filter((line) => line.includes('poll:'));
    expect(whileOpen.length).toBeGreaterThanOrEqual(5);
    expect(whileOpen.every((line) => line.includes('refused at once (miner not called)'))).toBe(true);
    indexOfLine(lines, /stats: state closed, 5 calls let through, \d+ refused, 3 failures/, closed);

    // 3. Reopened, then a manual reset closes it and the next poll goes through.
    const reopened = indexOfLine(lines, /closed -> open \(failure_threshold\)/, closed);
    const reset = indexOfLine(lines, /bitaxe-7: open -> closed \(reset\)/, reopened);
    indexOfLine(lines, /reset returned true; failureCount is now 0/, reset);
    indexOfLine(lines, /poll: ok, 1\.21 TH\/s/, reset);

    // 4. The abort ends a 5 s wait after 0.3 s, before a second call.
    const aborted = indexOfLine(
      lines,
      /aborted after 0\.30 s of a 5\.00 s wait: Error: shutting down \(1 call made, no attempt 2\)/,
      reset,
    );
    indexOfLine(lines, /gave up: aborted after 1 attempt/, reset);

    // 5. Twelve dark miners: 48 calls alone, far fewer with a shared budget.
    const without = indexOfLine(lines, /without a budget: 48 calls to 12 dark miners/, aborted);
    const withBudget = lines[indexOfLine(lines, /with a shared budget: \d+ calls/, without)] as string;
    const calls = Number(/with a shared budget: (\d+) calls/.exec(withBudget)?.[1]);
    expect(calls).toBeGreaterThanOrEqual(12);
    expect(calls).toBeLessThan(24);
    expect(withBudget).toMatch(/\(\d+ retries granted, \d+ denied by the budget\)/);
    indexOfLine(lines, /give-ups: 12 budget/, without);

    const titles = lines.filter((line) => /^\d\. /.test(line));
    expect(titles).toEqual([
      '1. A transient failure, recovered with backoff',
      '2. A breaker opening, refusing, going half-open and closing',
      '3. A manual reset',
      '4. An abort cutting a wait short',
      '5. A retry budget stopping a retry storm',
    ]);
    expect(lines.join('\n')).not.toContain('\u001b[');
  });

  it('plays the same timeline every time on a fake clock', async () => {
    expect(await playOnFakeClock()).toEqual(await playOnFakeClock());
  });

  it('rejects a nonsense time scale', async () => {
    await expect(runDemo({ timeScale: 0, write: () => undefined })).rejects.toThrow(/timeScale/);
  });

  it('runs as a script with --fast in real time, without colours when stdout is not a terminal', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO, '--fast'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Only what real-time scheduling cannot reorder: every scenario ran to its end.
    expect(stdout).toContain('recovered on attempt 3');
    expect(stdout).toMatch(/half_open -> closed \(success_threshold\)/);
    expect(stdout).toMatch(/open -> closed \(reset\)/);
    expect(stdout).toMatch(/aborted after \d+\.\d\d s of a 5\.00 s wait/);
    expect(stdout).toContain('without a budget: 48 calls');
    expect(stdout).not.toContain('\u001b[');
  });
});
