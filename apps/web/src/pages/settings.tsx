import { Show } from 'solid-js';
import { Avatar } from '../components/avatar';
import { PaneHeader } from '../components/pane';
import { ProfileForm } from '../components/profile-form';
import { usePageTitle } from '../lib/title';
import { currentUser } from '../stores/session';

export default function SettingsPage() {
  usePageTitle(() => 'Settings');
  return (
    <>
      <PaneHeader title="Settings" subtitle="Your account" />
      <div class="pane-body">
        <Show when={currentUser()}>
          {(user) => (
            <div class="stack">
              <section class="card" aria-labelledby="profile-title">
                <h2 id="profile-title" class="card-title">
                  Profile
                </h2>
                <div class="profile">
                  <Avatar name={user().displayName} size="large" />
                  <dl>
                    <dt>Display name</dt>
                    <dd>{user().displayName}</dd>
                    <dt>Username</dt>
                    <dd>@{user().username}</dd>
                  </dl>
                </div>
                <ProfileForm />
              </section>
              <p class="muted">Changing your password, and your sessions, come in a later release.</p>
            </div>
          )}
        </Show>
      </div>
    </>
  );
}
