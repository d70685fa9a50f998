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
const me = { id: 'me', username: 'me.too' };
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
  readState: { deliveredSeq: 0, readSeq: 0, unreadCount: 0, mentionCount: 0 },
  muted: false,
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
  it('previews a line about the group as what happened, never as "You: …"', () => {
    const ana = { id: 'me', username: 'ana', displayName: 'Ana' };
    const ben = { id: 'ben', username: 'ben', displayName: 'Ben' };
    const line = msg(3, 'me', { body: null, system: { actor: ana, type: 'added', users: [ben] } });
    expect(previewText(line, 'me')).toBe('You added Ben');
    expect(previewText(line, 'ben')).toBe('Ana added you');
    expect(previewText(line, 'cal')).toBe('Ana added Ben');
    const c = withNewMessage(chat({ kind: 'group' }), line, { id: 'ben', username: 'ben' });
    expect([c.lastSeq, c.readState.unreadCount]).toEqual([3, 1]);
  });

  it('counts others’ new messages once, and clears on your own', () => {
    let c = withNewMessage(chat(), msg(1, 'bob'), me);
    c = withNewMessage(c, msg(1, 'bob'), me); // replayed
    c = withNewMessage(c, msg(2, 'bob'), me);
    expect(c.readState.unreadCount).toBe(2);
    expect(c.lastSeq).toBe(2);
    expect(c.lastActivityAt).toEqual(msg(2, 'bob').createdAt);
    c = withNewMessage(c, msg(3, 'me'), me);
    expect(c.readState).toEqual({ deliveredSeq: 3, readSeq: 3, unreadCount: 0, mentionCount: 0 });
    expect(previewText(c.lastMessage, 'me')).toBe('You: hello 3');
  });

  it('counts a reply to one of yours as a mention, not a reply to someone else’s', () => {
    const quote = (senderId: string) => ({
      messageId: 'm0',
      senderId,
      text: 'hi',
      hasImage: false,
      deleted: false,
      fileName: null,
    });
    let c = withNewMessage(chat(), msg(1, 'bob', { replyToId: 'm0', replyTo: quote('me') }), me);
    c = withNewMessage(c, msg(2, 'bob', { replyToId: 'm0', replyTo: quote('carol') }), me);
    expect([c.readState.unreadCount, c.readState.mentionCount]).toEqual([2, 1]);
  });

  it('stops counting at the cap', () => {
    const c = withNewMessage(
      chat({ lastSeq: 200, readState: { deliveredSeq: 0, readSeq: 0, unreadCount: 100, mentionCount: 0 } }),
      msg(201, 'bob'),
      me,
    );
    expect(unreadBadge(c.readState.unreadCount)).toBe('99+');
    expect(unreadBadge(7)).toBe('7');
  });

  it('follows edits and deletes of the last message only', () => {
    const c = withNewMessage(chat(), msg(1, 'bob'), me);
    const edited = withChangedMessage(c, msg(1, 'bob', { body: 'changed', editedAt: t0 }));
    expect(previewText(edited.lastMessage, 'me')).toBe('changed');
    const deleted = withChangedMessage(edited, msg(1, 'bob', { body: null, deletedAt: t0 }));
    expect(previewText(deleted.lastMessage, 'me')).toBe('Message deleted');
    expect(withChangedMessage(c, msg(9, 'bob'))).toBe(c);
    const attached = (kind: 'image' | 'file', fileName: string) =>
      ({
        id: fileName,
        kind,
        fileName,
        contentType: 'x',
        bytes: 1,
        width: 0,
        height: 0,
        thumbWidth: 0,
        thumbHeight: 0,
      }) as const;
    expect(previewText(msg(2, 'bob', { body: '', attachments: [attached('image', 'a.png')] }), 'me')).toBe('Image');
    expect(previewText(msg(2, 'bob', { body: '', attachments: [attached('file', 'plan.pdf')] }), 'me')).toBe(
      'plan.pdf',
    );
    expect(previewText(null, 'me')).toBe('');
    expect(previewText(msg(2, 'bob', { body: '**Big** *news*:\n`v2` ~~soon~~ out' }), 'me')).toBe(
      'Big news: v2 soon out',
    );
  });

  it('takes the user’s own receipts in stream order, and never goes back', () => {
    const c = chat({ lastSeq: 5, readState: { deliveredSeq: 2, readSeq: 2, unreadCount: 3, mentionCount: 1 } });
    expect(withReadState(c, { deliveredSeq: 5, readSeq: 4, unreadCount: 1, mentionCount: 1 }).readState).toEqual({
      deliveredSeq: 5,
      readSeq: 4,
      unreadCount: 1,
      mentionCount: 1,
    });
    expect(withReadState(c, { deliveredSeq: 1, readSeq: 1, unreadCount: 4, mentionCount: 2 })).toBe(c);
    const read = withReadState(c, { deliveredSeq: 5, readSeq: 5, unreadCount: 0, mentionCount: 0 }).readState;
    expect([read.unreadCount, read.mentionCount]).toEqual([0, 0]);
    expect(withReadLocally(c, 5).readState).toEqual({ deliveredSeq: 5, readSeq: 5, unreadCount: 0, mentionCount: 0 });
    expect(withReadLocally(c, 3).readState).toMatchObject({ unreadCount: 3, mentionCount: 1 });
  });

  it('counts the new messages that mention you or everyone apart, never your own', () => {
    let c = withNewMessage(chat(), msg(1, 'bob', { body: 'hi @Me.Too' }), me);
    c = withNewMessage(c, msg(1, 'bob', { body: 'hi @Me.Too' }), me); // replayed
    c = withNewMessage(c, msg(2, 'bob', { body: '@all lunch' }), me);
    c = withNewMessage(c, msg(3, 'bob', { body: 'mail me.too@example.com, @me.tool' }), me);
    c = withNewMessage(c, msg(4, 'bob', { body: null, deletedAt: t0 }), me);
    expect(c.readState).toMatchObject({ unreadCount: 3, mentionCount: 2 });
    c = withNewMessage(c, msg(5, 'me', { body: '@me.too note to self' }), me);
    expect(c.readState).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });
});
