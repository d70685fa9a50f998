import type { Database } from '@chat/db';
import type {
  BlobStore,
  Clock,
  Hub,
  Logger,
  LoginThrottle,
  LongPolls,
  Presence,
  RateLimits,
  SessionService,
} from './ports';

/** Everything domain functions may use, passed explicitly (never imported as singletons). */
export interface Deps {
  db: Database;
  /**
   * `work`, or a lost-database error once the configured deadline has passed
   * (a stalled PostgreSQL: @chat/db's deadline.ts). For what a request or a
   * stream waits on; `work` as it is where nothing can stall (PGlite).
   */
  withinDeadline<T>(work: Promise<T>): Promise<T>;
  clock: Clock;
  /** Image bytes: a local directory or an S3 bucket. */
  blobs: BlobStore;
  /** Reads new events once per process and routes them; `announce()` after committing events. */
  hub: Hub;
  /** Who is online, and typing signals; ephemeral, across processes by NOTIFY. */
  presence: Presence;
  /** Held polls (`events.poll` with `waitMs`), answered from the mailboxes the hub fills. */
  longPolls: LongPolls;
  sessions: SessionService;
  loginThrottle: LoginThrottle;
  /** Per-key rate limits shared by every process (counted in PostgreSQL). */
  limits: RateLimits;
  log: Logger;
}
