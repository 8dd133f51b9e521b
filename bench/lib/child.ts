/** Runs a TypeScript file in its own node process, the way `npm run bench` runs every bench. */
import { spawn } from 'node:child_process';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly durationMs: number;
}

export interface RunChildOptions {
  /** Copy the child's stdout to ours as it arrives. @default false */
  readonly echo?: boolean;
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
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.echo === true) process.stdout.write(chunk);
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
      resolve({
        code,
        signal,
        stdout: Buffer.concat(chunks).toString('utf8'),
        durationMs: performance.now() - started,
      });
    });
  });
}
