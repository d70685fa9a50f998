/** The k6 script's tRPC WebSocket framing (k6/lib/frames.ts), checked against the real server with a plain socket. */

import { randomUUID } from 'node:crypto';
import { createChatClient } from '@chat/api/client';
import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Frame, isMessageCreated, parseFrame, subscribeFrame } from '../k6/lib/frames';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

it('subscribes to events.stream and reads tracked items the way the k6 script does', async () => {
  const client = createChatClient({ url: server.url, transport: 'poll' });
  const username = `k6_${randomUUID().slice(0, 8)}`;
  const password = 'load-test-password';
  await client.api.auth.register.mutate({ username, password, passwordRepeat: password });
  const cookie = client.cookie() ?? '';
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/trpc`, { headers: { cookie } });
  const frames: Frame[] = [];
  ws.on('message', (data: Buffer) => frames.push(parseFrame(data.toString())));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(subscribeFrame(1, 'events.stream', null));
  const until = async (predicate: () => boolean) => {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(predicate()).toBe(true);
  };
  await until(() => frames.some((f) => f.kind === 'item' && f.item.type === 'stream.ready'));
  expect(frames[0]).toEqual({ kind: 'started', id: 1 });

  const friend = createChatClient({ url: server.url, transport: 'poll' });
  const friendName = `k6_${randomUUID().slice(0, 8)}`;
  const me = await client.api.auth.me.query();
  await friend.api.auth.register.mutate({ username: friendName, password, passwordRepeat: password });
  await friend.api.contacts.request.mutate({ username });
  await client.api.contacts.accept.mutate({ userId: (await friend.api.auth.me.query())?.id ?? '' });
  const chat = await friend.api.chats.direct.mutate({ username });
  await friend.api.message.send.mutate({ id: randomUUID(), chatId: chat.id, body: 'load:1700000000000.000 hi' });
  await until(() => frames.some((f) => f.kind === 'item' && isMessageCreated(f.item)));
  const created = frames.find((f) => f.kind === 'item' && isMessageCreated(f.item));
  expect(created?.kind === 'item' && isMessageCreated(created.item) && created.item.payload.message).toMatchObject({
    chatId: chat.id,
    seq: 1,
    body: 'load:1700000000000.000 hi',
  });
  expect(me?.username).toBe(username);
  ws.close();
});
