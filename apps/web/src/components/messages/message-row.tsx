import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { now } from '../../lib/clock';
import { lazyPart } from '../../lib/lazy-part';
import { type MessageFacts, messageLead, messageTail } from '../../lib/message-sentence';
import { whoReacted } from '../../lib/reactions';
import { clockTime, dayLabel, fullDateTime } from '../../lib/time';
import type { TimelineEntry } from '../../lib/timeline';
import type { RowLayout } from '../../lib/timeline-layout';
import { Avatar } from '../avatar';
import { ConfirmDialog } from '../confirm-dialog';
import { Icon } from '../icons';
import { EDIT_REQUEST } from './edit-last';
import { MessageFiles } from './message-files';
import { MessageImages } from './message-images';
import { MessageStatus, type StatusContext, statusWords } from './message-status';
import { ReactionBar } from './reaction-bar';
import { ReplyQuoteView } from './reply-quote-view';
import { RichText } from './rich-text';

// Opened on demand, so not in the first paint's script (lib/lazy-part.ts).
const EmojiPicker = lazyPart(() => import('./emoji-picker'), 'EmojiPicker');
const MessageEditor = lazyPart(() => import('./message-editor'), 'MessageEditor');

export interface MessageRowProps {
  entry: TimelineEntry;
  layout: RowLayout | undefined;
  own: boolean;
  /** Groups show others' names and avatars; a one-to-one chat needs neither. */
  showSender: boolean;
  senderName: string;
  /** Opens the sender's profile from their name or avatar (a current member's; nothing for others). */
  onOpenSender?: (() => void) | undefined;
  highlighted: boolean;
  /** Briefly marked: a reply's quote was clicked to show it. */
  flashed?: boolean;
  /** The message's own link (`/messages/<id>`: the same for every member, components/message-link.tsx). */
  permalink: string;
  status: StatusContext;
  myId: string;
  /** Who is behind a user id (for who reacted). */
  nameOf(userId: string): string;
  /** Reply to this message (the composer shows what it answers). */
  onReply(): void;
  /** A reply's quote was clicked: show the original. */
  onOpenQuote(messageId: string): void;
  onEdit(body: string): Promise<void>;
  onDelete(): Promise<void>;
  onRetry(): void;
  onDiscard(): void;
  /** Put (`on`) or take away the user's emoji. */
  onReact(emoji: string, on: boolean): void;
  onOpenImage(imageId: string): void;
  /** Nobody may write in the chat now (a former contact, a block): no reacting, replying or editing; deleting stays. */
  readOnly?: boolean;
}

