import { contactRequests, contacts, users } from '@chat/db';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { conflict, invalid, notFound } from '../../errors';
import { hasBlocked, hasBlockedSql } from '../access/blocking';
import { insertUserEvent } from '../events/store';
import { loadProfiles, type Profile, profileColumns } from '../profiles/summary';
import { areContacts, deleteRequest, hasRequest, lockPair } from './pair';

/** To the blocker only: they know whom they blocked. */
const unblockFirst = (who: string) =>
  `You blocked ${who === 'them' ? 'them' : `@${who}`}. Unblock them first to add them as a contact.`;

export type RequestOutcome = { status: 'requested'; to: Profile } | { status: 'accepted'; contact: Profile };

async function profilesOf(deps: Pick<Deps, 'db'>, a: string, b: string): Promise<[Profile, Profile]> {
  const map = await loadProfiles(deps.db, [a, b]);
  const pa = map.get(a);
  const pb = map.get(b);
  if (!pa || !pb) throw notFound('No user with that username.');
  return [pa, pb];
}

/**
 * Asks `username` to become a contact. If they already asked the actor, this
 * accepts their request instead: both end up contacts, never stuck.
 */
export async function requestContact(deps: Deps, actorId: string, username: string): Promise<RequestOutcome> {
  const [target] = await deps.db
    .select(profileColumns)
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username.trim()})`);
  if (!target) throw notFound('No user with that username.');
  if (target.id === actorId) throw invalid('You cannot add yourself as a contact.', 'username');

  const outcome = await deps.db.transaction(async (tx): Promise<RequestOutcome> => {
    await lockPair(tx, actorId, target.id);
    if (await hasBlocked(tx, actorId, target.id)) throw conflict(unblockFirst(target.username), 'username');
    if (await areContacts(tx, actorId, target.id))
      throw conflict(`@${target.username} is already a contact.`, 'username');
    if (await hasRequest(tx, actorId, target.id)) {
      throw conflict(`You have already asked @${target.username}; waiting for an answer.`, 'username');
    }
    const [me, them] = await profilesOf({ db: tx }, actorId, target.id);
    if (await hasRequest(tx, target.id, actorId)) {
      await makeContacts(tx, me, them);
      return { status: 'accepted', contact: them };
    }
    await tx.insert(contactRequests).values({ fromUserId: actorId, toUserId: target.id });
    // To someone who blocked the actor, the request is kept but held unseen (no event, left out of
    // their list): the actor gets exactly the answer of a request not yet answered (docs/blocking.md).
    if (!(await hasBlocked(tx, target.id, actorId))) {
      await insertUserEvent(tx, target.id, 'contact.request_received', { from: me });
    }
    await insertUserEvent(tx, actorId, 'contact.request_sent', { to: them });
    return { status: 'requested', to: them };
  });
  deps.hub.announce();
  return outcome;
}

/** Turns the pending request from `them` to `me` into a mutual contact. Pair lock held. */
async function makeContacts(tx: Parameters<typeof lockPair>[0], me: Profile, them: Profile): Promise<void> {
  await deleteRequest(tx, them.id, me.id);
  await tx.insert(contacts).values([
    { userId: me.id, contactId: them.id },
    { userId: them.id, contactId: me.id },
  ]);
  for (const [user, other] of [
    [me, them],
    [them, me],
  ] as const) {
    await insertUserEvent(tx, user.id, 'contact.request_closed', { userId: other.id, reason: 'accepted' });
    await insertUserEvent(tx, user.id, 'contact.added', { contact: other });
  }
}

export async function acceptRequest(deps: Deps, actorId: string, fromUserId: string): Promise<Profile> {
  const contact = await deps.db.transaction(async (tx) => {
    await lockPair(tx, actorId, fromUserId);
    if (!(await hasRequest(tx, fromUserId, actorId))) throw notFound('There is no pending request from that user.');
    if (await hasBlocked(tx, actorId, fromUserId)) throw conflict(unblockFirst('them'));
    const [me, them] = await profilesOf({ db: tx }, actorId, fromUserId);
    await makeContacts(tx, me, them);
    return them;
  });
  deps.hub.announce();
  return contact;
}

/** The recipient says no (`declined`) or the sender withdraws (`cancelled`). */
export async function closeRequest(
  deps: Deps,
  actorId: string,
  otherId: string,
  how: 'declined' | 'cancelled',
): Promise<void> {
  const [from, to] = how === 'declined' ? [otherId, actorId] : [actorId, otherId];
  await deps.db.transaction(async (tx) => {
    await lockPair(tx, actorId, otherId);
    if (!(await deleteRequest(tx, from, to))) {
      throw notFound(
        how === 'declined'
          ? 'There is no pending request from that user.'
          : 'You have no pending request to that user.',
      );
    }
    await insertUserEvent(tx, actorId, 'contact.request_closed', { userId: otherId, reason: how });
    await insertUserEvent(tx, otherId, 'contact.request_closed', { userId: actorId, reason: how });
  });
  deps.hub.announce();
}

export interface PendingRequests {
  incoming: { from: Profile; at: Date }[];
  outgoing: { to: Profile; at: Date }[];
}

export async function listRequests(deps: Pick<Deps, 'db'>, actorId: string): Promise<PendingRequests> {
  const rows = await deps.db
    .select({ from: contactRequests.fromUserId, to: contactRequests.toUserId, at: contactRequests.createdAt })
    .from(contactRequests)
    // Requests from people the actor blocked are held, unseen, until they unblock them.
    .where(
      sql`${contactRequests.fromUserId} = ${actorId}
        or (${contactRequests.toUserId} = ${actorId} and not ${hasBlockedSql(actorId, sql`${contactRequests.fromUserId}`)})`,
    );
  const profiles = await loadProfiles(
    deps.db,
    rows.map((r) => (r.from === actorId ? r.to : r.from)),
  );
  const result: PendingRequests = { incoming: [], outgoing: [] };
  for (const r of rows) {
    const other = profiles.get(r.from === actorId ? r.to : r.from);
    if (!other) continue;
    if (r.from === actorId) result.outgoing.push({ to: other, at: r.at });
    else result.incoming.push({ from: other, at: r.at });
  }
  return result;
}
