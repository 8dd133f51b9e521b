import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../examples/demo-retry.js';

const DEMO = fileURLToPath(new URL('../../examples/demo-retry.ts', import.meta.url));

async function playFast(): Promise<string[]> {
  const lines: string[] = [];
  await runDemo({ timeScale: 0.02, write: (line) => lines.push(line), color: false });
  return lines;
}

function indexOfLine(lines: readonly string[], pattern: RegExp, from = 0): number {
  const index = lines.findIndex((line, i) => i >= from && pattern.test(line));
  if (index < 0) throw new Error(`no line matching ${pattern} after line ${from}:\n${lines.join('\n')}`);
  return index;
}

describe('demo:retry', () => {
  it('tells every scenario, in order, with the outcomes the library guarantees', async () => {
    const lines = await playFast();

    const recovered = indexOfLine(lines, /recovered on attempt 3: 1\.21 TH\/s/);
    expect(lines.filter((line) => /attempt \d failed: MinerConnectionError/.test(line))).toHaveLength(2);
    expect(lines.filter((line) => /retrying in \d+ ms/.test(line))).toHaveLength(2);

    const opened = indexOfLine(lines, /bitaxe-7: closed -> open \(failure_threshold\)/, recovered);
    const refused = indexOfLine(lines, /refused at once \(miner not called\), next try in \d+ ms/, opened);
    const halfOpen = indexOfLine(lines, /bitaxe-7: open -> half_open \(recovery_timeout\)/, refused);
    const closed = indexOfLine(lines, /bitaxe-7: half_open -> closed \(success_threshold\)/, halfOpen);

    const reopened = indexOfLine(lines, /closed -> open \(failure_threshold\)/, closed);
    const reset = indexOfLine(lines, /bitaxe-7: open -> closed \(reset\)/, reopened);
    indexOfLine(lines, /reset returned true; failureCount is now 0/, reset);

    const aborted = indexOfLine(
      lines,
      /aborted after 0\.\d\d s of a 5\.00 s wait: Error: shutting down \(1 call made/,
      reset,
    );
    expect(lines[indexOfLine(lines, /gave up: aborted after 1 attempt/, reset)]).toBeDefined();

    const without = indexOfLine(lines, /without a budget: 48 calls to 12 dark miners/, aborted);
    const withBudget = lines[indexOfLine(lines, /with a shared budget: \d+ calls/, without)] as string;
    const calls = Number(/with a shared budget: (\d+) calls/.exec(withBudget)?.[1]);
    // The budget must cut the storm: at least the first attempts, far fewer than 48.
    expect(calls).toBeGreaterThanOrEqual(12);
    expect(calls).toBeLessThan(24);
    expect(withBudget).toMatch(/\d+ denied by the budget/);

    // Scenario titles, numbered in order.
    const titles = lines.filter((line) => /^\d\. /.test(line));
    expect(titles.map((line) => line.slice(0, 2))).toEqual(['1.', '2.', '3.', '4.', '5.']);
    // Plain text when colours are off.
    expect(lines.join('\n')).not.toContain('\u001b[');
  });

  it('rejects a nonsense time scale', async () => {
    await expect(runDemo({ timeScale: 0, write: () => undefined })).rejects.toThrow(/timeScale/);
  });

  it('runs as a script with --fast, without colours when stdout is not a terminal', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO, '--fast'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: undefined },
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
    expect(stdout).toContain('5. A retry budget stopping a retry storm');
    expect(stdout).toMatch(/half_open -> closed/);
    expect(stdout).not.toContain('\u001b[');
  });
});
