import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MonitorError, type MonitorErrorCode } from '../../src/monitor/errors.js';
import { ERROR_CODES, toApiError } from '../../src/server/errors.js';

const API_MD = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');

describe('the error registry', () => {
  it.each(Object.entries(ERROR_CODES))('documents %s with its status in docs/API.md', (code, info) => {
    const row = API_MD.split('\n').find((line) => line.includes(`\`${code}\``) && line.startsWith('|'));
    expect(row, `docs/API.md has no table row for ${code}`).toBeDefined();
    // Cells are compared trimmed: the formatter pads markdown tables to align their columns.
    const cells = (row ?? '').split('|').map((cell) => cell.trim());
    expect(cells).toContain(String(info.status));
  });

  it('maps every monitor error code onto a registered code of the same name', () => {
    const codes: MonitorErrorCode[] = [
      'MINER_NOT_FOUND',
      'MINER_EXISTS',
      'MINER_UNREACHABLE',
      'NOT_A_MINER',
      'RESTART_COOLDOWN',
      'RESTART_IN_PROGRESS',
      'BREAKER_OPEN',
      'INVALID_INPUT',
    ];
    for (const code of codes) {
      const mapped = toApiError(new MonitorError(code, 'x', { retryAfterMs: 1500 }));
      expect(mapped.code).toBe(code);
      expect(mapped.statusCode).toBe(ERROR_CODES[code].status);
      expect(mapped.retryAfterMs).toBe(1500);
    }
  });

  it('hides unexpected errors behind INTERNAL_ERROR', () => {
    expect(toApiError(new TypeError('x is undefined'))).toMatchObject({
      code: 'INTERNAL_ERROR',
      statusCode: 500,
    });
    expect(toApiError('a string')).toMatchObject({ code: 'INTERNAL_ERROR' });
  });
});
