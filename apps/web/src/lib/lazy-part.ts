/**
 * Parts of the app that a first paint of the chat list and a chat does not
 * show (other pages, panels, dialogs, pickers) are chunks of their own, so
 * the script a cold load runs stays small (docs/architecture.md, "The web app's chunks").
 * Each is fetched when first rendered, or earlier: `preloadLazyParts` fetches
 * them all once the browser is idle after the first paint, so opening one
 * later does not wait for the network.
 */
import { type Component, lazy } from 'solid-js';

const parts: Array<{ preload(): Promise<unknown> }> = [];

/** Solid's `lazy` for a named export: `lazyPart(() => import('./x'), 'X')`. */
// biome-ignore lint/suspicious/noExplicitAny: the props type is the component's own, carried through M[K].
export function lazyPart<M extends { [P in K]: Component<any> }, K extends keyof M>(load: () => Promise<M>, name: K) {
  const part = lazy(() => load().then((module) => ({ default: module[name] })));
  parts.push(part);
  return part;
}

let preloading = false;
/**
 * Fetches every lazy part (once) when the browser is idle after the next frame
 * has painted: not before, so a cold load's first paint does not share the
 * network or the main thread with them.
 */
export function preloadLazyParts(): void {
  if (preloading) return;
  preloading = true;
  const all = () => {
    for (const part of parts) void part.preload().catch(() => {});
  };
  const whenIdle = () => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(all, { timeout: 3_000 });
    else setTimeout(all, 1_000);
  };
  // A frame's callback runs before its paint; a task queued from it runs after.
  requestAnimationFrame(() => setTimeout(whenIdle, 0));
}
