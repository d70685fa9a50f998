import { createSignal, Show } from 'solid-js';
import { type FormErrors, noErrors, toFormErrors } from '../../lib/form-errors';
import { api } from '../../lib/trpc';
import { TextField } from '../text-field';

const FIELDS = ['current', 'next', 'repeat'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Changes the password: the current one, the new one twice. The server signs
 * out every other session; this one stays signed in.
 */
export function PasswordForm(props: { onChanged?: () => void }) {
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [errors, setErrors] = createSignal<FormErrors<Field>>(noErrors());
  const [pending, setPending] = createSignal(false);
  const [done, setDone] = createSignal<string | null>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    setDone(null);
    if (next() !== repeat()) {
      setErrors({ fields: { repeat: 'The two new passwords do not match.' }, form: null });
      return;
    }
    setPending(true);
    setErrors(noErrors<Field>());
    try {
      const { endedSessions } = await api.account.changePassword.mutate({ current: current(), next: next() });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(
        endedSessions === 0
          ? 'Password changed.'
          : `Password changed. ${endedSessions} other session${endedSessions === 1 ? ' was' : 's were'} signed out.`,
      );
      props.onChanged?.();
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS));
    } finally {
      setPending(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate aria-label="Change password">
      <TextField
        name="current"
        label="Current password"
        type="password"
        autocomplete="current-password"
        value={current()}
        onInput={setCurrent}
        error={errors().fields.current}
      />
      <TextField
        name="next"
        label="New password"
        type="password"
        autocomplete="new-password"
        hint="At least 8 characters. Every other session is signed out."
        value={next()}
        onInput={setNext}
        error={errors().fields.next}
      />
      <TextField
        name="repeat"
        label="New password again"
        type="password"
        autocomplete="new-password"
        value={repeat()}
        onInput={setRepeat}
        error={errors().fields.repeat}
      />
      <Show when={errors().form}>
        {(message) => (
          <p class="form-error" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <div class="form-row">
        <button type="submit" class="button primary" disabled={pending() || !current() || !next()}>
          {pending() ? 'Changing…' : 'Change password'}
        </button>
        <Show when={done()}>
          {(message) => (
            <span class="form-ok-inline" role="status">
              {message()}
            </span>
          )}
        </Show>
      </div>
    </form>
  );
}
