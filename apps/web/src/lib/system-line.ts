/**
 * What a line about a group says, in words (the timeline's centred line and
 * the chat list's preview). Pure. People are named as the line names them
 * (as they were called when it was written), the reader as "you".
 */
import type { LinePerson, SystemLine } from '@chat/api';

/** "Ben", "Ben and Cal", "Ben, Cal and Dan", "Ben, Cal and 3 others". */
export function namesList(names: string[], shown = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= shown) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const rest = names.length - (shown - 1);
  return `${names.slice(0, shown - 1).join(', ')} and ${rest} others`;
}

export function systemLineText(line: SystemLine, myId: string | undefined): string {
  const name = (p: LinePerson, start = false) => (p.id === myId ? (start ? 'You' : 'you') : p.displayName);
  const actor = name(line.actor, true);
  switch (line.type) {
    case 'created':
      return `${actor} created the group “${line.name}”`;
    case 'renamed':
      return `${actor} renamed the group to “${line.name}”`;
    case 'added':
      return `${actor} added ${namesList(line.users.map((u) => name(u)))}`;
    case 'removed':
      return `${actor} removed ${name(line.user)}`;
    case 'left':
      return `${actor} left the group`;
    case 'owner': {
      if (line.auto) {
        const owner = line.user.id === myId ? 'You are' : `${line.user.displayName} is`;
        return `${owner} now the owner (the longest-standing member)`;
      }
      return `${actor} made ${name(line.user)} the owner`;
    }
  }
}
