/**
 * The outbox's rules, pure: messages written but not yet stored by the
 * server, in the order they were written. Each keeps the id it was created
 * with, so sending it again (after a lost answer, a reconnect, a reload)
 * stores it once. One message is in flight at a time, oldest first, and a
 * message that could not be sent holds back the later ones of its chat, so a
 * chat's messages are stored in the order they were written.
 */

import type { MessageView } from '@chat/api';
import type { ReplyQuote } from './reply-quote';

export type OutboxState = 'queued' | 'sending' | 'failed';

/** An uploaded image, as the upload route answered (sent by id with the message). */
export type Attachment = MessageView['attachments'][number];

export interface OutboxEntry {
  id: string;
  chatId: string;
  body: string;
  /** Images already uploaded into the chat, in the order they show. */
  attachments: Attachment[];
  /** The message it replies to, quoted as it was when the reply was written (sent as `replyToId`). */
  replyTo: ReplyQuote | null;
  createdAt: Date;
  state: OutboxState;
  /** Why the last attempt failed. */
  error: string | null;
  /** The server refused it: sending it again as it is will not help, so it waits for the user. */
  refused: boolean;
}

export function createEntry(
  id: string,
  chatId: string,
  body: string,
  attachments: Attachment[] = [],
  now: Date = new Date(),
  replyTo: ReplyQuote | null = null,
): OutboxEntry {
  return { id, chatId, body, attachments, replyTo, createdAt: now, state: 'queued', error: null, refused: false };
}

/** The next message to send, or none: one at a time, and never past a failed one of the same chat. */
export function nextToSend(entries: readonly OutboxEntry[]): OutboxEntry | undefined {
  const held = new Set<string>();
  for (const e of entries) {
    if (e.state === 'sending') return undefined;
    if (e.state === 'failed' && !e.refused) held.add(e.chatId);
    if (e.state === 'queued' && !held.has(e.chatId)) return e;
  }
  return undefined;
}

export function withEntry(entries: readonly OutboxEntry[], entry: OutboxEntry): OutboxEntry[] {
  return [...entries.filter((e) => e.id !== entry.id), entry];
}

export function withoutEntry(entries: readonly OutboxEntry[], id: string): OutboxEntry[] {
  return entries.filter((e) => e.id !== id);
}

export function markSending(entries: readonly OutboxEntry[], id: string): OutboxEntry[] {
  return entries.map((e) => (e.id === id ? { ...e, state: 'sending' } : e));
}

export function markFailed(entries: readonly OutboxEntry[], id: string, failure: SendFailure): OutboxEntry[] {
  return entries.map((e) =>
    e.id === id ? { ...e, state: 'failed', error: failure.message, refused: failure.refused } : e,
  );
}

/** After a reconnect: everything that failed for want of a connection goes again (refused ones wait for the user). */
export function requeueUnsent(entries: readonly OutboxEntry[]): OutboxEntry[] {
  if (!entries.some((e) => e.state === 'failed' && !e.refused)) return entries as OutboxEntry[];
  return entries.map((e) => (e.state === 'failed' && !e.refused ? { ...e, state: 'queued', error: null } : e));
}

/** The user pressed Retry: this one goes again, whatever stopped it. */
export function requeueOne(entries: readonly OutboxEntry[], id: string): OutboxEntry[] {
  return entries.map((e) => (e.id === id ? { ...e, state: 'queued', error: null, refused: false } : e));
}

// --- Why a send failed -------------------------------------------------------

export interface SendFailure {
  message: string;
  refused: boolean;
}

/** tRPC codes meaning "this message, as it is, will not be stored": retrying alone will not help. */
const REFUSALS = new Set([
  'BAD_REQUEST',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNPROCESSABLE_CONTENT',
]);

export const NO_CONNECTION = 'Not sent: no connection. It will be sent when the connection is back.';

/** `code` is the tRPC error code the server answered with; none means the request did not get an answer. */
export function classifyFailure(failure: { code?: string | undefined; message?: string | undefined }): SendFailure {
  if (!failure.code) return { message: NO_CONNECTION, refused: false };
  if (REFUSALS.has(failure.code))
    return { message: failure.message || 'The server refused this message.', refused: true };
  return {
    message: `Not sent: ${failure.message || 'the server had a problem'}. It will be tried again.`,
    refused: false,
  };
}

// --- Storage -------------------------------------------------------------------

const STATES: readonly string[] = ['queued', 'sending', 'failed'] satisfies OutboxState[];

export function serializeOutbox(entries: readonly OutboxEntry[]): string {
  return JSON.stringify(entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })));
}

/**
 * Reads what `serializeOutbox` wrote; anything unreadable is dropped. A
 * message that was in flight when the page went away is queued again: the
 * server may or may not have stored it, and its id makes a second send safe.
 */
export function parseOutbox(text: string | null): OutboxEntry[] {
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const entries: OutboxEntry[] = [];
  for (const item of raw as Record<string, unknown>[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, chatId, body, attachments, replyTo, createdAt, state, error, refused } = item;
    const at = typeof createdAt === 'string' ? new Date(createdAt) : null;
    if (typeof id !== 'string' || typeof chatId !== 'string' || typeof body !== 'string') continue;
    if (!at || Number.isNaN(at.getTime()) || typeof state !== 'string' || !STATES.includes(state)) continue;
    entries.push({
      id,
      chatId,
      body,
      attachments: parseAttachments(attachments),
      replyTo: parseQuote(replyTo),
      createdAt: at,
      state: state === 'sending' ? 'queued' : (state as OutboxState),
      error: typeof error === 'string' ? error : null,
      refused: refused === true,
    });
  }
  return entries;
}

function isAttachment(value: unknown): value is Attachment {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    typeof a.id === 'string' &&
    typeof a.contentType === 'string' &&
    typeof a.fileName === 'string' &&
    ['bytes', 'width', 'height', 'thumbWidth', 'thumbHeight'].every((k) => typeof a[k] === 'number')
  );
}

/** A stored reply's quote; none when unreadable (older outboxes have none). */
function parseQuote(value: unknown): ReplyQuote | null {
  if (typeof value !== 'object' || value === null) return null;
  const q = value as Record<string, unknown>;
  if (typeof q.messageId !== 'string' || typeof q.senderId !== 'string') return null;
  return {
    messageId: q.messageId,
    senderId: q.senderId,
    text: typeof q.text === 'string' ? q.text : null,
    hasImage: q.hasImage === true,
    deleted: q.deleted === true,
    fileName: typeof q.fileName === 'string' ? q.fileName : null,
  };
}

/** Stored attachments; an unreadable one is dropped (older outboxes have none). */
function parseAttachments(value: unknown): Attachment[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isAttachment).map((a) => ({
    id: a.id,
    // An outbox stored before files held images only.
    kind: a.kind === 'file' ? 'file' : 'image',
    contentType: a.contentType,
    fileName: a.fileName,
    bytes: a.bytes,
    width: a.width,
    height: a.height,
    thumbWidth: a.thumbWidth,
    thumbHeight: a.thumbHeight,
  }));
}
