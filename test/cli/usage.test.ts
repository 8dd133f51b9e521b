import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './harness.js';

const COMMANDS = [
  'serve',
  'demo',
  'simulate',
  'add',
  'list',
  'restart',
  'stats',
  'reset-breaker',
  'discover',
  'tag',
];

describe('solowatch --help', () => {
  it('lists every command', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c);
  });

  it.each(COMMANDS)('%s --help describes its usage and exits 0', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: solowatch ${command}`);
  });

  it('no command prints the help and exits 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: solowatch');
  });
});

describe('usage errors exit 2 with a clear message', () => {
  it.each([
    [['serve', '--bogus'], "unknown option '--bogus'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['add'], "missing required argument 'host'"],
    [['add', '10.0.0.1', '--port', 'eighty'], 'must be a port number 1-65535'],
    [['add', '10.0.0.1', '--kind', 'antminer'], 'Allowed choices are auto, axeos, nerdqaxe, cgminer'],
    [['simulate', '--count', '0'], 'must be an integer 1-1000'],
    [
      ['serve', '--port', '99999', '--print-config'],
      'command line: --port must be a port number from 0 to 65535',
    ],
    [['serve', '--log-level', 'loud', '--print-config'], '--log-level must be one of'],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('configuration precedence: flags > environment > file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'solowatch-config-'));
  const yaml = join(dir, 'solowatch.yaml');
  writeFileSync(
    yaml,
    'host: 10.1.1.1\nport: 7000\ndataDir: /var/lib/from-file\nlogLevel: warn\npollIntervalMs: 15000\nmaxConcurrentPolls: 1024\n',
  );

  async function effective(argv: string[], env: Record<string, string> = {}) {
    const r = await cli(['serve', '--print-config', ...argv], { env, cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  }

  it('uses the defaults with nothing given', async () => {
    const c = await effective([]);
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: join(dir, 'data'), configFile: null });
  });

  it('the file beats the defaults', async () => {
    const c = await effective(['--config', yaml]);
    expect(c).toMatchObject({
      host: '10.1.1.1',
      port: 7000,
      dataDir: '/var/lib/from-file',
      pollIntervalMs: 15000,
      maxConcurrentPolls: 1024,
    });
  });

  it('the environment beats the file, SOLOWATCH_CONFIG names the file', async () => {
    const c = await effective([], {
      SOLOWATCH_CONFIG: yaml,
      SOLOWATCH_PORT: '7100',
      SOLOWATCH_HOST: '10.2.2.2',
    });
    expect(c).toMatchObject({
      host: '10.2.2.2',
      port: 7100,
      dataDir: '/var/lib/from-file',
      logLevel: 'warn',
    });
  });

  it('flags beat the environment', async () => {
    const c = await effective(['--config', yaml, '--port', '7200', '--data-dir', 'here'], {
      SOLOWATCH_PORT: '7100',
      SOLOWATCH_DATA_DIR: '/from/env',
    });
    expect(c).toMatchObject({ host: '10.1.1.1', port: 7200, dataDir: join(dir, 'here') });
  });

  it('never prints the token itself', async () => {
    const c = await effective([], { SOLOWATCH_TOKEN: 'a-very-secret-token-123' });
    expect(c.token).toBe('(set)');
  });

  it('reads JSON config files too', async () => {
    const json = join(dir, 'solowatch.json');
    writeFileSync(json, JSON.stringify({ port: 7300, miners: [{ host: '192.168.1.40', kind: 'axeos' }] }));
    const c = await effective(['--config', json]);
    expect(c).toMatchObject({ port: 7300, miners: [{ host: '192.168.1.40', kind: 'axeos' }] });
  });
});

describe('a bad config file is refused naming the key and the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'solowatch-badconfig-'));

  it.each([
    ['prot: 8080\n', 'prot is not a known key'],
    ['port: eighty\n', 'port must be a port number from 0 to 65535, got "eighty"'],
    ['miners:\n  - host: 10.0.0.1\n    kind: antminer\n', 'miners[0].kind must be one of'],
    ['miners:\n  - hots: 10.0.0.1\n', 'miners[0].hots is not a known key'],
    ['thresholds:\n  chipTempMaxC: hot\n', 'thresholds.chipTempMaxC must be a number'],
    [
      'notifiers:\n  - topic: x\n',
      'notifiers[0].kind is missing: expected one of webhook, ntfy, telegram, discord',
    ],
    ['maxConcurrentPolls: 0\n', 'maxConcurrentPolls must be a whole number from 1 to 100000'],
    ['maxConcurrentPolls: 2.5\n', 'maxConcurrentPolls must be a whole number'],
    ['host: [1, 2\n', 'is not valid YAML'],
  ])('%j', async (text, message) => {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    const r = await cli(['serve', '--print-config', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain(message);
  });

  it('a missing config file says so', async () => {
    const r = await cli(['serve', '--print-config', '--config', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml: config file does not exist');
  });

  it('a bad environment value names the variable', async () => {
    const r = await cli(['serve', '--print-config'], { env: { SOLOWATCH_PORT: 'abc' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'environment: SOLOWATCH_PORT must be a port number from 0 to 65535, got "abc"',
    );
  });
});
