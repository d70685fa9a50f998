/**
 * The one statement that stores messages: a list of sends, text or images,
 * judged each on its own and written together, as its own transaction
 * (docs/send-path.md walks through it). Every rule it applies is written
 * once and used from here: the session (`sessions` row), the `message.send`
 * limit (`RateLimits.counters`), membership (`isMemberCondition`), the
 * contact rule (`mayWriteSql`), the images (the sender's unattached uploads
 * in this chat), the message replied to (in this chat), the chat's seq, the sender's receipt, the event log's lock
 * (`lockEventLog`) and the message's view (`createdMessagePayloadSql`).
 */
import { chatReceipts, chats, contacts, messages, sessions, uploads } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import superjson, { type SuperJSONResult } from 'superjson';
import type { Deps } from '../../deps';
import { jsonOf, prepareStatement } from '../../sql';
import { isMemberCondition } from '../access/chats';
import { mayWriteSql, peerSql } from '../access/writing';
import { asDate, lockEventLog, type StoredEvent, storedChatEvent } from '../events/store';
import { createdMessagePayloadSql, type MessageView, messageColumns } from './view';

/** One send as the statement takes it (a row of its `sends` JSON array). */
export interface SendRow {
  /** Arrival order in the list. */
  ord: number;
  id: string;
  chat_id: string;
  actor: string;
  body: string;
  limit_key: string;
  /** The sender's session to check here (not looked up in this call), or null. */
  session: string | null;
  /** Upload ids, in display order; empty for text. */
  images: string[];
  /** The message this one replies to, or null. */
  reply_to: string | null;
}

/** What the statement found for one send. */
export type SendVerdict =
  /** Stored, with the event that announces it (the hub routes it without reading it back). */
  | { kind: 'created'; view: MessageView; event: StoredEvent }
  /** The session to check no longer exists: nothing written, nothing counted. */
  | { kind: 'signed_out' }
  /** Past the sender's `message.send` limit: counted, nothing else written. */
  | { kind: 'limited'; expire: Date }
  /** A message with this id was stored before: a retry of this send, or a clash. */
  | { kind: 'earlier'; senderId: string; chatId: string; body: string | null; replyToId: string | null }
  | { kind: 'not_member' }
  | { kind: 'not_contacts' }
  /** An image is not the sender's unattached upload in this chat. */
  | { kind: 'images' }
  /** The message replied to is not a message of this chat. */
  | { kind: 'reply_to' }
  /** The message replied to is a line about the group. */
  | { kind: 'reply_to_line' };

const P = { sends: sql.placeholder('sends'), limitPoints: sql.placeholder('limitPoints') };

/** One send's values, for the statement's one-send form. */
const one = (name: keyof SendRow) => sql.placeholder(`one_${name}`);

/**
 * Where the statement reads its sends: a JSON array of `SendRow`s, or one
 * send's values as a row of its own. The rest of the statement is the same
 * text. With one row the planner knows it is one, and reads each table by
 * its key; `jsonb_to_recordset` is planned as a hundred rows, which made it
 * hash whole tables for a lone send (docs/send-path.md, step 4).
 */
type Source = 'list' | 'one';

const sources: Record<Source, SQL> = {
  list: sql`select * from jsonb_to_recordset(${P.sends}::jsonb)
      as s(ord int, id uuid, chat_id uuid, actor uuid, body text, limit_key text, session text, images uuid[], reply_to uuid)`,
  one: sql`select ${one('ord')}::int as ord, ${one('id')}::uuid as id, ${one('chat_id')}::uuid as chat_id,
      ${one('actor')}::uuid as actor, ${one('body')}::text as body, ${one('limit_key')}::text as limit_key,
      ${one('session')}::text as session, ${one('images')}::uuid[] as images, ${one('reply_to')}::uuid as reply_to`,
};

const columnList = sql.join(
  Object.values(messageColumns).map((c) => sql.identifier(c.name)),
  sql`, `,
);

