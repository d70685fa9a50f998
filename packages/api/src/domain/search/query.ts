/**
 * The SQL of each shape (plan.ts). All return the same columns, newest first.
 * Each is written so the planner cannot swap it for another: `collect` and
 * `intersect` fence the sort off (a materialized CTE, no LIMIT inside) so
 * every match is read from the index; `collect` hides the chat test from
 * the index (only the words are looked up), `intersect` leaves it visible so
 * the (chat_id, search_vector) index answers both. The walks wrap the word
 * test in `is true`, which no index matches, so they read by time and stop
 * at `limit`; their transaction also turns bitmap and sequential scans off
 * (searchSettings in search.ts). `walk`, `per-chat` and `sender` read
 * indexes by time that hold each row's short vector and has_image
 * (migration 0006), so a row whose words do not match is passed over without
 * visiting the table. `sender` is the walk along one sender's messages
 * (messages_sender_idx, on sender_id, created_at, id, holds them too).
 */
import { type SQL, sql } from 'drizzle-orm';
import { uuidArray } from '../../sql';
import type { Shape } from './plan';

export interface HitsQuery {
  shape: Shape;
  chatIds: string[];
  /** Words to match (with exclusions folded in), or null. */
  text: SQL | null;
  /** Without words: exclusions only, as one tsquery matching any of them. */
  excluded: SQL | null;
  senderIds: string[] | null;
  after: Date | null;
  before: Date | null;
  hasImage: boolean;
  /** Keyset: strictly older than this (created_at as PostgreSQL's text, id). */
  olderThan: { at: string; id: string } | null;
  /** Relevance's fixed window: sent at or before this instant. */
  upTo: string | null;
  limit: number;
  /** Also return the vector (for ranking). */
  withVector: boolean;
}

/** The words' test: `indexed` for the index to answer, `tested` for a walk (no index matches it). */
function textTests(q: HitsQuery, how: 'indexed' | 'tested'): SQL[] {
  const c: SQL[] = [];
  if (q.text)
    c.push(how === 'indexed' ? sql`m.search_vector @@ ${q.text}` : sql`(m.search_vector @@ ${q.text}) is true`);
  if (q.excluded) c.push(sql`not (m.search_vector @@ ${q.excluded})`);
  return c;
}

/** after:/before: on the row named `alias` (the chooser estimates the same conditions). */
export function periodConditions(after: Date | null, before: Date | null, alias: 'm' | 'c'): SQL[] {
  const a = sql.raw(alias);
  const c: SQL[] = [];
  if (after) c.push(sql`${a}.created_at >= ${after.toISOString()}::timestamptz`);
  if (before) c.push(sql`${a}.created_at < ${before.toISOString()}::timestamptz`);
  return c;
}

