import { describe, expect, it } from 'vitest';
import { mentionPieces, mentionsViewer } from './mentions';

describe('a message that mentions the viewer', () => {
  it('names them or @all, or replies to one of theirs', () => {
    const me = { id: 'u1', username: 'ann' };
    const quote = (senderId: string) => ({
      messageId: 'm',
      senderId,
      text: 'x',
      hasImage: false,
      deleted: false,
      fileName: null,
    });
    expect(mentionsViewer({ body: 'hi @ann', replyTo: null }, me)).toBe(true);
    expect(mentionsViewer({ body: 'sure', replyTo: quote('u1') }, me)).toBe(true);
    expect(mentionsViewer({ body: 'sure', replyTo: quote('u2') }, me)).toBe(false);
    expect(mentionsViewer({ body: null, replyTo: null }, me)).toBe(false);
  });
});

describe('mentions in shown text', () => {
  it('are set apart, the viewer’s own and @all marked, case ignored', () => {
    expect(mentionPieces('hi @Ann and @bob, see @all.', 'ann')).toEqual([
      { text: 'hi ', mention: false },
      { text: '@Ann', mention: true, me: true },
      { text: ' and ', mention: false },
      { text: '@bob', mention: true, me: false },
      { text: ', see ', mention: false },
      { text: '@all', mention: true, me: true },
      { text: '.', mention: false },
    ]);
  });

  it('leave text without one, and addresses, as they are', () => {
    expect(mentionPieces('mail ann@example.com', 'ann')).toEqual([{ text: 'mail ann@example.com', mention: false }]);
    expect(mentionPieces('@bob', undefined)).toEqual([{ text: '@bob', mention: true, me: false }]);
  });
});
