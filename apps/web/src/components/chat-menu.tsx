/**
 * The "More" menu in a one-to-one chat's header: the person's profile, and
 * "Block" (with its confirmation) or "Unblock" (docs/blocking.md).
 */
import type { Profile } from '@chat/api';
import { createSignal, Show } from 'solid-js';
import { errorMessage } from '../lib/form-errors';
import { createPopupMenu } from '../lib/popup-menu';
import { isBlocked, unblockPerson } from '../stores/blocks';
import { BlockDialog } from './block-button';
import { Icon } from './icons';

export function ChatMenu(props: { person: Profile; onProfile(): void }) {
  const { open, setOpen, close, setRoot, setButton, focusButton } = createPopupMenu();
  const [asking, setAsking] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const unblock = () => {
    close();
    setError(null);
    unblockPerson(props.person.id).catch((failure: unknown) => setError(errorMessage(failure)));
  };

  return (
    <div class="chat-menu" ref={setRoot}>
      <button
        ref={setButton}
        type="button"
        class="icon-button"
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={open()}
        aria-controls="chat-menu-list"
        onClick={() => setOpen(!open())}
      >
        <Icon name="more" size={20} />
      </button>
      <Show when={open()}>
        <div class="menu" id="chat-menu-list" role="menu" aria-label="Chat">
          <button
            type="button"
            role="menuitem"
            class="menu-item"
            onClick={() => {
              close();
              props.onProfile();
            }}
          >
            View profile
          </button>
          <Show
            when={isBlocked(props.person.id)}
            fallback={
              <button
                type="button"
                role="menuitem"
                class="menu-item danger"
                onClick={() => {
                  close();
                  focusButton(); // where the dialog gives the focus back
                  setAsking(true);
                }}
              >
                Block {props.person.displayName}
              </button>
            }
          >
            <button type="button" role="menuitem" class="menu-item" onClick={unblock}>
              Unblock {props.person.displayName}
            </button>
          </Show>
        </div>
      </Show>
      <Show when={error()}>
        <span class="visually-hidden" role="alert">
          {error()}
        </span>
      </Show>
      <Show when={asking()}>
        <BlockDialog person={props.person} onClose={() => setAsking(false)} />
      </Show>
    </div>
  );
}
