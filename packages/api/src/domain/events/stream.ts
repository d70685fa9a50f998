/**
 * One user's live stream: the backlog after a cursor, then live events from
 * the process's hub, each exactly once and in id order (cursor.ts).
 */
import type { Database } from '@chat/db';
import { DomainError, unauthorized } from '../../errors';
import type { PresenceService } from '../presence/service';
import { comparePositions, decodePosition, type Position } from './cursor';
import type { EventHub, Sink } from './hub';
import { openLog, readUserAfter, type StoredEvent } from './store';
import type { EphemeralItem, StreamItem } from './types';

const BACKLOG_PAGE = 500;
/** Events waiting for a subscriber that does not read; past this it is dropped and resumes later. */
const INBOX_LIMIT = 10_000;

export interface StreamActor {
  userId: string;
  sessionRef: string;
  /**
   * A session checked earlier (at its WebSocket's upgrade) and not looked up
   * again for this stream: the stream's opening statement checks that it
   * still exists (`openLog`), and refuses the stream if it does not.
   */
  uncheckedSessionId?: string;
}

export interface StreamDeps {
  db: Database;
  hub: EventHub;
  presence: Pick<PresenceService, 'connect'>;
}

export interface Positioned {
  position: Position;
  item: StreamItem;
}

type Entry = StoredEvent | { ephemeral: EphemeralItem };

/**
 * A transport that can take live items from the hub directly, without the
 * generator (over WebSocket: `DirectChannel` in wire.ts, behind the router).
 */
export interface DirectOutlet {
  /** Called with the stream's control item (`stream.ready` or `stream.resync`) before it is yielded. */
  mark(item: StreamItem): void;
  /** True once the marked item has been sent: from then on `write` may be used. */
  ready(): boolean;
  /** Writes one item; false when the stream must end (the client stopped reading, or its session ended). */
  write(position: Position, item: StreamItem): boolean;
}

class Inbox implements Sink {
  private items: Entry[] = [];
  private wakeUp: (() => void) | undefined;
  /** Set when the stream writes straight to its transport: entries go there as the hub hands them over. */
  private direct: ((entries: Entry[]) => void) | undefined;
  overflowed = false;

  events(batch: StoredEvent[]): void {
    if (this.direct) {
      this.direct(batch);
      return;
    }
    if (this.items.length + batch.length > INBOX_LIMIT) this.overflowed = true;
    else this.items.push(...batch);
    this.wakeUp?.();
  }

  ephemeral(item: EphemeralItem): void {
    if (this.direct) {
      this.direct([{ ephemeral: item }]);
      return;
    }
    // Presence and typing are worth little late: dropped, never a reason to disconnect.
    if (this.items.length >= INBOX_LIMIT) return;
    this.items.push({ ephemeral: item });
    this.wakeUp?.();
  }

  /** What is queued, now (never waits). */
  drain(): Entry[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  /**
   * From now on every entry goes to `deliver` as it arrives (the queue must be
   * empty). Resolves when `deliver` says the stream is over, or on abort.
   */
  goDirect(deliver: (entries: Entry[]) => boolean, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        this.direct = () => {};
        resolve();
      };
      this.direct = (entries) => {
        if (!deliver(entries)) done();
      };
      if (signal?.aborted) done();
      else signal?.addEventListener('abort', done, { once: true });
    });
  }

  async take(signal: AbortSignal | undefined): Promise<Entry[]> {
    while (this.items.length === 0 && !this.overflowed && !signal?.aborted) {
      // One abort listener per wait, removed when the wait ends: a long-lived
      // stream must not collect a listener per batch.
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener('abort', done);
          resolve();
        };
        this.wakeUp = done;
        signal?.addEventListener('abort', done, { once: true });
      });
      this.wakeUp = undefined;
    }
    const out = this.items;
    this.items = [];
    return out;
  }
}

export interface Start {
  cursor: Position;
  /** Sent first: `stream.ready` for a fresh start, `stream.resync` when the old cursor was pruned. */
  control: 'stream.ready' | 'stream.resync' | null;
}

/** Where a stream or a poll starts, after the given cursor or at the head (with a reason), and its first page. */
async function open(
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

export async function* streamEvents(
  deps: StreamDeps,
  actor: StreamActor,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
  /** Given, live items bypass the generator once the transport is ready (see `DirectOutlet`). */
  outlet?: DirectOutlet,
): AsyncGenerator<Positioned, void, unknown> {
  const inbox = new Inbox();
  // Registered before the backlog is read: an event committed meanwhile lands
  // in the inbox and is dropped below if the backlog already had it.
  const unsubscribe = deps.hub.subscribe(actor.userId, inbox);
  const offline = deps.presence.connect(actor.userId);
  try {
    const { start, page: first } = await open(deps.db, actor, lastEventId, BACKLOG_PAGE);
    let cursor = start.cursor;
    const control = (type: 'stream.ready' | 'stream.resync'): StreamItem => {
      const item: StreamItem = { type };
      outlet?.mark(item);
      return item;
    };
    if (start.control) yield { position: cursor, item: control(start.control) };

    /** What a row becomes in this stream, advancing the cursor; undefined when it was sent already. */
    const next = (row: Entry): Positioned | undefined => {
      if ('ephemeral' in row) return { position: cursor, item: row.ephemeral };
      if (comparePositions(row.position, cursor) <= 0) return undefined;
      cursor = row.position;
      return { position: row.position, item: row.event };
    };
    /** The stream ends after telling its own session that it ended. */
    const ends = ({ item }: Positioned) =>
      item.type === 'session.ended' && item.payload.sessionRef === actor.sessionRef;
    const deliver = function* (rows: Entry[]): Generator<Positioned, boolean> {
      for (const row of rows) {
        const out = next(row);
        if (!out) continue;
        yield out;
        if (ends(out)) return true;
      }
      return false;
    };

    for (let page = first; ; page = await readUserAfter(deps.db, actor.userId, cursor, BACKLOG_PAGE)) {
      if (yield* deliver(page)) return;
      if (page.length < BACKLOG_PAGE) break;
    }
    if (!start.control) yield { position: cursor, item: control('stream.ready') };

    if (outlet?.ready()) {
      // What arrived while the last items were sent goes the usual way, then
      // the rest straight to the transport: nothing is between the two steps.
      for (let queued = inbox.drain(); queued.length > 0; queued = inbox.drain()) {
        if (yield* deliver(queued)) return;
      }
      if (inbox.overflowed) {
        throw new DomainError('unavailable', 'This connection fell too far behind; reconnecting will catch up.');
      }
      const write = (rows: Entry[]): boolean => {
        for (const row of rows) {
          const out = next(row);
          if (!out) continue;
          if (!outlet.write(out.position, out.item) || ends(out)) return false;
        }
        return true;
      };
      await inbox.goDirect(write, signal);
      return;
    }

    while (!signal?.aborted) {
      const batch = await inbox.take(signal);
      if (inbox.overflowed) {
        throw new DomainError('unavailable', 'This connection fell too far behind; reconnecting will catch up.');
      }
      if (yield* deliver(batch)) return;
    }
  } finally {
    unsubscribe();
    offline();
  }
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
  const { start, page: rows } = await open(db, actor, lastEventId, limit);
  const items: Positioned[] = [];
  if (start.control) items.push({ position: start.cursor, item: { type: start.control } });
  for (const row of rows) items.push({ position: row.position, item: row.event });
  return { items, cursor: rows.at(-1)?.position ?? start.cursor };
}
