/**
 * DESIGN.md invariant 6, walked over the whole router: every procedure that
 * takes a user, chat or group id is called by a stranger, a removed member and
 * a former contact, and each gets nothing. The table below must name every
 * procedure of the router, so a new one cannot be forgotten.
 */
import { randomUUID } from 'node:crypto';
import { appRouter } from '@chat/api/server';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { fetchImage, solid, upload } from './images';

let t: TestServer;
let owner: Person;
let member: Person;
let removed: Person;
let former: Person;
let stranger: Person;
let groupId: string;
let directId: string;
let messageId: string;
let ownerSessionId: string;
let imageId: string;
let fileId: string;

async function befriend(a: Person, b: Person) {
  await a.client.api.contacts.request.mutate({ username: b.username });
  await b.client.api.contacts.accept.mutate({ userId: a.id });
}

beforeAll(async () => {
  t = await startTestServer();
  [owner, member, removed, former, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'owner' }),
    makeUser(t.url, { prefix: 'member' }),
    makeUser(t.url, { prefix: 'removed' }),
    makeUser(t.url, { prefix: 'former' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  await befriend(owner, member);
  await befriend(owner, removed);
  await befriend(owner, former);
  const group = await owner.client.api.groups.create.mutate({ name: 'Private', userIds: [member.id, removed.id] });
  groupId = group.id;
  imageId = (await upload(t.url, owner, groupId, await solid(16, 16).png().toBuffer())).body.id;
  fileId = (await owner.client.upload(groupId, Buffer.from('%PDF-1.4 secret minutes'), 'minutes.pdf')).id;
  messageId = (
    await owner.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: groupId,
      body: 'secret',
      attachmentIds: [imageId, fileId],
    })
  ).id;
  ownerSessionId = (await owner.client.api.account.sessions.query())[0]?.id ?? '';
  await owner.client.api.groups.removeMember.mutate({ chatId: groupId, userId: removed.id });
  directId = (await owner.client.api.chats.direct.mutate({ username: former.username })).id;
  await owner.client.api.contacts.remove.mutate({ userId: former.id });
});
afterAll(async () => {
  for (const p of [owner, member, removed, former, stranger]) p?.client.close();
  await t?.stop();
});

type Outsider = 'stranger' | 'removed' | 'former';
type Call = (p: Person) => Promise<unknown>;

/** Procedures that take someone else's id, and how an outsider calls each. */
const guarded: Record<string, Call> = {
  'chats.get': (p) => p.client.api.chats.get.query({ chatId: groupId }),
  'chats.setMuted': (p) => p.client.api.chats.setMuted.mutate({ chatId: groupId, muted: true }),
  'groups.rename': (p) => p.client.api.groups.rename.mutate({ chatId: groupId, name: 'Mine now' }),
  'groups.addMembers': (p) => p.client.api.groups.addMembers.mutate({ chatId: groupId, userIds: [p.id] }),
  'groups.removeMember': (p) => p.client.api.groups.removeMember.mutate({ chatId: groupId, userId: member.id }),
  'groups.leave': (p) => p.client.api.groups.leave.mutate({ chatId: groupId }),
  'groups.passOwnership': (p) => p.client.api.groups.passOwnership.mutate({ chatId: groupId, userId: p.id }),
  'groups.delete': (p) => p.client.api.groups.delete.mutate({ chatId: groupId }),
  'profiles.get': (p) => p.client.api.profiles.get.query({ username: member.username }),
  'contacts.accept': (p) => p.client.api.contacts.accept.mutate({ userId: member.id }),
  'contacts.decline': (p) => p.client.api.contacts.decline.mutate({ userId: member.id }),
  'contacts.cancel': (p) => p.client.api.contacts.cancel.mutate({ userId: member.id }),
  'contacts.remove': (p) => p.client.api.contacts.remove.mutate({ userId: member.id }),
  'message.send': (p) =>
    p.client.api.message.send.mutate({ id: randomUUID(), chatId: groupId, body: 'intruder', replyToId: messageId }),
  'message.edit': (p) => p.client.api.message.edit.mutate({ messageId, body: 'changed' }),
  'message.delete': (p) => p.client.api.message.delete.mutate({ messageId }),
  'message.history': (p) => p.client.api.message.history.query({ chatId: groupId }),
  'message.around': (p) => p.client.api.message.around.query({ messageId }),
  'message.locate': (p) => p.client.api.message.locate.query({ messageId }),
  'message.authors': (p) => p.client.api.message.authors.query({ chatId: groupId, userIds: [owner.id] }),
  'message.react': (p) => p.client.api.message.react.mutate({ messageId, emoji: '👍', on: true }),
  'message.receipts': (p) => p.client.api.message.receipts.query({ chatId: groupId }),
  'message.seenBy': (p) => p.client.api.message.seenBy.query({ messageId }),
  'message.markRead': (p) => p.client.api.message.markRead.mutate({ chatId: groupId, readSeq: 1 }),
  'presence.typing': (p) => p.client.api.presence.typing.mutate({ chatId: groupId }),
  'account.signOut': (p) => p.client.api.account.signOut.mutate({ sessionId: ownerSessionId }),
  // Someone they cannot see: not found, and no block is made or undone (blocking.int.test.ts).
  'blocks.block': (p) => p.client.api.blocks.block.mutate({ userId: member.id }),
  'blocks.unblock': (p) => p.client.api.blocks.unblock.mutate({ userId: member.id }),
};

