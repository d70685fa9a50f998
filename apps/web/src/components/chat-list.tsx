import type { ChatSummary } from '@chat/api';
import { A } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { previewText, unreadBadge } from '../lib/chat-summary';
import { now } from '../lib/clock';
import { listTime } from '../lib/time';
import { chatList, chatListStatus, chatPath, chatTitle, reloadChatList } from '../stores/chats';
import { currentUser } from '../stores/session';
import { Icon } from './icons';
import { EmptyState } from './pane';
import { AvatarWithPresence } from './presence';

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

/** Name, time and the last message; bold with a count while something is unread. */
function ChatItem(props: { chat: ChatSummary }) {
  const fallback = () =>
    props.chat.kind === 'group' ? 'Group' : props.chat.peer ? `@${props.chat.peer.username}` : '';
  const preview = () => previewText(props.chat.lastMessage, currentUser()?.id) || fallback();
  const unread = () => props.chat.readState.unreadCount;
  const mentioned = () => props.chat.readState.mentionCount;
  return (
    <li>
      <A
        href={chatPath(props.chat)}
        class="chat-item"
        classList={{ unread: unread() > 0, muted: props.chat.muted }}
        activeClass="active"
        end
      >
        {props.chat.kind === 'group' ? (
          <span class="avatar group-avatar" aria-hidden="true">
            <Icon name="users" size={18} />
          </span>
        ) : (
          <AvatarWithPresence name={chatTitle(props.chat)} userId={props.chat.peer?.id ?? ''} />
        )}
        <span class="chat-item-names">
          <span class="chat-item-line">
            <span class="chat-item-title">{chatTitle(props.chat)}</span>
            <Show when={props.chat.muted}>
              <span class="chat-item-muted" title="Muted" data-testid="muted-icon">
                <Icon name="bell-off" size={14} />
                <span class="visually-hidden"> (muted)</span>
              </span>
            </Show>
            <Show when={props.chat.lastMessage}>
              {(m) => <span class="chat-item-time">{listTime(m().createdAt, now())}</span>}
            </Show>
          </span>
          <span class="chat-item-line">
            <span class="chat-item-subtitle" data-testid="chat-preview">
              {preview()}
            </span>
            <Show when={mentioned() > 0}>
              <span class="badge mention-badge" data-testid="mention-badge" title="Mentions of you">
                @{unreadBadge(mentioned())}
                <span class="visually-hidden"> {mentioned() === 1 ? 'mention' : 'mentions'}</span>
              </span>
            </Show>
            <Show when={unread() > 0}>
              <span class="badge" data-testid="unread-badge">
                {unreadBadge(unread())}
                <span class="visually-hidden"> unread</span>
              </span>
            </Show>
          </span>
        </span>
      </A>
    </li>
  );
}
