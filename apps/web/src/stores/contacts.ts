/**
 * The address book: contacts, requests received and requests sent. Loaded
 * for the signed-in user and kept current by `contact.*` and
 * `profile.updated` events, so both sides see every change without a reload.
 */
import type { PendingRequests, Profile } from '@chat/api';
import { type Change, createSynced } from '../lib/synced';
import { api } from '../lib/trpc';
import { onEvents } from './events';
import { keepStoreInSync } from './sync';

export interface AddressBook extends PendingRequests {
  contacts: Profile[];
}

const EMPTY: AddressBook = { contacts: [], incoming: [], outgoing: [] };

async function loadAddressBook(): Promise<AddressBook> {
  const [contacts, requests] = await Promise.all([api.contacts.list.query(), api.contacts.requests.query()]);
  return { contacts, ...requests };
}

const book = createSynced<AddressBook>(EMPTY, loadAddressBook);
keepStoreInSync(book);

export const addressBook = book.value;
export const addressBookStatus = book.status;
export const reloadAddressBook = book.reload;

const byName = (a: Profile, b: Profile) =>
  a.displayName.localeCompare(b.displayName) || a.username.localeCompare(b.username);

// --- Changes (each idempotent) ----------------------------------------------

const withoutRequests =
  (userId: string): Change<AddressBook> =>
  (b) => ({
    ...b,
    incoming: b.incoming.filter((r) => r.from.id !== userId),
    outgoing: b.outgoing.filter((r) => r.to.id !== userId),
  });

const withContact =
  (contact: Profile): Change<AddressBook> =>
  (b) => ({
    ...withoutRequests(contact.id)(b),
    contacts: [...b.contacts.filter((c) => c.id !== contact.id), contact].sort(byName),
  });

const withoutContact =
  (userId: string): Change<AddressBook> =>
  (b) => ({ ...b, contacts: b.contacts.filter((c) => c.id !== userId) });

const withIncoming =
  (from: Profile, at: Date): Change<AddressBook> =>
  (b) => ({ ...b, incoming: [...b.incoming.filter((r) => r.from.id !== from.id), { from, at }] });

const withOutgoing =
  (to: Profile, at: Date): Change<AddressBook> =>
  (b) => ({ ...b, outgoing: [...b.outgoing.filter((r) => r.to.id !== to.id), { to, at }] });

const withProfile =
  (p: Profile): Change<AddressBook> =>
  (b) => ({
    contacts: b.contacts.map((c) => (c.id === p.id ? p : c)).sort(byName),
    incoming: b.incoming.map((r) => (r.from.id === p.id ? { ...r, from: p } : r)),
    outgoing: b.outgoing.map((r) => (r.to.id === p.id ? { ...r, to: p } : r)),
  });

onEvents({
  'contact.request_received': (e) => book.update(withIncoming(e.payload.from, e.at)),
  'contact.request_sent': (e) => book.update(withOutgoing(e.payload.to, e.at)),
  'contact.request_closed': (e) => book.update(withoutRequests(e.payload.userId)),
  'contact.added': (e) => book.update(withContact(e.payload.contact)),
  'contact.removed': (e) => book.update(withoutContact(e.payload.userId)),
  'profile.updated': (e) => book.update(withProfile(e.payload.profile)),
});

// --- Actions: the server's answer is applied at once (its event follows) ------

/** Asks `username` to become a contact; if they had asked first, they are a contact now. */
export async function requestContact(username: string): Promise<'requested' | 'accepted'> {
  const outcome = await api.contacts.request.mutate({ username });
  if (outcome.status === 'accepted') book.update(withContact(outcome.contact));
  else book.update(withOutgoing(outcome.to, new Date()));
  return outcome.status;
}

export async function acceptRequest(userId: string): Promise<void> {
  book.update(withContact(await api.contacts.accept.mutate({ userId })));
}

export async function declineRequest(userId: string): Promise<void> {
  await api.contacts.decline.mutate({ userId });
  book.update(withoutRequests(userId));
}

export async function cancelRequest(userId: string): Promise<void> {
  await api.contacts.cancel.mutate({ userId });
  book.update(withoutRequests(userId));
}

export async function removeContact(userId: string): Promise<void> {
  await api.contacts.remove.mutate({ userId });
  book.update(withoutContact(userId));
}

/** A contact by id, if they are one. */
export function findContact(userId: string): Profile | undefined {
  return addressBook().contacts.find((c) => c.id === userId);
}
