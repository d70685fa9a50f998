/**
 * `pnpm --filter @chat/load bench:poll-ceiling [-- --users 1000 --groups 10 --members 300 --rate 50 --duration 30]`:
 * the bare long-polling ceiling of this machine, for scenario 4 over
 * long-polling. A server of a few lines in plain `node:http` (no session, no
 * tRPC, no database: `serve` below, its own process) routes scenario 1's
 * traffic (`--rate` messages a second into `--groups` groups of `--members`)
 * to `--users` long-polling clients in this process, which read as the load
 * tool's long-poll reader does (`src/raw-poll.ts`: one keep-alive socket per
 * user, asking again as soon as answered). Events that come while a user's
 * poll is away wait for its next one. It prints delivery p50 / p99 (from the
 * event's making to its arrival), deliveries and polls a second, events per
 * answer, and the CPU of the server, of this process and of the rest of the
 * machine: what the real server's figures are to be measured against
 * (load/README.md, "bench:poll-ceiling"; docs/event-stream.md, "Long-polling").
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const TEXT = 'x'.repeat(180);
const HOLD_MS = 25_000;

/** The child: routes events made at `rate`/s to the members' held polls. */
function serve(users: number, groups: number, members: number, rate: number): void {
  const queued: Buffer[][] = Array.from({ length: users }, () => []);
  const held: (ServerResponse | null)[] = Array.from({ length: users }, () => null);
  const timers: (ReturnType<typeof setTimeout> | null)[] = Array.from({ length: users }, () => null);
  const memberOf = (g: number) => Array.from({ length: members }, (_, k) => (g * members + k) % users);
  const groupMembers = Array.from({ length: groups }, (_, g) => memberOf(g));
  const answer = (u: number) => {
    const res = held[u];
    if (!res) return;
    held[u] = null;
    const t = timers[u];
    if (t) clearTimeout(t);
    timers[u] = null;
    const items = queued[u] ?? [];
    queued[u] = [];
    const body = Buffer.concat([
      Buffer.from('['),
      ...items.flatMap((b, i) => (i ? [Buffer.from(','), b] : [b])),
      Buffer.from(']'),
    ]);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  };
  const server = createServer((req, res) => {
    const u = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('u'));
    if (!Number.isInteger(u) || u < 0 || u >= users) {
      res.writeHead(400).end();
      return;
    }
    held[u] = res;
    if ((queued[u] ?? []).length > 0) answer(u);
    else timers[u] = setTimeout(() => answer(u), HOLD_MS);
  });
  server.keepAliveTimeout = 60_000;
  let seq = 0;
  let made = 0;
  let started = 0;
  const tick = () => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; made < due; made++) {
      const g = made % groups;
      // Serialised once for every member, as the real server does (docs/event-stream.md).
      const event = Buffer.from(
        JSON.stringify({ seq: ++seq, at: performance.timeOrigin + performance.now(), text: TEXT }),
      );
      for (const u of groupMembers[g] ?? []) {
        queued[u]?.push(event);
        if (held[u]) answer(u);
      }
    }
  };
  let ticker: ReturnType<typeof setInterval> | undefined;
  process.on('message', (m: string) => {
    if (m === 'go') {
      started = performance.now();
      ticker = setInterval(tick, 5);
    } else if (m === 'stop') {
      clearInterval(ticker);
    }
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
}

const cpuSeconds = (pid: number | 'self') => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const machineBusy = () => {
  const [, ...f] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).filter(Boolean);
  const n = f.map(Number);
  return {
    busy: (n[0] ?? 0) + (n[1] ?? 0) + (n[2] ?? 0) + (n[5] ?? 0) + (n[6] ?? 0) + (n[7] ?? 0),
    all: n.reduce((a, b) => a + b, 0),
  };
};

async function measure(options: { users: number; groups: number; members: number; rate: number; duration: number }) {
  const child: ChildProcess = fork(
    new URL(import.meta.url).pathname,
    ['serve', ...[options.users, options.groups, options.members, options.rate].map(String)],
    { execArgv: ['--import', 'tsx'] },
  );
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)));
  const latencies: number[] = [];
  let polls = 0;
  let measuring = false;
  const poll = (u: number, agent: Agent) => {
    const req = request({ host: '127.0.0.1', port, path: `/poll?u=${u}`, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const now = performance.timeOrigin + performance.now();
        const items = JSON.parse(Buffer.concat(chunks).toString()) as { at: number }[];
        if (measuring) {
          polls++;
          for (const item of items) latencies.push(now - item.at);
        }
        poll(u, agent);
      });
    });
    req.on('error', () => setTimeout(() => poll(u, agent), 100));
    req.end();
  };
  for (let u = 0; u < options.users; u++) poll(u, new Agent({ keepAlive: true, maxSockets: 1 }));
  child.send('go');
  // The first seconds fill the sockets and the JIT; then the window.
  await new Promise((r) => setTimeout(r, 5_000));
  measuring = true;
  const server0 = cpuSeconds(child.pid as number);
  const self0 = cpuSeconds('self');
  const machine0 = machineBusy();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, options.duration * 1000));
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const machine1 = machineBusy();
  const server = (cpuSeconds(child.pid as number) - server0) / seconds;
  const tool = (cpuSeconds('self') - self0) / seconds;
  const cores =
    ((machine1.busy - machine0.busy) / (machine1.all - machine0.all)) * (await import('node:os')).cpus().length;
  child.send('stop');
  child.kill();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    deliveriesPerSecond: latencies.length / seconds,
    pollsPerSecond: polls / seconds,
    eventsPerAnswer: latencies.length / Math.max(1, polls),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    serverCores: server,
    toolCores: tool,
    otherCores: Math.max(0, cores - server - tool),
  };
}

if (process.argv[2] === 'serve') {
  const [users, groups, members, rate] = process.argv.slice(3).map(Number);
  serve(users ?? 1000, groups ?? 10, members ?? 300, rate ?? 50);
} else {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      users: { type: 'string', default: '1000' },
      groups: { type: 'string', default: '10' },
      members: { type: 'string', default: '300' },
      rate: { type: 'string', default: '50' },
      duration: { type: 'string', default: '30' },
    },
  });
  const options = {
    users: Number(values.users),
    groups: Number(values.groups),
    members: Number(values.members),
    rate: Number(values.rate),
    duration: Number(values.duration),
  };
  const r = await measure(options);
  const f = (v: number, d = 0) => v.toFixed(d);
  console.log(
    `bare long-polling, ${options.users} users, ${options.rate} msg/s into ${options.groups} groups of ${options.members}, ${options.duration} s:\n` +
      `  delivery p50 ${f(r.p50Ms, 1)} ms, p99 ${f(r.p99Ms, 1)} ms; ${f(r.deliveriesPerSecond)} deliveries/s, ${f(r.pollsPerSecond)} polls/s, ${f(r.eventsPerAnswer, 2)} events per answer\n` +
      `  cores: server ${f(r.serverCores, 2)}, this tool ${f(r.toolCores, 2)}, other processes ${f(r.otherCores, 2)}`,
  );
  console.log(JSON.stringify({ options, ...r }));
  process.exit(0);
}
