import type { Profile } from '@chat/api';
import { createSignal, Show } from 'solid-js';
import { AddContactForm } from '../components/contacts/add-contact-form';
import { ContactList } from '../components/contacts/contact-list';
import { RequestLists } from '../components/contacts/request-lists';
import { PaneHeader } from '../components/pane';
import { ProfilePanel } from '../components/profile-panel';
import { usePageTitle } from '../lib/title';
import { addressBook } from '../stores/contacts';

/** `/contacts`: add people, answer requests, and the address book itself; all of it live. */
export default function ContactsPage() {
  usePageTitle(() => 'Contacts');
  const [infoFor, setInfoFor] = createSignal<string | null>(null);
  // The panel shows the list's current copy, so a profile change shows there too.
  const shown = (): Profile | undefined => addressBook().contacts.find((c) => c.id === infoFor());
  return (
    <>
      <PaneHeader title="Contacts" subtitle="Your address book" />
      <div class="pane-main">
        <div class="pane-body">
          <div class="stack">
            <AddContactForm />
            <RequestLists />
            <ContactList onInfo={(person) => setInfoFor(person.id)} />
          </div>
        </div>
        <Show when={shown()}>{(person) => <ProfilePanel profile={person()} onClose={() => setInfoFor(null)} />}</Show>
      </div>
    </>
  );
}
