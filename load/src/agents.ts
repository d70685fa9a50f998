/** Agents as the coordinator sees them: in this process, or each in a child process of its own. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent } from './agent';
import type { AgentApi } from './share';
import type { CallMessage, ReplyMessage } from './worker';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

function forkAgent(index: number, cpuProfDir: string | undefined): AgentApi {
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child = fork(workerPath, [String(index)], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=8192', ...profile],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (reply: ReplyMessage) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.result);
    else waiter?.reject(new Error(`worker ${index}: ${reply.error}`));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`worker ${index} exited (${code})`));
    pending.clear();
  });
  const call =
    <M extends keyof AgentApi>(method: M) =>
    (...args: Parameters<AgentApi[M]>): ReturnType<AgentApi[M]> =>
      new Promise<unknown>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        const message: CallMessage = { id, method, args };
        child.send(message);
      }) as ReturnType<AgentApi[M]>;
  return {
    start: call('start'),
    go: call('go'),
    stopSending: call('stopSending'),
    storm: call('storm'),
    progress: call('progress'),
    report: call('report'),
    rawConnect: call('rawConnect'),
    rawResult: call('rawResult'),
    disconnect: call('disconnect'),
    pid: call('pid'),
    close: call('close'),
  };
}

/** `workers` child processes (profiled into `cpuProfDir` when given), or (0) one agent in this process. */
export function createAgents(workers: number, cpuProfDir?: string): AgentApi[] {
  if (workers === 0) return [new Agent(0)];
  return Array.from({ length: workers }, (_, i) => forkAgent(i, cpuProfDir));
}
