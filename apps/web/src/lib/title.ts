import { createEffect } from 'solid-js';

const APP_NAME = 'Chat';

/** Sets the document title while the calling component is shown. */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    const t = title();
    document.title = t ? `${t} · ${APP_NAME}` : APP_NAME;
  });
}
