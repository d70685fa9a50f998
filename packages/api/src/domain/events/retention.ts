/**
 * Events are kept for a while (EVENT_RETENTION_DAYS), then pruned. The newest
 * pruned position is remembered as the floor: a client resuming from below it
 * may have missed something, so it is told to resync instead of being served
 * a silent gap.
 */
import type { Database, Executor } from '@chat/db';
import { eventLogFloor, events } from '@chat/db';
import { and, desc, lt, sql } from 'drizzle-orm';
import { comparePositions, type Position, START } from './cursor';

export async function readFloor(db: Executor): Promise<Position> {
  const [row] = await db.select().from(eventLogFloor);
  return row ? { xid: BigInt(row.xid), id: row.id } : START;
}

/** True when events after `cursor` may already have been pruned. */
export async function isBelowFloor(db: Executor, cursor: Position): Promise<boolean> {
  return comparePositions(cursor, await readFloor(db)) < 0;
}

/** Deletes events created before `cutoff` (and every event ordered before them); returns how many. */
export async function pruneEvents(db: Database, cutoff: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const [newest] = await tx
      .select({ xid: events.xid, id: events.id })
      .from(events)
      .where(and(lt(events.createdAt, cutoff), sql`${events.xid} < pg_snapshot_xmin(pg_current_snapshot())`))
      .orderBy(desc(events.xid), desc(events.id))
      .limit(1);
    if (!newest) return 0;
    const at = sql`(${newest.xid}::xid8, ${newest.id}::bigint)`;
    await tx
      .insert(eventLogFloor)
      .values({ singleton: true, xid: newest.xid, id: newest.id })
      .onConflictDoUpdate({
        target: eventLogFloor.singleton,
        set: { xid: newest.xid, id: newest.id },
        setWhere: sql`(${eventLogFloor.xid}, ${eventLogFloor.id}) < ${at}`,
      });
    const deleted = await tx
      .delete(events)
      .where(sql`(${events.xid}, ${events.id}) <= ${at}`)
      .returning({ id: events.id });
    return deleted.length;
  });
}
