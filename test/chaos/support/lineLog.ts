/** Collects a child's stdout lines so a test can wait for, and read, what it reported. */
import type { ChildProcess } from 'node:child_process';

export class LineLog {
  readonly lines: string[] = [];
  stderr = '';
  #partial = '';

  constructor(child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = this.#partial + chunk.toString('utf8');
      const parts = text.split('\n');
      this.#partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
  }

  /** Lines starting with `prefix `, without it. */
  values(prefix: string): string[] {
    return this.lines
      .filter((line) => line.startsWith(`${prefix} `))
      .map((line) => line.slice(prefix.length + 1));
  }

  last(prefix: string): string | undefined {
    return this.values(prefix).at(-1);
  }

  async waitFor(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-800)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
