/**
 * One per server process (DESIGN.md invariant 4). A NOTIFY, sent after a
 * commit by whichever process wrote, wakes every hub; each reads the new
 * events from the table once and hands them to its local subscribers by
 * audience. A 300-member group message costs one read per other process,
 * and none in the process that wrote it (its writer hands it over); the
 * chat's members are kept between events (audiences.ts).
 *
 * NOTIFY is only a hint: the hub also wakes on its own commits, after every
 * (re)connection of its LISTEN, and on a slow timer, so a lost notification
 * delays nothing for long.
 *
 * A commit's NOTIFY is for the other processes, so a hub that has heard no
 * other for a while sends none: one round trip fewer per send for a server
 * that runs alone (docs/event-stream.md, "The hub"). Every hub says it is
 * there every few seconds (the same NOTIFY), and after (re)connecting its
 * LISTEN a hub notifies until it has had time to hear the others. A process
 * that starts reads the log after it listens, so what a hub did not tell it
 * in its first milliseconds reaches it by its own reads (the timer at worst).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@chat/db';
import type { Position } from '../domain/events/cursor';
import { readAllAfter, readHead, type StoredEvent } from '../domain/events/store';
import type { EphemeralItem } from '../domain/events/types';
import type { Logger } from '../logger';
import type { Hub, Sink } from '../ports';
import { AudienceCache, membershipChanged } from './audiences';
import { OutageLog } from './outage';

export const EVENTS_CHANNEL = 'chat_events';
const PAGE = 1000;
const SAFETY_POLL_MS = 2000;
const ERROR_RETRY_MS = 500;
/** Every hub NOTIFYs this often, so the others know it is there. */
const PEER_BEAT_MS = 5_000;
/** A hub not heard from for this long is taken for gone (three beats missed). */
const PEER_SILENT_MS = 15_000;
/**
 * A hub hears its own beat back on its LISTEN connection; when one sent this
 * long ago has not come back, that connection is stalled (TCP would say so
 * only after minutes) and is replaced, followed by a catch-up read.
 */
const ECHO_MISSING_MS = 2 * PEER_BEAT_MS;

export interface HubDatabase {
  db: Database;
  listen(channel: string, onNotify: (payload: string) => void, onReady: () => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** A read that waits no longer than the database's deadline (a stalled connection is replaced). */
  withinDeadline<T>(work: Promise<T>): Promise<T>;
  /** Replaces the LISTEN connection; `listen`'s `onReady` runs again once it is back. */
  relisten(): void;
}

/**
 * What a hub has done since it started, for capacity measurements
 * (docs/capacity.md): plain counters, one increment each where it happens.
 */
export interface HubCounters {
  /** NOTIFYs this hub sent (after commits, and its beats). */
  notifiesSent: number;
  /** NOTIFYs of other hubs this hub heard: each woke it. */
  notifiesHeard: number;
  /** Its own NOTIFYs heard back (the LISTEN connection's health check). */
  echoesHeard: number;
  /** Reads of the event log after the cursor, and the rows they returned. */
  reads: number;
  rowsRead: number;
  /** Rows routed without a read: handed over by this process's own writers. */
  rowsHandedOver: number;
}

export class EventHub implements Hub {
  /** Sent as the NOTIFY payload: this hub's own notifications come back to it, and are not a reason to read again. */
  private readonly id = randomUUID();
  private readonly byUser = new Map<string, Set<Sink>>();
  private cursor: Position | undefined;
  private pumping = false;
  /** The log may hold events after the cursor that no one handed over: the pump reads. */
  private readNeeded = false;
  /** Runs of events handed over (`announce`) while the pump was busy, in id order. */
  private held: StoredEvent[] = [];
  /** The last id of the rows being routed, before the cursor moves past them. */
  private taken: number | undefined;
  private readonly audiences = new AudienceCache();
  /** This process's record of database outages, shared by what retries against it (presence too). */
  readonly outage: OutageLog;
  private notifying = false;
  private notifyAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  /** When another hub was last heard (Date.now()), and since when this hub has been listening. */
  private lastPeerAt = Number.NEGATIVE_INFINITY;
  private listeningSince = Number.NEGATIVE_INFINITY;
  private readonly count: HubCounters = {
    notifiesSent: 0,
    notifiesHeard: 0,
    echoesHeard: 0,
    reads: 0,
    rowsRead: 0,
    rowsHandedOver: 0,
  };
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = false;
  /** Set while reading the log fails: every local stream is told once, and again when it recovers. */
  private databaseDown = false;
  /** When the oldest of this hub's own NOTIFYs not yet heard back was sent (Date.now()). */
  private echoPendingSince: number | undefined;

