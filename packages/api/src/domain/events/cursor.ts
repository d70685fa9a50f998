/**
 * Stream positions, and why they are (xid, id) and not just id.
 *
 * `events.id` comes from a sequence, handed out at insert; transactions commit
 * in any order. A reader that has seen id 11 may later see id 10 appear, when
 * the transaction holding 10 commits: a cursor over ids alone would skip it
 * (DESIGN.md invariant 3).
 *
 * Every event row also stores its transaction id (`xid`, xid8, assigned at the
 * transaction's first write). Readers order by (xid, id) and only read rows
 * whose xid is below `pg_snapshot_xmin(pg_current_snapshot())`, the oldest
 * transaction still running. Every transaction below that horizon has ended,
 * so no row can still appear behind the cursor; any transaction that writes
 * later gets a larger xid than every one already read. Rows of a transaction
 * that committed while an older one still runs wait until that one ends (a few
 * milliseconds for ours), never longer.
 *
 * We chose this over serialising event writers (an advisory lock held until
 * commit) because that would serialise every commit in the system, fsync
 * included, capping message throughput at one commit at a time.
 */
import { invalid } from '../../errors';

export interface Position {
  xid: bigint;
  id: number;
}

export const START: Position = { xid: 0n, id: 0 };

export function encodePosition(p: Position): string {
  return `${p.xid.toString()}_${p.id}`;
}

export function decodePosition(text: string): Position {
  const m = /^(\d{1,20})_(\d{1,18})$/.exec(text);
  if (!m?.[1] || !m[2]) throw invalid('That stream position is not one this server handed out.', 'lastEventId');
  return { xid: BigInt(m[1]), id: Number(m[2]) };
}

export function comparePositions(a: Position, b: Position): number {
  if (a.xid !== b.xid) return a.xid < b.xid ? -1 : 1;
  return a.id - b.id;
}
