import type { Profile } from '@chat/api';
import { A } from '@solidjs/router';
import { createSignal, Match, Show, Switch } from 'solid-js';
import { errorMessage } from '../lib/form-errors';
import { isBlocked } from '../stores/blocks';
import { acceptRequest, addressBook, addressBookStatus, requestContact } from '../stores/contacts';
import { currentUser } from '../stores/session';
import { BlockButton } from './block-button';

/**
 * What one can do about someone whose profile is open: message a contact, or
 * ask someone else to become one ("Request sent" while the request is out,
 * "Accept request" when they asked first). Follows the address book live, so
 * an answer from the other side shows at once. "Block" sits beside them;
 * someone blocked shows only "Unblock".
 */
export function PersonActions(props: { person: Profile }) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const relation = () => {
    const id = props.person.id;
    const book = addressBook();
    if (id === currentUser()?.id) return 'self';
    if (isBlocked(id)) return 'blocked';
    if (book.contacts.some((c) => c.id === id)) return 'contact';
    if (book.outgoing.some((r) => r.to.id === id)) return 'requested';
    if (book.incoming.some((r) => r.from.id === id)) return 'asked';
    return 'none';
  };
  const run = async (action: () => Promise<unknown>) => {
    if (pending()) return;
    setPending(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <Show when={addressBookStatus() === 'ready' && relation() !== 'self'}>
      <div class="profile-actions">
        <Switch>
          <Match when={relation() === 'blocked'}>
            <p class="muted">You blocked {props.person.displayName}.</p>
          </Match>
          <Match when={relation() === 'contact'}>
            <A href={`/chats/@${props.person.username}`} class="button primary">
              Message
            </A>
          </Match>
          <Match when={relation() === 'requested'}>
            <button type="button" class="button" disabled>
              Request sent
            </button>
          </Match>
          <Match when={relation() === 'asked'}>
            <button
              type="button"
              class="button primary"
              disabled={pending()}
              onClick={() => void run(() => acceptRequest(props.person.id))}
            >
              Accept contact request
            </button>
          </Match>
          <Match when={true}>
            <button
              type="button"
              class="button primary"
              disabled={pending()}
              onClick={() => void run(() => requestContact(props.person.username))}
            >
              {pending() ? 'Sending…' : 'Add to contacts'}
            </button>
          </Match>
        </Switch>
        <BlockButton person={props.person} />
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
      </div>
    </Show>
  );
}
