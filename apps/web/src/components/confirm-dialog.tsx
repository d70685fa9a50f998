import { createSignal, type JSX, Show } from 'solid-js';
import { errorMessage } from '../lib/form-errors';
import { Dialog } from './dialog';

export interface ConfirmDialogProps {
  title: string;
  message: JSX.Element;
  /** The confirming button's text, e.g. "Remove". */
  confirmLabel: string;
  /** Red confirming button, for what cannot be undone. */
  danger?: boolean;
  /** Does the thing; a rejection is shown in the dialog, which stays open. */
  onConfirm(): Promise<void>;
  onClose(): void;
}

/** "Are you sure?" with the action's own words; closes itself when the action succeeds. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setPending(false);
    }
  };

  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div class="dialog-body">{props.message}</div>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={() => props.onClose()}>
          Cancel
        </button>
        <button
          type="button"
          class="button"
          classList={{ primary: !props.danger, danger: props.danger }}
          disabled={pending()}
          onClick={() => void confirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
