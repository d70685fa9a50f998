/** Changing the password from the settings page. */
import { users } from '@chat/db';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { invalid } from '../../errors';
import { hashPassword, verifyPassword } from '../auth/password-hash';
import type { ValidatedSession } from '../auth/sessions';
import { endSessions } from './sign-out';

export interface ChangePasswordInput {
  current: string;
  next: string;
}

/**
 * Changes the password after checking the current one, and ends every other
 * session of the user (their streams close). A wrong current password counts
 * as a failed sign-in for the account, so a stolen session cannot guess it.
 */
export async function changePassword(
  deps: Deps,
  auth: ValidatedSession,
  input: ChangePasswordInput,
  meta: { ipAddress: string },
): Promise<{ endedSessions: number }> {
  const { user, session } = auth;
  await deps.loginThrottle.check(user.username, meta.ipAddress);
  const [row] = await deps.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, user.id))
    .limit(1);
  if (!row || !(await verifyPassword(row.passwordHash, input.current))) {
    await deps.loginThrottle.recordFailure(user.username, meta.ipAddress);
    throw invalid('Your current password is not right.', 'current');
  }
  if (input.next === input.current) throw invalid('The new password must differ from the current one.', 'next');
  const passwordHash = await hashPassword(input.next);
  const ended = await endSessions(deps, user.id, { allExcept: session.id }, 'password_changed', async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
  });
  deps.log.info({ userId: user.id, endedSessions: ended.length }, 'password changed');
  return { endedSessions: ended.length };
}
