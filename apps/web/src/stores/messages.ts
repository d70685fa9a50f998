/**
 * One open chat's messages: a contiguous range of them, loaded a page at a
 * time either way, kept current by stream events and the user's own sends.
 * Opens at the newest page, at the first unread one when many are unread, or
 * around one message (permalinks). While the newest messages are not loaded,
 * new ones wait aside and join when paging reaches them (so the loaded range
 * never has a gap). At most `WINDOW` are held (and drawn) at once: paging
 * one way lets go of the far end of the other, which paging back reloads
 * (docs/web-timeline.md), so a long history costs what a few pages cost.
 */
import type { MessageView } from '@chat/api';
import { type Accessor, batch, createEffect, createSignal, on, onCleanup } from 'solid-js';
import { createKeeper } from '../lib/kept';
import { applyReaction, type ReactionChange } from '../lib/reactions';
import { withOriginal } from '../lib/reply-quote';
import { mergeMessages, newestSeq, oldestSeq, replaceMessage } from '../lib/timeline';
import { api } from '../lib/trpc';
import { LATEST_PAGE, latestKey, takeEarly } from './early-open';
import { onEvents, onResync, streamLive } from './events';
import { onSent } from './outbox';
import { currentUser } from './session';

const PAGE = LATEST_PAGE;
/** The most messages held at once: two pages (a page ahead either way of what is on screen). */
export const WINDOW = 2 * PAGE;
/** Messages shown before the first unread when opening there. */
const CONTEXT = 20;
/** Messages on each side of a permalink's target. */
const AROUND = 25;

export interface TimelineOptions {
  /** Permalinks: open around this message (of this chat). */
  aroundId?: string | undefined;
  /** Open at the newest page even when many are unread. */
  latest?: boolean;
  /** The user's read position and the chat's newest seq when it was opened. */
  readSeq: number;
  lastSeq: number;
}

export type TimelineStatus = 'loading' | 'ready' | 'failed';

export interface Timeline {
  /** Loaded messages, oldest first. */
  messages: Accessor<MessageView[]>;
  status: Accessor<TimelineStatus>;
  error: Accessor<unknown>;
  /** There are older messages than those loaded. */
  hasOlder: Accessor<boolean>;
  /** The newest messages are not loaded (opened around an older one). */
  hasNewer: Accessor<boolean>;
  loadingOlder: Accessor<boolean>;
  /** Permalinks: the message the link points at. */
  target: Accessor<MessageView | null>;
  loadOlder(): Promise<void>;
  loadNewer(): Promise<void>;
  /** Loads again as it was opened (after a failure). */
  reload(): Promise<void>;
  /** Loads the newest page (leaving a permalink or the first unread for the bottom). */
  showLatest(): Promise<void>;
  edit(messageId: string, body: string): Promise<void>;
  remove(messageId: string): Promise<void>;
  /** Puts (`on`) or takes away the user's emoji: shown at once, undone if the server refuses. */
  react(change: ReactionChange): Promise<void>;
}

class WrongChat extends Error {
  constructor() {
    super('That message is in another chat.');
  }
}

