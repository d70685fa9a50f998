/**
 * The composition root: builds every service that `Deps` names (ports.ts)
 * and starts the long-running ones (realtime/), in one place for the server
 * (apps/server/src/server.ts) and the tests (test/deps.ts), so both run the
 * same wiring (docs/architecture.md).
 */
import type { BlobStore } from './blobs/store';
import { type Clock, systemClock } from './clock';
import type { Deps } from './deps';
import { createSessionService, type SessionOptions } from './domain/auth/sessions';
import { createLoginThrottle } from './domain/auth/throttle';
import { createRateLimits } from './domain/limits/limiter';
import { type RateLimitRules, resolveRateLimits } from './domain/limits/rules';
import type { Logger } from './logger';
import { EventHub, type HubDatabase } from './realtime/hub';
import { LongPollService } from './realtime/long-poll';
import { type PresenceOptions, PresenceService } from './realtime/presence';

export interface ComposeOptions {
  /** Queries, LISTEN/NOTIFY and the database's deadline (@chat/db's `DatabaseHandle`). */
  database: HubDatabase;
  blobs: BlobStore;
  log: Logger;
  /** Time for sessions and the domain; tests pass one they move. The system's by default. */
  clock?: Clock;
  /** The defaults when absent. */
  rateLimits?: RateLimitRules;
  sessions: Omit<SessionOptions, 'clock'>;
  presence: PresenceOptions;
  /** The hub's fallback poll (ms); tests lengthen it. */
  safetyPollMs?: number;
  /** Long polls one user may have in progress at once on this process (16 by default). */
  waitingPollsPerUser?: number;
}

/** What `composeDeps` built: `deps` for the domain, and the concrete services for whoever runs them. */
export interface Composed {
  deps: Deps;
  hub: EventHub;
  presence: PresenceService;
  longPolls: LongPollService;
  /** Answers held polls, stops presence, then the hub; the database is the caller's to close. */
  stop(): Promise<void>;
}

/** Builds the services and starts the hub, then presence (which routes through it). */
export async function composeDeps(options: ComposeOptions): Promise<Composed> {
  const { database, log } = options;
  const clock = options.clock ?? systemClock;
  const hub = new EventHub(database, log, options.safetyPollMs);
  await hub.start();
  const presence = new PresenceService(database, hub, log, options.presence);
  await presence.start();
  const longPolls = new LongPollService(
    { db: database.db, withinDeadline: (work) => database.withinDeadline(work), hub, presence, clock },
    { perUser: options.waitingPollsPerUser ?? 16 },
  );
  const limits = createRateLimits(database.db, options.rateLimits ?? resolveRateLimits());
  const deps: Deps = {
    db: database.db,
    withinDeadline: (work) => database.withinDeadline(work),
    clock,
    blobs: options.blobs,
    hub,
    presence,
    longPolls,
    sessions: createSessionService(database.db, { ...options.sessions, clock }),
    limits,
    loginThrottle: createLoginThrottle(limits),
    log,
  };
  return {
    deps,
    hub,
    presence,
    longPolls,
    async stop() {
      longPolls.stop();
      await presence.stop();
      await hub.stop();
    },
  };
}
