import { type Chat, chatMembers, chats, contacts, type Executor, GROUP_MEMBER_LIMIT } from '@chat/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { conflict, invalid } from '../../errors';
import { accessChat, accessGroup, accessOwnedGroup } from '../access/chats';
import { insertChatEvent, insertUserEvent, insertUserEvents } from '../events/store';
import { loadProfiles, type Profile } from '../profiles/summary';
import { summariseChat } from './summary';
import { linePair, linePeople, linePerson, writeSystemLine } from './system-lines';
import type { ChatSummary } from './view';

const tooMany = (room: number) =>
  conflict(
    room <= 0
      ? `This group is full: a group can have at most ${GROUP_MEMBER_LIMIT} members.`
      : `A group can have at most ${GROUP_MEMBER_LIMIT} members; there is room for ${room} more.`,
    'userIds',
  );

/** The ids among `userIds` that are not the actor's contacts. */
async function checkAllContacts(db: Executor, actorId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await db
    .select({ id: contacts.contactId })
    .from(contacts)
    .where(and(eq(contacts.userId, actorId), inArray(contacts.contactId, userIds)));
  if (rows.length !== new Set(userIds).size) {
    throw invalid('You can only add people from your contacts.', 'userIds');
  }
}

async function announceJoined(tx: Executor, chat: Chat, members: Profile[]): Promise<void> {
  for (const member of members) {
    await insertChatEvent(tx, chat.id, 'chat.member_added', { chatId: chat.id, member });
  }
  for (const member of members) {
    await insertUserEvent(tx, member.id, 'chat.joined', { chat: await summariseChat(tx, member.id, chat) });
  }
}

export async function createGroup(
  deps: Deps,
  actorId: string,
  name: string,
  memberIds: string[],
): Promise<ChatSummary> {
  const others = [...new Set(memberIds)].filter((id) => id !== actorId);
  // A new group is never "full": say how many it may have (tooMany is for adding to one).
  if (others.length + 1 > GROUP_MEMBER_LIMIT) {
    throw conflict(
      `A group can have at most ${GROUP_MEMBER_LIMIT} members, you included: choose up to ${GROUP_MEMBER_LIMIT - 1} people (you chose ${others.length}).`,
      'userIds',
    );
  }
  const chat = await deps.db.transaction(async (tx) => {
    await checkAllContacts(tx, actorId, others);
    const [created] = await tx
      .insert(chats)
      .values({ kind: 'group', name, ownerId: actorId, memberCount: others.length + 1 })
      .returning();
    if (!created) throw new Error('insert returned nothing');
    await tx.insert(chatMembers).values({ chatId: created.id, userId: actorId });
    if (others.length > 0)
      await tx.insert(chatMembers).values(others.map((userId) => ({ chatId: created.id, userId })));
    await insertUserEvent(tx, actorId, 'chat.joined', { chat: await summariseChat(tx, actorId, created) });
    for (const id of others) {
      await insertUserEvent(tx, id, 'chat.joined', { chat: await summariseChat(tx, id, created) });
    }
    // After the membership events, so every hub routes the line to the members (realtime/audiences.ts).
    await writeSystemLine(tx, created, await linePerson(tx, actorId), { type: 'created', name });
    const [current] = await tx.select().from(chats).where(eq(chats.id, created.id));
    return current ?? created;
  });
  deps.hub.announce();
  return summariseChat(deps.db, actorId, chat);
}

/** Renames the group; the same name again changes nothing (no event, no line). */
export async function renameGroup(deps: Deps, actorId: string, chatId: string, name: string): Promise<void> {
  const renamed = await deps.db.transaction(async (tx) => {
    const chat = await accessOwnedGroup(tx, actorId, chatId);
    if (chat.name === name) return false;
    await tx.update(chats).set({ name }).where(eq(chats.id, chatId));
    await insertChatEvent(tx, chatId, 'chat.renamed', { chatId, name });
    await writeSystemLine(tx, chat, await linePerson(tx, actorId), { type: 'renamed', name, from: chat.name });
    return true;
  });
  if (renamed) deps.hub.announce();
}

/**
 * Adds the owner's contacts to the group. The chat row is locked first, so
 * concurrent adds are counted one after another and never pass 300.
 */
export async function addMembers(deps: Deps, actorId: string, chatId: string, userIds: string[]): Promise<Profile[]> {
  const added = await deps.db.transaction(async (tx) => {
    const chat = await accessOwnedGroup(tx, actorId, chatId);
    const wanted = [...new Set(userIds)];
    await checkAllContacts(tx, actorId, wanted);
    const present = await tx
      .select({ userId: chatMembers.userId })
      .from(chatMembers)
      .where(and(eq(chatMembers.chatId, chatId), inArray(chatMembers.userId, wanted)));
    const already = new Set(present.map((p) => p.userId));
    const fresh = wanted.filter((id) => !already.has(id));
    if (fresh.length === 0) throw conflict('They are already in this group.', 'userIds');
    if (chat.memberCount + fresh.length > GROUP_MEMBER_LIMIT) throw tooMany(GROUP_MEMBER_LIMIT - chat.memberCount);
    // Joined at the clock, not the transaction's start: under the chat's lock, after every earlier line
    // (a line's time is the clock too), so the lines before their adding are not theirs (access/messages.ts).
    await tx.insert(chatMembers).values(fresh.map((userId) => ({ chatId, userId, joinedAt: sql`clock_timestamp()` })));
    const [updated] = await tx
      .update(chats)
      .set({ memberCount: sql`${chats.memberCount} + ${fresh.length}` })
      .where(eq(chats.id, chatId))
      .returning();
    const profiles = await loadProfiles(tx, fresh);
    const members = fresh.flatMap((id) => profiles.get(id) ?? []);
    await announceJoined(tx, updated ?? chat, members);
    // After the membership events, so every hub routes the line to the newcomers too (realtime/audiences.ts).
    const people = await linePeople(tx, [actorId, ...fresh]);
    const named = (id: string) => people.get(id) ?? { id, username: '', displayName: '' };
    await writeSystemLine(tx, chat, named(actorId), { type: 'added', users: fresh.map(named) });
    return members;
  });
  deps.hub.announce();
  return added;
}

