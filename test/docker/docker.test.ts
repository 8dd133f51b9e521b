/**
 * docker/: the Dockerfile and the compose file. Where a Docker daemon answers, the image is built;
 * where none does (this machine), the test says so and checks the files another way: the compose
 * file's services and wiring, the Dockerfile's stages, user, volume and healthcheck, that every
 * file it copies exists and every npm script it runs is defined, and the healthcheck script
 * itself against a local server.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;
const DOCKERFILE = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
const run = promisify(execFile);

function daemonAnswers(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(): { op: string; args: string }[] {
  return DOCKERFILE.replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: (op as string).toUpperCase(), args: rest.join(' ') };
    });
}

describe('docker/', () => {
  it('builds the image where a Docker daemon answers (else says so)', { timeout: 900_000 }, async (ctx) => {
    if (!daemonAnswers()) {
      console.log(
        'test/docker: no Docker daemon answers here (`docker info` fails); the files are checked without building',
      );
      ctx.skip();
    }
    await run('docker', ['build', '-f', 'docker/Dockerfile', '-t', 'solowatch:test', '.'], { cwd: ROOT });
    const { stdout } = await run('docker', [
      'image',
      'inspect',
      'solowatch:test',
      '--format',
      '{{.Config.User}}',
    ]);
    expect(stdout.trim()).toBe('solowatch');
  });

  it('compose: PostgreSQL and two instances on it, each with its own port and data volume', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'solowatch-1', 'solowatch-2']);
    expect(compose.services.postgres?.healthcheck).toBeDefined();
    const ports = new Set<string>();
    for (const name of ['solowatch-1', 'solowatch-2']) {
      const service = compose.services[name] as {
        build: { context: string; dockerfile: string };
        environment: Record<string, string>;
        depends_on: Record<string, { condition: string }>;
        ports: string[];
        volumes: string[];
      };
      expect(existsSync(join(ROOT, 'docker', service.build.context, service.build.dockerfile))).toBe(true);
      expect(service.environment.SOLOWATCH_DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(service.depends_on.postgres?.condition).toBe('service_healthy');
      expect(service.volumes.some((v) => v.endsWith(':/data'))).toBe(true);
      for (const p of service.ports) ports.add(p.split(':')[0] as string);
    }
    expect(ports.size).toBe(2);
  });

  it('Dockerfile: a build stage, then a non-root user, the /data volume and a healthcheck', () => {
    const steps = instructions();
    const stages = steps.filter((s) => s.op === 'FROM');
    expect(stages.length).toBe(2);
    for (const s of stages) expect(s.args).toMatch(/^node:20/);
    const final = steps.slice(steps.lastIndexOf(stages[1] as { op: string; args: string }));
    const user = final.find((s) => s.op === 'USER')?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)$/);
    expect(final.find((s) => s.op === 'VOLUME')?.args).toContain('/data');
    expect(final.find((s) => s.op === 'HEALTHCHECK')?.args).toContain('healthcheck.cjs');
    expect(final.find((s) => s.op === 'CMD')?.args).toContain('dist/cli/index.js');
  });

  it('Dockerfile: every file it copies from the repository exists, every npm script it runs is defined', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const step of instructions()) {
      if (step.op === 'COPY' && !step.args.startsWith('--from')) {
        const parts = step.args.split(/\s+/);
        for (const source of parts.slice(0, -1)) expect(existsSync(join(ROOT, source)), source).toBe(true);
      }
      if (step.op === 'RUN') {
        for (const [, script] of step.args.matchAll(/npm run (\S+)/g))
          expect(scripts[script as string], script).toBeDefined();
      }
    }
    // `npm run build` compiles src/ into dist/, where CMD starts the CLI.
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions?: { outDir?: string };
    };
    expect(build.compilerOptions?.outDir?.replace(/^\.\//, '')).toBe('dist');
    expect(existsSync(join(ROOT, 'src/cli/index.ts'))).toBe(true);
  });

  it('the healthcheck sends the token from the data directory and exits 0 only for a healthy answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solowatch-health-'));
    writeFileSync(join(dir, 'token'), 'a-token-of-twenty-chars\n');
    let status = 200;
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.statusCode =
        req.url === '/api/health' && req.headers.authorization === 'Bearer a-token-of-twenty-chars'
          ? status
          : 401;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = String((server.address() as AddressInfo).port);
    const check = () =>
      run(process.execPath, [join(ROOT, 'docker/healthcheck.cjs')], {
        env: { SOLOWATCH_PORT: port, SOLOWATCH_DATA_DIR: dir },
      }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    try {
      expect(await check()).toBe(0);
      status = 503;
      expect(await check()).toBe(1);
      expect(seen[0]).toBe('Bearer a-token-of-twenty-chars');
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
