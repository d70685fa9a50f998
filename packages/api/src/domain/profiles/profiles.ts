import { chatMembers, contacts, users } from '@chat/db';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { notFound } from '../../errors';
import { accessProfileByUsername } from '../access/profiles';
import { insertChatEvent, insertUserEvent } from '../events/store';
import { type Profile, profileColumns, toProfile } from './summary';

export async function getOwnProfile(deps: Pick<Deps, 'db'>, actorId: string): Promise<Profile> {
  const [row] = await deps.db.select(profileColumns).from(users).where(eq(users.id, actorId));
  if (!row) throw notFound('Your account no longer exists.');
  return toProfile(row);
}

export function getProfile(deps: Pick<Deps, 'db'>, actorId: string, username: string): Promise<Profile> {
  return accessProfileByUsername(deps.db, actorId, username);
}

export interface ProfileChanges {
  displayName?: string | undefined;
  about?: string | undefined;
}

/** Edits the actor's own profile; everyone who can see it hears of the change. */
export async function updateProfile(deps: Deps, actorId: string, changes: ProfileChanges): Promise<Profile> {
  const profile = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({
        ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        ...(changes.about !== undefined ? { about: changes.about } : {}),
      })
      .where(eq(users.id, actorId))
      .returning(profileColumns);
    if (!row) throw notFound('Your account no longer exists.');
    const updated = toProfile(row);
    await insertUserEvent(tx, actorId, 'profile.updated', { profile: updated });
    const contactRows = await tx.select({ id: contacts.contactId }).from(contacts).where(eq(contacts.userId, actorId));
    for (const c of contactRows) await insertUserEvent(tx, c.id, 'profile.updated', { profile: updated });
    const chatRows = await tx
      .select({ id: chatMembers.chatId })
      .from(chatMembers)
      .where(eq(chatMembers.userId, actorId));
    for (const c of chatRows) await insertChatEvent(tx, c.id, 'profile.updated', { profile: updated });
    return updated;
  });
  deps.hub.announce();
  return profile;
}
