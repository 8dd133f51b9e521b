/**
 * Device logins end to end, black box: the real app over HTTP against a simulated AxeOS that asks
 * for HTTP Basic. Adding without the login is refused by name; a wrong one is named as refused;
 * the right one makes the next poll online and control works with it. Across all of it the
 * password shows nowhere: not in the log, the API's replies, the live stream, the events,
 * /metrics, nor in clear in the database file.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/Config.js';
import { createLogger } from '../../src/log/logger.js';
import { DATABASE_FILE, type SolowatchHandle, startSolowatch } from '../../src/main.js';
import { RetryManager } from '../../src/resilience/index.js';
import { type SimulatedDevice, startAxeosDevice } from '../../src/simulator/index.js';
import { waitFor } from '../waitFor.js';

const TOKEN = 'creds-token-0123456789abcdef';
const HEADERS = {
  authorization: `Bearer ${TOKEN}`,
  'x-solowatch-client': 'tester',
};
const PASSWORD = 'Pa55-w0rd-never-shown';
const LOGIN = { username: 'admin', password: PASSWORD };

let handle: SolowatchHandle | undefined;
let device: SimulatedDevice | undefined;
const streams: AbortController[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.abort();
  await handle?.close();
  await device?.close();
  handle = undefined;
  device = undefined;
});

interface View {
  id: string;
  status: string;
  lastError: string | null;
  lastSample: unknown;
  hasCredentials: boolean;
}

function call(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    ...(body === undefined
      ? { headers: HEADERS }
      : { headers: { ...HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

/** Everything the live stream sends from now on, as text. */
function recordStream(url: string): () => string {
  const controller = new AbortController();
  streams.push(controller);
  let text = '';
  void (async () => {
    const response = await fetch(`${url}/api/events`, { headers: HEADERS, signal: controller.signal });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
    }
  })().catch(() => undefined);
  return () => text;
}

describe('device logins over HTTP', () => {
  it('are asked for by name, refused when wrong, used for polls and control, and never shown', async () => {
    device = await startAxeosDevice({ seed: 21, auth: LOGIN, restartDelayMs: 200 });
    const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-creds-'));
    const logLines: string[] = [];
    handle = await startSolowatch(
      { ...DEFAULT_CONFIG, port: 0, dataDir, pollIntervalMs: 1000, token: TOKEN, logLevel: 'debug' },
      {
        retryManager: new RetryManager(),
        webRoot: null,
        tuneHeap: false,
        logger: createLogger({ level: 'debug', pretty: false, write: (line) => logLines.push(line) }),
      },
    );
    const { url } = handle;
    const live = recordStream(url);
    const address = { host: device.host, port: device.port, kind: 'axeos', name: 'locked' };

    // Without the login, verification names what is missing.
    const refused = await call(url, 'POST', '/api/miners', address);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      error: { code: 'MINER_REFUSED', message: expect.stringContaining('needs credentials (HTTP 401)') },
    });

    // Bad shapes are refused at the edge, naming the field and never echoing the password.
    for (const credentials of [
      { username: '', password: PASSWORD },
      { username: 'a:b', password: PASSWORD },
      { username: 'admin', password: PASSWORD.repeat(20) },
      // A number would be coerced to its text, as in every body field (src/server/validation.ts).
      { username: 'admin', password: { text: PASSWORD } },
      { username: 'admin' },
      'admin:secret',
    ]) {
      const bad = await call(url, 'POST', '/api/miners', { ...address, credentials });
      const text = await bad.text();
      expect(bad.status, JSON.stringify(credentials)).toBe(400);
      expect(text).toContain('credentials');
      expect(text).not.toContain(PASSWORD);
    }

    // Added without verifying: polled, and offline with the reason.
    const added = await call(url, 'POST', '/api/miners', { ...address, verify: false });
    expect(added.status).toBe(201);
    const miner = (await added.json()) as View;
    expect(miner.hasCredentials).toBe(false);
    const view = async () => (await (await call(url, 'GET', `/api/miners/${miner.id}`)).json()) as View;
    await waitFor('the refusal as the last error', async () => {
      const v = await view();
      return v.lastError === 'locked needs credentials (HTTP 401)' ? v : null;
    });

    // A wrong login is named as refused.
    const wrong = await call(url, 'PATCH', `/api/miners/${miner.id}`, {
      credentials: { username: 'admin', password: 'not-it' },
    });
    expect(wrong.status).toBe(200);
    expect(((await wrong.json()) as View).hasCredentials).toBe(true);
    await waitFor('the wrong login named', async () => {
      const v = await view();
      return v.lastError === 'locked refused its credentials (HTTP 401)' ? v : null;
    });

    // The right one: the next poll is answered.
    const right = await call(url, 'PATCH', `/api/miners/${miner.id}`, { credentials: LOGIN });
    expect(right.status).toBe(200);
    const online = await waitFor('a sample with the login', async () => {
      const v = await view();
      return v.lastSample !== null && v.lastError === null ? v : null;
    });
    expect(online.hasCredentials).toBe(true);

    // Control goes through with it: settings read, restart accepted.
    const settings = await call(url, 'GET', `/api/miners/${miner.id}/settings`);
    expect(settings.status).toBe(200);
    const restart = await call(url, 'POST', `/api/miners/${miner.id}/restart`);
    expect(restart.status, await restart.clone().text()).toBe(202);

    // Events say who changed the login, never what it is.
    const events = await (await call(url, 'GET', `/api/miners/${miner.id}/events`)).text();
    expect(events).toContain('credentials_changed');
    expect(events).toContain('api:tester');

    // Cleared: shown as no login.
    const cleared = await call(url, 'PATCH', `/api/miners/${miner.id}`, { credentials: null });
    expect(((await cleared.json()) as View).hasCredentials).toBe(false);

    const seen = [
      logLines.join(''),
      live(),
      events,
      await (await call(url, 'GET', '/api/miners')).text(),
      await (await call(url, 'GET', `/api/miners/${miner.id}`)).text(),
      await (await call(url, 'GET', '/metrics')).text(),
    ];
    expect(logLines.length).toBeGreaterThan(0);
    // The stream carried the miner's changes (events themselves are read on demand, not streamed).
    expect(live()).toContain('event: changes');
    for (const text of seen) expect(text).not.toContain(PASSWORD);

    // At rest: the login the miner had before it was cleared was never in the file in clear.
    await call(url, 'PATCH', `/api/miners/${miner.id}`, { credentials: LOGIN });
    await handle.close();
    const db = new BetterSqlite3(join(dataDir, DATABASE_FILE), { readonly: true });
    const stored = db.prepare('SELECT credentials FROM miners').pluck().get() as string;
    db.close();
    expect(stored).toMatch(/^gcm1:/);
    expect(readFileSync(join(dataDir, DATABASE_FILE)).includes(PASSWORD)).toBe(false);
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()).toHaveLength(44);
  }, 60_000);
});
