/**
 * The machinery of the WebSocket conformance suite (ws-conformance.int.test.ts):
 * tRPC's own adapter as the reference server, a driver that runs a client
 * script over raw sockets and records every frame, and the normalisation of
 * what two runs must make differently.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { appRouter, authenticate, type Context, type Deps, PresentedSession } from '@chat/api/server';
import { TRPCError } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { TRPC_BATCH_MAX } from '../src/app';

export type ServerKind = 'ours' | 'reference';

/**
 * tRPC's `applyWSSHandler` serving the same router over the same deps, with a
 * context built as apps/server/src/transport/upgrade.ts builds ours
 * (`contextOf`): the upgrade's cookie through the same `authenticate`, its
 * session looked up again by each call (a socket's `PresentedSession`).
 */
export async function startReferenceServer(
  deps: Deps,
  keepAlive: { pingMs: number; pongWaitMs: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, maxPayload: 1024 * 1024 });
  await once(wss, 'listening');
  applyWSSHandler({
    wss,
    router: appRouter,
    // As apps/server gives ours (and tRPC's HTTP handler).
    maxBatchSize: TRPC_BATCH_MAX,
    keepAlive: { enabled: true, ...keepAlive },
    async createContext({ req }): Promise<Context> {
      const auth = await authenticate(deps, req.headers.cookie);
      if (!auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
      return {
        deps,
        session: new PresentedSession(deps, auth.session.id, 'socket'),
        meta: {
          transport: 'ws',
          userAgent: req.headers['user-agent'] ?? '',
          ipAddress: req.socket.remoteAddress ?? '',
        },
        setCookie: () => {},
      };
    },
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A frame as received: its socket, the script step it arrived in, and its text (or `«close CODE REASON»`). */
export interface RecordedFrame {
  socket: string;
  step: string;
  text: string;
}

/**
 * A frame one server sends and the other does not, on purpose: listed in the
 * suite with its reason. `frames` are normalised texts, each required to be
 * there (a difference that went away fails the suite too).
 */
export interface Difference {
  step: string;
  socket: string;
  /** The server that sends these frames (and the other does not). */
  server: ServerKind;
  frames: string[];
  reason: string;
}

export interface ScriptSocket {
  /** Sends `message` as JSON, or a string as it is (a text frame). Nothing when the server closed the socket. */
  send(message: unknown): void;
  close(): void;
}

/**
 * Runs one server's side of the script: opens raw sockets with the cookie,
 * labels each received frame with the current step, and waits at each step
 * for the frames it expects (those common to both servers, plus this server's
 * listed differences).
 */
export class Driver {
  readonly frames: RecordedFrame[] = [];
  private step = 'open';

  constructor(
    readonly server: ServerKind,
    private readonly url: string,
    private readonly cookie: string,
    private readonly differences: readonly Difference[],
  ) {}

  /**
   * `pings`: `answer` replies PONG to a server PING and records nothing, as
   * wsLink does (a PING comes when a socket has been quiet for `pingMs`, which
   * depends on the machine's load, not on the protocol); `record` records it
   * as a frame and answers nothing (the keep-alive steps).
   */
  async open(name: string, options: { query?: string; pings?: 'answer' | 'record' } = {}): Promise<ScriptSocket> {
    const ws = new WebSocket(`${this.url.replace('http', 'ws')}/trpc${options.query ?? ''}`, {
      headers: { cookie: this.cookie },
    });
    let closing = false;
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      if (!isBinary && text === 'PING' && options.pings !== 'record') {
        ws.send('PONG');
        return;
      }
      this.frames.push({ socket: name, step: this.step, text: isBinary ? `«binary» ${text}` : text });
    });
    ws.on('close', (code, reason) => {
      // Closes the script asks for are its own doing; those the server makes are frames.
      if (!closing) this.frames.push({ socket: name, step: this.step, text: `«close ${code} ${reason.toString()}»` });
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return {
      send(message) {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(typeof message === 'string' ? message : JSON.stringify(message));
      },
      close() {
        closing = true;
        ws.close();
      },
    };
  }

  /**
   * Runs `action` as step `name`, then waits until every socket in `expect`
   * holds that many frames of this step, plus this server's listed
   * differences. A step that times out records a marker and the run goes on:
   * the comparison shows where.
   */
  async run(name: string, action: () => void, expect: Record<string, number>, timeoutMs = 5_000): Promise<void> {
    this.step = name;
    action();
    const deadline = Date.now() + timeoutMs;
    for (const [socket, common] of Object.entries(expect)) {
      const want = common + this.extraFrames(name, socket);
      for (;;) {
        const got = this.framesOf(socket, name).length;
        if (got >= want) break;
        if (Date.now() > deadline) {
          this.frames.push({ socket, step: name, text: `«timed out: ${got} of ${want} frames»` });
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /** The last step: waits `ms` for anything a server sends late (it shows up under this step). */
  async settle(ms: number): Promise<void> {
    this.step = 'late frames';
    await new Promise((r) => setTimeout(r, ms));
  }

  /** The tracked id (cursor) of the first data frame on `socket` whose item has `type` and matches `match`. */
  trackedId(socket: string, type: string, match: (json: string) => boolean = () => true): string {
    for (const f of this.frames) {
      if (f.socket !== socket || !isJson(f.text)) continue;
      const frame = JSON.parse(f.text) as {
        result?: { type: string; id?: string; data?: { json?: { data?: unknown } } };
      };
      const item = frame.result?.data?.json?.data as { type?: string } | undefined;
      if (frame.result?.id && item?.type === type && match(f.text)) return frame.result.id;
    }
    throw new Error(`no ${type} item on ${socket}`);
  }

  private framesOf(socket: string, step: string): RecordedFrame[] {
    return this.frames.filter((f) => f.socket === socket && f.step === step);
  }

  private extraFrames(step: string, socket: string): number {
    return this.differences
      .filter((d) => d.step === step && d.socket === socket && d.server === this.server)
      .reduce((n, d) => n + d.frames.length, 0);
  }
}

/** A JSON frame, not `PING`/`PONG` nor one of the recorder's own `«…»` notes. */
const isJson = (text: string) => !text.startsWith('«') && text !== 'PING' && text !== 'PONG';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * One run's frames, normalised, by `socket / step` in arrival order. What
 * must differ between two runs, and only that, is replaced:
 * - the values this run created (people, chat, message ids, session ref;
 *   `vars`), wherever they appear in a string, by `«name»`;
 * - event ids (the tracked ids, and the same number as a stored event's `id`
 *   in an item) by `«event:N»`, N their order of first appearance in the run;
 * - timestamps (superjson's Dates, ISO strings) by `«time»`: made by the clock.
 * A frame that is not compact JSON as `JSON.stringify` writes it is kept whole
 * behind a `«not canonical»` marker. Key order is kept: the normalised frame is
 * the parsed frame written out again, and JSON.parse keeps key order (but for
 * integer-like keys, which no frame of this protocol has).
 */
export function normalise(frames: readonly RecordedFrame[], vars: Record<string, string>): Map<string, string[]> {
  const events = new Map<string, string>();
  for (const f of frames) {
    if (!isJson(f.text)) continue;
    const id = (JSON.parse(f.text) as { result?: { id?: unknown } }).result?.id;
    if (typeof id === 'string' && !events.has(id)) events.set(id, `«event:${events.size + 1}»`);
  }
  const named = Object.entries(vars).sort(([, a], [, b]) => b.length - a.length);
  const text = (s: string): string => {
    if (ISO_TIME.test(s)) return '«time»';
    const event = events.get(s);
    if (event) return event;
    let out = s;
    for (const [name, value] of named) out = out.split(value).join(`«${name}»`);
    return out;
  };
  const walk = (value: unknown, key: string | undefined, inItem: boolean): unknown => {
    if (typeof value === 'string') return text(value);
    if (typeof value === 'number' && inItem && key === 'id') return events.get(String(value)) ?? value;
    if (Array.isArray(value)) return value.map((v) => walk(v, undefined, inItem));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[text(k)] = walk(v, k, inItem || k === 'data');
    return out;
  };
  const byStep = new Map<string, string[]>();
  for (const f of frames) {
    let normalised = f.text;
    if (isJson(f.text)) {
      const parsed = JSON.parse(f.text) as Record<string, unknown>;
      // The request's own id (top-level `id`) is the script's and stays as it is, in its place.
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(parsed)) out[k] = k === 'id' ? v : walk(v, k, false);
      normalised = JSON.stringify(parsed) === f.text ? JSON.stringify(out) : `«not canonical» ${f.text}`;
    }
    const key = `${f.socket} / ${f.step}`;
    byStep.set(key, [...(byStep.get(key) ?? []), normalised]);
  }
  return byStep;
}
