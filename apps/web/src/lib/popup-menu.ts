/**
 * A menu that opens from a button: a click outside it or Escape closes it,
 * and Escape gives the focus back to its button. For the component that
 * calls it; the listeners go with the component.
 */
import { type Accessor, createSignal, onCleanup, type Setter } from 'solid-js';

export interface PopupMenu {
  open: Accessor<boolean>;
  setOpen: Setter<boolean>;
  close(): void;
  /** For `ref` on the element that holds the button and the menu. */
  setRoot(el: HTMLElement): void;
  /** For `ref` on the button that opens it. */
  setButton(el: HTMLButtonElement): void;
  /** The focus back to the button (after a choice, or where a dialog gives it back). */
  focusButton(): void;
}

export function createPopupMenu(): PopupMenu {
  const [open, setOpen] = createSignal(false);
  let root: HTMLElement | undefined;
  let button: HTMLButtonElement | undefined;
  const close = () => setOpen(false);
  const onDocumentClick = (event: MouseEvent) => {
    if (open() && root && event.target instanceof Node && !root.contains(event.target)) close();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open()) {
      close();
      button?.focus();
    }
  };
  document.addEventListener('click', onDocumentClick);
  document.addEventListener('keydown', onKeyDown);
  onCleanup(() => {
    document.removeEventListener('click', onDocumentClick);
    document.removeEventListener('keydown', onKeyDown);
  });
  return {
    open,
    setOpen,
    close,
    setRoot: (el) => {
      root = el;
    },
    setButton: (el) => {
      button = el;
    },
    focusButton: () => button?.focus(),
  };
}
