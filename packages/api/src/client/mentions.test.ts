import { describe, expect, it } from 'vitest';
import { findMentions, mentions } from './mentions';

describe('a mention', () => {
  it('is @username or @all, case ignored, wherever a word may start', () => {
    for (const text of ['@bob', 'hi @bob', '(@bob)', '@Bob, look', 'done @bob.', '@all: lunch', 'x\n@BOB!']) {
      expect(mentions(text, 'bob')).toBe(true);
    }
  });

  it('is not part of an address, a longer name or another word', () => {
    for (const text of ['bob@example.com', '@bobby', '@bob.smith', '@bob_', '@bob-x', 'x@bob', '@@bob', 'bob', '@al']) {
      expect(mentions(text, 'bob')).toBe(false);
    }
  });

  it('takes dots in a username literally', () => {
    expect(mentions('hey @bob.smith', 'bob.smith')).toBe(true);
    expect(mentions('hey @bobxsmith', 'bob.smith')).toBe(false);
  });

  it('is found with where it is and the name written', () => {
    expect(findMentions('hi @ann and @Bob.Smith, mail ann@x.org @all.')).toEqual([
      { index: 3, length: 4, name: 'ann' },
      { index: 12, length: 10, name: 'Bob.Smith' },
      { index: 39, length: 4, name: 'all' },
    ]);
    expect(findMentions('nothing here @ all')).toEqual([]);
  });
});
