import type { SearchHit } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { hitChatTitle, hitSenderName, reuseHits, snippetParts, snippetText } from './search-hit';

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

describe('a new page of the same hits', () => {
  const make = (id: string, text: string): SearchHit => ({
    messageId: id,
    seq: 1,
    chat: { id: 'c', kind: 'direct', name: null, peer: bob },
    sender: bob,
    createdAt: new Date('2030-01-01T10:00:00Z'),
    editedAt: null,
    snippet: [{ text, match: true }],
    replyTo: null,
    attachments: [],
  });

  it('keeps the hits already shown that did not change, in the new order', () => {
    const a = make('a', 'one');
    const b = make('b', 'two');
    const next = [make('b', 'two'), make('a', 'changed'), make('c', 'three')];
    const merged = reuseHits([a, b], next);
    expect(merged[0]).toBe(b);
    expect(merged[1]).toBe(next[1]);
    expect(merged[2]).toBe(next[2]);
  });
});
