/**
 * How the tool's raw readers (raw-stream.ts over WebSocket, raw-sse.ts over
 * SSE) come back after their connection fails: the failure is recorded, the
 * connection dropped, and a new one opened with the last event id after a
 * wait that doubles with each failure in a row (with jitter, up to a cap, as
 * tRPC's client does), so a storm's clients do not all return at once.
 */
const RETRY_FIRST_MS = 500;
const RETRY_CAP_MS = 10_000;

export class Resumer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly onError: (kind: string, example: string) => void,
    /** Drops the current connection without hearing from it again. */
    private readonly drop: () => void,
    /** Opens a new connection (from the reader's last event id). */
    private readonly connect: () => void,
  ) {}

  /** The connection failed: recorded once, then a new one after the wait. */
  again(kind: string, example: string): void {
    if (this.stopped || this.timer) return;
    this.onError(kind, example);
    this.drop();
    const wait = Math.min(RETRY_CAP_MS, RETRY_FIRST_MS * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, wait);
  }

  /** An item arrived: the next failure waits the shortest time again. */
  succeeded(): void {
    this.failures = 0;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.drop();
  }
}
