import { describe, expect, it } from 'vitest';
import { type MessageFacts, messageLead, messageTail } from './message-sentence';

const plain: MessageFacts = {
  author: 'Ana',
  time: '14:05',
  replyTo: null,
  deleted: false,
  edited: false,
  images: 0,
  files: [],
  reactions: [],
  status: null,
};

describe('a message in words', () => {
  it('leads with who wrote it and when, and whom it answers', () => {
    expect(messageLead(plain)).toBe('Ana at 14:05:');
    expect(messageLead({ ...plain, author: 'You', replyTo: 'Bob' })).toBe('You at 14:05, replying to Bob:');
  });

  it('has no tail when nothing surrounds the text', () => {
    expect(messageTail(plain)).toBe('');
  });

  it('ends with what surrounds the bubble, each a sentence', () => {
    expect(
      messageTail({
        ...plain,
        edited: true,
        images: 2,
        files: ['report.pdf'],
        reactions: ['You and Bob reacted with 👍', 'Cleo reacted with 🎉'],
        status: 'Read by 2 of 3',
      }),
    ).toBe('Edited. 2 images. File: report.pdf. You and Bob reacted with 👍. Cleo reacted with 🎉. Read by 2 of 3.');
    expect(messageTail({ ...plain, images: 1, files: ['a.zip', 'b.csv'] })).toBe('1 image. 2 files: a.zip, b.csv.');
  });

  it('says nothing of the parts of a deleted message but where it has got to', () => {
    expect(
      messageTail({
        ...plain,
        deleted: true,
        edited: true,
        images: 1,
        reactions: ['Bob reacted with 👍'],
        status: 'Sent',
      }),
    ).toBe('Sent.');
  });
});
