/**
 * Blocking someone (issue 27; docs/blocking.md). Blocking ends the contact
 * exactly as "Remove contact" does, withdraws the blocker's own request, and
 * from then on holds the blocked person's requests unseen. It never tells the
 * blocked person: what they see is what a removal shows, and nothing more.
 * The blocker's other devices learn of it by `block.changed`.
 */
import { blocks, contacts, users } from '@chat/db';
import { and, asc, eq, or } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessBlockTarget } from '../access/blocking';
import { deleteRequest, lockPair } from '../contacts/pair';
import { insertUserEvent } from '../events/store';
import { type Profile, profileColumns, toProfile } from '../profiles/summary';

export interface BlockedPerson {
  user: Profile;
  /** When they were blocked. */
  at: Date;
}

/** Blocks `userId`. Blocking someone already blocked changes nothing and answers the same. */
export async function blockUser(deps: Deps, actorId: string, userId: string): Promise<BlockedPerson> {
  const outcome = await deps.db.transaction(async (tx) => {
    const user = await accessBlockTarget(tx, actorId, userId);
    // The same lock as every contact change between the two, so a request or accept cannot slip in between.
    await lockPair(tx, actorId, userId);
    const [row] = await tx
      .insert(blocks)
      .values({ blockerId: actorId, blockedId: userId })
      .onConflictDoNothing()
      .returning({ at: blocks.createdAt });
    if (!row) {
      const [existing] = await tx
        .select({ at: blocks.createdAt })
        .from(blocks)
        .where(and(eq(blocks.blockerId, actorId), eq(blocks.blockedId, userId)));
      return { changed: false, person: { user, at: existing?.at ?? new Date() } };
    }
    // What "Remove contact" does, events and all: the blocked person sees a removal, nothing more.
    const removed = await tx
      .delete(contacts)
      .where(
        or(
          and(eq(contacts.userId, actorId), eq(contacts.contactId, userId)),
          and(eq(contacts.userId, userId), eq(contacts.contactId, actorId)),
        ),
      )
      .returning({ userId: contacts.userId });
    if (removed.length > 0) {
      await insertUserEvent(tx, actorId, 'contact.removed', { userId });
      await insertUserEvent(tx, userId, 'contact.removed', { userId: actorId });
    }
    // The blocker's own request is withdrawn, as "Cancel" does; theirs to the blocker is kept, unseen.
    if (await deleteRequest(tx, actorId, userId)) {
      await insertUserEvent(tx, actorId, 'contact.request_closed', { userId, reason: 'cancelled' });
      await insertUserEvent(tx, userId, 'contact.request_closed', { userId: actorId, reason: 'cancelled' });
    }
    await insertUserEvent(tx, actorId, 'block.changed', { userId, blocked: true });
    return { changed: true, person: { user, at: row.at } };
  });
  if (outcome.changed) deps.hub.announce();
  return outcome.person;
}

/**
 * Unblocks `userId`; unblocking someone not blocked changes nothing. The
 * contact is not restored (either side may ask again); a request they sent
 * meanwhile now shows, as if it had just arrived.
 */
export async function unblockUser(deps: Deps, actorId: string, userId: string): Promise<void> {
  const changed = await deps.db.transaction(async (tx) => {
    await accessBlockTarget(tx, actorId, userId);
    await lockPair(tx, actorId, userId);
    const gone = await tx
      .delete(blocks)
      .where(and(eq(blocks.blockerId, actorId), eq(blocks.blockedId, userId)))
      .returning({ id: blocks.blockedId });
    if (gone.length === 0) return false;
    await insertUserEvent(tx, actorId, 'block.changed', { userId, blocked: false });
    return true;
  });
  if (changed) deps.hub.announce();
}

/** The people the actor has blocked, by name: only ever the actor's own list. */
export async function listBlocked(deps: Pick<Deps, 'db'>, actorId: string): Promise<BlockedPerson[]> {
  const rows = await deps.db
    .select({ ...profileColumns, at: blocks.createdAt })
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedId))
    .where(eq(blocks.blockerId, actorId))
    .orderBy(asc(users.displayName), asc(users.username));
  return rows.map((r) => ({ user: toProfile(r), at: r.at }));
}
