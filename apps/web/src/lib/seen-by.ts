/**
 * The "Seen by" lists of one message, moved forward by receipts as they
 * arrive (reading implies having received; nobody moves back). Pure, so the
 * rule is tested without a browser.
 */
import type { SeenBy } from '@chat/api';

export interface ReceiptMove {
  userId: string;
  deliveredSeq: number;
  readSeq: number;
}

/** `seen` after member `move.userId`'s receipts moved; the same object when nothing changed. */
export function moveSeenBy(seen: SeenBy, move: ReceiptMove): SeenBy {
  const inRead = seen.read.some((r) => r.id === move.userId);
  if (inRead) return seen;
  const reader = [...seen.delivered, ...seen.waiting].find((r) => r.id === move.userId);
  if (!reader) return seen;
  const others = (list: SeenBy['read']) => list.filter((r) => r.id !== move.userId);
  if (move.readSeq >= seen.seq) {
    return { ...seen, read: [...seen.read, reader], delivered: others(seen.delivered), waiting: others(seen.waiting) };
  }
  const inWaiting = seen.waiting.some((r) => r.id === move.userId);
  if (inWaiting && Math.max(move.deliveredSeq, move.readSeq) >= seen.seq) {
    return { ...seen, delivered: [...seen.delivered, reader], waiting: others(seen.waiting) };
  }
  return seen;
}

/** Takes a member who left or was removed off every list. */
export function dropFromSeenBy(seen: SeenBy, userId: string): SeenBy {
  const others = (list: SeenBy['read']) => list.filter((r) => r.id !== userId);
  return { ...seen, read: others(seen.read), delivered: others(seen.delivered), waiting: others(seen.waiting) };
}
