/**
 * An agent's connections: each user's session (given, or by logging in) and
 * its streams, opened evenly over the ramp-up; every `message.created` that
 * arrives is booked in the ledger. A storm drops some at once and resumes
 * them from their last event id, as reconnecting clients do.
 */
import { type ChatClient, createChatClient, signIn } from '@chat/api/client';
import { isMessageCreated, type StreamItem } from '../k6/lib/frames';
import { decodeSentAt, now } from './body';
import { createHttpFetch } from './http-fetch';
import type { Ledger, LedgerReport } from './ledger';
import { followRawPoll } from './raw-poll';
import { followRawSse } from './raw-sse';
import { followRaw } from './raw-stream';
import type { AgentShare, ShareUser, StartResult, StormResult } from './share';
import { errorKind, type Follower, followEvents } from './stream';

export interface Connection {
  index: number;
  user: ShareUser;
  client: ChatClient;
  follower: Follower | undefined;
  ready: boolean;
  whenReady: Promise<void>;
  markReady: () => void;
}

class Semaphore {
  private waiting: Array<() => void> = [];
  constructor(private free: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `work`'s value, or undefined if it takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class Connections {
  readonly all: Connection[] = [];
  /** The first connection of each user (by plan index): its client sends that user's messages. */
  readonly byUser = new Map<number, Connection>();
  private readonly cookies = new Map<number, Promise<string>>();
  /** Plan user index → the ids of the user's chats (built when first needed). */
  private chatsByUser: Map<number, string[]> | undefined;
  /** Keep-alive HTTP for every client's calls (`--fetch lean`), or undefined for the global fetch. */
  private readonly http: ReturnType<typeof createHttpFetch> | undefined;

  constructor(
    private readonly share: AgentShare,
    private readonly ledger: Ledger,
  ) {
    this.http = share.fetch === 'lean' ? createHttpFetch() : undefined;
  }

  get readyCount(): number {
    return this.all.reduce((n, c) => n + (c.ready ? 1 : 0), 0);
  }

  async open(): Promise<StartResult> {
    const { users, connectionsPerUser: per, rampUpMs, readyTimeoutMs } = this.share;
    const total = users.length * per;
    const logins = new Semaphore(this.share.loginConcurrency);
    const started = now();
    const opening: Array<Promise<void>> = [];
    for (let n = 0; n < total; n++) {
      const due = started + (total <= 1 ? 0 : (rampUpMs * n) / total);
      const wait = due - now();
      if (wait > 1) await sleep(wait);
      const user = users[Math.floor(n / per)] as ShareUser;
      opening.push(this.openOne(user, n % per, logins));
    }
    const allReady = async () => {
      await Promise.allSettled(opening);
      await Promise.all(this.all.map((c) => c.whenReady));
    };
    await within(allReady(), readyTimeoutMs);
    return { connections: this.all.length, ready: this.readyCount, rampMs: now() - started };
  }

  private cookieFor(user: ShareUser, logins: Semaphore): Promise<string> {
    let cookie = this.cookies.get(user.index);
    if (!cookie) {
      const url = this.urlFor(user.index * this.share.connectionsPerUser);
      cookie = user.cookie
        ? Promise.resolve(user.cookie)
        : logins.run(async () => {
            const client = await signIn({ url, username: user.username, password: this.share.password });
            const value = client.cookie();
            if (!value) throw new Error(`no session cookie after logging in ${user.username}`);
            return value;
          });
      this.cookies.set(user.index, cookie);
    }
    return cookie;
  }

  private clientFor(index: number, cookie: string | null): ChatClient {
    return createChatClient({
      url: this.urlFor(index),
      transport: this.share.transport,
      cookie,
      ...(this.http ? { fetch: this.http.fetch } : {}),
    });
  }

  private urlFor(globalConnection: number): string {
    const urls = this.share.urls;
    return urls[globalConnection % urls.length] as string;
  }

  private async openOne(user: ShareUser, k: number, logins: Semaphore): Promise<void> {
    let cookie: string;
    try {
      cookie = await this.cookieFor(user, logins);
    } catch (error) {
      this.ledger.recordError(`login:${errorKind(error)}`, String(error));
      return;
    }
    const index = user.index * this.share.connectionsPerUser + k;
    let markReady = () => {};
    const whenReady = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const conn: Connection = {
      index,
      user,
      client: this.clientFor(index, cookie),
      follower: undefined,
      ready: false,
      whenReady,
      markReady,
    };
    this.all.push(conn);
    if (k === 0) this.byUser.set(user.index, conn);
    this.follow(conn, null);
  }

  private follow(conn: Connection, lastEventId: string | null): void {
    // What the tool reads of an item (k6/lib/frames.ts), whichever reader brought it.
    const onItem = (item: StreamItem) => this.receive(conn, item);
    const options = {
      lastEventId,
      pollWaitMs: this.share.pollWaitMs,
      pollIntervalMs: this.share.pollIntervalMs,
      onLive: () => this.live(conn),
      onError: (kind: string, example: string) => {
        // Not live until its stream says ready again (a resumed stream does, after its backlog).
        conn.ready = false;
        this.ledger.recordError(kind, example);
      },
    };
    const raw = this.share.reader === 'raw';
    conn.follower =
      raw && this.share.transport === 'ws'
        ? followRaw(this.urlFor(conn.index), conn.client.cookie(), onItem, options)
        : raw && this.share.transport === 'sse'
          ? followRawSse(this.urlFor(conn.index), conn.client.cookie(), onItem, options)
          : raw && this.share.transport === 'poll'
            ? followRawPoll(this.urlFor(conn.index), conn.client.cookie(), onItem, options)
            : followEvents(conn.client, this.share.transport, onItem, options);
  }

  private receive(conn: Connection, item: StreamItem): void {
    if (isMessageCreated(item)) {
      const m = item.payload.message;
      const sentAt = decodeSentAt(m.body);
      this.ledger.recordDelivery(conn.index, m.chatId, m.seq, sentAt === undefined ? undefined : now() - sentAt);
    } else if (item.type === 'stream.ready' || item.type === 'stream.resync') {
      if (item.type === 'stream.resync') this.ledger.recordError('stream:resync');
      this.live(conn);
    }
  }

  /** The connection is caught up: its stream said so, or a poll brought everything waiting. */
  private live(conn: Connection): void {
    if (!conn.ready) {
      conn.ready = true;
      conn.markReady();
    }
  }

  /** Drops `share` of the connections at once; each comes back with a new socket and its last event id. */
  async storm(share: number, timeoutMs: number): Promise<StormResult> {
    // Spread evenly: connection i is dropped when i·share crosses a whole number.
    const victims = this.all.filter((_, i) => Math.floor((i + 1) * share) > Math.floor(i * share));
    const dropped = now();
    const resumed = victims.map((conn) => {
      const last = conn.follower?.lastEventId ?? null;
      conn.follower?.stop();
      conn.client.close();
      conn.ready = false;
      conn.whenReady = new Promise<void>((resolve) => {
        conn.markReady = resolve;
      });
      const cookie = conn.client.cookie();
      conn.client = this.clientFor(conn.index, cookie);
      this.follow(conn, last);
      return conn.whenReady.then(() => now() - dropped);
    });
    const times = await within(Promise.all(resumed), timeoutMs);
    return {
      dropped: victims.length,
      resumed: victims.filter((c) => c.ready).length,
      resumeMs: times ? Math.max(0, ...times) : timeoutMs,
    };
  }

  /** The connections not live now: their chats and what each received (see `LedgerReport.down`). */
  down(): LedgerReport['down'] {
    const notLive = this.all.filter((conn) => !conn.ready);
    if (notLive.length === 0) return [];
    if (!this.chatsByUser) {
      this.chatsByUser = new Map();
      for (const chat of this.share.chats) {
        for (const member of chat.members) {
          const list = this.chatsByUser.get(member) ?? [];
          list.push(chat.id);
          this.chatsByUser.set(member, list);
        }
      }
    }
    const byUser = this.chatsByUser;
    return notLive.map((conn) => ({
      chats: byUser.get(conn.user.index) ?? [],
      received: this.ledger.receivedBy(conn.index),
    }));
  }

  close(): void {
    for (const conn of this.all) {
      conn.follower?.stop();
      conn.client.close();
    }
    this.http?.close();
  }
}
