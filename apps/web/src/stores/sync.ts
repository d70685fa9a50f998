/**
 * When synced state (lib/synced.ts) loads: at once when someone signs in (to
 * show something quickly), again when the stream is live (nothing committed
 * between the first load and the stream's start is then missed), and again
 * when the stream had to resync. Signing out forgets it.
 */
import { createEffect, createRoot, on, onCleanup } from 'solid-js';
import type { Synced } from '../lib/synced';
import { onResync, streamLive } from './events';
import { currentUser } from './session';

type Loadable = Pick<Synced<unknown>, 'reload' | 'reset'>;

/** Keeps `target` loaded for the signed-in user while the calling component (or root) lives. */
export function keepInSync(target: Loadable): void {
  createEffect(
    on([() => currentUser()?.id, streamLive], ([userId, live], previous) => {
      if (!userId) return target.reset();
      const [previousUser, wasLive] = previous ?? [undefined, false];
      if (userId !== previousUser) {
        target.reset();
        void target.reload();
      } else if (live && !wasLive) {
        void target.reload();
      }
    }),
  );
  onCleanup(
    onResync(() => {
      if (currentUser()) void target.reload();
    }),
  );
}

/** The same for a store that lives as long as the app: call once at module level. */
export function keepStoreInSync(target: Loadable): void {
  createRoot(() => keepInSync(target));
}
