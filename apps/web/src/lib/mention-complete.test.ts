import { describe, expect, it } from 'vitest';
import { completeMention, mentionQuery, mentionSuggestions } from './mention-complete';

const people = [
  { id: 'a', username: 'ann', displayName: 'Ann Lee' },
  { id: 'b', username: 'bob.stone', displayName: 'Bob Stone' },
  { id: 'c', username: 'carla', displayName: 'Carla Annan' },
  { id: 'me', username: 'anna', displayName: 'Anna Me' },
];

describe('completing a mention', () => {
  it('finds the @name being typed before the caret, not one inside a word or address', () => {
    expect(mentionQuery('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('(@bob.s', 7)).toEqual({ start: 1, query: 'bob.s' });
    expect(mentionQuery('mail ann@ex', 11)).toBeNull();
    expect(mentionQuery('hi @ann there', 13)).toBeNull();
    expect(mentionQuery('hi @an there', 6)).toEqual({ start: 3, query: 'an' });
  });

  it('suggests usernames first, then names, never the writer, @all last in a group', () => {
    expect(mentionSuggestions(people, 'an', 'me', true).map((p) => p.username)).toEqual(['ann', 'carla']);
    expect(mentionSuggestions(people, 'STO', 'me', true).map((p) => p.username)).toEqual(['bob.stone']);
    expect(mentionSuggestions(people, 'a', 'me', true).map((p) => p.username)).toEqual(['ann', 'carla', 'all']);
    expect(mentionSuggestions(people, 'a', 'me', false).map((p) => p.username)).toEqual(['ann', 'carla']);
    expect(mentionSuggestions(people, 'zz', 'me', true)).toEqual([]);
  });

  it('puts the chosen username in with one space after it and the caret there', () => {
    expect(completeMention('hi @an', 6, { start: 3, query: 'an' }, 'ann')).toEqual({ text: 'hi @ann ', caret: 8 });
    expect(completeMention('hi @an there', 6, { start: 3, query: 'an' }, 'ann')).toEqual({
      text: 'hi @ann there',
      caret: 8,
    });
  });
});
