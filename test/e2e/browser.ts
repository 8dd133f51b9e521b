/** Debian's chromium driven by playwright-core: no browser download, same flags in CI and here. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.SOLOWATCH_CHROMIUM ?? '/usr/bin/chromium';

const BUILT_INDEX = fileURLToPath(new URL('../../dist/web/index.html', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(BUILT_INDEX)) {
    throw new Error(
      'the dashboard is not built: run `npm run test:e2e` (it builds first) or `npm run build:web`',
    );
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set SOLOWATCH_CHROMIUM)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
