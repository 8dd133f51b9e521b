/**
 * What every browser test file sets up, written once: one app under test and one chromium for
 * the whole file, and a fresh browser context per test opened at a dashboard route.
 *
 * ```ts
 * const e2e = dashboardSuite(() => startRealTarget({ schedules: [night] }));
 *
 * it('does something', async () => {
 *   const { context, page, errors } = await e2e.open({ hash: `#/miners/${id}`, live: true });
 *   try {
 *     // ... drive the page; `e2e.target.url` is the app, `e2e.browser` the chromium
 *     expect(errors).toEqual([]);
 *   } finally {
 *     await context.close();
 *   }
 * });
 * ```
 *
 * Call it at the top level of the test file: it registers the file's beforeAll and afterAll.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import type { Target } from './target.js';

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 375, height: 812 } as const;

/** One opened page and what it said while the test ran. */
export interface PageSession {
  /** Close it in the test's `finally`; closing the context closes the page. */
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors (less `ignoreConsole`): a working page has none. */
  readonly errors: string[];
  /** Messages of alert/confirm/prompt dialogs, each dismissed: a safe page opens none. */
  readonly dialogs: string[];
}

export interface OpenOptions {
  /** Appended to the dashboard's URL, e.g. `#/miners/abc`; the fleet page when left out. */
  readonly hash?: string;
  /** DESKTOP when left out. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Wait until the live stream is connected before returning. */
  readonly live?: boolean;
  /** Console errors that are the behaviour under test (the browser logs a refused request). */
  readonly ignoreConsole?: RegExp;
  /** The browser's time zone (IANA); the machine's when left out. */
  readonly timezoneId?: string;
}

export interface DashboardSuite {
  /** The app under test; set once the file's beforeAll has run. */
  readonly target: Target;
  readonly browser: Browser;
  open(options?: OpenOptions): Promise<PageSession>;
}

/** How long the dashboard may take to connect its live stream on a loaded 2-core machine. */
const LIVE_TIMEOUT_MS = 15_000;

export async function waitLive(page: Page): Promise<void> {
  await page.locator('[data-connection="live"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
}

export function dashboardSuite(startTarget: () => Promise<Target>): DashboardSuite {
  let target: Target | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [target, browser] = await Promise.all([startTarget(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await target?.close();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('dashboardSuite: used before its beforeAll ran');
    return value;
  };

  return {
    get target() {
      return started(target);
    },
    get browser() {
      return started(browser);
    },
    async open({ hash = '', viewport = DESKTOP, live = false, ignoreConsole, timezoneId }: OpenOptions = {}) {
      const context = await started(browser).newContext({
        viewport,
        colorScheme: 'dark',
        ...(timezoneId === undefined ? {} : { timezoneId }),
      });
      const page = await context.newPage();
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !ignoreConsole?.test(m.text())) errors.push(`console: ${m.text()}`);
      });
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${started(target).url}${hash}`);
      if (live) await waitLive(page);
      return { context, page, errors, dialogs };
    },
  };
}
