/**
 * Where a user's stream starts: after the client's cursor, or at the head
 * with a reason (`stream.ready`, `stream.resync`); and the same stream read
 * one page at a time, for clients that cannot hold one open. The live stream
 * itself is realtime/live-stream.ts.
 */
import type { Database } from '@chat/db';
import { unauthorized } from '../../errors';
import { decodePosition, type Position } from './cursor';
import { openLog, type StoredEvent } from './store';
import type { StreamItem } from './types';

export interface StreamActor {
  userId: string;
  /** The browser tab (or client) the stream is for, as it names itself: its idle reports name it too. */
  tabId?: string;
  sessionRef: string;
  /**
   * A session checked earlier (at its WebSocket's upgrade) and not looked up
   * again for this stream: the stream's opening statement checks that it
   * still exists (`openLog`), and refuses the stream if it does not.
   */
  uncheckedSessionId?: string;
}

export interface Positioned {
  position: Position;
  item: StreamItem;
}

export interface Start {
  cursor: Position;
  /** Sent first: `stream.ready` for a fresh start, `stream.resync` when the old cursor was pruned. */
  control: 'stream.ready' | 'stream.resync' | null;
}

/** Where a stream or a poll starts, after the given cursor or at the head (with a reason), and its first page. */
export async function openStream(
  db: Database,
  actor: StreamActor,
  lastEventId: string | null | undefined,
  limit: number,
): Promise<{ start: Start; page: StoredEvent[] }> {
  const cursor = lastEventId ? decodePosition(lastEventId) : null;
  const opened = await openLog(db, actor.userId, cursor, limit, actor.uncheckedSessionId ?? null);
  if (!opened.sessionFound) throw unauthorized();
  const control = opened.resync ? 'stream.resync' : lastEventId ? null : 'stream.ready';
  return { start: { cursor: opened.from, control }, page: opened.page };
}

export interface PollPage {
  items: Positioned[];
  /** Where the next poll starts (the last item's position, or the start's). */
  cursor: Position;
}

/**
 * The same stream, for clients that cannot hold one open: what is after the
 * cursor, one page at a time. Ephemeral items (presence, typing) are not
 * carried: they are not stored.
 */
export async function pollEvents(
  db: Database,
  actor: StreamActor,
  lastEventId: string | null | undefined,
  limit: number,
): Promise<PollPage> {
  const { start, page } = await openStream(db, actor, lastEventId, limit);
  return toPollPage(start, page);
}

/** A page as a poll answers it: the start's reason (if any), then the events, and where the next poll starts. */
export function toPollPage(start: Start, rows: readonly StoredEvent[]): PollPage {
  const items: Positioned[] = [];
  if (start.control) items.push({ position: start.cursor, item: { type: start.control } });
  for (const row of rows) items.push({ position: row.position, item: row.event });
  return { items, cursor: rows.at(-1)?.position ?? start.cursor };
}
