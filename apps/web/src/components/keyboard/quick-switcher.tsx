import { useLocation, useNavigate } from '@solidjs/router';
import { createEffect, createMemo, createSignal, createUniqueId, For, onCleanup, onMount, Show } from 'solid-js';
import { unreadBadge } from '../../lib/chat-summary';
import { detectPlatform, keyCap } from '../../lib/keys';
import { type SwitcherItem, switcherItems } from '../../lib/switcher-items';
import { chatList, chatPath, chatTitle } from '../../stores/chats';
import { addressBook } from '../../stores/contacts';
import { Icon } from '../icons';
import { AvatarWithPresence } from '../presence';

/**
 * Ctrl/⌘+K: a modal dialog to jump to any chat, or to a contact one has no
 * chat with yet (opening `/chats/@name` creates it). The field keeps the
 * focus; ↑/↓ move a selection named by aria-activedescendant (the combobox
 * pattern), Enter opens, Esc closes and gives the focus back.
 */
export function QuickSwitcher(props: { onClose(): void }) {
  const navigate = useNavigate();
  const location = useLocation();
  const ids = { title: createUniqueId(), list: createUniqueId() };
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);
  const items = createMemo(() =>
    switcherItems(
      { chats: chatList(), contacts: addressBook().contacts, titleOf: chatTitle, pathOf: chatPath },
      query(),
    ),
  );
  const optionId = (index: number) => `${ids.list}-${index}`;
  let dialog: HTMLDialogElement | undefined;
  let field: HTMLInputElement | undefined;
  let list: HTMLDivElement | undefined;
  /** Where the focus was; it goes back there unless a chat was opened (its composer takes it). */
  let opener: Element | null = null;
  let restoreFocus = true;

  onMount(() => {
    opener = document.activeElement;
    dialog?.showModal();
    field?.focus();
    onCleanup(() => {
      // Closed first: while it is open modally, everything outside it is inert and cannot take the focus.
      dialog?.close();
      if (!(opener instanceof HTMLElement && opener.isConnected)) return;
      if (restoreFocus) opener.focus();
      // The browser gives the focus back on close by itself; a chat being opened takes it instead.
      else if (document.activeElement === opener) opener.blur();
    });
  });
  // A new query starts at the top; the selection stays in view as it moves.
  createEffect(() => {
    query();
    setActive(0);
  });
  createEffect(() => {
    list?.querySelector(`#${CSS.escape(optionId(active()))}`)?.scrollIntoView({ block: 'nearest' });
  });

  const choose = (item: SwitcherItem | undefined) => {
    if (!item) return;
    // The same chat again stays where it is, so the focus goes back; another one's composer takes it.
    restoreFocus = item.path === location.pathname;
    props.onClose();
    navigate(item.path);
  };
  const move = (step: number) => {
    const count = items().length;
    if (count > 0) setActive((i) => (i + step + count) % count);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(items()[active()]);
    } else if (e.key === 'Tab') {
      // Two stops, the field and Close: Tab goes between them and never leaves the dialog.
      e.preventDefault();
      const close = dialog?.querySelector<HTMLButtonElement>('.switcher-close');
      (document.activeElement === field ? close : field)?.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      class="dialog switcher"
      aria-labelledby={ids.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onKeyDown={onKeyDown}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === dialog) props.onClose();
      }}
    >
      <div class="switcher-head">
        <h2 id={ids.title} class="visually-hidden">
          Jump to a chat
        </h2>
        <Icon name="search" size={18} />
        <input
          ref={field}
          class="switcher-field"
          type="text"
          role="combobox"
          aria-label="Jump to a chat or contact"
          aria-autocomplete="list"
          aria-expanded="true"
          aria-controls={ids.list}
          aria-activedescendant={items().length > 0 ? optionId(active()) : undefined}
          placeholder="Jump to a chat or contact…"
          autocomplete="off"
          spellcheck={false}
          enterkeyhint="go"
          value={query()}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <button type="button" class="icon-button switcher-close" aria-label="Close" onClick={() => props.onClose()}>
          ×
        </button>
      </div>
      <div ref={list} id={ids.list} class="switcher-list" role="listbox" aria-label="Chats and contacts">
        <For each={items()}>
          {(item, index) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are read by the field, which names this option as active
            <div
              id={optionId(index())}
              role="option"
              tabIndex={-1}
              class="switcher-item"
              aria-selected={index() === active()}
              onMouseMove={() => setActive(index())}
              // Keeps the focus in the field, where the keys are read.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(item)}
            >
              <ItemView item={item} />
            </div>
          )}
        </For>
      </div>
      <Show when={items().length === 0}>
        <p class="switcher-none" role="status">
          {query().trim() ? `No chat or contact matches “${query().trim()}”.` : 'No chats or contacts yet.'}
        </p>
      </Show>
      <SwitcherHints />
    </dialog>
  );
}

function ItemView(props: { item: SwitcherItem }) {
  const subtitle = () => {
    const { kind, username } = props.item;
    if (kind === 'group') return 'Group';
    return kind === 'contact' ? `@${username} · Start a chat` : `@${username}`;
  };
  return (
    <>
      <Show
        when={props.item.kind !== 'group'}
        fallback={
          <span class="avatar group-avatar small" aria-hidden="true">
            <Icon name="users" size={14} />
          </span>
        }
      >
        <AvatarWithPresence name={props.item.title} userId={props.item.userId ?? ''} size="small" />
      </Show>
      <span class="switcher-names">
        <span class="switcher-title">{props.item.title}</span>
        <span class="switcher-subtitle">{subtitle()}</span>
      </span>
      <Show when={props.item.unread > 0}>
        <span class="badge">
          {unreadBadge(props.item.unread)}
          <span class="visually-hidden"> unread</span>
        </span>
      </Show>
    </>
  );
}

/** The keys, for people who opened it with the mouse's help or forgot. */
function SwitcherHints() {
  const platform = detectPlatform();
  return (
    <p class="switcher-hints" aria-hidden="true">
      <span>
        <kbd>{keyCap('ArrowUp', platform)}</kbd>
        <kbd>{keyCap('ArrowDown', platform)}</kbd> to move
      </span>
      <span>
        <kbd>{keyCap('Enter', platform)}</kbd> to open
      </span>
      <span>
        <kbd>Esc</kbd> to close
      </span>
    </p>
  );
}
