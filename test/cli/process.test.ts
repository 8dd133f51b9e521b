/**
 * The real executable in a child process: exit codes, the serve lifecycle with a signal, and the
 * demo a newcomer runs first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const ENTRY = join(ROOT, 'src/cli/index.ts');

interface Running {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[], env: Record<string, string> = {}, cwd = ROOT): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const r: Running = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (d: Buffer) => {
    r.stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    r.stderr += d.toString();
  });
  return r;
}

// Each child starts TypeScript through tsx: on a busy two-core machine a cold start takes many
// seconds. Nothing here is about speed, so the limits only catch a child that never answers.
async function until(r: Running, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const started = Date.now();
  for (;;) {
    const match = pattern.exec(r.stdout);
    if (match !== null) return match;
    if (r.child.exitCode !== null) throw new Error(`exited ${r.child.exitCode}: ${r.stdout}\n${r.stderr}`);
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${pattern}: ${r.stdout}\n${r.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the solowatch executable', { timeout: 120_000 }, () => {
  it('exits 0 for --help and 2 for a bad flag, with the message on stderr', async () => {
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout).toContain('Usage: solowatch');
    const bad = run(['list', '--colour']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr).toContain("unknown option '--colour'");
  });

  it('serve: listens, prints the token once, answers, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-serve-'));
    const serve = run(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent']);
    const [, url] = await until(serve, /open (http:\/\/127\.0\.0\.1:\d+)\//);
    await until(serve, /API token/);
    expect((statSync(join(dataDir, 'token')).mode & 0o777).toString(8)).toBe('600');
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('ok');
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.stderr).toContain('solowatch stopped.');
    // No library warning leaks onto a user's terminal (fastify's FSTDEP023 did).
    expect(serve.stderr).not.toMatch(/Warning|FSTDEP/);
    expect(existsSync(join(dataDir, 'solowatch.db'))).toBe(true);

    // The second start reuses the token and does not print it again.
    const again = run(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent']);
    await until(again, /open http/);
    expect(again.stdout).not.toContain('API token');
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('demo: serves a simulated fleet of mixed kinds and removes its data on exit', async () => {
    const demo = run(['demo', '--port', '0', '--count', '4', '--log-level', 'silent']);
    const [, url] = await until(demo, /open (http:\/\/127\.0\.0\.1:\d+)\//);
    const [, dataDir] = await until(demo, /Data in (\S+) \(removed on exit\)/);
    const miners = (await (await fetch(`${url}/api/miners`)).json()).miners as { kind: string }[];
    expect(miners).toHaveLength(4);
    expect(new Set(miners.map((m) => m.kind)).size).toBeGreaterThan(1);
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    expect(existsSync(dataDir!)).toBe(false);
  });
});
