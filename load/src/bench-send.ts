/**
 * What one send costs the server, with nothing else going on: the real
 * server on a fresh database, one user, one group, and `--sends` sends
 * through the typed client over HTTP, `--concurrency` at a time. Prints sends
 * per second, wall time per send, and the server process's CPU per send
 * (all its threads, from /proc; the main thread's share separately).
 *
 *   pnpm --filter @chat/load bench:send [--sends 1000] [--concurrency 1] [--admin-url postgres://…/postgres] [--cpu-prof DIR]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createChatClient } from '@chat/api/client';
import { LOAD_PASSWORD } from './seed/population';
import { DEFAULT_ADMIN_URL, startServers } from './server/start';
import { mainThreadCpu, sampleProcesses } from './server/stats';

const { values } = parseArgs({
  // `pnpm … bench:send -- --sends 10` passes the `--` along.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    sends: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1' },
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

const servers = await startServers({ adminUrl: values['admin-url'], processes: 1, cpuProfDir: values['cpu-prof'] });
try {
  const url = servers.urls[0] as string;
  const pid = servers.pids[0] as number;
  const client = createChatClient({ url, origin: url });
  const username = `bench${randomUUID().slice(0, 8)}`;
  await client.api.auth.register.mutate({ username, password: LOAD_PASSWORD, passwordRepeat: LOAD_PASSWORD });
  const { id: chatId } = await client.api.groups.create.mutate({ name: 'bench', userIds: [] });
  const send = (n: number) =>
    client.api.message.send.mutate({ id: randomUUID(), chatId, body: `hello, this is message number ${n}` });
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
    `${sends} sends, ${concurrency} at a time: ${Math.round(sends / (wallMs / 1000))} sends/s, ` +
      `${(wallMs / sends).toFixed(2)} ms wall per send, server CPU ${(total / sends).toFixed(2)} ms per send ` +
      `(main thread ${(main / sends).toFixed(2)} ms)`,
  );
} finally {
  await servers.stop();
}
