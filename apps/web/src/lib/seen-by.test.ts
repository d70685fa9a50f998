import type { SeenBy } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { dropFromSeenBy, moveSeenBy } from './seen-by';

const who = (id: string) => ({ id, username: id, displayName: id.toUpperCase() });
const seen = (): SeenBy => ({
  messageId: 'm',
  chatId: 'c',
  seq: 5,
  read: [who('r')],
  delivered: [who('d')],
  waiting: [who('w')],
});
const ids = (s: SeenBy) => ({
  read: s.read.map((r) => r.id),
  delivered: s.delivered.map((r) => r.id),
  waiting: s.waiting.map((r) => r.id),
});

describe('seen by', () => {
  it('moves a reader on when their marker passes the message', () => {
    expect(ids(moveSeenBy(seen(), { userId: 'w', deliveredSeq: 0, readSeq: 5 }))).toEqual({
      read: ['r', 'w'],
      delivered: ['d'],
      waiting: [],
    });
    expect(ids(moveSeenBy(seen(), { userId: 'd', deliveredSeq: 9, readSeq: 6 }))).toEqual({
      read: ['r', 'd'],
      delivered: [],
      waiting: ['w'],
    });
    expect(ids(moveSeenBy(seen(), { userId: 'w', deliveredSeq: 5, readSeq: 4 }))).toEqual({
      read: ['r'],
      delivered: ['d', 'w'],
      waiting: [],
    });
  });

  it('never moves anyone back, and ignores markers short of the message and people not listed', () => {
    const start = seen();
    expect(moveSeenBy(start, { userId: 'r', deliveredSeq: 0, readSeq: 0 })).toBe(start);
    expect(moveSeenBy(start, { userId: 'd', deliveredSeq: 1, readSeq: 1 })).toBe(start);
    expect(moveSeenBy(start, { userId: 'w', deliveredSeq: 4, readSeq: 4 })).toBe(start);
    expect(moveSeenBy(start, { userId: 'x', deliveredSeq: 9, readSeq: 9 })).toBe(start);
  });

  it('drops someone who left', () => {
    expect(ids(dropFromSeenBy(seen(), 'd'))).toEqual({ read: ['r'], delivered: [], waiting: ['w'] });
  });
});
