/**
 * The one send path (docs/send-path.md): text and images through the same
 * statement, the message's view built by PostgreSQL equal to superjson's,
 * and each refusal of an image send saying why with nothing written.
 * Replies take the same path: their quote built by PostgreSQL in the event
 * equal to the one read back, and a reply into another chat refused.
 */
import { randomUUID } from 'node:crypto';
import { events, messages, uploads } from '@chat/db';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup } from '../src/domain/chats/groups';
import { sendMessage, sendMessages } from '../src/domain/messages/send';
import { loadMessageView, type MessageView } from '../src/domain/messages/view';
import { DomainError } from '../src/errors';
import { jsonOf, rowsOf } from '../src/sql';
import { makeContacts, makeDeps, makeUsers, type TestDeps, type TestUser } from './deps';

let deps: TestDeps;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let chatId: string;
let otherChatId: string;

beforeAll(async () => {
  deps = await makeDeps();
  [owner, member, outsider] = (await makeUsers(deps, 3, 'path')) as [TestUser, TestUser, TestUser];
  await makeContacts(deps, owner, [member, outsider]);
  chatId = (await createGroup(deps, owner.id, 'path', [member.id])).id;
  otherChatId = (await createGroup(deps, owner.id, 'elsewhere', [outsider.id])).id;
});
afterAll(async () => {
  await deps?.close();
});

async function upload(by: TestUser, inChat: string, name = 'beach.png'): Promise<string> {
  const [row] = await deps.db
    .insert(uploads)
    .values({
      uploaderId: by.id,
      chatId: inChat,
      contentType: 'image/png',
      fileName: name,
      bytes: 120,
      width: 40,
      height: 30,
      thumbWidth: 20,
      thumbHeight: 15,
    })
    .returning({ id: uploads.id });
  if (!row) throw new Error('upload');
  return row.id;
}

const as = (u: TestUser) => ({ userId: u.id });

async function storedPayload(messageId: string): Promise<unknown> {
  const [row] = await deps.db.select({ payload: events.payload }).from(events).where(eq(events.messageId, messageId));
  return row?.payload;
}

async function readBack(id: string): Promise<MessageView> {
  const [row] = await deps.db.select().from(messages).where(eq(messages.id, id));
  if (!row) throw new Error(`message ${id} not stored`);
  return loadMessageView(deps.db, row);
}

async function refusal(outcome: Promise<unknown>): Promise<{ kind: string; message: string; field?: string }> {
  const error = await outcome.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return { kind: error.kind, message: error.message, field: error.field };
}

