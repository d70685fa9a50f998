/**
 * The user's sessions as the settings page sees them, and ending them. Every
 * ended session gets a `session.ended` event in the same transaction as its
 * deletion, so its open streams (WebSocket or SSE, on any process) hear it
 * and close; the wake-up goes out after commit.
 */
import type { Transaction } from '@chat/db';
import type { Deps } from '../../deps';
import { notFound } from '../../errors';
import { deleteSessions, type SessionSelector } from '../auth/sessions';
import { insertUserEvent } from '../events/store';
import type { EventPayloads } from '../events/types';
import { describeDevice } from './device';

type EndReason = EventPayloads['session.ended']['reason'];

export interface SessionView {
  /** The session's public ref (never its secret id). */
  id: string;
  device: string;
  userAgent: string;
  ipAddress: string;
  createdAt: Date;
  lastActiveAt: Date;
  current: boolean;
}

/** The caller's sessions that have not expired: the current one first, then by last use. */
export async function listSessions(deps: Pick<Deps, 'sessions'>, userId: string, currentRef: string) {
  const rows = await deps.sessions.list(userId);
  const views: SessionView[] = rows.map((s) => ({
    id: s.ref,
    device: describeDevice(s.userAgent),
    userAgent: s.userAgent,
    ipAddress: s.ipAddress,
    createdAt: s.createdAt,
    lastActiveAt: s.lastActiveAt,
    current: s.ref === currentRef,
  }));
  return views.sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * Ends the selected sessions of the user and tells their streams; returns the
 * refs that ended. `alongside` runs first in the same transaction (a password
 * change commits with the sign-outs it causes, or not at all).
 */
export async function endSessions(
  deps: Pick<Deps, 'db' | 'hub'>,
  userId: string,
  which: SessionSelector,
  reason: EndReason,
  alongside?: (tx: Transaction) => Promise<void>,
): Promise<string[]> {
  const refs = await deps.db.transaction(async (tx) => {
    await alongside?.(tx);
    const ended = await deleteSessions(tx, userId, which);
    for (const sessionRef of ended) await insertUserEvent(tx, userId, 'session.ended', { sessionRef, reason });
    return ended;
  });
  if (refs.length > 0) deps.hub.announce();
  return refs;
}

/** Signs out one of the caller's sessions, by its public ref. */
export async function signOutSession(deps: Pick<Deps, 'db' | 'hub'>, userId: string, ref: string): Promise<void> {
  const ended = await endSessions(deps, userId, { ref }, 'revoked');
  if (ended.length === 0) throw notFound('That session has already ended.');
}
