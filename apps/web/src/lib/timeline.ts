/**
 * Pure rules for a chat's loaded messages: one copy per id, in seq order, and
 * of two copies of a message the more advanced one (deleted beats edited,
 * a later edit beats an earlier one). Page loads, send answers and stream
 * events all go through `mergeMessages`, so their order does not matter.
 */
import type { MessageView } from '@chat/api';
import type { OutboxEntry } from './outbox-queue';

const time = (d: Date | null) => d?.getTime() ?? 0;

/** Which of two copies of one message to keep. */
export function newerVersion(a: MessageView, b: MessageView): MessageView {
  if (a.deletedAt || b.deletedAt) return b.deletedAt && !a.deletedAt ? b : a;
  return time(b.editedAt) > time(a.editedAt) ? b : a;
}

/**
 * `list` with `incoming` merged in: sorted by seq, one entry per id. Entries
 * that did not change keep their identity (the list renders by reference).
 */
export function mergeMessages(list: readonly MessageView[], incoming: readonly MessageView[]): MessageView[] {
  if (incoming.length === 0) return list as MessageView[];
  const byId = new Map(list.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const had = byId.get(m.id);
    const keep = had ? newerVersion(had, m) : m;
    if (keep !== had) {
      byId.set(m.id, keep);
      changed = true;
    }
  }
  if (!changed) return list as MessageView[];
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Replaces a message already in the list (an edit or delete); one not loaded is left out. */
export function replaceMessage(list: readonly MessageView[], message: MessageView): MessageView[] {
  return list.some((m) => m.id === message.id) ? mergeMessages(list, [message]) : (list as MessageView[]);
}

export const newestSeq = (list: readonly MessageView[]): number => list.at(-1)?.seq ?? 0;
export const oldestSeq = (list: readonly MessageView[]): number | null => list[0]?.seq ?? null;

/** A row of the message list: a stored message, or one of the user's still in the outbox. */
export interface TimelineEntry {
  id: string;
  senderId: string;
  /** Null until the server has stored it. */
  seq: number | null;
  body: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  attachments: MessageView['attachments'];
  reactions: MessageView['reactions'];
  /** A line about the group (shown centred, not as a bubble); null for what a person wrote. */
  system: MessageView['system'];
  /** A reply's quote of the message it answers. */
  replyTo: MessageView['replyTo'];
  /** Set while the message is in the outbox (pending or failed). */
  unsent: OutboxEntry | null;
}

const stored = (m: MessageView): TimelineEntry => ({ ...m, unsent: null });

/**
 * The rows to show: the stored messages, then the user's unsent ones (in the
 * order written). An unsent one the server already stored (its answer and
 * the stream raced) shows once, as stored.
 */
export function timelineEntries(
  messages: readonly MessageView[],
  unsent: readonly OutboxEntry[],
  myId: string,
): TimelineEntry[] {
  const ids = new Set(messages.map((m) => m.id));
  const rows = messages.map(stored);
  for (const e of unsent) {
    if (ids.has(e.id)) continue;
    rows.push({
      id: e.id,
      senderId: myId,
      seq: null,
      body: e.body,
      createdAt: e.createdAt,
      editedAt: null,
      deletedAt: null,
      attachments: e.attachments,
      reactions: [],
      system: null,
      replyTo: e.replyTo,
      unsent: e,
    });
  }
  return rows;
}
