/**
 * The first stop of the Tab key: "Skip to composer" in a chat (past the chat
 * list), "Skip to main content" elsewhere. Hidden until it has the focus.
 * A button, not a link: it moves the focus, which a fragment link cannot do
 * to a textarea inside a route.
 */
import { useLocation } from '@solidjs/router';

const inChat = (path: string) => path.startsWith('/chats/') || path.startsWith('/groups/');

export function SkipLink() {
  const location = useLocation();
  const label = () => (inChat(location.pathname) ? 'Skip to composer' : 'Skip to main content');
  const skip = () => {
    const composer = document.querySelector<HTMLTextAreaElement>('.composer textarea:not(:disabled)');
    if (composer) return composer.focus();
    const main = document.getElementById('main');
    if (!main) return;
    // Focusable only for this jump: a click in the pane should not focus the whole pane afterwards.
    main.setAttribute('tabindex', '-1');
    main.addEventListener('blur', () => main.removeAttribute('tabindex'), { once: true });
    main.focus();
  };
  return (
    <button type="button" class="skip-link" onClick={skip}>
      {label()}
    </button>
  );
}
