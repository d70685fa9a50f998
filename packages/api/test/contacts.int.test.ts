import { contactRequests, contacts } from '@chat/db';
import { and, eq, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listContacts, removeContact } from '../src/domain/contacts/contacts';
import { acceptRequest, closeRequest, listRequests, requestContact } from '../src/domain/contacts/requests';
import { DomainError } from '../src/errors';
import { makeDeps, makeUser, type TestDeps } from './deps';
import { recordStream, settle } from './events';

let deps: TestDeps;
beforeAll(async () => {
  deps = await makeDeps();
});
afterAll(async () => {
  await deps?.close();
});

/** Rows between exactly these two users: contact rows (0 or 2) and pending requests. */
async function pairRows(a: string, b: string) {
  const c = await deps.db
    .select()
    .from(contacts)
    .where(
      or(
        and(eq(contacts.userId, a), eq(contacts.contactId, b)),
        and(eq(contacts.userId, b), eq(contacts.contactId, a)),
      ),
    );
  const r = await deps.db
    .select()
    .from(contactRequests)
    .where(
      or(
        and(eq(contactRequests.fromUserId, a), eq(contactRequests.toUserId, b)),
        and(eq(contactRequests.fromUserId, b), eq(contactRequests.toUserId, a)),
      ),
    );
  return { contacts: c.length, requests: r.length };
}

async function refused(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('contact requests', () => {
  it('a request is seen live by the other side; accepting makes both contacts', async () => {
    const alice = await makeUser(deps, 'alice');
    const bob = await makeUser(deps, 'bob');
    const bobStream = await recordStream(deps, bob.id);
    const aliceStream = await recordStream(deps, alice.id);

    const out = await requestContact(deps, alice.id, bob.username.toUpperCase());
    expect(out.status).toBe('requested');
    await bobStream.until((items) => items.some((i) => i.type === 'contact.request_received'));
    expect((await listRequests(deps, bob.id)).incoming.map((r) => r.from.id)).toEqual([alice.id]);
    expect((await listRequests(deps, alice.id)).outgoing.map((r) => r.to.id)).toEqual([bob.id]);

    await acceptRequest(deps, bob.id, alice.id);
    await aliceStream.until((items) => items.some((i) => i.type === 'contact.added'));
    await bobStream.until((items) => items.some((i) => i.type === 'contact.added'));
    expect((await listContacts(deps, alice.id)).map((p) => p.id)).toEqual([bob.id]);
    expect((await listContacts(deps, bob.id)).map((p) => p.id)).toEqual([alice.id]);
    expect(await pairRows(alice.id, bob.id)).toEqual({ contacts: 2, requests: 0 });
    bobStream.stop();
    aliceStream.stop();
  });

  it('refuses yourself, an unknown username, an existing contact and a repeated request, changing nothing', async () => {
    const alice = await makeUser(deps);
    const bob = await makeUser(deps);
    const carol = await makeUser(deps);
    expect(await refused(requestContact(deps, alice.id, alice.username))).toMatchObject({
      kind: 'invalid',
      message: 'You cannot add yourself as a contact.',
    });
    expect(await refused(requestContact(deps, alice.id, 'nobody_by_this_name'))).toMatchObject({ kind: 'not_found' });

    await requestContact(deps, alice.id, bob.username);
    expect(await refused(requestContact(deps, alice.id, bob.username))).toMatchObject({ kind: 'conflict' });
    expect(await pairRows(alice.id, bob.id)).toEqual({ contacts: 0, requests: 1 });

    await requestContact(deps, alice.id, carol.username);
    await acceptRequest(deps, carol.id, alice.id);
    const e = await refused(requestContact(deps, carol.id, alice.username));
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(/already a contact/);
    expect(await pairRows(alice.id, carol.id)).toEqual({ contacts: 2, requests: 0 });
  });

  it('declining and cancelling remove the request on both sides, with events', async () => {
    const alice = await makeUser(deps);
    const bob = await makeUser(deps);
    const aliceStream = await recordStream(deps, alice.id);
    await requestContact(deps, alice.id, bob.username);
    await closeRequest(deps, bob.id, alice.id, 'declined');
    await aliceStream.until((items) =>
      items.some((i) => i.type === 'contact.request_closed' && i.payload.reason === 'declined'),
    );
    expect(await pairRows(alice.id, bob.id)).toEqual({ contacts: 0, requests: 0 });

    await requestContact(deps, alice.id, bob.username);
    // Only the recipient declines, only the sender cancels.
    expect((await refused(closeRequest(deps, alice.id, bob.id, 'declined'))).kind).toBe('not_found');
    expect((await refused(closeRequest(deps, bob.id, alice.id, 'cancelled'))).kind).toBe('not_found');
    await closeRequest(deps, alice.id, bob.id, 'cancelled');
    expect(await pairRows(alice.id, bob.id)).toEqual({ contacts: 0, requests: 0 });
    aliceStream.stop();
  });

  it('accepting a request that does not exist changes nothing', async () => {
    const alice = await makeUser(deps);
    const bob = await makeUser(deps);
    expect((await refused(acceptRequest(deps, bob.id, alice.id))).kind).toBe('not_found');
    expect(await pairRows(alice.id, bob.id)).toEqual({ contacts: 0, requests: 0 });
  });

  it('two people asking each other at the same moment end up contacts', async () => {
    for (let round = 0; round < 8; round++) {
      const a = await makeUser(deps);
      const b = await makeUser(deps);
      const results = await Promise.allSettled([
        requestContact(deps, a.id, b.username),
        requestContact(deps, b.id, a.username),
      ]);
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 'failed')).sort();
      expect(statuses).toEqual(['accepted', 'requested']);
      expect(await pairRows(a.id, b.id)).toEqual({ contacts: 2, requests: 0 });
    }
  });

  it('removing a contact removes it on both sides, live', async () => {
    const alice = await makeUser(deps);
    const bob = await makeUser(deps);
    await requestContact(deps, alice.id, bob.username);
    await acceptRequest(deps, bob.id, alice.id);
    const bobStream = await recordStream(deps, bob.id);
    await removeContact(deps, alice.id, bob.id);
    await bobStream.until((items) => items.some((i) => i.type === 'contact.removed'));
    expect(await listContacts(deps, bob.id)).toEqual([]);
    expect(await pairRows(alice.id, bob.id)).toEqual({ contacts: 0, requests: 0 });
    expect((await refused(removeContact(deps, alice.id, bob.id))).kind).toBe('not_found');
    bobStream.stop();
    await settle();
  });
});
