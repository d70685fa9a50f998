import type { SearchHit } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { hitChatTitle, hitSenderName, snippetParts, snippetText } from './search-hit';

const alice = { id: 'u-alice', username: 'alice', displayName: 'Alice A.' };
const bob = { id: 'u-bob', username: 'bob', displayName: 'Bob B.' };

describe('search hits', () => {
  it('names the chat: the group, or the other person', () => {
    expect(hitChatTitle({ chat: { id: 'g', kind: 'group', name: 'Design', peer: null } })).toBe('Design');
    expect(hitChatTitle({ chat: { id: 'd', kind: 'direct', name: null, peer: bob } })).toBe('Bob B.');
    expect(hitChatTitle({ chat: { id: 'd', kind: 'direct', name: null, peer: null } })).toBe('Unknown user');
  });

  it('calls the searcher "You"', () => {
    const hit: Pick<SearchHit, 'sender'> = { sender: alice };
    expect(hitSenderName(hit, alice.id)).toBe('You');
    expect(hitSenderName(hit, bob.id)).toBe('Alice A.');
    expect(hitSenderName(hit, undefined)).toBe('Alice A.');
  });

  it('joins neighbouring parts of a kind and drops empty ones', () => {
    expect(
      snippetParts([
        { text: '', match: false },
        { text: 'the ', match: false },
        { text: 'plan', match: true },
        { text: '', match: false },
        { text: 's', match: true },
        { text: ' for ', match: false },
        { text: 'May', match: false },
      ]),
    ).toEqual([
      { text: 'the ', match: false },
      { text: 'plans', match: true },
      { text: ' for May', match: false },
    ]);
    expect(snippetParts([])).toEqual([]);
  });

  it('keeps markup as text (rendered as text nodes, never HTML)', () => {
    const segments = [
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '<b>', match: true },
    ];
    expect(snippetParts(segments)).toEqual(segments);
    expect(snippetText(segments)).toBe('<img src=x onerror=alert(1)> <b>');
  });

  it('does not change the segments it was given', () => {
    const segments = [
      { text: 'a', match: false },
      { text: 'b', match: false },
    ];
    snippetParts(segments);
    expect(segments).toEqual([
      { text: 'a', match: false },
      { text: 'b', match: false },
    ]);
  });
});
