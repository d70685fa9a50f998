/**
 * One open group with its members, for the group page and its info panel.
 * Lives as long as the page; follows the group's events while it does.
 */
import type { ChatDetails, Profile } from '@chat/api';
import { type Accessor, createSignal, onCleanup } from 'solid-js';
import { createKeeper } from '../lib/kept';
import { type Change, createSynced, type Synced } from '../lib/synced';
import { api } from '../lib/trpc';
import { forgetChat, renameInList } from './chats';
import { answerEarly, groupKey } from './early-open';
import { onEvents } from './events';
import { currentUser } from './session';
import { keepInSync } from './sync';

type Member = ChatDetails['members'][number];

/** Why the signed-in user is no longer in the group. */
export type GoneReason = 'removed' | 'left' | 'deleted';

export interface OpenGroup {
  details: Synced<ChatDetails | null>;
  /** Set once the user is out of the group (removed, left, or it was deleted). */
  gone: Accessor<GoneReason | null>;
  rename(name: string): Promise<void>;
  addMembers(userIds: string[]): Promise<void>;
  removeMember(userId: string): Promise<void>;
  /** The owner makes another member the owner. */
  passOwnership(userId: string): Promise<void>;
  leave(): Promise<void>;
  remove(): Promise<void>;
}

const edit =
  (fn: (d: ChatDetails) => ChatDetails): Change<ChatDetails | null> =>
  (d) =>
    d ? fn(d) : d;

const withMembers = (added: (Profile & { joinedAt?: Date })[]) =>
  edit((d) => {
    const fresh = added
      .filter((m) => !d.members.some((x) => x.id === m.id))
      .map((m): Member => ({ ...m, joinedAt: m.joinedAt ?? new Date() }));
    const members = [...d.members, ...fresh];
    return { ...d, members, chat: { ...d.chat, memberCount: members.length } };
  });

const withoutMember = (userId: string) =>
  edit((d) => {
    const members = d.members.filter((m) => m.id !== userId);
    return { ...d, members, chat: { ...d.chat, memberCount: members.length } };
  });

const withName = (name: string) => edit((d) => ({ ...d, chat: { ...d.chat, name } }));

const withOwner = (ownerId: string) => edit((d) => ({ ...d, chat: { ...d.chat, ownerId } }));

const withProfile = (p: Profile) =>
  edit((d) => ({ ...d, members: d.members.map((m) => (m.id === p.id ? { ...m, ...p } : m)) }));

/** Opens the group `chatId` for the calling component (loaded now, followed until cleanup). */
export function useGroup(chatId: string): OpenGroup {
  // A cold load of the group's address asked already, with the session (stores/early-open.ts).
  const details = createSynced<ChatDetails | null>(null, () =>
    answerEarly(groupKey(chatId), () => api.chats.get.query({ chatId })),
  );
  const [gone, setGone] = createSignal<GoneReason | null>(null);
  keepInSync(details);

  /** A handler that only runs for this group's events. */
  const here =
    <E extends { payload: { chatId: string } }>(apply: (event: E) => void) =>
    (event: E) => {
      if (event.payload.chatId === chatId) apply(event);
    };
  onCleanup(
    onEvents({
      'chat.renamed': here((e) => details.update(withName(e.payload.name))),
      'chat.owner_changed': here((e) => details.update(withOwner(e.payload.ownerId))),
      'chat.member_added': here((e) => details.update(withMembers([e.payload.member]))),
      'chat.member_removed': here((e) => details.update(withoutMember(e.payload.userId))),
      'chat.left': here((e) => setGone(e.payload.reason)),
      'profile.updated': (e) => details.update(withProfile(e.payload.profile)),
      'chat.joined': (e) => {
        // Added back while looking at "no longer in this group": show it again.
        if (e.payload.chat.id !== chatId || !gone()) return;
        setGone(null);
        void details.reload();
      },
    }),
  );

  return {
    details,
    gone,
    async rename(name) {
      await api.groups.rename.mutate({ chatId, name });
      details.update(withName(name));
      renameInList(chatId, name);
    },
    async addMembers(userIds) {
      details.update(withMembers(await api.groups.addMembers.mutate({ chatId, userIds })));
    },
    async removeMember(userId) {
      await api.groups.removeMember.mutate({ chatId, userId });
      details.update(withoutMember(userId));
    },
    async passOwnership(userId) {
      await api.groups.passOwnership.mutate({ chatId, userId });
      details.update(withOwner(userId));
    },
    async leave() {
      await api.groups.leave.mutate({ chatId });
      setGone('left');
      forgetChat(chatId);
    },
    async remove() {
      await api.groups.delete.mutate({ chatId });
      setGone('deleted');
      forgetChat(chatId);
    },
  };
}

/** Groups whose details (members) stay loaded, and followed, after their page closes (lib/kept.ts). */
// Another user in this tab sees none of the groups the last one had open.
const kept = createKeeper<OpenGroup>(4, () => currentUser()?.id);
const usable = (g: OpenGroup) => g.details.status() === 'ready' && g.details.value() !== null && !g.gone();

/** The group's details are kept from its last opening (and, most likely, its messages too). */
export const groupKept = (chatId: string) => kept.has(chatId);

/** `useGroup`, but a group opened again takes the details it had, kept live since, and draws at once. */
export function useKeptGroup(chatId: string): OpenGroup {
  return kept.use(chatId, () => useGroup(chatId), usable, usable);
}
