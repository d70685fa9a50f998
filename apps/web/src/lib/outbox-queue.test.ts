import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  createEntry,
  markFailed,
  markSending,
  NO_CONNECTION,
  nextToSend,
  type OutboxEntry,
  parseOutbox,
  requeueOne,
  requeueUnsent,
  serializeOutbox,
  withEntry,
  withoutEntry,
} from './outbox-queue';

const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 9, minute));
const entry = (id: string, chatId: string, minute = 0) => createEntry(id, chatId, `text ${id}`, [], at(minute));

const offline = { message: NO_CONNECTION, refused: false };
const refused = { message: 'You are no longer contacts.', refused: true };

describe('the outbox queue', () => {
  it('sends one at a time, oldest first', () => {
    let q: OutboxEntry[] = [];
    q = withEntry(q, entry('a', 'c1', 0));
    q = withEntry(q, entry('b', 'c2', 1));
    expect(nextToSend(q)?.id).toBe('a');
    q = markSending(q, 'a');
    expect(nextToSend(q)).toBeUndefined();
    q = withoutEntry(q, 'a');
    expect(nextToSend(q)?.id).toBe('b');
    q = withoutEntry(markSending(q, 'b'), 'b');
    expect(nextToSend(q)).toBeUndefined();
    expect(q).toEqual([]);
  });

  it('holds back later messages of a chat behind one that failed, but not other chats', () => {
    let q = [entry('a', 'c1', 0), entry('b', 'c1', 1), entry('c', 'c2', 2)];
    q = markFailed(markSending(q, 'a'), 'a', offline);
    expect(q[0]).toMatchObject({ state: 'failed', error: NO_CONNECTION, refused: false });
    expect(nextToSend(q)?.id).toBe('c');
    q = withoutEntry(q, 'c');
    expect(nextToSend(q)).toBeUndefined();
    // Reconnected: it goes again, with the same id, before the one behind it.
    q = requeueUnsent(q);
    expect(q.map((e) => [e.id, e.state])).toEqual([
      ['a', 'queued'],
      ['b', 'queued'],
    ]);
    expect(nextToSend(q)?.id).toBe('a');
  });

  it('leaves a refused message for the user, without holding back the rest', () => {
    let q = [entry('a', 'c1', 0), entry('b', 'c1', 1)];
    q = markFailed(q, 'a', refused);
    expect(nextToSend(q)?.id).toBe('b');
    expect(requeueUnsent(q)[0]?.state).toBe('failed');
    // Retry by hand sends it again, same id.
    q = requeueOne(q, 'a');
    expect(q[0]).toMatchObject({ id: 'a', state: 'queued', error: null, refused: false });
  });

  it('survives a reload through storage; one in flight is sent again', () => {
    const q = [markSending([entry('a', 'c1', 0)], 'a')[0], markFailed([entry('b', 'c2', 3)], 'b', refused)[0]].filter(
      (e): e is OutboxEntry => Boolean(e),
    );
    const back = parseOutbox(serializeOutbox(q));
    expect(back).toEqual([
      { ...entry('a', 'c1', 0), state: 'queued' },
      { ...entry('b', 'c2', 3), state: 'failed', error: refused.message, refused: true },
    ]);
    expect(back[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('keeps attachments through storage, dropping unreadable ones', () => {
    const image = {
      id: 'img-1',
      kind: 'image' as const,
      contentType: 'image/png',
      fileName: 'cat.png',
      bytes: 10,
      width: 40,
      height: 30,
      thumbWidth: 40,
      thumbHeight: 30,
    };
    const q = [createEntry('a', 'c1', '', [image], at(0))];
    expect(parseOutbox(serializeOutbox(q))[0]?.attachments).toEqual([image]);
    const stored = JSON.parse(serializeOutbox(q)) as Record<string, unknown>[];
    const broken = [{ ...stored[0], attachments: [{ id: 'x' }, image] }];
    expect(parseOutbox(JSON.stringify(broken))[0]?.attachments).toEqual([image]);
  });

  it('keeps a reply’s quote across a reload; an older outbox’s entries are no replies', () => {
    const quote = {
      messageId: 'orig',
      senderId: 'bob',
      text: 'Lunch?',
      hasImage: false,
      deleted: false,
      fileName: null,
    };
    const q = [createEntry('a', 'c1', 'Yes', [], at(0), quote)];
    expect(parseOutbox(serializeOutbox(q))[0]?.replyTo).toEqual(quote);
    const stored = JSON.parse(serializeOutbox(q)) as Record<string, unknown>[];
    const older = [
      { ...stored[0], replyTo: undefined },
      { ...stored[0], id: 'b', replyTo: { messageId: 3 } },
    ];
    expect(parseOutbox(JSON.stringify(older)).map((e) => e.replyTo)).toEqual([null, null]);
  });

  it('drops what it cannot read', () => {
    expect(parseOutbox(null)).toEqual([]);
    expect(parseOutbox('not json')).toEqual([]);
    expect(parseOutbox('{"a":1}')).toEqual([]);
    const good = JSON.parse(serializeOutbox([entry('a', 'c1')])) as object[];
    const bad = [{ id: 1 }, null, { ...good[0], state: 'lost' }, { ...good[0], createdAt: 'yesterday' }];
    expect(parseOutbox(JSON.stringify([...bad, ...good])).map((e) => e.id)).toEqual(['a']);
  });

  it('tells a refusal from a lost connection', () => {
    expect(classifyFailure({})).toEqual({ message: NO_CONNECTION, refused: false });
    expect(classifyFailure({ code: 'FORBIDDEN', message: 'You are no longer contacts.' })).toEqual(refused);
    expect(classifyFailure({ code: 'BAD_REQUEST', message: 'Too long.' }).refused).toBe(true);
    expect(classifyFailure({ code: 'INTERNAL_SERVER_ERROR', message: 'Oops' }).refused).toBe(false);
    expect(classifyFailure({ code: 'TOO_MANY_REQUESTS', message: 'Slow down' }).refused).toBe(false);
  });
});
