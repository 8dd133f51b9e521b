/**
 * The key miners' device logins are sealed with: from SOLOWATCH_SECRET_KEY, or generated once
 * into `<dataDir>/secret.key` (mode 0600), as the API token is (token.ts). Outside the database on
 * purpose: a PostgreSQL database is often readable by Grafana users, and backups leak.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './ConfigError.js';

export const SECRET_KEY_FILE = 'secret.key';
const KEY_BYTES = 32;

export interface ResolvedSecretKey {
  readonly key: Buffer;
  /** Where it lives, or null when it came from the environment. */
  readonly path: string | null;
  /** True when this call created the file. */
  readonly generated: boolean;
}

/** 64 hex digits or base64 (either alphabet) of exactly 32 bytes; null for anything else. */
export function parseSecretKey(text: string): Buffer | null {
  const trimmed = text.trim();
  const key = /^[0-9A-Fa-f]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : null;
  return key?.length === KEY_BYTES ? key : null;
}

async function readKeyFile(path: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = parseSecretKey(text);
  // A damaged key file must not be replaced: the logins sealed with it would be lost.
  if (key === null)
    throw new ConfigError(path, 'secret key', 'must hold 32 bytes as 64 hex digits or base64');
  return key;
}

export async function resolveSecretKey(dataDir: string, fromEnv: string | null): Promise<ResolvedSecretKey> {
  if (fromEnv !== null) {
    const key = parseSecretKey(fromEnv);
    if (key === null)
      throw new ConfigError(
        'environment',
        'SOLOWATCH_SECRET_KEY',
        'must be 32 bytes as 64 hex digits or base64',
      );
    return { key, path: null, generated: false };
  }
  const path = join(dataDir, SECRET_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing !== null) {
    // Someone may have copied the file with looser permissions; the key opens the device logins.
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
    return { key: existing, path, generated: false };
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process won the race: use its key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readKeyFile(path);
    if (raced !== null) return { key: raced, path, generated: false };
    throw error;
  }
  return { key, path, generated: true };
}
