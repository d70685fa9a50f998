/**
 * Who may see whom (DESIGN.md invariant 6): a user sees their own profile,
 * their contacts', and those of people they share a chat with. To anyone else
 * a profile does not exist: the same answer as for an unknown username.
 */
import type { Executor } from '@chat/db';
import { chatMembers, chats, contacts, users } from '@chat/db';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { notFound } from '../../errors';
import { type Profile, profileColumns, toProfile } from '../profiles/summary';

export const PROFILE_NOT_FOUND = 'No such user, or you cannot see them.';

export async function canSeeProfile(db: Executor, viewerId: string, targetId: string): Promise<boolean> {
  if (viewerId === targetId) return true;
  const [row] = await db
    .select({ ok: sql<number>`1` })
    .from(users)
    .where(
      and(
        eq(users.id, targetId),
        sql`(exists (select 1 from ${contacts} where ${contacts.userId} = ${viewerId} and ${contacts.contactId} = ${targetId})
          or exists (select 1 from ${chatMembers} a join ${chatMembers} b on a.chat_id = b.chat_id
                     where a.user_id = ${viewerId} and b.user_id = ${targetId}))`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Loads a profile by id if the viewer may see it; otherwise "not found". */
export async function accessProfile(db: Executor, viewerId: string, targetId: string): Promise<Profile> {
  if (!(await canSeeProfile(db, viewerId, targetId))) throw notFound(PROFILE_NOT_FOUND);
  const [row] = await db.select(profileColumns).from(users).where(eq(users.id, targetId));
  if (!row) throw notFound(PROFILE_NOT_FOUND);
  return toProfile(row);
}

/** The same, by username (case-insensitive). */
export async function accessProfileByUsername(db: Executor, viewerId: string, username: string): Promise<Profile> {
  const [row] = await db.select(profileColumns).from(users).where(sql`lower(${users.username}) = lower(${username})`);
  if (!row || !(await canSeeProfile(db, viewerId, row.id))) throw notFound(PROFILE_NOT_FOUND);
  return toProfile(row);
}

/**
 * Everyone who may see `userId`'s profile (the rule above, asked the other
 * way round): their contacts and everyone they share a chat with. Presence
 * goes to exactly these people.
 */
export async function listProfileViewers(db: Executor, userId: string): Promise<string[]> {
  const mine = alias(chatMembers, 'mine');
  const theirs = alias(chatMembers, 'theirs');
  const rows = await db
    .select({ id: contacts.contactId })
    .from(contacts)
    .where(eq(contacts.userId, userId))
    .union(
      db
        .select({ id: theirs.userId })
        .from(mine)
        .innerJoin(theirs, eq(theirs.chatId, mine.chatId))
        .where(and(eq(mine.userId, userId), ne(theirs.userId, userId))),
    );
  return rows.map((r) => r.id);
}

/**
 * Who is told live when `userId` comes online or goes offline: their contacts
 * and the other side of their one-to-one chats. A subset of the viewers above,
 * on purpose: pushing every connect to all co-members of 300-member groups
 * cost 300 deliveries per connect and stalled the server when a thousand
 * people connected at once (docs/presence.md, "Who is told live"). Group
 * members' states are read on demand (`presence.list`).
 */
export async function listPresenceWatchers(db: Executor, userId: string): Promise<string[]> {
  return (await listPresenceWatchersOf(db, [userId])).get(userId) ?? [];
}

/** `listPresenceWatchers` for several users in one query: each user's watchers (users with none are absent). */
export async function listPresenceWatchersOf(db: Executor, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const mine = alias(chatMembers, 'mine');
  const theirs = alias(chatMembers, 'theirs');
  const rows = await db
    .select({ subject: contacts.userId, watcher: contacts.contactId })
    .from(contacts)
    .where(inArray(contacts.userId, userIds))
    .union(
      db
        .select({ subject: mine.userId, watcher: theirs.userId })
        .from(mine)
        .innerJoin(chats, and(eq(chats.id, mine.chatId), eq(chats.kind, 'direct')))
        .innerJoin(theirs, eq(theirs.chatId, mine.chatId))
        .where(and(inArray(mine.userId, userIds), ne(theirs.userId, mine.userId))),
    );
  for (const r of rows) {
    const list = out.get(r.subject);
    if (list) list.push(r.watcher);
    else out.set(r.subject, [r.watcher]);
  }
  return out;
}
