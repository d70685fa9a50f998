/**
 * Search against a real database (TEST_DB=pglite|postgres): every operator
 * and filter, the snippets, accents and other languages, paging, who may
 * find what (a member who left, a stranger, a deleted message), and every
 * query shape giving the same answer.
 */
import { randomUUID } from 'node:crypto';
import { messages, uploads } from '@chat/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDirectChat } from '../src/domain/chats/direct';
import { createGroup, leaveGroup, removeMember } from '../src/domain/chats/groups';
import { deleteMessage } from '../src/domain/messages/edit';
import { sendMessage } from '../src/domain/messages/send';
import { type SearchInput, type SearchPage, type Shape, searchMessages } from '../src/domain/search';
import { DomainError } from '../src/errors';
import { makeContacts, makeDeps, makeUsers, type TestDeps, type TestUser } from './deps';

let deps: TestDeps;
beforeAll(async () => {
  deps = await makeDeps();
});
afterAll(async () => {
  await deps?.close();
});

interface World {
  alice: TestUser;
  bob: TestUser;
  carol: TestUser;
  stranger: TestUser;
  groupId: string;
  directId: string;
  groupName: string;
}

/** alice, bob and carol in a group; alice and bob also one to one; a stranger with a chat of their own. */
async function makeWorld(): Promise<World> {
  const [alice, bob, carol, stranger, other] = await makeUsers(deps, 5, 's');
  if (!alice || !bob || !carol || !stranger || !other) throw new Error('users');
  await makeContacts(deps, alice, [bob, carol]);
  await makeContacts(deps, stranger, [other]);
  const groupName = `Design team ${randomUUID().slice(0, 6)}`;
  const group = await createGroup(deps, alice.id, groupName, [bob.id, carol.id]);
  const direct = await openDirectChat(deps, alice.id, bob.username);
  const strangers = await openDirectChat(deps, stranger.id, other.username);
  await send(stranger, strangers.id, 'the deployment secret is in the vault');
  return { alice, bob, carol, stranger, groupId: group.id, directId: direct.id, groupName };
}

async function send(from: TestUser, chatId: string, body: string): Promise<string> {
  return (await sendMessage(deps, { userId: from.id }, { id: randomUUID(), chatId, body })).id;
}

/** A message with one image, attached the way the app does it (an upload first, then the send). */
async function sendWithImage(from: TestUser, chatId: string, body: string): Promise<string> {
  const [upload] = await deps.db
    .insert(uploads)
    .values({
      uploaderId: from.id,
      chatId,
      contentType: 'image/png',
      fileName: 'beach.png',
      bytes: 100,
      width: 10,
      height: 10,
      thumbWidth: 10,
      thumbHeight: 10,
    })
    .returning({ id: uploads.id });
  if (!upload) throw new Error('upload');
  return (await sendMessage(deps, { userId: from.id }, { id: randomUUID(), chatId, body, attachmentIds: [upload.id] }))
    .id;
}

function search(user: TestUser, q: string, more: Partial<SearchInput> = {}, shape?: Shape): Promise<SearchPage> {
  return searchMessages(deps, user.id, { q, order: 'recent', limit: 20, ...more }, shape ? { shape } : {});
}