/** Procedures with no foreign id, or whose effect on others is their own consent (a request). */
const unguarded: Record<string, string> = {
  'auth.register': 'creates an account',
  'auth.login': 'own credentials',
  'auth.logout': 'own session',
  'auth.me': 'own user',
  'account.changePassword': 'own password (security-sessions.int.test.ts)',
  'account.sessions': 'own sessions only: tested below',
  'account.signOutOthers': 'own sessions only (security-sessions.int.test.ts)',
  'events.stream': 'own events only: tested below',
  'events.poll': 'own events only: tested below',
  'presence.list': 'contacts and co-members only: presence.int.test.ts',
  'presence.mine': 'own status',
  'presence.setStatus': 'own status, shown only to who may see presence: status.int.test.ts',
  'presence.setIdle': "own tabs only (another user's tab id touches nothing): status.int.test.ts",
  'contacts.list': 'own contacts: tested below',
  'blocks.list': 'own blocks only: tested below (and blocking.int.test.ts)',
  'contacts.requests': 'own requests',
  'contacts.request': 'asks the other side, who must accept',
  'profiles.me': 'own profile',
  'profiles.update': 'own profile',
  'chats.list': 'own chats: tested below',
  'chats.direct': 'refused without a shared chat or contact: tested below',
  'groups.create': 'only with own contacts: tested below',
  'search.messages': 'own chats only: tested below (and search.int.test.ts)',
};

