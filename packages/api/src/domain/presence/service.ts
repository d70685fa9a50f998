/**
 * Presence and typing: ephemeral, never in the event log (DESIGN.md, scaling
 * out). Who is online lives in PostgreSQL (a row per user per process holding
 * one of their streams, kept honest by process heartbeats), so every process
 * agrees; changes travel as NOTIFY on their own channel, and each process
 * hands them to its local streams of the people allowed to see them.
 */
import { randomUUID } from 'node:crypto';
import { presence, serverProcesses, users } from '@chat/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from '../../logger';
import { listPresenceWatchers } from '../access/profiles';
import type { EventHub, HubDatabase } from '../events/hub';
import { readAudiences } from '../events/store';

export const EPHEMERAL_CHANNEL = 'chat_ephemeral';
const HEARTBEAT_MS = 10_000;
/** A process silent for this long is taken for dead, and its users for offline. */
const STALE_SECONDS = 30;
const TYPING_EVERY_MS = 2_000;

type Signal = { k: 'p'; u: string } | { k: 't'; c: string; u: string };

export interface PresenceState {
  userId: string;
  online: boolean;
  lastSeenAt: Date | null;
}

export class PresenceService {
  readonly processId = randomUUID();
  private readonly local = new Map<string, number>();
  /** Per user: the DB writes for their online/offline transitions, in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastTyping = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(
    private readonly database: HubDatabase,
    private readonly hub: EventHub,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.database.db.insert(serverProcesses).values({ id: this.processId });
    this.unlisten = await this.database.listen(
      EPHEMERAL_CHANNEL,
      (payload) => void this.receive(payload),
      () => {},
    );
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Graceful stop: this process's users go offline now rather than after the heartbeat lapses. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled(this.chains.values());
    const users = [...this.local.keys()];
    this.local.clear();
    try {
      await this.database.db.delete(serverProcesses).where(eq(serverProcesses.id, this.processId));
      await this.markOffline(users);
    } catch (error) {
      this.log.warn({ err: error }, 'could not clear presence at shutdown');
    }
    await this.unlisten?.().catch(() => {});
  }

  /** A stream of `userId` opened here; call the returned function when it closes. */
  connect(userId: string): () => void {
    const count = (this.local.get(userId) ?? 0) + 1;
    this.local.set(userId, count);
    if (count === 1) this.enqueue(userId, () => this.markOnline(userId));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.local.get(userId) ?? 1) - 1;
      if (left > 0) {
        this.local.set(userId, left);
        return;
      }
      this.local.delete(userId);
      if (!this.stopped) this.enqueue(userId, () => this.markOffline([userId]));
    };
  }

  /** "alice is typing…": at most one signal per user and chat every two seconds. */
  async typing(userId: string, chatId: string): Promise<void> {
    const key = `${userId}:${chatId}`;
    const now = Date.now();
    if (now - (this.lastTyping.get(key) ?? 0) < TYPING_EVERY_MS) return;
    this.lastTyping.set(key, now);
    if (this.lastTyping.size > 10_000) this.lastTyping.clear();
    await this.signal({ k: 't', c: chatId, u: userId });
  }

  /** Online state and last-seen of the given users (the caller has checked who may see them). */
  async states(userIds: string[]): Promise<PresenceState[]> {
    if (userIds.length === 0) return [];
    const db = this.database.db;
    const rows = await db
      .select({
        userId: users.id,
        lastSeenAt: users.lastSeenAt,
        // Spelled out: drizzle drops table names inside a one-table select, and `id` is ambiguous here.
        online: sql<boolean>`exists (select 1 from presence p join server_processes s on s.id = p.process_id
          where p.user_id = "users"."id" and s.heartbeat_at > now() - make_interval(secs => ${STALE_SECONDS}))`,
      })
      .from(users)
      .where(inArray(users.id, userIds));
    return rows.map((r) => ({ userId: r.userId, online: Boolean(r.online), lastSeenAt: r.lastSeenAt }));
  }

  private enqueue(userId: string, work: () => Promise<void>): void {
    const next = (this.chains.get(userId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.log.warn({ err: error, userId }, 'presence update failed'));
    this.chains.set(userId, next);
    void next.then(() => {
      if (this.chains.get(userId) === next) this.chains.delete(userId);
    });
  }

  private async markOnline(userId: string): Promise<void> {
    await this.database.db.insert(presence).values({ userId, processId: this.processId }).onConflictDoNothing();
    await this.signal({ k: 'p', u: userId });
  }

  private async markOffline(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const db = this.database.db;
    await db.delete(presence).where(and(eq(presence.processId, this.processId), inArray(presence.userId, userIds)));
    await db.update(users).set({ lastSeenAt: sql`now()` }).where(inArray(users.id, userIds));
    for (const u of userIds) await this.signal({ k: 'p', u });
  }

  /** Heartbeat, and the clean-up of processes that died without saying so. */
  private async beat(): Promise<void> {
    const db = this.database.db;
    try {
      await db
        .insert(serverProcesses)
        .values({ id: this.processId })
        .onConflictDoUpdate({ target: serverProcesses.id, set: { heartbeatAt: sql`now()` } });
      // A row lost (a sweep by another process during a long pause) is put back.
      const mine = [...this.local.keys()];
      if (mine.length > 0) {
        await db
          .insert(presence)
          .values(mine.map((userId) => ({ userId, processId: this.processId })))
          .onConflictDoNothing();
      }
      const stale = sql`${serverProcesses.heartbeatAt} < now() - make_interval(secs => ${STALE_SECONDS})`;
      const dead = await db.select({ id: serverProcesses.id }).from(serverProcesses).where(stale);
      if (dead.length === 0) return;
      const ids = dead.map((d) => d.id);
      const orphans = await db
        .select({ userId: presence.userId })
        .from(presence)
        .where(inArray(presence.processId, ids));
      await db.delete(serverProcesses).where(inArray(serverProcesses.id, ids));
      const gone = [...new Set(orphans.map((o) => o.userId))];
      if (gone.length > 0) {
        await db.update(users).set({ lastSeenAt: sql`now()` }).where(inArray(users.id, gone));
        for (const u of gone) await this.signal({ k: 'p', u });
      }
    } catch (error) {
      this.log.warn({ err: error }, 'presence heartbeat failed');
    }
  }

  private async signal(s: Signal): Promise<void> {
    await this.database.notify(EPHEMERAL_CHANNEL, JSON.stringify(s));
  }

  private async receive(payload: string): Promise<void> {
    try {
      const s = JSON.parse(payload) as Signal;
      const db = this.database.db;
      if (s.k === 't') {
        const members = (await readAudiences(db, [s.c])).get(s.c) ?? [];
        const here = members.filter((m) => m !== s.u && this.hub.hasLocal(m));
        this.hub.deliverEphemeral(here, { type: 'typing', chatId: s.c, userId: s.u });
        return;
      }
      const viewers = (await listPresenceWatchers(db, s.u)).filter((v) => this.hub.hasLocal(v));
      // The user's own other tabs learn it too (their own status in the UI).
      if (this.hub.hasLocal(s.u)) viewers.push(s.u);
      if (viewers.length === 0) return;
      const [state] = await this.states([s.u]);
      if (!state) return;
      this.hub.deliverEphemeral(viewers, { type: 'presence', ...state });
    } catch (error) {
      this.log.warn({ err: error }, 'could not route a presence or typing signal');
    }
  }
}
