import { createUniqueId, onCleanup, onMount, type ParentProps } from 'solid-js';

export interface DialogProps {
  title: string;
  /** Escape, the close button, or the owner deciding it is done. */
  onClose(): void;
}

/**
 * A modal dialog on the native <dialog> (focus kept inside, Escape closes),
 * named by its title for screen readers. Shown while it is rendered; focus
 * returns to where it was when it goes.
 */
export function Dialog(props: ParentProps<DialogProps>) {
  let element: HTMLDialogElement | undefined;
  const titleId = createUniqueId();
  onMount(() => {
    // Focus goes back where it was (the button that opened the dialog) when it closes.
    const opener = document.activeElement;
    element?.showModal();
    onCleanup(() => {
      // Closed first: while it is open modally, everything outside it is inert and cannot take the focus.
      element?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    });
  });
  return (
    <dialog
      ref={element}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={() => props.onClose()}>
          ×
        </button>
      </div>
      {props.children}
    </dialog>
  );
}
