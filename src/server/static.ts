/**
 * The built dashboard (dist/web) at `/`. Files are read from one root and never from outside it;
 * when the dashboard has not been built, `/` says how to build it.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from './errors.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The dashboard talks only to its own origin; device strings can never run as script. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>solowatch</title></head>
<body><h1>solowatch is running</h1>
<p>The dashboard has not been built. Run <code>npm run build</code> and restart solowatch.</p>
<p>The API answers meanwhile: <a href="/api/health">/api/health</a>, <a href="/metrics">/metrics</a>.</p>
</body></html>
`;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function sendFile(reply: FastifyReply, path: string, immutable: boolean): Promise<FastifyReply> {
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const body = await readFile(path);
  reply.header('content-type', type).header('x-content-type-options', 'nosniff');
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (type.startsWith('text/html')) reply.header('content-security-policy', CSP);
  return reply.send(body);
}

export function staticRoutes(app: FastifyInstance, webRoot: string | null): void {
  const root = webRoot === null ? null : resolve(webRoot);

  app.get('/', async (_request, reply) => {
    const index = root === null ? null : join(root, 'index.html');
    if (index === null || !(await isFile(index))) {
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CSP)
        .header('cache-control', 'no-cache')
        .send(NOT_BUILT_HTML);
    }
    return sendFile(reply, index, false);
  });

  app.get<{ Params: { '*': string } }>('/*', async (request, reply) => {
    const rest = request.params['*'];
    const notFound = new ApiError('NOT_FOUND', `no route GET /${rest}`);
    if (root === null || rest.startsWith('api/') || rest.includes('\0')) throw notFound;
    const path = resolve(root, rest);
    if (path !== root && !path.startsWith(root + sep)) throw notFound;
    if (await isFile(path)) return sendFile(reply, path, rest.startsWith('assets/'));
    // Client-side routes (`/miners/abc`) load the app; anything that looks like a file is a 404.
    const index = join(root, 'index.html');
    if (
      extname(rest) === '' &&
      (request.headers.accept ?? '').includes('text/html') &&
      (await isFile(index))
    ) {
      return sendFile(reply, index, false);
    }
    throw notFound;
  });
}
