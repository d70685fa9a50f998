import { A } from '@solidjs/router';
import { createSignal, onCleanup, Show } from 'solid-js';
import { currentUser, logout } from '../stores/session';
import { Avatar } from './avatar';
import { showShortcuts } from './keyboard/keyboard-shortcuts';

/** The signed-in user at the top of the chat list, with a menu holding "Sign out". */
export function UserMenu() {
  const [open, setOpen] = createSignal(false);
  const [signingOut, setSigningOut] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let root: HTMLDivElement | undefined;
  let button: HTMLButtonElement | undefined;

  const close = () => setOpen(false);
  const onDocumentClick = (event: MouseEvent) => {
    if (open() && root && event.target instanceof Node && !root.contains(event.target)) close();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open()) {
      close();
      button?.focus();
    }
  };
  document.addEventListener('click', onDocumentClick);
  document.addEventListener('keydown', onKeyDown);
  onCleanup(() => {
    document.removeEventListener('click', onDocumentClick);
    document.removeEventListener('keydown', onKeyDown);
  });

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
        <div class="user-menu" ref={root}>
          <button
            ref={button}
            type="button"
            class="user-menu-button"
            data-testid="user-menu"
            aria-haspopup="menu"
            aria-expanded={open()}
            aria-controls="user-menu-list"
            onClick={() => setOpen(!open())}
          >
            <Avatar name={user().displayName} />
            <span class="user-names">
              <span class="display-name">{user().displayName}</span>
              <span class="username">@{user().username}</span>
            </span>
            <span class="chevron" aria-hidden="true">
              ▾
            </span>
          </button>
          <Show when={open()}>
            <div class="menu" id="user-menu-list" role="menu" aria-label="Account">
              <A href="/settings" role="menuitem" class="menu-item" onClick={close}>
                Settings
              </A>
              <button
                type="button"
                role="menuitem"
                class="menu-item"
                onClick={() => {
                  close();
                  button?.focus(); // where the dialog gives the focus back
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
