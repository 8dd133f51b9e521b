/**
 * A restart asked of an instance that does not poll the miner goes to the instance that does,
 * through its API: only the poller can confirm a restart (the uptime resetting at its next poll)
 * and knows it was asked for, so no other instance sees a reboot "out of the blue" or waits for a
 * confirmation it can never get. The device gets the command once, from its poller.
 */
import { MonitorError, type MonitorErrorCode } from '../errors.js';
import type { RestartStatus } from '../types.js';

export type RestartForwarder = (
  owner: { id: string; url: string },
  minerId: string,
) => Promise<RestartStatus>;

const FORWARDED_CODES: ReadonlySet<string> = new Set<MonitorErrorCode>([
  'MINER_NOT_FOUND',
  'MINER_UNREACHABLE',
  'RESTART_COOLDOWN',
  'RESTART_IN_PROGRESS',
  'BREAKER_OPEN',
  'INVALID_INPUT',
]);

/** Sends the restart to the owner's `POST /api/miners/:id/restart` with the farm's shared API token. */
export function httpRestartForwarder(options: { token: string; timeoutMs: number }): RestartForwarder {
  return async (owner, minerId) => {
    const url = `${owner.url}/api/miners/${encodeURIComponent(minerId)}/restart`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}` },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new MonitorError(
        'MINER_UNREACHABLE',
        `Instance ${owner.id}, which polls this miner, did not answer at ${owner.url} (${(error as Error).message}); nothing was sent. Try again: if that instance is gone, another takes its miners within twice the lease`,
        { cause: error, minerId },
      );
    }
    const body = (await res.json().catch(() => null)) as {
      error?: { code?: unknown; message?: unknown };
    } | null;
    if (res.status === 202 && body !== null) return body as unknown as RestartStatus;
    const code = String(body?.error?.code ?? '');
    const message = `Instance ${owner.id}, which polls this miner: ${String(body?.error?.message ?? `HTTP ${res.status}`)}`;
    const retryAfter = Number(res.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    throw new MonitorError(
      FORWARDED_CODES.has(code) ? (code as MonitorErrorCode) : 'MINER_UNREACHABLE',
      message,
      {
        minerId,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
    );
  };
}
