/**
 * Which transport carries the user's event stream, chosen and left by itself
 * (docs/event-stream.md, "Choosing a transport"): WebSocket first; SSE when
 * the WebSocket cannot connect or connects but carries nothing; long-polling
 * when SSE cannot connect or is buffered. From SSE or polling the better
 * transport is tried again in the background, at a growing interval, and
 * taken over only once it is live, the cursor moving across and events seen
 * on both dropped by id. No timers of its own, no sockets: the attempts and
 * the clock are given, so the web app and the typed client share it and
 * tests drive it with fakes.
 */

export type StreamTransport = 'ws' | 'sse' | 'poll';
/** `auto` chooses; a transport forces it (troubleshooting: no fallback, no probe). */
export type TransportChoice = StreamTransport | 'auto';

/**
 * Why the stream is on its transport: the best one; forced; or nothing came
 * back from the better one (`*-failed`: refused, or a proxy that buffers a
 * stream whole sends no byte of it) or it connected and then carried nothing
 * (`*-silent`: a proxy that accepts a WebSocket and holds its frames).
 */
export type TransportReason = 'best' | 'forced' | 'websocket-failed' | 'websocket-silent' | 'sse-failed' | 'sse-silent';

export interface StreamStatus {
  /** The transport in use, or being connected. */
  transport: StreamTransport;
  /** Whether events arrive now. */
  live: boolean;
  reason: TransportReason;
}

/** What one attempt at a transport reports. Calls after it is stopped are ignored. */
export interface AttemptHooks<Item> {
  /** Bytes came back: the WebSocket opened; SSE's first event (`connected`); a poll was answered. */
  connected(): void;
  /** One item and its tracked id (its position in the stream). */
  item(id: string, item: Item): void;
  /** Polling: the position moved without an item. */
  cursor(id: string): void;
  /** The connection dropped and the attempt reconnects by itself. */
  reconnecting(): void;
  /** It cannot connect (the WebSocket closed before opening, or keeps failing to reopen). */
  unusable(): void;
  /** The server answered with an error, or a poll failed. */
  failed(error: unknown): void;
  /** The server ended the stream. */
  ended(): void;
}

export interface StreamAttempt {
  stop(): void;
}

export type OpenAttempt<Item, A extends StreamAttempt = StreamAttempt> = (
  transport: StreamTransport,
  lastEventId: string | null,
  hooks: AttemptHooks<Item>,
) => A;

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface Timing {
  /** A WebSocket must open, and SSE send its first bytes, within this. */
  connectMs: number;
  /** After it opened, a WebSocket must carry the stream's first item within this. */
  firstItemMs: number;
  /** The waits between tries of the better transport, the last repeated. */
  probeMs: readonly number[];
  /** Retrying a transport after it failed: the first at once, then from this, doubling... */
  retryMs: number;
  /** ...up to this. */
  retryMaxMs: number;
}

export const DEFAULT_TIMING: Timing = {
  connectMs: 5_000,
  firstItemMs: 5_000,
  probeMs: [5_000, 10_000, 20_000, 40_000, 80_000, 120_000],
  retryMs: 1_000,
  retryMaxMs: 30_000,
};

export interface ChooserOptions<Item, A extends StreamAttempt> {
  choice: TransportChoice;
  open: OpenAttempt<Item, A>;
  lastEventId?: string | null;
  /** Each item once; stored events seen on two transports are handed over once. */
  onItem(item: Item, id: string): void;
  /** The transport, whether it is live, and why; `attempt` is the live attempt's (its socket, for sends). */
  onStatus?(status: StreamStatus, attempt: A | null): void;
  /** The id of a stored event, to drop repeats by (none for presence, typing and the stream's own items). */
  eventIdOf(item: Item): number | undefined;
  /**
   * Whether an item says the stream is live (caught up: `stream.ready`, or
   * `stream.resync`). Until then a stream is connecting, and a better
   * transport being tried does not take over. Default: any item.
   */
  isReady?(item: Item): boolean;
  /**
   * After the server ended or refused the stream: whether to go on (a
   * signed-out user stops here). Rejecting counts as yes. Default: yes.
   */
  shouldResume?(error: unknown): Promise<boolean>;
  /** Whether an error says the server does not know our cursor: then it restarts from now. */
  isStaleCursor?(error: unknown): boolean;
  /** Called when the cursor was dropped (the consumer should reload what it holds). */
  onStaleCursor?(): void;
  onError?(error: unknown): void;
  timers?: Timers;
  timing?: Partial<Timing>;
}

