/**
 * Stream positions, and why a plain event id is a safe cursor here.
 *
 * `events.id` comes from a sequence, handed out at insert, and transactions
 * commit in any order: a reader that has seen id 11 could later see id 10
 * appear, when the transaction holding 10 commits, and a cursor past 11 would
 * skip it (DESIGN.md invariant 3).
 *
 * So every transaction that writes events first takes one advisory lock (in
 * the statement that inserts them: `insertLocked` in store.ts) and holds it
 * until it has committed. Event ids are therefore handed out in commit order,
 * and once a reader sees id n, every id below n is either committed and
 * visible or was never used.
 *
 * We first read only below the oldest running transaction's xid instead
 * (`pg_snapshot_xmin`), which lets event writers commit in parallel. It failed
 * in practice: that horizon is cluster-wide and counts every writing
 * transaction, so one long bulk load — even in another database on the same
 * server — froze every stream until it ended (a 7-minute COPY did, in our
 * test runs). Serialising only the event writers costs one lock held across
 * the final insert and the commit; the load report measures what that allows.
 */
import { invalid } from '../../errors';

export interface Position {
  id: number;
}

export const START: Position = { id: 0 };

export function encodePosition(p: Position): string {
  return String(p.id);
}

export function decodePosition(text: string): Position {
  if (!/^\d{1,15}$/.test(text)) throw invalid('That stream position is not one this server handed out.', 'lastEventId');
  return { id: Number(text) };
}

export function comparePositions(a: Position, b: Position): number {
  return a.id - b.id;
}
