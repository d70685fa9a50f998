import { describe, expect, it } from 'vitest';
import {
  type ArrivalContext,
  chatIdAtPath,
  DEFAULT_NOTIFY_SETTINGS,
  FRESH_MS,
  Freshness,
  notificationText,
  reactions,
  whyQuiet,
} from './notify-rules';

const news: ArrivalContext = {
  meId: 'alice',
  senderId: 'bob',
  chatId: 'c1',
  deleted: false,
  groupLine: false,
  live: true,
  ageMs: 200,
  chatOnScreen: false,
  leader: true,
  doNotDisturb: false,
  muted: false,
  mentionsMe: false,
};

describe('whyQuiet: who is told about a message', () => {
  it('tells about a live message from someone else in a chat not on screen', () => {
    expect(whyQuiet(news)).toBeNull();
  });

  it('never tells about one’s own messages', () => {
    expect(whyQuiet({ ...news, senderId: 'alice' })).toBe('own');
  });

  it('is quiet for the chat someone is looking at (this tab or another)', () => {
    expect(whyQuiet({ ...news, chatOnScreen: true })).toBe('on-screen');
  });

  it('is quiet for history caught up after a reconnect, and for old messages', () => {
    expect(whyQuiet({ ...news, live: false })).toBe('replayed');
    expect(whyQuiet({ ...news, ageMs: FRESH_MS + 1 })).toBe('stale');
    expect(whyQuiet({ ...news, ageMs: FRESH_MS })).toBeNull();
  });

  it('only the leader tab tells', () => {
    expect(whyQuiet({ ...news, leader: false })).toBe('not-leader');
  });

  it('is quiet for deleted messages and while not to be disturbed', () => {
    expect(whyQuiet({ ...news, deleted: true })).toBe('deleted');
    expect(whyQuiet({ ...news, groupLine: true, deleted: true })).toBe('group-line');
    expect(whyQuiet({ ...news, doNotDisturb: true })).toBe('do-not-disturb');
  });

  it('Do not disturb silences everything, mentions too, in muted chats and others (no notification, no sound)', () => {
    expect(whyQuiet({ ...news, doNotDisturb: true, mentionsMe: true })).toBe('do-not-disturb');
    expect(whyQuiet({ ...news, doNotDisturb: true, muted: true, mentionsMe: true })).toBe('do-not-disturb');
    expect(whyQuiet({ ...news, doNotDisturb: true, muted: true })).toBe('do-not-disturb');
    // What goes before it still says why first (the chat on screen, a replay).
    expect(whyQuiet({ ...news, doNotDisturb: true, chatOnScreen: true })).toBe('on-screen');
    expect(whyQuiet({ ...news, doNotDisturb: false, mentionsMe: true })).toBeNull();
  });

  it('is quiet for a muted chat, except a message that mentions the user', () => {
    expect(whyQuiet({ ...news, muted: true })).toBe('muted');
    expect(whyQuiet({ ...news, muted: true, mentionsMe: true })).toBeNull();
    expect(whyQuiet({ ...news, mentionsMe: true, chatOnScreen: true })).toBe('on-screen');
  });
});

describe('reactions: notification and sound', () => {
  it('notifies only when wanted and granted; the sound follows its own switch', () => {
    expect(reactions(DEFAULT_NOTIFY_SETTINGS, 'granted')).toEqual({ notify: true, sound: true });
    expect(reactions(DEFAULT_NOTIFY_SETTINGS, 'default')).toEqual({ notify: false, sound: true });
    expect(reactions(DEFAULT_NOTIFY_SETTINGS, 'denied').notify).toBe(false);
    expect(reactions(DEFAULT_NOTIFY_SETTINGS, 'unsupported').notify).toBe(false);
    expect(reactions({ ...DEFAULT_NOTIFY_SETTINGS, desktop: false }, 'granted').notify).toBe(false);
    expect(reactions({ ...DEFAULT_NOTIFY_SETTINGS, sound: false }, 'granted')).toEqual({ notify: true, sound: false });
  });
});

describe('notificationText', () => {
  const base = { senderName: 'Bob', groupName: null, chatId: 'c1', body: 'Hi', imageCount: 0, hideText: false };

  it('titles a one-to-one message with the sender, a group one with the group too', () => {
    expect(notificationText(base)).toEqual({ title: 'Bob', body: 'Hi', tag: 'chat:c1' });
    expect(notificationText({ ...base, groupName: 'Ops' }).title).toBe('Bob in Ops');
  });

  it('shows the first non-empty line, shortened when long', () => {
    expect(notificationText({ ...base, body: '\n  first line  \nsecond' }).body).toBe('first line');
    const long = notificationText({ ...base, body: 'x'.repeat(500) }).body;
    expect(long).toHaveLength(160);
    expect(long.endsWith('…')).toBe(true);
  });

  it('says "Sent an image" for images alone', () => {
    expect(notificationText({ ...base, body: '', imageCount: 1 }).body).toBe('Sent an image');
    expect(notificationText({ ...base, body: '', imageCount: 3 }).body).toBe('Sent 3 images');
    expect(notificationText({ ...base, body: 'caption', imageCount: 1 }).body).toBe('caption');
    expect(notificationText({ ...base, body: '', fileCount: 1 }).body).toBe('Sent a file');
    expect(notificationText({ ...base, body: '', fileCount: 2 }).body).toBe('Sent 2 files');
    expect(notificationText({ ...base, body: '', imageCount: 1, fileCount: 1 }).body).toBe('Sent 2 attachments');
  });

  it('hides the text when asked', () => {
    const hidden = notificationText({ ...base, body: 'secret plans', hideText: true });
    expect(hidden.body).toBe('New message');
    expect(JSON.stringify(hidden)).not.toContain('secret');
  });

  it('uses one tag per chat, so a burst replaces', () => {
    expect(notificationText({ ...base, body: 'a' }).tag).toBe(notificationText({ ...base, body: 'b' }).tag);
    expect(notificationText({ ...base, chatId: 'c2' }).tag).not.toBe(notificationText(base).tag);
  });
});

describe('Freshness', () => {
  it('measures age from the clocks’ difference seen on live messages', () => {
    const f = new Freshness();
    const now = Date.parse('2026-12-07T12:00:00Z');
    // This machine's clock is 10 minutes ahead: live messages look 10 minutes old.
    const ahead = 10 * 60_000;
    expect(f.ageOf(new Date(now - ahead - 50), now)).toBe(0);
    expect(f.ageOf(new Date(now + 5_000 - ahead), now + 5_000 + 30)).toBeLessThan(100);
    // A message written 5 minutes before is old whatever the clocks say.
    expect(f.ageOf(new Date(now - ahead - 5 * 60_000), now + 6_000)).toBeGreaterThan(FRESH_MS);
  });
});

describe('chatIdAtPath', () => {
  const peers = (u: string) => (u === 'bob' ? 'direct-bob' : undefined);
  it('finds the chat a path shows', () => {
    expect(chatIdAtPath('/groups/g1', peers)).toBe('g1');
    expect(chatIdAtPath('/groups/g1/messages/m1', peers)).toBe('g1');
    expect(chatIdAtPath('/chats/@Bob', peers)).toBe('direct-bob');
    expect(chatIdAtPath('/chats/@bob/messages/m1', peers)).toBe('direct-bob');
    expect(chatIdAtPath('/chats/@carol', peers)).toBeNull();
    expect(chatIdAtPath('/settings', peers)).toBeNull();
    expect(chatIdAtPath('/', peers)).toBeNull();
  });
});
