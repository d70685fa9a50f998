import type { Executor, User } from '@chat/db';
import { users } from '@chat/db';
import { inArray } from 'drizzle-orm';

/** What others may see of a user (when they may see the user at all). */
export interface Profile {
  id: string;
  username: string;
  displayName: string;
  about: string;
  lastSeenAt: Date | null;
}

export const profileColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  about: users.about,
  lastSeenAt: users.lastSeenAt,
} as const;

export function toProfile(u: Pick<User, 'id' | 'username' | 'displayName' | 'about' | 'lastSeenAt'>): Profile {
  return { id: u.id, username: u.username, displayName: u.displayName, about: u.about, lastSeenAt: u.lastSeenAt };
}

export async function loadProfiles(db: Executor, ids: string[]): Promise<Map<string, Profile>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select(profileColumns).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, toProfile(r)]));
}