/** The time limits, on the row named `alias`. */
function timeConditions(q: HitsQuery, alias: 'm' | 'c'): SQL[] {
  const a = sql.raw(alias);
  const c = periodConditions(q.after, q.before, alias);
  if (q.upTo) c.push(sql`${a}.created_at <= ${q.upTo}::timestamptz`);
  if (q.olderThan) {
    // The first test lets an index on created_at seek; the second breaks ties.
    const { at, id } = q.olderThan;
    c.push(
      sql`${a}.created_at <= ${at}::timestamptz`,
      sql`(${a}.created_at, ${a}.id) < (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  return c;
}

/**
 * Everything but the chats and the words, on the table's row. `fetched`: the time limits and
 * has:image were already tested on the index entry the row was found by.
 */
function conditions(q: HitsQuery, stage: 'whole' | 'fetched' = 'whole'): SQL[] {
  // Lines about a group (system) have no body, so no words: this keeps them out of searches by filters alone.
  const c: SQL[] = [sql`m.deleted_at is null`, sql`m.system is null`];
  if (q.senderIds) c.push(sql`m.sender_id = any(${uuidArray(q.senderIds)})`);
  if (stage === 'whole') {
    c.push(...timeConditions(q, 'm'));
    if (q.hasImage) c.push(sql`m.has_image`);
  }
  return c;
}

function columns(q: HitsQuery): SQL {
  const base = sql`m.id, m.chat_id, m.sender_id, m.seq, m.body, m.created_at, m.edited_at`;
  return q.withVector ? sql`${base}, m.search_vector` : base;
}

const newestFirst = sql`order by created_at desc, id desc`;
/** The same, for candidates read from an index by time (`c`). */
const candidatesNewestFirst = sql`order by c.created_at desc, c.id desc`;

/** The hits of one shape: at most `limit` rows, newest first. */
export function hitsQuery(q: HitsQuery): SQL {
  if (q.chatIds.length === 0) return sql`select ${columns(q)} from messages m where false`;
  switch (q.shape) {
    case 'collect':
    case 'intersect': {
      const inChats = sql`m.chat_id = any(${uuidArray(q.chatIds)})`;
      const chats = q.shape === 'collect' ? sql`(${inChats}) is true` : inChats;
      const where = sql.join([chats, ...textTests(q, 'indexed'), ...conditions(q)], sql` and `);
      return sql`with hits as materialized (select ${columns(q)} from messages m where ${where})
        select * from hits ${newestFirst} limit ${q.limit}`;
    }
    case 'walk': {
      // Newest first through the whole table's index by time, which holds each row's chat and short
      // vector: rows of other chats and short messages without the words are passed over in the
      // index; the rest are fetched and tested in full. One test, so that the chat is tested first.
      const visible = sql`case when c.chat_id = any(${uuidArray(q.chatIds)}) then ${headTest(q)} else false end`;
      return fetched(
        q,
        sql.join([visible, ...imageCondition(q), ...timeConditions(q, 'c')], sql` and `),
        candidatesNewestFirst,
      );
    }
    case 'sender': {
      // The same along one sender's messages (messages_sender_idx, which holds chat and short vector).
      const senders = q.senderIds ? [sql`c.sender_id = any(${uuidArray(q.senderIds)})`] : [];
      const visible = sql`case when c.chat_id = any(${uuidArray(q.chatIds)}) then ${headTest(q)} else false end`;
      // Ordered by sender first, only the sender's index gives this order without a sort.
      const order =
        q.senderIds?.length === 1
          ? sql`order by c.sender_id desc, c.created_at desc, c.id desc`
          : sql`order by c.created_at desc, c.id desc`;
      return fetched(
        q,
        sql.join([...senders, visible, ...imageCondition(q), ...timeConditions(q, 'c')], sql` and `),
        order,
      );
    }
    case 'per-chat': {
      // Each chat's index by time, newest first, merged (Merge Append stops once `limit` rows have
      // passed, so a chat is read only back to the oldest row returned); the index holds the short
      // vector, so only candidates are fetched.
      const branches = q.chatIds.map(
        (id) =>
          sql`(select c.id, c.created_at from messages c where ${sql.join(
            [sql`c.chat_id = ${id}::uuid`, headTest(q), ...imageCondition(q), ...timeConditions(q, 'c')],
            sql` and `,
          )} order by c.created_at desc, c.id desc)`,
      );
      return fetched(q, null, candidatesNewestFirst, sql.join(branches, sql` union all `));
    }
  }
}

/** Whether a row's short vector may match (a long message has none, and is always a candidate). */
function headTest(q: HitsQuery): SQL {
  if (q.text) return sql`(c.search_head @@ ${q.text}) is not false`;
  if (q.excluded) return sql`(not (c.search_head @@ ${q.excluded})) is not false`;
  return sql`true`;
}

/** has:image, read from the index by time (which holds has_image). */
function imageCondition(q: HitsQuery): SQL[] {
  return q.hasImage ? [sql`c.has_image`] : [];
}

/**
 * Candidates read newest first from an index that holds the short vector (`c`: the rows passing
 * `where`, or the union of per-chat candidates), each then fetched and tested in full (`m`).
 */
function fetched(q: HitsQuery, where: SQL | null, order: SQL, union?: SQL): SQL {
  const candidates = union ? sql`(${union}) c` : sql`messages c`;
  const tests = sql.join([...textTests(q, 'tested'), ...conditions(q, 'fetched')], sql` and `);
  return sql`select ${columns(q)} from ${candidates} join messages m on m.id = c.id
    where ${where ? sql`${where} and ` : sql``}${tests}
    ${order} limit ${q.limit}`;
}
