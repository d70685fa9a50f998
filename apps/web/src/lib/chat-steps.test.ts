import type { Profile } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { chatAtPath, stepChat } from './chat-steps';

const peer = (username: string): Profile => ({
  id: `u-${username}`,
  username,
  displayName: username,
  about: '',
  lastSeenAt: null,
});
const bob = { id: 'c1', kind: 'direct' as const, peer: peer('bob') };
const team = { id: 'g1', kind: 'group' as const, peer: null };
const carol = { id: 'c2', kind: 'direct' as const, peer: peer('carol') };
const list = [bob, team, carol];

describe('chatAtPath', () => {
  it('finds one-to-one chats by username and groups by id, messages in them too', () => {
    expect(chatAtPath('/chats/@bob', list)).toBe(bob);
    expect(chatAtPath('/chats/@carol/messages/m1', list)).toBe(carol);
    expect(chatAtPath('/groups/g1', list)).toBe(team);
    expect(chatAtPath('/groups/g1/messages/m1', list)).toBe(team);
  });

  it('finds nothing elsewhere or for a chat not in the list', () => {
    expect(chatAtPath('/contacts', list)).toBeUndefined();
    expect(chatAtPath('/chats/@dave', list)).toBeUndefined();
    expect(chatAtPath('/groups/g9', list)).toBeUndefined();
  });
});

describe('stepChat', () => {
  it('moves in the list order and stops at the ends', () => {
    expect(stepChat(list, team, 1)).toBe(carol);
    expect(stepChat(list, team, -1)).toBe(bob);
    expect(stepChat(list, carol, 1)).toBeUndefined();
    expect(stepChat(list, bob, -1)).toBeUndefined();
  });

  it('enters the list from outside at the top going down and at the bottom going up', () => {
    expect(stepChat(list, undefined, 1)).toBe(bob);
    expect(stepChat(list, undefined, -1)).toBe(carol);
    expect(stepChat([], undefined, 1)).toBeUndefined();
  });
});
