import { Show } from 'solid-js';
import { now } from '../lib/clock';
import { lastSeenText } from '../lib/time';
import { presenceOf } from '../stores/presence';
import { Avatar } from './avatar';

/** An avatar with a green (online) or grey dot. */
export function AvatarWithPresence(props: { name: string; userId: string; size?: 'small' | 'large' }) {
  const state = () => presenceOf(props.userId);
  return (
    <span class="with-presence">
      <Avatar name={props.name} size={props.size} />
      <Show when={state()}>
        {(s) => <span class="presence-dot" classList={{ online: s().online }} aria-hidden="true" />}
      </Show>
    </span>
  );
}

/** "Online", or "Last seen 5 minutes ago"; nothing while unknown. */
export function presenceText(userId: string): string {
  const state = presenceOf(userId);
  if (!state) return '';
  if (state.online) return 'Online';
  return state.lastSeenAt ? `Last seen ${lastSeenText(state.lastSeenAt, now())}` : 'Offline';
}
