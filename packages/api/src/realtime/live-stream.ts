/**
 * One user's live stream: the backlog after a cursor, then live events from
 * the process's hub, each exactly once and in id order (domain/events/cursor.ts).
 */
import type { Database } from '@chat/db';
import { comparePositions, encodePosition, type Position } from '../domain/events/cursor';
import { openStream, type StreamActor } from '../domain/events/poll';
import { readUserAfter, type StoredEvent } from '../domain/events/store';
import type { EphemeralItem, StreamItem } from '../domain/events/types';
import { DomainError } from '../errors';
import type { Clock, Hub, Presence, SessionService, Sink } from '../ports';
import { SessionWatch } from './session-watch';

const BACKLOG_PAGE = 500;
/** Events waiting for a stream: past this many, it ends as `fellBehind` and the client resumes later. */
export const QUEUE_LIMIT = 10_000;

/** Why a stream that could not keep up ended; the client resumes from its cursor. */
export const fellBehind = () =>
  new DomainError('unavailable', 'This connection fell too far behind; reconnecting will catch up.');

export interface StreamDeps {
  db: Database;
  /** The backlog's reads wait no longer than the database's deadline (the stream then ends, and is resumed). */
  withinDeadline<T>(work: Promise<T>): Promise<T>;
  hub: Pick<Hub, 'subscribe' | 'unsubscribe'>;
  presence: Pick<Presence, 'connect' | 'disconnect'>;
  sessions: Pick<SessionService, 'validate'>;
  clock: Clock;
}

type Entry = StoredEvent | { ephemeral: EphemeralItem };

/** How a stream ended by itself (not stopped by its transport). */
export interface StreamEnd {
  /** It failed; the client is told why (a `DomainError` for what it can act on). */
  error?: unknown;
  /**
   * Its own session ended (signed out, revoked, expired), or was found gone
   * as it started (with `error`): the connection it came on must not carry more.
   */
  sessionEnded: boolean;
}

/** Where a stream's items go: a transport's framing of `tracked(id, item)`. */
export interface StreamOutlet {
  /** Sends one item; false when the transport takes no more (its client stopped reading and was cut): the stream ends. */
  send(id: string, item: StreamItem): boolean;
  /** Called once, when the stream ended by itself; never after the transport's own `stop()`. */
  ended(end: StreamEnd): void;
}

const isSessionGone = (error: unknown) => error instanceof DomainError && error.kind === 'unauthorized';

/**
 * One open stream: registered with the hub, it sends the backlog after its
 * cursor, then `stream.ready`, then every event the hub hands it, straight
 * to its outlet as the hub routes them, each once and in id order.
 *
 * An idle stream is this object and its place in the hub: no generator, no
 * promise and no closure waits for the next event (an idle stream's memory
 * is what a server holding 20,000 of them is measured by:
 * docs/event-stream.md, "An idle stream").
 */
export class LiveStream implements Sink {
  /** What the hub handed over while the backlog was read; undefined once live. */
  private queue: Entry[] | undefined = [];
  private overflowed = false;
  /** The last stored event sent (or the start); ephemeral items carry it too. */
  private cursor: Position | undefined;
  private done = false;
  private expiry: SessionWatch | undefined;

  constructor(
    private readonly deps: StreamDeps,
    private readonly actor: StreamActor,
    private readonly outlet: StreamOutlet,
  ) {}

  /**
   * Starts the stream after `lastEventId` (or at the head). With `session`,
   * the stream ends, as if its session had been ended, once the session has
   * expired (watched by one timer, `SessionWatch`).
   */
  start(lastEventId: string | null | undefined, session?: { id: string; expiresAt: Date }): void {
    // Registered before the backlog is read: an event committed meanwhile is
    // queued, and dropped below if the backlog already had it.
    this.deps.hub.subscribe(this.actor.userId, this);
    this.deps.presence.connect(this.actor.userId, this.actor.tabId);
    if (session) this.expiry = new SessionWatch(this.deps, session.id, session.expiresAt, this);
    // The one refusal of a stream's start that is about its session: gone by
    // the snapshot the stream opens in. Its `session.ended` may have come
    // before, to whatever watched it: the connection is told it ended too.
    this.open(lastEventId).catch((error: unknown) => this.finish({ error, sessionEnded: isSessionGone(error) }));
  }

  /** Whether its start and backlog have been handed to the outlet (it now sends each event as it comes). */
  get live(): boolean {
    return this.queue === undefined && !this.done;
  }

  /** Ends the stream without a word to its outlet (the transport stopped it, or its connection closed). */
  stop(): void {
    this.finish(undefined);
  }

  /** @internal `SessionWatch`'s report. */
  sessionExpired(): void {
    this.finish({ sessionEnded: true });
  }

  events(batch: StoredEvent[]): void {
    if (this.done) return;
    if (this.queue) {
      if (this.queue.length + batch.length > QUEUE_LIMIT) this.overflowed = true;
      else this.queue.push(...batch);
      return;
    }
    this.deliver(batch);
  }

  ephemeral(item: EphemeralItem): void {
    if (this.done) return;
    if (this.queue) {
      // Presence and typing are worth little late: dropped, never a reason to disconnect.
      if (this.queue.length < QUEUE_LIMIT) this.queue.push({ ephemeral: item });
      return;
    }
    if (this.cursor) this.send(this.cursor, item);
  }

  private async open(lastEventId: string | null | undefined): Promise<void> {
    const { db, withinDeadline } = this.deps;
    const { start, page: first } = await withinDeadline(openStream(db, this.actor, lastEventId, BACKLOG_PAGE));
    if (this.done) return;
    this.cursor = start.cursor;
    if (start.control && !this.send(start.cursor, { type: start.control })) return;
    for (
      let page = first;
      ;
      page = await withinDeadline(readUserAfter(db, this.actor.userId, this.cursor, BACKLOG_PAGE))
    ) {
      if (this.done || !this.deliver(page)) return;
      if (page.length < BACKLOG_PAGE) break;
    }
    if (!start.control && !this.send(this.cursor, { type: 'stream.ready' })) return;
    // Live from here: what arrived while the backlog was sent, then each
    // batch as the hub hands it over (nothing runs between the two steps).
    const queued = this.queue ?? [];
    this.queue = undefined;
    if (this.overflowed) {
      throw fellBehind();
    }
    this.deliver(queued);
  }

  /** Sends rows in order, skipping stored events already sent; false once the stream has ended. */
  private deliver(rows: readonly Entry[]): boolean {
    for (const row of rows) {
      if (this.done || !this.cursor) return false;
      if ('ephemeral' in row) {
        if (!this.send(this.cursor, row.ephemeral)) return false;
        continue;
      }
      if (comparePositions(row.position, this.cursor) <= 0) continue;
      this.cursor = row.position;
      if (!this.send(row.position, row.event)) return false;
      // The stream ends after telling its own session that it ended.
      const event = row.event;
      if (event.type === 'session.ended' && event.payload.sessionRef === this.actor.sessionRef) {
        this.finish({ sessionEnded: true });
        return false;
      }
    }
    return true;
  }

  private send(position: Position, item: StreamItem): boolean {
    if (this.outlet.send(encodePosition(position), item)) return true;
    this.finish({ sessionEnded: false });
    return false;
  }

  private finish(end: StreamEnd | undefined): void {
    if (this.done) return;
    this.done = true;
    this.queue = undefined;
    this.deps.hub.unsubscribe(this.actor.userId, this);
    this.deps.presence.disconnect(this.actor.userId, this.actor.tabId);
    this.expiry?.stop();
    if (end) this.outlet.ended(end);
  }
}