/** The messages of `chatId`, for as long as the calling component lives. */
export function useTimeline(chatId: string, options: TimelineOptions): Timeline {
  const [messages, setMessages] = createSignal<MessageView[]>([]);
  const [status, setStatus] = createSignal<TimelineStatus>('loading');
  const [error, setError] = createSignal<unknown>(null);
  const [olderCursor, setOlderCursor] = createSignal<number | null>(null);
  const [atLatest, setAtLatest] = createSignal(false);
  const [loadingOlder, setLoadingOlder] = createSignal(false);
  const [target, setTarget] = createSignal<MessageView | null>(null);
  /** New messages that arrived while the newest were not loaded. */
  let aside: MessageView[] = [];
  let generation = 0;
  let loadingNewer = false;
  let aroundId = options.aroundId;
  /** Open at the newest page even when many are unread. */
  let latestOnly = options.latest ?? false;
  /** The first page was read before this timeline followed the stream, which is live: fetch what is newer. */
  let catchUp = false;

  const take = (incoming: MessageView[]) => setMessages((list) => mergeMessages(list, incoming));
  const arrived = (message: MessageView) => {
    if (message.chatId !== chatId) return;
    if (atLatest()) take([message]);
    else aside = mergeMessages(aside, [message]);
  };
  /** An edit or delete: the message itself, and the quotes of its replies. */
  const changed = (message: MessageView) => {
    if (message.chatId !== chatId) return;
    batch(() => {
      setMessages((list) => withOriginal(replaceMessage(list, message), message));
      aside = withOriginal(replaceMessage(aside, message), message);
      const current = target();
      if (current?.id === message.id) setTarget(message);
      else if (current?.replyToId === message.id) setTarget(withOriginal([current], message)[0] ?? current);
    });
  };
  const reacted = (change: ReactionChange) => {
    batch(() => {
      setMessages((list) => applyReaction(list, change));
      aside = applyReaction(aside, change);
      const current = target();
      if (current?.id === change.messageId) setTarget(applyReaction([current], change)[0] ?? current);
    });
  };
  const reachedLatest = () => {
    setAtLatest(true);
    take(aside);
    aside = [];
  };

  /** Loads where the chat opens; `current()` says whether this load still counts (none newer began). */
  async function firstPage(current: () => boolean): Promise<void> {
    if (aroundId) {
      const page = await api.message.around.query({ messageId: aroundId, limit: AROUND });
      if (page.chatId !== chatId) throw new WrongChat();
      if (!current()) return;
      batch(() => {
        take(page.messages);
        setTarget(page.target);
        setOlderCursor(page.olderCursor);
        if (page.newerCursor === null) reachedLatest();
      });
      return;
    }
    const unread = options.lastSeq - options.readSeq;
    if (unread > PAGE && !latestOnly) {
      // Many unread: open at the first of them, with a little context above.
      const [before, after] = await Promise.all([
        api.message.history.query({ chatId, direction: 'older', cursor: options.readSeq + 1, limit: CONTEXT }),
        api.message.history.query({ chatId, direction: 'newer', cursor: options.readSeq, limit: PAGE }),
      ]);
      if (!current()) return;
      batch(() => {
        take([...before.messages, ...after.messages]);
        setOlderCursor(before.nextCursor);
        if (after.nextCursor === null) reachedLatest();
      });
      return;
    }
    const { value: page, early } = await takeEarly(latestKey(chatId), () =>
      api.message.history.query({ chatId, direction: 'older', limit: PAGE }),
    );
    if (!current()) return;
    // Read before this timeline followed the stream: what came in between is fetched once it is shown.
    catchUp = early && streamLive();
    batch(() => {
      take(page.messages);
      setOlderCursor(page.nextCursor);
      reachedLatest();
    });
  }

  async function reload(): Promise<void> {
    const mine = ++generation;
    batch(() => {
      setMessages([]);
      setStatus('loading');
      setError(null);
      setTarget(null);
      setAtLatest(false);
      setOlderCursor(null);
    });
    aside = [];
    try {
      catchUp = false;
      await firstPage(() => mine === generation);
      if (mine === generation) setStatus('ready');
      if (mine === generation && catchUp) void fetchNewer(true).catch(() => {});
    } catch (failure) {
      if (mine !== generation) return;
      setError(failure);
      setStatus('failed');
    }
  }

  async function loadOlder(): Promise<void> {
    const cursor = oldestSeq(messages());
    if (loadingOlder() || olderCursor() === null || cursor === null || status() !== 'ready') return;
    const mine = generation;
    setLoadingOlder(true);
    try {
      const page = await api.message.history.query({ chatId, direction: 'older', cursor, limit: PAGE });
      if (mine !== generation) return;
      batch(() => {
        take(page.messages);
        setOlderCursor(page.nextCursor);
        // Over the window: the newest go (paging down fetches them again, with whatever came meanwhile).
        const list = messages();
        if (list.length > WINDOW) {
          setMessages(list.slice(0, WINDOW));
          setAtLatest(false);
          aside = [];
        }
      });
    } finally {
      if (mine === generation) setLoadingOlder(false);
    }
  }

  /** Pages forward until the newest message is loaded (`untilLatest`), or one page. */
  async function fetchNewer(untilLatest: boolean): Promise<void> {
    if (loadingNewer || status() !== 'ready') return;
    const mine = generation;
    loadingNewer = true;
    try {
      for (;;) {
        const page = await api.message.history.query({
          chatId,
          direction: 'newer',
          cursor: newestSeq(messages()),
          limit: PAGE,
        });
        if (mine !== generation) return;
        batch(() => {
          take(page.messages);
          if (page.nextCursor === null) reachedLatest();
          // Over the window: the oldest go (paging up fetches them again).
          const list = messages();
          if (list.length > WINDOW) {
            const kept = list.slice(-WINDOW);
            setMessages(kept);
            setOlderCursor(oldestSeq(kept));
          }
        });
        if (page.nextCursor === null || !untilLatest) return;
      }
    } finally {
      loadingNewer = false;
    }
  }

  onCleanup(
    onEvents({
      'message.created': (e) => arrived(e.payload.message),
      'message.edited': (e) => changed(e.payload.message),
      'message.deleted': (e) => changed(e.payload.message),
      'reaction.updated': ({ payload }) => {
        if (payload.chatId === chatId) reacted(payload);
      },
    }),
  );
  onCleanup(onSent(arrived));
  // The stream could not resume from where it was: start afresh at the newest page.
  onCleanup(
    onResync(() => {
      aroundId = undefined;
      void reload();
    }),
  );
  // Once live, fetch what was committed between the first page and the stream's start.
  createEffect(
    on(
      streamLive,
      (live, wasLive) => {
        if (live && !wasLive && atLatest() && status() === 'ready') void fetchNewer(true).catch(() => {});
      },
      { defer: true },
    ),
  );
  void reload();

  return {
    messages,
    status,
    error,
    hasOlder: () => olderCursor() !== null,
    hasNewer: () => !atLatest(),
    loadingOlder,
    target,
    loadOlder: () => loadOlder().catch(() => {}),
    loadNewer: () => fetchNewer(false).catch(() => {}),
    reload,
    showLatest() {
      aroundId = undefined;
      latestOnly = true;
      return reload();
    },
    async edit(messageId, body) {
      changed(await api.message.edit.mutate({ messageId, body }));
    },
    async remove(messageId) {
      changed(await api.message.delete.mutate({ messageId }));
    },
    async react(change) {
      reacted(change);
      try {
        await api.message.react.mutate({ messageId: change.messageId, emoji: change.emoji, on: change.on });
      } catch (failure) {
        reacted({ ...change, on: !change.on });
        throw failure;
      }
    },
  };
}

/** Chats whose messages stay loaded, and followed, after their page closes (lib/kept.ts). */
export const KEPT_CHATS = 4;
// Another user in this tab sees none of what the last one had open.
const kept = createKeeper<Timeline>(KEPT_CHATS, () => currentUser()?.id);

/** At the newest messages, not around a permalink, with no more held than a window: worth keeping. */
const atNewest = (t: Timeline) =>
  t.status() === 'ready' && !t.hasNewer() && !t.target() && t.messages().length <= WINDOW;

/**
 * `useTimeline`, but a chat opened again at its newest messages takes the
 * timeline it had, kept live since (lib/kept.ts), and draws at once. One that
 * opens elsewhere (a permalink, the first of many unread) is loaded afresh.
 */
export function useKeptTimeline(chatId: string, options: TimelineOptions): Timeline {
  const elsewhere = Boolean(options.aroundId) || (!options.latest && options.lastSeq - options.readSeq > PAGE);
  return kept.use(
    chatId,
    () => useTimeline(chatId, options),
    (t) => !elsewhere && atNewest(t),
    atNewest,
  );
}
