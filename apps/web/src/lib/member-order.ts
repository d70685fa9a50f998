/**
 * The order and filter of a group's member list: the owner first, then who
 * is online, then everyone by name. Pure, so 300 members sort in memory from
 * what the page already holds (the group's members, `presence.list`'s states)
 * with no request per row.
 */

export interface ListedMember {
  id: string;
  username: string;
  displayName: string;
}

/** Above this many members the list gets a filter box ("more than a handful"). */
export const MEMBER_FILTER_FROM = 8;

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Owner, then online, then by display name (and username, so equal names keep one order). */
export function sortMembers<M extends ListedMember>(
  members: readonly M[],
  ownerId: string | null,
  isOnline: (userId: string) => boolean,
): M[] {
  const rank = (m: M) => (m.id === ownerId ? 0 : isOnline(m.id) ? 1 : 2);
  return [...members].sort(
    (a, b) =>
      rank(a) - rank(b) || collator.compare(a.displayName, b.displayName) || collator.compare(a.username, b.username),
  );
}

/** Lower case without accents, so "zoe" finds "Zoë". */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** The members whose display name or username contains `query` (a leading "@" names a username). */
export function filterMembers<M extends ListedMember>(members: readonly M[], query: string): M[] {
  const q = fold(query.trim().replace(/^@/, ''));
  if (!q) return [...members];
  return members.filter((m) => fold(m.displayName).includes(q) || fold(m.username).includes(q));
}

/** "1 member", "12 members"; filtered: "3 of 12 members". */
export function memberCountText(shown: number, total: number): string {
  const noun = total === 1 ? 'member' : 'members';
  return shown === total ? `${total} ${noun}` : `${shown} of ${total} ${noun}`;
}
