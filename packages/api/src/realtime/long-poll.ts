/**
 * Long-polling (`events.poll` with `waitMs`): a request held until there is
 * something for the user, answered from memory the hub fills as it routes
 * events, not by a query per poll (docs/event-stream.md, "Long-polling").
 *
 * Each user polling this process has a mailbox, registered with the hub like
 * a live stream (a `Sink`) and kept for a while after each poll, so what
 * comes while the client is away (between an answer and its next poll) is
 * there for the next answer: a busy user batches naturally. It holds the
 * user's recent events in id order and knows after which position it holds
 * all of them (`known`). A poll whose cursor is at or past that position is
 * answered from memory; any other (the first, one resumed on this process,
 * one away longer than the mailbox keeps events) reads the log once, as a
 * stream's start does, and tells the mailbox where it stands.
 *
 * Exactly once, as the stream: the mailbox is registered before the log is
 * read, so an event committed meanwhile is in one or the other (or both, and
 * is then taken once by its id). Answers are cut from the mailbox by the
 * poll's cursor, never taken out of it, so two tabs of one user, or a poll
 * asked again after its answer was lost, each get every event.
 */
import type { Database } from '@chat/db';
import { decodePosition, type Position } from '../domain/events/cursor';
import { openStream, type PollPage, type Positioned, toPollPage } from '../domain/events/poll';
import type { StoredEvent } from '../domain/events/store';
import type { EphemeralItem } from '../domain/events/types';
import { tooMany, unauthorized } from '../errors';
import type { Clock, Hub, LongPollRequest, LongPolls, Presence, Sink } from '../ports';

/** How long a mailbox outlives its last poll, and keeps an event; a client back later reads the log once. */
export const MAILBOX_KEEP_MS = 60_000;
/** Events one mailbox holds at most; past it the oldest go (a poll from before them reads the log). */
const MAILBOX_ROWS = 10_000;
/** Ephemeral items (presence, typing) kept for a session none of whose polls waits. */
const PENDING_EPHEMERAL = 100;
/** How often kept events and idle mailboxes are looked over. */
const SWEEP_MS = 10_000;
/**
 * A session answered with something this recently is busy: its next answer
 * waits this long after the first item comes, so that what follows closely
 * goes in the same answer (one request instead of several). A quiet session's
 * first item goes at once (docs/event-stream.md, "Long-polling").
 */
export const BUSY_MS = 1_000;
export const LINGER_MS = 50;
/**
 * A long wait ends on a whole second (at most this much early), so that the
 * idle polls whose waits end within the same second are answered in one
 * wake-up of the process rather than one each: at idle a wake-up, not the
 * answer, is most of what a poll costs (docs/event-stream.md, "Long-polling").
 */
export const COALESCE_MS = 1_000;

/** `until` moved back to a whole `COALESCE_MS`, for a wait long enough that it hardly changes. */
export function coalesced(until: number, waitMs: number): number {
  if (waitMs < 5 * COALESCE_MS) return until;
  return Math.floor(until / COALESCE_MS) * COALESCE_MS;
}

export interface LongPollDeps {
  db: Database;
  /** Each log read waits no longer than the database's deadline; the wait itself is not a read. */
  withinDeadline<T>(work: Promise<T>): Promise<T>;
  hub: Pick<Hub, 'subscribe' | 'unsubscribe'>;
  /** A user with a mailbox here is online, as with a stream. */
  presence: Pick<Presence, 'connect' | 'disconnect'>;
  /** The sessions' time (tests move it): how long a session has left. */
  clock: Clock;
}

export interface LongPollOptions {
  /** Polls one user may have in progress at once on this process (`WAITING_POLLS_PER_USER`). */
  perUser: number;
  /** Tests shorten it. */
  keepMs?: number;
}

/** One held poll. */
interface Waiter {
  cursor: Position;
  /** Ephemeral items that came while it waited. */
  ephemeral: EphemeralItem[];
  wake: (() => void) | undefined;
  /** Ends the current wait at once: the client went away, or the service is stopping. */
  stop: (() => void) | undefined;
}

/** The polls of one session in a mailbox. */
interface SessionPolls {
  ref: string;
  waiters: Set<Waiter>;
  /** Ephemeral items that came while none of its polls waited: the next one takes them. */
  pending: EphemeralItem[];
  /**
   * A log read found the session alive while the mailbox was registered, so
   * its end, if it comes, is an event the mailbox hears (`endedAt`). Until
   * then its polls read the log, whose statement checks the session.
   */
  checked: boolean;
  /** The id of its `session.ended`: its polls get what led up to it, then UNAUTHORIZED. */
  endedAt: number | undefined;
  lastPollAt: number;
  /** When a poll of it was last answered with items (Date.now()). */
  answeredAt: number;
}

