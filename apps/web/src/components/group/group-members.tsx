import type { ChatDetails, Profile } from '@chat/api';
import { createMemo, createSignal, For, onMount, Show } from 'solid-js';
import { filterMembers, MEMBER_FILTER_FROM, memberCountText, sortMembers } from '../../lib/member-order';
import { presenceOf, refreshPresence } from '../../stores/presence';
import { currentUser } from '../../stores/session';
import { ConfirmDialog } from '../confirm-dialog';
import { PersonRow } from '../contacts/person-row';
import { AddMembersDialog } from './add-members-dialog';

export interface GroupMembersProps {
  details: ChatDetails;
  isOwner: boolean;
  onAdd(userIds: string[]): Promise<void>;
  onRemove(userId: string): Promise<void>;
  onMakeOwner(userId: string): Promise<void>;
  onOpenProfile(member: Profile): void;
}

/**
 * Who is in the group: the owner first, then who is online, then by name,
 * with a filter box once there are more than a handful. Each opens its
 * profile; the owner can add and remove people, and make another member the
 * owner. Everything comes from the
 * group's members and the presence states already loaded: no request per row.
 */
export function GroupMembers(props: GroupMembersProps) {
  const [adding, setAdding] = createSignal(false);
  const [removing, setRemoving] = createSignal<Profile | null>(null);
  const [crowning, setCrowning] = createSignal<Profile | null>(null);
  const [query, setQuery] = createSignal('');
  const me = () => currentUser()?.id;
  const tags = (member: Profile) =>
    [member.id === props.details.chat.ownerId ? 'Owner' : '', member.id === me() ? 'You' : ''].filter(Boolean);
  const total = () => props.details.members.length;
  const sorted = createMemo(() =>
    sortMembers(props.details.members, props.details.chat.ownerId, (id) => presenceOf(id)?.online ?? false),
  );
  const shown = createMemo(() => filterMembers(sorted(), query()));
  // Group members' comings and goings are not pushed (access/profiles.ts): read them now, once.
  onMount(refreshPresence);

  return (
    <section class="panel-section" aria-labelledby="group-members-title">
      <div class="panel-section-head">
        <h3 id="group-members-title" data-testid="member-count">
          {memberCountText(shown().length, total())}
        </h3>
        <Show when={props.isOwner}>
          <button type="button" class="button small" onClick={() => setAdding(true)}>
            Add members
          </button>
        </Show>
      </div>
      <Show when={total() > MEMBER_FILTER_FROM}>
        <input
          type="search"
          class="picker-search"
          placeholder="Find a member"
          aria-label="Find a member"
          autocomplete="off"
          value={query()}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </Show>
      <ul class="people compact" aria-label="Members">
        <For each={shown()}>
          {(member) => (
            <PersonRow person={member} tags={tags(member)} presence onOpen={() => props.onOpenProfile(member)}>
              <Show when={props.isOwner && member.id !== me()}>
                <button
                  type="button"
                  class="button small"
                  aria-label={`Make owner: ${member.displayName}`}
                  onClick={() => setCrowning(member)}
                >
                  Make owner
                </button>
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
      <Show when={query() && shown().length === 0}>
        <p class="muted">No member matches “{query().trim()}”.</p>
      </Show>
      <Show when={adding()}>
        <AddMembersDialog members={props.details.members} onAdd={props.onAdd} onClose={() => setAdding(false)} />
      </Show>
      <Show when={crowning()}>
        {(member) => (
          <ConfirmDialog
            title="Make owner"
            message={
              <p>
                Make <strong>{member().displayName}</strong> the owner of <strong>{props.details.chat.name}</strong>?
                They will rename it, add and remove members, and can delete it; you stay a member, and can no longer do
                those things.
              </p>
            }
            confirmLabel="Make owner"
            onConfirm={() => props.onMakeOwner(member().id)}
            onClose={() => setCrowning(null)}
          />
        )}
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
