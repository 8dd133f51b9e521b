/**
 * The client commands' view of a running solowatch: JSON over HTTP, with every failure turned
 * into a message that says what to do next.
 */
import { CliError } from './CliError.js';

export interface ApiClientOptions {
  readonly url: string;
  readonly token: string | null;
  /** Where the token would come from, for messages. */
  readonly tokenHint: string;
  readonly fetch: typeof fetch;
  /** @default 30000 */
  readonly timeoutMs?: number;
}

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function causeCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export class ApiClient {
  readonly url: string;
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new CliError(
        `--url ${JSON.stringify(options.url)} is not a URL; use e.g. http://127.0.0.1:8080`,
        2,
      );
    }
    this.url = parsed.origin;
    this.#options = options;
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    accept: string,
    timeoutMs: number,
  ): Promise<Response> {
    // The server records who asked for a change as `api:cli`.
    const headers: Record<string, string> = { accept, 'x-solowatch-client': 'cli' };
    if (this.#options.token !== null) headers.authorization = `Bearer ${this.#options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#options.fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const code = causeCode(error);
      if (code !== null && NETWORK_CODES.has(code)) {
        throw new CliError(
          `cannot reach solowatch at ${this.url} (${code}): is \`solowatch serve\` running?`,
          1,
          {
            cause: error,
          },
        );
      }
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new CliError(`solowatch at ${this.url} did not answer in time; is it overloaded?`, 1, {
          cause: error,
        });
      }
      const cause = (error as { cause?: { message?: unknown } }).cause?.message;
      const detail = typeof cause === 'string' ? cause : (error as Error).message;
      throw new CliError(
        `cannot reach solowatch at ${this.url} (${detail}): is \`solowatch serve\` running there?`,
        1,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) await this.#fail(response);
    return response;
  }

  async #fail(response: Response): Promise<never> {
    let body: ErrorBody = {};
    try {
      body = (await response.json()) as ErrorBody;
    } catch {
      // Not our error shape (a proxy page?); the status line says enough.
    }
    const code = body.error?.code ?? `HTTP ${response.status}`;
    const message = body.error?.message ?? response.statusText;
    const hints: Record<string, string> = {
      UNAUTHORIZED: `this needs the API token: ${this.#options.tokenHint}`,
      FORBIDDEN: `the API token was refused: ${this.#options.tokenHint}`,
      BREAKER_OPEN: 'wait for the breaker to try again, or reset it with `solowatch reset-breaker <name>`',
      MINER_UNREACHABLE: 'check the address and that the miner is powered and on the network',
      MINER_NOT_FOUND: 'list the miners with `solowatch list`',
      BREAKER_NOT_FOUND: 'list the breakers with `solowatch stats`',
    };
    const retryAfter = response.headers.get('retry-after');
    const parts = [`${message} (${code})`];
    if (retryAfter !== null) parts.push(`try again in ${retryAfter} s`);
    const hint = hints[code];
    if (hint !== undefined) parts.push(hint);
    throw new CliError(parts.join('; '), 1);
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.#send(
      method,
      path,
      body,
      'application/json',
      this.#options.timeoutMs ?? 30_000,
    );
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Sends a request and yields each line of an NDJSON answer, parsed. */
  async *lines(method: string, path: string, body: unknown, timeoutMs: number): AsyncGenerator<unknown> {
    const response = await this.#send(method, path, body, 'application/x-ndjson', timeoutMs);
    if (response.body === null) return;
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') yield JSON.parse(line);
        newline = buffered.indexOf('\n');
      }
    }
    if (buffered.trim() !== '') yield JSON.parse(buffered);
  }
}