/**
 * Takes `userId` out of the group; their access ends with this commit. The
 * line about it ("Ana removed Ben", "Ben left") reaches the members who stay
 * only: a chat event goes to whoever is a member when it is routed.
 */
async function dropMember(tx: Executor, chat: Chat, userId: string, reason: 'removed' | 'left'): Promise<void> {
  const removed = await tx
    .delete(chatMembers)
    .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, userId)))
    .returning({ userId: chatMembers.userId });
  if (removed.length === 0) throw invalid('That user is not in this group.', 'userId');
  await tx
    .update(chats)
    .set({ memberCount: sql`${chats.memberCount} - 1` })
    .where(eq(chats.id, chat.id));
  await insertChatEvent(tx, chat.id, 'chat.member_removed', { chatId: chat.id, userId, reason });
  await insertUserEvent(tx, userId, 'chat.left', { chatId: chat.id, reason });
}

export async function removeMember(deps: Deps, actorId: string, chatId: string, userId: string): Promise<void> {
  if (userId === actorId) throw invalid('To leave your own group, use "Leave group".', 'userId');
  await deps.db.transaction(async (tx) => {
    const chat = await accessOwnedGroup(tx, actorId, chatId);
    await dropMember(tx, chat, userId, 'removed');
    const [actor, user] = await linePair(tx, actorId, userId);
    await writeSystemLine(tx, chat, actor, { type: 'removed', user });
  });
  deps.hub.announce();
}

/**
 * Leaves a group. An owner's leaving hands the group to the longest-standing
 * member (a second line says so); the last member's leaving deletes it.
 */
export async function leaveGroup(deps: Deps, actorId: string, chatId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const chat = await accessGroup(tx, actorId, chatId, { lock: true });
    await dropMember(tx, chat, actorId, 'left');
    const [heir] = await tx
      .select({ userId: chatMembers.userId })
      .from(chatMembers)
      .where(eq(chatMembers.chatId, chatId))
      .orderBy(asc(chatMembers.joinedAt), asc(chatMembers.userId))
      .limit(1);
    if (!heir) {
      await tx.delete(chats).where(eq(chats.id, chatId));
      return;
    }
    // Not read by the one who left: they are no longer a member.
    const [actor, user] = await linePair(tx, actorId, heir.userId);
    await writeSystemLine(tx, chat, actor, { type: 'left' }, { actorReads: false });
    if (chat.ownerId === actorId) {
      await tx.update(chats).set({ ownerId: heir.userId }).where(eq(chats.id, chatId));
      await insertChatEvent(tx, chatId, 'chat.owner_changed', { chatId, ownerId: heir.userId });
      await writeSystemLine(tx, chat, actor, { type: 'owner', user, auto: true }, { actorReads: false });
    }
  });
  deps.hub.announce();
}

/**
 * The owner makes another member the owner (and stays a member). Only the
 * owner may; the new owner must be in the group.
 */
export async function passOwnership(deps: Deps, actorId: string, chatId: string, userId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const chat = await accessOwnedGroup(tx, actorId, chatId);
    if (userId === actorId) throw invalid('You already own this group.', 'userId');
    const [member] = await tx
      .select({ userId: chatMembers.userId })
      .from(chatMembers)
      .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, userId)));
    if (!member) throw invalid('That user is not in this group.', 'userId');
    await tx.update(chats).set({ ownerId: userId }).where(eq(chats.id, chatId));
    await insertChatEvent(tx, chatId, 'chat.owner_changed', { chatId, ownerId: userId });
    const [actor, user] = await linePair(tx, actorId, userId);
    await writeSystemLine(tx, chat, actor, { type: 'owner', user, auto: false });
  });
  deps.hub.announce();
}

/** Deletes the group, its members and its history, for everyone. */
export async function deleteGroup(deps: Deps, actorId: string, chatId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await accessOwnedGroup(tx, actorId, chatId);
    const members = await tx
      .select({ userId: chatMembers.userId })
      .from(chatMembers)
      .where(eq(chatMembers.chatId, chatId));
    await tx.delete(chats).where(eq(chats.id, chatId));
    await insertUserEvents(
      tx,
      members.map((m) => m.userId),
      'chat.left',
      () => ({ chatId, reason: 'deleted' }),
    );
  });
  deps.hub.announce();
}

export interface ChatDetails {
  chat: ChatSummary;
  members: (Profile & { joinedAt: Date })[];
}

/** A chat with its members (for the info panel). Members only. */
export async function getChat(deps: Pick<Deps, 'db'>, actorId: string, chatId: string): Promise<ChatDetails> {
  const chat = await accessChat(deps.db, actorId, chatId);
  const rows = await deps.db
    .select({ userId: chatMembers.userId, joinedAt: chatMembers.joinedAt })
    .from(chatMembers)
    .where(eq(chatMembers.chatId, chatId))
    .orderBy(asc(chatMembers.joinedAt), asc(chatMembers.userId));
  const profiles = await loadProfiles(
    deps.db,
    rows.map((r) => r.userId),
  );
  return {
    chat: await summariseChat(deps.db, actorId, chat),
    members: rows.flatMap((r) => {
      const p = profiles.get(r.userId);
      return p ? [{ ...p, joinedAt: r.joinedAt }] : [];
    }),
  };
}
