import type { User } from '@chat/db';
import { users } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { conflict, unauthorized } from '../../errors';
import { endSessions } from '../account/sign-out';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password-hash';
import type { LoginInput, RegisterInput } from './rules';
import type { ActiveSession, SessionUser } from './sessions';

export interface ClientMeta {
  ipAddress: string;
  userAgent: string;
}

export interface SignedIn {
  user: SessionUser;
  session: ActiveSession;
  cookie: string;
}

const LOGIN_FAILED = 'Wrong username or password.';

function toSessionUser(u: Pick<User, 'id' | 'username' | 'displayName'>): SessionUser {
  return { id: u.id, username: u.username, displayName: u.displayName };
}

export async function findUserByUsername(deps: Pick<Deps, 'db'>, username: string): Promise<User | undefined> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username.trim()})`)
    .limit(1);
  return user;
}

/** Creates the account and signs it in. Limited per address. */
export async function register(deps: Deps, input: RegisterInput, meta: ClientMeta): Promise<SignedIn> {
  await deps.limits.consume('register', meta.ipAddress);
  const passwordHash = await hashPassword(input.password);
  const [user] = await deps.db
    .insert(users)
    .values({ username: input.username, displayName: input.username, passwordHash })
    .onConflictDoNothing()
    .returning();
  if (!user) throw conflict('That username is taken.', 'username');
  const { session, cookie } = await deps.sessions.create(user.id, meta);
  deps.log.info({ userId: user.id }, 'user registered');
  return { user: toSessionUser(user), session, cookie };
}

/**
 * Checks the password and opens a new session (a new id at every sign-in).
 * A failure says the same thing, and costs the same time, whether or not the
 * user exists.
 */
export async function login(deps: Deps, input: LoginInput, meta: ClientMeta): Promise<SignedIn> {
  await deps.loginThrottle.check(input.username, meta.ipAddress);
  const user = await findUserByUsername(deps, input.username);
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyPasswordHash(), input.password)) && false;
  if (!user || !ok) {
    await deps.loginThrottle.recordFailure(input.username, meta.ipAddress);
    throw unauthorized(LOGIN_FAILED);
  }
  await deps.loginThrottle.recordSuccess(input.username);
  const { session, cookie } = await deps.sessions.create(user.id, meta);
  await deps.db.update(users).set({ lastSeenAt: deps.clock.now() }).where(eq(users.id, user.id));
  return { user: toSessionUser(user), session, cookie };
}

/** Ends the session on the server and tells its open streams, which close. */
export async function logout(deps: Deps, session: ActiveSession): Promise<void> {
  await endSessions(deps, session.userId, { id: session.id }, 'logout');
}
