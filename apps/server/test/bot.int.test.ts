/** The README's bot, run as written against the real server. */
import { randomUUID } from 'node:crypto';
import { startEchoBot } from '@chat/api/examples/echo-bot';
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

describe('the echo bot from the README', () => {
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