const ORDER: readonly StreamTransport[] = ['ws', 'sse', 'poll'];
/** Stored event ids remembered to drop repeats: far more than two transports ever overlap by. */
const SEEN_MEMORY = 5_000;

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One attempt and what the chooser knows of it. */
interface Run<A> {
  transport: StreamTransport;
  attempt: A | null;
  connected: boolean;
  live: boolean;
  /** It was live once: losing it then is more likely a server restarting than a network that blocks it. */
  wasLive: boolean;
  /**
   * The highest stored event id it has reached: what the chooser had handed
   * over when it opened (it starts from that cursor), then each event it
   * carries, new or a repeat.
   */
  reached: number;
  /** The connect or first-item deadline. */
  watchdog: unknown;
}

export class TransportChooser<Item, A extends StreamAttempt = StreamAttempt> {
  private readonly timing: Timing;
  private readonly timers: Timers;
  private readonly top: StreamTransport;
  private lastEventId: string | null;
  private current: Run<A> | null = null;
  private probe: Run<A> | null = null;
  /** The transport to reopen after a pause. */
  private resumeOn: StreamTransport;
  private whyNotWs: TransportReason = 'websocket-failed';
  private whyNotSse: TransportReason = 'sse-failed';
  private retryTimer: unknown;
  private retries = 0;
  private probeTimer: unknown;
  private probeStep = 0;
  /** The current transport failed since it was last live: when it is back, try the better one at once. */
  private recovering = false;
  private closed = false;
  private readonly seen = new Set<number>();
  /** The highest stored event id handed over: the cursor never goes back behind it. */
  private reached = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ChooserOptions<Item, A>) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.timers = options.timers ?? realTimers;
    this.top = options.choice === 'auto' ? 'ws' : options.choice;
    this.resumeOn = this.top;
    this.lastEventId = options.lastEventId ?? null;
  }

  /** The id to resume from. */
  get cursor(): string | null {
    return this.lastEventId;
  }

  status(): StreamStatus {
    const transport = this.current?.transport ?? this.resumeOn;
    return { transport, live: this.current?.live ?? false, reason: this.reasonFor(transport) };
  }

  start(): void {
    this.begin(this.resumeOn);
  }

  /** The network went away: stop everything until `networkChanged`. */
  pause(): void {
    if (this.closed) return;
    this.resumeOn = this.current?.transport ?? this.resumeOn;
    this.stopRun(this.probe);
    this.probe = null;
    this.stopRun(this.current);
    this.current = null;
    this.timers.clear(this.retryTimer);
    this.timers.clear(this.probeTimer);
    this.probeTimer = undefined;
    this.report();
  }

  /**
   * The network is back or changed, or the page is visible again: reconnect
   * at once unless an attempt is under way, and try the better transport at
   * once (its interval starts over).
   */
  networkChanged(): void {
    if (this.closed) return;
    this.retries = 0;
    // Nothing running (paused, or waiting out a back-off): now. An attempt under way is left to finish.
    if (!this.current?.attempt) this.begin(this.current?.transport ?? this.resumeOn);
    this.probeNow();
  }

  close(): void {
    this.pause();
    this.closed = true;
  }

  // --- attempts -------------------------------------------------------------

  private begin(transport: StreamTransport): void {
    this.timers.clear(this.retryTimer);
    this.stopRun(this.current);
    this.current = null;
    if (this.closed) return;
    this.resumeOn = transport;
    this.openRun(transport, 'current');
    this.report();
  }

  private openRun(transport: StreamTransport, slot: 'current' | 'probe'): void {
    const run: Run<A> = {
      transport,
      attempt: null,
      connected: false,
      live: false,
      wasLive: false,
      reached: this.reached,
      watchdog: undefined,
    };
    if (slot === 'current') this.current = run;
    else this.probe = run;
    const mine = () => run === this.current || run === this.probe;
    this.arm(run, this.timing.connectMs);
    run.attempt = this.options.open(transport, this.lastEventId, {
      connected: () => {
        if (!mine() || run.connected) return;
        run.connected = true;
        this.timers.clear(run.watchdog);
        // A stream that connected must still carry something: a proxy may accept the upgrade and hold the frames.
        if (transport === 'poll') this.wentLive(run);
        else if (!run.live) this.arm(run, this.timing.firstItemMs);
      },
      item: (id, item) => {
        if (!mine()) return;
        this.timers.clear(run.watchdog);
        run.connected = true;
        if (!run.live && (this.options.isReady?.(item) ?? true)) this.wentLive(run);
        this.deliver(run, id, item);
      },
      cursor: (id) => {
        if (run === this.current && this.caughtUp(run)) this.lastEventId = id;
      },
      reconnecting: () => {
        if (!mine()) return;
        if (run === this.probe) return this.probeFailed(run, 'failed');
        run.connected = false;
        // Its reconnection gets the same deadline as a first connection: one that stays
        // silent (a buffering proxy after a server restart) moves down instead of waiting forever.
        this.arm(run, this.timing.connectMs);
        if (!run.live) return;
        run.live = false;
        this.report();
        // A stream below the best that drops may be a server restarting: the better one may come back first.
        this.recovering = true;
        this.probeNow();
      },
      unusable: () => {
        if (mine()) this.giveUp(run, run.connected ? 'silent' : 'failed');
      },
      failed: (error) => {
        if (mine()) void this.runFailed(run, error);
      },
      ended: () => {
        if (mine()) void this.runFailed(run, undefined);
      },
    });
    // It may have been given up from inside `open` (a hook called synchronously).
    if (!mine()) this.stopRun(run);
  }

  private arm(run: Run<A>, ms: number): void {
    this.timers.clear(run.watchdog);
    // Polls have no deadline of their own: an answer may be held for as long as the server waits.
    if (run.transport === 'poll') return;
    run.watchdog = this.timers.set(() => {
      if (run === this.current || run === this.probe) this.giveUp(run, run.connected ? 'silent' : 'failed');
    }, ms);
  }

  private stopRun(run: Run<A> | null): void {
    if (!run) return;
    this.timers.clear(run.watchdog);
    const attempt = run.attempt;
    run.attempt = null;
    attempt?.stop();
  }

  private wentLive(run: Run<A>): void {
    run.live = true;
    run.wasLive = true;
    if (run === this.probe) {
      this.promote(run);
      return;
    }
    this.retries = 0;
    this.report();
    if (this.recovering) {
      this.recovering = false;
      this.probeNow();
    } else this.scheduleProbe();
  }

  private deliver(run: Run<A>, id: string, item: Item): void {
    const eventId = this.options.eventIdOf(item);
    if (eventId === undefined) {
      // Presence, typing and the stream's own items come from the stream in use only.
      if (run !== this.current) return;
    } else {
      run.reached = Math.max(run.reached, eventId);
      if (this.seen.has(eventId)) return;
      this.seen.add(eventId);
      if (this.seen.size > SEEN_MEMORY) {
        const oldest = this.seen.values().next();
        if (!oldest.done) this.seen.delete(oldest.value);
      }
    }
    // The cursor moves only with a stream that has caught up with what was handed over: one that
    // started from an older cursor (a better transport tried from it, promoted while the old one
    // carried more) would otherwise take it back, and the next attempt would fetch those events again.
    if (this.caughtUp(run)) {
      this.lastEventId = id;
      this.reached = run.reached;
    }
    this.options.onItem(item, id);
  }

  /** Whether `run` has reached every stored event handed over (its ids are then at or past the cursor). */
  private caughtUp(run: Run<A>): boolean {
    return run.reached >= this.reached;
  }

  /** The attempt cannot work here: the next transport down, or (forced, or already polling) a retry. */
  private giveUp(run: Run<A>, how: 'failed' | 'silent'): void {
    if (run === this.probe) {
      this.probeFailed(run, how);
      return;
    }
    if (run.transport === 'ws') this.whyNotWs = how === 'silent' ? 'websocket-silent' : 'websocket-failed';
    if (run.transport === 'sse') this.whyNotSse = how === 'silent' ? 'sse-silent' : 'sse-failed';
    const next = ORDER[ORDER.indexOf(run.transport) + 1];
    if (this.options.choice !== 'auto' || !next) {
      this.retryLater(run.transport);
      return;
    }
    // A stream that worked and was lost (a server restart): once the one below is live, the better one is tried at once.
    if (run.wasLive) this.recovering = true;
    this.begin(next);
  }

  private async runFailed(run: Run<A>, error: unknown): Promise<void> {
    if (run === this.probe) return this.probeFailed(run, 'failed');
    this.stopRun(run);
    if (error !== undefined) this.options.onError?.(error);
    if (error !== undefined && this.options.isStaleCursor?.(error)) {
      // The server no longer knows our position: start from now, and let the consumer reload.
      this.lastEventId = null;
      this.options.onStaleCursor?.();
    }
    run.live = false;
    this.report();
    this.recovering = true;
    const resume = this.options.shouldResume ? await this.options.shouldResume(error).catch(() => true) : true;
    if (this.closed || run !== this.current) return;
    if (!resume) return this.close();
    this.retryLater(run.transport);
  }

  private retryLater(transport: StreamTransport): void {
    this.stopRun(this.current);
    if (this.current) this.current.live = false;
    this.timers.clear(this.retryTimer);
    const delay =
      this.retries === 0 ? 0 : Math.min(this.timing.retryMs * 2 ** (this.retries - 1), this.timing.retryMaxMs);
    this.retries++;
    this.report();
    this.retryTimer = this.timers.set(() => this.begin(transport), delay);
  }

  // --- trying the better transport -------------------------------------------

  private scheduleProbe(): void {
    if (this.closed || this.options.choice !== 'auto' || this.probe || this.probeTimer !== undefined) return;
    if (!this.current || this.current.transport === this.top) return;
    const steps = this.timing.probeMs;
    const delay = steps[Math.max(0, Math.min(this.probeStep, steps.length - 1))] ?? 0;
    this.probeTimer = this.timers.set(() => {
      this.probeTimer = undefined;
      this.startProbe(this.top);
    }, delay);
  }

  private probeNow(): void {
    if (this.closed || this.options.choice !== 'auto') return;
    this.timers.clear(this.probeTimer);
    this.probeTimer = undefined;
    // This try comes before the first step: if it fails, the next waits the first interval.
    this.probeStep = -1;
    if (this.probe || !this.current || this.current.transport === this.top) return;
    this.startProbe(this.top);
  }

  private startProbe(transport: StreamTransport): void {
    if (!this.current || ORDER.indexOf(transport) >= ORDER.indexOf(this.current.transport)) return;
    this.openRun(transport, 'probe');
  }

  private probeFailed(run: Run<A>, how: 'failed' | 'silent'): void {
    this.stopRun(run);
    if (run !== this.probe) return;
    this.probe = null;
    if (run.transport === 'ws') this.whyNotWs = how === 'silent' ? 'websocket-silent' : 'websocket-failed';
    if (run.transport === 'sse') this.whyNotSse = how === 'silent' ? 'sse-silent' : 'sse-failed';
    // From polling, SSE may work where the WebSocket does not: the same round tries it next.
    const next = ORDER[ORDER.indexOf(run.transport) + 1];
    if (next && this.current && ORDER.indexOf(next) < ORDER.indexOf(this.current.transport)) {
      this.startProbe(next);
      return;
    }
    this.probeStep++;
    this.scheduleProbe();
  }

  /** The better transport is live: it takes over, and only then is the old one closed. */
  private promote(run: Run<A>): void {
    const old = this.current;
    this.probe = null;
    this.current = run;
    this.resumeOn = run.transport;
    this.stopRun(old);
    this.timers.clear(this.retryTimer);
    this.retries = 0;
    this.recovering = false;
    this.probeStep = 0;
    this.report();
    this.scheduleProbe();
  }

  private reasonFor(transport: StreamTransport): TransportReason {
    if (this.options.choice !== 'auto') return 'forced';
    if (transport === 'ws') return 'best';
    if (transport === 'sse') return this.whyNotWs;
    return this.whyNotSse;
  }

  private report(): void {
    const current = this.current;
    this.options.onStatus?.(this.status(), current?.live ? current.attempt : null);
  }
}
