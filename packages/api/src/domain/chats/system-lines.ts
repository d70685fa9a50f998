/**
 * Lines about a group in its timeline: created, renamed, member added,
 * removed, left, ownership passed. Each is a message of the group (a row of
 * `messages` with `system` set), written by the group change in its own
 * transaction, with its `message.created` event: it takes the next seq, is
 * in the log exactly once with the change, and reaches members by the same
 * stream and history as messages, under the same rule (access/chats.ts:
 * current members read the chat; a chat event goes to whoever is a member
 * when it is routed, so a removed member does not get the line about it).
 *
 * A line names the people in it as they were called then (`LinePerson`), so
 * the chat list can show "Ana added Ben" without knowing the group's members;
 * its sender is whoever caused it, so it never counts as unread for them.
 */

import { randomUUID } from 'node:crypto';
import { type Chat, chatReceipts, chats, type Executor, messages } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import { insertChatEvent } from '../events/store';
import { loadMessageView, type MessageView } from '../messages/view';
import { loadProfiles } from '../profiles/summary';
import type { LinePerson, SystemLine } from './line-view';

export type { LinePerson, SystemLine };

/** What happened, without who did it (`writeSystemLine` adds the actor); distributed over the union's members. */
type Change = SystemLine extends infer L ? (L extends SystemLine ? Omit<L, 'actor'> : never) : never;

/** The people of a line, as they are called now (the line keeps it). */
export async function linePeople(db: Executor, ids: string[]): Promise<Map<string, LinePerson>> {
  const profiles = await loadProfiles(db, ids);
  return new Map(
    [...profiles.values()].map((p) => [p.id, { id: p.id, username: p.username, displayName: p.displayName }]),
  );
}

export async function linePerson(db: Executor, id: string): Promise<LinePerson> {
  const [person] = await linePair(db, id, id);
  return person;
}

/** Who caused a line, and whom it is about. */
export async function linePair(db: Executor, actorId: string, userId: string): Promise<[LinePerson, LinePerson]> {
  const people = await linePeople(db, [actorId, userId]);
  const actor = people.get(actorId);
  const user = people.get(userId);
  if (!actor || !user) throw new Error('no user for a line');
  return [actor, user];
}

/**
 * Writes the line into the group, inside the change's transaction (the chat's
 * row already locked by it, as a send locks it for its seq). `actorReads`:
 * the actor is still a member, so the line is read by them (as a sender's own
 * message is) and never unread on their other devices.
 */
export async function writeSystemLine(
  tx: Executor,
  chat: Pick<Chat, 'id'>,
  actor: LinePerson,
  change: Change,
  options: { actorReads: boolean } = { actorReads: true },
): Promise<MessageView> {
  const line = { ...change, actor } as SystemLine;
  const [next] = await tx
    .update(chats)
    .set({ lastSeq: sql`${chats.lastSeq} + 1`, lastActivityAt: sql`clock_timestamp()` })
    .where(eq(chats.id, chat.id))
    .returning({ seq: chats.lastSeq, at: chats.lastActivityAt });
  if (!next) throw new Error('the group of a line vanished');
  const [row] = await tx
    .insert(messages)
    .values({
      id: randomUUID(),
      chatId: chat.id,
      senderId: actor.id,
      seq: next.seq,
      body: null,
      createdAt: next.at,
      system: line as unknown as Record<string, unknown>,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  if (options.actorReads) {
    const seen = { deliveredSeq: next.seq, readSeq: next.seq };
    await tx
      .insert(chatReceipts)
      .values({ chatId: chat.id, userId: actor.id, ...seen })
      .onConflictDoUpdate({
        target: [chatReceipts.chatId, chatReceipts.userId],
        set: { ...seen, updatedAt: sql`now()` },
      });
  }
  const view = await loadMessageView(tx, row);
  await insertChatEvent(tx, chat.id, 'message.created', { message: view }, row.id);
  return view;
}
