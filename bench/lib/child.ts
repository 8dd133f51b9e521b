/** Runs a TypeScript file in its own node process, the way `npm run bench` runs every bench. */
import { spawn } from 'node:child_process';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly durationMs: number;
}

export interface RunChildOptions {
  /** Copy the child's stdout to ours, line by line as it arrives. @default false */
  readonly echo?: boolean;
  /** Lines not to copy when echoing (they are still in `stdout`). */
  readonly hideLine?: (line: string) => boolean;
  /** Killed (SIGKILL) after this long. @default no limit */
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/** `node --import tsx --expose-gc <file> ...args`; stderr goes straight to ours. */
export function runTsChild(
  file: string,
  args: readonly string[],
  options: RunChildOptions = {},
): Promise<ChildResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const chunks: Buffer[] = [];
    let partial = '';
    const echo = (text: string): void => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (options.hideLine?.(line) !== true) process.stdout.write(`${line}\n`);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.echo === true) echo(chunk.toString('utf8'));
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (options.echo === true && partial !== '') echo('\n');
      resolve({
        code,
        signal,
        stdout: Buffer.concat(chunks).toString('utf8'),
        durationMs: performance.now() - started,
      });
    });
  });
}
