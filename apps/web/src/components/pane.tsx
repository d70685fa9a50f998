import { A } from '@solidjs/router';
import type { JSX, ParentProps } from 'solid-js';
import { Icon, type IconName } from './icons';

/** The right pane's header; on a narrow window it has a way back to the chat list. */
export function PaneHeader(props: ParentProps<{ title: string; subtitle?: JSX.Element }>) {
  return (
    <header class="pane-header">
      <A href="/" class="back-link" aria-label="Back to chats">
        ‹
      </A>
      <div class="pane-titles">
        <h1>{props.title}</h1>
        {props.subtitle ? <p class="pane-subtitle">{props.subtitle}</p> : null}
      </div>
      {props.children}
    </header>
  );
}

/** A centred message for a pane with nothing to show yet. */
export function EmptyState(props: ParentProps<{ icon: IconName; title: string; small?: boolean }>) {
  return (
    <div class="empty-state" classList={{ small: props.small }}>
      <div class="empty-icon">
        <Icon name={props.icon} size={props.small ? 28 : 40} />
      </div>
      <p class="empty-title">{props.title}</p>
      {props.children}
    </div>
  );
}