/** Keeps ephemeral items for the session's next poll: worth little late, the oldest go past the cap. */
function keepPending(session: SessionPolls, items: readonly EphemeralItem[]): void {
  session.pending.push(...items);
  if (session.pending.length > PENDING_EPHEMERAL) session.pending.splice(0, session.pending.length - PENDING_EPHEMERAL);
}

const endsSession = (row: StoredEvent, ref: string) =>
  row.event.type === 'session.ended' && row.event.payload.sessionRef === ref;

/** One user's mailbox on this process: the user's recent events, in id order, and who waits for them. */
class Mailbox implements Sink {
  private rows: StoredEvent[] = [];
  /** When each row came (Date.now()), for dropping old ones. */
  private arrived: number[] = [];
  /** Every event of the user after this position is in `rows`; unknown until a log read says. */
  known: Position | undefined;
  /** The highest id dropped from `rows`: `known` is never below it. */
  private dropped = 0;
  readonly sessions = new Map<string, SessionPolls>();
  /** Polls in progress (reading or waiting): a mailbox with any is never dropped. */
  busy = 0;
  lastPollAt = Date.now();

  events(batch: StoredEvent[]): void {
    const now = Date.now();
    let last = this.rows.at(-1)?.position.id ?? this.dropped;
    for (const row of batch) {
      // The hub may hand over again what it routed before a failed read (streams skip it too).
      if (row.position.id <= last) continue;
      last = row.position.id;
      this.rows.push(row);
      this.arrived.push(now);
      this.noteEnd(row);
    }
    if (this.rows.length > MAILBOX_ROWS) this.drop(this.rows.length - MAILBOX_ROWS);
    for (const session of this.sessions.values()) {
      for (const waiter of session.waiters) if (last > waiter.cursor.id) waiter.wake?.();
    }
  }

  ephemeral(item: EphemeralItem): void {
    for (const session of this.sessions.values()) {
      if (session.waiters.size === 0) {
        keepPending(session, [item]);
        continue;
      }
      for (const waiter of session.waiters) {
        waiter.ephemeral.push(item);
        waiter.wake?.();
      }
    }
  }

  session(id: string, ref: string): SessionPolls {
    let session = this.sessions.get(id);
    if (!session) {
      const now = Date.now();
      session = {
        ref,
        waiters: new Set(),
        pending: [],
        checked: false,
        endedAt: undefined,
        lastPollAt: now,
        answeredAt: 0,
      };
      this.sessions.set(id, session);
    }
    return session;
  }

  /** True when there is something for the waiting poll (what `collect` would answer is not empty). */
  hasFor(waiter: Waiter, session: SessionPolls): boolean {
    return (
      waiter.ephemeral.length > 0 || session.pending.length > 0 || this.firstAfter(waiter.cursor.id) < this.rows.length
    );
  }

  /** True when every event of the user after `cursor` is here. */
  holdsAfter(cursor: Position): boolean {
    return this.known !== undefined && cursor.id >= this.known.id;
  }

  /**
   * What a log read that began at `from` found (`complete`: every event of
   * the user it could see, not a full page). The mailbox was registered
   * before it, so with what the hub has handed over since, it holds every
   * event of the user after `from` (except what it has dropped).
   */
  learn(from: Position, page: readonly StoredEvent[], complete: boolean): void {
    if (!complete) return;
    const base = Math.max(from.id, this.dropped);
    const fresh = page.filter((row) => row.position.id > base);
    if (fresh.length > 0) this.merge(fresh);
    if (this.known === undefined || base < this.known.id) this.known = { id: base };
  }

  /**
   * The answer for a poll at `waiter.cursor`: the events after it, in id
   * order (up to its own session's end), then the ephemeral items that came
   * for it; null when the mailbox does not hold everything after the cursor.
   */
  collect(waiter: Waiter, session: SessionPolls, limit: number): PollPage | null {
    if (!this.holdsAfter(waiter.cursor)) return null;
    const items: Positioned[] = [];
    let cursor = waiter.cursor;
    for (let i = this.firstAfter(cursor.id); i < this.rows.length && items.length < limit; i++) {
      const row = this.rows[i] as StoredEvent;
      items.push({ position: row.position, item: row.event });
      cursor = row.position;
      // Nothing after the session's end goes to it, as its stream would stop there.
      if (endsSession(row, session.ref)) return { items, cursor };
    }
    // Ephemeral items carry the position they came after, as on the stream.
    if (waiter.ephemeral.length === 0 && session.pending.length === 0) return { items, cursor };
    const ephemeral = [...waiter.ephemeral, ...session.pending];
    waiter.ephemeral = [];
    session.pending = [];
    for (const item of ephemeral) {
      if (items.length >= limit) break;
      items.push({ position: cursor, item });
    }
    return { items, cursor };
  }

