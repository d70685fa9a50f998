/**
 * The message list's scrolling, as chat apps do it: it sticks to the bottom
 * while you are there (new messages, a growing composer), keeps what you are
 * reading in place when older pages are added above, and asks for more when
 * you near either end. The browser's own scroll anchoring is off for the
 * list (see messages.css): it would correct a second time.
 */
import { createSignal, onCleanup, onMount } from 'solid-js';

/** Within this of the bottom counts as "at the bottom". */
const BOTTOM_SLACK_PX = 32;
/** Nearer than this to an end asks for the next page there. */
const PAGE_AHEAD_PX = 400;

export interface ChatScrollOptions {
  scroller(): HTMLElement | undefined;
  content(): HTMLElement | undefined;
  onNearTop(): void;
  onNearBottom(): void;
}

export function useChatScroll(options: ChatScrollOptions) {
  const [fromBottom, setFromBottom] = createSignal(0);
  /** Follows the bottom as content grows. */
  let stuck = true;

  const distance = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight;

  const onScroll = () => {
    const el = options.scroller();
    if (!el) return;
    const d = distance(el);
    stuck = d <= BOTTOM_SLACK_PX;
    setFromBottom(Math.max(0, d));
    if (el.scrollTop < PAGE_AHEAD_PX) options.onNearTop();
    if (d < PAGE_AHEAD_PX) options.onNearBottom();
  };

  const toBottom = () => {
    const el = options.scroller();
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    stuck = true;
    setFromBottom(0);
  };

  onMount(() => {
    const el = options.scroller();
    const content = options.content();
    if (!el || !content) return;
    el.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(() => {
      if (stuck) toBottom();
      else setFromBottom(Math.max(0, distance(el)));
    });
    observer.observe(el);
    observer.observe(content);
    onCleanup(() => {
      el.removeEventListener('scroll', onScroll);
      observer.disconnect();
    });
  });

  return {
    /** How far above the bottom the view is (px). */
    fromBottom,
    atBottom: () => fromBottom() <= BOTTOM_SLACK_PX,
    toBottom,
    /** Runs `change` (which adds content above) so that what is on screen stays where it is. */
    async keepPlace(change: () => Promise<void>): Promise<void> {
      const el = options.scroller();
      if (!el) return change();
      const before = el.scrollHeight - el.scrollTop;
      await change();
      if (!stuck) el.scrollTop = el.scrollHeight - before;
    },
    /** Shows `element` in the middle (a permalink's target) or at the top (the "New messages" line). */
    reveal(element: Element, where: 'center' | 'start'): void {
      const el = options.scroller();
      if (!el) return;
      const box = element.getBoundingClientRect();
      const view = el.getBoundingClientRect();
      const offset = where === 'center' ? (view.height - box.height) / 2 : 8;
      el.scrollTop += box.top - view.top - offset;
      stuck = distance(el) <= BOTTOM_SLACK_PX;
      setFromBottom(Math.max(0, distance(el)));
    },
    /** Whether the content is too short to scroll (then no scrolling will ask for more). */
    fits(): boolean {
      const el = options.scroller();
      return !el || el.scrollHeight <= el.clientHeight + BOTTOM_SLACK_PX;
    },
  };
}

export type ChatScroll = ReturnType<typeof useChatScroll>;
