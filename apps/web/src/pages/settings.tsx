import { Show } from 'solid-js';
import { Avatar } from '../components/avatar';
import { PaneHeader } from '../components/pane';
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
            <section class="card">
              <div class="profile">
                <Avatar name={user().displayName} size="large" />
                <dl>
                  <dt>Display name</dt>
                  <dd>{user().displayName}</dd>
                  <dt>Username</dt>
                  <dd>@{user().username}</dd>
                </dl>
              </div>
              <p class="muted">Changing your display name and password, and your sessions, come in a later release.</p>
            </section>
          )}
        </Show>
      </div>
    </>
  );
}
