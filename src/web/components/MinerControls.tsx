/** Rename, pause or stop watching a miner. Removing keeps its history unless asked otherwise. */
import { useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { store } from '../store.js';
import type { ListedMiner } from '../types.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export function MinerControls({ miner }: { miner: ListedMiner }) {
  const [name, setName] = useState(miner.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [dropHistory, setDropHistory] = useState(false);

  const patch = async (change: { name?: string; enabled?: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      store.upsertMiner(await api.updateMiner(miner.id, change));
    } catch (e) {
      setError(isApiFailure(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="panel controls">
      <summary>Settings</summary>
      <form
        class="rename"
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          if (trimmed !== '' && trimmed !== miner.name) void patch({ name: trimmed });
        }}
      >
        <label>
          Name
          <input name="name" value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy || name.trim() === '' || name.trim() === miner.name}>
          Rename
        </button>
      </form>
      <div class="control-row">
        <button type="button" disabled={busy} onClick={() => void patch({ enabled: !miner.enabled })}>
          {miner.enabled ? 'Pause polling' : 'Resume polling'}
        </button>
        <button type="button" class="danger" onClick={() => setRemoving(true)} data-action="remove">
          Remove…
        </button>
      </div>
      {error === null ? null : (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={removing}
        title={`Stop watching ${miner.name}?`}
        confirmLabel="Remove"
        busyLabel="Removing…"
        action="confirm-remove"
        onClose={() => setRemoving(false)}
        onConfirm={async () => {
          await api.removeMiner(miner.id, dropHistory);
          store.schedule('miners');
          store.schedule('fleet');
          location.hash = '#/';
        }}
      >
        <p>The miner itself is not touched; solowatch stops polling it.</p>
        <label class="dialog-check">
          <input
            type="checkbox"
            checked={dropHistory}
            onChange={(e) => setDropHistory(e.currentTarget.checked)}
          />{' '}
          Also delete its history
        </label>
      </ConfirmDialog>
    </details>
  );
}
