/**
 * How a miner's tags and credentials are kept in a column, written once for both stores: the
 * migrate-storage copy moves the column text as it is, so SQLite and PostgreSQL must agree on it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValidationError } from '../resilience/index.js';
import type { MinerCredentials, SealedCredentials } from './Storage.js';

/** Tags as the column holds them: a JSON list (SQLite text, PostgreSQL jsonb). */
export function tagsColumn(tags: readonly string[]): string {
  return JSON.stringify(tags);
}

/** The column's tags; a PostgreSQL driver hands jsonb back already parsed. */
export function tagsOf(value: unknown): readonly string[] {
  const tags = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Credentials as the column holds them: `gcm1:<iv>.<tag>.<ciphertext>` (base64), AES-256-GCM of
 * their JSON with the miner's id as associated data, so a sealed login moved onto another miner's
 * row does not open. Sealed because a PostgreSQL database is often readable by Grafana users and
 * backups leak; the key lives outside the database (SOLOWATCH_SECRET_KEY or `<dataDir>/secret.key`).
 * A column written in clear JSON by the build before reads as before and is sealed when the miner
 * is next saved (RecordStore/PgRecordStore reseal such rows when they open).
 */
const SEALED_PREFIX = 'gcm1:';
const IV_BYTES = 12;

/** The key both stores seal credentials with; the composition root builds it (src/config/secretKey.ts). */
export class CredentialSeal {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError(`A credentials key is 32 bytes, got ${key.length}`);
    this.#key = Buffer.from(key);
  }

  seal(minerId: string, plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(minerId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${body.toString('base64')}`;
  }

  /** The plain text, or null when this key did not seal it (or the text was changed). */
  open(minerId: string, sealed: string): string | null {
    const [iv, tag, body] = sealed.slice(SEALED_PREFIX.length).split('.');
    if (iv === undefined || tag === undefined || body === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(minerId));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

/** Whether the column still holds credentials in clear (written by the build before sealing). */
export function isClearCredentials(value: string | null): boolean {
  return value !== null && !value.startsWith(SEALED_PREFIX);
}

/**
 * The column's text. Credentials this instance could not open go back as they were read; a
 * readable login is always sealed, and a store without a key refuses to keep one rather than
 * write it in clear.
 */
export function credentialsColumn(
  minerId: string,
  credentials: MinerCredentials | SealedCredentials | null,
  seal: CredentialSeal | null,
): string | null {
  if (credentials === null) return null;
  if ('sealed' in credentials) return credentials.sealed;
  if (seal === null) {
    throw new ValidationError('credentials cannot be stored: this storage was opened without a secret key', {
      field: 'credentials',
    });
  }
  return seal.seal(
    minerId,
    JSON.stringify({ username: credentials.username, password: credentials.password }),
  );
}

export function credentialsOf(
  minerId: string,
  value: string | null,
  seal: CredentialSeal | null,
): MinerCredentials | SealedCredentials | null {
  if (value === null) return null;
  const plain = isClearCredentials(value) ? value : (seal?.open(minerId, value) ?? null);
  if (plain === null) return { sealed: value };
  const parsed = JSON.parse(plain) as { username?: unknown; password?: unknown };
  return typeof parsed.username === 'string' && typeof parsed.password === 'string'
    ? { username: parsed.username, password: parsed.password }
    : null;
}
