import type { MessageView } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { mergeMessages, newerVersion, replaceMessage, timelineEntries } from './timeline';

const base = new Date('2030-01-01T10:00:00Z');
/** Cast: the view grows fields (images, reactions) these rules do not read. */
const m = (seq: number, patch: Partial<MessageView> = {}): MessageView =>
  ({
    id: `m${seq}`,
    chatId: 'c',
    senderId: 'alice',
    seq,
    body: `text ${seq}`,
    createdAt: new Date(base.getTime() + seq * 1000),
    editedAt: null,
    deletedAt: null,
    ...patch,
  }) as MessageView;

describe('merging messages', () => {
  it('keeps one copy per id, in seq order, whatever order pages and events come in', () => {
    const list = mergeMessages(mergeMessages([], [m(3), m(1)]), [m(2), m(3)]);
    expect(list.map((x) => x.seq)).toEqual([1, 2, 3]);
  });

  it('keeps the more advanced copy: deleted over edited, a later edit over an earlier one', () => {
    const edited = m(1, { body: 'new', editedAt: new Date(base.getTime() + 60_000) });
    const deleted = m(1, { body: null, deletedAt: new Date(base.getTime() + 30_000) });
    expect(newerVersion(m(1), edited)).toBe(edited);
    expect(newerVersion(edited, m(1))).toBe(edited);
    expect(newerVersion(edited, deleted)).toBe(deleted);
    expect(newerVersion(deleted, edited)).toBe(deleted);
    expect(mergeMessages([m(1), m(2)], [edited])[0]?.body).toBe('new');
  });

  it('returns the same list when nothing changed, and leaves unloaded messages out of replace', () => {
    const list = [m(1), m(2)];
    expect(mergeMessages(list, [m(1)])).toBe(list);
    expect(mergeMessages(list, [])).toBe(list);
    expect(replaceMessage(list, m(9, { body: 'x', editedAt: base }))).toBe(list);
    const after = mergeMessages(list, [m(3)]);
    expect(after[0]).toBe(list[0]);
  });
});

describe('timeline entries', () => {
  it('shows unsent messages after the stored ones, once each', () => {
    const unsent = [
      {
        id: 'm2',
        chatId: 'c',
        body: 'raced',
        attachments: [],
        replyTo: null,
        createdAt: base,
        state: 'sending' as const,
        error: null,
        refused: false,
      },
      {
        id: 'u1',
        chatId: 'c',
        body: 'pending',
        attachments: [],
        replyTo: null,
        createdAt: base,
        state: 'queued' as const,
        error: null,
        refused: false,
      },
    ];
    const rows = timelineEntries([m(1), m(2)], unsent, 'me');
    expect(rows.map((r) => [r.id, r.seq, r.unsent?.state ?? 'stored'])).toEqual([
      ['m1', 1, 'stored'],
      ['m2', 2, 'stored'],
      ['u1', null, 'queued'],
    ]);
    expect(rows[2]?.senderId).toBe('me');
  });
});
