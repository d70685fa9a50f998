/**
 * The signed-in user: loaded from `auth.me` at start-up, changed by signing
 * in, registering and signing out, and re-checked when the stream says a
 * session ended.
 */
import type { SessionUser } from '@chat/api';
import { createSignal } from 'solid-js';
import { api, isApiError } from '../lib/trpc';

export type SessionState =
  | { status: 'loading' }
  /** `auth.me` failed: the server could not be reached. */
  | { status: 'unreachable' }
  /** `explicit`: the user signed out here (no "come back to" page). */
  | { status: 'signed-out'; explicit: boolean }
  | { status: 'signed-in'; user: SessionUser };

const [session, setSession] = createSignal<SessionState>({ status: 'loading' });

export { session };

export function currentUser(): SessionUser | null {
  const s = session();
  return s.status === 'signed-in' ? s.user : null;
}

const signedIn = (user: SessionUser): SessionState => ({ status: 'signed-in', user });

/** Asks the server who we are. Called once at start-up, and by "Try again". */
export async function loadSession(): Promise<void> {
  setSession({ status: 'loading' });
  try {
    const user = await api.auth.me.query();
    setSession(user ? signedIn(user) : { status: 'signed-out', explicit: false });
  } catch {
    setSession({ status: 'unreachable' });
  }
}

let recheck: Promise<boolean> | null = null;
/** Bumped by every local profile change: a recheck that started before one must not undo it. */
let profileVersion = 0;

/**
 * Re-asks `auth.me` (concurrent calls share one request). Resolves whether
 * the tab is still signed in; rejects when the server cannot be reached,
 * leaving the state as it was.
 */
export function recheckSession(): Promise<boolean> {
  if (recheck) return recheck;
  const version = profileVersion; // as the request leaves
  recheck = api.auth.me
    .query()
    .then((user) => {
      if (!user) {
        if (session().status === 'signed-in') setSession({ status: 'signed-out', explicit: false });
        return false;
      }
      const before = currentUser();
      // Another tab may have signed in as someone else: the cookie is shared.
      if (before?.id !== user.id) setSession(signedIn(user));
      // A profile saved while this was in flight is newer than its answer.
      else if (before.displayName !== user.displayName && version === profileVersion) setSession(signedIn(user));
      return true;
    })
    .finally(() => {
      recheck = null;
    });
  return recheck;
}

/**
 * Takes in a profile change that may be the signed-in user's own (from the
 * stream, or from saving the settings form); anyone else's is ignored here.
 */
export function applyOwnProfile(profile: Pick<SessionUser, 'id' | 'username' | 'displayName'>): void {
  const user = currentUser();
  if (!user || user.id !== profile.id) return;
  if (user.displayName === profile.displayName && user.username === profile.username) return;
  profileVersion++;
  setSession(signedIn({ ...user, username: profile.username, displayName: profile.displayName }));
}

export async function login(input: { username: string; password: string }): Promise<void> {
  setSession(signedIn(await api.auth.login.mutate(input)));
}

export async function register(input: { username: string; password: string; passwordRepeat: string }): Promise<void> {
  setSession(signedIn(await api.auth.register.mutate(input)));
}

/** Ends the session on the server. Already signed out there counts as done. */
export async function logout(): Promise<void> {
  try {
    await api.auth.logout.mutate();
  } catch (error) {
    if (!(isApiError(error) && error.data?.code === 'UNAUTHORIZED')) throw error;
  }
  setSession({ status: 'signed-out', explicit: true });
}
