/** Restarting a miner stops it hashing for a minute, so it asks first, in a real modal dialog. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { store } from '../store.js';
import type { ListedMiner } from '../types.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export function RestartButton({ miner }: { miner: ListedMiner }) {
  const [open, setOpen] = useState(false);
  const restarting = miner.restart?.state === 'restarting';
  return (
    <>
      <button
        type="button"
        class="danger"
        onClick={() => setOpen(true)}
        disabled={restarting || !miner.enabled}
        data-action="restart"
      >
        {restarting ? 'Restarting…' : 'Restart'}
      </button>
      <ConfirmDialog
        open={open}
        title={`Restart ${miner.name}?`}
        confirmLabel="Restart now"
        busyLabel="Sending…"
        action="confirm-restart"
        onClose={() => setOpen(false)}
        onConfirm={async () => {
          const restart = await api.restart(miner.id);
          store.apply({ type: 'restart', restart });
        }}
      >
        <p>The miner stops hashing while it reboots, usually under a minute.</p>
      </ConfirmDialog>
    </>
  );
}
