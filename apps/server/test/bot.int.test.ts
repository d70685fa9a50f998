/** The echo bot of docs/bots.md, run as written against the real server. */
import { randomUUID } from 'node:crypto';
import { signIn } from '@chat/api/client';
import { startEchoBot } from '@chat/api/examples/echo-bot';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, PASSWORD, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';

let t: TestServer;
let human: Person;
let botUser: Person;

beforeAll(async () => {
  t = await startTestServer();
  [human, botUser] = await Promise.all([makeUser(t.url, { prefix: 'human' }), makeUser(t.url, { prefix: 'echo' })]);
});
afterAll(async () => {
  human?.client.close();
  botUser?.client.close();
  await t?.stop();
});

describe('the echo bot from docs/bots.md', () => {
  it('answers a message sent to it, once', async () => {
    const chatId = await makeDirect(human, botUser);
    const bot = await startEchoBot(t.url, botUser.username, PASSWORD);
    const stream = collectStream(human.client);
    await stream.until((i) => i.some((x) => x.type === 'stream.ready'));
    await new Promise((r) => setTimeout(r, 300)); // the bot's stream is live too
    await human.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'hello bot' });
    const answers = () =>
      stream.items
        .filter((x) => x.type === 'message.created')
        .map((x) => (x.payload as { message: { body: string } }).message.body);
    await stream.until(() => answers().includes('You said: hello bot'));
    await new Promise((r) => setTimeout(r, 300));
    expect(answers()).toEqual(['hello bot', 'You said: hello bot']);
    bot.stop();
    stream.unsubscribe();
  });
});

describe('a client that sends over its WebSocket (sendOver: ws)', () => {
  it('stores and delivers once, refuses with the same codes and messages, and sends no HTTP request for a send', async () => {
    const [reader, sender] = await Promise.all([
      makeUser(t.url, { prefix: 'reader' }),
      makeUser(t.url, { prefix: 'sender' }),
    ]);
    const chatId = await makeDirect(reader, sender);
    const httpCalls: string[] = [];
    const bot = await signIn({
      url: t.url,
      username: sender.username,
      password: PASSWORD,
      transport: 'ws',
      sendOver: 'ws',
      fetch: (input, init) => {
        httpCalls.push(String(input));
        return fetch(input, init);
      },
    });
    const stream = collectStream(reader.client);
    await stream.until((i) => i.some((x) => x.type === 'stream.ready'));
    const id = randomUUID();
    const sent = await bot.api.message.send.mutate({ id, chatId, body: 'over the socket' });
    expect(sent).toMatchObject({ id, chatId, body: 'over the socket', senderId: sender.id });
    // A repeat answers with the same message.
    expect((await bot.api.message.send.mutate({ id, chatId, body: 'over the socket' })).seq).toBe(sent.seq);
    const refusal = async (input: { id: string; chatId: string; body: string }) => {
      const error = await bot.api.message.send.mutate(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      return { code: (error as { data?: { code?: string } }).data?.code, message: (error as Error).message };
    };
    expect(await refusal({ id: randomUUID(), chatId: randomUUID(), body: 'nowhere' })).toEqual({
      code: 'NOT_FOUND',
      message: 'This chat does not exist, or you are not in it.',
    });
    expect(await refusal({ id: randomUUID(), chatId, body: '   ' })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal({ id, chatId, body: 'another text' })).toMatchObject({ code: 'CONFLICT' });
    await stream.until((i) => i.some((x) => x.type === 'message.created'));
    await new Promise((r) => setTimeout(r, 300));
    const delivered = stream.items.filter((x) => x.type === 'message.created');
    expect(delivered.map((x) => (x.payload as { message: { id: string } }).message.id)).toEqual([id]);
    // Sign-in went over HTTP (it sets the cookie); no send did.
    expect(httpCalls.some((u) => u.includes('auth.login'))).toBe(true);
    expect(httpCalls.filter((u) => u.includes('message.send'))).toEqual([]);
    await expect(
      signIn({ url: t.url, username: 'x', password: 'y', transport: 'sse', sendOver: 'ws' }),
    ).rejects.toThrow('needs the ws transport');
    bot.close();
    stream.unsubscribe();
    reader.client.close();
    sender.client.close();
  });
});
