import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const headings = readme
  .split('\n')
  .filter((line) => line.startsWith('### ') || line.startsWith('#### '))
  .join('\n');

describe('public surface', () => {
  it('every runtime export has an API heading in the README', () => {
    const missing = Object.keys(api).filter((name) => !headings.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });

  it('exports the names the design fixes', () => {
    for (const name of [
      'retry',
      'retrySync',
      'retryWithBackoff',
      'retryDatabaseOperation',
      'retryHttpRequest',
      'retryMinerOperation',
      'CircuitBreaker',
      'RetryManager',
      'retryManager',
      'getRetryStats',
      'resetCircuitBreaker',
      'RetryBudget',
      'isRetryable',
      'CircuitOpenError',
      'MinerConnectionError',
      'MinerTimeoutError',
      'DatabaseConnectionError',
      'NetworkError',
      'ValidationError',
      'HttpStatusError',
      'DEFAULT_RETRY_CONFIG',
      'systemClock',
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });

  it('keeps the test helpers out of the main entry', () => {
    expect(api).not.toHaveProperty('FakeClock');
  });
});
