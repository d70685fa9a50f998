/**
 * The bare-ws ceiling's server, in a child process of its own (like the real
 * server): no database, no tRPC. Told to blast, it sends each message's frame
 * (serialized once, stamped with the send time) to an audience of
 * consecutive connections, as fast as the sockets drain, for a set time.
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { now } from '../body';
import { pickWeighted, random } from '../plan';
import type { FrameTemplate } from './frame';

export interface BlastCommand {
  type: 'blast';
  frame: FrameTemplate;
  /** Audience size per message class, with the class's share of messages. */
  mix: Array<{ audience: number; weight: number }>;
  durationMs: number;
}

const HIGH_WATER = 64 * 1024 * 1024;
const BATCH = 2_000;

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
const clients: WebSocket[] = [];
wss.on('connection', (ws) => clients.push(ws));
wss.on('listening', () => process.send?.({ type: 'port', port: (wss.address() as AddressInfo).port }));

const tick = () => new Promise((resolve) => setImmediate(resolve));

function buffered(): number {
  let n = 0;
  for (const ws of clients) n += ws.bufferedAmount;
  return n;
}

async function blast(command: BlastCommand): Promise<{ messages: number; frames: number }> {
  const rnd = random(7);
  const weights = command.mix.map((m) => m.weight);
  const end = now() + command.durationMs;
  let messages = 0;
  let frames = 0;
  while (now() < end) {
    for (let sent = 0; sent < BATCH && clients.length > 0; ) {
      const klass = command.mix[pickWeighted(weights, rnd())];
      const audience = Math.min(klass?.audience ?? 1, clients.length);
      const text = `${command.frame.before}${now().toFixed(3)}${command.frame.after}`;
      const start = Math.floor(rnd() * clients.length);
      for (let i = 0; i < audience; i++) (clients[(start + i) % clients.length] as WebSocket).send(text);
      messages += 1;
      frames += audience;
      sent += audience;
    }
    await tick();
    while (buffered() > HIGH_WATER && now() < end) await new Promise((r) => setTimeout(r, 2));
  }
  return { messages, frames };
}

process.on('message', (command: BlastCommand) => {
  if (command.type !== 'blast') return;
  void blast(command).then((result) => process.send?.({ type: 'done', ...result }));
});
process.on('disconnect', () => process.exit(0));
