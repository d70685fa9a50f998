import type { ChatSummary } from '@chat/api';
import { useParams } from '@solidjs/router';
import { createEffect, createSignal, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { BlockButton } from '../components/block-button';
import { ChatMenu } from '../components/chat-menu';
import { MessageLink } from '../components/message-link';
import { MessagePane } from '../components/messages/message-pane';
import { MuteButton } from '../components/mute-button';
import { PaneHeader } from '../components/pane';
import { AvatarWithPresence, presenceText } from '../components/presence';
import { LoadFailed, PaneLoading, Unavailable } from '../components/unavailable';
import { errorMessage, isNotFound } from '../lib/form-errors';
import { lazyPart } from '../lib/lazy-part';
import { usePageTitle } from '../lib/title';
import { isBlocked } from '../stores/blocks';
import { chatPath, findChat, openDirectChat } from '../stores/chats';
import { addressBook, addressBookStatus } from '../stores/contacts';
import { clearRefusal } from '../stores/outbox';
import { currentUser } from '../stores/session';
import NotFoundPage from './not-found';

// Opened on demand, so not in the first paint's script (lib/lazy-part.ts).
const ProfilePanel = lazyPart(() => import('../components/profile-panel'), 'ProfilePanel');

/**
 * `/chats/@alice` and `/chats/@alice/messages/<id>`: the one-to-one chat with alice. A message
 * link is opened through its message (components/message-link.tsx): it may be the other side's.
 */
export default function ChatPage() {
  const params = useParams<{ handle: string; messageId?: string }>();
  return (
    <Show when={params.handle.startsWith('@')} fallback={<NotFoundPage />}>
      <Show when={params.handle} keyed>
        {(handle) => (
          <Show when={params.messageId} keyed fallback={<DirectChat handle={handle} messageId={undefined} />}>
            {(messageId) => (
              <MessageLink messageId={messageId} base={`/chats/${handle}`}>
                <DirectChat handle={handle} messageId={messageId} />
              </MessageLink>
            )}
          </Show>
        )}
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

/** What the server answers a message to someone who is no longer a contact (domain/access/writing.ts). */
const NOT_CONTACTS =
  'This chat is not available: you are no longer contacts, so you cannot write or react here. Add them as a contact again to continue.';

function ChatView(props: { chat: ChatSummary; messageId: string | undefined }) {
  const [showProfile, setShowProfile] = createSignal(false);
  const name = () => props.chat.peer?.displayName ?? 'Unknown user';
  const toggleProfile = () => setShowProfile(Boolean(props.chat.peer) && !showProfile());
  const nameOf = (userId: string) => {
    const me = currentUser();
    if (userId === me?.id) return me.displayName;
    return userId === props.chat.peer?.id ? name() : 'Unknown user';
  };
  /** Known not to be contacts any more (the address book is loaded and lacks them). */
  const notContacts = () =>
    addressBookStatus() === 'ready' &&
    Boolean(props.chat.peer) &&
    !addressBook().contacts.some((c) => c.id === props.chat.peer?.id);
  /** The user blocked the peer: a banner says so, with "Unblock", and the composer is closed. */
  const blocked = () => isBlocked(props.chat.peer?.id);
  const composerNote = () =>
    blocked() ? `You blocked ${name()}. Unblock them to write here.` : notContacts() ? NOT_CONTACTS : null;
  // Contacts again: whatever the server refused before may go now.
  createEffect(() => {
    if (addressBookStatus() === 'ready' && !notContacts()) clearRefusal(props.chat.id);
  });
  const subtitle = () => {
    const peer = props.chat.peer;
    if (!peer) return 'Direct message';
    const presence = presenceText(peer.id);
    return presence ? `@${peer.username} · ${presence}` : `@${peer.username}`;
  };
  return (
    <>
      <PaneHeader
        title={name()}
        subtitle={<span data-testid="presence">{subtitle()}</span>}
        onTitlesClick={toggleProfile}
        leading={
          <button type="button" class="header-person" aria-expanded={showProfile()} onClick={toggleProfile}>
            {/* Named by text, not aria-label: the avatar's initials are decoration, not a visible label. */}
            <span class="visually-hidden">View profile of {name()}</span>
            <AvatarWithPresence name={name()} userId={props.chat.peer?.id ?? ''} />
          </button>
        }
      >
        <MuteButton chat={props.chat} />
        <Show when={props.chat.peer}>
          {(peer) => <ChatMenu person={peer()} onProfile={() => setShowProfile(true)} />}
        </Show>
      </PaneHeader>
      <Show when={blocked() && props.chat.peer}>
        {(peer) => (
          <div class="block-banner" role="status" data-testid="block-banner">
            <span>
              You blocked <strong>{name()}</strong>. They cannot message you, and are not told.
            </span>
            <BlockButton person={peer()} class="button small" />
          </div>
        )}
      </Show>
      <div class="pane-main">
        <Show when={props.messageId ?? 'latest'} keyed>
          <MessagePane
            chat={props.chat}
            messageId={props.messageId}
            path={chatPath(props.chat)}
            nameOf={nameOf}
            blocked={composerNote()}
            placeholder={`Message ${name()}`}
          />
        </Show>
        <Show when={showProfile() && props.chat.peer}>
          {(peer) => (
            <ProfilePanel profile={peer()} onClose={() => setShowProfile(false)}>
              <div class="profile-actions">
                <BlockButton person={peer()} />
              </div>
            </ProfilePanel>
          )}
        </Show>
      </div>
    </>
  );
}
