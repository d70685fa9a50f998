import { onCleanup, onMount, type ParentProps, Show } from 'solid-js';

export interface SidePanelProps {
  title: string;
  onClose(): void;
  /** A way back to the panel this one was opened from ("Group info"). */
  back?: { label: string; onBack(): void } | undefined;
  /**
   * Opened from a button in the conversation ("Seen by", a name): focus moves
   * into the panel, Escape closes it, and focus goes back to that button, so
   * a keyboard user is not left at the far end of the page.
   */
  takeFocus?: boolean;
}

/** A panel on the right of the open page (profile or group info), with its own close button. */
export function SidePanel(props: ParentProps<SidePanelProps>) {
  let panel: HTMLElement | undefined;
  onMount(() => {
    if (!props.takeFocus || !panel) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.focus();
    onCleanup(() => {
      const lost = !document.activeElement || document.activeElement === document.body;
      if (opener?.isConnected && (lost || panel?.contains(document.activeElement))) opener.focus();
    });
  });
  return (
    <aside
      ref={panel}
      class="side-panel"
      aria-label={props.title}
      tabIndex={props.takeFocus ? -1 : undefined}
      onKeyDown={(e) => {
        if (props.takeFocus && e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          props.onClose();
        }
      }}
    >
      <div class="side-panel-head">
        <Show when={props.back}>
          {(back) => (
            <button type="button" class="icon-button back" aria-label={back().label} onClick={() => back().onBack()}>
              ‹
            </button>
          )}
        </Show>
        <h2>{props.title}</h2>
        <button
          type="button"
          class="icon-button"
          aria-label={`Close ${props.title.toLowerCase()}`}
          onClick={props.onClose}
        >
          ×
        </button>
      </div>
      <div class="side-panel-body">{props.children}</div>
    </aside>
  );
}