  /** Drops events kept longer than `keepMs`, and sessions that have not polled for as long. */
  sweep(now: number, keepMs: number): void {
    let old = 0;
    while (old < this.arrived.length && (this.arrived[old] as number) < now - keepMs) old += 1;
    if (old > 0) this.drop(old);
    for (const [id, session] of this.sessions) {
      if (session.waiters.size === 0 && now - session.lastPollAt > keepMs) this.sessions.delete(id);
    }
  }

  /** Wakes every waiting poll (the service is stopping). */
  wakeAll(): void {
    for (const session of this.sessions.values()) for (const waiter of session.waiters) waiter.wake?.();
  }

  private noteEnd(row: StoredEvent): void {
    if (row.event.type !== 'session.ended') return;
    for (const session of this.sessions.values()) {
      if (!endsSession(row, session.ref)) continue;
      session.endedAt ??= row.position.id;
      for (const waiter of session.waiters) waiter.wake?.();
    }
  }

  /** Index of the first row after `id` (rows are in id order). */
  private firstAfter(id: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.rows[mid] as StoredEvent).position.id <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds rows a log read found, keeping id order and each id once. */
  private merge(fresh: readonly StoredEvent[]): void {
    const now = Date.now();
    const byId = new Map<number, { row: StoredEvent; at: number }>();
    for (const [i, row] of this.rows.entries()) byId.set(row.position.id, { row, at: this.arrived[i] as number });
    for (const row of fresh) {
      if (byId.has(row.position.id)) continue;
      byId.set(row.position.id, { row, at: now });
      this.noteEnd(row);
    }
    const merged = [...byId.values()].sort((a, b) => a.row.position.id - b.row.position.id);
    this.rows = merged.map((m) => m.row);
    this.arrived = merged.map((m) => m.at);
  }

  /** Drops the oldest `count` rows: the mailbox then holds everything only after the last of them. */
  private drop(count: number): void {
    const last = this.rows[count - 1];
    this.rows.splice(0, count);
    this.arrived.splice(0, count);
    if (!last) return;
    this.dropped = Math.max(this.dropped, last.position.id);
    if (this.known !== undefined && this.known.id < this.dropped) this.known = { id: this.dropped };
  }
}

/**
 * Waits until `waiter` is woken (something came), `ms` pass, or its poll's
 * client goes away (`waiter.stop`, called by the poll's one abort listener).
 * One timer, removed as it ends whichever way.
 */
function pause(waiter: Waiter, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waiter.wake = undefined;
      waiter.stop = undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiter.wake = done;
    waiter.stop = done;
  });
}

/** Waits `ms`, or less if the poll's client goes away; what comes meanwhile joins the answer. */
function linger(waiter: Waiter, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waiter.stop = undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiter.stop = done;
  });
}

/** This process's long polls: one mailbox per polling user, and the cap on each user's polls. */
export class LongPollService implements LongPolls {
  private readonly mailboxes = new Map<string, Mailbox>();
  /** Each user's polls in progress on this process. */
  private readonly inProgress = new Map<string, number>();
  private readonly keepMs: number;
  private readonly sweeper: NodeJS.Timeout;
  private stopped = false;
  private reads = 0;

  constructor(
    private readonly deps: LongPollDeps,
    private readonly options: LongPollOptions,
  ) {
    this.keepMs = options.keepMs ?? MAILBOX_KEEP_MS;
    this.sweeper = setInterval(() => this.sweep(), Math.min(SWEEP_MS, this.keepMs));
    this.sweeper.unref();
  }

  /** Reads of the event log made for long polls (tests count them: an answer from memory makes none). */
  get logReads(): number {
    return this.reads;
  }

  /** Users with a mailbox here. */
  get mailboxCount(): number {
    return this.mailboxes.size;
  }

  /** Polls held right now (waiting, not reading), across users. */
  get waiting(): number {
    let n = 0;
    for (const box of this.mailboxes.values()) for (const s of box.sessions.values()) n += s.waiters.size;
    return n;
  }

