import { chatMembers, chats, GROUP_MEMBER_LIMIT } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessChat } from '../src/domain/access/chats';
import { accessProfile } from '../src/domain/access/profiles';
import { openDirectChat } from '../src/domain/chats/direct';
import {
  addMembers,
  createGroup,
  deleteGroup,
  getChat,
  leaveGroup,
  removeMember,
  renameGroup,
} from '../src/domain/chats/groups';
import { listChats } from '../src/domain/chats/summary';
import { removeContact } from '../src/domain/contacts/contacts';
import { DomainError } from '../src/errors';
import { makeContacts, makeDeps, makeUser, makeUsers, type TestDeps } from './deps';
import { recordStream } from './events';

let deps: TestDeps;
beforeAll(async () => {
  deps = await makeDeps();
});
afterAll(async () => {
  await deps?.close();
});

async function refused(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

async function memberIds(chatId: string): Promise<string[]> {
  const rows = await deps.db.select().from(chatMembers).where(eq(chatMembers.chatId, chatId));
  return rows.map((r) => r.userId).sort();
}

async function storedCount(chatId: string): Promise<number | undefined> {
  const [row] = await deps.db.select({ n: chats.memberCount }).from(chats).where(eq(chats.id, chatId));
  return row?.n;
}

describe('groups', () => {
  it('creates a group with contacts; members see it appear live', async () => {
    const owner = await makeUser(deps);
    const [a, b] = await makeUsers(deps, 2);
    if (!a || !b) throw new Error('users');
    await makeContacts(deps, owner, [a, b]);
    const aStream = await recordStream(deps, a.id);
    const group = await createGroup(deps, owner.id, 'Team', [a.id, b.id]);
    expect(group).toMatchObject({ kind: 'group', name: 'Team', ownerId: owner.id, memberCount: 3 });
    await aStream.until((items) => items.some((i) => i.type === 'chat.joined' && i.payload.chat.id === group.id));
    expect((await listChats(deps.db, a.id)).map((c) => c.id)).toContain(group.id);
    expect(await memberIds(group.id)).toEqual([owner.id, a.id, b.id].sort());
    aStream.stop();
  });

  it('refuses members who are not the creator’s contacts, creating nothing', async () => {
    const owner = await makeUser(deps);
    const stranger = await makeUser(deps);
    const before = await listChats(deps.db, owner.id);
    expect((await refused(createGroup(deps, owner.id, 'X', [stranger.id]))).message).toBe(
      'You can only add people from your contacts.',
    );
    expect(await listChats(deps.db, owner.id)).toEqual(before);
  });

  it('only the owner renames, adds, removes and deletes; every member can leave', async () => {
    const owner = await makeUser(deps);
    const [a, b, c] = await makeUsers(deps, 3);
    if (!a || !b || !c) throw new Error('users');
    await makeContacts(deps, owner, [a, b, c]);
    await makeContacts(deps, a, [c]);
    const g = await createGroup(deps, owner.id, 'Team', [a.id, b.id]);
    const bStream = await recordStream(deps, b.id);

    expect((await refused(renameGroup(deps, a.id, g.id, 'Mine'))).kind).toBe('forbidden');
    expect((await refused(addMembers(deps, a.id, g.id, [c.id]))).kind).toBe('forbidden');
    expect((await refused(removeMember(deps, a.id, g.id, b.id))).kind).toBe('forbidden');
    expect((await refused(deleteGroup(deps, a.id, g.id))).kind).toBe('forbidden');
    expect(await memberIds(g.id)).toEqual([owner.id, a.id, b.id].sort());

    await renameGroup(deps, owner.id, g.id, 'Renamed');
    await bStream.until((items) => items.some((i) => i.type === 'chat.renamed' && i.payload.name === 'Renamed'));

    await addMembers(deps, owner.id, g.id, [c.id]);
    await bStream.until((items) => items.some((i) => i.type === 'chat.member_added' && i.payload.member.id === c.id));
    expect(await storedCount(g.id)).toBe(4);
    expect((await refused(addMembers(deps, owner.id, g.id, [c.id]))).kind).toBe('conflict');

    await removeMember(deps, owner.id, g.id, c.id);
    await bStream.until((items) => items.some((i) => i.type === 'chat.member_removed' && i.payload.userId === c.id));
    expect(await storedCount(g.id)).toBe(3);
    expect((await refused(accessChat(deps.db, c.id, g.id))).kind).toBe('not_found');

    await leaveGroup(deps, b.id, g.id);
    await bStream.until((items) => items.some((i) => i.type === 'chat.left' && i.payload.reason === 'left'));
    expect(await memberIds(g.id)).toEqual([owner.id, a.id].sort());
    bStream.stop();
  });

  it('passes ownership to the longest-standing member when the owner leaves', async () => {
    const owner = await makeUser(deps);
    const [first, second] = await makeUsers(deps, 2);
    if (!first || !second) throw new Error('users');
    await makeContacts(deps, owner, [first, second]);
    const g = await createGroup(deps, owner.id, 'Team', [first.id]);
    await deps.db.execute(sql`select pg_sleep(0.01)`);
    await addMembers(deps, owner.id, g.id, [second.id]);
    const stream = await recordStream(deps, second.id);
    await leaveGroup(deps, owner.id, g.id);
    await stream.until((items) => items.some((i) => i.type === 'chat.owner_changed' && i.payload.ownerId === first.id));
    expect((await getChat(deps, first.id, g.id)).chat.ownerId).toBe(first.id);
    stream.stop();
  });

  it('deleting a group removes it for everyone, live', async () => {
    const owner = await makeUser(deps);
    const a = await makeUser(deps);
    await makeContacts(deps, owner, [a]);
    const g = await createGroup(deps, owner.id, 'Team', [a.id]);
    const aStream = await recordStream(deps, a.id);
    await deleteGroup(deps, owner.id, g.id);
    await aStream.until((items) => items.some((i) => i.type === 'chat.left' && i.payload.reason === 'deleted'));
    expect(await listChats(deps.db, a.id)).toEqual([]);
    expect(await memberIds(g.id)).toEqual([]);
    aStream.stop();
  });

  it('a removed member gets no more of the group’s events', async () => {
    const owner = await makeUser(deps);
    const [a, b] = await makeUsers(deps, 2);
    if (!a || !b) throw new Error('users');
    await makeContacts(deps, owner, [a, b]);
    const g = await createGroup(deps, owner.id, 'Team', [a.id, b.id]);
    const aStream = await recordStream(deps, a.id);
    const bStream = await recordStream(deps, b.id);
    await removeMember(deps, owner.id, g.id, a.id);
    await renameGroup(deps, owner.id, g.id, 'After');
    await bStream.until((items) => items.some((i) => i.type === 'chat.renamed'));
    await aStream.until((items) => items.some((i) => i.type === 'chat.left'));
    expect(aStream.items.some((i) => i.type === 'chat.renamed')).toBe(false);
    aStream.stop();
    bStream.stop();
  });
});

describe('the 300-member limit', () => {
  it('refuses the 301st member with a clear error', async () => {
    const owner = await makeUser(deps);
    const people = await makeUsers(deps, GROUP_MEMBER_LIMIT);
    await makeContacts(deps, owner, people);
    const g = await createGroup(
      deps,
      owner.id,
      'Big',
      people.slice(0, GROUP_MEMBER_LIMIT - 1).map((p) => p.id),
    );
    expect(g.memberCount).toBe(GROUP_MEMBER_LIMIT);
    const last = people.at(-1);
    if (!last) throw new Error('users');
    const e = await refused(addMembers(deps, owner.id, g.id, [last.id]));
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(/at most 300 members/);
    expect((await memberIds(g.id)).length).toBe(GROUP_MEMBER_LIMIT);

    const tooBig = await refused(
      createGroup(
        deps,
        owner.id,
        'Too big',
        people.map((p) => p.id),
      ),
    );
    // A new group is not "full" (issue 24): say how many it may have, and how many were chosen.
    expect(tooBig.message).toBe(
      'A group can have at most 300 members, you included: choose up to 299 people (you chose 300).',
    );
  });

  it('concurrent adds near the limit never pass 300', async () => {
    const owner = await makeUser(deps);
    const people = await makeUsers(deps, GROUP_MEMBER_LIMIT + 20);
    await makeContacts(deps, owner, people);
    const initial = people.slice(0, GROUP_MEMBER_LIMIT - 11); // 289 + owner = 290
    const g = await createGroup(
      deps,
      owner.id,
      'Nearly full',
      initial.map((p) => p.id),
    );
    const rest = people.slice(initial.length, initial.length + 30);
    const results = await Promise.allSettled(rest.map((p) => addMembers(deps, owner.id, g.id, [p.id])));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(ok).toBe(10);
    expect(failures.every((f) => f instanceof DomainError && f.kind === 'conflict')).toBe(true);
    expect((await memberIds(g.id)).length).toBe(GROUP_MEMBER_LIMIT);
    expect(await storedCount(g.id)).toBe(GROUP_MEMBER_LIMIT);
  });
});

describe('direct chats and profiles', () => {
  it('one chat per pair; history stays readable after the contact is removed', async () => {
    const alice = await makeUser(deps);
    const bob = await makeUser(deps);
    await makeContacts(deps, alice, [bob]);
    const [one, two] = await Promise.all([
      openDirectChat(deps, alice.id, bob.username),
      openDirectChat(deps, bob.id, alice.username.toUpperCase()),
    ]);
    expect(one.id).toBe(two.id);
    expect(one.peer?.id).toBe(bob.id);
    expect(two.peer?.id).toBe(alice.id);
    await removeContact(deps, alice.id, bob.id);
    expect((await openDirectChat(deps, alice.id, bob.username)).id).toBe(one.id);
    expect((await accessChat(deps.db, bob.id, one.id)).id).toBe(one.id);
  });

  it('strangers get no direct chat and no profile: the same answer as an unknown user', async () => {
    const alice = await makeUser(deps);
    const stranger = await makeUser(deps);
    const e1 = await refused(openDirectChat(deps, alice.id, stranger.username));
    const e2 = await refused(openDirectChat(deps, alice.id, 'no_such_user_here'));
    expect(e1).toMatchObject({ kind: e2.kind, message: e2.message });
    const p1 = await refused(accessProfile(deps.db, alice.id, stranger.id));
    expect(p1.kind).toBe('not_found');
  });

  it('co-members of a group see each other’s profiles without being contacts', async () => {
    const owner = await makeUser(deps);
    const [a, b] = await makeUsers(deps, 2);
    if (!a || !b) throw new Error('users');
    await makeContacts(deps, owner, [a, b]);
    expect((await refused(accessProfile(deps.db, a.id, b.id))).kind).toBe('not_found');
    const g = await createGroup(deps, owner.id, 'Team', [a.id, b.id]);
    expect((await accessProfile(deps.db, a.id, b.id)).id).toBe(b.id);
    await removeMember(deps, owner.id, g.id, b.id);
    expect((await refused(accessProfile(deps.db, a.id, b.id))).kind).toBe('not_found');
  });
});
