import type { ChatSummary } from '@chat/api';
import { useParams } from '@solidjs/router';
import { createEffect, createSignal, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { Avatar } from '../components/avatar';
import { EmptyState, PaneHeader } from '../components/pane';
import { ProfilePanel } from '../components/profile-panel';
import { LoadFailed, PaneLoading, Unavailable } from '../components/unavailable';
import { errorMessage, isNotFound } from '../lib/form-errors';
import { usePageTitle } from '../lib/title';
import { findChat, openDirectChat } from '../stores/chats';
import NotFoundPage from './not-found';

/** `/chats/@alice` and `/chats/@alice/messages/<id>`: the one-to-one chat with alice. */
export default function ChatPage() {
  const params = useParams<{ handle: string; messageId?: string }>();
  return (
    <Show when={params.handle.startsWith('@')} fallback={<NotFoundPage />}>
      <Show when={params.handle} keyed>
        {(handle) => <DirectChat handle={handle} messageId={params.messageId} />}
      </Show>
    </Show>
  );
}

type Opening =
  | { status: 'loading' }
  | { status: 'open'; chat: ChatSummary }
  | { status: 'unavailable'; message: string }
  | { status: 'failed'; message: string };

function DirectChat(props: { handle: string; messageId: string | undefined }) {
  const [opening, setOpening] = createSignal<Opening>({ status: 'loading' });
  const [attempt, setAttempt] = createSignal(0);
  createEffect(
    on(attempt, () => {
      let current = true;
      onCleanup(() => {
        current = false;
      });
      setOpening({ status: 'loading' });
      openDirectChat(props.handle.slice(1))
        .then((chat) => current && setOpening({ status: 'open', chat }))
        .catch((error: unknown) => {
          if (!current) return;
          const message = errorMessage(error);
          setOpening(isNotFound(error) ? { status: 'unavailable', message } : { status: 'failed', message });
        });
    }),
  );
  // The list's copy is kept live (renames of the peer's display name, for one).
  const chat = () => {
    const o = opening();
    return o.status === 'open' ? (findChat(o.chat.id) ?? o.chat) : null;
  };
  usePageTitle(() => chat()?.peer?.displayName ?? props.handle);

  return (
    <Switch>
      <Match when={chat()}>{(open) => <ChatView chat={open()} messageId={props.messageId} />}</Match>
      <Match when={opening().status === 'loading'}>
        <PaneHeader title={props.handle} subtitle="Direct message" />
        <PaneLoading />
      </Match>
      <Match when={opening().status === 'unavailable'}>
        <PaneHeader title={props.handle} subtitle="Not available" />
        <Unavailable title="This chat is not available">
          <p>There is no chat with {props.handle}. You can chat with people once they are your contacts.</p>
        </Unavailable>
      </Match>
      <Match when={opening().status === 'failed'}>
        <PaneHeader title={props.handle} subtitle="Direct message" />
        <LoadFailed message={errorMessageOf(opening())} onRetry={() => setAttempt(attempt() + 1)} />
      </Match>
    </Switch>
  );
}

const errorMessageOf = (o: Opening) => ('message' in o ? o.message : '');

function ChatView(props: { chat: ChatSummary; messageId: string | undefined }) {
  const [showProfile, setShowProfile] = createSignal(false);
  const name = () => props.chat.peer?.displayName ?? 'Unknown user';
  const toggleProfile = () => setShowProfile(Boolean(props.chat.peer) && !showProfile());
  return (
    <>
      <PaneHeader
        title={name()}
        subtitle={props.chat.peer ? `@${props.chat.peer.username}` : 'Direct message'}
        onTitlesClick={toggleProfile}
        leading={
          <button
            type="button"
            class="header-person"
            aria-label={`View profile of ${name()}`}
            aria-expanded={showProfile()}
            onClick={toggleProfile}
          >
            <Avatar name={name()} />
          </button>
        }
      />
      <div class="pane-main">
        <div class="pane-body centered">
          <EmptyState icon="chat" title={`Your conversation with ${name()}`}>
            <p>Messages arrive in the next step: sending and reading them is being built now.</p>
            <Show when={props.messageId}>
              {(id) => <p class="muted">This link points at message {id()}, which will be shown in context.</p>}
            </Show>
          </EmptyState>
        </div>
        <Show when={showProfile() && props.chat.peer}>
          {(peer) => <ProfilePanel profile={peer()} onClose={() => setShowProfile(false)} />}
        </Show>
      </div>
    </>
  );
}