  async poll(request: LongPollRequest): Promise<PollPage> {
    const { userId } = request.actor;
    // A malformed cursor is refused before anything is held or read.
    const cursor = request.lastEventId ? decodePosition(request.lastEventId) : null;
    const held = this.inProgress.get(userId) ?? 0;
    if (held >= this.options.perUser) {
      throw tooMany(`At most ${this.options.perUser} waiting polls per user on this server.`);
    }
    // Stopping: answered at once from the log; the client polls again, on the next server.
    if (this.stopped) return this.read(undefined, request);
    this.inProgress.set(userId, held + 1);
    const box = this.mailboxOf(userId);
    box.busy += 1;
    try {
      return await this.serve(box, request, cursor);
    } finally {
      box.busy -= 1;
      box.lastPollAt = Date.now();
      const left = (this.inProgress.get(userId) ?? 1) - 1;
      if (left > 0) this.inProgress.set(userId, left);
      else this.inProgress.delete(userId);
    }
  }

  /** Answers the ones waiting at once (with what there is) and drops every mailbox; later polls read the log. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.sweeper);
    for (const [userId, box] of this.mailboxes) {
      box.wakeAll();
      this.close(userId, box);
    }
  }

  private async serve(box: Mailbox, request: LongPollRequest, cursor: Position | null): Promise<PollPage> {
    const session = box.session(request.session.id, request.actor.sessionRef);
    session.lastPollAt = Date.now();
    let at = cursor;
    if (at === null || !session.checked || !box.holdsAfter(at)) {
      const page = await this.read(box, request);
      session.checked = true;
      if (page.items.length > 0) session.answeredAt = Date.now();
      if (page.items.length > 0 || !box.holdsAfter(page.cursor)) return page;
      at = page.cursor;
    }
    // Held no longer than asked, nor past the session's end (the next poll is then refused).
    const left = request.session.expiresAt.getTime() - this.deps.clock.now().getTime();
    const until = coalesced(Date.now() + Math.min(request.waitMs, Math.max(0, left)), request.waitMs);
    const waiter: Waiter = { cursor: at, ephemeral: [], wake: undefined, stop: undefined };
    // One listener for the whole poll, however many times it waits.
    const gone = () => waiter.stop?.();
    request.signal?.addEventListener('abort', gone, { once: true });
    session.waiters.add(waiter);
    try {
      let lingered = false;
      for (;;) {
        if (session.endedAt !== undefined && waiter.cursor.id >= session.endedAt) throw unauthorized();
        // The mailbox dropped what followed the cursor: the next poll reads the log.
        if (!box.holdsAfter(waiter.cursor)) return { items: [], cursor: waiter.cursor };
        const wait = until - Date.now();
        const done = wait <= 0 || request.signal?.aborted || this.stopped;
        if (box.hasFor(waiter, session)) {
          if (!lingered && !done && Date.now() - session.answeredAt < BUSY_MS) {
            lingered = true;
            await linger(waiter, Math.min(LINGER_MS, wait));
            continue;
          }
          const answer = box.collect(waiter, session, request.limit) ?? { items: [], cursor: waiter.cursor };
          if (answer.items.length > 0) session.answeredAt = Date.now();
          return answer;
        }
        if (done) return { items: [], cursor: waiter.cursor };
        await pause(waiter, wait);
      }
    } finally {
      request.signal?.removeEventListener('abort', gone);
      session.waiters.delete(waiter);
      // What came for it after it was answered waits for the session's next poll.
      if (waiter.ephemeral.length > 0) keepPending(session, waiter.ephemeral);
    }
  }

  /**
   * Reads the log after the poll's cursor (its start, as a stream's: at the
   * head with `stream.ready`, or `stream.resync`), checking the session in
   * the same statement, and tells the mailbox what it found.
   */
  private async read(box: Mailbox | undefined, request: LongPollRequest): Promise<PollPage> {
    this.reads += 1;
    const { actor, session, lastEventId, limit } = request;
    const { start, page } = await this.deps.withinDeadline(
      openStream(this.deps.db, { ...actor, uncheckedSessionId: session.id }, lastEventId, limit),
    );
    box?.learn(start.cursor, page, page.length < limit);
    // Nothing after the session's end goes to it, as its stream would stop there.
    const end = page.findIndex((row) => endsSession(row, actor.sessionRef));
    return toPollPage(start, end < 0 ? page : page.slice(0, end + 1));
  }

  private mailboxOf(userId: string): Mailbox {
    let box = this.mailboxes.get(userId);
    if (!box) {
      box = new Mailbox();
      this.mailboxes.set(userId, box);
      // Registered before any log read of its polls, so nothing falls between.
      this.deps.hub.subscribe(userId, box);
      this.deps.presence.connect(userId);
    }
    return box;
  }

  private close(userId: string, box: Mailbox): void {
    this.mailboxes.delete(userId);
    this.deps.hub.unsubscribe(userId, box);
    this.deps.presence.disconnect(userId);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [userId, box] of this.mailboxes) {
      box.sweep(now, this.keepMs);
      if (box.busy === 0 && now - box.lastPollAt > this.keepMs) this.close(userId, box);
    }
  }
}
