/**
 * A simulated fleet for the benches, in child processes of its own so its CPU is not the
 * measured process's: AxeOS devices on loopback addresses 127.0.<part+1>.x, 1,000 ports each.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Devices are spread over several loopback addresses, 1,000 ports each. */
const PER_HOST = 1000;
/**
 * Devices per simulator process: with kept-alive connections each device holds a listening and
 * a connected socket, and one process may hold 20,000 descriptors here.
 */
const PER_CHILD = 5000;
const BASE_PORT = 31_000;
const SIMULATOR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'simulator', 'cli.ts');

export interface SimulatorProcess {
  readonly child: ChildProcess;
  readonly addresses: { host: string; port: number }[];
}

export interface SimulatedFleet {
  readonly processes: readonly SimulatorProcess[];
  readonly addresses: readonly { host: string; port: number }[];
  /** user + system CPU of every simulator process so far, ms. */
  cpuMs(): number;
  close(): void;
}

/** Every simulator started, so a failing bench never leaves one running. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function startProcess(part: number, count: number, latencyMs: number): Promise<SimulatorProcess> {
  const hosts = Array.from({ length: Math.ceil(count / PER_HOST) }, (_, i) => `127.0.${part + 1}.${i + 1}`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      SIMULATOR,
      '--count',
      String(count),
      '--kind',
      'axeos',
      '--host',
      hosts.join(','),
      '--base-port',
      String(BASE_PORT),
      '--seed',
      String(7 + part),
      ...(latencyMs > 0 ? ['--latency-ms', String(latencyMs)] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let text = '';
    const addresses: { host: string; port: number }[] = [];
    child.on('exit', (code) => reject(new Error(`simulator exited early with code ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      for (const line of lines) {
        const match = /\s(\d+\.\d+\.\d+\.\d+):(\d+)\s/.exec(line);
        if (match) addresses.push({ host: match[1] as string, port: Number(match[2]) });
      }
      if (addresses.length === count) {
        child.removeAllListeners('exit');
        resolve({ child, addresses });
      }
    });
  });
}

/** user + system CPU of a process in ms, from /proc (Linux). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

/** `count` AxeOS devices, each answering after `latencyMs` (0: at once). */
export async function startSimulatedFleet(count: number, latencyMs = 0): Promise<SimulatedFleet> {
  const parts = Array.from({ length: Math.ceil(count / PER_CHILD) }, (_, part) =>
    Math.min(PER_CHILD, count - part * PER_CHILD),
  );
  const processes = await Promise.all(parts.map((n, part) => startProcess(part, n, latencyMs)));
  return {
    processes,
    addresses: processes.flatMap((p) => p.addresses),
    cpuMs: () => processes.reduce((sum, p) => sum + procCpuMs(p.child.pid as number), 0),
    close: () => {
      for (const p of processes) p.child.kill('SIGKILL');
    },
  };
}
