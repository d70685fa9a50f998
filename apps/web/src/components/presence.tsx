import type { PresenceState } from '@chat/api';
import { Show } from 'solid-js';
import { now } from '../lib/clock';
import { lastSeenText } from '../lib/time';
import { presenceKnown, presenceOf } from '../stores/presence';
import { Avatar } from './avatar';

type Shown = Pick<PresenceState, 'online' | 'status'>;

/** The status in words: "Online" (available), "Away", "Do not disturb", or "Offline". */
export function statusLabel(state: Shown): string {
  if (!state.online) return 'Offline';
  if (state.status === 'away') return 'Away';
  if (state.status === 'dnd') return 'Do not disturb';
  return 'Online';
}

/**
 * The dot on an avatar: green (online, available), amber with a clock hand
 * (away), red with a bar (do not disturb), a grey ring (offline): each its own
 * shape, so colour is never the only cue. Its words are the
 * tooltip; the dot itself is hidden from screen readers, which read the
 * status where it is written out (the chat's header, the profile).
 */
export function StatusDot(props: { state: Shown }) {
  return (
    <span
      class="presence-dot"
      classList={{
        online: props.state.online,
        away: props.state.online && props.state.status === 'away',
        dnd: props.state.online && props.state.status === 'dnd',
      }}
      data-presence={props.state.online ? props.state.status : 'offline'}
      title={statusLabel(props.state)}
      aria-hidden="true"
    />
  );
}

/** An avatar with its status dot; a hollow one while our stream is down (nothing is known). */
export function AvatarWithPresence(props: { name: string; userId: string; size?: 'small' | 'large' }) {
  const state = () => presenceOf(props.userId);
  return (
    <span class="with-presence">
      <Avatar name={props.name} size={props.size} />
      <Show
        when={state()}
        fallback={
          <Show when={props.userId && !presenceKnown()}>
            <span class="presence-dot unknown" title="Status unknown while you are offline" aria-hidden="true" />
          </Show>
        }
      >
        {(s) => <StatusDot state={s()} />}
      </Show>
    </span>
  );
}

/** "Online", "Away", "Do not disturb", or "Last seen 5 minutes ago"; "Status unknown" while our stream is down. */
export function presenceText(userId: string): string {
  if (!presenceKnown()) return 'Status unknown';
  const state = presenceOf(userId);
  if (!state) return '';
  if (state.online) return statusLabel(state);
  return state.lastSeenAt ? `Last seen ${lastSeenText(state.lastSeenAt, now())}` : 'Offline';
}
