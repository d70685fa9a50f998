/**
 * Ends a live stream when its session expires while the stream is open. A
 * stream makes no calls, so nothing else would look at the session again
 * until the client reconnects: at the session's current end it is validated
 * once more. Still valid (used meanwhile on another call) gives a new end to
 * wait for; gone (idle or absolute limit reached, or ended elsewhere) tells
 * the stream.
 *
 * One timer per open stream and no closure of its own: an idle stream's
 * memory is what a server with many of them is measured by
 * (docs/event-stream.md, "An idle stream").
 */
import type { Clock } from '../clock';
import type { SessionService } from '../domain/auth/sessions';

/** setTimeout's longest delay (about 24.8 days); a later end is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;
/** When the database cannot say, ask again after this long. */
const RECHECK_MS = 60_000;

export class SessionWatch {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: { sessions: Pick<SessionService, 'validate'>; clock: Clock },
    private readonly sessionId: string,
    end: Date,
    /** Told once the session is gone (expired or ended elsewhere). */
    private readonly target: { sessionExpired(): void },
  ) {
    this.schedule(end.getTime());
  }

  /** Stops watching (the stream ended for another reason); no timer is left behind. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    const delay = Math.min(Math.max(at - this.deps.clock.now().getTime(), 0) + 50, MAX_TIMER_MS);
    this.timer = setTimeout(check, delay, this);
    this.timer.unref();
  }

  /** @internal the timer's callback */
  check(): void {
    this.deps.sessions.validate(this.sessionId).then(
      (valid) => {
        if (this.stopped) return;
        if (valid) return this.schedule(valid.session.expiresAt.getTime());
        this.target.sessionExpired();
      },
      () => this.schedule(this.deps.clock.now().getTime() + RECHECK_MS),
    );
  }
}

function check(watch: SessionWatch): void {
  watch.check();
}
