/**
 * Whether a chat just opened should put the caret in its composer. On a
 * desktop, yes (Slack's and Skype's habit: open, type). On a touch-sized
 * screen, no: focusing a field pops the on-screen keyboard over half the
 * conversation one came to read. "Touch-sized" is the layout's own narrow
 * breakpoint (styles.css, 720 px) or a coarse pointer, whichever says so.
 */
const TOUCH_SIZED = '(max-width: 720px), (pointer: coarse)';

/** Someone typing in another field (the search box, say) keeps their caret. */
function typingElsewhere(): boolean {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active === document.body) return false;
  if (active.hasAttribute('data-composer')) return false; // the previous chat's, on its way out
  return active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement || active.isContentEditable;
}

export function shouldFocusOnOpen(): boolean {
  return !window.matchMedia(TOUCH_SIZED).matches && !typingElsewhere();
}
