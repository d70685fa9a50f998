/**
 * Who is told about a new message, and what they are shown: pure rules for
 * the desktop notification and the sound (stores/notifications.ts applies
 * them to the stream's `message.created` events).
 */

/** The settings that shape notifications (kept per browser: stores/notify-settings.ts). */
export interface NotifySettings {
  /** Desktop notifications wanted (the browser's permission is asked for separately). */
  desktop: boolean;
  /** Show "New message" instead of the text. */
  hideText: boolean;
  /** A short sound on a new message. */
  sound: boolean;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = { desktop: true, hideText: false, sound: true };

/** What this tab knows when a message arrives. */
export interface ArrivalContext {
  /** The signed-in user. */
  meId: string;
  /** The message's sender and chat. */
  senderId: string;
  chatId: string;
  /** A deleted message (body null) tells nobody anything. */
  deleted: boolean;
  /** A line about the group ("Ana added Ben", docs/group-lines.md): the timeline and the list say it, quietly. */
  groupLine: boolean;
  /** The event came on a live stream (caught up), not from a backlog after a (re)connect. */
  live: boolean;
  /** How old the message is by the server's clock as best known here (see `freshness`). */
  ageMs: number;
  /** Some tab of this user's in this browser is on screen with this chat open (this one or another). */
  chatOnScreen: boolean;
  /** This tab is the one that notifies for the user in this browser (lib/tab-leader.ts). */
  leader: boolean;
  /** The user's status says not to disturb. */
  doNotDisturb: boolean;
  /** The user muted the chat (chats/mute.ts): quiet, except a mention of them. */
  muted: boolean;
  /** The message mentions the user, or everyone (`@chat/api/client/mentions`). */
  mentionsMe: boolean;
}

/** A message older than this when it arrives is history being caught up with, not news. */
export const FRESH_MS = 2 * 60_000;

export type Silence =
  | 'own'
  | 'group-line'
  | 'deleted'
  | 'replayed'
  | 'stale'
  | 'on-screen'
  | 'not-leader'
  | 'do-not-disturb'
  | 'muted';

/** Why a message is not news for the person, or null when it is (a notification and a sound may follow). */
export function whyQuiet(a: ArrivalContext): Silence | null {
  if (a.senderId === a.meId) return 'own';
  if (a.groupLine) return 'group-line';
  if (a.deleted) return 'deleted';
  if (!a.live) return 'replayed';
  if (a.ageMs > FRESH_MS) return 'stale';
  if (a.chatOnScreen) return 'on-screen';
  if (!a.leader) return 'not-leader';
  if (a.doNotDisturb) return 'do-not-disturb';
  if (a.muted && !a.mentionsMe) return 'muted';
  return null;
}

/** What to do for news: a desktop notification when wanted and allowed, a sound when wanted. */
export function reactions(
  settings: NotifySettings,
  permission: NotificationPermission | 'unsupported',
): { notify: boolean; sound: boolean } {
  return { notify: settings.desktop && permission === 'granted', sound: settings.sound };
}

export interface NotificationText {
  title: string;
  body: string;
  /** One per chat: a burst replaces the chat's notification instead of stacking. */
  tag: string;
}

const BODY_MAX = 160;

/**
 * The notification for a message: the sender (and the group) as title, the
 * text's first line as body ("Sent an image" for images alone), or "New
 * message" when the text is hidden.
 */
export function notificationText(input: {
  senderName: string;
  groupName: string | null;
  chatId: string;
  body: string | null;
  imageCount: number;
  fileCount?: number;
  hideText: boolean;
}): NotificationText {
  const title = input.groupName ? `${input.senderName} in ${input.groupName}` : input.senderName;
  return {
    title,
    body: input.hideText ? 'New message' : bodyLine(input.body, input.imageCount, input.fileCount ?? 0),
    tag: `chat:${input.chatId}`,
  };
}

function bodyLine(body: string | null, imageCount: number, fileCount: number): string {
  const line = (body ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (line === undefined) {
    if (fileCount > 0) {
      const count = fileCount + imageCount;
      if (imageCount > 0) return `Sent ${count} attachments`;
      return fileCount === 1 ? 'Sent a file' : `Sent ${fileCount} files`;
    }
    if (imageCount > 1) return `Sent ${imageCount} images`;
    return imageCount === 1 ? 'Sent an image' : 'New message';
  }
  return line.length > BODY_MAX ? `${line.slice(0, BODY_MAX - 1)}…` : line;
}

/**
 * The age of live messages by the server's clock, when this machine's clock
 * is off: the smallest "now minus createdAt" seen on a live stream is taken as
 * the clocks' difference (a live message is at most a moment old), and later
 * ages are measured from it. Starts from the first live message seen.
 */
export class Freshness {
  private offset: number | undefined;

  /** The message's age, corrected; call only for messages that came on a live stream. */
  ageOf(createdAt: Date, now: number): number {
    const raw = now - createdAt.getTime();
    if (this.offset === undefined || raw < this.offset) this.offset = raw;
    return raw - this.offset;
  }
}

/** The chat a path shows: `/groups/<id>[/…]`, or `/chats/@name[/…]` resolved by `peerChat`. */
export function chatIdAtPath(pathname: string, peerChat: (username: string) => string | undefined): string | null {
  const group = /^\/groups\/([^/]+)/.exec(pathname);
  if (group?.[1]) return decodeURIComponent(group[1]);
  const direct = /^\/chats\/@([^/]+)/.exec(pathname);
  if (direct?.[1]) return peerChat(decodeURIComponent(direct[1]).toLowerCase()) ?? null;
  return null;
}
