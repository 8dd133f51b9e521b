import type { Json } from './axeosInfo.js';

/** Numbers as strings or nulls, arrays as objects and objects as arrays, key by key. */
export function scrambleTypes(value: Json): Json {
  if (Array.isArray(value)) return value.map(scrambleTypes);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  let i = 0;
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'number') {
      out[key] = i % 3 === 0 ? String(field) : i % 3 === 1 ? null : field;
      i += 1;
    } else if (Array.isArray(field)) {
      out[key] = {};
    } else if (field !== null && typeof field === 'object') {
      out[key] = [scrambleTypes(field)];
    } else {
      out[key] = field;
    }
  }
  return out;
}

/** Cuts a JSON text where no parser can finish it. */
export function truncateJson(body: string): string {
  const cut = Math.max(1, Math.floor(body.length * 0.6));
  return `${body.slice(0, cut)}\u0000<`;
}

/** A valid JSON object (or array) text of at least `bytes` bytes, the original fields kept. */
export function inflateJson(body: string, bytes: number): string {
  const padding = 'x'.repeat(Math.max(0, bytes - body.length));
  if (body.endsWith('}')) return `${body.slice(0, -1)}${body.length > 2 ? ',' : ''}"padding":"${padding}"}`;
  if (body.endsWith(']')) return `${body.slice(0, -1)}${body.length > 2 ? ',' : ''}"${padding}"]`;
  return JSON.stringify({ body, padding });
}

/** Default size of an oversized body: half again the 1 MiB a client should accept. */
export const DEFAULT_OVERSIZED_BYTES = 1.5 * 1024 * 1024;
