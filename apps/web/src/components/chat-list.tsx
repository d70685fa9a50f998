import type { ChatSummary } from '@chat/api';
import { A } from '@solidjs/router';
import { For, Match, Switch } from 'solid-js';
import { chatList, chatListStatus, chatPath, chatTitle, reloadChatList } from '../stores/chats';
import { Avatar } from './avatar';
import { Icon } from './icons';
import { EmptyState } from './pane';

/** The chats in the left column, most recent activity first, kept live by the event stream. */
export function ChatList() {
  return (
    <section class="chat-list" aria-label="Chats" aria-busy={chatListStatus() === 'loading'}>
      <Switch>
        <Match when={chatList().length > 0}>
          <ul class="chat-items">
            <For each={chatList()}>{(chat) => <ChatItem chat={chat} />}</For>
          </ul>
        </Match>
        <Match when={chatListStatus() === 'failed'}>
          <div class="list-problem" role="alert">
            <p>Could not load your chats.</p>
            <button type="button" class="button small" onClick={() => void reloadChatList()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={chatListStatus() === 'ready'}>
          <EmptyState icon="chat" title="No chats yet" small>
            <p>
              Message someone from your <A href="/contacts">contacts</A>, or start a group.
            </p>
          </EmptyState>
        </Match>
      </Switch>
    </section>
  );
}

function ChatItem(props: { chat: ChatSummary }) {
  const subtitle = () =>
    props.chat.kind === 'group' ? 'Group' : props.chat.peer ? `@${props.chat.peer.username}` : '';
  return (
    <li>
      <A href={chatPath(props.chat)} class="chat-item" activeClass="active" end>
        {props.chat.kind === 'group' ? (
          <span class="avatar group-avatar" aria-hidden="true">
            <Icon name="users" size={18} />
          </span>
        ) : (
          <Avatar name={chatTitle(props.chat)} />
        )}
        <span class="chat-item-names">
          <span class="chat-item-title">{chatTitle(props.chat)}</span>
          <span class="chat-item-subtitle">{subtitle()}</span>
        </span>
      </A>
    </li>
  );
}
