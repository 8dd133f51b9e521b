// HEALTHCHECK of the image: GET /api/health with the API token (listening beyond loopback, every
// API request needs it): SOLOWATCH_TOKEN, else the token generated into the data directory.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const port = process.env.SOLOWATCH_PORT || '8080';
let token = process.env.SOLOWATCH_TOKEN;
if (!token) {
  try {
    token = readFileSync(join(process.env.SOLOWATCH_DATA_DIR || '/data', 'token'), 'utf8').trim();
  } catch {
    token = '';
  }
}
fetch(`http://127.0.0.1:${port}/api/health`, {
  headers: { authorization: `Bearer ${token}` },
  signal: AbortSignal.timeout(4000),
}).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
