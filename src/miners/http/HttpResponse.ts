import { MinerResponseError } from '../errors.js';

export type HeaderValue = string | string[] | undefined;

/** A complete, size-checked answer with a 2xx status. */
export class HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly body: Buffer;
  readonly method: string;
  readonly url: string;

  constructor(
    method: string,
    url: string,
    status: number,
    headers: Record<string, HeaderValue>,
    body: Buffer,
  ) {
    this.method = method;
    this.url = url;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  text(): string {
    return this.body.toString('utf8');
  }

  /** The body as JSON; a body that is not JSON is a non-retryable MinerResponseError naming the URL. */
  json(): unknown {
    const text = this.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      const head = text.slice(0, 60).replace(/\s+/g, ' ');
      throw new MinerResponseError(
        `${this.method} ${this.url}: the answer is not JSON (starts ${JSON.stringify(head)})`,
        {
          cause: error,
          target: this.url,
          status: 'bad_json',
        },
      );
    }
  }
}
