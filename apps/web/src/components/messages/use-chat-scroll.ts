/**
 * The message list's scrolling, as chat apps do it: it sticks to the bottom
 * while you are there (new messages, a growing composer), keeps what you are
 * reading in place when older pages are added above, and asks for more when
 * you near either end. The browser's own scroll anchoring is off for the
 * list (see messages.css): it would correct a second time.
 */
import { createSignal, onCleanup, onMount } from 'solid-js';
import { BOTTOM_SLACK_PX, placedAt, scrolledTo } from '../../lib/bottom-follow';

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
  /** Whether it follows the bottom as content grows (lib/bottom-follow.ts). */
  let follow = placedAt(0, 0);

  const distance = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight;

  const toBottom = () => {
    const el = options.scroller();
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    follow = placedAt(el.scrollTop, 0);
    setFromBottom(0);
  };

  const onScroll = () => {
    const el = options.scroller();
    if (!el) return;
    const d = distance(el);
    follow = scrolledTo(follow, el.scrollTop, d);
    // Still following, but content came below since its own scroll: on to the new bottom.
    if (follow.following && d > BOTTOM_SLACK_PX) toBottom();
    else setFromBottom(Math.max(0, d));
    if (el.scrollTop < PAGE_AHEAD_PX) options.onNearTop();
    if (distance(el) < PAGE_AHEAD_PX) options.onNearBottom();
  };

  onMount(() => {
    const el = options.scroller();
    const content = options.content();
    if (!el || !content) return;
    el.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(() => {
      if (follow.following) toBottom();
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
    /**
     * Runs `change` (which adds or takes away content above or below) so that
     * what is on screen stays where it is: the first message in view is put
     * back where it was, or, when it is gone, the view keeps its distance from
     * the bottom.
     */
    async keepPlace(change: () => Promise<void>): Promise<void> {
      const el = options.scroller();
      const content = options.content();
      if (!el || !content) return change();
      const anchor = firstInView(el, content);
      const id = anchor?.getAttribute('data-message-id');
      const top = anchor?.getBoundingClientRect().top ?? 0;
      const before = el.scrollHeight - el.scrollTop;
      await change();
      if (follow.following) return;
      const again = id ? content.querySelector(`[data-message-id="${CSS.escape(id)}"]`) : null;
      if (again) el.scrollTop += again.getBoundingClientRect().top - top;
      else el.scrollTop = el.scrollHeight - before;
      follow = placedAt(el.scrollTop, distance(el));
      setFromBottom(Math.max(0, distance(el)));
    },
    /** Shows `element` in the middle (a permalink's target) or at the top (the "New messages" line). */
    reveal(element: Element, where: 'center' | 'start'): void {
      const el = options.scroller();
      if (!el) return;
      const box = element.getBoundingClientRect();
      const view = el.getBoundingClientRect();
      const offset = where === 'center' ? (view.height - box.height) / 2 : 8;
      el.scrollTop += box.top - view.top - offset;
      follow = placedAt(el.scrollTop, distance(el));
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

/** The first message whose bottom is below the top of the view. */
function firstInView(el: HTMLElement, content: HTMLElement): Element | undefined {
  const viewTop = el.getBoundingClientRect().top;
  for (const row of content.querySelectorAll('[data-message-id]')) {
    if (row.getBoundingClientRect().bottom > viewTop) return row;
  }
  return undefined;
}
