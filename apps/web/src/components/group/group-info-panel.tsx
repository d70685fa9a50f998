import type { Profile } from '@chat/api';
import { useNavigate } from '@solidjs/router';
import { createSignal, Match, Show, Switch } from 'solid-js';
import type { OpenGroup } from '../../stores/group';
import { currentUser } from '../../stores/session';
import { ConfirmDialog } from '../confirm-dialog';
import { SidePanel } from '../side-panel';
import { GroupMembers } from './group-members';
import { RenameGroupForm } from './rename-group-form';

/** The group's details: its name (the owner renames), members, and leaving or deleting it. */
export function GroupInfoPanel(props: { group: OpenGroup; onClose(): void; onOpenProfile(member: Profile): void }) {
  const navigate = useNavigate();
  const [confirming, setConfirming] = createSignal<'leave' | 'delete' | null>(null);
  const details = () => props.group.details.value();
  const isOwner = () => details()?.chat.ownerId === currentUser()?.id;
  const alone = () => details()?.members.length === 1;
  /** Who becomes the owner if the owner leaves: the longest-standing other member (as the server chooses). */
  const heir = () =>
    details()
      ?.members.filter((m) => m.id !== currentUser()?.id)
      .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];

  return (
    <SidePanel title="Group info" onClose={props.onClose}>
      <Show when={details()}>
        {(d) => (
          <>
            <section class="panel-section">
              <Show when={isOwner()} fallback={<p class="panel-group-name">{d().chat.name}</p>}>
                <RenameGroupForm name={d().chat.name ?? ''} onRename={props.group.rename} />
              </Show>
            </section>
            <GroupMembers
              details={d()}
              isOwner={isOwner()}
              onAdd={props.group.addMembers}
              onRemove={props.group.removeMember}
              onMakeOwner={props.group.passOwnership}
              onOpenProfile={props.onOpenProfile}
            />
            <section class="panel-section panel-actions">
              <button type="button" class="button quiet-danger" onClick={() => setConfirming('leave')}>
                Leave group
              </button>
              <Show when={isOwner()}>
                <button type="button" class="button danger" onClick={() => setConfirming('delete')}>
                  Delete group
                </button>
              </Show>
            </section>
            <Switch>
              <Match when={confirming() === 'leave'}>
                <ConfirmDialog
                  title="Leave group"
                  message={
                    <p>
                      Leave <strong>{d().chat.name}</strong>? You will no longer see it or its messages.
                      <Show when={isOwner() && !alone() && heir()}>
                        {(next) => (
                          <>
                            {' '}
                            You own it: <strong>{next().displayName}</strong>, its longest-standing member, becomes the
                            owner. To choose someone else, use <em>Make owner</em> in the member list first.
                          </>
                        )}
                      </Show>
                      <Show when={alone()}> You are its only member, so the group will be deleted.</Show>
                    </p>
                  }
                  confirmLabel="Leave"
                  danger
                  onConfirm={async () => {
                    await props.group.leave();
                    navigate('/', { replace: true });
                  }}
                  onClose={() => setConfirming(null)}
                />
              </Match>
              <Match when={confirming() === 'delete'}>
                <ConfirmDialog
                  title="Delete group"
                  message={
                    <p>
                      Delete <strong>{d().chat.name}</strong> for all {d().members.length} members, with all its
                      messages? This cannot be undone.
                    </p>
                  }
                  confirmLabel="Delete"
                  danger
                  onConfirm={async () => {
                    await props.group.remove();
                    navigate('/', { replace: true });
                  }}
                  onClose={() => setConfirming(null)}
                />
              </Match>
            </Switch>
          </>
        )}
      </Show>
    </SidePanel>
  );
}
