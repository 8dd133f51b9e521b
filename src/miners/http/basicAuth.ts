/** HTTP Basic, written once for the shared client, the drivers' polls and control calls. */

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

/** The `Authorization` header's value. The caller has checked that the username holds no ':'. */
export function basicAuthorization(auth: BasicAuth): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}
