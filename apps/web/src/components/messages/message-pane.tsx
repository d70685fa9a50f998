/**
 * An open chat's conversation: the messages (paged both ways, grouped by day
 * and sender), who is typing, and the composer. Marks the chat read while it
 * is on screen at its newest message.
 */

import type { ChatSummary } from '@chat/api';
import { A, useNavigate } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, Show, Switch, untrack } from 'solid-js';
import { pageAttended } from '../../lib/attention';
import { errorMessage } from '../../lib/form-errors';
import { lazyPart } from '../../lib/lazy-part';
import type { Mentionable } from '../../lib/mention-complete';
import { quoteOf, type ReplyQuote } from '../../lib/reply-quote';
import { newestSeq, timelineEntries } from '../../lib/timeline';
import { layoutRows } from '../../lib/timeline-layout';
import { markRead } from '../../stores/marks';
import { useKeptTimeline } from '../../stores/messages';
import { type Attachment, discardMessage, refusalIn, retryMessage, sendMessage, unsentIn } from '../../stores/outbox';
import { useReceipts } from '../../stores/receipts';
import { currentUser } from '../../stores/session';
import { signalTyping, stoppedTyping } from '../../stores/typing';
import { filesOf, uploadTray } from '../../stores/uploads';
import { Icon } from '../icons';
import { ArrivalsAnnouncer } from './arrivals-announcer';
import { Composer } from './composer';
import { editLastOwnMessage } from './edit-last';
import { MessageRow } from './message-row';
import { SystemRow } from './system-row';
import { TypingLine } from './typing-line';
import { useChatScroll } from './use-chat-scroll';

// Opened on demand, so not in the first paint's script (lib/lazy-part.ts).
const ImageViewer = lazyPart(() => import('./image-viewer'), 'ImageViewer');

export interface MessagePaneProps {
  /** The chat as the list has it (kept live). */
  chat: ChatSummary;
  /** Permalinks: open around this message. */
  messageId?: string | undefined;
  /** The chat's own address: `/chats/@bob` or `/groups/<id>`. */
  path: string;
  /** Who is behind a sender id. */
  nameOf(userId: string): string;
  /** Why the user cannot write here, when known before trying (e.g. no longer contacts). */
  blocked: string | null;
  placeholder: string;
  /** Groups: what opens a sender's profile from their name (undefined for someone it cannot open). */
  profileOpener?: ((userId: string) => (() => void) | undefined) | undefined;
  /** Groups: opens who has seen one of the user's messages. */
  onSeenBy?: ((messageId: string) => void) | undefined;
  /** Groups: the members an `@` in the composer may name. */
  mentionable?: (() => readonly Mentionable[]) | undefined;
}

/** Chats whose next opening should be at the newest message ("Jump to latest" from a permalink). */
const openAtLatest = new Set<string>();

/** Further than this from the bottom shows "Jump to latest". */
const JUMP_FROM_PX = 240;
/** How long an original shown from a reply's quote stays marked. */
const FLASH_MS = 2_000;
/** Older pages loaded in place to reach a quoted original; further back, its own link opens it in context. */
const QUOTE_PAGES = 10;

