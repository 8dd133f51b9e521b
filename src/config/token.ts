/** The API token: from SOLOWATCH_TOKEN, or generated once into `<dataDir>/token` (mode 0600). */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TOKEN_FILE = 'token';

export interface ResolvedToken {
  readonly token: string;
  /** Where it lives, or null when it came from the environment. */
  readonly path: string | null;
  /** True when this call created it; the caller prints it this once. */
  readonly generated: boolean;
}

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Reads the token file; null when there is none. */
export async function readTokenFile(dataDir: string): Promise<string | null> {
  try {
    const text = (await readFile(join(dataDir, TOKEN_FILE), 'utf8')).trim();
    return text === '' ? null : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function resolveToken(dataDir: string, fromEnv: string | null): Promise<ResolvedToken> {
  if (fromEnv !== null) return { token: fromEnv, path: null, generated: false };
  const path = join(dataDir, TOKEN_FILE);
  const existing = await readTokenFile(dataDir);
  if (existing !== null) {
    // Someone may have copied the file with looser permissions; the token guards the miners.
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
    return { token: existing, path, generated: false };
  }
  await mkdir(dataDir, { recursive: true });
  const token = generateToken();
  try {
    await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process won the race: use its token.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readTokenFile(dataDir);
    if (raced !== null) return { token: raced, path, generated: false };
    throw error;
  }
  return { token, path, generated: true };
}
