/**
 * The transport's limit on this machine: the bare-ws server (a child process)
 * sends our frames to as many plain connections as the run had, with the
 * run's message mix, as fast as they drain; the agents' raw clients count
 * what arrives. Deliveries per second is the ceiling.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from '../histogram';
import type { AgentApi } from '../share';
import { messageFrame } from './frame';
import type { BlastCommand } from './ws-server';

const serverPath = fileURLToPath(new URL('./ws-server.ts', import.meta.url));
const DRAIN_MS = 500;

export interface WsCeiling {
  connections: number;
  deliveriesPerSecond: number;
  messagesPerSecond: number;
  latencyP50: number;
  latencyP99: number;
}

export async function measureWsCeiling(input: {
  agents: AgentApi[];
  connections: number;
  mix: BlastCommand['mix'];
  bodySize: number;
  durationMs: number;
}): Promise<WsCeiling> {
  const child = fork(serverPath, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { type: string; port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`ws ceiling server exited (${code})`)));
    });
    const url = `ws://127.0.0.1:${port}`;
    const per = Math.ceil(input.connections / input.agents.length);
    await Promise.all(
      input.agents.map((a, i) => a.rawConnect(url, Math.max(0, Math.min(per, input.connections - i * per)))),
    );
    const done = new Promise<{ messages: number; frames: number }>((resolve) => {
      child.on('message', (m: { type: string; messages: number; frames: number }) => {
        if (m.type === 'done') resolve(m);
      });
    });
    const command: BlastCommand = {
      type: 'blast',
      frame: messageFrame(input.bodySize),
      mix: input.mix,
      durationMs: input.durationMs,
    };
    child.send(command);
    const sent = await done;
    await new Promise((r) => setTimeout(r, DRAIN_MS));
    const results = await Promise.all(input.agents.map((a) => a.rawResult()));
    const latency = new Histogram();
    let delivered = 0;
    for (const r of results) {
      delivered += r.delivered;
      latency.merge(r.latency);
    }
    const seconds = (input.durationMs + DRAIN_MS) / 1000;
    return {
      connections: input.connections,
      deliveriesPerSecond: delivered / seconds,
      messagesPerSecond: sent.messages / seconds,
      latencyP50: latency.percentile(50),
      latencyP99: latency.percentile(99),
    };
  } finally {
    child.kill('SIGTERM');
  }
}
