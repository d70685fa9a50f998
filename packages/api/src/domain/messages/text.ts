/**
 * Storing a text message (no images), the common send: the sender's
 * `message.send` rate limit, the membership and contact checks, the message,
 * its chat's seq, the sender's receipt and the `message.created` event, in
 * one statement that is its own transaction (send.ts explains why one).
 *
 * Group commit: while a send's statement is in flight, the sends that arrive
 * meanwhile wait, and then go together in one statement (`batchSend`), so
 * they share one commit and one hold of the event log's lock, which every
 * event writer holds through its commit (events/cursor.ts) and which capped
 * durable sends at ~1,600/s one commit each (load/REPORT.md, seventh
 * session). A lone send waits for nothing. The batch keeps what one send
 * promises: each send is counted against its own sender's limit in arrival
 * order, checked against its own chat, refused on its own, and numbered in
 * its chat in arrival order; if the batch's statement fails as a whole,
 * nothing of it was written, and each of its sends is stored again alone,
 * so one bad send fails only itself.
 */
import { chatReceipts, chats, contacts, messages, sessions } from '@chat/db';
import { sql } from 'drizzle-orm';
import superjson, { type SuperJSONResult } from 'superjson';
import type { Deps } from '../../deps';
import { jsonOf, prepareStatement } from '../../sql';
import { chatAccessQuery, isMemberCondition } from '../access/chats';
import { asDate, EVENT_LOG_LOCK, type StoredEvent, storedChatEvent } from '../events/store';
import type { MessageView } from './view';

export interface TextSendInput {
  id: string;
  chatId: string;
  body: string;
}

/**
 * The `message.created` payload of a new text message, built by PostgreSQL in
 * superjson's form (what `insertChatEvent` stores): the same JSON that
 * `superjson.serialize({ message: view })` gives, which a test checks.
 * `created_at` is cut to milliseconds, as a JavaScript Date holds it.
 */
const createdPayload = sql`jsonb_build_object(
  'json', jsonb_build_object('message', jsonb_build_object(
    'id', ins.id, 'chatId', ins.chat_id, 'senderId', ins.sender_id, 'seq', ins.seq, 'body', ins.body,
    'createdAt', to_char(ins.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'editedAt', null, 'deletedAt', null, 'attachments', '[]'::jsonb, 'reactions', '[]'::jsonb)),
  'meta', jsonb_build_object('values', jsonb_build_object('message.createdAt', jsonb_build_array('Date')), 'v', 1))`;

export type TextSend =
  /** Stored, with the event that announces it (for the hub: it need not read it back). */
  | { kind: 'created'; view: MessageView; event: StoredEvent }
  /** Past the sender's `message.send` limit: counted, nothing else written. */
  | { kind: 'limited'; expire: Date }
  /** Not a member (or no such chat), not contacts, or the id is taken: nothing was written. */
  | { kind: 'refused'; member: boolean; mayWrite: boolean }
  /** The sender's unchecked session (`storeText`) no longer exists: nothing written, nothing counted. */
  | { kind: 'signed_out' };

/** The values of the text send statement's placeholders (besides the counter's). */
const P = {
  actor: sql.placeholder('actor'),
  chat: sql.placeholder('chat'),
  id: sql.placeholder('id'),
  body: sql.placeholder('body'),
  /** The sender's session to check, or null (checked by the caller). */
  session: sql.placeholder('session'),
};

/** The statement, built once per database (`prepareStatement`): drizzle's building cost as much as the round trip. */
const textSends = new WeakMap<Deps['db'], ReturnType<typeof prepareStatement>>();

