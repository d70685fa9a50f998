/**
 * k6 load script for operators who have k6 (≥ 1.0 runs TypeScript as is):
 *
 *   k6 run -e BASE_URL=http://localhost:3000 -e USERS=1000 -e GROUPS=10 -e GROUP_SIZE=300 \
 *          -e DIRECT_SHARE=0 -e RATE=50 -e DURATION=60 -e RAMP=30 load/k6/chat.ts
 *
 * setup() registers the population through the API. Each VU is one user: it
 * opens its event stream over WebSocket (tRPC's protocol, see lib/trpc.ts),
 * waits for `stream.ready`, then sends its share of RATE into its chats with
 * the send time in the body; every `message.created` it receives adds the
 * end-to-end latency to the `delivery_latency` Trend. Deliveries owed (each
 * acknowledged message × its chat's members) and received are counters;
 * handleSummary prints what was lost, and thresholds fail the run on any
 * duplicate or on latency over the targets.
 */
import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { clearInterval, setInterval, setTimeout } from 'k6/timers';
import { type MessageEvent, WebSocket } from 'k6/websockets';
import { createPopulation, type Population } from './lib/population';
import { isMessageCreated, mutateAsync, parseFrame, subscribeFrame, uuid } from './lib/trpc';

const num = (name: string, fallback: number): number => Number(__ENV[name] ?? fallback);
const BASE = (__ENV.BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const USERS = num('USERS', 100);
const GROUPS = num('GROUPS', 2);
const GROUP_SIZE = num('GROUP_SIZE', 50);
const DIRECT_SHARE = num('DIRECT_SHARE', 0.5);
const RATE = num('RATE', 10);
const DURATION = num('DURATION', 30);
const RAMP = num('RAMP', 10);
const GRACE = num('GRACE', 10);
const BODY_SIZE = num('BODY_SIZE', 120);

export const options: Options = {
  setupTimeout: '60m',
  summaryTrendStats: ['med', 'p(95)', 'p(99)', 'max'],
  scenarios: {
    chat: {
      executor: 'per-vu-iterations',
      vus: USERS,
      iterations: 1,
      maxDuration: `${RAMP + DURATION + GRACE + 120}s`,
    },
  },
  thresholds: {
    delivery_latency: ['p(50)<5', 'p(95)<15', 'p(99)<40'],
    deliveries_duplicated: ['count==0'],
    send_failed: ['count==0'],
  },
};

const deliveryLatency = new Trend('delivery_latency', true);
const sendLatency = new Trend('send_latency', true);
const owed = new Counter('deliveries_owed');
const received = new Counter('deliveries_received');
const duplicated = new Counter('deliveries_duplicated');
const sendFailed = new Counter('send_failed');

interface SetupData extends Population {
  sendStart: number;
}

export function setup(): SetupData {
  const population = createPopulation({
    base: BASE,
    users: USERS,
    groups: GROUPS,
    groupSize: GROUP_SIZE,
    directs: DIRECT_SHARE > 0,
    prefix: `k6${Date.now().toString(36)}`,
  });
  return { ...population, sendStart: Date.now() + (RAMP + 5) * 1000 };
}

function body(sentAt: number): string {
  const head = `load:${sentAt.toFixed(3)} `;
  return head + 'x'.repeat(Math.max(1, BODY_SIZE - head.length));
}

export default function chat(data: SetupData): void {
  const me = (exec.vu.idInTest - 1) % data.users.length;
  const session = data.users[me];
  if (!session) return;
  sleep((RAMP * me) / data.users.length);
  const mine = data.chats.filter((c) => c.members.includes(me));
  const directs = mine.filter((c) => c.kind === 'direct');
  const groups = mine.filter((c) => c.kind === 'group');
  const seen = new Set<string>();
  const ws = new WebSocket(`${BASE.replace(/^http/, 'ws')}/trpc`, null, { headers: { cookie: session.cookie } });

  const send = async () => {
    const pool = (Math.random() < DIRECT_SHARE && directs.length > 0) || groups.length === 0 ? directs : groups;
    const chat = pool[Math.floor(Math.random() * pool.length)];
    if (!chat) return;
    const sentAt = Date.now();
    try {
      await mutateAsync(BASE, 'message.send', { id: uuid(), chatId: chat.id, body: body(sentAt) }, session.cookie);
      sendLatency.add(Date.now() - sentAt);
      owed.add(chat.members.length);
    } catch {
      sendFailed.add(1);
    }
  };

  const startSending = () => {
    const perVu = RATE / data.users.length;
    if (perVu <= 0) return;
    const every = 1000 / perVu;
    setTimeout(
      () => {
        const timer = setInterval(() => {
          if (Date.now() >= data.sendStart + DURATION * 1000) clearInterval(timer);
          else void send();
        }, every);
      },
      Math.max(0, data.sendStart - Date.now()) + Math.random() * every,
    );
    setTimeout(() => ws.close(), Math.max(0, data.sendStart - Date.now()) + (DURATION + GRACE) * 1000);
  };

  ws.addEventListener('open', () => ws.send(subscribeFrame(1, 'events.stream', null)));
  ws.addEventListener('message', (event) => {
    const text = (event as MessageEvent).data;
    if (typeof text !== 'string') return;
    const frame = parseFrame(text);
    if (frame.kind === 'ping') ws.send('PONG');
    else if (frame.kind === 'error') console.error(`stream error: ${frame.message}`);
    else if (frame.kind === 'item') {
      const item = frame.item;
      if (item.type === 'stream.ready') startSending();
      else if (isMessageCreated(item)) {
        const m = item.payload.message;
        const key = `${m.chatId}:${m.seq}`;
        if (seen.has(key)) {
          duplicated.add(1);
          return;
        }
        seen.add(key);
        received.add(1);
        const sentAt = Number(/^load:([\d.]+) /.exec(m.body ?? '')?.[1]);
        if (Number.isFinite(sentAt)) deliveryLatency.add(Date.now() - sentAt);
      }
    }
  });
}

interface SummaryData {
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

export function handleSummary(data: SummaryData): Record<string, string> {
  const count = (name: string) => data.metrics[name]?.values.count ?? 0;
  const lost = count('deliveries_owed') - count('deliveries_received');
  const latency = data.metrics.delivery_latency?.values ?? {};
  const lines = [
    `deliveries owed ${count('deliveries_owed')}, received ${count('deliveries_received')}, lost ${lost}, duplicated ${count('deliveries_duplicated')}`,
    `delivery latency ms: p50 ${latency.med ?? 0} p95 ${latency['p(95)'] ?? 0} p99 ${latency['p(99)'] ?? 0} max ${latency.max ?? 0}`,
    `send failures ${count('send_failed')}`,
    lost > 0 ? 'LOST DELIVERIES: the run failed' : 'nothing lost',
  ];
  return { stdout: `${lines.join('\n')}\n`, 'k6-summary.json': JSON.stringify(data, null, 2) };
}