const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export function MessagePane(props: MessagePaneProps) {
  const navigate = useNavigate();
  const chatId = untrack(() => props.chat.id);
  const myId = () => currentUser()?.id ?? '';
  const opened = untrack(() => ({ readSeq: props.chat.readState.readSeq, lastSeq: props.chat.lastSeq }));
  const latest = !props.messageId && openAtLatest.delete(chatId);
  const timeline = useKeptTimeline(chatId, { aroundId: props.messageId, latest, ...opened });
  const receipts = useReceipts(chatId);
  const ready = () => timeline.status() === 'ready';

  const entries = createMemo(() =>
    timelineEntries(timeline.messages(), timeline.hasNewer() ? [] : unsentIn(chatId), myId()),
  );
  const byId = createMemo(() => new Map(entries().map((e) => [e.id, e])));
  const ids = createMemo(() => entries().map((e) => e.id), [], { equals: sameIds });
  const [firstUnreadId, setFirstUnreadId] = createSignal<string | null>(null);
  const layout = createMemo(() => layoutRows(entries(), { firstUnreadId: firstUnreadId() }));
  const statusContext = createMemo(() => ({
    kind: props.chat.kind,
    peerId: props.chat.peer?.id ?? null,
    receipts: receipts(),
    onSeenBy: props.onSeenBy,
  }));

  let scroller: HTMLDivElement | undefined;
  let content: HTMLOListElement | undefined;
  let loadingNewer = false;
  const scroll = useChatScroll({
    scroller: () => scroller,
    content: () => content,
    onNearTop: () => void loadOlder(),
    // Paging down may let go of the oldest messages (stores/messages.ts, WINDOW): kept in place.
    onNearBottom: () => {
      if (ready() && timeline.hasNewer() && !loadingNewer) {
        loadingNewer = true;
        void scroll.keepPlace(timeline.loadNewer).finally(() => {
          loadingNewer = false;
        });
      }
    },
  });

  /** Older pages, keeping the view in place; more while the list is too short to scroll. */
  async function loadOlder(): Promise<void> {
    while (ready() && timeline.hasOlder() && !timeline.loadingOlder()) {
      const before = timeline.messages().length;
      await scroll.keepPlace(timeline.loadOlder);
      // Stop when it did not get further (a failed request) or the list can scroll now.
      if (timeline.messages().length === before || !scroll.fits()) return;
    }
  }

  const rowOf = (id: string) => scroller?.querySelector(`[data-message-id="${CSS.escape(id)}"]`) ?? null;

  // Opened: place the view (the link's message, the first unread, or the bottom), once per load.
  const [placed, setPlaced] = createSignal(false);
  let placeAtBottom = latest;
  createEffect(
    on(timeline.status, (status) => {
      setPlaced(false);
      if (status !== 'ready') return;
      if (placeAtBottom) {
        placeAtBottom = false;
        scroll.toBottom();
        setPlaced(true);
        return;
      }
      const target = timeline.target();
      const unread = target
        ? undefined
        : timeline.messages().find((m) => m.seq > opened.readSeq && m.senderId !== myId());
      setFirstUnreadId(unread?.id ?? null);
      const row = target ? rowOf(target.id) : unread ? rowOf(unread.id) : null;
      if (row) scroll.reveal(row, target ? 'center' : 'start');
      else scroll.toBottom();
      setPlaced(true);
      if (scroll.fits()) void loadOlder();
    }),
  );

  // Read while on screen: visible, focused, at the newest message.
  createEffect(() => {
    if (!placed() || timeline.hasNewer() || !scroll.atBottom() || !pageAttended()) return;
    const seq = newestSeq(timeline.messages());
    if (seq > props.chat.readState.readSeq) markRead(chatId, seq);
  });

  async function jumpToLatest(): Promise<void> {
    if (props.messageId) {
      openAtLatest.add(chatId);
      return navigate(props.path);
    }
    if (timeline.hasNewer()) {
      placeAtBottom = true;
      await timeline.showLatest();
    }
    scroll.toBottom();
  }

  // --- Replies: the message being answered, and showing a quote's original.
  const [replying, setReplying] = createSignal<ReplyQuote | null>(null);
  /** The quote as the original is now, while it is loaded (it may be edited or deleted meanwhile). */
  const replyQuote = () => {
    const quote = replying();
    const original = quote ? byId().get(quote.messageId) : undefined;
    return original ? quoteOf(original) : quote;
  };
  const startReply = (id: string) => {
    const entry = byId().get(id);
    if (entry && entry.seq !== null) setReplying(quoteOf(entry));
  };
  const [flashId, setFlashId] = createSignal<string | null>(null);
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(flashTimer));

  /** Scrolls to a quoted original and marks it briefly, loading older pages until it is there. */
  async function showOriginal(messageId: string): Promise<void> {
    for (let pages = 0; !rowOf(messageId); ) {
      if (!ready() || !timeline.hasOlder() || pages >= QUOTE_PAGES) {
        // Not in this chat's loaded range, nor near it: its link opens it in context.
        navigate(`/messages/${messageId}`);
        return;
      }
      if (timeline.loadingOlder()) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const before = timeline.messages().length;
      await scroll.keepPlace(timeline.loadOlder);
      pages += 1;
      if (timeline.messages().length === before && !timeline.loadingOlder()) return;
    }
    const row = rowOf(messageId);
    if (!row) return;
    scroll.reveal(row, 'center');
    setFlashId(messageId);
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => setFlashId(null), FLASH_MS);
  }

  const send = (body: string, attachments: Attachment[]) => {
    if (timeline.hasNewer()) void jumpToLatest();
    scroll.toBottom();
    sendMessage(chatId, body, attachments, replyQuote());
    setReplying(null);
    stoppedTyping(chatId);
  };

  // --- Images and files: dropped on the pane, and the viewer over the chat's loaded ones.
  const tray = uploadTray(chatId);
  const blocked = () => props.blocked ?? refusalIn(chatId);
  const [dragging, setDragging] = createSignal(false);
  let dragDepth = 0;
  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
  const [viewing, setViewing] = createSignal<string | null>(null);
  const allImages = createMemo(() =>
    entries().flatMap((e) => (e.deletedAt ? [] : e.attachments.filter((a) => a.kind === 'image'))),
  );

  // --- Reactions: a refusal shows for a few seconds.
  const [notice, setNotice] = createSignal<string | null>(null);
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(noticeTimer));
  const react = (messageId: string, emoji: string, on: boolean) => {
    timeline.react({ messageId, emoji, on, userId: myId() }).catch((failure: unknown) => {
      setNotice(`Could not react: ${errorMessage(failure)}`);
      clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => setNotice(null), 5_000);
    });
  };

  return (
    <section
      class="message-pane"
      classList={{ dragging: dragging() }}
      aria-label="Conversation"
      onDragEnter={(e) => {
        if (!carriesFiles(e) || blocked()) return;
        e.preventDefault();
        dragDepth += 1;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e) || blocked()) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        dragDepth = Math.max(0, dragDepth - 1);
        if (dragDepth === 0) setDragging(false);
      }}
      onDrop={(e) => {
        dragDepth = 0;
        setDragging(false);
        if (!carriesFiles(e) || blocked()) return;
        e.preventDefault();
        tray.add(filesOf(e.dataTransfer));
      }}
    >
      <Show when={dragging()}>
        <div class="drop-overlay" aria-hidden="true">
          <Icon name="image" size={32} />
          <span>Drop images or files to attach them</span>
        </div>
      </Show>
      <div class="timeline-wrap">
        <div class="timeline" ref={scroller} data-testid="timeline">
          <Switch>
            <Match when={timeline.status() === 'failed'}>
              <div class="timeline-note" role="alert">
                <Show
                  when={props.messageId}
                  fallback={
                    <>
                      <p>Could not load the messages. {errorMessage(timeline.error())}</p>
                      <button type="button" class="button small" onClick={() => void timeline.reload()}>
                        Try again
                      </button>
                    </>
                  }
                >
                  <p>That message is not available: it does not exist, or it is not in this chat.</p>
                  <A href={props.path}>Go to the latest messages</A>
                </Show>
              </div>
            </Match>
            <Match when={timeline.status() === 'loading'}>
              <div class="timeline-note" aria-busy="true">
                <span class="spinner" aria-hidden="true" />
                <span class="visually-hidden">Loading messages…</span>
              </div>
            </Match>
            <Match when={ready() && entries().length === 0}>
              <div class="timeline-note">
                <Icon name="chat" size={28} />
                <p>No messages yet. Say hello!</p>
              </div>
            </Match>
          </Switch>
          <Show when={ready() && entries().length > 0 && !timeline.hasOlder()}>
            <p class="timeline-start">This is the beginning of the conversation.</p>
          </Show>
          <Show when={timeline.loadingOlder()}>
            <div class="timeline-more" aria-busy="true">
              <span class="spinner small" aria-hidden="true" />
              <span class="visually-hidden">Loading earlier messages…</span>
            </div>
          </Show>
          <ol class="messages" aria-label="Messages" ref={content}>
            <For each={ids()}>
              {(id) => (
                <Show when={byId().get(id)}>
                  {(entry) => (
                    <Show
                      when={entry().system}
                      fallback={
                        <MessageRow
                          entry={entry()}
                          layout={layout().get(id)}
                          own={entry().senderId === myId()}
                          showSender={props.chat.kind === 'group'}
                          senderName={props.nameOf(entry().senderId)}
                          onOpenSender={props.profileOpener?.(entry().senderId)}
                          highlighted={timeline.target()?.id === id}
                          flashed={flashId() === id}
                          onReply={() => startReply(id)}
                          onOpenQuote={(messageId) => void showOriginal(messageId)}
                          permalink={`/messages/${id}`}
                          status={statusContext()}
                          myId={myId()}
                          nameOf={props.nameOf}
                          onReact={(emoji, on) => react(id, emoji, on)}
                          onOpenImage={setViewing}
                          onEdit={(body) => timeline.edit(id, body)}
                          onDelete={() => timeline.remove(id)}
                          onRetry={() => retryMessage(id)}
                          onDiscard={() => discardMessage(id)}
                          readOnly={Boolean(blocked())}
                        />
                      }
                    >
                      {(line) => (
                        <SystemRow
                          entry={entry()}
                          line={line()}
                          layout={layout().get(id)}
                          highlighted={timeline.target()?.id === id}
                          permalink={`/messages/${id}`}
                          myId={myId()}
                        />
                      )}
                    </Show>
                  )}
                </Show>
              )}
            </For>
          </ol>
        </div>
        <Show when={ready() && (scroll.fromBottom() > JUMP_FROM_PX || timeline.hasNewer())}>
          <button type="button" class="jump-latest" onClick={() => void jumpToLatest()}>
            <Icon name="arrow-down" size={16} /> Jump to latest
          </button>
        </Show>
      </div>
      <Show when={notice()}>
        <p class="pane-notice" role="alert">
          {notice()}
        </p>
      </Show>
      <ArrivalsAnnouncer chatId={chatId} myId={myId} nameOf={props.nameOf} />
      <TypingLine chatId={chatId} nameOf={props.nameOf} />
      <Composer
        chatId={chatId}
        placeholder={props.placeholder}
        blocked={blocked()}
        tray={tray}
        replyingTo={(() => {
          const quote = replyQuote();
          return quote ? { quote, author: props.nameOf(quote.senderId) } : null;
        })()}
        onCancelReply={() => setReplying(null)}
        onSend={send}
        onTyping={() => signalTyping(chatId)}
        onEditLast={() => editLastOwnMessage(content)}
        mentionable={props.mentionable}
      />
      <Show when={viewing()}>
        {(startId) => <ImageViewer images={allImages()} startId={startId()} onClose={() => setViewing(null)} />}
      </Show>
    </section>
  );
}
