/**
 * How a PostgreSQL server is named in messages and logs: `postgres://user@host:port/database`,
 * never with the password (a connection URL often carries one).
 */

export function serverName(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'postgres://(unparsable URL)';
  }
  const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`;
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  const port = parsed.port === '' ? '5432' : parsed.port;
  const database = parsed.pathname.replace(/^\//, '') || (parsed.username === '' ? '' : parsed.username);
  return `postgres://${user}${host}:${port}/${decodeURIComponent(database)}`;
}

/**
 * Checks a connection URL and says what is wrong with it, without echoing a password.
 * @returns the URL unchanged
 */
export function checkDatabaseUrl(url: unknown, source = 'storage.url'): string {
  if (typeof url !== 'string' || url === '') {
    throw new TypeError(`Expected \`${source}\` to be a PostgreSQL URL such as postgres://user@host:5432/db`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      `Expected \`${source}\` to be a PostgreSQL URL such as postgres://user@host:5432/db; it does not parse as a URL`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TypeError(
      `Expected \`${source}\` to start with postgres:// or postgresql://, got ${parsed.protocol}//`,
    );
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new TypeError(`Expected \`${source}\` to name a host, e.g. postgres://user@127.0.0.1:5432/db`);
  }
  return url;
}
