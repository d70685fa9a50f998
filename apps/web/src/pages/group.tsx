import { useParams } from '@solidjs/router';
import { createSignal, Match, Show, Switch } from 'solid-js';
import type { GroupPanel } from '../components/group/group-panels';
import { Icon } from '../components/icons';
import { MessageLink } from '../components/message-link';
import { MessagePane } from '../components/messages/message-pane';
import { MuteButton } from '../components/mute-button';
import { PaneHeader } from '../components/pane';
import { LoadFailed, PaneLoading, Unavailable } from '../components/unavailable';
import { errorMessage, isNotFound } from '../lib/form-errors';
import { lazyPart } from '../lib/lazy-part';
import { usePageTitle } from '../lib/title';
import { authorIn } from '../stores/authors';
import { findChat } from '../stores/chats';
import { askForGroupPage, LATEST_PAGE } from '../stores/early-open';
import { type GoneReason, groupKept, type OpenGroup, useKeptGroup } from '../stores/group';
import { currentUser } from '../stores/session';

// The side panels open on demand, so they are not in the first paint's script (lib/lazy-part.ts).
const GroupPanels = lazyPart(() => import('../components/group/group-panels'), 'GroupPanels');

/** `/groups/<id>` and `/groups/<id>/messages/<messageId>`: a group chat. */
export default function GroupPage() {
  const params = useParams<{ id: string; messageId?: string }>();
  return (
    <Show when={params.id} keyed>
      {(id) => (
        <Show when={params.messageId} keyed fallback={<Group chatId={id} messageId={undefined} />}>
          {(messageId) => (
            <MessageLink messageId={messageId} base={`/groups/${id}`}>
              <Group chatId={id} messageId={messageId} />
            </MessageLink>
          )}
        </Show>
      )}
    </Show>
  );
}

const GONE_TEXT: Record<GoneReason, string> = {
  removed: 'The owner removed you from this group.',
  deleted: 'The group was deleted.',
  left: 'You left this group.',
};

function Group(props: { chatId: string; messageId: string | undefined }) {
  // Opened afresh at its newest page: that page is asked for now, beside the details the pane waits for.
  const listed = findChat(props.chatId);
  if (
    !props.messageId &&
    !groupKept(props.chatId) &&
    listed &&
    listed.lastSeq - listed.readState.readSeq <= LATEST_PAGE
  ) {
    askForGroupPage(props.chatId);
  }
  const group = useKeptGroup(props.chatId);
  const details = () => group.details.value();
  const status = () => group.details.status();
  usePageTitle(() => details()?.chat.name ?? 'Group');

  return (
    <Switch>
      <Match when={group.gone()}>
        {(reason) => (
          <>
            <PaneHeader title={details()?.chat.name ?? 'Group'} subtitle="Group" />
            <Unavailable title="You are no longer in this group">
              <p>{GONE_TEXT[reason()]}</p>
            </Unavailable>
          </>
        )}
      </Match>
      <Match when={details()}>
        <GroupView group={group} messageId={props.messageId} />
      </Match>
      <Match when={status() === 'failed' && isNotFound(group.details.error())}>
        <PaneHeader title="Group" subtitle="Not available" />
        <Unavailable title="This group is not available">
          <p>It does not exist, or you are not a member of it.</p>
        </Unavailable>
      </Match>
      <Match when={status() === 'failed'}>
        <PaneHeader title="Group" />
        <LoadFailed message={errorMessage(group.details.error())} onRetry={() => void group.details.reload()} />
      </Match>
      <Match when={true}>
        <PaneHeader title="Group" />
        <PaneLoading />
      </Match>
    </Switch>
  );
}

function GroupView(props: { group: OpenGroup; messageId: string | undefined }) {
  const [panel, setPanel] = createSignal<GroupPanel | null>(null);
  const showInfo = () => panel()?.kind === 'info';
  const details = () => props.group.details.value();
  const name = () => details()?.chat.name ?? 'Group';
  const count = () => details()?.members.length ?? 0;
  const toggleInfo = () => setPanel(showInfo() ? null : { kind: 'info' });
  // A current member's name opens their profile; a former member's has none to open (access/profiles.ts).
  const profileOpener = (userId: string) =>
    details()?.members.some((m) => m.id === userId)
      ? () => setPanel({ kind: 'profile', userId, back: null })
      : undefined;
  // The list's copy is kept live (read state, last message); the group's own until the list has it.
  const summary = () => {
    const d = details();
    return d ? (findChat(d.chat.id) ?? d.chat) : null;
  };
  const nameOf = (userId: string) => {
    const member = details()?.members.find((m) => m.id === userId);
    if (member) return member.displayName;
    if (userId === currentUser()?.id) return currentUser()?.displayName ?? 'You';
    // Not a member now: their name on what they wrote stays (issue 24).
    const chatId = details()?.chat.id;
    const author = chatId ? authorIn(chatId, userId) : null;
    if (author === undefined) return '…';
    return author?.displayName ?? 'Former member';
  };
  return (
    <>
      <PaneHeader title={name()} subtitle={`${count()} member${count() === 1 ? '' : 's'}`} onTitlesClick={toggleInfo}>
        <Show when={summary()}>{(chat) => <MuteButton chat={chat()} />}</Show>
        <button
          type="button"
          class="icon-button"
          aria-label="Group info"
          title="Group info"
          aria-expanded={showInfo()}
          onClick={toggleInfo}
        >
          <Icon name="info" size={20} />
        </button>
      </PaneHeader>
      <div class="pane-main">
        <Show when={summary()}>
          {(chat) => (
            <Show when={props.messageId ?? 'latest'} keyed>
              <MessagePane
                chat={chat()}
                messageId={props.messageId}
                path={`/groups/${chat().id}`}
                nameOf={nameOf}
                blocked={null}
                placeholder={`Message ${name()}`}
                profileOpener={profileOpener}
                onSeenBy={(messageId) => setPanel({ kind: 'seen', messageId })}
                mentionable={() => details()?.members ?? []}
              />
            </Show>
          )}
        </Show>
        <GroupPanels group={props.group} panel={panel()} onShow={setPanel} />
      </div>
    </>
  );
}
