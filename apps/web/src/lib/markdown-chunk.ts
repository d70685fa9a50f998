/**
 * The way in to lib/markdown.ts, which is loaded as its own chunk: markdown-it
 * and its tables are about half of the app's script, and a first paint needs
 * none of it until messages are there to show. main.tsx starts loading it at
 * once, in parallel with the session and the first fetches. The session's
 * first load waits for it (`withMarkdown`), so nothing signed-in renders
 * before it is there (a chat the chat page fetches itself went into the list
 * sooner otherwise); the chat list and a chat's first page wait for it too, so
 * after a failed load they try again. Text therefore never shows its marks
 * first and then changes; should the chunk fail to load, text shows as typed,
 * and is formatted once a later try succeeds.
 */
import { createSignal } from 'solid-js';
import type { BlockNode } from './markdown';

type Markdown = typeof import('./markdown');

const [loaded, setLoaded] = createSignal<Markdown | null>(null);
let loading: Promise<void> | null = null;

/** Loads the chunk (once); resolves when it is there, or failed to load (a later call tries again). */
export function loadMarkdown(): Promise<void> {
  loading ??= import('./markdown').then(
    (module) => {
      setLoaded(() => module);
    },
    (error: unknown) => {
      console.warn('the message formatter did not load; showing text as typed', error);
      loading = null;
    },
  );
  return loading;
}

/** `work`'s result once the formatter is loaded too (both under way at once). */
export async function withMarkdown<T>(work: Promise<T>): Promise<T> {
  const [result] = await Promise.all([work, loadMarkdown()]);
  return result;
}

/** lib/markdown.ts's `parseMessage`; the text as one paragraph until it is loaded. Reactive. */
export function parseMessage(text: string): BlockNode[] {
  const markdown = loaded();
  return markdown ? markdown.parseMessage(text) : [{ kind: 'paragraph', children: [{ kind: 'text', text }] }];
}

/** lib/markdown.ts's `plainText`; the text on one line until it is loaded. Reactive. */
export function plainText(text: string): string {
  const markdown = loaded();
  return markdown ? markdown.plainText(text) : text.replace(/\s+/g, ' ').trim();
}
