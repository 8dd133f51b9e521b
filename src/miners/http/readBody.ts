/** Reads a response body up to a size cap; past it, reading stops and the stream is destroyed. */
import type { Readable } from 'node:stream';
import { ResponseTooLargeError } from '../errors.js';

export async function readCapped(body: Readable, limitBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > limitBytes) {
      body.on('error', () => {});
      body.destroy();
      throw tooLarge(what, limitBytes);
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, total);
}

export function tooLarge(what: string, limitBytes: number, cause?: unknown): ResponseTooLargeError {
  return new ResponseTooLargeError(`${what}: the answer is larger than ${limitBytes} bytes`, {
    target: what,
    limitBytes,
    ...(cause === undefined ? {} : { cause }),
  });
}