function textSend(deps: Deps): ReturnType<typeof prepareStatement> {
  const built = textSends.get(deps.db);
  if (built) return built;
  const chat = chatAccessQuery(deps.db, P.actor, P.chat, { lock: true });
  const statement = prepareStatement(
    deps.db,
    sql`with signed_in as materialized (
    select ${P.session}::text is null
      or exists (select 1 from ${sessions} x where x.id = ${P.session}::text and x.user_id = ${P.actor}::uuid) as ok),
  counted as materialized (${deps.limits.counter(sql`(select ok from signed_in)`)}),
  chat as materialized (${chat}),
  contact as materialized (
    select 1 from ${contacts} k, chat
    where chat.kind = 'direct' and k.user_id = ${P.actor}::uuid
      and k.contact_id = (case when split_part(chat.direct_key, ':', 1) = ${P.actor}::text
        then split_part(chat.direct_key, ':', 2) else split_part(chat.direct_key, ':', 1) end)::uuid
    for share of k),
  allowed as materialized (
    select chat.* from chat
    where (chat.kind <> 'direct' or exists (select 1 from contact))
      and (select points from counted) <= ${sql.placeholder('limitPoints')}::int),
  ins as (
    insert into ${messages} (id, chat_id, sender_id, seq, body, has_image, created_at)
    select ${P.id}::uuid, allowed.id, ${P.actor}::uuid, allowed.last_seq + 1, ${P.body}::text, false, clock_timestamp()
    from allowed
    on conflict (id) do nothing
    returning id, chat_id, sender_id, seq, body, created_at),
  upd as (
    update ${chats} set last_seq = ins.seq, last_activity_at = ins.created_at from ins where ${chats.id} = ins.chat_id
    returning 1),
  receipt as (
    insert into ${chatReceipts} (chat_id, user_id, delivered_seq, read_seq) select ins.chat_id, ins.sender_id, ins.seq, ins.seq from ins
    on conflict (chat_id, user_id) do update
      set delivered_seq = excluded.delivered_seq, read_seq = excluded.read_seq, updated_at = now()
    returning 1),
  log_lock as materialized (select pg_advisory_xact_lock(${EVENT_LOG_LOCK}) from ins),
  ev as (
    insert into events (user_id, chat_id, message_id, type, payload)
    select null, ins.chat_id, ins.id, 'message.created', ${createdPayload} from log_lock cross join ins
    returning id, created_at, payload)
select (select ok from signed_in) as signed_in,
  (select count(*) from chat)::int as member, (select count(*) from allowed)::int as may_write,
  (select points from counted) as points, (select expire from counted) as expire,
  ev.id as event_id, ev.created_at as event_at, ev.payload as payload
from (select 1) as one left join ev on true`,
  );
  textSends.set(deps.db, statement);
  return statement;
}

/**
 * Everything the send procedure does for a message without images, as one
 * statement: the sender's `message.send` rate limit (counted in the limiter's
 * own row, `RateLimits.counter`), the membership check (`chatAccessQuery`, locking the chat row),
 * the contact check of a one-to-one chat (locking the contact row, so a
 * removal committed while we waited is seen), the insert (nothing if the id
 * exists), the chat's seq, the sender's receipt, and the event, whose id is
 * drawn under the log's lock after the message row exists. With a session
 * to check, nothing of it happens unless that session exists.
 */
async function storeOne(deps: Deps, send: Send): Promise<TextSend> {
  const limit = deps.limits.counterValues('message.send', send.actorId);
  const [row] = await textSend(deps)({
    ...limit,
    actor: send.actorId,
    chat: send.input.chatId,
    id: send.input.id,
    body: send.input.body,
    session: send.sessionId ?? null,
  });
  if (!row) throw new Error('the send statement returned no row');
  if (row.signed_in === false) return { kind: 'signed_out' };
  if (row.payload) return { kind: 'created', ...createdEvent(row) };
  if (Number(row.points) > limit.limitPoints) return { kind: 'limited', expire: asDate(row.expire) };
  return { kind: 'refused', member: Number(row.member) > 0, mayWrite: Number(row.may_write) > 0 };
}

/** The event a statement returned for a stored message, as the hub routes it. */
function createdEvent(row: Record<string, unknown>): { view: MessageView; event: StoredEvent } {
  const payload = superjson.deserialize<{ message: MessageView }>(jsonOf(row.payload) as SuperJSONResult);
  const event = storedChatEvent(Number(row.event_id), row.event_at, payload.message.chatId, 'message.created', payload);
  return { view: payload.message, event };
}

/** A batch's statement, built once per database. Its one value is `sends`, a JSON array of `BatchRow`. */
const batchSends = new WeakMap<Deps['db'], ReturnType<typeof prepareStatement>>();

interface BatchRow {
  /** Arrival order in the batch. */
  ord: number;
  id: string;
  chat_id: string;
  actor: string;
  body: string;
  limit_key: string;
  /** The session to check, or null. */
  session: string | null;
}

