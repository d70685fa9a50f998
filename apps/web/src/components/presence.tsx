import { Show } from 'solid-js';
import { now } from '../lib/clock';
import { lastSeenText } from '../lib/time';
import { presenceKnown, presenceOf } from '../stores/presence';
import { Avatar } from './avatar';

/** An avatar with a green (online) or grey dot; a hollow one while our stream is down (nothing is known). */
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
        {(s) => <span class="presence-dot" classList={{ online: s().online }} aria-hidden="true" />}
      </Show>
    </span>
  );
}

/** "Online", or "Last seen 5 minutes ago"; "Status unknown" while our stream is down; else nothing while unknown. */
export function presenceText(userId: string): string {
  if (!presenceKnown()) return 'Status unknown';
  const state = presenceOf(userId);
  if (!state) return '';
  if (state.online) return 'Online';
  return state.lastSeenAt ? `Last seen ${lastSeenText(state.lastSeenAt, now())}` : 'Offline';
}
