/**
 * Whether this tab has had no input for a while: idle after `delayMs`
 * without a key, a click, a touch, a wheel or a pointer move, and back at the
 * next one. Reports each change once; the server combines the user's tabs
 * (docs/presence.md, "Status").
 */

/** What counts as the person being here. */
export const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export interface IdleTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: IdleTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class IdleWatch {
  private last: number;
  private idle = false;
  private timer: unknown;

  constructor(
    private readonly report: (idle: boolean) => void,
    private readonly delayMs: number,
    private readonly timers: IdleTimers = realTimers,
  ) {
    this.last = timers.now();
    this.schedule(delayMs);
  }

  get isIdle(): boolean {
    return this.idle;
  }

  /** The person did something in this tab. Cheap: pointer moves come often, so no timer is reset here. */
  input(): void {
    this.last = this.timers.now();
    if (!this.idle) return;
    this.idle = false;
    this.report(false);
    this.schedule(this.delayMs);
  }

  stop(): void {
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => this.check(), ms);
  }

  private check(): void {
    const quiet = this.timers.now() - this.last;
    if (quiet < this.delayMs) {
      this.schedule(this.delayMs - quiet);
      return;
    }
    this.timer = undefined;
    this.idle = true;
    this.report(true);
  }
}
