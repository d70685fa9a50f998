/**
 * tRPC calls on a plain WebSocket: each gets an id, and the answer with that
 * id settles it (the frame is `mutationFrame` in `k6/lib/frames.ts`). A call
 * fails when its time is up, when the server answers with an error (its code
 * as `data.code`, which `errorKind` reads), or when the socket goes first.
 */
import WebSocket from 'ws';
import { mutationFrame, type RawMessage } from '../k6/lib/frames';

interface Pending {
  resolve: (json: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class Calls {
  private readonly pending = new Map<number, Pending>();
  private nextId: number;

  /** `firstId`: ids below it are the socket's subscriptions. */
  constructor(firstId: number) {
    this.nextId = firstId;
  }

  /** Sends a mutation; resolves with its answer's `json`. */
  mutate(ws: WebSocket | undefined, path: string, input: unknown, timeoutMs: number): Promise<unknown> {
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the socket is not open'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(Object.assign(new Error('no answer in time'), { name: 'TimeoutError' }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(mutationFrame(id, path, input));
    });
  }

  /** Settles the call `message` answers; false when it answers none (a subscription's frame). */
  settle(message: RawMessage): boolean {
    const call = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!call || typeof message.id !== 'number') return false;
    this.pending.delete(message.id);
    clearTimeout(call.timer);
    if (message.error) {
      const code = message.error.json?.data?.code ?? 'error';
      call.reject(Object.assign(new Error(message.error.json?.message ?? code), { data: { code } }));
    } else call.resolve(message.result?.data?.json);
    return true;
  }

  /** Fails every call still waiting (the socket closed). */
  failAll(why: string): void {
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(new Error(why));
    }
    this.pending.clear();
  }
}
