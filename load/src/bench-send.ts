/**
 * What one send costs the server, with nothing else going on: the real
 * server on a fresh database, one user, one group, and `--sends` sends
 * through the typed client over HTTP, `--concurrency` at a time. Prints sends
 * per second, wall time per send, and the server process's CPU per send
 * (all its threads, from /proc; the main thread's share separately).
 * `--over ws` sends the same calls as tRPC mutations over one WebSocket (the
 * socket a client holds for its stream) instead of HTTP requests.
 *
 *   pnpm --filter @chat/load bench:send [--sends 1000] [--concurrency 1] [--over http|ws] [--admin-url postgres://…/postgres] [--cpu-prof DIR]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createChatClient } from '@chat/api/client';
import WebSocket from 'ws';
import type { RawMessage } from '../k6/lib/frames';
import { Calls } from './calls';
import { LOAD_PASSWORD } from './seed/population';
import { DEFAULT_ADMIN_URL, startServers } from './server/start';
import { mainThreadCpu, sampleProcesses } from './server/stats';

const { values } = parseArgs({
  // `pnpm … bench:send -- --sends 10` passes the `--` along.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    sends: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1' },
    over: { type: 'string', default: 'http' },
    'admin-url': { type: 'string', default: DEFAULT_ADMIN_URL },
    'cpu-prof': { type: 'string' },
  },
});
const sends = Number(values.sends);
const concurrency = Number(values.concurrency);
for (const [name, value] of [
  ['--sends', sends],
  ['--concurrency', concurrency],
] as const) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a whole number of at least 1.`);
    process.exit(2);
  }
}

if (values.over !== 'http' && values.over !== 'ws') {
  console.error('--over must be http or ws.');
  process.exit(2);
}

/** tRPC mutations over one WebSocket (no stream on it: the HTTP runs have none either). */
async function socketSender(url: string, cookie: string) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/trpc`, { headers: { cookie, origin: url } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const calls = new Calls(1);
  ws.on('message', (raw) => {
    const text = raw.toString();
    if (text !== 'PING' && text !== 'PONG') calls.settle(JSON.parse(text) as RawMessage);
  });
  return {
    mutate: (path: string, input: unknown) => calls.mutate(ws, path, input, SOCKET_CALL_TIMEOUT_MS),
    close: () => ws.close(),
  };
}
const SOCKET_CALL_TIMEOUT_MS = 30_000;

const servers = await startServers({ adminUrl: values['admin-url'], processes: 1, cpuProfDir: values['cpu-prof'] });
try {
  const url = servers.urls[0] as string;
  const pid = servers.pids[0] as number;
  const client = createChatClient({ url, origin: url });
  const username = `bench${randomUUID().slice(0, 8)}`;
  await client.api.auth.register.mutate({ username, password: LOAD_PASSWORD, passwordRepeat: LOAD_PASSWORD });
  const { id: chatId } = await client.api.groups.create.mutate({ name: 'bench', userIds: [] });
  const socket = values.over === 'ws' ? await socketSender(url, client.cookie() ?? '') : undefined;
  const send = async (n: number): Promise<void> => {
    const input = { id: randomUUID(), chatId, body: `hello, this is message number ${n}` };
    if (socket) await socket.mutate('message.send', input);
    else await client.api.message.send.mutate(input);
  };
  for (let i = 0; i < 100; i++) await send(i); // warm-up: JIT, prepared statements, connections

  /** CPU seconds of the server process (all threads) and of its main thread. */
  const cpu = () => ({ all: sampleProcesses([pid])?.cpu ?? Number.NaN, main: mainThreadCpu(pid) ?? Number.NaN });
  const before = cpu();
  const started = performance.now();
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < sends) {
        issued += 1;
        await send(issued);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const after = cpu();
  const total = (after.all - before.all) * 1000;
  const main = (after.main - before.main) * 1000;
  console.log(
    `${sends} sends over ${values.over}, ${concurrency} at a time: ${Math.round(sends / (wallMs / 1000))} sends/s, ` +
      `${(wallMs / sends).toFixed(2)} ms wall per send, server CPU ${(total / sends).toFixed(2)} ms per send ` +
      `(main thread ${(main / sends).toFixed(2)} ms)`,
  );
  socket?.close();
} finally {
  await servers.stop();
}
