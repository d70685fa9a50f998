import { describe, expect, it } from 'vitest';
import { filterMembers, memberCountText, sortMembers } from './member-order';

const person = (id: string, displayName: string, username = id) => ({ id, username, displayName });

describe('member order', () => {
  const members = [
    person('z', 'Zoë'),
    person('o', 'Owner Olga'),
    person('a', 'anna'),
    person('b', 'Bert'),
    person('c', 'Carl'),
    person('a2', 'Anna', 'anna2'),
  ];

  it('puts the owner first, then who is online, then everyone by name', () => {
    const online = new Set(['c', 'z']);
    const order = sortMembers(members, 'o', (id) => online.has(id)).map((m) => m.id);
    expect(order).toEqual(['o', 'c', 'z', 'a', 'a2', 'b']);
  });

  it('keeps the owner first even when offline, and sorts 300 without asking anyone', () => {
    const many = Array.from({ length: 300 }, (_, i) => person(`u${i}`, `Person ${300 - i}`));
    const sorted = sortMembers(many, 'u150', () => false);
    expect(sorted[0]?.id).toBe('u150');
    expect(sorted[1]?.displayName).toBe('Person 1');
    expect(sorted[299]?.displayName).toBe('Person 300');
  });

  it('filters by display name or username, ignoring case, accents and a leading @', () => {
    expect(filterMembers(members, 'zoe').map((m) => m.id)).toEqual(['z']);
    expect(filterMembers(members, '@ANNA2').map((m) => m.id)).toEqual(['a2']);
    expect(filterMembers(members, '  ').length).toBe(members.length);
    expect(filterMembers(members, 'nobody')).toEqual([]);
  });

  it('counts members', () => {
    expect(memberCountText(1, 1)).toBe('1 member');
    expect(memberCountText(12, 12)).toBe('12 members');
    expect(memberCountText(3, 12)).toBe('3 of 12 members');
  });
});
