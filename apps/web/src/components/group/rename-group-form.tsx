import { createEffect, createSignal, on } from 'solid-js';
import { errorMessage } from '../../lib/form-errors';
import { TextField } from '../text-field';

/** The owner's "rename" form: the current name, editable, saved on submit. */
export function RenameGroupForm(props: { name: string; onRename(name: string): Promise<void> }) {
  const [name, setName] = createSignal(props.name);
  const [error, setError] = createSignal<string | undefined>();
  const [pending, setPending] = createSignal(false);
  // A rename from elsewhere (another tab) shows here unless the owner is typing a new one.
  createEffect(
    on(
      () => props.name,
      (current, previous) => {
        if (name() === previous) setName(current);
      },
    ),
  );

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    setPending(true);
    setError(undefined);
    try {
      await props.onRename(name());
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <TextField
        name="groupRename"
        label="Group name"
        autocomplete="off"
        value={name()}
        onInput={setName}
        error={error()}
      />
      <button type="submit" class="button small" disabled={pending() || name().trim() === props.name}>
        {pending() ? 'Renaming…' : 'Rename'}
      </button>
    </form>
  );
}
