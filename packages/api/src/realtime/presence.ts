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
import { listPresenceWatchersOf } from '../domain/access/profiles';
import { readAudiences } from '../domain/events/store';
import { effectiveStatus, type PresenceState } from '../domain/presence/state';
import type { Logger } from '../logger';
import type { Presence } from '../ports';
import { boolArray, uuidArray } from '../sql';
import type { EventHub, HubDatabase } from './hub';

export const EPHEMERAL_CHANNEL = 'chat_ephemeral';
const HEARTBEAT_MS = 10_000;
/** A process silent for this long is taken for dead, and its users for offline. */
const STALE_SECONDS = 30;
const TYPING_EVERY_MS = 2_000;

/**
 * Presence of one user (`u`, as older processes send it) or several (`us`);
 * typing in a chat; a tab of a user idle or back (`i`: for the process holding its stream).
 */
type Signal =
  | { k: 'p'; u?: string; us?: string[] }
  | { k: 't'; c: string; u: string }
  | { k: 'i'; u: string; t: string; i: boolean };
/** User ids per presence NOTIFY: about 6 KB of JSON, under PostgreSQL's 8,000-byte payload limit. */
const IDS_PER_SIGNAL = 150;
const WRITE_RETRY_MS = 1_000;

/**
 * User ids handled in rounds, one round at a time: ids added while a round
 * runs wait and go together in the next. A thousand people connecting at
 * once cost a few rounds, not a thousand (docs/presence.md, "Written in rounds").
 */
class Rounds {
  private readonly pending = new Set<string>();
  /** The running rounds, until nothing is pending. */
  running: Promise<void> | undefined;

  constructor(
    private readonly round: (ids: string[]) => Promise<void>,
    private readonly stopped: () => boolean,
  ) {}

  add(ids: Iterable<string>): void {
    for (const id of ids) this.pending.add(id);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Takes what is pending without running it (at shutdown). */
  takePending(): string[] {
    const ids = [...this.pending];
    this.pending.clear();
    return ids;
  }

  private async run(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped()) await this.round(this.takePending());
  }
}

export interface PresenceOptions {
  /**
   * A user whose last stream here closed goes offline only if none has come
   * back after this long: a reconnect (a network blip, a reload, a server's
   * reconnect storm) shows nobody offline and costs no presence writes.
   * 0: offline at once. The server's comes from PRESENCE_OFFLINE_GRACE_SECONDS.
   */
  offlineGraceMs: number;
  /** Between heartbeats (10 s; tests shorten it). */
  heartbeatMs?: number;
  /**
   * A tab without input for this long reports itself idle, and a user all of
   * whose streams come from idle tabs shows as away (AWAY_AFTER_IDLE_SECONDS;
   * the web app reads it from `presence.mine`). Default 10 minutes.
   */
  awayAfterIdleMs?: number;
}

/** The default of `awayAfterIdleMs`: ten minutes without input in any tab. */
export const AWAY_AFTER_IDLE_MS = 10 * 60_000;

/** A tab's streams here (a reconnect may overlap the stream it replaces), and whether the tab said it is idle. */
interface Tab {
  streams: number;
  idle: boolean;
}

export class PresenceService implements Presence {
  readonly processId = randomUUID();
  private readonly local = new Map<string, number>();
  /** The tabs (streams opened with a tab id) of local users; streams without one are never idle. */
  private readonly tabs = new Map<string, Map<string, Tab>>();
  /** Local users all of whose streams here come from idle tabs, as last computed (written with their row). */
  private readonly idleHere = new Set<string>();
  /** Users whose last stream here closed, with when: offline once their grace has passed, unless back. */
  private readonly leaving = new Map<string, number>();
  private leavingTimer: NodeJS.Timeout | undefined;
  /** Users whose local stream count crossed zero: their presence row is written (`writeRound`). */
  private readonly writes = new Rounds(
    (ids) => this.writeRound(ids),
    () => this.stopped,
  );
  /** Users whose presence changed anywhere: the local streams that may see them are told (`routeRound`). */
  private readonly routes = new Rounds(
    (ids) => this.routeRound(ids),
    () => this.stopped,
  );
  private readonly lastTyping = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(
    private readonly database: HubDatabase,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly options: PresenceOptions,
  ) {}

