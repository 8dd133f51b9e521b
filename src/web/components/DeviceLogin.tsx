/**
 * A miner's device login (HTTP Basic for AxeOS/NerdQAxe), on its page: whether one is set, and
 * a form to set or clear it. Write-only: the server never shows the login back, so the fields
 * start empty and are emptied again once the server took them; the page keeps no copy.
 */
import { useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { store } from '../store.js';
import type { ListedMiner } from '../types.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/**
 * The kinds that speak HTTP and may ask for a login. cgminer-family devices grant privileged
 * access by address (`--api-allow`), so a login would mean nothing to them.
 */
const KINDS_WITH_LOGIN: ReadonlySet<ListedMiner['kind']> = new Set(['axeos', 'nerdqaxe']);

export function DeviceLogin({ miner }: { miner: ListedMiner }) {
  return KINDS_WITH_LOGIN.has(miner.kind) ? <LoginForm miner={miner} /> : null;
}

function LoginForm({ miner }: { miner: ListedMiner }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [clearing, setClearing] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      store.upsertMiner(await api.updateMiner(miner.id, { credentials: { username, password } }));
      setUsername('');
      setPassword('');
    } catch (e) {
      setError(isApiFailure(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel device-login" data-login={miner.hasCredentials ? 'set' : 'none'}>
      <h2>Device login</h2>
      <p class="muted" data-testid="login-state">
        {miner.hasCredentials ? 'login set' : 'no login'}
      </p>
      <form class="login-form" onSubmit={save} noValidate>
        <input
          name="login-username"
          aria-label="Device username"
          placeholder="username"
          autocomplete="off"
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <input
          name="login-password"
          aria-label="Device password"
          type="password"
          placeholder="password"
          autocomplete="new-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button
          type="submit"
          disabled={busy || (username === '' && password === '')}
          data-action="save-login"
        >
          {busy ? 'Saving…' : 'Save'}
        </button>
        {miner.hasCredentials ? (
          <button type="button" class="danger" onClick={() => setClearing(true)} data-action="clear-login">
            Clear…
          </button>
        ) : null}
        {error === null ? null : (
          <span class="error field-error" role="alert" data-field-error="credentials">
            {error}
          </span>
        )}
      </form>
      <ConfirmDialog
        open={clearing}
        title={`Remove the login for ${miner.name}?`}
        confirmLabel="Clear"
        busyLabel="Clearing…"
        action="confirm-clear-login"
        onClose={() => setClearing(false)}
        onConfirm={async () => {
          store.upsertMiner(await api.updateMiner(miner.id, { credentials: null }));
        }}
      >
        <p>solowatch will poll the device without a login; if it asks for one, it shows as offline.</p>
      </ConfirmDialog>
    </section>
  );
}