describe('authorization matrix', () => {
  it('names every procedure of the router', () => {
    const all = Object.keys(appRouter._def.procedures).sort();
    expect([...Object.keys(guarded), ...Object.keys(unguarded)].sort()).toEqual(all);
  });

  const outsiders: Outsider[] = ['stranger', 'removed', 'former'];
  const who = (o: Outsider) => ({ stranger, removed, former })[o];

  for (const [name, call] of Object.entries(guarded)) {
    it.each(outsiders)(`${name}: the %s gets NOT_FOUND and nothing changes`, async (o) => {
      const error = await call(who(o)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'NOT_FOUND' });
      const details = await owner.client.api.chats.get.query({ chatId: groupId });
      expect(details.chat.name).toBe('Private');
      expect(details.members.map((m) => m.id).sort()).toEqual([owner.id, member.id].sort());
      const history = await owner.client.api.message.history.query({ chatId: groupId });
      expect(await owner.client.api.auth.me.query()).toMatchObject({ id: owner.id });
      expect(history.messages.map((m) => [m.id, m.body, m.deletedAt, m.reactions, m.system?.type])).toEqual([
        [expect.any(String), null, null, [], 'removed'],
        [messageId, 'secret', null, [], undefined],
        [expect.any(String), null, null, [], 'created'],
      ]);
      expect(details.chat.ownerId).toBe(owner.id);
      const receipts = await owner.client.api.message.receipts.query({ chatId: groupId });
      expect(receipts.map((r) => r.userId).sort()).toEqual([owner.id, member.id].sort());
      expect(await who(o).client.api.blocks.list.query()).toEqual([]);
      expect((await member.client.api.contacts.list.query()).map((c) => c.id)).toEqual([owner.id]);
    });
  }

  it("outsiders get none of the group's images (full, thumbnail, download) and cannot upload into it", async () => {
    for (const p of [stranger, removed, former]) {
      for (const variant of ['', '/thumb'] as const) {
        const res = await fetchImage(t.url, p, imageId, variant);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/json/);
      }
      const up = await upload(t.url, p, groupId, await solid(8, 8).png().toBuffer());
      expect(up.status).toBe(404);
    }
    expect((await fetchImage(t.url, member, imageId)).status).toBe(200);
  });

  it("outsiders get none of the group's files and cannot upload a file into it", async () => {
    for (const p of [stranger, removed, former]) {
      const res = await fetch(`${t.url}/api/files/${fileId}`, { headers: { cookie: p.client.cookie() ?? '' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(res.headers.get('content-disposition')).toBeNull();
      await expect(p.client.upload(groupId, Buffer.from('plain text'), 'notes.txt')).rejects.toMatchObject({
        status: 404,
      });
    }
    const got = await member.client.download({ id: fileId, kind: 'file' });
    expect(Buffer.from(got.data).toString()).toBe('%PDF-1.4 secret minutes');
  });

  it("outsiders' session lists show only their own sessions", async () => {
    for (const p of [stranger, removed, former]) {
      const ids = (await p.client.api.account.sessions.query()).map((s) => s.id);
      expect(ids).not.toContain(ownerSessionId);
      expect(ids).toHaveLength(1);
    }
  });

  it('outsiders do not see the group in their lists', async () => {
    for (const p of [stranger, removed, former]) {
      const chats = await p.client.api.chats.list.query();
      expect(chats.map((c) => c.id)).not.toContain(groupId);
    }
  });

  it('a stranger gets no direct chat with the owner; the former contact keeps theirs (its history)', async () => {
    await expect(stranger.client.api.chats.direct.mutate({ username: owner.username })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await expect(stranger.client.api.chats.direct.mutate({ username: member.username })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    expect((await former.client.api.chats.direct.mutate({ username: owner.username })).id).toBe(directId);
  });

  it('nobody can put a non-contact into a new group', async () => {
    for (const p of [stranger, removed, former]) {
      await expect(p.client.api.groups.create.mutate({ name: 'Grab', userIds: [member.id] })).rejects.toMatchObject({
        data: { code: 'BAD_REQUEST' },
        message: 'You can only add people from your contacts.',
      });
      expect(await p.client.api.chats.list.query()).not.toContainEqual(expect.objectContaining({ name: 'Grab' }));
    }
    expect((await member.client.api.chats.list.query()).map((c) => c.name)).not.toContain('Grab');
  });

  it("no outsider's stream carries the group's events", async () => {
    const streams = [stranger, removed, former, member].map((p) => collectStream(p.client));
    for (const s of streams) await s.until((items) => items.some((i) => i.type === 'stream.ready'));
    // Renamed and back (the same name again would change nothing, and say nothing).
    await owner.client.api.groups.rename.mutate({ chatId: groupId, name: 'Private, renamed' });
    await owner.client.api.groups.rename.mutate({ chatId: groupId, name: 'Private' });
    await owner.client.api.presence.typing.mutate({ chatId: groupId });
    const sent = await owner.client.api.message.send.mutate({ id: randomUUID(), chatId: groupId, body: 'later' });
    const memberStream = streams[3];
    await memberStream?.until((items) => items.filter((i) => i.type === 'chat.renamed').length === 2);
    await memberStream?.until((items) => items.some((i) => i.type === 'message.created'));
    await memberStream?.until((items) => items.some((i) => i.type === 'typing'));
    await owner.client.api.message.delete.mutate({ messageId: sent.id });
    await new Promise((r) => setTimeout(r, 300));
    for (const s of streams.slice(0, 3)) {
      expect(s.items.filter((i) => i.type !== 'stream.ready' && i.type !== 'presence')).toEqual([]);
      s.unsubscribe();
    }
    memberStream?.unsubscribe();
  });

  it("no outsider's search finds the group's messages; its members' does", async () => {
    await owner.client.api.message.send.mutate({ id: randomUUID(), chatId: groupId, body: 'confidential quarterly' });
    for (const p of [stranger, removed, former]) {
      for (const q of ['secret', 'confidential', 'quarterly', 'confid', 'in:Private', `from:@${owner.username}`]) {
        // in:Private names no group of theirs: a BAD_REQUEST, no hits either way.
        const found = await p.client.api.search.messages.query({ q }).then(
          (page) => page.hits,
          (e: unknown) => {
            expect(e).toMatchObject({ data: { code: 'BAD_REQUEST' } });
            return [];
          },
        );
        expect(found).toEqual([]);
      }
    }
    const mine = await member.client.api.search.messages.query({ q: 'confidential' });
    expect(mine.hits.map((h) => h.chat.id)).toEqual([groupId]);
  });

  it("no outsider's poll carries the group's events", async () => {
    const polls = [stranger, removed, former].map((p) => p.client.api.events.poll.query({}));
    const starts = await Promise.all(polls);
    await owner.client.api.message.send.mutate({ id: randomUUID(), chatId: groupId, body: 'polled' });
    await new Promise((r) => setTimeout(r, 200));
    for (const [i, p] of [stranger, removed, former].entries()) {
      const page = await p.client.api.events.poll.query({ lastEventId: starts[i]?.cursor });
      expect(page.items).toEqual([]);
    }
  });
});

/**
 * Blocking never reveals itself (issue 27). Two pairs are made alike: Alice
 * blocks Bob; Carol removes Dave as a contact. Everything Bob can ask about
 * Alice (her profile, her presence, his contacts and requests, their chat, its
 * history, what he may do there, his stream) must read exactly as what Dave
 * can ask about Carol, ids, names and times aside: a block looks like a
 * removal, and nothing more.
 */
describe('blocking never reveals itself', () => {
  /** Rewrites ids and usernames to their order of appearance, and times to one word, so two worlds compare. */
  function normalise(value: unknown): unknown {
    const names = new Map<string, string>();
    const token = (v: string) => {
      const name = names.get(v) ?? `#${names.size}`;
      names.set(v, name);
      return name;
    };
    const text = JSON.stringify(value, (key, v: unknown) => {
      // Whether someone's connection came and went meanwhile is timing, not blocking (presence.int.test.ts).
      if (key === 'lastSeenAt' || key === 'online') return 'timing';
      if (typeof v !== 'string') return v;
      if (/^\d{4}-\d\d-\d\dT/.test(v)) return 'time';
      return v.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z]+_[0-9a-f]{8}/g, token);
    });
    return JSON.parse(text);
  }

  async function attempt(call: () => Promise<unknown>): Promise<unknown> {
    return call().then(
      (answer) => ({ answer }),
      (e: unknown) => ({
        error: (e as TRPCClientError<never>).message,
        code: ((e as TRPCClientError<never>).data as { code?: string } | undefined)?.code,
      }),
    );
  }

  /** What `viewer` can learn about `subject` and their one-to-one chat. */
  async function everythingAbout(viewer: Person, subject: Person, chatId: string, messageId: string) {
    const api = viewer.client.api;
    return normalise({
      profile: await attempt(() => api.profiles.get.query({ username: subject.username })),
      presence: (await api.presence.list.query()).filter((p) => p.userId === subject.id),
      contacts: (await api.contacts.list.query()).map((c) => c.id === subject.id),
      requests: await api.contacts.requests.query(),
      chats: (await api.chats.list.query()).filter((c) => c.id === chatId),
      // The two members joined in one transaction: ordered by id, which differs from world to world.
      chat: await attempt(async () => {
        const details = await api.chats.get.query({ chatId });
        return {
          ...details,
          members: details.members.sort((a, b) => Number(b.id === subject.id) - Number(a.id === subject.id)),
        };
      }),
      direct: await attempt(() => api.chats.direct.mutate({ username: subject.username })),
      history: (await api.message.history.query({ chatId })).messages.map((m) => [m.senderId, m.body, m.reactions]),
      receipts: (await api.message.receipts.query({ chatId })).map((r) => [r.userId, r.readSeq]),
      seenBy: await attempt(() => api.message.seenBy.query({ messageId })),
      markRead: await attempt(() => api.message.markRead.mutate({ chatId, readSeq: 1 })),
      send: await attempt(() => api.message.send.mutate({ id: randomUUID(), chatId, body: 'hello?' })),
      react: await attempt(() => api.message.react.mutate({ messageId, emoji: '👋', on: true })),
      typing: await attempt(() => api.presence.typing.mutate({ chatId })),
      blocks: await api.blocks.list.query(),
      theirBlock: await attempt(() => api.blocks.block.mutate({ userId: randomUUID() })),
    });
  }

  it("a blocked person's every answer about the blocker is that of a removed contact", async () => {
    const [alice, bob, carol, dave] = await Promise.all(
      ['alice', 'bob', 'carol', 'dave'].map((prefix) => makeUser(t.url, { prefix })),
    );
    if (!alice || !bob || !carol || !dave) throw new Error('four people');
    const pairs = [
      { me: alice, them: bob, chat: '', message: '' },
      { me: carol, them: dave, chat: '', message: '' },
    ];
    for (const pair of pairs) {
      await befriend(pair.me, pair.them);
      pair.chat = (await pair.me.client.api.chats.direct.mutate({ username: pair.them.username })).id;
      const sent = await pair.me.client.api.message.send.mutate({ id: randomUUID(), chatId: pair.chat, body: 'hi' });
      pair.message = sent.id;
      await pair.them.client.api.message.send.mutate({ id: randomUUID(), chatId: pair.chat, body: 'hello' });
    }
    const [ab, cd] = pairs as [(typeof pairs)[0], (typeof pairs)[0]];
    const before = await everythingAbout(bob, alice, ab.chat, ab.message);
    expect(before).toEqual(await everythingAbout(dave, carol, cd.chat, cd.message));

    const streams = [collectStream(bob.client), collectStream(dave.client)];
    // Long waits: the whole file on PGlite beside other test files is slow, not wrong.
    for (const s of streams) await s.until((items) => items.some((i) => i.type === 'stream.ready'), 30_000);
    await alice.client.api.blocks.block.mutate({ userId: bob.id });
    await carol.client.api.contacts.remove.mutate({ userId: dave.id });
    for (const s of streams) await s.until((items) => items.some((i) => i.type === 'contact.removed'), 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const [bobs, daves] = streams.map((s) => {
      s.unsubscribe();
      const told = s.items.filter((i) => i.type !== 'presence' && i.type !== 'stream.ready');
      return normalise(told.map((i) => ({ type: i.type, payload: i.payload })));
    });
    expect(bobs).toEqual(daves);

    const after = await everythingAbout(bob, alice, ab.chat, ab.message);
    expect(after).toEqual(await everythingAbout(dave, carol, cd.chat, cd.message));
    // What had to change did (the contact is gone, writing is refused), and for both alike.
    expect(after).not.toEqual(before);
    expect(after).toMatchObject({ contacts: [], send: { code: 'FORBIDDEN' } });
    // Asking again is the ordinary "waiting for an answer", for both.
    const asks = await Promise.all([
      attempt(() => bob.client.api.contacts.request.mutate({ username: alice.username })),
      attempt(() => dave.client.api.contacts.request.mutate({ username: carol.username })),
    ]);
    expect(normalise(asks[0])).toEqual(normalise(asks[1]));
    expect(await everythingAbout(bob, alice, ab.chat, ab.message)).toEqual(
      await everythingAbout(dave, carol, cd.chat, cd.message),
    );
    for (const p of [alice, bob, carol, dave]) p.client.close();
  }, 60_000);
});
