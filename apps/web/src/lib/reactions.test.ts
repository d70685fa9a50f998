import type { MessageView } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { applyReaction, whoReacted, withReaction } from './reactions';

const message = (id: string, reactions: MessageView['reactions'] = []): MessageView => ({
  id,
  chatId: 'c',
  senderId: 'u',
  seq: 1,
  body: 'hi',
  createdAt: new Date(0),
  editedAt: null,
  deletedAt: null,
  attachments: [],
  reactions,
  system: null,
  replyToId: null,
  replyTo: null,
});

describe('withReaction', () => {
  it('adds a person to an emoji, or a new emoji at the end', () => {
    const list = [{ emoji: '👍', userIds: ['a'] }];
    expect(withReaction(list, { messageId: 'm', emoji: '👍', userId: 'b', on: true })).toEqual([
      { emoji: '👍', userIds: ['a', 'b'] },
    ]);
    expect(withReaction(list, { messageId: 'm', emoji: '🎉', userId: 'b', on: true })).toEqual([
      { emoji: '👍', userIds: ['a'] },
      { emoji: '🎉', userIds: ['b'] },
    ]);
  });

  it('takes a person away, and the emoji with its last person', () => {
    const list = [
      { emoji: '👍', userIds: ['a', 'b'] },
      { emoji: '🎉', userIds: ['b'] },
    ];
    expect(withReaction(list, { messageId: 'm', emoji: '🎉', userId: 'b', on: false })).toEqual([
      { emoji: '👍', userIds: ['a', 'b'] },
    ]);
    expect(withReaction(list, { messageId: 'm', emoji: '👍', userId: 'a', on: false })[0]).toEqual({
      emoji: '👍',
      userIds: ['b'],
    });
  });

  it('changes nothing when applied again (the same array back)', () => {
    const list = [{ emoji: '👍', userIds: ['a'] }];
    expect(withReaction(list, { messageId: 'm', emoji: '👍', userId: 'a', on: true })).toBe(list);
    expect(withReaction(list, { messageId: 'm', emoji: '🎉', userId: 'a', on: false })).toBe(list);
  });
});

describe('applyReaction', () => {
  it('changes only the message concerned, and nothing when it is not loaded', () => {
    const one = message('1');
    const two = message('2');
    const next = applyReaction([one, two], { messageId: '2', emoji: '👀', userId: 'x', on: true });
    expect(next[0]).toBe(one);
    expect(next[1]?.reactions).toEqual([{ emoji: '👀', userIds: ['x'] }]);
    const list = [one];
    expect(applyReaction(list, { messageId: '9', emoji: '👀', userId: 'x', on: true })).toBe(list);
  });
});

describe('whoReacted', () => {
  const names: Record<string, string> = { a: 'Ann', b: 'Bob', c: 'Cy' };
  const nameOf = (id: string) => names[id] ?? id;
  it('names the people, the user as "You" first', () => {
    expect(whoReacted({ emoji: '👍', userIds: ['a'] }, 'me', nameOf)).toBe('Ann reacted with 👍');
    expect(whoReacted({ emoji: '👍', userIds: ['a', 'me', 'b'] }, 'me', nameOf)).toBe(
      'You, Ann and Bob reacted with 👍',
    );
    expect(whoReacted({ emoji: '👍', userIds: ['a', 'b', 'c'] }, 'me', nameOf, 2)).toBe(
      'Ann, Bob and 1 other reacted with 👍',
    );
  });
});
