import type { Profile } from '@chat/api';
import { createEffect, createSignal, on, onCleanup, type ParentProps, Show } from 'solid-js';
import { lastSeenText } from '../lib/time';
import { api } from '../lib/trpc';
import { onEvents } from '../stores/events';
import { presenceOf } from '../stores/presence';
import { Avatar } from './avatar';
import { statusLabel } from './presence';
import { SidePanel, type SidePanelProps } from './side-panel';

/**
 * Someone's profile: display name, @username, about line and last seen (or online now).
 * Shows what the page already knows at once, then the server's fresh copy;
 * follows `profile.updated` while open. What one can do about them (message,
 * add to contacts) comes as children.
 */
export function ProfilePanel(
  props: ParentProps<{ profile: Profile } & Pick<SidePanelProps, 'onClose' | 'back' | 'takeFocus'>>,
) {
  const [fresh, setFresh] = createSignal<Profile | null>(null);
  const profile = () => fresh() ?? props.profile;
  // Presence is fresher than the profile's copy, which says when they were last *offline*.
  const lastSeen = () => {
    const state = presenceOf(profile().id);
    if (state?.online)
      return state.status === 'available' ? 'Online now' : `Online, ${statusLabel(state).toLowerCase()}`;
    return lastSeenText(state?.lastSeenAt ?? profile().lastSeenAt);
  };

  createEffect(
    on(
      () => props.profile.username,
      (username) => {
        setFresh(null);
        api.profiles.get
          .query({ username })
          .then((p) => {
            if (p.username === props.profile.username) setFresh(p);
          })
          // Not visible any more (removed contact): what the page knows is still right to show.
          .catch(() => {});
      },
    ),
  );
  onCleanup(
    onEvents({
      'profile.updated': (e) => {
        if (e.payload.profile.id === props.profile.id) setFresh(e.payload.profile);
      },
    }),
  );

  return (
    <SidePanel title="Profile" onClose={props.onClose} back={props.back} takeFocus={props.takeFocus}>
      <div class="profile-card" data-testid="profile-panel">
        <Avatar name={profile().displayName} size="large" />
        <h3 class="profile-name">{profile().displayName}</h3>
        <p class="muted">@{profile().username}</p>
        <dl class="profile-facts">
          <dt>About</dt>
          <dd>
            <Show when={profile().about} fallback={<span class="muted">Nothing here yet.</span>}>
              {profile().about}
            </Show>
          </dd>
          <dt>Last seen</dt>
          <dd>{lastSeen()}</dd>
        </dl>
      </div>
      {props.children}
    </SidePanel>
  );
}
