import { createSignal, Show } from 'solid-js';
import { errorMessage } from '../../lib/form-errors';
import { addressBook, requestContact } from '../../stores/contacts';
import { TextField } from '../text-field';

/** "Add a contact": asks someone by username; the server's answer shows under the field. */
export function AddContactForm() {
  const [username, setUsername] = createSignal('');
  const [error, setError] = createSignal<string | undefined>();
  const [done, setDone] = createSignal<{ username: string; accepted: boolean } | null>(null);
  /** "Request sent" holds while the request is pending: declined or cancelled, it goes (issue 24). */
  const doneText = () => {
    const d = done();
    if (!d) return null;
    if (d.accepted) return `@${d.username} had already asked you: you are now contacts.`;
    const pending = addressBook().outgoing.some((r) => r.to.username.toLowerCase() === d.username.toLowerCase());
    return pending ? `Request sent to @${d.username}. They will appear in your contacts once they accept.` : null;
  };
  const [pending, setPending] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    const name = username().trim().replace(/^@/, '');
    setPending(true);
    setError(undefined);
    setDone(null);
    try {
      const outcome = await requestContact(name);
      setDone({ username: name, accepted: outcome === 'accepted' });
      setUsername('');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <section class="card" aria-labelledby="add-contact-title">
      <h2 id="add-contact-title" class="card-title">
        Add a contact
      </h2>
      <form class="inline-form" onSubmit={submit} noValidate>
        <TextField
          name="contactUsername"
          label="Username"
          autocomplete="off"
          hint="Ask someone to join your contacts; they accept or decline."
          value={username()}
          onInput={(value) => {
            setUsername(value);
            setError(undefined);
          }}
          error={error()}
        />
        <button type="submit" class="button primary" disabled={pending() || !username().trim()}>
          {pending() ? 'Sending…' : 'Send request'}
        </button>
      </form>
      <Show when={doneText()}>
        {(text) => (
          <p class="form-ok" role="status">
            {text()}
          </p>
        )}
      </Show>
    </section>
  );
}
