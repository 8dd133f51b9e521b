/**
 * A server reachable from the network wants its token for every request. The dashboard, opened
 * from another machine, asks for it once, keeps it, and then works, live stream included.
 */
import { describe, expect, it } from 'vitest';
import { dashboardSuite } from './dashboardSuite.js';
import { FAKE_TOKEN, startFakeTarget } from './fakeTarget.js';

const e2e = dashboardSuite(() => startFakeTarget({ exposed: true }));

describe('dashboard on an exposed server', () => {
  it('asks for the token, refuses a wrong one, and goes live with the right one', async () => {
    // The forwarding header makes the server treat the browser as remote (as behind a proxy),
    // so /api/session does not hand out the token.
    const context = await e2e.browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.7' } });
    const page = await context.newPage();
    try {
      await page.goto(e2e.target.url);
      const prompt = page.locator('.token-prompt');
      await prompt.waitFor({ timeout: 15_000 });
      expect(await page.locator('table.miners tbody tr').count()).toBe(0);

      await prompt.locator('input[name="token"]').fill('wrong-token-wrong-token');
      const refused = page.waitForResponse((r) => r.url().includes('/api/') && r.status() === 403);
      await prompt.getByRole('button', { name: 'Use token' }).click();
      await refused;
      expect(await prompt.isVisible()).toBe(true);

      await prompt.locator('input[name="token"]').fill(FAKE_TOKEN);
      await prompt.getByRole('button', { name: 'Use token' }).click();
      await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.locator('table.miners tbody tr').count()).toBeGreaterThanOrEqual(3);
      expect(await prompt.count()).toBe(0);

      // Kept in this browser: a reload goes straight to the data.
      await page.reload();
      await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('.token-prompt').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