  constructor(
    private readonly database: HubDatabase,
    private readonly log: Logger,
    /** Tests lengthen it to prove that re-listening alone catches up. */
    private readonly safetyPollMs = SAFETY_POLL_MS,
    /** Tests shorten it to see a lone hub stop notifying. */
    private readonly peerSilentMs = PEER_SILENT_MS,
  ) {
    this.outage = new OutageLog(log);
  }

  async start(): Promise<void> {
    this.cursor = await readHead(this.database.db);
    this.unlisten = await this.database.listen(
      EVENTS_CHANNEL,
      // Our own NOTIFY follows a commit `announce` has already read after.
      (payload) => {
        if (payload === this.id) {
          this.count.echoesHeard += 1;
          this.echoPendingSince = undefined;
          return;
        }
        this.count.notifiesHeard += 1;
        this.lastPeerAt = Date.now();
        this.wake();
      },
      () => {
        this.listeningSince = Date.now();
        this.echoPendingSince = undefined;
        this.wake();
      },
    );
    this.listeningSince = Date.now();
    this.pollTimer = setInterval(() => this.wake(), this.safetyPollMs);
    this.pollTimer.unref();
    // Here: the others start notifying this process now, and every beat after.
    void this.sendNotify();
    this.beatTimer = setInterval(() => this.beat(), PEER_BEAT_MS);
    this.beatTimer.unref();
  }

  /** NOTIFYs this hub has sent (tests read it). */
  get notifies(): number {
    return this.count.notifiesSent;
  }

  /** A copy of the counters (the server logs them on SIGUSR2, for the load tool). */
  get counters(): HubCounters {
    return { ...this.count };
  }

  /** True while another hub may be listening: heard lately, or this one (re)connected too lately to know. */
  get othersListening(): boolean {
    const now = Date.now();
    return now - this.lastPeerAt < this.peerSilentMs || now - this.listeningSince < this.peerSilentMs;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.beatTimer);
    clearTimeout(this.retryTimer);
    await this.unlisten?.().catch(() => {});
  }

  /** Registers a local subscriber. Call before reading its backlog, so nothing falls between. */
  subscribe(userId: string, sink: Sink): void {
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    set.add(sink);
  }

  unsubscribe(userId: string, sink: Sink): void {
    const s = this.byUser.get(userId);
    if (!s) return;
    s.delete(sink);
    if (s.size === 0) this.byUser.delete(userId);
  }

  /** True when this process holds a stream of `userId`. */
  hasLocal(userId: string): boolean {
    return this.byUser.has(userId);
  }

  /** Hands an ephemeral item to this process's streams of the given users. */
  deliverEphemeral(userIds: Iterable<string>, item: EphemeralItem): void {
    // The same object goes to every stream: serialised once (apps/server/src/transport/wire.ts).
    for (const userId of userIds) {
      for (const sink of this.byUser.get(userId) ?? []) {
        try {
          sink.ephemeral(item);
        } catch (error) {
          this.log.error({ err: error }, 'event subscriber failed');
        }
      }
    }
  }

  private broadcast(item: EphemeralItem): void {
    this.deliverEphemeral(this.byUser.keys(), item);
  }

  get subscriberCount(): number {
    let n = 0;
    for (const s of this.byUser.values()) n += s.size;
    return n;
  }

  /** After a local commit that wrote events: read them here, and wake the other processes. */
  announce(written?: StoredEvent | readonly StoredEvent[]): void {
    this.wake(written === undefined ? undefined : Array.isArray(written) ? written : [written as StoredEvent]);
    if (this.othersListening) void this.sendNotify();
  }

  /** Says this hub is there, and checks that its LISTEN connection still hears it. */
  private beat(): void {
    const since = this.echoPendingSince;
    if (since !== undefined && Date.now() - since > ECHO_MISSING_MS) {
      this.log.warn({ silentMs: Date.now() - since }, 'the LISTEN connection stopped hearing; replacing it');
      this.echoPendingSince = undefined;
      this.database.relisten();
    }
    void this.sendNotify();
  }

  /** Coalesced: while one NOTIFY is in flight, any number of announcements cost one more. */
  private async sendNotify(): Promise<void> {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    try {
      do {
        this.notifyAgain = false;
        this.count.notifiesSent += 1;
        // Owed back to this hub's own LISTEN once committed; set before sending,
        // since the echo can arrive before this call's answer is read.
        this.echoPendingSince ??= Date.now();
        await this.database.notify(EVENTS_CHANNEL, this.id);
        this.outage.worked();
      } while (this.notifyAgain && !this.stopped);
    } catch (error) {
      // Not committed (or not known to be): no echo is owed.
      this.echoPendingSince = undefined;
      if (!this.outage.failed(error, 'event NOTIFY')) {
        this.log.warn({ err: error }, 'event NOTIFY failed; other processes will catch up by polling');
      }
    } finally {
      this.notifying = false;
    }
  }

