import type { ChatSummary, Profile } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { matchRank, type SwitcherSource, switcherItems } from './switcher-items';

const person = (username: string, displayName: string): Profile => ({
  id: `u-${username}`,
  username,
  displayName,
  about: '',
  lastSeenAt: null,
});

const at = new Date(0);
function chat(id: string, peer: Profile | null, name: string | null, unreadCount = 0): ChatSummary {
  return {
    id,
    kind: peer ? 'direct' : 'group',
    name,
    ownerId: null,
    memberCount: 2,
    createdAt: at,
    lastActivityAt: at,
    peer,
    lastSeq: 0,
    lastMessage: null,
    readState: { deliveredSeq: 0, readSeq: 0, unreadCount, mentionCount: 0 },
    muted: false,
  };
}

const bob = person('bob', 'Bob Stone');
const jose = person('jdiaz', 'José Díaz');
const carol = person('carol', 'Carol Bobbins');
const source = (chats: ChatSummary[], contacts: Profile[]): SwitcherSource => ({
  chats,
  contacts,
  titleOf: (c) => c.name ?? c.peer?.displayName ?? '',
  pathOf: (c) => (c.peer ? `/chats/@${c.peer.username}` : `/groups/${c.id}`),
});

describe('switcherItems', () => {
  const chats = [chat('c-bob', bob, null), chat('g-design', null, 'Design'), chat('c-jose', jose, null, 3)];

  it('with nothing typed: unread chats first, then the rest in list order, then contacts with no chat', () => {
    const items = switcherItems(source(chats, [bob, carol, jose]), '');
    expect(items.map((i) => i.key)).toEqual(['c-jose', 'c-bob', 'g-design', 'contact:u-carol']);
    expect(items.at(-1)).toMatchObject({ kind: 'contact', path: '/chats/@carol', title: 'Carol Bobbins' });
  });

  it('filters by name, username and group name, best matches first, chats before contacts', () => {
    const keys = (q: string) => switcherItems(source(chats, [bob, carol, jose]), q).map((i) => i.key);
    expect(keys('bob')).toEqual(['c-bob', 'contact:u-carol']);
    expect(keys('des')).toEqual(['g-design']);
    expect(keys('diaz')).toEqual(['c-jose']);
    expect(keys('JOSE')).toEqual(['c-jose']);
    expect(keys('  stone ')).toEqual(['c-bob']);
    expect(keys('zzz')).toEqual([]);
  });

  it('"@" looks at usernames only', () => {
    const keys = (q: string) => switcherItems(source(chats, [bob, carol, jose]), q).map((i) => i.key);
    expect(keys('@jd')).toEqual(['c-jose']);
    expect(keys('@stone')).toEqual([]);
  });
});

describe('matchRank', () => {
  it('prefers a name that starts with it, then a word that does, then anywhere', () => {
    expect(matchRank({ title: 'Bob Stone', username: 'bob' }, 'bo')).toBe(0);
    expect(matchRank({ title: 'Carol Bobbins', username: 'carol' }, 'bo')).toBe(1);
    expect(matchRank({ title: 'Jacob', username: 'jacob' }, 'ob')).toBe(2);
    expect(matchRank({ title: 'Design', username: null }, 'x')).toBeNull();
  });
});
