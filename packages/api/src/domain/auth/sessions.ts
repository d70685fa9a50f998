/**
 * Sessions, through lucia v3. Everything lucia-specific lives in this file, so
 * moving to a hand-written scheme later (lucia's own advice since v3) touches
 * only it.
 */
import { createHash } from 'node:crypto';
import type { Database } from '@chat/db';
import { sessions, users } from '@chat/db';
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, TimeSpan } from 'lucia';

export const SESSION_COOKIE = 'chat_session';

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
  /** Set when the session was renewed (sliding expiry): send it back as Set-Cookie. */
  renewedCookie: string | undefined;
}

export interface SessionOptions {
  secureCookies: boolean;
  /** Inactivity after which a session ends; renewed while used. */
  idleDays?: number;
}

export function sessionRef(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 22);
}

function createLucia(db: Database, options: SessionOptions) {
  const adapter = new DrizzlePostgreSQLAdapter(db, sessions, users);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(options.idleDays ?? 30, 'd'),
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
  validate(sessionId: string): Promise<ValidatedSession | null>;
  invalidate(sessionId: string): Promise<void>;
  /** A Set-Cookie value that deletes the cookie. */
  blankCookie(): string;
  /** The session id from a Cookie header, if any. */
  readCookie(cookieHeader: string | null | undefined): string | null;
}

export function createSessionService(db: Database, options: SessionOptions): SessionService {
  const lucia = createLucia(db, options);
  const toActive = (s: { id: string; userId: string; expiresAt: Date }): ActiveSession => ({
    id: s.id,
    ref: sessionRef(s.id),
    userId: s.userId,
    expiresAt: s.expiresAt,
  });
  return {
    async create(userId, meta) {
      const session = await lucia.createSession(userId, {
        userAgent: meta.userAgent.slice(0, 512),
        ipAddress: meta.ipAddress.slice(0, 64),
      });
      return { session: toActive(session), cookie: lucia.createSessionCookie(session.id).serialize() };
    },
    async validate(sessionId) {
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session || !user) return null;
      return {
        user: { id: user.id, username: user.username, displayName: user.displayName },
        session: toActive(session),
        renewedCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : undefined,
      };
    },
    async invalidate(sessionId) {
      await lucia.invalidateSession(sessionId);
    },
    blankCookie: () => lucia.createBlankSessionCookie().serialize(),
    readCookie: (header) => lucia.readSessionCookie(header ?? ''),
  };
}
