/**
 * The services that domain functions use, as the domain names them: `Deps`
 * (deps.ts) holds these interfaces, never the classes that implement them.
 * The long-running ones live in realtime/; compose.ts builds them all, for
 * the server and for the tests (docs/architecture.md).
 */
import type { PollPage, StreamActor } from './domain/events/poll';
import type { StoredEvent } from './domain/events/store';
import type { EphemeralItem } from './domain/events/types';
import type { PresenceState } from './domain/presence/state';

export type { BlobStore } from './blobs/store';
export type { Clock } from './clock';
export type { SessionService } from './domain/auth/sessions';
export type { LoginThrottle } from './domain/auth/throttle';
export type { RateLimits } from './domain/limits/limiter';
export type { Logger } from './logger';

/** A local stream: stored events in order, and ephemeral items (presence, typing) as they come. */
export interface Sink {
  events(rows: StoredEvent[]): void;
  ephemeral(item: EphemeralItem): void;
}

/** This process's record of database outages: each logged once as it starts and once as it ends. */
export interface OutageReport {
  /** True when `error` is the database being away (the caller then logs nothing more); false for any other error. */
  failed(error: unknown, what: string): boolean;
  /** A round trip to the database worked. */
  worked(): void;
}

/** The process's event hub: told after each commit that wrote events, it routes them to local streams. */
export interface Hub {
  /**
   * After a commit that wrote events. `written`: the events it wrote, in id
   * order, as its statement read them back (the hub need not read them again).
   */
  announce(written?: StoredEvent | readonly StoredEvent[]): void;
  /** Registers a local stream of `userId`; call before reading its backlog, so nothing falls between. */
  subscribe(userId: string, sink: Sink): void;
  unsubscribe(userId: string, sink: Sink): void;
  /** True when this process holds a stream of `userId`. */
  hasLocal(userId: string): boolean;
  readonly outage: OutageReport;
}

/** Who is online, and typing signals: ephemeral, shared across processes. */
export interface Presence {
  /** A stream of `userId` opened here (from the tab `tabId`, if named); `disconnect` once when it closes. */
  connect(userId: string, tabId?: string): void;
  disconnect(userId: string, tabId?: string): void;
  /** Online state, last-seen and shown status of the given users (the caller has checked who may see them). */
  states(userIds: string[]): Promise<PresenceState[]>;
  /** A tab of `userId` had no input for a while, or has again (whichever process holds its stream takes it). */
  setIdle(userId: string, tabId: string, idle: boolean): Promise<void>;
  /** `userId`'s status changed: those who may see them are told. */
  changed(userId: string): Promise<void>;
  /** How long a tab waits without input before it reports itself idle. */
  readonly awayAfterIdleMs: number;
  /** Tells the chat's other members that `userId` is typing in it. */
  typing(userId: string, chatId: string): Promise<void>;
}

/** One long poll (`events.poll` with `waitMs`): who asks, from where, and for how long it may be held. */
export interface LongPollRequest {
  actor: Pick<StreamActor, 'userId' | 'sessionRef'>;
  /** The caller's session: its log reads check that it still exists, and a poll is held no longer than it lasts. */
  session: { id: string; expiresAt: Date };
  lastEventId: string | null | undefined;
  limit: number;
  /** Held at most this long (ms, above 0) while there is nothing for the user. */
  waitMs: number;
  /** The request's: aborted when the client goes away, which ends the wait. */
  signal?: AbortSignal;
}

/**
 * Long-polling: a poll held until there is something for the user, answered
 * from what the hub routes to a mailbox, not by a query per poll
 * (realtime/long-poll.ts; docs/event-stream.md, "Long-polling").
 */
export interface LongPolls {
  poll(request: LongPollRequest): Promise<PollPage>;
}
