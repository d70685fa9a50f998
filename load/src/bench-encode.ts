/**
 * What one delivery costs to encode: a message to a 300-member group, sent
 * the way tRPC's WebSocket adapter does by default (superjson and
 * JSON.stringify for every recipient) against the server's own
 * (`trackedFrame`, apps/server/src/transport/wire.ts: serialised once, each frame
 * joined from kept text; every recipient here has its own subscription id,
 * so no frame's bytes are reused). Both run in this process, alternating, so the ratio survives a noisy
 * machine. Encoding only: the socket write is the same in both.
 *
 *   pnpm --filter @chat/load bench:encode [--members 300] [--rounds 30] [--events 200]
 */
import { parseArgs } from 'node:util';
import { trackedFrame } from '@chat/server/wire';
import superjson from 'superjson';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '30' },
    events: { type: 'string', default: '200' },
  },
});
const members = Number(values.members);
const rounds = Number(values.rounds);
const eventsPerRound = Number(values.events);

/** A message.created event as the hub reads it: a MessageView with one image and two reactions. */
function event(n: number) {
  const at = new Date(1_790_000_000_000 + n);
  return {
    id: n,
    type: 'message.created' as const,
    chatId: '0b7c5a4e-3f7e-4c1e-9a51-0d2f3c4b5a69',
    payload: {
      message: {
        id: crypto.randomUUID(),
        chatId: '0b7c5a4e-3f7e-4c1e-9a51-0d2f3c4b5a69',
        senderId: crypto.randomUUID(),
        seq: n,
        body: `load:${at.getTime()} the quick brown fox jumps over the lazy dog, message ${n}`,
        createdAt: at,
        editedAt: null,
        deletedAt: null,
        attachments: [
          { id: crypto.randomUUID(), width: 1024, height: 768, thumbWidth: 480, thumbHeight: 360, name: 'photo.jpg' },
        ],
        reactions: [
          { emoji: '👍', userIds: [crypto.randomUUID(), crypto.randomUUID()] },
          { emoji: '🎉', userIds: [crypto.randomUUID()] },
        ],
      },
    },
    at,
  };
}

type Frame = { id: number; jsonrpc: undefined; result: { type: 'data'; data: unknown; id: string } };
const frame = (sub: number, item: { id: number }): Frame => ({
  id: sub,
  jsonrpc: undefined,
  result: { type: 'data', data: superjson.serialize({ id: String(item.id), data: item }), id: String(item.id) },
});

let sink = 0;
function perRecipient(): number {
  const t0 = process.hrtime.bigint();
  for (let e = 0; e < eventsPerRound; e++) {
    const item = event(e);
    for (let m = 0; m < members; m++) sink += JSON.stringify(frame(m, item)).length;
  }
  return Number(process.hrtime.bigint() - t0) / 1000 / (eventsPerRound * members);
}
function once(): number {
  const t0 = process.hrtime.bigint();
  for (let e = 0; e < eventsPerRound; e++) {
    const item = event(e);
    for (let m = 0; m < members; m++) sink += trackedFrame(m, undefined, String(item.id), item).length;
  }
  return Number(process.hrtime.bigint() - t0) / 1000 / (eventsPerRound * members);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
perRecipient();
once(); // warm-up
const a: number[] = [];
const b: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const x = perRecipient();
  const y = once();
  a.push(x);
  b.push(y);
  ratios.push(x / y);
}
console.log(
  `members ${members}, ${eventsPerRound} events a round, ${rounds} rounds (median; bytes ${sink > 0 ? 'written' : '-'})`,
);
console.log(`| encoder | µs per delivery (median) |\n|---|--:|`);
console.log(`| superjson + JSON.stringify per recipient (tRPC default) | ${median(a).toFixed(2)} |`);
console.log(`| serialised once, frame joined per recipient (wire.ts) | ${median(b).toFixed(2)} |`);
console.log(`ratio (median of per-round ratios): ${median(ratios).toFixed(1)}×`);
