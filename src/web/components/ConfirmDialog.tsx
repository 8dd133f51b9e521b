/** A modal question before an action that interrupts a miner; the action's error stays inside. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiFailure } from '../api.js';

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly confirmLabel: string;
  readonly busyLabel: string;
  readonly action: string;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d === null) return;
    if (props.open && !d.open) {
      setError(null);
      d.showModal();
    }
    if (!props.open && d.open) d.close();
  }, [props.open]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (e) {
      setError(isApiFailure(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} onClose={props.onClose} aria-labelledby={`${props.action}-title`}>
      <h3 id={`${props.action}-title`}>{props.title}</h3>
      {props.children}
      {error === null ? null : (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" onClick={props.onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={confirm} disabled={busy} data-action={props.action}>
          {busy ? props.busyLabel : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
