/**
 * Blocking, as an authorization rule (docs/blocking.md): who has blocked
 * whom, and whom a user may block. The blocked person is never told: every
 * place that reads this answers them as it would answer anyone in an
 * ordinary case (a removed contact, a request not yet answered).
 */
import type { Executor } from '@chat/db';
import { blocks, contactRequests, users } from '@chat/db';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { invalid, notFound } from '../../errors';
import { type Profile, profileColumns, toProfile } from '../profiles/summary';
import { canSeeProfile, PROFILE_NOT_FOUND } from './profiles';

export const CANNOT_BLOCK_SELF = 'You cannot block yourself.';

/** Whether `blockerId` has blocked `blockedId` (one direction). */
export async function hasBlocked(db: Executor, blockerId: string, blockedId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: blocks.blockedId })
    .from(blocks)
    .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)));
  return row !== undefined;
}

/** `hasBlocked` in SQL, its arguments columns or values: "blocker has blocked other". */
export function hasBlockedSql(blockerId: string | SQL, otherId: SQL): SQL {
  return sql`exists (select 1 from ${blocks} where ${blocks.blockerId} = ${blockerId} and ${blocks.blockedId} = ${otherId})`;
}

/**
 * The person `actorId` may block or unblock: someone whose profile they may
 * see, someone with a request waiting for them (its card shows a "Block"),
 * or someone they have blocked already (once blocked, the shared contact is
 * gone and the profile may no longer be visible). Anyone else, and an
 * unknown id, get the profile rule's one answer.
 */
export async function accessBlockTarget(db: Executor, actorId: string, targetId: string): Promise<Profile> {
  if (targetId === actorId) throw invalid(CANNOT_BLOCK_SELF, 'userId');
  const [row] = await db.select(profileColumns).from(users).where(eq(users.id, targetId));
  if (!row) throw notFound(PROFILE_NOT_FOUND);
  if (await canSeeProfile(db, actorId, targetId)) return toProfile(row);
  if (await hasBlocked(db, actorId, targetId)) return toProfile(row);
  const [asked] = await db
    .select({ id: contactRequests.fromUserId })
    .from(contactRequests)
    .where(and(eq(contactRequests.fromUserId, targetId), eq(contactRequests.toUserId, actorId)));
  if (asked) return toProfile(row);
  throw notFound(PROFILE_NOT_FOUND);
}