async function bodies(user: TestUser, q: string, more: Partial<SearchInput> = {}): Promise<string[]> {
  const page = await search(user, q, more);
  return page.hits.map((h) =>
    h.snippet
      .map((s) => s.text)
      .join('')
      .trim(),
  );
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'invalid') return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('search', () => {
  it('finds words whatever the case and accents, in any language, without English stemming', async () => {
    const w = await makeWorld();
    await send(w.bob, w.groupId, 'Réunion au Café à Łódź, straße über alles');
    await send(w.bob, w.groupId, 'Встреча завтра; 会议 明天');
    await send(w.bob, w.groupId, 'two meetings today');
    expect(await bodies(w.alice, 'cafe reunion ')).toEqual(['Réunion au Café à Łódź, straße über alles']);
    expect(await bodies(w.alice, 'CAFÉ lodz strasse uber ')).toHaveLength(1);
    expect(await bodies(w.alice, 'встреча ')).toEqual(['Встреча завтра; 会议 明天']);
    expect(await bodies(w.alice, '会议 ')).toEqual(['Встреча завтра; 会议 明天']);
    expect(await bodies(w.alice, 'meeting ')).toEqual([]);
    expect(await bodies(w.alice, 'meetings ')).toEqual(['two meetings today']);
  });

  it('matches the word being typed as a prefix, and word* anywhere', async () => {
    const w = await makeWorld();
    await send(w.bob, w.groupId, 'the deployment went fine');
    await send(w.bob, w.groupId, 'deny everything');
    expect(await bodies(w.alice, 'deplo')).toEqual(['the deployment went fine']);
    expect(await bodies(w.alice, 'deplo ')).toEqual([]);
    expect(await bodies(w.alice, 'de')).toEqual([]); // two letters: a word, not yet a prefix
    expect(await bodies(w.alice, 'de* fine')).toEqual(['the deployment went fine']);
    expect(await bodies(w.alice, 'den')).toEqual(['deny everything']);
  });

  it('matches quoted phrases in order, and an unclosed one as typed', async () => {
    const w = await makeWorld();
    await send(w.bob, w.groupId, 'the release notes are out');
    await send(w.bob, w.groupId, 'notes about the release');
    await send(w.bob, w.groupId, 'the e-mail arrived');
    expect(await bodies(w.alice, '"release notes"')).toEqual(['the release notes are out']);
    expect(await bodies(w.alice, '"release no')).toEqual(['the release notes are out']);
    expect(await bodies(w.alice, '"the e-mail"')).toEqual(['the e-mail arrived']);
    expect((await bodies(w.alice, 'release notes ')).sort()).toEqual([
      'notes about the release',
      'the release notes are out',
    ]);
  });

  it('leaves out -words and -"phrases"', async () => {
    const w = await makeWorld();
    await send(w.bob, w.groupId, 'lunch with pizza');
    await send(w.bob, w.groupId, 'lunch with fish soup');
    await send(w.bob, w.groupId, 'lunch at noon');
    expect((await bodies(w.alice, 'lunch -pizza -"fish soup"')).sort()).toEqual(['lunch at noon']);
    expect((await bodies(w.alice, `in:"${w.groupName}" -noon`)).sort()).toEqual([
      'lunch with fish soup',
      'lunch with pizza',
    ]);
  });

  it('filters by sender and by chat', async () => {
    const w = await makeWorld();
    await send(w.bob, w.groupId, 'standup notes from bob');
    await send(w.carol, w.groupId, 'standup notes from carol');
    await send(w.bob, w.directId, 'standup notes in private');
    const all = await bodies(w.alice, 'standup ');
    expect(all).toHaveLength(3);
    expect(await bodies(w.alice, `standup from:@${w.carol.username}`)).toEqual(['standup notes from carol']);
    expect(
      await bodies(w.alice, `standup from:${w.bob.username.toUpperCase()} from:@${w.carol.username}`),
    ).toHaveLength(3);
    expect(await bodies(w.alice, `standup in:@${w.bob.username}`)).toEqual(['standup notes in private']);
    const inGroup = await bodies(w.alice, `standup in:"${w.groupName.toUpperCase()}"`);
    expect(inGroup.sort()).toEqual(['standup notes from bob', 'standup notes from carol']);
    expect(await bodies(w.alice, `from:@${w.carol.username}`)).toEqual(['standup notes from carol']);
    const hit = (await search(w.alice, `standup in:@${w.bob.username}`)).hits[0];
    expect(hit?.chat).toMatchObject({ id: w.directId, kind: 'direct', name: null, peer: { id: w.bob.id } });
    expect(hit?.sender).toEqual({ id: w.bob.id, username: w.bob.username, displayName: w.bob.username });
  });

  it('filters by day, on the searcher’s clock', async () => {
    const w = await makeWorld();
    const early = await send(w.bob, w.groupId, 'quarterly report early');
    const late = await send(w.bob, w.groupId, 'quarterly report late');
    await deps.db
      .update(messages)
      .set({ createdAt: new Date('2024-03-09T23:30:00Z') })
      .where(eq(messages.id, early));
    await deps.db
      .update(messages)
      .set({ createdAt: new Date('2024-03-10T12:00:00Z') })
      .where(eq(messages.id, late));
    expect(await bodies(w.alice, 'quarterly after:2024-03-10')).toEqual(['quarterly report late']);
    expect(await bodies(w.alice, 'quarterly before:2024-03-10')).toEqual(['quarterly report early']);
    // At UTC+1, 23:30 UTC on the 9th is already the 10th.
    expect(await bodies(w.alice, 'quarterly before:2024-03-10', { utcOffsetMinutes: 60 })).toEqual([]);
    expect(await bodies(w.alice, 'quarterly after:2024-03-09 before:2024-03-11')).toHaveLength(2);
  });

  it('filters messages with an image', async () => {
    const w = await makeWorld();
    await sendWithImage(w.bob, w.groupId, 'holiday photo');
    await send(w.bob, w.groupId, 'holiday plans');
    const gone = await sendWithImage(w.bob, w.groupId, 'holiday deleted');
    await deleteMessage(deps, w.bob.id, gone);
    expect(await bodies(w.alice, 'holiday has:image')).toEqual(['holiday photo']);
    expect(await bodies(w.alice, 'has:image')).toEqual(['holiday photo']);
  });

  it('marks the matching words in the snippet, and cuts long messages', async () => {
    const w = await makeWorld();
    await send(w.bob, w.groupId, 'We deploy the Café build on Friday');
    const [hit] = (await search(w.alice, 'deploy cafe ')).hits;
    expect(hit?.snippet).toEqual([
      { text: 'We ', match: false },
      { text: 'deploy', match: true },
      { text: ' the ', match: false },
      { text: 'Café', match: true },
      { text: ' build on Friday', match: false },
    ]);
    const long = `${'filler words here '.repeat(30)}needle in the middle ${'more filler text '.repeat(30)}`;
    await send(w.bob, w.groupId, long.trim());
    const [cut] = (await search(w.alice, 'needle ')).hits;
    expect(cut?.snippet.find((s) => s.match)?.text).toBe('needle');
    expect(cut?.snippet[0]?.text.startsWith('… ')).toBe(true);
    expect(cut?.snippet.at(-1)?.text.endsWith(' …')).toBe(true);
    expect(cut?.snippet.map((s) => s.text).join('').length).toBeLessThan(long.length / 2);
  });

  it('shows a member who left the group nothing of it, and a stranger nothing of anyone', async () => {
    const w = await makeWorld();
    await send(w.bob, w.groupId, 'the deployment plan for the group');
    expect(await bodies(w.carol, 'deployment ')).toEqual(['the deployment plan for the group']);
    expect(await bodies(w.alice, 'deployment ')).toEqual(['the deployment plan for the group']);
    await leaveGroup(deps, w.carol.id, w.groupId);
    expect(await bodies(w.carol, 'deployment ')).toEqual([]);
    await removeMember(deps, w.alice.id, w.groupId, w.bob.id);
    expect(await bodies(w.bob, 'deployment ')).toEqual([]);
    expect(await bodies(w.stranger, 'deployment ')).toEqual(['the deployment secret is in the vault']);
    expect(await refusal(search(w.carol, `in:"${w.groupName}"`))).toBe(`You are in no group called “${w.groupName}”.`);
  });

  it('never finds a deleted message', async () => {
    const w = await makeWorld();
    const id = await send(w.bob, w.groupId, 'embarrassing typo');
    await send(w.bob, w.groupId, 'embarrassing but kept');
    await deleteMessage(deps, w.bob.id, id);
    expect(await bodies(w.alice, 'embarrassing ')).toEqual(['embarrassing but kept']);
    expect(await bodies(w.alice, `in:"${w.groupName}" -kept`)).not.toContain('');
  });

  it('pages newest first, and by relevance, without repeats', async () => {
    const w = await makeWorld();
    for (let i = 0; i < 7; i++) await send(w.bob, w.groupId, `status update ${i} ${'padding '.repeat(i)}`);
    await send(w.bob, w.groupId, 'status status status');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SearchPage = await search(w.alice, 'status ', { limit: 3, cursor });
      seen.push(
        ...page.hits.map((h) =>
          h.snippet
            .map((s) => s.text)
            .join('')
            .trim(),
        ),
      );
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen[0]).toBe('status status status');
    expect(seen.slice(1)).toEqual(
      Array.from({ length: 7 }, (_, i) => `status update ${6 - i} ${'padding '.repeat(6 - i)}`.trim()),
    );
    const ranked: string[] = [];
    cursor = null;
    do {
      const page: SearchPage = await search(w.alice, 'status ', { limit: 3, cursor, order: 'relevant' });
      ranked.push(...page.hits.map((h) => h.messageId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(ranked).size).toBe(8);
    const top = (await search(w.alice, 'status ', { order: 'relevant', limit: 1 })).hits[0];
    expect(top?.snippet.filter((s) => s.match)).toHaveLength(3);
    expect(await refusal(search(w.alice, 'status', { cursor: 'not-a-cursor' }))).toBe(
      'This search cursor is not valid: start the search again.',
    );
  });

  it('gives the same hits whichever query shape runs, long and deleted messages included', async () => {
    const w = await makeWorld();
    for (let i = 0; i < 5; i++) await send(w.bob, w.groupId, `shape test ${i}`);
    await send(w.bob, w.directId, 'shape test direct');
    // Past 400 bytes a message has no short vector (migration 0006): the index-only walks must
    // still find it, its phrase included, by testing it in the table.
    const long = `${'filler words here '.repeat(30)}shape test long`;
    expect(Buffer.byteLength(long)).toBeGreaterThan(400);
    await send(w.carol, w.groupId, long);
    await send(w.carol, w.groupId, 'shape test gone');
    const gone = await send(w.carol, w.groupId, 'shape test deleted');
    await deleteMessage(deps, w.carol.id, gone);
    await sendWithImage(w.bob, w.groupId, 'shape test pictured');
    const expected: Record<string, number> = {
      'shape ': 9,
      '"shape test"': 9,
      '"test long"': 1,
      shap: 9,
      'shape -direct': 8,
      [`from:@${w.carol.username} -filler`]: 1,
      [`from:@${w.bob.username} shape`]: 7,
      [`in:@${w.bob.username}`]: 1,
      'shape has:image': 1,
      'shape after:2000-01-01': 9,
      'shape before:2000-01-01': 0,
    };
    for (const [q, count] of Object.entries(expected)) {
      const answers = await Promise.all(
        (['collect', 'intersect', 'walk', 'sender', 'per-chat'] as const).map(async (shape) => {
          const ids: string[] = [];
          let cursor: string | null = null;
          do {
            const page: SearchPage = await search(w.alice, q, { limit: 2, cursor }, shape);
            ids.push(...page.hits.map((h) => h.messageId));
            cursor = page.nextCursor;
          } while (cursor);
          const ranked = await search(w.alice, q, { order: 'relevant', limit: 20 }, shape);
          return { shape, ids, ranked: ranked.hits.map((h) => h.messageId).sort() };
        }),
      );
      const [first, ...others] = answers;
      expect(first?.ids, q).toHaveLength(count);
      expect(first?.ids).not.toContain(gone);
      for (const other of others) {
        expect(other.ids, `${q} (${other.shape})`).toEqual(first?.ids);
        expect(other.ranked, `${q} (${other.shape}, relevant)`).toEqual(first?.ranked);
      }
    }
  });

  it('stores and finds a message of 400 bytes whatever its words (the short vector fits its index)', async () => {
    const w = await makeWorld();
    // The most entries a vector can get from 400 bytes: two-letter words, all different; and
    // letters that unaccent spells longer (Æ → AE, ß → ss, ﬃ → ffi), and other scripts.
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const pairs = [...letters].flatMap((a) => [...letters].map((b) => `${a}${b}`));
    const bodies400 = [pairs.join(' ').slice(0, 400), 'Æß ﬃ œ '.repeat(60), 'Встреча 会议 ', 'x '.repeat(200)].map(
      (b) => {
        let out = b;
        while (Buffer.byteLength(out) < 400) out += 'y';
        while (Buffer.byteLength(out) > 400) out = out.slice(0, -1);
        return out;
      },
    );
    for (const body of bodies400) {
      expect(Buffer.byteLength(body)).toBe(400);
      await send(w.bob, w.groupId, body);
    }
    for (const shape of ['walk', 'per-chat'] as const) {
      expect((await search(w.alice, '"aa ab ac"', {}, shape)).hits, shape).toHaveLength(1);
      expect((await search(w.alice, 'ffi ', {}, shape)).hits, shape).toHaveLength(1);
    }
  });

  it('says what is wrong with a filter that names nothing', async () => {
    const w = await makeWorld();
    expect(await refusal(search(w.alice, 'from:@nobody_at_all'))).toBe('No one is called @nobody_at_all.');
    expect(await refusal(search(w.alice, `in:@${w.stranger.username}`))).toBe(
      `You have no chat with @${w.stranger.username}.`,
    );
    expect(await refusal(search(w.alice, 'in:"No such group"'))).toBe('You are in no group called “No such group”.');
    expect(await refusal(search(w.alice, 'has:video'))).toBe('has: can only be has:image.');
  });
});
