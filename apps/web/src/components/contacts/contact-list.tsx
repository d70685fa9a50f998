import type { Profile } from '@chat/api';
import { A } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { addressBook, addressBookStatus, reloadAddressBook, removeContact } from '../../stores/contacts';
import { ConfirmDialog } from '../confirm-dialog';
import { EmptyState } from '../pane';
import { PersonRow } from './person-row';

/** The user's contacts, each with Message, Info and Remove. */
export function ContactList(props: { onInfo(person: Profile): void }) {
  const [removing, setRemoving] = createSignal<Profile | null>(null);
  const contacts = () => addressBook().contacts;
  return (
    <section class="card" aria-labelledby="contacts-title">
      <h2 id="contacts-title" class="card-title">
        Contacts <span class="count">{contacts().length}</span>
      </h2>
      <Switch>
        <Match when={contacts().length > 0}>
          <ul class="people" aria-label="Contacts">
            <For each={contacts()}>
              {(person) => (
                <PersonRow person={person}>
                  <A
                    href={`/chats/@${person.username}`}
                    class="button small primary"
                    aria-label={`Message ${person.displayName}`}
                  >
                    Message
                  </A>
                  <button
                    type="button"
                    class="button small"
                    aria-label={`Info about ${person.displayName}`}
                    onClick={() => props.onInfo(person)}
                  >
                    Info
                  </button>
                  <button
                    type="button"
                    class="button small quiet-danger"
                    aria-label={`Remove ${person.displayName}`}
                    onClick={() => setRemoving(person)}
                  >
                    Remove
                  </button>
                </PersonRow>
              )}
            </For>
          </ul>
        </Match>
        <Match when={addressBookStatus() === 'failed'}>
          <div class="list-problem" role="alert">
            <p>Could not load your contacts.</p>
            <button type="button" class="button small" onClick={() => void reloadAddressBook()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={addressBookStatus() === 'ready'}>
          <EmptyState icon="contact" title="No contacts yet" small>
            <p>Add someone by their username above. Once they accept, you can message them.</p>
          </EmptyState>
        </Match>
      </Switch>
      <Show when={removing()}>
        {(person) => (
          <ConfirmDialog
            title="Remove contact"
            message={
              <p>
                Remove <strong>{person().displayName}</strong> (@{person().username}) from your contacts? You will be
                removed from theirs too. Your chat history stays, but neither of you can send new messages until you are
                contacts again.
              </p>
            }
            confirmLabel="Remove"
            danger
            onConfirm={() => removeContact(person().id)}
            onClose={() => setRemoving(null)}
          />
        )}
      </Show>
    </section>
  );
}
