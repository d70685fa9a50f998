/**
 * How far each member of one open chat has received and read it, for the
 * ticks and "Read by N" on the user's own messages. Loaded from
 * `message.receipts`, moved forward by `receipt.updated` events and by each
 * member's own messages, loaded again after a resync and once the stream is
 * live.
 */
import { type Accessor, onCleanup } from 'solid-js';
import { createSynced } from '../lib/synced';
import { api } from '../lib/trpc';
import { onEvents } from './events';
import { keepInSync } from './sync';

export interface MemberReceipt {
  userId: string;
  deliveredSeq: number;
  readSeq: number;
}

export type Receipts = ReadonlyMap<string, MemberReceipt>;

const forward =
  (r: MemberReceipt) =>
  (map: Receipts): Receipts => {
    const had = map.get(r.userId);
    const next = {
      userId: r.userId,
      deliveredSeq: Math.max(had?.deliveredSeq ?? 0, r.deliveredSeq, r.readSeq),
      readSeq: Math.max(had?.readSeq ?? 0, r.readSeq),
    };
    if (had && had.deliveredSeq === next.deliveredSeq && had.readSeq === next.readSeq) return map;
    return new Map(map).set(r.userId, next);
  };

/** The receipts of `chatId`, for as long as the calling component lives. */
export function useReceipts(chatId: string): Accessor<Receipts> {
  const receipts = createSynced<Receipts>(new Map(), async () => {
    const list = await api.message.receipts.query({ chatId });
    return new Map(list.map((r) => [r.userId, r]));
  });
  keepInSync(receipts);
  onCleanup(
    onEvents({
      'receipt.updated': ({ payload }) => {
        if (payload.chatId === chatId) receipts.update(forward(payload));
      },
      // Sending reads the chat up to one's own message (the server records it so, without a receipt event).
      'message.created': ({ payload: { message } }) => {
        if (message.chatId === chatId) {
          receipts.update(forward({ userId: message.senderId, deliveredSeq: message.seq, readSeq: message.seq }));
        }
      },
    }),
  );
  return receipts.value;
}

/** The receipt state of one own message, as the sender sees it. */
export type Delivery = 'sent' | 'delivered' | 'read';

/** One-to-one: how far the other person has got with message `seq`. */
export function deliveryTo(receipts: Receipts, peerId: string, seq: number): Delivery {
  const r = receipts.get(peerId);
  if (r && r.readSeq >= seq) return 'read';
  if (r && r.deliveredSeq >= seq) return 'delivered';
  return 'sent';
}

/** Groups: how many members other than the sender have read message `seq`. */
export function readCount(receipts: Receipts, senderId: string, seq: number): number {
  let n = 0;
  for (const r of receipts.values()) if (r.userId !== senderId && r.readSeq >= seq) n++;
  return n;
}
