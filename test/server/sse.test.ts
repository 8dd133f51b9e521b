import { afterEach, describe, expect, it } from 'vitest';
import { sample } from './fakes.js';
import { type Harness, harness, TOKEN } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

/** Reads the stream until `predicate` holds for the text so far. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('GET /api/events', () => {
  it('streams a hello, then monitor events coalesced into compact batches, and unsubscribes on disconnect', async () => {
    h = await harness({ heartbeatMs: 20, liveFlushMs: 50 });
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    // The /metrics collector listens too; the stream adds one listener of its own.
    const base = h.monitor.listenerCount;
    const abort = new AbortController();
    const res = await fetch(`${address}/api/events`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();

    const hello = await readUntil(reader, (t) => t.includes('event: hello'));
    expect(hello).toMatch(/^retry: \d+\n/);
    await waitFor(() => h!.monitor.listenerCount === base + 1);

    const hostile = '<img src=x onerror=alert(1)>';
    h.monitor.emit({ type: 'sample', minerId: 'm1', sample: sample({ hostname: hostile, hashrateGhs: 1 }) });
    h.monitor.emit({ type: 'sample', minerId: 'm1', sample: sample({ hostname: hostile, hashrateGhs: 2 }) });
    h.monitor.emit({ type: 'breaker', name: 'miner_operations:m1', from: 'closed', to: 'open', at: 5 });
    h.monitor.emit({ type: 'miner', action: 'updated', minerId: 'm1' });
    const text = await readUntil(reader, (t) => t.includes('event: changes') && t.includes(': heartbeat'));
    const batches = [...text.matchAll(/event: changes\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!));
    // Four events in one burst make one message; the two samples of m1 make one row.
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({
      ids: { 0: 'm1' },
      m: { 0: { h: 2, k: 'open' } },
      e: [{ type: 'miner', action: 'updated', minerId: 'm1' }],
    });
    // No raw device replies and no device strings travel on the stream.
    expect(text).not.toContain('someVendorField');
    expect(text).not.toContain(hostile);

    abort.abort();
    await waitFor(() => h!.monitor.listenerCount === base);
  });

  it('sends at most one batch per flush interval however fast events come', async () => {
    h = await harness({ liveFlushMs: 200 });
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/api/events`);
    const reader = res.body!.getReader();
    await readUntil(reader, (t) => t.includes('event: hello'));
    const started = performance.now();
    for (let i = 0; i < 5; i += 1) {
      h.monitor.emit({ type: 'sample', minerId: 'm1', sample: sample({ hashrateGhs: i }) });
      await new Promise((r) => setTimeout(r, 60));
    }
    const text = await readUntil(reader, (t) => t.includes('"h":4'));
    const elapsed = performance.now() - started;
    // However the machine scheduled us: never more batches than intervals begun.
    const batches = (text.match(/event: changes/g) ?? []).length;
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThanOrEqual(Math.floor(elapsed / 200) + 1);
  });

  it('ends open streams when the server closes, so close() does not hang', async () => {
    h = await harness();
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/api/events`);
    const reader = res.body!.getReader();
    await readUntil(reader, (t) => t.includes('event: hello'));
    await h.app.close();
    const rest = await readUntil(reader, () => false);
    expect(rest).toBe('');
    expect(h.monitor.listenerCount).toBe(0);
    h = undefined;
  });

  it('refuses a stream past the limit with 503 TOO_MANY_STREAMS', async () => {
    h = await harness({ maxStreams: 1 });
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const first = await fetch(`${address}/api/events`);
    await readUntil(first.body!.getReader(), (t) => t.includes('\n\n'));
    const second = await fetch(`${address}/api/events`);
    expect(second.status).toBe(503);
    expect((await second.json()).error.code).toBe('TOO_MANY_STREAMS');
  });

  it('accepts the token as ?token= when listening beyond loopback', async () => {
    h = await harness({ listenHost: '0.0.0.0' });
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${address}/api/events`)).status).toBe(401);
    const res = await fetch(`${address}/api/events?token=${TOKEN}`);
    expect(res.status).toBe(200);
    await readUntil(res.body!.getReader(), (t) => t.includes('\n\n'));
  });
});
