/**
 * A bot of a dozen lines: signs in and answers every message sent to it.
 * Run: BOT_URL=http://localhost:3000 BOT_USER=echo BOT_PASSWORD=… pnpm --filter @chat/api exec node --import tsx examples/echo-bot.ts
 */
import { randomUUID } from 'node:crypto';
import { signIn } from '@chat/api/client';

export async function startEchoBot(url: string, username: string, password: string) {
  const bot = await signIn({ url, username, password });
  const me = await bot.api.auth.me.query();
  const events = bot.events(async (item) => {
    if (item.type !== 'message.created' || item.payload.message.senderId === me?.id) return;
    const { chatId, body } = item.payload.message;
    await bot.api.message.send.mutate({ id: randomUUID(), chatId, body: `You said: ${body}` });
  });
  return {
    stop() {
      events.stop();
      bot.close();
    },
  };
}

if (process.argv[1]?.endsWith('echo-bot.ts')) {
  const { BOT_URL = 'http://localhost:3000', BOT_USER = 'echo', BOT_PASSWORD = '' } = process.env;
  await startEchoBot(BOT_URL, BOT_USER, BOT_PASSWORD);
  console.log(`${BOT_USER} is answering on ${BOT_URL}`);
}