/** The statement as drizzle SQL, its values placeholders: for `runSendStatement`, and for reading its plan. */
export function sendStatementSql(deps: Deps, source: Source = 'list'): SQL {
  const member = isMemberCondition(sql`s.actor`, sql`s.chat_id`);
  // A reply answers a message of the same chat, stored before this statement (the sender is a member
  // of it, so may see the message). Only a reply reads anything; by the original's key.
  const replyInChat = sql`(s.reply_to is null
    or exists (select 1 from ${messages} r where r.id = s.reply_to and r.chat_id = s.chat_id))`;
  // ...and a person's words: a line about the group is nobody's to answer (rules.ts, checkWrittenByPerson).
  const replyToPerson = sql`(s.reply_to is null
    or not exists (select 1 from ${messages} r where r.id = s.reply_to and r.system is not null))`;
  return sql`with given as materialized (${sources[source]}),
  input as materialized (
    -- The sends whose session exists or was checked by the caller; each the sender's rank-th of n here.
    -- The session by its key, send by send (offset 0 keeps the test a subplan): as a semi-join the
    -- planner hashed the whole sessions table for every batch (docs/send-path.md, step 4).
    select s.*, row_number() over (partition by s.limit_key order by s.ord)::int as rank,
      count(*) over (partition by s.limit_key)::int as n
    from given s
    where s.session is null
      or exists (select 1 from ${sessions} x where x.id = s.session and x.user_id = s.actor offset 0)),
  counted as materialized (${deps.limits.counters(sql`select distinct limit_key, n from input`)}),
  locked as materialized (
    -- The membership test as a scalar subquery, so it runs per send on its index; as a semi-join
    -- the planner may hash the whole chat_members table for one send.
    select c.id, c.kind, c.direct_key, c.last_seq from ${chats} c
    where c.id in (select s.chat_id from input s where (select ${member}))
    order by c.id
    for update of c),
  member as materialized (
    select s.*, l.kind, l.direct_key, l.last_seq
    from input s join locked l on l.id = s.chat_id
    where ${member}),
  contact as materialized (
    select k.user_id, k.contact_id from ${contacts} k
    where (k.user_id, k.contact_id) in (
      select s.actor, ${peerSql(sql`s.direct_key`, sql`s.actor`)} from member s where s.kind = 'direct')
    order by k.user_id, k.contact_id
    for share of k),
  may_write as materialized (
    select s.* from member s where ${mayWriteSql(sql`s.kind`, sql`s.direct_key`, sql`s.actor`, sql`contact`)}),
  images as materialized (
    select s.ord, u.id, u.kind, u.content_type, u.file_name, u.bytes, u.width, u.height, u.thumb_width, u.thumb_height,
      array_position(s.images, u.id) - 1 as position
    from may_write s join ${uploads} u on u.id = any(s.images)
    where u.uploader_id = s.actor and u.chat_id = s.chat_id and u.message_id is null
    order by u.id
    for update of u),
  allowed as materialized (
    -- has_image (search's has:image, a quote's "image"): an image among the uploads, not a file (files, issue 27).
    select s.ord, s.id, s.chat_id, s.actor, s.body,
      exists (select 1 from images i where i.ord = s.ord and i.kind = 'image') as has_image, s.reply_to,
      s.last_seq + row_number() over (partition by s.chat_id order by s.ord) as seq
    from may_write s join counted c on c.key = s.limit_key
    where c.points - s.n + s.rank <= ${P.limitPoints}::int
      and cardinality(s.images) = (select count(*) from images i where i.ord = s.ord)
      and not exists (select 1 from ${messages} m where m.id = s.id)
      and ${replyInChat} and ${replyToPerson}),
  ins as (
    insert into ${messages} (id, chat_id, sender_id, seq, body, has_image, reply_to_id, created_at)
    select id, chat_id, actor, seq, body, has_image, reply_to, clock_timestamp() from allowed order by ord
    returning ${columnList}),
  upd as (
    update ${chats} set last_seq = x.seq, last_activity_at = x.created_at
    from (select distinct on (chat_id) chat_id, seq, created_at from ins order by chat_id, seq desc) x
    where ${chats.id} = x.chat_id
    returning 1),
  receipt as (
    -- Your own message is read by you: it never counts as unread on your other devices.
    insert into ${chatReceipts} (chat_id, user_id, delivered_seq, read_seq)
    select distinct on (chat_id, sender_id) chat_id, sender_id, seq, seq from ins order by chat_id, sender_id, seq desc
    on conflict (chat_id, user_id) do update
      set delivered_seq = excluded.delivered_seq, read_seq = excluded.read_seq, updated_at = now()
    returning 1),
  attach as (
    update ${uploads} u set message_id = a.id, position = i.position
    from images i join allowed a on a.ord = i.ord
    where u.id = i.id
    returning 1),
  log_lock as materialized (${lockEventLog(sql`from (select 1 from ins limit 1) as one`)}),
  ev as (
    insert into events (user_id, chat_id, message_id, type, payload)
    select null, ins.chat_id, ins.id, 'message.created',
      ${createdMessagePayloadSql(sql`ins`, sql`(select * from images x where x.ord = a.ord)`)}
    from log_lock cross join ins join allowed a on a.id = ins.id
    order by a.ord
    returning id, message_id, created_at, payload)
select
  -- What became of each send, in the order send.ts reads it; a case runs only the tests it needs.
  case
    when s.ord is null then 'signed_out'
    when ev.id is not null then 'created'
    when c.points - s.n + s.rank > ${P.limitPoints}::int then 'limited'
    when e.id is not null then 'earlier'
    when not exists (select 1 from member m where m.ord = g.ord) then 'not_member'
    when not exists (select 1 from may_write w where w.ord = g.ord) then 'not_contacts'
    when cardinality(g.images) <> (select count(*) from images i where i.ord = g.ord) then 'images'
    when not (select ${replyInChat} from may_write s where s.ord = g.ord) then 'reply_to'
    when not (select ${replyToPerson} from may_write s where s.ord = g.ord) then 'reply_to_line'
  end as verdict,
  c.expire, e.sender_id as earlier_sender, e.chat_id as earlier_chat, e.body as earlier_body,
  e.reply_to_id as earlier_reply_to,
  ev.id as event_id, ev.created_at as event_at, ev.payload
from given g left join input s on s.ord = g.ord left join counted c on c.key = s.limit_key
  left join ev on ev.message_id = g.id
  -- By its key, row by row: a join the planner may hash would read the whole messages table.
  left join lateral (select m.id, m.sender_id, m.chat_id, m.body, m.reply_to_id from ${messages} m where m.id = g.id and ev.id is null offset 0) e on true
order by g.ord`;
}

