import type { ChatDetails, Profile } from '@chat/api';
import { createSignal, For, Show } from 'solid-js';
import { currentUser } from '../../stores/session';
import { ConfirmDialog } from '../confirm-dialog';
import { PersonRow } from '../contacts/person-row';
import { AddMembersDialog } from './add-members-dialog';

export interface GroupMembersProps {
  details: ChatDetails;
  isOwner: boolean;
  onAdd(userIds: string[]): Promise<void>;
  onRemove(userId: string): Promise<void>;
}

/** Who is in the group, the owner marked; the owner can add and remove people. */
export function GroupMembers(props: GroupMembersProps) {
  const [adding, setAdding] = createSignal(false);
  const [removing, setRemoving] = createSignal<Profile | null>(null);
  const me = () => currentUser()?.id;
  const tags = (member: Profile) =>
    [member.id === props.details.chat.ownerId ? 'Owner' : '', member.id === me() ? 'You' : ''].filter(Boolean);

  return (
    <section class="panel-section" aria-labelledby="group-members-title">
      <div class="panel-section-head">
        <h3 id="group-members-title">
          Members <span class="count">{props.details.members.length}</span>
        </h3>
        <Show when={props.isOwner}>
          <button type="button" class="button small" onClick={() => setAdding(true)}>
            Add members
          </button>
        </Show>
      </div>
      <ul class="people compact" aria-label="Members">
        <For each={props.details.members}>
          {(member) => (
            <PersonRow person={member} tags={tags(member)}>
              <Show when={props.isOwner && member.id !== me()}>
                <button
                  type="button"
                  class="button small quiet-danger"
                  aria-label={`Remove ${member.displayName} from the group`}
                  onClick={() => setRemoving(member)}
                >
                  Remove
                </button>
              </Show>
            </PersonRow>
          )}
        </For>
      </ul>
      <Show when={adding()}>
        <AddMembersDialog members={props.details.members} onAdd={props.onAdd} onClose={() => setAdding(false)} />
      </Show>
      <Show when={removing()}>
        {(member) => (
          <ConfirmDialog
            title="Remove member"
            message={
              <p>
                Remove <strong>{member().displayName}</strong> from <strong>{props.details.chat.name}</strong>? They
                will no longer see the group or its messages.
              </p>
            }
            confirmLabel="Remove"
            danger
            onConfirm={() => props.onRemove(member().id)}
            onClose={() => setRemoving(null)}
          />
        )}
      </Show>
    </section>
  );
}
