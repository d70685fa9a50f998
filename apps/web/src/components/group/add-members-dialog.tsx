import type { Profile } from '@chat/api';
import { createSignal, Show } from 'solid-js';
import { errorMessage } from '../../lib/form-errors';
import { addressBook } from '../../stores/contacts';
import { Dialog } from '../dialog';
import { createSelection, MemberPicker } from '../member-picker';

/** The owner picks contacts who are not in the group yet. */
export function AddMembersDialog(props: {
  members: Profile[];
  onAdd(userIds: string[]): Promise<void>;
  onClose(): void;
}) {
  const selection = createSelection();
  const [error, setError] = createSignal<string | null>(null);
  const [pending, setPending] = createSignal(false);
  const candidates = () => addressBook().contacts.filter((c) => !props.members.some((m) => m.id === c.id));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    setPending(true);
    setError(null);
    try {
      await props.onAdd([...selection.selected()]);
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setPending(false);
    }
  };

  return (
    <Dialog title="Add members" onClose={props.onClose}>
      <form class="form" onSubmit={submit} noValidate>
        <MemberPicker
          people={candidates()}
          selected={selection.selected()}
          onToggle={selection.toggle}
          emptyText="Everyone in your contacts is already in this group. Add contacts first to bring in more people."
        />
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={pending() || selection.selected().size === 0}>
            {pending() ? 'Adding…' : 'Add to group'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
