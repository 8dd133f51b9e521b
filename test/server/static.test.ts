import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness.js';

let root: string;
let h: Harness | undefined;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'solowatch-web-'));
  root = join(dir, 'web');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>dash</title>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

describe('the dashboard at /', () => {
  it('serves index.html with a content security policy', async () => {
    h = await harness({ webRoot: root });
    const res = await h.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>dash</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with long caching and the right type', async () => {
    h = await harness({ webRoot: root });
    const res = await h.app.inject({ url: '/assets/app-1234.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('loads the app for client-side routes, but 404s missing files', async () => {
    h = await harness({ webRoot: root });
    const page = await h.app.inject({ url: '/miners/m1', headers: { accept: 'text/html' } });
    expect(page.body).toContain('<title>dash</title>');
    const missing = await h.app.inject({ url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  it('never serves a file outside the root', async () => {
    h = await harness({ webRoot: root });
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('outside the root');
    }
  });

  it('says to run `npm run build` when the dashboard is not built', async () => {
    for (const webRoot of [null, join(root, 'missing')]) {
      h = await harness({ webRoot });
      const res = await h.app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('npm run build');
      await h.app.close();
      h = undefined;
    }
  });
});
