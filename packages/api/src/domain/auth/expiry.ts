/**
 * Ends a live stream when its session expires while the stream is open. A
 * stream makes no calls, so nothing else would look at the session again
 * until the client reconnects: at the session's current end it is validated
 * once more. Still valid (used meanwhile on another call) gives a new end to
 * wait for; gone (idle or absolute limit reached, or ended elsewhere) aborts.
 */
import type { Deps } from '../../deps';

/** setTimeout's longest delay (about 24.8 days); a later end is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;
/** When the database cannot say, ask again after this long. */
const RECHECK_MS = 60_000;

export interface SessionWatch {
  /** Aborted when the session has expired. */
  readonly signal: AbortSignal;
  readonly expired: boolean;
  /** Stops watching (the stream ended for another reason); no timer is left behind. */
  stop(): void;
}

export function watchSessionExpiry(deps: Pick<Deps, 'sessions' | 'clock'>, sessionId: string, end: Date): SessionWatch {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let expired = false;
  const schedule = (at: number) => {
    if (stopped) return;
    const delay = Math.min(Math.max(at - deps.clock.now().getTime(), 0) + 50, MAX_TIMER_MS);
    timer = setTimeout(check, delay);
    timer.unref();
  };
  const check = () => {
    deps.sessions.validate(sessionId).then(
      (valid) => {
        if (stopped) return;
        if (valid) return schedule(valid.session.expiresAt.getTime());
        expired = true;
        controller.abort();
      },
      () => schedule(deps.clock.now().getTime() + RECHECK_MS),
    );
  };
  schedule(end.getTime());
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
