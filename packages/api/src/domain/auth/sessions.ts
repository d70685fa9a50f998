/**
 * Sessions. Everything session-specific lives in this file, so moving to a
 * hand-written scheme later (lucia's own advice since v3) touches only it.
 *
 * lucia v3 makes the cookie (HttpOnly, SameSite=Lax, Path=/, Secure over
 * https) and reads it back. Expiry is ours, on the injected clock: a session
 * ends after `idleMs` without use and, used or not, `absoluteMs` after it
 * was created. Use is recorded at most once every five minutes.
 */
import { createHash } from 'node:crypto';
import type { Database, Executor } from '@chat/db';
import { sessions, users } from '@chat/db';
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { generateIdFromEntropySize, Lucia, TimeSpan } from 'lucia';
import type { Clock } from '../../clock';
import { perDatabase } from '../../sql';

export const SESSION_COOKIE = 'chat_session';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IDLE_MS = 30 * DAY_MS;
export const DEFAULT_ABSOLUTE_MS = 90 * DAY_MS;
/**
 * `last_active_at` is written at most this often per session, and `recent`
 * remembers a lookup this long. Five minutes, not one: a long-polling user
 * asks every 25 s on a new request, and at one minute 1,000 idle pollers cost
 * the server a lookup and a write each per minute (docs/security.md, "Sessions").
 */
export const ACTIVITY_GRANULARITY_MS = 5 * 60_000;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
}

export interface ActiveSession {
  id: string;
  /** A public handle for the session (a hash of its id): safe to put in events and pages. */
  ref: string;
  userId: string;
  expiresAt: Date;
}

export interface ValidatedSession {
  user: SessionUser;
  session: ActiveSession;
}

/** A session as the settings page lists it (never its id: only its ref). */
export interface SessionListing {
  ref: string;
  userAgent: string;
  ipAddress: string;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
}

export interface SessionOptions {
  secureCookies: boolean;
  clock: Clock;
  /** Inactivity after which a session ends. */
  idleMs?: number;
  /** Lifetime after which a session ends however much it is used. */
  absoluteMs?: number;
}

export function sessionRef(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 22);
}

/** Every request's session lookup (and every stream's): built once, not per call. */
const sessionWithUser = perDatabase((db: Database) =>
  db
    .select({ session: sessions, user: { id: users.id, username: users.username, displayName: users.displayName } })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .limit(1)
    .prepare('session_with_user'),
);

function createLucia(db: Database, options: SessionOptions) {
  const adapter = new DrizzlePostgreSQLAdapter(db, sessions, users);
  return new Lucia(adapter, {
    // Only the cookie's Max-Age: the server decides expiry (validate below).
    sessionExpiresIn: new TimeSpan(Math.ceil((options.absoluteMs ?? DEFAULT_ABSOLUTE_MS) / 1000), 's'),
    sessionCookie: {
      name: SESSION_COOKIE,
      expires: true,
      attributes: { secure: options.secureCookies, sameSite: 'lax' },
    },
    getUserAttributes: (a) => ({ username: a.username, displayName: a.displayName }),
  });
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { username: string; displayName: string };
    DatabaseSessionAttributes: { userAgent: string; ipAddress: string };
  }
}

export interface SessionService {
  create(
    userId: string,
    meta: { userAgent: string; ipAddress: string },
  ): Promise<{ session: ActiveSession; cookie: string }>;
  /** The session and its user, or null when it is unknown or expired (an expired one is deleted). */
  validate(sessionId: string): Promise<ValidatedSession | null>;
  /**
   * What `validate` found for this session in this process within the last
   * five minutes (`ACTIVITY_GRANULARITY_MS`, the granularity at which use is
   * recorded, so a caller that takes this instead of validating delays that
   * record by that much at most), if
   * its end has not come; else null. Who a session belongs to never changes, but
   * it may have ended since, here or in another process: a caller must check
   * that it still exists where it writes (the text send's statement does).
   */
  recent(sessionId: string): ValidatedSession | null;
  invalidate(sessionId: string): Promise<void>;
  /** The user's sessions that have not expired, most recently active first. */
  list(userId: string): Promise<SessionListing[]>;
  /** A Set-Cookie value that deletes the cookie. */
  blankCookie(): string;
  /** The session id from a Cookie header, if any. */
  readCookie(cookieHeader: string | null | undefined): string | null;
}

/** Validations `recent` remembers, the oldest forgotten first. */
const RECENT_MAX = 20_000;

