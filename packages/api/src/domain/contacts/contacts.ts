import { contacts, users } from '@chat/db';
import { and, asc, eq, or } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { notFound } from '../../errors';
import { insertUserEvent } from '../events/store';
import { type Profile, profileColumns, toProfile } from '../profiles/summary';
import { lockPair } from './pair';

export async function listContacts(deps: Pick<Deps, 'db'>, actorId: string): Promise<Profile[]> {
  const rows = await deps.db
    .select(profileColumns)
    .from(contacts)
    .innerJoin(users, eq(users.id, contacts.contactId))
    .where(eq(contacts.userId, actorId))
    .orderBy(asc(users.displayName), asc(users.username));
  return rows.map(toProfile);
}

/** Removes the contact on both sides. Their direct chat stays readable; sending stops. */
export async function removeContact(deps: Deps, actorId: string, contactId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockPair(tx, actorId, contactId);
    const removed = await tx
      .delete(contacts)
      .where(
        or(
          and(eq(contacts.userId, actorId), eq(contacts.contactId, contactId)),
          and(eq(contacts.userId, contactId), eq(contacts.contactId, actorId)),
        ),
      )
      .returning({ userId: contacts.userId });
    if (removed.length === 0) throw notFound('That user is not one of your contacts.');
    await insertUserEvent(tx, actorId, 'contact.removed', { userId: contactId });
    await insertUserEvent(tx, contactId, 'contact.removed', { userId: actorId });
  });
  deps.hub.announce();
}
