/**
 * A miner's device login on the dashboard, in a real browser against the real app watching a
 * simulated AxeOS that asks for HTTP Basic: the page names what is missing, a wrong login is named
 * as refused, the right one brings the miner online, the password shows nowhere on the page once
 * saved, and clearing (after a confirmation) leaves "no login". A cgminer miner has no such form:
 * its privileged access is by address.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/Config.js';
import { startSolowatch } from '../../src/main.js';
import type { MinerView } from '../../src/monitor/types.js';
import { RetryManager } from '../../src/resilience/index.js';
import { startAxeosDevice, startCgminerDevice } from '../../src/simulator/index.js';
import { waitFor } from '../waitFor.js';
import { dashboardSuite } from './dashboardSuite.js';
import type { Target } from './target.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const TOKEN = 'e2e-creds-token-0123456789abcdef';
const USERNAME = 'admin';
const PASSWORD = 'Pa55-w0rd-never-on-the-page';
const WRONG_PASSWORD = 'not-the-password-either';
const ids = { locked: '', cgminer: '' };

/**
 * The app with a locked AxeOS added without its login, as a user who does not know it yet would,
 * and a cgminer. Polls every 5 s: a refused poll counts on the miner's breaker (open after 5), and
 * the test must finish before that; saving a login polls at once, so nothing waits on the interval.
 */
async function startLockedTarget(): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'solowatch-e2e-creds-'));
  const locked = await startAxeosDevice({ seed: 23, auth: { username: USERNAME, password: PASSWORD } });
  const cgminer = await startCgminerDevice({ seed: 24 });
  const handle = await startSolowatch(
    { ...DEFAULT_CONFIG, port: 0, dataDir, token: TOKEN, logLevel: 'silent', pollIntervalMs: 5000 },
    { retryManager: new RetryManager(), webRoot: WEB_ROOT },
  );
  const add = async (body: object): Promise<string> => {
    const added = await fetch(`${handle.url}/api/miners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ host: '127.0.0.1', verify: false, ...body }),
    });
    if (added.status !== 201)
      throw new Error(`adding ${JSON.stringify(body)}: ${added.status} ${await added.text()}`);
    return ((await added.json()) as { id: string }).id;
  };
  ids.locked = await add({ port: locked.port, kind: 'axeos', name: 'locked' });
  ids.cgminer = await add({ port: cgminer.port, kind: 'cgminer', name: 'antminer' });
  return {
    url: `${handle.url}/`,
    hostileText: '',
    hostileMinerId: async () => ids.locked,
    anyMinerId: async () => ids.locked,
    openBreaker: async () => {
      throw new Error('not used here');
    },
    async close() {
      await handle.close();
      await locked.close();
      await cgminer.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const e2e = dashboardSuite(startLockedTarget);

async function miner(id: string): Promise<MinerView> {
  const response = await fetch(new URL(`api/miners/${id}`, e2e.target.url));
  if (!response.ok) throw new Error(`GET miner ${id}: ${response.status}`);
  return (await response.json()) as MinerView;
}

const lastError = (page: Page) =>
  page
    .locator('.last-error')
    .textContent({ timeout: 1000 })
    .catch(() => null);

async function saveLogin(page: Page, username: string, password: string): Promise<void> {
  await page.locator('[name="login-username"]').fill(username);
  await page.locator('[name="login-password"]').fill(password);
  await page.locator('[data-action="save-login"]').click();
}

describe('device login on the dashboard', () => {
  it('names the missing login, a wrong one, takes the right one unseen, and clears it', async () => {
    await waitFor('the locked miner to name the missing login', async () =>
      (await miner(ids.locked)).lastError === 'locked needs credentials (HTTP 401)' ? true : null,
    );
    // The browser logs the 400 the test provokes; the page shows it, which is the point.
    const { context, page, errors, dialogs } = await e2e.open({
      hash: `#/miners/${ids.locked}`,
      live: true,
      ignoreConsole: /status of 400/,
    });
    try {
      const section = page.locator('section.device-login');
      await expect.poll(() => lastError(page)).toBe('Last error: locked needs credentials (HTTP 401)');
      expect(await section.getAttribute('data-login')).toBe('none');
      expect(await page.locator('[data-testid="login-state"]').textContent()).toBe('no login');
      expect(await page.locator('[name="login-password"]').getAttribute('type')).toBe('password');
      expect(await page.locator('[data-action="clear-login"]').count()).toBe(0);

      // The server's refusal, beside the form, and nothing saved.
      await saveLogin(page, 'ad:min', PASSWORD);
      const refusal = page.locator('[data-field-error="credentials"]');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('credentials');
      expect(await refusal.textContent()).not.toContain(PASSWORD);
      expect((await miner(ids.locked)).hasCredentials).toBe(false);

      await saveLogin(page, USERNAME, WRONG_PASSWORD);
      await expect
        .poll(() => lastError(page), { timeout: 20_000 })
        .toBe('Last error: locked refused its credentials (HTTP 401)');
      expect(await section.getAttribute('data-login')).toBe('set');
      expect(await refusal.count()).toBe(0);

      await saveLogin(page, USERNAME, PASSWORD);
      await expect
        .poll(() => page.locator('.miner-head [data-status]').getAttribute('data-status'), {
          timeout: 20_000,
        })
        .toBe('online');
      await expect.poll(() => page.locator('.last-error').count(), { timeout: 20_000 }).toBe(0);
      expect((await miner(ids.locked)).lastError).toBeNull();
      expect(await page.locator('[data-testid="login-state"]').textContent()).toBe('login set');
      // Write-only: the fields are emptied, and neither password is anywhere in the page.
      expect(await page.locator('[name="login-password"]').inputValue()).toBe('');
      expect(await page.locator('[name="login-username"]').inputValue()).toBe('');
      const html = await page.content();
      expect(html).not.toContain(PASSWORD);
      expect(html).not.toContain(WRONG_PASSWORD);

      // Clearing asks first; cancelling keeps the login.
      await page.locator('[data-action="clear-login"]').click();
      const dialog = page.locator('dialog[open]');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect((await miner(ids.locked)).hasCredentials).toBe(true);
      await page.locator('[data-action="clear-login"]').click();
      await page.locator('[data-action="confirm-clear-login"]').click();
      await expect.poll(() => page.locator('[data-testid="login-state"]').textContent()).toBe('no login');
      expect(await section.getAttribute('data-login')).toBe('none');
      expect((await miner(ids.locked)).hasCredentials).toBe(false);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('offers no login form for a cgminer miner', async () => {
    const { context, page, errors } = await e2e.open({ hash: `#/miners/${ids.cgminer}`, live: true });
    try {
      await page.locator('.miner-page .facts').waitFor();
      await page.locator('details.device-settings').waitFor();
      expect(await page.locator('section.device-login').count()).toBe(0);
      expect(await page.getByText('Device login').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