/** The statements, built once per database (`prepareStatement`): drizzle's building costs as much as a round trip. */
const statements = new WeakMap<Deps['db'], Record<Source, ReturnType<typeof prepareStatement>>>();

/** A PostgreSQL array literal of uuids (they come validated from the procedure's input). */
const uuidArrayLiteral = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * Runs the statement for `sends` (distinct message ids and upload ids) and
 * says, for each in order, what it found. One statement, so either all of
 * it commits or nothing of it does.
 */
export async function runSendStatement(deps: Deps, sends: readonly SendRow[]): Promise<SendVerdict[]> {
  let built = statements.get(deps.db);
  if (!built) {
    built = {
      list: prepareStatement(deps.db, sendStatementSql(deps, 'list')),
      one: prepareStatement(deps.db, sendStatementSql(deps, 'one')),
    };
    statements.set(deps.db, built);
  }
  const { limitPoints, limitNow, limitNext } = deps.limits.counterValues('message.send');
  const counter = { limitPoints, limitNow, limitNext };
  const [only] = sends;
  const rows =
    only && sends.length === 1
      ? await built.one({
          ...counter,
          one_ord: only.ord,
          one_id: only.id,
          one_chat_id: only.chat_id,
          one_actor: only.actor,
          one_body: only.body,
          one_limit_key: only.limit_key,
          one_session: only.session,
          one_images: uuidArrayLiteral(only.images),
          one_reply_to: only.reply_to,
        })
      : await built.list({ ...counter, sends: JSON.stringify(sends) });
  if (rows.length !== sends.length) throw new Error(`a list of ${sends.length} sends returned ${rows.length} rows`);
  return rows.map((row): SendVerdict => {
    switch (row.verdict) {
      case 'signed_out':
      case 'not_member':
      case 'not_contacts':
      case 'images':
      case 'reply_to':
      case 'reply_to_line':
        return { kind: row.verdict };
      case 'created':
        return { kind: 'created', ...createdEvent(row) };
      case 'limited':
        return { kind: 'limited', expire: asDate(row.expire) };
      case 'earlier':
        return {
          kind: 'earlier',
          senderId: String(row.earlier_sender),
          chatId: String(row.earlier_chat),
          body: row.earlier_body === null ? null : String(row.earlier_body),
          replyToId: row.earlier_reply_to === null ? null : String(row.earlier_reply_to),
        };
      default:
        throw new Error('a send wrote nothing, yet it was allowed and its id is free');
    }
  });
}

/** The event a statement returned for a stored message, as the hub routes it. */
function createdEvent(row: Record<string, unknown>): { view: MessageView; event: StoredEvent } {
  const payload = superjson.deserialize<{ message: MessageView }>(jsonOf(row.payload) as SuperJSONResult);
  const event = storedChatEvent(Number(row.event_id), row.event_at, payload.message.chatId, 'message.created', payload);
  return { view: payload.message, event };
}
