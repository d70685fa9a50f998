/**
 * The people the signed-in user blocked (docs/blocking.md). Loaded with the
 * session and kept current by `block.changed`, which only the blocker's own
 * devices receive. Blocking also ends the contact: the address book follows
 * by its own `contact.*` events, and reloads on a change here, since an
 * unblock brings back a request that was held meanwhile.
 */
import type { BlockedPerson, Profile } from '@chat/api';
import { createSynced } from '../lib/synced';
import { api } from '../lib/trpc';
import { reloadAddressBook } from './contacts';
import { onEvents } from './events';
import { keepStoreInSync } from './sync';

const list = createSynced<BlockedPerson[]>([], () => api.blocks.list.query());
keepStoreInSync(list);

export const blockedPeople = list.value;
export const blockedStatus = list.status;

const byName = (a: BlockedPerson, b: BlockedPerson) =>
  a.user.displayName.localeCompare(b.user.displayName) || a.user.username.localeCompare(b.user.username);

const without = (userId: string) => (l: BlockedPerson[]) => l.filter((b) => b.user.id !== userId);
const withPerson = (person: BlockedPerson) => (l: BlockedPerson[]) =>
  [...without(person.user.id)(l), person].sort(byName);

onEvents({
  'block.changed': () => {
    void list.reload();
    void reloadAddressBook();
  },
});

/** Whether the signed-in user has blocked `userId`. */
export function isBlocked(userId: string | undefined): boolean {
  return userId !== undefined && blockedPeople().some((b) => b.user.id === userId);
}

export async function blockPerson(person: Profile): Promise<void> {
  list.update(withPerson(await api.blocks.block.mutate({ userId: person.id })));
}

export async function unblockPerson(userId: string): Promise<void> {
  await api.blocks.unblock.mutate({ userId });
  list.update(without(userId));
}