export function createSessionService(db: Database, options: SessionOptions): SessionService {
  const lucia = createLucia(db, options);
  /** Session id → what `validate` found and when (this process's clock). Map order: oldest first. */
  const recent = new Map<string, { found: ValidatedSession; at: number }>();
  const remember = (found: ValidatedSession) => {
    recent.delete(found.session.id);
    recent.set(found.session.id, { found, at: options.clock.now().getTime() });
    if (recent.size > RECENT_MAX) {
      const oldest = recent.keys().next();
      if (!oldest.done) recent.delete(oldest.value);
    }
  };
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const absoluteMs = options.absoluteMs ?? DEFAULT_ABSOLUTE_MS;
  const endOf = (createdAt: Date, lastActiveAt: Date) =>
    new Date(Math.min(lastActiveAt.getTime() + idleMs, createdAt.getTime() + absoluteMs));
  const toActive = (s: { id: string; userId: string; expiresAt: Date }): ActiveSession => ({
    id: s.id,
    ref: sessionRef(s.id),
    userId: s.userId,
    expiresAt: s.expiresAt,
  });

  return {
    async create(userId, meta) {
      const now = options.clock.now();
      const row = {
        id: generateIdFromEntropySize(25),
        userId,
        createdAt: now,
        lastActiveAt: now,
        expiresAt: endOf(now, now),
        userAgent: meta.userAgent.slice(0, 512),
        ipAddress: meta.ipAddress.slice(0, 64),
      };
      await db.insert(sessions).values(row);
      return { session: toActive(row), cookie: lucia.createSessionCookie(row.id).serialize() };
    },

    async validate(sessionId) {
      recent.delete(sessionId);
      const [row] = await sessionWithUser(db).execute({ id: sessionId });
      if (!row) return null;
      const now = options.clock.now();
      const { session } = row;
      const end = endOf(session.createdAt, session.lastActiveAt);
      if (now.getTime() >= end.getTime()) {
        await db.delete(sessions).where(eq(sessions.id, sessionId));
        return null;
      }
      let expiresAt = end;
      if (now.getTime() - session.lastActiveAt.getTime() >= ACTIVITY_GRANULARITY_MS) {
        expiresAt = endOf(session.createdAt, now);
        await db.update(sessions).set({ lastActiveAt: now, expiresAt }).where(eq(sessions.id, sessionId));
      }
      const found = { user: row.user, session: toActive({ ...session, expiresAt }) };
      remember(found);
      return found;
    },

    recent(sessionId) {
      const entry = recent.get(sessionId);
      if (!entry) return null;
      const now = options.clock.now().getTime();
      if (now - entry.at >= ACTIVITY_GRANULARITY_MS || now >= entry.found.session.expiresAt.getTime()) {
        recent.delete(sessionId);
        return null;
      }
      return entry.found;
    },

    async invalidate(sessionId) {
      recent.delete(sessionId);
      await db.delete(sessions).where(eq(sessions.id, sessionId));
    },

    async list(userId) {
      const rows = await db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, userId))
        .orderBy(desc(sessions.lastActiveAt));
      const now = options.clock.now().getTime();
      return rows
        .map((s) => ({ ...s, expiresAt: endOf(s.createdAt, s.lastActiveAt) }))
        .filter((s) => s.expiresAt.getTime() > now)
        .map((s) => ({
          ref: sessionRef(s.id),
          userAgent: s.userAgent,
          ipAddress: s.ipAddress,
          createdAt: s.createdAt,
          lastActiveAt: s.lastActiveAt,
          expiresAt: s.expiresAt,
        }));
    },

    blankCookie: () => lucia.createBlankSessionCookie().serialize(),
    readCookie: (header) => lucia.readSessionCookie(header ?? ''),
  };
}

/** Which of a user's sessions to end: all but one (by id), or one (by its public ref). */
export type SessionSelector = { allExcept: string } | { ref: string } | { id: string };

/**
 * Deletes the selected sessions of the user, inside the caller's transaction
 * (which also writes their `session.ended` events); returns their refs.
 */
export async function deleteSessions(tx: Executor, userId: string, which: SessionSelector): Promise<string[]> {
  const mine = eq(sessions.userId, userId);
  let ids: string[];
  if ('allExcept' in which) {
    const rows = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(mine, ne(sessions.id, which.allExcept)));
    ids = rows.map((r) => r.id);
  } else if ('ref' in which) {
    const rows = await tx.select({ id: sessions.id }).from(sessions).where(mine);
    ids = rows.map((r) => r.id).filter((id) => sessionRef(id) === which.ref);
  } else {
    ids = [which.id];
  }
  if (ids.length === 0) return [];
  const deleted = await tx
    .delete(sessions)
    .where(and(mine, inArray(sessions.id, ids)))
    .returning({ id: sessions.id });
  return deleted.map((d) => sessionRef(d.id));
}