  /**
   * Reads and routes what is new. `written` (from `announce`) stands in for
   * the read when it is the run of events right after what this hub has
   * routed or holds: ids are handed out in commit order (domain/events/cursor.ts), so no
   * other event can lie between, and whatever committed after it wakes the
   * hub again (its writer's NOTIFY, or its `announce`). Runs handed over
   * while a read or a fan-out is going on are held and routed after it, still
   * unread (a busy hub used to read them back). Already routed: nothing.
   */
  wake(written?: readonly StoredEvent[]): void {
    if (this.stopped || !this.cursor) return;
    const last = written?.at(-1)?.position.id;
    if (written && last !== undefined) {
      const tail = this.held.at(-1)?.position.id ?? this.taken ?? this.cursor.id;
      if (last <= tail) return;
      if (isRunAfter(written, tail)) this.held.push(...written);
      else this.readNeeded = true;
    } else {
      this.readNeeded = true;
    }
    if (this.pumping) return;
    this.pumping = true;
    // Once what is running now is done: a sender's answer goes out before its
    // message's fan-out, and commits that end in the same turn go together.
    setImmediate(this.startPump);
  }

  private readonly startPump = (): void => void this.pump();

  private async pump(): Promise<void> {
    let retryIn: number | undefined;
    let read = false;
    try {
      while ((this.readNeeded || this.held.length > 0) && !this.stopped) {
        const cursor = this.cursor as Position;
        let rows: readonly StoredEvent[];
        const held = this.held.filter((e) => e.position.id > cursor.id);
        this.held = [];
        if (!this.readNeeded && isRunAfter(held, cursor.id)) {
          rows = held;
          this.count.rowsHandedOver += rows.length;
        } else {
          // A read after the cursor finds every held event too: each was
          // committed before it was handed over.
          this.readNeeded = false;
          rows = await this.database.withinDeadline(readAllAfter(this.database.db, cursor, PAGE));
          read = true;
          this.count.reads += 1;
          this.count.rowsRead += rows.length;
          this.outage.worked();
          if (rows.length === PAGE) this.readNeeded = true;
        }
        this.taken = rows.at(-1)?.position.id;
        await this.route(rows);
        const last = rows.at(-1);
        if (last) this.cursor = last.position;
        this.taken = undefined;
      }
      if (this.databaseDown && read && !this.stopped) {
        this.databaseDown = false;
        this.broadcast({ type: 'server.database', available: true });
      }
    } catch (error) {
      // Read again from the cursor: what was held or half routed is in the log
      // (streams skip what they already sent).
      this.held = [];
      this.taken = undefined;
      if (!this.outage.failed(error, 'reading new events')) {
        this.log.error({ err: error }, `reading new events failed; retrying every ${ERROR_RETRY_MS} ms`);
      }
      if (!this.databaseDown) {
        this.databaseDown = true;
        this.broadcast({ type: 'server.database', available: false });
      }
      retryIn = ERROR_RETRY_MS;
    } finally {
      this.pumping = false;
    }
    if (retryIn !== undefined && !this.stopped) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.wake(), retryIn);
    }
  }

  /**
   * Chat events go to the chat's members: one membership read per batch for
   * the chats not already known (`AudienceCache`), none per event or per
   * recipient.
   */
  private async route(rows: readonly StoredEvent[]): Promise<void> {
    if (rows.length === 0) return;
    // Before anything else, and even with no local stream: a membership change
    // makes its chat's cached audience stale for the events after it.
    for (const row of rows) {
      const changed = membershipChanged(row.event);
      if (changed) this.audiences.forget(changed);
    }
    if (this.byUser.size === 0) return;
    const chatIds = [...new Set(rows.flatMap((r) => (r.userId === null && r.event.chatId ? [r.event.chatId] : [])))];
    const audiences = await this.database.withinDeadline(this.audiences.read(this.database.db, chatIds));
    const batches = new Map<Sink, StoredEvent[]>();
    for (const row of rows) {
      // The same object goes to every member's stream: serialised once (apps/server/src/transport/wire.ts).
      const audience = row.userId ? [row.userId] : row.event.chatId ? (audiences.get(row.event.chatId) ?? []) : [];
      for (const userId of audience) {
        const sinks = this.byUser.get(userId);
        if (!sinks) continue;
        for (const sink of sinks) {
          const batch = batches.get(sink);
          if (batch) batch.push(row);
          else batches.set(sink, [row]);
        }
      }
    }
    for (const [sink, batch] of batches) {
      try {
        sink.events(batch);
      } catch (error) {
        this.log.error({ err: error }, 'event subscriber failed');
      }
    }
  }
}

/** The events are ids `after + 1`, `after + 2`, … with none missing. */
function isRunAfter(events: readonly StoredEvent[], after: number): boolean {
  return events.length > 0 && events.every((e, i) => e.position.id === after + 1 + i);
}
