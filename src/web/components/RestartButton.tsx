/** Restarting a miner stops it hashing for a minute, so it asks first, in a real modal dialog. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { store } from '../store.js';
import type { MinerView } from '../types.js';

export function RestartButton({ miner }: { miner: MinerView }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d === null) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const restart = await api.restart(miner.id);
      store.apply({ type: 'restart', restart });
      setOpen(false);
    } catch (e) {
      setError(isApiFailure(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const restarting = miner.restart?.state === 'restarting';
  return (
    <>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        disabled={restarting || !miner.enabled}
        data-action="restart"
      >
        {restarting ? 'Restarting…' : 'Restart'}
      </button>
      <dialog ref={dialog} onClose={() => setOpen(false)} aria-labelledby="restart-title">
        <h3 id="restart-title">Restart {miner.name}?</h3>
        <p>The miner stops hashing while it reboots, usually under a minute.</p>
        {error === null ? null : (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" onClick={() => setOpen(false)} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            class="danger"
            onClick={confirm}
            disabled={busy}
            data-action="confirm-restart"
          >
            {busy ? 'Sending…' : 'Restart now'}
          </button>
        </div>
      </dialog>
    </>
  );
}
