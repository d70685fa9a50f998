/**
 * Where a search looks (DESIGN.md invariant 6): the chats the actor is a
 * member of now, narrowed by in:, and the filters resolved to ids and times.
 * A filter naming nothing the actor can search is a mistake worth saying.
 */
import { chatMembers, type Executor, users } from '@chat/db';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { invalid } from '../../errors';
import { listReadableChats, type ReadableChat } from '../access/chats';
import type { ChatRef, ParsedQuery } from './parse';

export interface SearchScope {
  /** The chats searched: readable by the actor, narrowed by in:. */
  chats: ReadableChat[];
  /** About how many messages they hold (deleted ones included). */
  messageCount: number;
  /** from: the senders, or null for anyone. */
  senderIds: string[] | null;
  /** Sent at or after / before these instants (the days' starts in the searcher's time zone). */
  after: Date | null;
  before: Date | null;
  hasImage: boolean;
}

const fail = (message: string) => invalid(message, 'q');

/** Midnight starting `day` (YYYY-MM-DD) where the clock is `utcOffsetMinutes` ahead of UTC. */
export function dayStart(day: string, utcOffsetMinutes: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - utcOffsetMinutes * 60_000);
}

async function resolveSenders(db: Executor, names: string[]): Promise<string[] | null> {
  if (names.length === 0) return null;
  const lower = [...new Set(names.map((n) => n.toLowerCase()))];
  const rows = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(sql`lower(${users.username})`, lower));
  const found = new Set(rows.map((r) => r.username.toLowerCase()));
  const missing = lower.find((n) => !found.has(n));
  if (missing !== undefined) throw fail(`No one is called @${missing}.`);
  return rows.map((r) => r.id);
}

/** The one-to-one chats among `readable` whose other person is one of `names`. */
async function directChatsWith(
  db: Executor,
  actorId: string,
  readable: ReadableChat[],
  names: string[],
): Promise<ReadableChat[]> {
  const direct = readable.filter((c) => c.kind === 'direct').map((c) => c.id);
  if (direct.length === 0 || names.length === 0) return [];
  const rows = await db
    .select({ chatId: chatMembers.chatId, username: users.username })
    .from(chatMembers)
    .innerJoin(users, eq(users.id, chatMembers.userId))
    .where(
      and(
        inArray(chatMembers.chatId, direct),
        ne(chatMembers.userId, actorId),
        inArray(
          sql`lower(${users.username})`,
          names.map((n) => n.toLowerCase()),
        ),
      ),
    );
  const ids = new Set(rows.map((r) => r.chatId));
  for (const name of names) {
    if (!rows.some((r) => r.username.toLowerCase() === name.toLowerCase())) {
      throw fail(`You have no chat with @${name}.`);
    }
  }
  return readable.filter((c) => ids.has(c.id));
}

async function narrowChats(
  db: Executor,
  actorId: string,
  readable: ReadableChat[],
  refs: ChatRef[],
): Promise<ReadableChat[]> {
  if (refs.length === 0) return readable;
  const groupNames = refs.filter((r) => r.kind === 'group').map((r) => r.name);
  const groups = groupNames.flatMap((name) => {
    const matches = readable.filter((c) => c.kind === 'group' && c.name?.toLowerCase() === name.toLowerCase());
    if (matches.length === 0) throw fail(`You are in no group called “${name}”.`);
    return matches;
  });
  const directNames = refs.filter((r) => r.kind === 'direct').map((r) => r.name);
  const direct = await directChatsWith(db, actorId, readable, directNames);
  const chosen = new Set([...groups, ...direct].map((c) => c.id));
  return readable.filter((c) => chosen.has(c.id));
}

export async function resolveScope(
  db: Executor,
  actorId: string,
  parsed: ParsedQuery,
  utcOffsetMinutes: number,
): Promise<SearchScope> {
  const readable = await listReadableChats(db, actorId);
  const chats = await narrowChats(db, actorId, readable, parsed.in);
  return {
    chats,
    messageCount: chats.reduce((sum, c) => sum + c.lastSeq, 0),
    senderIds: await resolveSenders(db, parsed.from),
    after: parsed.after ? dayStart(parsed.after, utcOffsetMinutes) : null,
    before: parsed.before ? dayStart(parsed.before, utcOffsetMinutes) : null,
    hasImage: parsed.hasImage,
  };
}
