/**
 * Deadlines for a PostgreSQL that stops answering without closing anything
 * (packets held or dropped, a frozen primary, a partition): TCP then waits
 * for minutes, and PostgreSQL's own statement timeout cannot fire for a
 * statement whose bytes never arrive. So a call gives up after a deadline
 * (`within`), and the connections that went silent are replaced (`Sockets`).
 * docs/database-faults.md has the whole picture and the figures.
 */
import { connect, type Socket } from 'node:net';

/** A call that waited longer than its deadline for the database. Its `code` reads as a lost connection. */
export class DatabaseDeadlineError extends Error {
  readonly code = 'DATABASE_DEADLINE';
  constructor(ms: number) {
    super(`The database did not answer within ${ms} ms.`);
    this.name = 'DatabaseDeadlineError';
  }
}

/** How often the sockets' byte counters are read. */
const SAMPLE_MS = 250;
/** After a missed deadline, silent connections are looked for this long (the stall may outlast it). */
const SUSPECT_MS = 30_000;

interface Watched {
  bytesRead: number;
  /** performance.now() when a byte was last read, as sampled. */
  readAt: number;
  tag: string;
}

/**
 * The sockets of every connection a postgres.js client opens (its `socket`
 * option), with when each last received a byte. A connection is replaced
 * (destroyed: postgres.js fails what it carried with CONNECTION_CLOSED and
 * opens a new one when next needed) once a call has missed its deadline and
 * the connection has received nothing for `silentMs`, longer than any
 * statement can run before PostgreSQL cancels it. Byte counters rather than
 * listeners: they count under TLS too.
 */
export class Sockets {
  private readonly watched = new Map<Socket, Watched>();
  private timer: NodeJS.Timeout | undefined;
  private suspectUntil = Number.NEGATIVE_INFINITY;
  private hostIndex = 0;
  /** Connections replaced so far (tests and logs read it). */
  replaced = 0;

  constructor(private readonly silentMs: number) {}

  /** postgres.js's `socket` option: opens the connection as postgres.js would, and watches it. */
  factory(tag: string) {
    return (options: { path?: string | false; host: string[]; port: number[] }): Socket => {
      let socket: Socket;
      if (options.path) socket = connect(options.path);
      else {
        const i = this.hostIndex++ % options.host.length;
        const host = options.host[i] as string;
        socket = connect(options.port[i] ?? 5432, host);
        // postgres.js reads it for TLS's server name.
        (socket as Socket & { host?: string }).host = host;
      }
      this.watch(socket, tag);
      return socket;
    };
  }

  private watch(socket: Socket, tag: string): void {
    this.watched.set(socket, { bytesRead: 0, readAt: performance.now(), tag });
    socket.once('close', () => {
      this.watched.delete(socket);
      if (this.watched.size === 0) this.stopSampling();
    });
    if (!this.timer) {
      this.timer = setInterval(() => this.sample(), SAMPLE_MS);
      this.timer.unref();
    }
  }

  private stopSampling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A call missed its deadline: from now on for a while, silent connections are replaced. */
  suspect(): void {
    this.suspectUntil = performance.now() + SUSPECT_MS;
    this.sample();
  }

  /** Replaces every connection with `tag` at once (the LISTEN connection that stopped hearing its own NOTIFY). */
  replace(tag: string): number {
    let n = 0;
    for (const [socket, w] of this.watched) {
      if (w.tag !== tag) continue;
      socket.destroy();
      n++;
    }
    this.replaced += n;
    return n;
  }

  private sample(): void {
    const now = performance.now();
    const suspecting = now < this.suspectUntil;
    for (const [socket, w] of this.watched) {
      if (socket.bytesRead !== w.bytesRead) {
        w.bytesRead = socket.bytesRead;
        w.readAt = now;
      } else if (suspecting && now - w.readAt >= this.silentMs) {
        socket.destroy();
        this.replaced++;
      }
    }
  }

  close(): void {
    this.stopSampling();
  }
}

/**
 * `work`, or a `DatabaseDeadlineError` once `ms` have passed without it
 * settling (`onMiss` runs then). The work itself goes on: a send that
 * commits after its caller was told to retry is found by its id on the retry.
 */
export function within<T>(work: Promise<T>, ms: number, onMiss: () => void): Promise<T> {
  // One promise and one timer per call (every query and mutation goes through here), not a race of two.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onMiss();
      reject(new DatabaseDeadlineError(ms));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
