import type { ChatSummary, MessageView } from '@chat/api';
import { describe, expect, it } from 'vitest';
import {
  previewText,
  unreadBadge,
  withChangedMessage,
  withNewMessage,
  withReadLocally,
  withReadState,
} from './chat-summary';

const t0 = new Date('2030-01-01T10:00:00Z');
const chat = (patch: Partial<ChatSummary> = {}): ChatSummary => ({
  id: 'c',
  kind: 'direct',
  name: null,
  ownerId: null,
  memberCount: 2,
  createdAt: t0,
  lastActivityAt: t0,
  peer: null,
  lastSeq: 0,
  lastMessage: null,
  readState: { deliveredSeq: 0, readSeq: 0, unreadCount: 0 },
  ...patch,
});
/** Cast: the view grows fields (images, reactions) these rules do not read. */
const msg = (seq: number, senderId: string, patch: Partial<MessageView> = {}): MessageView =>
  ({
    id: `m${seq}`,
    chatId: 'c',
    senderId,
    seq,
    body: `hello\n  ${seq}`,
    createdAt: new Date(t0.getTime() + seq * 1000),
    editedAt: null,
    deletedAt: null,
    attachments: [],
    reactions: [],
    ...patch,
  }) as MessageView;

describe('a chat-list entry', () => {
  it('counts others’ new messages once, and clears on your own', () => {
    let c = withNewMessage(chat(), msg(1, 'bob'), 'me');
    c = withNewMessage(c, msg(1, 'bob'), 'me'); // replayed
    c = withNewMessage(c, msg(2, 'bob'), 'me');
    expect(c.readState.unreadCount).toBe(2);
    expect(c.lastSeq).toBe(2);
    expect(c.lastActivityAt).toEqual(msg(2, 'bob').createdAt);
    c = withNewMessage(c, msg(3, 'me'), 'me');
    expect(c.readState).toEqual({ deliveredSeq: 3, readSeq: 3, unreadCount: 0 });
    expect(previewText(c.lastMessage, 'me')).toBe('You: hello 3');
  });

  it('stops counting at the cap', () => {
    const c = withNewMessage(
      chat({ lastSeq: 200, readState: { deliveredSeq: 0, readSeq: 0, unreadCount: 100 } }),
      msg(201, 'bob'),
      'me',
    );
    expect(unreadBadge(c.readState.unreadCount)).toBe('99+');
    expect(unreadBadge(7)).toBe('7');
  });

  it('follows edits and deletes of the last message only', () => {
    const c = withNewMessage(chat(), msg(1, 'bob'), 'me');
    const edited = withChangedMessage(c, msg(1, 'bob', { body: 'changed', editedAt: t0 }));
    expect(previewText(edited.lastMessage, 'me')).toBe('changed');
    const deleted = withChangedMessage(edited, msg(1, 'bob', { body: null, deletedAt: t0 }));
    expect(previewText(deleted.lastMessage, 'me')).toBe('Message deleted');
    expect(withChangedMessage(c, msg(9, 'bob'))).toBe(c);
    expect(previewText(msg(2, 'bob', { body: '' }), 'me')).toBe('Image');
    expect(previewText(null, 'me')).toBe('');
    expect(previewText(msg(2, 'bob', { body: '**Big** *news*:\n`v2` ~~soon~~ out' }), 'me')).toBe(
      'Big news: v2 soon out',
    );
  });

  it('takes the user’s own receipts in stream order, and never goes back', () => {
    const c = chat({ lastSeq: 5, readState: { deliveredSeq: 2, readSeq: 2, unreadCount: 3 } });
    expect(withReadState(c, { deliveredSeq: 5, readSeq: 4, unreadCount: 1 }).readState).toEqual({
      deliveredSeq: 5,
      readSeq: 4,
      unreadCount: 1,
    });
    expect(withReadState(c, { deliveredSeq: 1, readSeq: 1, unreadCount: 4 })).toBe(c);
    expect(withReadState(c, { deliveredSeq: 5, readSeq: 5, unreadCount: 0 }).readState.unreadCount).toBe(0);
    expect(withReadLocally(c, 5).readState).toEqual({ deliveredSeq: 5, readSeq: 5, unreadCount: 0 });
    expect(withReadLocally(c, 3).readState.unreadCount).toBe(3);
  });
});