  get awayAfterIdleMs(): number {
    return this.options.awayAfterIdleMs ?? AWAY_AFTER_IDLE_MS;
  }

  async start(): Promise<void> {
    await this.database.db.insert(serverProcesses).values({ id: this.processId });
    this.unlisten = await this.database.listen(
      EPHEMERAL_CHANNEL,
      (payload) => void this.receive(payload),
      () => {},
    );
    this.timer = setInterval(() => void this.beat(), this.options.heartbeatMs ?? HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Graceful stop: this process's users go offline now rather than after the heartbeat lapses. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.leavingTimer);
    await this.writes.running;
    // Everyone still here, whoever is within their grace, and whoever left since the last round.
    const users = [...new Set([...this.local.keys(), ...this.leaving.keys(), ...this.writes.takePending()])];
    this.local.clear();
    this.tabs.clear();
    this.idleHere.clear();
    this.leaving.clear();
    try {
      await this.database.db.delete(serverProcesses).where(eq(serverProcesses.id, this.processId));
      await this.markOffline(users);
      await this.signalPresence(users);
    } catch (error) {
      this.log.warn({ err: error }, 'could not clear presence at shutdown');
    }
    await this.unlisten?.().catch(() => {});
  }

  /**
   * A stream of `userId` opened here, from the tab `tabId` if the client
   * named one; call `disconnect` with the same arguments once, when it closes.
   */
  connect(userId: string, tabId?: string): void {
    const count = (this.local.get(userId) ?? 0) + 1;
    this.local.set(userId, count);
    if (tabId) {
      let tabs = this.tabs.get(userId);
      if (!tabs) {
        tabs = new Map();
        this.tabs.set(userId, tabs);
      }
      const tab = tabs.get(tabId);
      if (tab) tab.streams += 1;
      else tabs.set(tabId, { streams: 1, idle: false });
    }
    // Back within the grace: their presence row was never deleted, and nobody was told they left.
    if (count === 1 && !this.leaving.delete(userId)) this.writes.add([userId]);
    else this.recomputeIdle(userId);
  }

  disconnect(userId: string, tabId?: string): void {
    const tabs = tabId ? this.tabs.get(userId) : undefined;
    const tab = tabId ? tabs?.get(tabId) : undefined;
    if (tabs && tab && tabId && --tab.streams <= 0) {
      tabs.delete(tabId);
      if (tabs.size === 0) this.tabs.delete(userId);
    }
    const left = (this.local.get(userId) ?? 1) - 1;
    if (left > 0) {
      this.local.set(userId, left);
      this.recomputeIdle(userId);
      return;
    }
    this.local.delete(userId);
    this.idleHere.delete(userId);
    if (this.stopped) return;
    if (this.options.offlineGraceMs === 0) this.writes.add([userId]);
    else {
      this.leaving.set(userId, Date.now() + this.options.offlineGraceMs);
      if (!this.leavingTimer) {
        this.leavingTimer = setTimeout(() => this.sweepLeaving(), this.options.offlineGraceMs);
        this.leavingTimer.unref();
      }
    }
  }

  /** Users whose grace has passed go offline (in the next write round); one timer for all who are leaving. */
  private sweepLeaving(): void {
    this.leavingTimer = undefined;
    if (this.stopped) return;
    const now = Date.now();
    const gone: string[] = [];
    let next: number | undefined;
    // In insertion order, so in order of their deadlines.
    for (const [userId, at] of this.leaving) {
      if (at > now) {
        next = at;
        break;
      }
      this.leaving.delete(userId);
      gone.push(userId);
    }
    if (gone.length > 0) this.writes.add(gone);
    if (next !== undefined) {
      this.leavingTimer = setTimeout(() => this.sweepLeaving(), Math.max(next - now, 10));
      this.leavingTimer.unref();
    }
  }

  /**
   * The tab `tabId` of `userId` had no input for a while (`idle`), or has
   * again. Its stream may be on any process: the one holding it takes it.
   */
  async setIdle(userId: string, tabId: string, idle: boolean): Promise<void> {
    await this.signal({ k: 'i', u: userId, t: tabId, i: idle });
  }

  /** Someone's status changed: whoever may see them is told, on every process. */
  async changed(userId: string): Promise<void> {
    await this.signal({ k: 'p', us: [userId] });
  }

  /** Idle here when every local stream of the user comes from a tab that said it is idle. */
  private recomputeIdle(userId: string): void {
    const count = this.local.get(userId) ?? 0;
    let idleStreams = 0;
    for (const tab of this.tabs.get(userId)?.values() ?? []) if (tab.idle) idleStreams += tab.streams;
    const idle = count > 0 && idleStreams === count;
    if (idle === this.idleHere.has(userId)) return;
    if (idle) this.idleHere.add(userId);
    else this.idleHere.delete(userId);
    this.writes.add([userId]);
  }

  private tabIdle(userId: string, tabId: string, idle: boolean): void {
    const tab = this.tabs.get(userId)?.get(tabId);
    if (!tab || tab.idle === idle) return;
    tab.idle = idle;
    this.recomputeIdle(userId);
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

  /**
   * Online state, last-seen and status of the given users (the caller has
   * checked who may see them). Idle: online, and every live row says idle
   * (each process holds only its own streams: docs/presence.md, "Status").
   */
  async states(userIds: string[]): Promise<PresenceState[]> {
    if (userIds.length === 0) return [];
    const db = this.database.db;
    // Spelled out: drizzle drops table names inside a one-table select, and `id` is ambiguous here.
    const live = sql`from presence p join server_processes s on s.id = p.process_id
      where p.user_id = "users"."id" and s.heartbeat_at > now() - make_interval(secs => ${STALE_SECONDS})`;
    const rows = await db
      .select({
        userId: users.id,
        lastSeenAt: users.lastSeenAt,
        status: users.status,
        online: sql<boolean>`exists (select 1 ${live})`,
        active: sql<boolean>`exists (select 1 ${live} and not p.idle)`,
      })
      .from(users)
      .where(inArray(users.id, userIds));
    return rows.map((r) => {
      const online = Boolean(r.online);
      const idle = online && !r.active;
      return { userId: r.userId, online, lastSeenAt: r.lastSeenAt, status: effectiveStatus(r.status, idle) };
    });
  }

  /**
   * Writes what is true now for each user (a stream here: online; none:
   * offline), one statement each way, and announces them in a few NOTIFYs. A
   * user who came and went since the last round is written once, as they are
   * now, so no ordering between rounds is needed. A failed round is retried.
   */
  private async writeRound(userIds: string[]): Promise<void> {
    try {
      await this.markOnline(userIds.filter((u) => this.local.has(u)));
      await this.markOffline(userIds.filter((u) => !this.local.has(u)));
      await this.signalPresence(userIds);
    } catch (error) {
      if (!this.hub.outage.failed(error, 'presence update')) {
        this.log.warn({ err: error, users: userIds.length }, 'presence update failed; retrying');
      }
      await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_MS));
      this.writes.add(userIds);
    }
  }

