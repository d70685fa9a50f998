/**
 * Desktop notifications and the new-message sound. Each `message.created`
 * that arrives live is put to the rules of lib/notify-rules.ts: not for
 * one's own messages, nor for a chat some tab of this browser shows to
 * someone looking at it, nor for history a reconnect catches up with; and
 * only from the leader tab (lib/tab-leader.ts). A notification names the
 * sender (and the group), shows the first line unless hidden, replaces the
 * chat's previous one (`tag`), and opens the message when clicked.
 */

import type { ChatSummary, MessageView } from '@chat/api';
import { useLocation, useNavigate } from '@solidjs/router';
import { createEffect, createMemo, onCleanup } from 'solid-js';
import { pageAttended } from '../lib/attention';
import { playChime } from '../lib/chime';
import { mentionsViewer } from '../lib/mentions';
import { chatIdAtPath, Freshness, notificationText, reactions, whyQuiet } from '../lib/notify-rules';
import { electLeader, type LeaderHandle } from '../lib/tab-leader';
import { type TabView, TabViews, VIEW_REPEAT_MS } from '../lib/tab-views';
import { api, transportStatus } from '../lib/trpc';
import { chatList, chatPath, chatTitle, findChat } from './chats';
import { onEvents } from './events';
import { notifyPermission, notifySettings } from './notify-settings';
import { currentUser } from './session';
import { doNotDisturb } from './status';

const freshness = new Freshness();

/** Group senders' names, asked once per chat and person (`message.authors`: the chat's own rule). */
const names = new Map<string, Promise<string>>();

function senderName(chat: ChatSummary, senderId: string): Promise<string> {
  if (chat.kind === 'direct' && chat.peer?.id === senderId) return Promise.resolve(chat.peer.displayName);
  const key = `${chat.id}:${senderId}`;
  let name = names.get(key);
  if (!name) {
    name = api.message.authors
      .query({ chatId: chat.id, userIds: [senderId] })
      .then((authors) => authors[0]?.displayName ?? 'Someone')
      .catch(() => {
        names.delete(key);
        return 'Someone';
      });
    names.set(key, name);
  }
  return name;
}

/** The notifications this tab shows, by chat: closed when the chat is opened. */
const shown = new Map<string, Notification>();

function showNotification(chat: ChatSummary, message: MessageView, name: string, open: (path: string) => void): void {
  const text = notificationText({
    senderName: name,
    groupName: chat.kind === 'group' ? chatTitle(chat) : null,
    chatId: chat.id,
    body: message.body,
    imageCount: message.attachments.filter((a) => a.kind === 'image').length,
    fileCount: message.attachments.filter((a) => a.kind === 'file').length,
    hideText: notifySettings().hideText,
  });
  let notification: Notification;
  try {
    notification = new Notification(text.title, { body: text.body, tag: text.tag, icon: '/favicon.svg' });
  } catch {
    return; // a browser that shows them only through a service worker (Chrome on Android)
  }
  shown.get(chat.id)?.close();
  shown.set(chat.id, notification);
  notification.onclick = () => {
    window.focus();
    notification.close();
    open(`${chatPath(chat)}/messages/${encodeURIComponent(message.id)}`);
  };
  notification.onclose = () => {
    if (shown.get(chat.id) === notification) shown.delete(chat.id);
  };
}

const channelFor = (name: string) =>
  'BroadcastChannel' in window ? (channel: string) => new BroadcastChannel(`${name}:${channel}`) : undefined;

/**
 * Follows new messages for the signed-in user while the shell is shown (call
 * once, inside the router): notifications, sound, and this tab's part in the
 * election and in telling other tabs what it shows.
 */
export function useNotifications(): void {
  const location = useLocation();
  const navigate = useNavigate();
  const tab = Math.random().toString(36).slice(2);

  const openChatId = createMemo(() => {
    const byPeer = (username: string) =>
      chatList().find((c) => c.kind === 'direct' && c.peer?.username.toLowerCase() === username)?.id;
    return chatIdAtPath(location.pathname, byPeer);
  });
  const myView = (): TabView => ({ tab, chatId: openChatId(), attended: pageAttended() });

  let leader: LeaderHandle | undefined;
  let views: BroadcastChannel | undefined;
  const others = new TabViews();

  createEffect(() => {
    const userId = currentUser()?.id;
    if (!userId) return;
    const channel = channelFor('chat.notify');
    leader = electLeader(`chat.notify-leader:${userId}`, {
      locks: navigator.locks,
      channel: channel && (() => channel('leader')),
    });
    views = channel?.(`views:${userId}`);
    views?.addEventListener('message', (event: MessageEvent<TabView>) => {
      const view = event.data;
      if (!view || typeof view.tab !== 'string') return;
      others.hear(view, Date.now());
      // The chat was opened in another tab: its notification here has served.
      if (view.attended && view.chatId) shown.get(view.chatId)?.close();
    });
    const repeat = setInterval(() => views?.postMessage(myView()), VIEW_REPEAT_MS);
    const gone = () => views?.postMessage({ ...myView(), gone: true });
    window.addEventListener('pagehide', gone);
    onCleanup(() => {
      clearInterval(repeat);
      window.removeEventListener('pagehide', gone);
      gone();
      views?.close();
      views = undefined;
      leader?.stop();
      leader = undefined;
    });
  });

  // Tell the other tabs what this one shows; a chat opened here clears its notification.
  createEffect(() => {
    const view = myView();
    views?.postMessage(view);
    if (view.attended && view.chatId) shown.get(view.chatId)?.close();
  });

  const onScreen = (chatId: string) =>
    (pageAttended() && openChatId() === chatId) || others.onScreen(chatId, Date.now());

  const stop = onEvents({
    'message.created': (event) => {
      const me = currentUser();
      const message = event.payload.message;
      const live = transportStatus()?.live ?? false;
      if (!me) return;
      const quiet = whyQuiet({
        meId: me.id,
        senderId: message.senderId,
        chatId: message.chatId,
        groupLine: message.system !== null,
        deleted: message.body === null,
        live,
        // Measured on every live message, one's own too: they calibrate the clocks' difference.
        ageMs: live ? freshness.ageOf(message.createdAt, Date.now()) : Number.POSITIVE_INFINITY,
        chatOnScreen: onScreen(message.chatId),
        leader: leader?.isLeader() ?? true,
        doNotDisturb: doNotDisturb(),
        muted: findChat(message.chatId)?.muted ?? false,
        mentionsMe: mentionsViewer(message, me),
      });
      const chat = findChat(message.chatId);
      if (quiet || !chat) return;
      const act = reactions(notifySettings(), notifyPermission());
      if (act.sound) playChime();
      if (act.notify)
        void senderName(chat, message.senderId).then((name) => showNotification(chat, message, name, navigate));
    },
  });
  onCleanup(() => {
    stop();
    for (const n of shown.values()) n.close();
    shown.clear();
  });
}
