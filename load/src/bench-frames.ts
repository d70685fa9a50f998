/**
 * What one delivery costs to write: the same frame to every socket of a
 * 300-member fan-out, through `ws`'s `send` (a header built, the socket
 * corked, header and payload written, uncorked: one `writev` per socket)
 * against the server's own way (apps/server/src/transport/subscriptions.ts: the whole frame made
 * once by `wsTextFrame`, one `write` of it per socket). The sockets are real
 * WebSocket connections over loopback to a child process that reads every
 * frame, as the load tool does; both ways alternate in this process, so the
 * ratio survives a noisy machine.
 *
 *   pnpm --filter @chat/load bench:frames [--sockets 300] [--rounds 40] [--bytes 600]
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { wsTextFrame } from '@chat/server/wire';
import WebSocket, { WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '40' },
    bytes: { type: 'string', default: '600' },
    reader: { type: 'string' },
  },
});
const sockets = Number(values.sockets);

if (values.reader) {
  // The child: opens the sockets and reads every frame as text, as the load tool's reader does.
  let read = 0;
  for (let i = 0; i < sockets; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${values.reader}/`, { perMessageDeflate: false });
    ws.on('message', (data) => {
      JSON.parse(String(data));
      read += 1;
    });
  }
  setInterval(() => process.send?.(read), 100);
} else {
  await main();
}

async function main(): Promise<void> {
  const rounds = Number(values.rounds);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  const open: { ws: WebSocket; raw: Duplex }[] = [];
  const server = createServer();
  server.on('upgrade', (req, raw, head) => wss.handleUpgrade(req, raw, head, (ws) => open.push({ ws, raw })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  let read = 0;
  const child = fork(fileURLToPath(import.meta.url), ['--sockets', String(sockets), '--reader', String(address.port)], {
    execArgv: ['--import', 'tsx'],
  });
  child.on('message', (n) => {
    read = Number(n);
  });
  while (open.length < sockets) await new Promise((r) => setTimeout(r, 50));

  const text = JSON.stringify({
    id: 1,
    result: { type: 'data', data: { json: { id: '42', data: { body: 'x'.repeat(Number(values.bytes)) } } }, id: '42' },
  });
  const { frame, payload } = wsTextFrame(text);
  const perSocket: Record<'ws.send' | 'one write', number[]> = { 'ws.send': [], 'one write': [] };
  let sent = 0;
  for (let round = 0; round < rounds; round++) {
    for (const way of ['ws.send', 'one write'] as const) {
      const start = process.hrtime.bigint();
      if (way === 'ws.send') for (const s of open) s.ws.send(payload, { binary: false });
      else for (const s of open) s.raw.write(frame);
      perSocket[way].push(Number(process.hrtime.bigint() - start) / 1000 / sockets);
      sent += sockets;
      // Let the reader catch up, so each round starts alike.
      const deadline = Date.now() + 2_000;
      while (read < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN;
  const ratios = perSocket['ws.send'].map((w, i) => w / (perSocket['one write'][i] ?? Number.NaN));
  console.log(`${sockets} sockets, a ${payload.length}-byte frame, ${rounds} rounds (median µs per socket)`);
  for (const [way, v] of Object.entries(perSocket)) console.log(`  ${way.padEnd(10)} ${median(v).toFixed(2)}`);
  console.log(`  ratio      ${median(ratios).toFixed(2)} (median of per-round ratios)`);
  console.log(`  frames read by the child: ${read} of ${sent}`);
  child.kill();
  server.close();
  process.exit(read === sent ? 0 : 1);
}
