/**
 * A child process holding one agent: it answers the coordinator's calls over
 * the IPC channel (`{ id, method, args }` → `{ id, ok, result | error }`).
 */
import { Agent } from './agent';
import type { AgentApi } from './share';

export interface CallMessage {
  id: number;
  method: keyof AgentApi;
  args: unknown[];
}

export type ReplyMessage = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

const agent = new Agent(Number(process.argv[2] ?? 0));
const send = (reply: ReplyMessage) => process.send?.(reply);

process.on('message', (message: CallMessage) => {
  const method = agent[message.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(agent, message.args).then(
    (result) => {
      send({ id: message.id, ok: true, result });
      if (message.method === 'close') setTimeout(() => process.exit(0), 100);
    },
    (error: unknown) => send({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
