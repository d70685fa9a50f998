import type { Database } from '@chat/db';
import type { Clock } from './clock';
import type { SessionService } from './domain/auth/sessions';
import type { LoginThrottle } from './domain/auth/throttle';
import type { EventHub } from './domain/events/hub';
import type { Logger } from './logger';

/** Everything domain functions may use, passed explicitly (never imported as singletons). */
export interface Deps {
  db: Database;
  clock: Clock;
  /** Reads new events once per process and routes them; `announce()` after committing events. */
  hub: EventHub;
  sessions: SessionService;
  loginThrottle: LoginThrottle;
  log: Logger;
}
