/**
 * An Avalon's work mode on the dashboard, in a real browser against the real app watching a
 * simulated Avalon Q over real TCP: the menu by name, a change written with `ascset`, read back
 * and shown; the fan's fixed duty bounded by the device's 15-100 %.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/Config.js';
import { startSolowatch } from '../../src/main.js';
import { RetryManager } from '../../src/resilience/index.js';
import { startCgminerDevice } from '../../src/simulator/index.js';
import { dashboardSuite } from './dashboardSuite.js';
import type { Target } from './target.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const TOKEN = 'e2e-avalon-token-0123456789abcdef';
let minerId = '';
const device = { current: null as Awaited<ReturnType<typeof startCgminerDevice>> | null };

/** The app with one miner: a simulated Avalon Q, added over the API as a user would. */
async function startAvalonTarget(): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'solowatch-e2e-avalon-'));
  const avalon = await startCgminerDevice({ variant: 'avalon-q', seed: 11 });
  device.current = avalon;
  const handle = await startSolowatch(
    { ...DEFAULT_CONFIG, port: 0, dataDir, token: TOKEN, logLevel: 'silent', pollIntervalMs: 1000 },
    { retryManager: new RetryManager(), webRoot: WEB_ROOT },
  );
  const added = await fetch(`${handle.url}/api/miners`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ host: '127.0.0.1', port: avalon.port, kind: 'cgminer', name: 'avalon-q' }),
  });
  if (added.status !== 201) throw new Error(`adding the Avalon: ${added.status} ${await added.text()}`);
  minerId = ((await added.json()) as { id: string }).id;
  return {
    url: `${handle.url}/`,
    hostileText: '',
    hostileMinerId: async () => minerId,
    anyMinerId: async () => minerId,
    openBreaker: async () => {
      throw new Error('not used here');
    },
    async close() {
      await handle.close();
      await avalon.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const e2e = dashboardSuite(startAvalonTarget);

describe('Avalon device settings on the dashboard', () => {
  it('offers its work modes by name, switches one and shows the read-back', async () => {
    const { context, page, errors } = await e2e.open({ hash: `#/miners/${minerId}`, live: true });
    try {
      await page.locator('details.device-settings > summary').click();
      await page.locator('.device-settings-form').waitFor({ timeout: 20_000 });
      const menu = page.locator('select[name="workMode"]');
      expect(await menu.locator('option').allTextContents()).toEqual(['Eco', 'Standard', 'Super']);
      expect(await menu.inputValue()).toBe('0');
      // The fan's fixed duty is bounded by what the Avalon takes.
      await page.locator('select[name="fanMode"]').selectOption('manual');
      const duty = page.locator('input[name="fanPercent"]');
      expect(await duty.getAttribute('min')).toBe('15');
      expect(await duty.getAttribute('max')).toBe('100');
      await page.locator('select[name="fanMode"]').selectOption('auto');

      await menu.selectOption('2');
      await page.locator('[data-action="apply-settings"]').click();
      const result = page.locator('[data-testid="apply-result"]');
      await result.waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid="applied"]').textContent()).toBe('workMode');
      expect(await page.locator('[data-testid="read-back-work-mode"]').textContent()).toBe('2');
      expect(await page.locator('[data-testid="restart-required"]').count()).toBe(0);
      expect(device.current?.model.commandsSeen.map((c) => c.detail)).toEqual(['0,workmode,set,2']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
