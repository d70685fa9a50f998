/**
 * The user's status (issue 27): the one they choose, kept on their row so
 * that every device and a restart agree, and the idle reports of their tabs
 * that turn a chosen Available into Away (docs/presence.md, "Status").
 */
import { type UserStatus, users } from '@chat/db';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { notFound } from '../../errors';

export interface MyStatus {
  /** As chosen (the menu checks it); others see `PresenceState.status`. */
  status: UserStatus;
  /** How long a tab waits without input before reporting itself idle (the server's AWAY_AFTER_IDLE_SECONDS). */
  awayAfterIdleMs: number;
}

export async function getMyStatus(deps: Pick<Deps, 'db' | 'presence'>, actorId: string): Promise<MyStatus> {
  const [row] = await deps.db.select({ status: users.status }).from(users).where(eq(users.id, actorId));
  if (!row) throw notFound('That account no longer exists.');
  return { status: row.status, awayAfterIdleMs: deps.presence.awayAfterIdleMs };
}

/** Stores the chosen status, then tells everyone who may see the actor's presence (and their own other tabs). */
export async function setStatus(
  deps: Pick<Deps, 'db' | 'presence'>,
  actorId: string,
  status: UserStatus,
): Promise<MyStatus> {
  const [row] = await deps.db
    .update(users)
    .set({ status })
    .where(eq(users.id, actorId))
    .returning({ status: users.status });
  if (!row) throw notFound('That account no longer exists.');
  await deps.presence.changed(actorId);
  return { status: row.status, awayAfterIdleMs: deps.presence.awayAfterIdleMs };
}

/**
 * A tab of the actor had no input for a while (`idle`), or has again. The
 * process holding that tab's stream combines it with the user's other tabs:
 * away only when every stream comes from an idle tab.
 */
export async function reportIdle(
  deps: Pick<Deps, 'presence'>,
  actorId: string,
  tabId: string,
  idle: boolean,
): Promise<void> {
  await deps.presence.setIdle(actorId, tabId, idle);
}