  /**
   * The users' rows, for this process, where missing. The ids go as one array
   * parameter, however many: a process back from a sweep puts back every
   * local user's row at once. Built as a row of values each (drizzle's
   * `values`), 19,000 users cost about a second of the main thread
   * (docs/presence.md, "The heartbeat"), and past 32,767 users the statement
   * would pass PostgreSQL's limit of 65,535 parameters.
   */
  private async markOnline(userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    const idle = userIds.map((u) => this.idleHere.has(u));
    // Idle goes with the row: a user's row is written again when it changes (`recomputeIdle`).
    await this.database.db.execute(
      sql`insert into ${presence} (user_id, process_id, idle)
        select u, ${this.processId}, i from unnest(${uuidArray(userIds)}, ${boolArray(idle)}) as t(u, i)
        on conflict (user_id, process_id) do update set idle = excluded.idle
        where ${presence}.idle is distinct from excluded.idle`,
    );
  }

  private async markOffline(userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    const db = this.database.db;
    const ids = uuidArray(userIds);
    await db.delete(presence).where(and(eq(presence.processId, this.processId), sql`${presence.userId} = any(${ids})`));
    await db.update(users).set({ lastSeenAt: sql`now()` }).where(sql`${users.id} = any(${ids})`);
  }

  private async signalPresence(userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += IDS_PER_SIGNAL) {
      await this.signal({ k: 'p', us: userIds.slice(i, i + IDS_PER_SIGNAL) });
    }
  }

  /** Heartbeat, and the clean-up of processes that died without saying so. */
  private async beat(): Promise<void> {
    const db = this.database.db;
    try {
      const beaten = await db
        .update(serverProcesses)
        .set({ heartbeatAt: sql`now()` })
        .where(eq(serverProcesses.id, this.processId))
        .returning({ id: serverProcesses.id });
      if (beaten.length === 0) await this.comeBack();
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
        await this.signalPresence(gone);
      }
    } catch (error) {
      if (!this.hub.outage.failed(error, 'presence heartbeat'))
        this.log.warn({ err: error }, 'presence heartbeat failed');
    }
  }

  /**
   * Another process took this one for dead (a pause past the heartbeat's
   * lapse) and swept it: its process row went, and every presence row of it
   * with that (a cascade), and watchers were told its users left. The rows
   * come back, and so does the news. Presence rows go missing in no other way,
   * so a heartbeat that finds its process row in place writes nothing more
   * (it used to put back every row each time, 19,000 at scenario 2's scale,
   * for no difference in latency: docs/presence.md, "The heartbeat").
   */
  private async comeBack(): Promise<void> {
    await this.database.db
      .insert(serverProcesses)
      .values({ id: this.processId })
      .onConflictDoUpdate({ target: serverProcesses.id, set: { heartbeatAt: sql`now()` } });
    const here = [...this.local.keys()];
    await this.markOnline(here);
    await this.signalPresence(here);
    this.log.warn({ users: here.length }, 'this process had been swept as dead; its presence is back');
  }

  private async signal(s: Signal): Promise<void> {
    await this.database.notify(EPHEMERAL_CHANNEL, JSON.stringify(s));
  }

  /** Tells the local streams that may see them about these users, as they are now (two queries for all). */
  private async routeRound(subjects: string[]): Promise<void> {
    try {
      await this.tellWatchers(subjects);
    } catch (error) {
      this.log.warn({ err: error }, 'could not route presence changes');
    }
  }

  private async tellWatchers(subjects: string[]): Promise<void> {
    const watchers = await listPresenceWatchersOf(this.database.db, subjects);
    const audience = new Map<string, string[]>();
    for (const subject of subjects) {
      const viewers = (watchers.get(subject) ?? []).filter((v) => this.hub.hasLocal(v));
      // The user's own other tabs learn it too (their own status in the UI).
      if (this.hub.hasLocal(subject)) viewers.push(subject);
      if (viewers.length > 0) audience.set(subject, viewers);
    }
    if (audience.size === 0) return;
    for (const state of await this.states([...audience.keys()])) {
      this.hub.deliverEphemeral(audience.get(state.userId) ?? [], { type: 'presence', ...state });
    }
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
      if (s.k === 'i') {
        this.tabIdle(s.u, s.t, s.i);
        return;
      }
      this.routes.add(s.us ?? (s.u ? [s.u] : []));
    } catch (error) {
      this.log.warn({ err: error }, 'could not route a presence or typing signal');
    }
  }
}
