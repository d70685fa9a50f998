/**
 * One user's live stream: the backlog after a cursor, then live events from
 * the process's hub, each exactly once and in (xid, id) order.
 */
import type { Database } from '@chat/db';
import { DomainError } from '../../errors';
import { comparePositions, decodePosition, type Position } from './cursor';
import type { EventHub } from './hub';
import { readHead, readUserAfter, type StoredEvent } from './store';
import type { StreamItem } from './types';

const BACKLOG_PAGE = 500;
/** Events waiting for a subscriber that does not read; past this it is dropped and resumes later. */
const INBOX_LIMIT = 10_000;

export interface StreamActor {
  userId: string;
  sessionRef: string;
}

export interface StreamDeps {
  db: Database;
  hub: EventHub;
}

export interface Positioned {
  position: Position;
  item: StreamItem;
}

class Inbox {
  private items: StoredEvent[] = [];
  private wakeUp: (() => void) | undefined;
  overflowed = false;

  readonly push = (batch: StoredEvent[]): void => {
    if (this.items.length + batch.length > INBOX_LIMIT) this.overflowed = true;
    else this.items.push(...batch);
    this.wakeUp?.();
  };

  async take(signal: AbortSignal | undefined): Promise<StoredEvent[]> {
    while (this.items.length === 0 && !this.overflowed && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      this.wakeUp = undefined;
    }
    const out = this.items;
    this.items = [];
    return out;
  }
}

export async function* streamEvents(
  deps: StreamDeps,
  actor: StreamActor,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<Positioned, void, unknown> {
  const inbox = new Inbox();
  // Registered before the backlog is read: an event committed meanwhile lands
  // in the inbox and is dropped below if the backlog already had it.
  const unsubscribe = deps.hub.subscribe(actor.userId, inbox.push);
  try {
    let cursor: Position;
    if (lastEventId) {
      cursor = decodePosition(lastEventId);
    } else {
      cursor = await readHead(deps.db);
      yield { position: cursor, item: { type: 'stream.ready' } };
    }

    const deliver = function* (rows: StoredEvent[]): Generator<Positioned, boolean> {
      for (const row of rows) {
        if (comparePositions(row.position, cursor) <= 0) continue;
        cursor = row.position;
        yield { position: row.position, item: row.event };
        const e = row.event;
        if (e.type === 'session.ended' && e.payload.sessionRef === actor.sessionRef) return true;
      }
      return false;
    };

    for (;;) {
      const page = await readUserAfter(deps.db, actor.userId, cursor, BACKLOG_PAGE);
      if (yield* deliver(page)) return;
      if (page.length < BACKLOG_PAGE) break;
    }
    if (lastEventId) yield { position: cursor, item: { type: 'stream.ready' } };

    while (!signal?.aborted) {
      const batch = await inbox.take(signal);
      if (inbox.overflowed) {
        throw new DomainError('unavailable', 'This connection fell too far behind; reconnecting will catch up.');
      }
      if (yield* deliver(batch)) return;
    }
  } finally {
    unsubscribe();
  }
}
