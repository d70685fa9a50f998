import { A } from '@solidjs/router';
import type { JSX, ParentProps } from 'solid-js';
import { queryText, searchPath } from '../lib/search-url';
import { searchOpen, searchOrder, searchText } from '../stores/search';
import { Icon, type IconName } from './icons';

export interface PaneHeaderProps {
  title: string;
  subtitle?: JSX.Element;
  /** Before the titles (an avatar, say). */
  leading?: JSX.Element;
  /** Clicking the titles does this too (a mouse shortcut; give keyboards a real button as well). */
  onTitlesClick?: () => void;
}

/** The right pane's header; on a narrow window it has a way back to the chat list (or the search results). */
export function PaneHeader(props: ParentProps<PaneHeaderProps>) {
  const back = () =>
    searchOpen()
      ? { href: searchPath({ q: queryText(searchText()), order: searchOrder() }), label: 'Back to search results' }
      : { href: '/', label: 'Back to chats' };
  return (
    <header class="pane-header">
      <A href={back().href} class="back-link" aria-label={back().label}>
        ‹
      </A>
      {props.leading}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: a pointer shortcut; the leading button is the keyboard way */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: as above */}
      <div
        class="pane-titles"
        classList={{ clickable: Boolean(props.onTitlesClick) }}
        onClick={() => props.onTitlesClick?.()}
      >
        <h1>{props.title}</h1>
        {props.subtitle ? <p class="pane-subtitle">{props.subtitle}</p> : null}
      </div>
      <div class="pane-actions">{props.children}</div>
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
