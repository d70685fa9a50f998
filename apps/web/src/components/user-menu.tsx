import type { UserStatus } from '@chat/api';
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { createPopupMenu } from '../lib/popup-menu';
import { presenceOf } from '../stores/presence';
import { currentUser, logout } from '../stores/session';
import { chooseStatus, myStatus } from '../stores/status';
import { Avatar } from './avatar';
import { showShortcuts } from './keyboard/keyboard-shortcuts';
import { StatusDot, statusLabel } from './presence';

const STATUS_CHOICES: { status: UserStatus; label: string; hint: string }[] = [
  { status: 'available', label: 'Available', hint: 'Away by itself after a while without input' },
  { status: 'away', label: 'Away', hint: 'Until you change it' },
  { status: 'dnd', label: 'Do not disturb', hint: 'No notifications or sounds' },
];

/**
 * The signed-in user at the top of the chat list, with their status, and a
 * menu to change it (Available, Away, Do not disturb), Settings and "Sign out".
 */
export function UserMenu() {
  const { open, setOpen, close, setRoot, setButton, focusButton } = createPopupMenu();
  const [signingOut, setSigningOut] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  // What others see: our own presence item when one came (idle makes Available show as Away), else the chosen status.
  const shown = () => {
    const id = currentUser()?.id;
    const state = id ? presenceOf(id) : undefined;
    return state?.online ? state : { online: true, status: myStatus() };
  };
  const choose = async (status: UserStatus) => {
    setError(null);
    close();
    focusButton();
    try {
      await chooseStatus(status);
    } catch {
      setError('Could not change your status. Check your connection and try again.');
      setOpen(true);
    }
  };

  const signOut = async () => {
    setSigningOut(true);
    setError(null);
    try {
      await logout();
    } catch {
      setError('Could not sign out. Check your connection and try again.');
      setSigningOut(false);
    }
  };

  return (
    <Show when={currentUser()}>
      {(user) => (
        <div class="user-menu" ref={setRoot}>
          <button
            ref={setButton}
            type="button"
            class="user-menu-button"
            data-testid="user-menu"
            aria-haspopup="menu"
            aria-expanded={open()}
            aria-controls="user-menu-list"
            onClick={() => setOpen(!open())}
          >
            <span class="with-presence">
              <Avatar name={user().displayName} />
              <StatusDot state={shown()} />
            </span>
            <span class="user-names">
              <span class="display-name">{user().displayName}</span>
              <span class="username">
                {/* The status first: on a narrow sidebar the username is what gets cut. */}
                <Show when={shown().status !== 'available'}>
                  <span class="my-status" data-testid="my-status">
                    {statusLabel(shown())}
                  </span>
                  {' · '}
                </Show>
                @{user().username}
              </span>
            </span>
            <span class="chevron" aria-hidden="true">
              ▾
            </span>
          </button>
          <Show when={open()}>
            <div class="menu" id="user-menu-list" role="menu" aria-label="Account">
              <fieldset class="menu-group" aria-labelledby="user-menu-status">
                <p class="menu-heading" id="user-menu-status">
                  Status
                </p>
                <For each={STATUS_CHOICES}>
                  {(choice) => (
                    <button
                      type="button"
                      role="menuitemradio"
                      class="menu-item status-choice"
                      aria-checked={myStatus() === choice.status}
                      onClick={() => void choose(choice.status)}
                    >
                      <span class="with-presence status-choice-dot" aria-hidden="true">
                        <StatusDot state={{ online: true, status: choice.status }} />
                      </span>
                      <span class="status-choice-text">
                        <span>{choice.label}</span>
                        <span class="status-choice-hint">{choice.hint}</span>
                      </span>
                      <span class="status-check" aria-hidden="true">
                        {myStatus() === choice.status ? '✓' : ''}
                      </span>
                    </button>
                  )}
                </For>
              </fieldset>
              <hr class="menu-separator" />
              <A href="/settings" role="menuitem" class="menu-item" onClick={close}>
                Settings
              </A>
              <button
                type="button"
                role="menuitem"
                class="menu-item"
                onClick={() => {
                  close();
                  focusButton(); // where the dialog gives the focus back
                  showShortcuts();
                }}
              >
                Keyboard shortcuts
              </button>
              <button
                type="button"
                role="menuitem"
                class="menu-item danger"
                disabled={signingOut()}
                onClick={() => void signOut()}
              >
                {signingOut() ? 'Signing out…' : 'Sign out'}
              </button>
              <Show when={error()}>
                <p class="menu-error" role="alert">
                  {error()}
                </p>
              </Show>
            </div>
          </Show>
        </div>
      )}
    </Show>
  );
}
