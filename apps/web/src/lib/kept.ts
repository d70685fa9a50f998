/**
 * Keeps what a closed chat page held (its messages, a group's members) alive
 * for a while after the page closes, still following events, so that opening
 * that chat again draws it at once instead of asking the server first
 * (docs/web-timeline.md, "Switching back"). Only the last few are kept; the
 * oldest is let go (its root disposed, so it stops following events).
 */
import { createRoot, onCleanup } from 'solid-js';

interface Entry<T> {
  value: T;
  dispose(): void;
}

export interface Keeper<T> {
  /**
   * The kept value for `key` when `fits` accepts it, else a new one from
   * `create` (in a root of its own). At the caller's cleanup it is kept, or,
   * when `keep` says no, let go.
   */
  use(key: string, create: () => T, fits: (value: T) => boolean, keep?: (value: T) => boolean): T;
  /** Something is kept for `key` (not in use now). */
  has(key: string): boolean;
  /** Lets go of everything kept (signing out). */
  clear(): void;
}

/**
 * Keeps at most `limit` values; everything kept is let go whenever `owner()`
 * changes (another user signed in to this tab sees nothing the last one had).
 */
export function createKeeper<T>(limit: number, owner?: () => unknown): Keeper<T> {
  /** Not in use now, least recently closed first. */
  const kept = new Map<string, Entry<T>>();
  const letGo = (key: string) => {
    kept.get(key)?.dispose();
    kept.delete(key);
  };
  /** Whose values are kept: when `owner()` says someone else, they are let go before anything is given out. */
  let keptFor = owner?.();
  const checkOwner = () => {
    if (!owner) return;
    const now = owner();
    if (now === keptFor) return;
    keptFor = now;
    for (const key of [...kept.keys()]) letGo(key);
  };
  return {
    use(key, create, fits, keep = () => true) {
      checkOwner();
      let entry = kept.get(key);
      kept.delete(key);
      if (entry && !fits(entry.value)) {
        entry.dispose();
        entry = undefined;
      }
      const held = entry ?? createRoot((dispose) => ({ value: create(), dispose }));
      onCleanup(() => {
        letGo(key);
        if (!keep(held.value)) {
          held.dispose();
          return;
        }
        kept.set(key, held);
        for (const oldest of kept.keys()) {
          if (kept.size <= limit) break;
          letGo(oldest);
        }
      });
      return held.value;
    },
    has(key) {
      checkOwner();
      return kept.has(key);
    },
    clear() {
      for (const key of [...kept.keys()]) letGo(key);
    },
  };
}
