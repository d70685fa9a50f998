import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { type FormErrors, noErrors, toFormErrors } from '../lib/form-errors';
import { createGroup } from '../stores/chats';
import { addressBook } from '../stores/contacts';
import { Dialog } from './dialog';
import { createSelection, MemberPicker } from './member-picker';
import { TextField } from './text-field';

const FIELDS = ['name', 'userIds'] as const;
type Field = (typeof FIELDS)[number];

/** Names a new group and picks its first members from the user's contacts; opens it when created. */
export function NewGroupDialog(props: { onClose(): void }) {
  const navigate = useNavigate();
  const [name, setName] = createSignal('');
  const selection = createSelection();
  const [errors, setErrors] = createSignal<FormErrors<Field>>(noErrors());
  const [pending, setPending] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    setPending(true);
    setErrors(noErrors<Field>());
    try {
      const chat = await createGroup(name(), [...selection.selected()]);
      props.onClose();
      navigate(`/groups/${chat.id}`);
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS));
      setPending(false);
    }
  };

  return (
    <Dialog title="New group" onClose={props.onClose}>
      <form class="form" onSubmit={submit} noValidate>
        <TextField
          name="groupName"
          label="Group name"
          autocomplete="off"
          autofocus
          value={name()}
          onInput={setName}
          error={errors().fields.name}
        />
        <MemberPicker
          people={addressBook().contacts}
          selected={selection.selected()}
          onToggle={selection.toggle}
          emptyText="You have no contacts yet. You can create the group now and add people once they are your contacts."
        />
        <Show when={errors().fields.userIds ?? errors().form}>
          {(message) => (
            <p class="form-error" role="alert">
              {message()}
            </p>
          )}
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={pending()}>
            {pending() ? 'Creating…' : 'Create group'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
