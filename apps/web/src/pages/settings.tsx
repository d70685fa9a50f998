import { createSignal, Show } from 'solid-js';
import { BlockedList } from '../components/account/blocked-list';
import { PasswordForm } from '../components/account/password-form';
import { SessionsList } from '../components/account/sessions-list';
import { ThemeSection } from '../components/account/theme-section';
import { Avatar } from '../components/avatar';
import { NotifySettingsSection } from '../components/notifications/notify-settings-section';
import { PaneHeader } from '../components/pane';
import { ProfileForm } from '../components/profile-form';
import { usePageTitle } from '../lib/title';
import { currentUser } from '../stores/session';

export default function SettingsPage() {
  usePageTitle(() => 'Settings');
  // A password change signs other sessions out: the list reloads.
  const [sessionsVersion, setSessionsVersion] = createSignal(0);
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
              <ThemeSection />
              <NotifySettingsSection />
              <section class="card" aria-labelledby="blocked-title">
                <h2 id="blocked-title" class="card-title">
                  Blocked people
                </h2>
                <p class="muted">
                  They cannot message you, send you contact requests or add you to groups, and are not told.
                </p>
                <BlockedList />
              </section>
              <section class="card" aria-labelledby="password-title">
                <h2 id="password-title" class="card-title">
                  Password
                </h2>
                <PasswordForm onChanged={() => setSessionsVersion((v) => v + 1)} />
              </section>
              <section class="card" aria-labelledby="sessions-title">
                <h2 id="sessions-title" class="card-title">
                  Sessions
                </h2>
                <p class="muted">Where you are signed in. Sign out anything you do not recognise.</p>
                <SessionsList version={sessionsVersion()} />
              </section>
            </div>
          )}
        </Show>
      </div>
    </>
  );
}
