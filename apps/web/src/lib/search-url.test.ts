import type { SearchHit } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { hasQuery, historyMode, hitPath, queryText, readSearchParams, searchPath } from './search-url';

describe('search addresses', () => {
  it('puts the query in the address, and the order only when it is not newest first', () => {
    expect(searchPath({ q: 'budget', order: 'recent' })).toBe('/search?q=budget');
    expect(searchPath({ q: 'budget', order: 'relevant' })).toBe('/search?q=budget&order=relevant');
    expect(searchPath({ q: '', order: 'recent' })).toBe('/search');
  });

  it('reads back what it wrote, quotes, colons, ampersands and spaces included', () => {
    for (const q of ['"release date" from:@alice', 'a&b=c?', 'in:"Design team" -draft ', 'café 東京', '#1 + 2%']) {
      for (const order of ['recent', 'relevant'] as const) {
        const path = searchPath({ q, order });
        expect(readSearchParams(path.slice(path.indexOf('?')))).toEqual({ q, order });
      }
    }
  });

  it('reads a missing or unknown order as newest first, and a missing query as empty', () => {
    expect(readSearchParams('?q=x&order=sideways')).toEqual({ q: 'x', order: 'recent' });
    expect(readSearchParams('')).toEqual({ q: '', order: 'recent' });
    expect(readSearchParams('?q=a+b')).toEqual({ q: 'a b', order: 'recent' });
  });

  it('sends what was typed, keeping a trailing space (it ends a word being typed)', () => {
    expect(queryText('  plan ')).toBe('plan ');
    expect(hasQuery('   ')).toBe(false);
    expect(hasQuery(' x')).toBe(true);
  });

  it('links a hit to its message in its chat', () => {
    const person = { id: 'u1', username: 'alice', displayName: 'Alice' };
    const direct: Pick<SearchHit, 'messageId' | 'chat'> = {
      messageId: 'm1',
      chat: { id: 'c1', kind: 'direct', name: null, peer: person },
    };
    const group: Pick<SearchHit, 'messageId' | 'chat'> = {
      messageId: 'm2',
      chat: { id: 'c2', kind: 'group', name: 'Team', peer: null },
    };
    expect(hitPath(direct)).toBe('/chats/@alice/messages/m1');
    expect(hitPath(group)).toBe('/groups/c2/messages/m2');
  });

  it('adds a history entry when a search starts or goes on from a committed one, else replaces', () => {
    expect(historyMode({ onSearchPage: false, committed: false })).toBe('push');
    expect(historyMode({ onSearchPage: true, committed: true })).toBe('push');
    expect(historyMode({ onSearchPage: true, committed: false })).toBe('replace');
  });
});
