import { describe, expect, it } from 'vitest';
import { createLogger, logFnOf, readableLine } from '../../src/log/logger.js';
import { AUTH, harness } from '../server/harness.js';

function capture(level: 'info' | 'debug' | 'silent', pretty: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ level, pretty, write: (line) => lines.push(line) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object a line when not on a terminal, level as a word, ISO time', () => {
    const { logger, lines } = capture('info', false);
    logFnOf(logger)('warn', 'breaker database: closed -> open');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'warn', msg: 'breaker database: closed -> open' });
    expect(new Date(String(entry.time)).toISOString()).toBe(entry.time);
  });

  it('writes a readable line on a terminal, extra fields after the message', () => {
    const { logger, lines } = capture('info', true);
    logger.info({ minerId: 'm1' }, 'added garage');
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info {2}added garage {2}minerId="m1"\n$/,
    );
  });

  it('drops what is below the configured level, and everything when silent', () => {
    const info = capture('info', false);
    logFnOf(info.logger)('debug', 'V8 settings');
    logFnOf(info.logger)('info', 'listening');
    expect(info.lines.map((l) => JSON.parse(l).msg)).toEqual(['listening']);
    const silent = capture('silent', false);
    logFnOf(silent.logger)('error', 'lost samples');
    expect(silent.lines).toEqual([]);
  });

  it("puts an error's stack on the lines after a readable one", () => {
    const line = readableLine(
      JSON.stringify({ level: 'error', time: 't', msg: 'boom', err: { stack: 'Error: x\n    at y' } }),
    );
    expect(line).toBe('t error boom\nError: x\n    at y\n');
    expect(readableLine('not json')).toBe('not json\n');
  });
});

describe('the HTTP server on the same logger', () => {
  it('logs an unexpected 5xx with its error, and no line per ordinary request', async () => {
    const { logger, lines } = capture('info', false);
    const h = await harness({ logger });
    try {
      expect((await h.app.inject({ url: '/api/miners' })).statusCode).toBe(200);
      expect(lines).toEqual([]);
      h.monitor.failNext.set('restartMiner', new Error('disk on fire'));
      const res = await h.app.inject({ method: 'POST', url: '/api/miners/m1/restart', headers: AUTH });
      expect(res.statusCode).toBe(500);
      const logged = lines.map((l) => JSON.parse(l) as { level: string; err?: { message?: string } });
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 'error', err: { message: 'disk on fire' } });
    } finally {
      await h.app.close();
    }
  });
});
