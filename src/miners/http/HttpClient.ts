/**
 * JSON over HTTP for the drivers and the app, on a shared HttpSessionManager (or one of its own).
 * The TypeScript form of the original design's HTTPClient utilities.
 */
import { ValidationError } from '../../resilience/index.js';
import { type BasicAuth, basicAuthorization } from './basicAuth.js';
import type { HttpResponse } from './HttpResponse.js';
import { HttpSessionManager, type HttpSessionOptions, type RequestOptions } from './HttpSessionManager.js';

export type { BasicAuth } from './basicAuth.js';

export interface HttpClientOptions {
  /** A shared manager; the client does not close it. Without one the client owns a new one. */
  readonly sessionManager?: HttpSessionManager;
  /** Options of the manager the client creates when none is given. */
  readonly session?: HttpSessionOptions;
  /** Sent as `Authorization: Basic ...` on every request. */
  readonly auth?: BasicAuth;
}

export interface EndpointHealth {
  readonly reachable: boolean;
  /** HTTP status when an answer came, else null. */
  readonly status: number | null;
  readonly latencyMs: number;
  /** Why it is unhealthy; null when it answered 2xx. */
  readonly error: string | null;
}

function statusOfError(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

export class HttpClient {
  readonly sessionManager: HttpSessionManager;
  readonly #owned: boolean;
  readonly #authorization: string | undefined;

  constructor(options: HttpClientOptions = {}) {
    this.sessionManager = options.sessionManager ?? new HttpSessionManager(options.session);
    this.#owned = options.sessionManager === undefined;
    const auth = options.auth;
    if (auth !== undefined) {
      if (auth.username.includes(':')) {
        throw new ValidationError('A Basic auth user name cannot contain ":"', { field: 'auth.username' });
      }
      this.#authorization = basicAuthorization(auth);
    }
  }

  #headers(extra?: Readonly<Record<string, string>>): Record<string, string> {
    return {
      ...(this.#authorization === undefined ? {} : { authorization: this.#authorization }),
      ...extra,
    };
  }

  request(method: string, url: string | URL, options: RequestOptions = {}): Promise<HttpResponse> {
    if (this.#authorization === undefined) return this.sessionManager.makeRequest(method, url, options);
    return this.sessionManager.makeRequest(method, url, {
      ...options,
      headers: this.#headers(options.headers),
    });
  }

  /** GET and parse; a body that is not JSON is a MinerResponseError naming the URL. */
  async getJson(url: string | URL, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.request('GET', url, options);
    return response.json();
  }

  /** POST a JSON body and parse the JSON answer (an empty answer reads as null). */
  async postJson(url: string | URL, body: unknown, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.request('POST', url, {
      ...options,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...options.headers },
    });
    return response.body.length === 0 ? null : response.json();
  }

  /** One GET, no retry; never throws. */
  async checkEndpointHealth(
    url: string | URL,
    options: Pick<RequestOptions, 'signal' | 'timeoutMs'> = {},
  ): Promise<EndpointHealth> {
    const started = performance.now();
    try {
      const response = await this.request('GET', url, { ...options, maxAttempts: 1 });
      return {
        reachable: true,
        status: response.status,
        latencyMs: performance.now() - started,
        error: null,
      };
    } catch (error) {
      const status = statusOfError(error);
      return {
        reachable: status !== null,
        status,
        latencyMs: performance.now() - started,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /** Closes the session manager if this client created it. */
  async close(): Promise<void> {
    if (this.#owned) await this.sessionManager.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
