import { useLocation, useNavigate } from '@solidjs/router';
import { createSignal, Match, onCleanup, Switch } from 'solid-js';
import { chatAtPath, stepChat } from '../../lib/chat-steps';
import { detectPlatform, isTextField, modPressed } from '../../lib/keys';
import { lazyPart } from '../../lib/lazy-part';
import { chatList, chatPath } from '../../stores/chats';

// Opened by a key, so not in the first paint's script (lib/lazy-part.ts).
const QuickSwitcher = lazyPart(() => import('./quick-switcher'), 'QuickSwitcher');
const ShortcutsDialog = lazyPart(() => import('./shortcuts-dialog'), 'ShortcutsDialog');

type Open = 'switcher' | 'shortcuts' | null;
const [open, setOpen] = createSignal<Open>(null);

/** "Keyboard shortcuts" from a menu, for those who do not know `?`. */
export const showShortcuts = () => setOpen('shortcuts');

/** The message box is the one text field where Alt+↑/↓ still moves between chats (Slack's habit). */
const isComposer = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.hasAttribute('data-composer');

/** A dialog of someone else's (delete, new group, an image) is open: keys are its own. */
const otherDialogOpen = () => document.querySelector('dialog[open]') !== null;

const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

/**
 * The app-wide keys, read on the document so they work wherever the focus is:
 * Ctrl/⌘+K the quick switcher (also from text fields), Alt+↑/↓ the chat
 * above or below (lib/chat-steps.ts), `?` this list (not while typing). The
 * composer's and the editor's own keys are theirs (components/messages/).
 */
export function KeyboardShortcuts() {
  const navigate = useNavigate();
  const location = useLocation();
  const platform = detectPlatform();

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    // e.code too, so that K is found on a Cyrillic or Greek layout.
    const k = e.key.toLowerCase() === 'k' || e.code === 'KeyK';
    if (k && modPressed(e, platform) && !e.altKey && !e.shiftKey) {
      e.preventDefault(); // also the browser's own Ctrl+K (its search bar)
      if (open() === 'switcher') setOpen(null);
      else if (open() === 'shortcuts' || !otherDialogOpen()) setOpen('switcher');
      return;
    }
    if (open() || otherDialogOpen()) return;
    const arrow = e.key === 'ArrowUp' ? -1 : e.key === 'ArrowDown' ? 1 : 0;
    if (arrow && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      // In other text fields (search, a message being edited) the keys stay theirs.
      if (isTextField(e.target) && !isComposer(e.target)) return;
      e.preventDefault();
      const next = stepChat(chatList(), chatAtPath(location.pathname, chatList()), arrow);
      if (next) navigate(chatPath(next));
      return;
    }
    if (e.key === '?' && plain(e) && !isTextField(e.target)) {
      e.preventDefault();
      setOpen('shortcuts');
    }
  };
  document.addEventListener('keydown', onKeyDown);
  onCleanup(() => {
    document.removeEventListener('keydown', onKeyDown);
    setOpen(null);
  });

  return (
    <Switch>
      <Match when={open() === 'switcher'}>
        <QuickSwitcher onClose={() => setOpen(null)} />
      </Match>
      <Match when={open() === 'shortcuts'}>
        <ShortcutsDialog onClose={() => setOpen(null)} />
      </Match>
    </Switch>
  );
}