function batchSend(deps: Deps): ReturnType<typeof prepareStatement> {
  const built = batchSends.get(deps.db);
  if (built) return built;
  const peer = sql`(case when split_part(l.direct_key, ':', 1) = s.actor::text
    then split_part(l.direct_key, ':', 2) else split_part(l.direct_key, ':', 1) end)::uuid`;
  const statement = prepareStatement(
    deps.db,
    sql`with given as materialized (
    select * from jsonb_to_recordset(${sql.placeholder('sends')}::jsonb)
      as s(ord int, id uuid, chat_id uuid, actor uuid, body text, limit_key text, session text)),
  input as materialized (
    -- The sends whose session is checked here and exists, or was checked before;
    -- each the sender's rank-th of n in the batch.
    select s.*, row_number() over (partition by s.limit_key order by s.ord)::int as rank,
      count(*) over (partition by s.limit_key)::int as n
    from given s
    where s.session is null
      or exists (select 1 from ${sessions} x where x.id = s.session and x.user_id = s.actor)),
  counted as materialized (${deps.limits.counters(sql`select distinct limit_key, n from input`)}),
  locked as materialized (
    select c.id, c.kind, c.direct_key, c.last_seq from ${chats} c
    where c.id in (select s.chat_id from input s where ${isMemberCondition(sql`s.actor`, sql`s.chat_id`)})
    order by c.id
    for update of c),
  member as materialized (
    select s.*, l.kind, l.last_seq, case when l.kind = 'direct' then ${peer} end as peer
    from input s join locked l on l.id = s.chat_id
    where ${isMemberCondition(sql`s.actor`, sql`s.chat_id`)}),
  contact as materialized (
    select k.user_id, k.contact_id from ${contacts} k
    where (k.user_id, k.contact_id) in (select s.actor, s.peer from member s where s.kind = 'direct')
    order by k.user_id, k.contact_id
    for share of k),
  may_write as materialized (
    select s.* from member s
    where s.kind <> 'direct' or (s.actor, s.peer) in (select user_id, contact_id from contact)),
  allowed as materialized (
    select s.ord, s.id, s.chat_id, s.actor, s.body,
      s.last_seq + row_number() over (partition by s.chat_id order by s.ord) as seq
    from may_write s join counted c on c.key = s.limit_key
    where c.points - s.n + s.rank <= ${sql.placeholder('limitPoints')}::int
      and not exists (select 1 from ${messages} m where m.id = s.id)),
  ins as (
    insert into ${messages} (id, chat_id, sender_id, seq, body, has_image, created_at)
    select id, chat_id, actor, seq, body, false, clock_timestamp() from allowed order by ord
    returning id, chat_id, sender_id, seq, body, created_at),
  upd as (
    update ${chats} set last_seq = x.seq, last_activity_at = x.created_at
    from (select distinct on (chat_id) chat_id, seq, created_at from ins order by chat_id, seq desc) x
    where ${chats.id} = x.chat_id
    returning 1),
  receipt as (
    insert into ${chatReceipts} (chat_id, user_id, delivered_seq, read_seq)
    select distinct on (chat_id, sender_id) chat_id, sender_id, seq, seq from ins order by chat_id, sender_id, seq desc
    on conflict (chat_id, user_id) do update
      set delivered_seq = excluded.delivered_seq, read_seq = excluded.read_seq, updated_at = now()
    returning 1),
  log_lock as materialized (select pg_advisory_xact_lock(${EVENT_LOG_LOCK}) from (select 1 from ins limit 1) as one),
  ev as (
    insert into events (user_id, chat_id, message_id, type, payload)
    select null, ins.chat_id, ins.id, 'message.created', ${createdPayload}
    from log_lock cross join ins join allowed a on a.id = ins.id
    order by a.ord
    returning id, message_id, created_at, payload)
select g.ord, s.ord is not null as signed_in, exists (select 1 from member m where m.ord = g.ord) as member,
  exists (select 1 from may_write w where w.ord = g.ord) as may_write,
  c.points - s.n + s.rank as points, c.expire, ev.id as event_id, ev.created_at as event_at, ev.payload
from given g left join input s on s.ord = g.ord left join counted c on c.key = s.limit_key
  left join ev on ev.message_id = s.id
order by g.ord`,
  );
  batchSends.set(deps.db, statement);
  return statement;
}

/** A text send, and the sender's session if the statement is to check it. */
interface Send {
  actorId: string;
  input: TextSendInput;
  sessionId?: string;
}

interface Pending extends Send {
  resolve: (outcome: TextSend) => void;
  reject: (error: unknown) => void;
}

