/**
 * The hubs' read of the event log (`readAllAfter`, through `events_after` of
 * migration 0013): every event after a position, in id order, up to a limit,
 * and read by walking the primary key even on a young log analyzed almost
 * empty, where the planner left to itself reads the whole table and sorts it
 * on every read (docs/capacity.md, "The hubs' log reads").
 */
import { openTestDatabase } from '@chat/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllAfter, readHead } from '../src/domain/events/store';
import { rowsOf } from '../src/sql';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const chatId = '00000000-0000-4000-8000-000000000029';
const ROWS = 600;

beforeAll(async () => {
  database = await openTestDatabase();
  // Statistics taken while the log is empty, as a fresh deployment's first ANALYZE leaves them.
  await database.db.execute(sql`analyze events`);
  await database.db.execute(sql`
    insert into events (chat_id, type, payload)
    select ${chatId}::uuid, 'message.created', jsonb_build_object('json', jsonb_build_object('n', g))
    from generate_series(1, ${ROWS}) as g`);
});
afterAll(async () => {
  await database?.drop();
});

/** What one call of the function read from `events`: the backend's counts before and after it, in one transaction. */
async function scansOf(after: number, limit: number) {
  return database.db.transaction(async (tx) => {
    const counts = async () => {
      const [row] = rowsOf(
        await tx.execute(
          sql`select coalesce(seq_scan, 0)::int as seq, coalesce(idx_scan, 0)::int as idx, coalesce(seq_tup_read, 0)::int as seq_rows
              from pg_stat_xact_user_tables where relname = 'events'`,
        ),
      );
      return { seq: Number(row?.seq ?? 0), idx: Number(row?.idx ?? 0), seqRows: Number(row?.seq_rows ?? 0) };
    };
    const before = await counts();
    const rows = rowsOf(await tx.execute(sql`select id from events_after(${after}::bigint, ${limit}::int)`));
    const after_ = await counts();
    return {
      ids: rows.map((r) => Number(r.id)),
      read: { seq: after_.seq - before.seq, idx: after_.idx - before.idx, seqRows: after_.seqRows - before.seqRows },
    };
  });
}

describe('the hubs’ log read', () => {
  it('returns the events after the position, in id order, at most the limit', async () => {
    const head = await readHead(database.db);
    const tail = await readAllAfter(database.db, { id: head.id - 5 }, 1000);
    expect(tail.map((e) => e.position.id)).toEqual([1, 2, 3, 4, 5].map((i) => head.id - 5 + i));
    expect(tail.every((e) => e.event.chatId === chatId && e.event.type === 'message.created')).toBe(true);
    expect(tail[4]?.event.payload).toEqual({ n: ROWS });

    const page = await readAllAfter(database.db, { id: 0 }, 250);
    expect(page).toHaveLength(250);
    expect(page.map((e) => e.position.id)).toEqual([...page.map((e) => e.position.id)].sort((a, b) => a - b));
    expect(await readAllAfter(database.db, head, 1000)).toEqual([]);
  });

  it('walks the primary key on a young log instead of reading it whole', async () => {
    const head = await readHead(database.db);
    const { ids, read } = await scansOf(head.id - 3, 1000);
    expect(ids).toEqual([head.id - 2, head.id - 1, head.id]);
    expect(read).toEqual({ seq: 0, idx: 1, seqRows: 0 });
  });
});
