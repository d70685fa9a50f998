/**
 * Events are kept for a while (EVENT_RETENTION_DAYS), then pruned. The newest
 * pruned position is remembered as the floor: a client resuming from below it
 * may have missed something, so it is told to resync instead of being served
 * a silent gap.
 */
import type { Database } from '@chat/db';
import { eventLogFloor, events } from '@chat/db';
import { desc, lt, lte, sql } from 'drizzle-orm';

/** Deletes events created before `cutoff` (and every event ordered before them); returns how many. */
export async function pruneEvents(db: Database, cutoff: Date): Promise<number> {
  return db.transaction(async (tx) => {
    // Housekeeping, not a request: an hour of events on a big install may take
    // longer to delete than the server's statement timeout (docs/database-faults.md).
    await tx.execute(sql`set local statement_timeout = '10min'`);
    const [newest] = await tx
      .select({ id: events.id })
      .from(events)
      .where(lt(events.createdAt, cutoff))
      .orderBy(desc(events.id))
      .limit(1);
    if (!newest) return 0;
    await tx
      .insert(eventLogFloor)
      .values({ singleton: true, id: newest.id, xid: sql`pg_current_xact_id()` })
      .onConflictDoUpdate({
        target: eventLogFloor.singleton,
        set: { id: newest.id },
        setWhere: lt(eventLogFloor.id, newest.id),
      });
    const deleted = await tx.delete(events).where(lte(events.id, newest.id)).returning({ id: events.id });
    return deleted.length;
  });
}