/** Stores a batch of sends (distinct ids) in one statement: their outcomes, in order, and the events written. */
async function storeBatch(deps: Deps, batch: Pending[]): Promise<TextSend[]> {
  const first = batch[0];
  if (!first) return [];
  const { limitKey: _, ...limit } = deps.limits.counterValues('message.send', first.actorId);
  const sends: BatchRow[] = batch.map((p, ord) => ({
    ord,
    id: p.input.id,
    chat_id: p.input.chatId,
    actor: p.actorId,
    body: p.input.body,
    limit_key: deps.limits.limitKey('message.send', p.actorId),
    session: p.sessionId ?? null,
  }));
  const rows = await batchSend(deps)({ ...limit, sends: JSON.stringify(sends) });
  if (rows.length !== batch.length) throw new Error(`a batch of ${batch.length} sends returned ${rows.length} rows`);
  return rows.map((row) => {
    if (row.signed_in === false) return { kind: 'signed_out' };
    if (row.payload) return { kind: 'created', ...createdEvent(row) };
    if (Number(row.points) > limit.limitPoints) return { kind: 'limited', expire: asDate(row.expire) };
    return { kind: 'refused', member: row.member === true, mayWrite: row.may_write === true };
  });
}

/** At most this many sends share a statement. */
const MAX_BATCH = 256;
/** Statements of one process in flight at once (each a batch): a slow one does not hold up every send. */
const MAX_IN_FLIGHT = 2;

/** The sends of one database waiting for a statement, and those in flight. */
class TextSendQueue {
  private readonly waiting: Pending[] = [];
  /** Ids of sends in flight: a repeat of one waits for it, then finds it stored. */
  private readonly flying = new Set<string>();
  /** Chats with sends in flight: in one statement only (`take`), so a chat is in one batch at a time. */
  private readonly flyingChats = new Set<string>();
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly deps: Deps) {}

  store(send: Send): Promise<TextSend> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...send, resolve, reject });
      // Sends that arrive in the same turn (a burst of WebSocket calls) go together.
      if (this.scheduled) return;
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight += 1;
      for (const p of batch) {
        this.flying.add(p.input.id);
        this.flyingChats.add(p.input.chatId);
      }
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        for (const p of batch) {
          this.flying.delete(p.input.id);
          this.flyingChats.delete(p.input.chatId);
        }
        this.pump();
      });
    }
  }

  /**
   * The next batch in arrival order: distinct ids, none in flight, and no
   * chat with a send in flight (those stay, in order), so a chat's sends are
   * numbered in the order they arrived here, a sender's back-to-back
   * messages included.
   */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const ids = new Set<string>();
    let kept = 0;
    for (const p of this.waiting) {
      const { id, chatId } = p.input;
      if (batch.length < MAX_BATCH && !ids.has(id) && !this.flying.has(id) && !this.flyingChats.has(chatId)) {
        batch.push(p);
        ids.add(id);
      } else {
        this.waiting[kept++] = p;
      }
    }
    this.waiting.length = kept;
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    const [only] = batch;
    if (only && batch.length === 1) {
      await this.settle(only, storeOne(this.deps, only));
      return;
    }
    let outcomes: TextSend[];
    try {
      outcomes = await storeBatch(this.deps, batch);
    } catch {
      // One statement, so nothing of the batch was written (or, had the
      // connection failed after its commit, every message is stored, and a
      // send alone finds its message). Each send alone: one bad send, or a
      // repeat of an id another process was storing, fails only itself.
      // In arrival order, one after another: a sender's messages keep their order.
      for (const p of batch) await this.settle(p, storeOne(this.deps, p));
      return;
    }
    // Events in commit order, as one run: the hub routes them without reading them back.
    const events = outcomes.flatMap((o) => (o.kind === 'created' ? [o.event] : []));
    if (events.length > 0) this.deps.hub.announce(events);
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome) p.resolve(outcome);
      else p.reject(new Error('a batched send has no outcome'));
    });
  }

  private async settle(p: Pending, outcome: Promise<TextSend>): Promise<void> {
    try {
      const done = await outcome;
      if (done.kind === 'created') this.deps.hub.announce(done.event);
      p.resolve(done);
    } catch (error) {
      p.reject(error);
    }
  }
}

/** One queue per server process's deps (several deps on one database are several queues: correct, only fewer batches). */
const queues = new WeakMap<Deps, TextSendQueue>();

/**
 * Stores a text message, alone or in a batch with others sent meanwhile, and
 * hands its event to the hub once committed. `created` only once its commit
 * is done; `limited` and `refused` wrote nothing but the limit's count;
 * `signed_out` (only with `sessionId`, a session the caller did not look up)
 * wrote nothing at all.
 */
export function storeText(deps: Deps, actorId: string, input: TextSendInput, sessionId?: string): Promise<TextSend> {
  let queue = queues.get(deps);
  if (!queue) {
    queue = new TextSendQueue(deps);
    queues.set(deps, queue);
  }
  return queue.store({ actorId, input, sessionId });
}
