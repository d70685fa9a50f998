import type { ParentProps } from 'solid-js';

/** A panel on the right of the open page (profile or group info), with its own close button. */
export function SidePanel(props: ParentProps<{ title: string; onClose(): void }>) {
  return (
    <aside class="side-panel" aria-label={props.title}>
      <div class="side-panel-head">
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
