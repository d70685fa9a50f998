/**
 * The bell in a chat's header: mutes the chat for this user (no sound or
 * notification from it, except a mention of them) or unmutes it.
 */
import type { ChatSummary } from '@chat/api';
import { createSignal, onCleanup, Show } from 'solid-js';
import { errorMessage } from '../lib/form-errors';
import { setChatMuted } from '../stores/chats';
import { Icon } from './icons';

export function MuteButton(props: { chat: ChatSummary }) {
  const [problem, setProblem] = createSignal('');
  let hide: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(hide));
  const label = () => (props.chat.muted ? 'Unmute chat' : 'Mute chat');
  const toggle = () => {
    setProblem('');
    clearTimeout(hide);
    setChatMuted(props.chat.id, !props.chat.muted).catch((error: unknown) => {
      setProblem(errorMessage(error));
      // Said where the click was, then out of the way: the header has no room to keep it.
      hide = setTimeout(() => setProblem(''), 8_000);
    });
  };
  return (
    <span class="mute-button">
      <button
        type="button"
        class="icon-button"
        aria-label={label()}
        title={props.chat.muted ? 'Muted: no sound or notifications, except mentions of you. Click to unmute.' : 'Mute'}
        aria-pressed={props.chat.muted}
        onClick={toggle}
      >
        <Icon name={props.chat.muted ? 'bell-off' : 'bell'} size={20} />
      </button>
      <Show when={problem()}>
        <span class="header-problem" role="alert">
          {problem()}
        </span>
      </Show>
    </span>
  );
}
