import type { LinePerson, SystemLine } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { namesList, systemLineText } from './system-line';

const ana: LinePerson = { id: 'a', username: 'ana', displayName: 'Ana' };
const ben: LinePerson = { id: 'b', username: 'ben', displayName: 'Ben' };
const cal: LinePerson = { id: 'c', username: 'cal', displayName: 'Cal' };

describe('systemLineText', () => {
  const cases: [SystemLine, string | undefined, string][] = [
    [{ actor: ana, type: 'created', name: 'Crew' }, 'x', 'Ana created the group “Crew”'],
    [{ actor: ana, type: 'created', name: 'Crew' }, 'a', 'You created the group “Crew”'],
    [{ actor: ana, type: 'renamed', name: 'Crew 2', from: 'Crew' }, 'x', 'Ana renamed the group to “Crew 2”'],
    [{ actor: ana, type: 'added', users: [ben] }, 'x', 'Ana added Ben'],
    [{ actor: ana, type: 'added', users: [ben, cal] }, 'b', 'Ana added you and Cal'],
    [{ actor: ana, type: 'removed', user: ben }, 'a', 'You removed Ben'],
    [{ actor: ben, type: 'left' }, 'x', 'Ben left the group'],
    [{ actor: ana, type: 'owner', user: ben, auto: false }, 'b', 'Ana made you the owner'],
    [{ actor: ana, type: 'owner', user: ben, auto: true }, 'x', 'Ben is now the owner (the longest-standing member)'],
    [{ actor: ana, type: 'owner', user: ben, auto: true }, 'b', 'You are now the owner (the longest-standing member)'],
  ];
  it.each(cases)('%j for %s', (line, me, text) => {
    expect(systemLineText(line, me)).toBe(text);
  });
});

describe('namesList', () => {
  it('joins a few names and counts the rest', () => {
    expect(namesList([])).toBe('');
    expect(namesList(['Ben'])).toBe('Ben');
    expect(namesList(['Ben', 'Cal'])).toBe('Ben and Cal');
    expect(namesList(['Ben', 'Cal', 'Dan'])).toBe('Ben, Cal and Dan');
    expect(namesList(['Ben', 'Cal', 'Dan', 'Eve', 'Fay'])).toBe('Ben, Cal and 3 others');
  });
});
