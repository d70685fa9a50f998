import type { Profile } from '@chat/api';
import { createSignal, For, type JSX, Show } from 'solid-js';
import { errorMessage } from '../../lib/form-errors';
import { acceptRequest, addressBook, cancelRequest, declineRequest } from '../../stores/contacts';
import { BlockButton } from '../block-button';
import { PersonRow } from './person-row';

/** Requests waiting for the user's answer, then the user's own requests waiting for others. */
export function RequestLists() {
  return (
    <>
      <Show when={addressBook().incoming.length > 0}>
        <section class="card" aria-labelledby="incoming-title">
          <h2 id="incoming-title" class="card-title">
            Contact requests <span class="count">{addressBook().incoming.length}</span>
          </h2>
          <ul class="people requests" aria-label="Contact requests">
            <For each={addressBook().incoming}>
              {(request) => (
                <RequestRow
                  person={request.from}
                  actions={(act) => (
                    <>
                      <button
                        type="button"
                        class="button small primary"
                        aria-label={`Accept request from ${request.from.displayName}`}
                        onClick={() => act(() => acceptRequest(request.from.id))}
                      >
                        Accept
                      </button>
                      <button
                        type="button"
                        class="button small"
                        aria-label={`Decline request from ${request.from.displayName}`}
                        onClick={() => act(() => declineRequest(request.from.id))}
                      >
                        Decline
                      </button>
                      <BlockButton person={request.from} class="button small quiet-danger" named />
                    </>
                  )}
                />
              )}
            </For>
          </ul>
        </section>
      </Show>
      <Show when={addressBook().outgoing.length > 0}>
        <section class="card" aria-labelledby="outgoing-title">
          <h2 id="outgoing-title" class="card-title">
            Sent requests <span class="count">{addressBook().outgoing.length}</span>
          </h2>
          <ul class="people" aria-label="Sent requests">
            <For each={addressBook().outgoing}>
              {(request) => (
                <RequestRow
                  person={request.to}
                  note="Waiting for an answer"
                  actions={(act) => (
                    <button
                      type="button"
                      class="button small"
                      aria-label={`Cancel request to ${request.to.displayName}`}
                      onClick={() => act(() => cancelRequest(request.to.id))}
                    >
                      Cancel
                    </button>
                  )}
                />
              )}
            </For>
          </ul>
        </section>
      </Show>
    </>
  );
}

type Act = (action: () => Promise<void>) => void;

/** A person with buttons; runs one action at a time and shows its error in the row. */
function RequestRow(props: { person: Profile; note?: string; actions: (act: Act) => JSX.Element }) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const act: Act = (action) => {
    if (pending()) return;
    setPending(true);
    setError(null);
    action()
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setPending(false));
  };
  return (
    <PersonRow person={props.person} note={props.note} error={error()} busy={pending()}>
      {props.actions(act)}
    </PersonRow>
  );
}