/** One message, with the day line and "New messages" line above it when it starts them. */
export function MessageRow(props: MessageRowProps) {
  const [editing, setEditing] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [picking, setPicking] = createSignal(false);
  // The actions exist only while the message is pointed at or has the focus: a dozen elements a row
  // otherwise, most of a long list's DOM (docs/web-timeline.md).
  const [pointed, setPointed] = createSignal(false);
  const [focused, setFocused] = createSignal(false);
  const acting = () => pointed() || focused() || picking();
  let actions: HTMLDivElement | undefined;
  let reactButton: HTMLButtonElement | undefined;
  const deleted = () => Boolean(props.entry.deletedAt) || (props.entry.seq !== null && props.entry.body === null);
  const first = () => props.layout?.firstInRun ?? true;
  const failed = () => props.entry.unsent?.state === 'failed';
  const mayChange = () => props.own && !props.entry.unsent && !deleted();
  const mayReact = () => !props.entry.unsent && !deleted();
  const mayWrite = () => !props.readOnly;
  const images = () => (deleted() ? [] : props.entry.attachments.filter((a) => a.kind === 'image'));
  const files = () => (deleted() ? [] : props.entry.attachments.filter((a) => a.kind === 'file'));
  const hasText = () => deleted() || Boolean(props.entry.body);
  // One sentence for a screen reader: the lead is read in place, and the row is named lead, text, tail.
  const ids = () => `msg-${props.entry.id}`;
  const facts = (): MessageFacts => ({
    author: props.own ? 'You' : props.senderName,
    time: clockTime(props.entry.createdAt),
    replyTo: !deleted() && props.entry.replyTo ? props.nameOf(props.entry.replyTo.senderId) : null,
    deleted: deleted(),
    edited: Boolean(props.entry.editedAt),
    images: images().length,
    files: files().map((f) => f.fileName),
    reactions: deleted() ? [] : props.entry.reactions.map((r) => whoReacted(r, props.myId, props.nameOf)),
    status: props.own ? statusWords(props.entry, props.status) : null,
  });
  const tail = () => messageTail(facts());

  return (
    <li
      class="message-row"
      classList={{ own: props.own, first: first(), last: props.layout?.lastInRun ?? true }}
      data-message-id={props.entry.id}
      data-status={props.entry.unsent ? props.entry.unsent.state : 'stored'}
      aria-current={props.highlighted ? 'true' : undefined}
      aria-labelledby={`${ids()}-lead ${ids()}-text ${ids()}-tail`}
      data-editable={mayChange() && mayWrite() && !editing() ? '' : undefined}
      ref={(row) => row.addEventListener(EDIT_REQUEST, () => mayChange() && mayWrite() && setEditing(true))}
    >
      <Show when={props.layout?.day}>
        {(day) => (
          <h2 class="day-line">
            <span>{dayLabel(day(), now())}</span>
          </h2>
        )}
      </Show>
      <Show when={props.layout?.newMessages}>
        <div class="new-line" data-testid="new-messages">
          <span>New messages</span>
        </div>
      </Show>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: pointing and focus only reveal the actions, which are buttons of their own */}
      <div
        class="message"
        classList={{ highlighted: props.highlighted, flashed: props.flashed, failed: failed() }}
        onMouseEnter={() => setPointed(true)}
        onMouseLeave={() => setPointed(false)}
        onFocusIn={(e) => {
          const had = acting();
          setFocused(true);
          // Shift+Tab into the message from below: its actions, drawn just now, come last in it, so
          // they take the focus first, as if they had been there all along.
          const from = e.relatedTarget;
          const fromBelow =
            from instanceof Node &&
            !e.currentTarget.contains(from) &&
            (e.currentTarget.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
          if (!had && fromBelow && e.target instanceof HTMLElement && e.target.matches(':focus-visible')) {
            (actions?.lastElementChild as HTMLElement | null)?.focus();
          }
        }}
        onFocusOut={(e) => {
          if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setFocused(false);
        }}
      >
        <span class="visually-hidden" id={`${ids()}-lead`}>
          {messageLead(facts())}
        </span>
        <Show when={props.showSender && !props.own}>
          <div class="message-gutter">
            <Show when={first()}>
              <Show when={props.onOpenSender} fallback={<Avatar name={props.senderName} size="small" />}>
                {(open) => (
                  <button type="button" class="sender-open" tabIndex={-1} aria-hidden="true" onClick={() => open()()}>
                    <Avatar name={props.senderName} size="small" />
                  </button>
                )}
              </Show>
            </Show>
          </div>
        </Show>
        <div class="bubble" classList={{ deleted: deleted() }}>
          <Show when={props.showSender && !props.own && first()}>
            <Show when={props.onOpenSender} fallback={<div class="sender">{props.senderName}</div>}>
              {(open) => (
                <button
                  type="button"
                  class="sender sender-open"
                  aria-label={`View profile of ${props.senderName}`}
                  onClick={() => open()()}
                >
                  {props.senderName}
                </button>
              )}
            </Show>
          </Show>
          <Show when={!deleted() && props.entry.replyTo}>
            {(quote) => (
              <ReplyQuoteView
                quote={quote()}
                author={props.nameOf(quote().senderId)}
                onOpen={() => props.onOpenQuote(quote().messageId)}
              />
            )}
          </Show>
          <Show when={images().length > 0 && !editing()}>
            <MessageImages images={images()} onOpen={(id) => props.onOpenImage(id)} />
          </Show>
          <Show when={files().length > 0 && !editing()}>
            <MessageFiles files={files()} />
          </Show>
          <Show
            when={editing()}
            fallback={
              <Show when={hasText()}>
                <Show
                  when={!deleted()}
                  fallback={
                    <p class="message-text" id={`${ids()}-text`}>
                      This message was deleted
                    </p>
                  }
                >
                  <RichText class="message-text" id={`${ids()}-text`} text={props.entry.body ?? ''} />
                </Show>
              </Show>
            }
          >
            <MessageEditor
              body={props.entry.body ?? ''}
              onCancel={() => setEditing(false)}
              onSave={async (body) => {
                await props.onEdit(body);
                setEditing(false);
              }}
            />
          </Show>
          <span class="meta">
            <Show when={props.entry.editedAt && !deleted()}>
              <span class="edited">(edited)</span>
            </Show>
            <Show when={!props.entry.unsent} fallback={<time>{clockTime(props.entry.createdAt)}</time>}>
              <A
                href={props.permalink}
                class="message-time"
                title={fullDateTime(props.entry.createdAt)}
                aria-label={`Link to message sent ${fullDateTime(props.entry.createdAt)}`}
              >
                <time datetime={props.entry.createdAt.toISOString()}>{clockTime(props.entry.createdAt)}</time>
              </A>
            </Show>
            <Show when={props.own}>
              <MessageStatus entry={props.entry} context={props.status} />
            </Show>
          </span>
        </div>
        <Show when={acting() && mayReact() && !editing() && (mayWrite() || mayChange())}>
          <div
            ref={actions}
            class="message-actions"
            classList={{ open: picking() }}
            role="toolbar"
            aria-label="Message actions"
          >
            <Show when={mayWrite()}>
              <button
                ref={reactButton}
                type="button"
                class="icon-button"
                aria-label="Add reaction"
                aria-haspopup="dialog"
                aria-expanded={picking()}
                title="Add reaction"
                onClick={() => setPicking((open) => !open)}
              >
                <Icon name="smile" size={16} />
              </button>
              <button
                type="button"
                class="icon-button"
                aria-label="Reply"
                title="Reply"
                onClick={() => props.onReply()}
              >
                <Icon name="reply" size={16} />
              </button>
            </Show>
            <Show when={mayChange()}>
              <Show when={mayWrite()}>
                <button
                  type="button"
                  class="icon-button"
                  aria-label="Edit message"
                  title="Edit"
                  onClick={() => setEditing(true)}
                >
                  <Icon name="edit" size={16} />
                </button>
              </Show>
              <button
                type="button"
                class="icon-button"
                aria-label="Delete message"
                title="Delete"
                onClick={() => setConfirming(true)}
              >
                <Icon name="trash" size={16} />
              </button>
            </Show>
          </div>
        </Show>
      </div>
      <Show when={!deleted() && props.entry.reactions.length > 0}>
        <div class="message-reactions" classList={{ indented: props.showSender && !props.own }}>
          <ReactionBar
            reactions={props.entry.reactions}
            myId={props.myId}
            nameOf={props.nameOf}
            onToggle={(emoji, on) => props.onReact(emoji, on)}
          />
        </div>
      </Show>
      <Show when={picking() && reactButton}>
        {(anchor) => (
          <EmojiPicker
            anchor={anchor()}
            onClose={() => setPicking(false)}
            onPick={(emoji) => {
              const mine = props.entry.reactions.some((r) => r.emoji === emoji && r.userIds.includes(props.myId));
              props.onReact(emoji, !mine);
            }}
          />
        )}
      </Show>
      {/* Only in the row's name: the eye takes these in around the bubble, and each has its own words in place. */}
      <Show when={tail()}>
        <span hidden id={`${ids()}-tail`}>
          {tail()}
        </span>
      </Show>
      <Show when={failed()}>
        <div class="send-failed" role="alert">
          <span>{props.entry.unsent?.error ?? 'Not sent.'}</span>
          <button type="button" class="button small" onClick={() => props.onRetry()}>
            Retry
          </button>
          <button type="button" class="button small" onClick={() => props.onDiscard()}>
            Discard
          </button>
        </div>
      </Show>
      <Show when={confirming()}>
        <ConfirmDialog
          title="Delete message"
          message={<p>Delete this message for everyone in the chat? This cannot be undone.</p>}
          confirmLabel="Delete"
          danger
          onConfirm={() => props.onDelete()}
          onClose={() => setConfirming(false)}
        />
      </Show>
    </li>
  );
}
