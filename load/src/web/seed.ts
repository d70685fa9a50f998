/**
 * The browser benchmark's database: one person ("bench-me", signed in by a
 * session row written here) in a large group with a long history, a small
 * group, a one-to-one chat and, optionally, a group with a very long history.
 * Written through drizzle's query builder into a freshly migrated database
 * (PGlite or PostgreSQL alike), before the server opens it: PGlite is one
 * process's. Every chat is read up to its newest message, so each opens at
 * its newest messages rather than at a "New messages" line.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  chatMembers,
  chatReceipts,
  chats,
  contacts,
  type Database,
  messages,
  openDatabase,
  sessions,
  users,
} from '@chat/db';
import { hash } from '@node-rs/argon2';
import { LOAD_PASSWORD } from '../seed/population';
import { messageBody, random } from './bodies';

export interface WebSeedSizes {
  /** Members of the large group, the benchmark's user among them (at most 300). */
  members: number;
  /** Messages in the large group. */
  messages: number;
  /** Messages in the optional group with a long history (0: none). */
  longHistory: number;
  /** Groups of three (the user and two others) for a tab to receive messages in (0: none). */
  receiveChats: number;
}

export interface SeededChat {
  id: string;
  path: string;
  members: number;
  messages: number;
  /** `data-message-id` of the newest and the oldest message. */
  newestId: string;
  oldestId: string;
}

export interface WebSeed {
  userId: string;
  /** The session cookie's value (`chat_session`). */
  sessionId: string;
  big: SeededChat;
  small: SeededChat;
  direct: SeededChat;
  long: SeededChat | null;
  /** The groups to send into while a tab is open, and the cookie of a member who sends. */
  receive: { chats: SeededChat[]; senderCookie: string } | null;
}

const SMALL_MEMBERS = 8;
const SMALL_MESSAGES = 60;
const DIRECT_MESSAGES = 40;
const LONG_MEMBERS = 10;
const ROWS_PER_INSERT = 1_000;
const hashParams = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

async function insertChunked<T>(rows: T[], insert: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await insert(rows.slice(i, i + ROWS_PER_INSERT));
}

/**
 * A chat's messages, newest a minute ago, in bursts (seven in ten follow the
 * previous one within 5–90 s, the rest after 2–60 minutes, so days turn over
 * in a long history), from its members in runs (each next message by the
 * same sender as the one before with even odds): the day and sender grouping
 * of a real history.
 */
function planMessages(chatId: string, memberIds: string[], count: number, next: () => number) {
  const at: number[] = new Array(count);
  let t = Date.now() - 60_000;
  for (let i = count - 1; i >= 0; i--) {
    at[i] = t;
    t -= next() < 0.7 ? 5_000 + next() * 85_000 : 120_000 + next() * 3_480_000;
  }
  let sender = memberIds[0] as string;
  return at.map((time, i) => {
    if (i === 0 || next() < 0.5) sender = memberIds[Math.floor(next() * memberIds.length)] as string;
    return {
      id: randomUUID(),
      chatId,
      senderId: sender,
      seq: i + 1,
      body: messageBody(next),
      createdAt: new Date(time),
    };
  });
}

async function writeChat(
  db: Database,
  options: { kind: 'group' | 'direct'; name: string | null; memberIds: string[]; messages: number; me: string },
  next: () => number,
): Promise<SeededChat> {
  const id = randomUUID();
  const { kind, memberIds } = options;
  const rows = planMessages(id, memberIds, options.messages, next);
  const newest = rows[rows.length - 1];
  const oldest = rows[0];
  if (!newest || !oldest) throw new Error('a benchmark chat needs at least one message');
  const directKey = kind === 'direct' ? [...memberIds].sort().join(':') : null;
  // The benchmark's user is a plain member of a group (as most of its members are), not its owner.
  const owner = kind === 'group' ? (memberIds.find((m) => m !== options.me) ?? options.me) : null;
  await db.insert(chats).values({
    id,
    kind,
    name: options.name,
    ownerId: owner,
    directKey,
    memberCount: memberIds.length,
    lastSeq: rows.length,
    lastActivityAt: newest.createdAt,
  });
  await insertChunked(
    memberIds.map((userId) => ({ chatId: id, userId })),
    (part) => db.insert(chatMembers).values(part),
  );
  await insertChunked(rows, (part) => db.insert(messages).values(part));
  await db
    .insert(chatReceipts)
    .values({ chatId: id, userId: options.me, deliveredSeq: rows.length, readSeq: rows.length });
  return {
    id,
    path: `/groups/${id}`,
    members: memberIds.length,
    messages: rows.length,
    newestId: newest.id,
    oldestId: oldest.id,
  };
}