describe('one send path', () => {
  it('stores text and images arriving together in one statement, each in order, views as PostgreSQL built them', async () => {
    const first = await upload(member, chatId, 'first.png');
    const second = await upload(member, chatId, 'second.png');
    const inputs = [
      { id: randomUUID(), chatId, body: 'text first' },
      { id: randomUUID(), chatId, body: 'two images', attachmentIds: [second, first] },
      { id: randomUUID(), chatId, body: 'text after' },
    ];
    const outcomes = await Promise.all(inputs.map((input) => sendMessage(deps, as(member), input)));
    expect(outcomes.map((m) => m.body)).toEqual(['text first', 'two images', 'text after']);
    const [a, b, c] = outcomes as [MessageView, MessageView, MessageView];
    expect([b.seq - a.seq, c.seq - b.seq]).toEqual([1, 1]);
    // The images in the order given, not the order they were uploaded.
    expect(b.attachments.map((x) => x.fileName)).toEqual(['second.png', 'first.png']);

    // One transaction wrote all three: text and images share the statement.
    const writers = rowsOf(
      await deps.db.execute(
        sql`select xmin::text as tx from ${messages} where id = any(${`{${outcomes.map((m) => m.id).join(',')}}`}::uuid[])`,
      ),
    );
    expect(new Set(writers.map((r) => r.tx)).size).toBe(1);

    for (const sent of outcomes) {
      const view = await readBack(sent.id);
      // What the sender was answered is what the database holds,
      expect(sent).toEqual(view);
      // and the event PostgreSQL wrote is superjson's own serialisation of it, dates included.
      expect(jsonOf(await storedPayload(sent.id))).toEqual(superjson.serialize({ message: view }));
    }
    const claimed = await deps.db
      .select({ id: uploads.id, messageId: uploads.messageId, position: uploads.position })
      .from(uploads)
      .where(inArray(uploads.id, [first, second]))
      .orderBy(asc(uploads.position));
    expect(claimed).toEqual([
      { id: second, messageId: b.id, position: 0 },
      { id: first, messageId: b.id, position: 1 },
    ]);
  });

  it('refuses an image that is not the sender’s unattached upload in this chat, writing nothing', async () => {
    const elsewhere = await upload(owner, otherChatId);
    const others = await upload(owner, chatId);
    const mine = await upload(member, chatId);
    const used = await upload(member, chatId);
    await sendMessage(deps, as(member), { id: randomUUID(), chatId, body: 'uses it', attachmentIds: [used] });
    const before = await deps.db.select().from(messages).where(eq(messages.chatId, chatId));

    const expected = {
      kind: 'invalid',
      message: 'One of these images or files cannot be attached: upload it again in this chat.',
      field: 'attachmentIds',
    };
    for (const bad of [[elsewhere], [mine, others], [used], [randomUUID()]]) {
      const id = randomUUID();
      expect(await refusal(sendMessage(deps, as(member), { id, chatId, body: 'no', attachmentIds: bad }))).toEqual(
        expected,
      );
    }
    expect(await deps.db.select().from(messages).where(eq(messages.chatId, chatId))).toEqual(before);
    const [stillFree] = await deps.db.select().from(uploads).where(eq(uploads.id, mine));
    expect(stillFree?.messageId).toBeNull();

    // Said before the database is asked: the same image twice, and an empty message.
    expect(
      await refusal(
        sendMessage(deps, as(member), { id: randomUUID(), chatId, body: 'x', attachmentIds: [mine, mine] }),
      ),
    ).toMatchObject({ kind: 'invalid', field: 'attachmentIds' });
    expect(await refusal(sendMessage(deps, as(member), { id: randomUUID(), chatId, body: '  ' }))).toMatchObject({
      kind: 'invalid',
      field: 'body',
    });
  });

  it('answers a retry of an image send with its message, and a clash of ids as a conflict', async () => {
    const image = await upload(member, chatId);
    const input = { id: randomUUID(), chatId, body: 'once', attachmentIds: [image] };
    const sent = await sendMessage(deps, as(member), input);
    const again = await sendMessage(deps, as(member), input);
    expect(again).toEqual(sent);
    expect(await deps.db.select().from(messages).where(eq(messages.id, input.id))).toHaveLength(1);
    expect(await refusal(sendMessage(deps, as(owner), { ...input, attachmentIds: [] }))).toMatchObject({
      kind: 'conflict',
      field: 'id',
    });
  });

  it('gives two sends of one image one message; the other is refused, in one list or apart', async () => {
    const image = await upload(member, chatId);
    const [a, b] = await sendMessages(deps, as(member), [
      { id: randomUUID(), chatId, body: 'wins', attachmentIds: [image] },
      { id: randomUUID(), chatId, body: 'loses', attachmentIds: [image] },
    ]);
    expect((a as MessageView).body).toBe('wins');
    expect(b).toBeInstanceOf(DomainError);
    expect((b as DomainError).field).toBe('attachmentIds');
  });

  it('judges each send of a list on its own: a stranger’s chat is not found, the rest are stored', async () => {
    const outcomes = await sendMessages(deps, as(member), [
      { id: randomUUID(), chatId, body: 'fine' },
      { id: randomUUID(), chatId: otherChatId, body: 'not my chat' },
      { id: randomUUID(), chatId, body: 'fine too' },
    ]);
    expect(outcomes.map((o) => (o instanceof DomainError ? o.kind : o.body))).toEqual([
      'fine',
      'not_found',
      'fine too',
    ]);
  });

  it('stores replies in the same statement, the quote in the event equal to the one read back', async () => {
    const image = await upload(owner, chatId);
    const [text, picture] = (await sendMessages(deps, as(owner), [
      { id: randomUUID(), chatId, body: '\r\n  \n  **First** line\r\nsecond line' },
      { id: randomUUID(), chatId, body: '', attachmentIds: [image] },
    ])) as [MessageView, MessageView];
    const elsewhere = await sendMessage(deps, as(outsider), { id: randomUUID(), chatId: otherChatId, body: 'other' });
    const outcomes = await sendMessages(deps, as(member), [
      { id: randomUUID(), chatId, body: 'to the text', replyToId: text.id },
      { id: randomUUID(), chatId, body: 'to another chat', replyToId: elsewhere.id },
      { id: randomUUID(), chatId, body: 'to nothing', replyToId: randomUUID() },
      { id: randomUUID(), chatId, body: 'to the image', replyToId: picture.id },
    ]);
    const [toText, otherChat, nowhere, toImage] = outcomes as [MessageView, DomainError, DomainError, MessageView];
    const refusedAs = {
      kind: 'invalid',
      message: 'The message you are replying to is not in this chat.',
      field: 'replyToId',
    };
    for (const refused of [otherChat, nowhere]) {
      expect(refused).toBeInstanceOf(DomainError);
      expect({ kind: refused.kind, message: refused.message, field: refused.field }).toEqual(refusedAs);
    }
    expect(toText.replyTo).toEqual({
      messageId: text.id,
      senderId: owner.id,
      text: '**First** line',
      hasImage: false,
      deleted: false,
      fileName: null,
    });
    expect(toImage.replyTo).toEqual({
      messageId: picture.id,
      senderId: owner.id,
      text: '',
      hasImage: true,
      deleted: false,
      fileName: null,
    });
    for (const sent of [toText, toImage]) {
      const view = await readBack(sent.id);
      expect(sent).toEqual(view);
      expect(jsonOf(await storedPayload(sent.id))).toEqual(superjson.serialize({ message: view }));
    }
    // Nothing of the refused ones: no message.
    const texts = (await deps.db.select({ body: messages.body }).from(messages)).map((m) => m.body);
    expect(texts).not.toContain('to another chat');
    expect(texts).not.toContain('to nothing');

    // A retry of a reply is the reply; the same id replying to something else is a clash.
    const input = { id: toText.id, chatId, body: 'to the text', replyToId: text.id };
    expect(await sendMessage(deps, as(member), input)).toEqual(toText);
    expect(await refusal(sendMessage(deps, as(member), { ...input, replyToId: picture.id }))).toMatchObject({
      kind: 'conflict',
      field: 'id',
    });
  });
});
