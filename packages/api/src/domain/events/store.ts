/** Reading and writing the event log. See cursor.ts for the ordering rule. */
import type { Database, Executor } from '@chat/db';
import { chatMembers, eventLogFloor, events, messages, sessions } from '@chat/db';
import { and, desc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import superjson, { type SuperJSONResult } from 'superjson';
import { jsonOf, perDatabase, prepareStatement } from '../../sql';
import { replyQuoteJsonSql } from '../messages/quote';
import type { MessageView } from '../messages/view';
import { type Position, START } from './cursor';
import type { ChatEvent, EventPayloads, EventType } from './types';

/** Events whose payload is exactly `{ message }`. */
const MESSAGE_EVENTS: EventType[] = ['message.created', 'message.edited', 'message.deleted'];

export interface StoredEvent {
  position: Position;
  event: ChatEvent;
  /** Set for an event addressed to one user; otherwise `event.chatId` names its audience. */
  userId: string | null;
}

const after = (p: Position) => gt(events.id, p.id);

/** The lock every event writer holds until commit (cursor.ts explains why). */
export const EVENT_LOG_LOCK = 7_201_001;

/**
 * Taking the event log's lock, as a query for a statement's CTE: every event
 * writer takes it through here, `from` (a FROM clause) saying when (the send
 * statement takes it only once a message row exists).
 */
export function lockEventLog(from: SQL = sql``): SQL {
  return sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK}) ${from}`;
}

interface NewEvent {
  userId: string | null;
  chatId: string | null;
  messageId: string | null;
  type: EventType;
  payload: Record<string, unknown>;
}

/**
 * Takes the log's lock and inserts the rows in one statement: the lock is held
 * from here until the commit, so one round trip fewer is one client turn
 * fewer that every other writer waits for (the lock is what limits durable
 * writes: docs/event-stream.md, "The event log's lock"). The ids (the
 * sequence's default) are drawn after the lock, as cursor.ts needs:
 * a row is inserted only once the join with the lock's row has produced it.
 */
async function insertLocked(tx: Executor, rows: NewEvent[]): Promise<void> {
  const values = rows.map(
    (r) =>
      sql`(${r.userId}::uuid, ${r.chatId}::uuid, ${r.messageId}::uuid, ${r.type}::text, ${JSON.stringify(r.payload)}::jsonb)`,
  );
  await tx.execute(sql`with lock as materialized (${lockEventLog()})
    insert into events (user_id, chat_id, message_id, type, payload)
    select v.user_id, v.chat_id, v.message_id, v.type, v.payload
    from lock cross join (values ${sql.join(values, sql`, `)}) as v(user_id, chat_id, message_id, type, payload)`);
}

type Row = typeof events.$inferSelect;

function toStored(row: Pick<Row, 'id' | 'userId' | 'chatId' | 'type' | 'payload' | 'createdAt'>): StoredEvent {
  return {
    position: { id: row.id },
    userId: row.userId,
    event: {
      id: row.id,
      type: row.type as EventType,
      chatId: row.chatId,
      payload: superjson.deserialize(row.payload as unknown as SuperJSONResult),
      at: row.createdAt,
    } as ChatEvent,
  };
}

/** A timestamp column read by a raw statement: a Date, or the text drizzle's postgres.js mapping leaves (read as drizzle reads it). */
export function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  throw new Error(`expected a timestamp from the database, got ${typeof value}`);
}

/**
 * A chat event its writer read back in the statement that inserted it: what
 * `readAllAfter` would make of that row, so the hub can route it unread.
 */
export function storedChatEvent<K extends EventType>(
  id: number,
  at: unknown,
  chatId: string,
  type: K,
  payload: EventPayloads[K],
): StoredEvent {
  return { position: { id }, userId: null, event: { id, type, chatId, payload, at: asDate(at) } as ChatEvent };
}

/** Payloads are stored as superjson, so dates come back as dates. */
const json = (payload: unknown) => superjson.serialize(payload) as unknown as Record<string, unknown>;

/** Writes an event addressed to one user. Call inside the change's own transaction. */
export async function insertUserEvent<K extends EventType>(
  tx: Executor,
  userId: string,
  type: K,
  payload: EventPayloads[K],
): Promise<void> {
  await insertLocked(tx, [{ userId, chatId: null, messageId: null, type, payload: json(payload) }]);
}

/** The same event to several users, one row each (for the few events that must reach former members). */
export async function insertUserEvents<K extends EventType>(
  tx: Executor,
  userIds: string[],
  type: K,
  payload: (userId: string) => EventPayloads[K],
): Promise<void> {
  if (userIds.length === 0) return;
  await insertLocked(
    tx,
    userIds.map((userId) => ({ userId, chatId: null, messageId: null, type, payload: json(payload(userId)) })),
  );
}

/**
 * Writes an event addressed to a chat: one row, delivered to whoever is a
 * member when it is read (so a removed member gets nothing after removal).
 */
export async function insertChatEvent<K extends EventType>(
  tx: Executor,
  chatId: string,
  type: K,
  payload: EventPayloads[K],
  /** For message events: lets a later delete scrub the text from this row too. */
  messageId?: string,
): Promise<void> {
  await insertLocked(tx, [{ userId: null, chatId, messageId: messageId ?? null, type, payload: json(payload) }]);
}

/**
 * Rewrites the message copy inside every event about it, so an edit or a
 * delete leaves no old text in the log ("its text is gone from the database").
 */
export async function rewriteMessageEvents(tx: Executor, message: MessageView): Promise<void> {
  await tx
    .update(events)
    .set({ payload: json({ message } satisfies EventPayloads['message.created']) })
    .where(and(eq(events.messageId, message.id), inArray(events.type, MESSAGE_EVENTS)));
}

/**
 * After a message was edited or deleted (its row already changed in `tx`):
 * the stored events of its replies get its quote as it is now, so a replayed
 * reply shows the new text, and a deleted message's text leaves the log with
 * its own events (messages/quote.ts).
 */
export async function rewriteReplyQuotes(tx: Executor, originalId: string): Promise<void> {
  const quote = sql`(select ${replyQuoteJsonSql(sql`o`)} from ${messages} o where o.id = ${originalId})`;
  await tx
    .update(events)
    .set({ payload: sql`jsonb_set(${events.payload}, '{json,message,replyTo}', ${quote})` })
    .where(
      and(
        sql`${events.messageId} in (select r.id from ${messages} r where r.reply_to_id = ${originalId})`,
        inArray(events.type, MESSAGE_EVENTS),
      ),
    );
}

/** Current members of the given chats: the audience of chat events, read once per batch. */
/** One text whatever the number of chats (`= any` of one array), built and prepared once. */
const audiencesOf = perDatabase((db: Database) =>
  db
    .select({ chatId: chatMembers.chatId, userId: chatMembers.userId })
    .from(chatMembers)
    .where(sql`${chatMembers.chatId} = any(${sql.placeholder('chatIds')}::uuid[])`)
    .prepare('audiences'),
);

export async function readAudiences(db: Database, chatIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (chatIds.length === 0) return out;
  const rows = await audiencesOf(db).execute({ chatIds });
  for (const r of rows) {
    const list = out.get(r.chatId);
    if (list) list.push(r.userId);
    else out.set(r.chatId, [r.userId]);
  }
  return out;
}

/** The newest committed position: where a fresh stream starts. */
export async function readHead(db: Database): Promise<Position> {
  const [row] = await db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
  return row ? { id: row.id } : START;
}

/**
 * Every event after `from`, for one server process to route to its local
 * subscribers. Every process runs this on every wake-up, so it goes through
 * `events_after` (migration 0013), whose plan walks the primary key whatever
 * the log's statistics say (docs/capacity.md, "The hubs' log reads").
 */
export async function readAllAfter(db: Database, from: Position, limit: number): Promise<StoredEvent[]> {
  const found = await allAfter(db)({ from: from.id, limit });
  return found.map(storedFromRaw);
}

/** An event row as a raw statement returns it (snake_case columns), read as drizzle reads the table. */
function storedFromRaw(r: Record<string, unknown>): StoredEvent {
  return toStored({
    id: Number(r.id),
    userId: (r.user_id as string | null) ?? null,
    chatId: (r.chat_id as string | null) ?? null,
    type: String(r.type),
    payload: jsonOf(r.payload) as Row['payload'],
    createdAt: asDate(r.created_at),
  });
}

/** The hub's read, built once per database. */
const allAfter = perDatabase((db: Database) =>
  prepareStatement(
    db,
    sql`select id, user_id, chat_id, type, payload, created_at
    from events_after(${sql.placeholder('from')}::bigint, ${sql.placeholder('limit')}::int)`,
  ),
);

/** Where a stream or a poll starts, and its first page, read together (`openLog`). */
export interface Opening {
  /** The cursor given was below the floor (retention.ts): the stream starts at the head instead. */
  resync: boolean;
  from: Position;
  /** The user's first `limit` events after `from`. */
  page: StoredEvent[];
  /** False when a session was given to check and it no longer exists (ended before this snapshot). */
  sessionFound: boolean;
}

/** `openLog`'s statement, built once per database (it runs at every stream start: a storm runs thousands). */
const openLogStatement = perDatabase((db: Database) => {
  const given = sql`${sql.placeholder('given')}::bigint`;
  const session = sql`${sql.placeholder('sessionId')}::text`;
  return prepareStatement(
    db,
    sql`with bounds as materialized (
    select coalesce((select ${eventLogFloor.id} from ${eventLogFloor}), 0) as floor,
      coalesce((select ${events.id} from ${events} order by ${events.id} desc limit 1), 0) as head,
      ${session} is null or exists (select 1 from ${sessions} where ${sessions.id} = ${session}) as session_found),
  start as materialized (
    select case when ${given} is null or ${given} < floor then greatest(head, floor) else ${given} end as id,
      ${given} < floor as resync, session_found
    from bounds)