/** Seeds a migrated database at `target` (PostgreSQL's URL or PGlite's directory). */
export async function seedWebBench(
  target: { databaseUrl?: string | undefined; dataDir?: string | undefined },
  sizes: WebSeedSizes,
): Promise<WebSeed> {
  const handle = await openDatabase(target);
  const db = handle.db;
  const next = random(28);
  try {
    const passwordHash = await hash(LOAD_PASSWORD, hashParams);
    const runId = randomBytes(3).toString('hex');
    const people = Array.from({ length: Math.max(sizes.members, LONG_MEMBERS, SMALL_MEMBERS) }, (_, i) => ({
      id: randomUUID(),
      username: i === 0 ? `bench-me-${runId}` : `bench-${runId}-${String(i).padStart(3, '0')}`,
      displayName: i === 0 ? 'Bench Me' : `Member ${i}`,
      passwordHash,
    }));
    await insertChunked(people, (part) => db.insert(users).values(part));
    const ids = people.map((p) => p.id);
    const me = ids[0] as string;
    const peer = ids[1] as string;
    await db.insert(contacts).values([
      { userId: me, contactId: peer },
      { userId: peer, contactId: me },
    ]);
    const sessionId = randomBytes(20).toString('hex');
    const expiresAt = new Date(Date.now() + 7 * 86_400_000);
    await db.insert(sessions).values({ id: sessionId, userId: me, expiresAt, userAgent: 'chat-bench-web' });

    const receiveChats: SeededChat[] = [];
    for (let i = 0; i < sizes.receiveChats; i++) {
      const memberIds = [me, peer, ids[2] as string];
      receiveChats.push(
        await writeChat(db, { kind: 'group', name: `Feed ${i + 1}`, memberIds, messages: 1, me }, next),
      );
    }
    const senderSession = randomBytes(20).toString('hex');
    if (receiveChats.length > 0) {
      await db.insert(sessions).values({ id: senderSession, userId: peer, expiresAt, userAgent: 'chat-bench-web' });
    }
    const receive =
      receiveChats.length > 0 ? { chats: receiveChats, senderCookie: `chat_session=${senderSession}` } : null;
    const long =
      sizes.longHistory > 0
        ? await writeChat(
            db,
            {
              kind: 'group',
              name: 'Long history',
              memberIds: ids.slice(0, LONG_MEMBERS),
              messages: sizes.longHistory,
              me,
            },
            next,
          )
        : null;
    const direct = await writeChat(
      db,
      { kind: 'direct', name: null, memberIds: [me, peer], messages: DIRECT_MESSAGES, me },
      next,
    );
    const big = await writeChat(
      db,
      {
        kind: 'group',
        name: `Big group (${sizes.members})`,
        memberIds: ids.slice(0, sizes.members),
        messages: sizes.messages,
        me,
      },
      next,
    );
    const small = await writeChat(
      db,
      { kind: 'group', name: 'Small group', memberIds: ids.slice(0, SMALL_MEMBERS), messages: SMALL_MESSAGES, me },
      next,
    );
    return {
      userId: me,
      sessionId,
      big,
      small,
      direct: { ...direct, path: `/chats/@${people[1]?.username}` },
      long,
      receive,
    };
  } finally {
    await handle.close();
  }
}
