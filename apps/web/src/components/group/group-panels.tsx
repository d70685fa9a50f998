import { Match, Show, Switch } from 'solid-js';
import type { OpenGroup } from '../../stores/group';
import { SeenByPanel } from '../messages/seen-by-panel';
import { PersonActions } from '../person-actions';
import { ProfilePanel } from '../profile-panel';
import { GroupInfoPanel } from './group-info-panel';

/** What the group page shows on its right: its info, a member's profile, or who has seen a message. */
export type GroupPanel =
  | { kind: 'info' }
  | { kind: 'profile'; userId: string; back: GroupPanel | null }
  | { kind: 'seen'; messageId: string };

const BACK_LABEL: Record<GroupPanel['kind'], string> = {
  info: 'Back to group info',
  seen: 'Back to seen by',
  profile: 'Back',
};

/**
 * The open panel of a group page. A profile opened from the member list or
 * from "Seen by" has a way back there; one opened from a message closes.
 */
export function GroupPanels(props: {
  group: OpenGroup;
  panel: GroupPanel | null;
  onShow(panel: GroupPanel | null): void;
}) {
  const details = () => props.group.details.value();
  const member = (userId: string) => details()?.members.find((m) => m.id === userId);
  const openProfile = (userId: string, back: GroupPanel | null) => props.onShow({ kind: 'profile', userId, back });
  const seen = () => (props.panel?.kind === 'seen' ? props.panel : null);
  const profile = () => (props.panel?.kind === 'profile' ? props.panel : null);
  const close = () => props.onShow(null);
  return (
    <Switch>
      <Match when={props.panel?.kind === 'info'}>
        <GroupInfoPanel
          group={props.group}
          onClose={close}
          onOpenProfile={(m) => openProfile(m.id, { kind: 'info' })}
        />
      </Match>
      <Match when={seen()} keyed>
        {(open) => (
          <Show when={details()}>
            {(d) => (
              <SeenByPanel
                chatId={d().chat.id}
                messageId={open.messageId}
                onClose={close}
                onOpenProfile={(userId) => openProfile(userId, open)}
              />
            )}
          </Show>
        )}
      </Match>
      <Match when={profile()} keyed>
        {(open) => (
          <Show when={member(open.userId)}>
            {(person) => (
              <ProfilePanel
                profile={person()}
                takeFocus
                onClose={close}
                back={
                  open.back ? { label: BACK_LABEL[open.back.kind], onBack: () => props.onShow(open.back) } : undefined
                }
              >
                <PersonActions person={person()} />
              </ProfilePanel>
            )}
          </Show>
        )}
      </Match>
    </Switch>
  );
}