select start.id as start_id, start.resync, start.session_found, e.id, e.user_id, e.chat_id, e.type, e.payload, e.created_at
from start left join lateral (
  select ev.id, ev.user_id, ev.chat_id, ev.type, ev.payload, ev.created_at from ${events} ev
  where (ev.user_id = ${sql.placeholder('userId')}::uuid
      or ev.chat_id in (select m.chat_id from ${chatMembers} m where m.user_id = ${sql.placeholder('userId')}::uuid))
    and ev.id > start.id
  order by ev.id limit ${sql.placeholder('limit')}::int) e on true
order by e.id`,
  );
});

/**
 * One statement, so one snapshot, for what a (re)connecting stream needs
 * first: the floor, the head when it starts there, and the user's events
 * after its start. (A fresh stream's page is empty: the head is the newest
 * event of that snapshot.) `cursor` is null for a fresh start.
 *
 * `sessionId`, when given, is looked up in the same snapshot: a stream whose
 * session was checked earlier (at its WebSocket's upgrade) learns here whether
 * it ended since. If it ended before this snapshot, `sessionFound` is false;
 * if after, its `session.ended` event is after the head read here, so the
 * stream will read it. Either way the stream does not outlive its session.
 */
export async function openLog(
  db: Database,
  userId: string,
  cursor: Position | null,
  limit: number,
  sessionId: string | null = null,
): Promise<Opening> {
  const rows = await openLogStatement(db)({ given: cursor ? cursor.id : null, sessionId, userId, limit });
  const first = rows[0];
  if (!first) throw new Error('opening the event log returned no row');
  const page = rows.flatMap((r) => (r.id === null || r.id === undefined ? [] : [storedFromRaw(r)]));
  return {
    resync: first.resync === true,
    from: { id: Number(first.start_id) },
    page,
    sessionFound: first.session_found === true,
  };
}

/** One user's events after `from`: the backlog a (re)connecting stream reads. */
export async function readUserAfter(
  db: Database,
  userId: string,
  from: Position,
  limit: number,
): Promise<StoredEvent[]> {
  const audience = or(
    eq(events.userId, userId),
    inArray(
      events.chatId,
      db.select({ chatId: chatMembers.chatId }).from(chatMembers).where(eq(chatMembers.userId, userId)),
    ),
  );
  const found = await db
    .select()
    .from(events)
    .where(and(audience, after(from)))
    .orderBy(events.id)
    .limit(limit);
  return found.map(toStored);
}
