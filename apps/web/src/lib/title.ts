import { createEffect, createRoot, createSignal } from 'solid-js';

const APP_NAME = 'Chat';

const [pageTitle, setPageTitle] = createSignal('');
const [count, setCount] = createSignal(0);

/** "(3) Bob · Chat": the unread count first, so it shows in a narrow tab. */
export function documentTitle(title: string, unread: number): string {
  const base = title ? `${title} · ${APP_NAME}` : APP_NAME;
  if (unread <= 0) return base;
  return `(${unread > 99 ? '99+' : unread}) ${base}`;
}

createRoot(() => {
  createEffect(() => {
    document.title = documentTitle(pageTitle(), count());
  });
});

/** Sets the page's part of the document title while the calling component is shown. */
export function usePageTitle(title: () => string): void {
  createEffect(() => setPageTitle(title()));
}

/** Keeps the unread count in the document title (call once, in the app's root). */
export function useTitleCount(unread: () => number): void {
  createEffect(() => setCount(unread()));
}
